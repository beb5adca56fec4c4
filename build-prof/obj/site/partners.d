build-prof/obj/site/partners.o: generator/site/partners.c \
 generator/site/partners.h generator/base/diag.h generator/base/buf.h \
 generator/model/model.h generator/base/buf.h generator/base/value.h \
 generator/site/page.h generator/hooks/hooks.h generator/output/output.h \
 generator/render/theme.h generator/render/mustache.h \
 generator/render/markdown.h generator/model/urls.h generator/base/util.h \
 generator/base/banned.h
generator/site/partners.h:
generator/base/diag.h:
generator/base/buf.h:
generator/model/model.h:
generator/base/buf.h:
generator/base/value.h:
generator/site/page.h:
generator/hooks/hooks.h:
generator/output/output.h:
generator/render/theme.h:
generator/render/mustache.h:
generator/render/markdown.h:
generator/model/urls.h:
generator/base/util.h:
generator/base/banned.h:
