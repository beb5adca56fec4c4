build-prof/obj/site/page.o: generator/site/page.c generator/site/page.h \
 generator/base/diag.h generator/base/buf.h generator/hooks/hooks.h \
 generator/base/buf.h generator/base/value.h generator/model/model.h \
 generator/output/output.h generator/render/theme.h \
 generator/render/mustache.h generator/base/cache.h generator/base/diag.h \
 generator/base/htab.h generator/model/urls.h generator/base/util.h \
 generator/base/banned.h
generator/site/page.h:
generator/base/diag.h:
generator/base/buf.h:
generator/hooks/hooks.h:
generator/base/buf.h:
generator/base/value.h:
generator/model/model.h:
generator/output/output.h:
generator/render/theme.h:
generator/render/mustache.h:
generator/base/cache.h:
generator/base/diag.h:
generator/base/htab.h:
generator/model/urls.h:
generator/base/util.h:
generator/base/banned.h:
