build-prof/obj/hooks/blockmemo.o: generator/hooks/blockmemo.c \
 generator/hooks/blockmemo.h generator/base/buf.h generator/base/cache.h \
 generator/base/buf.h generator/base/diag.h generator/base/util.h \
 generator/base/value.h generator/base/banned.h
generator/hooks/blockmemo.h:
generator/base/buf.h:
generator/base/cache.h:
generator/base/buf.h:
generator/base/diag.h:
generator/base/util.h:
generator/base/value.h:
generator/base/banned.h:
