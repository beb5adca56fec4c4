build-prof/obj/site/pages.o: generator/site/pages.c \
 generator/site/pages.h generator/base/diag.h generator/base/buf.h \
 generator/site/page.h generator/hooks/hooks.h generator/base/buf.h \
 generator/base/value.h generator/model/model.h generator/output/output.h \
 generator/render/theme.h generator/render/mustache.h \
 generator/base/cache.h generator/base/diag.h generator/source/history.h \
 generator/source/repo.h generator/site/histpages.h \
 generator/model/frontmatter.h generator/render/markdown.h \
 generator/source/repo.h generator/site/parity.h \
 generator/site/partners.h generator/site/statement.h \
 generator/model/urls.h generator/base/util.h generator/base/banned.h
generator/site/pages.h:
generator/base/diag.h:
generator/base/buf.h:
generator/site/page.h:
generator/hooks/hooks.h:
generator/base/buf.h:
generator/base/value.h:
generator/model/model.h:
generator/output/output.h:
generator/render/theme.h:
generator/render/mustache.h:
generator/base/cache.h:
generator/base/diag.h:
generator/source/history.h:
generator/source/repo.h:
generator/site/histpages.h:
generator/model/frontmatter.h:
generator/render/markdown.h:
generator/source/repo.h:
generator/site/parity.h:
generator/site/partners.h:
generator/site/statement.h:
generator/model/urls.h:
generator/base/util.h:
generator/base/banned.h:
