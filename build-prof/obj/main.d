build-prof/obj/main.o: generator/main.c generator/build.h \
 generator/base/diag.h generator/base/buf.h generator/base/buf.h \
 generator/output/output.h generator/base/banned.h
generator/build.h:
generator/base/diag.h:
generator/base/buf.h:
generator/base/buf.h:
generator/output/output.h:
generator/base/banned.h:
