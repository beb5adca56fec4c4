build-prof/obj/site/changes.o: generator/site/changes.c \
 generator/site/histpages_impl.h generator/site/histpages.h \
 generator/base/diag.h generator/base/buf.h generator/source/history.h \
 generator/source/repo.h generator/base/buf.h generator/site/page.h \
 generator/hooks/hooks.h generator/base/value.h generator/model/model.h \
 generator/output/output.h generator/render/theme.h \
 generator/render/mustache.h generator/base/htab.h generator/base/cache.h \
 generator/base/diag.h generator/model/urls.h generator/base/util.h \
 generator/base/banned.h
generator/site/histpages_impl.h:
generator/site/histpages.h:
generator/base/diag.h:
generator/base/buf.h:
generator/source/history.h:
generator/source/repo.h:
generator/base/buf.h:
generator/site/page.h:
generator/hooks/hooks.h:
generator/base/value.h:
generator/model/model.h:
generator/output/output.h:
generator/render/theme.h:
generator/render/mustache.h:
generator/base/htab.h:
generator/base/cache.h:
generator/base/diag.h:
generator/model/urls.h:
generator/base/util.h:
generator/base/banned.h:
