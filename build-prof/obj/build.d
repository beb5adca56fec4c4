build-prof/obj/build.o: generator/build.c generator/build.h \
 generator/base/diag.h generator/base/buf.h generator/hooks/blockmemo.h \
 generator/base/buf.h generator/base/cache.h generator/base/diag.h \
 generator/model/frontmatter.h generator/base/value.h \
 generator/site/histpages.h generator/source/history.h \
 generator/source/repo.h generator/site/page.h generator/hooks/hooks.h \
 generator/model/model.h generator/output/output.h \
 generator/render/theme.h generator/render/mustache.h \
 generator/render/markdown.h generator/output/outguard.h \
 generator/site/pages.h generator/source/repo.h generator/model/urls.h \
 generator/base/util.h generator/base/banned.h
generator/build.h:
generator/base/diag.h:
generator/base/buf.h:
generator/hooks/blockmemo.h:
generator/base/buf.h:
generator/base/cache.h:
generator/base/diag.h:
generator/model/frontmatter.h:
generator/base/value.h:
generator/site/histpages.h:
generator/source/history.h:
generator/source/repo.h:
generator/site/page.h:
generator/hooks/hooks.h:
generator/model/model.h:
generator/output/output.h:
generator/render/theme.h:
generator/render/mustache.h:
generator/render/markdown.h:
generator/output/outguard.h:
generator/site/pages.h:
generator/source/repo.h:
generator/model/urls.h:
generator/base/util.h:
generator/base/banned.h:
