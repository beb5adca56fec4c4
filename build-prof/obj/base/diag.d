build-prof/obj/base/diag.o: generator/base/diag.c generator/base/diag.h \
 generator/base/buf.h generator/base/util.h generator/base/banned.h
generator/base/diag.h:
generator/base/buf.h:
generator/base/util.h:
generator/base/banned.h:
