build-prof/obj/site/fieldwords.o: generator/site/fieldwords.c \
 generator/site/fieldwords.h generator/model/model.h generator/base/buf.h \
 generator/base/diag.h generator/base/buf.h generator/base/value.h \
 generator/site/page.h generator/hooks/hooks.h generator/output/output.h \
 generator/render/theme.h generator/render/mustache.h \
 generator/base/util.h generator/base/banned.h
generator/site/fieldwords.h:
generator/model/model.h:
generator/base/buf.h:
generator/base/diag.h:
generator/base/buf.h:
generator/base/value.h:
generator/site/page.h:
generator/hooks/hooks.h:
generator/output/output.h:
generator/render/theme.h:
generator/render/mustache.h:
generator/base/util.h:
generator/base/banned.h:
