build-prof/obj/base/buf.o: generator/base/buf.c generator/base/buf.h \
 generator/base/util.h generator/base/banned.h
generator/base/buf.h:
generator/base/util.h:
generator/base/banned.h:
