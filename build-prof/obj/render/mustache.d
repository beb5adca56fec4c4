build-prof/obj/render/mustache.o: generator/render/mustache.c \
 generator/render/mustache.h generator/base/buf.h generator/base/diag.h \
 generator/base/buf.h generator/base/value.h generator/base/urlcheck.h \
 generator/base/util.h generator/base/banned.h
generator/render/mustache.h:
generator/base/buf.h:
generator/base/diag.h:
generator/base/buf.h:
generator/base/value.h:
generator/base/urlcheck.h:
generator/base/util.h:
generator/base/banned.h:
