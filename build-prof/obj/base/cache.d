build-prof/obj/base/cache.o: generator/base/cache.c \
 generator/base/cache.h generator/base/buf.h generator/base/diag.h \
 generator/base/htab.h generator/base/util.h generator/base/banned.h
generator/base/cache.h:
generator/base/buf.h:
generator/base/diag.h:
generator/base/htab.h:
generator/base/util.h:
generator/base/banned.h:
