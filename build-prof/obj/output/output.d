build-prof/obj/output/output.o: generator/output/output.c \
 generator/output/output.h generator/base/diag.h generator/base/buf.h \
 generator/base/buf.h generator/base/htab.h generator/base/util.h \
 generator/base/banned.h
generator/output/output.h:
generator/base/diag.h:
generator/base/buf.h:
generator/base/buf.h:
generator/base/htab.h:
generator/base/util.h:
generator/base/banned.h:
