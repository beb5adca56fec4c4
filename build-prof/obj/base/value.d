build-prof/obj/base/value.o: generator/base/value.c \
 generator/base/value.h generator/base/buf.h generator/base/htab.h \
 generator/base/util.h generator/base/banned.h
generator/base/value.h:
generator/base/buf.h:
generator/base/htab.h:
generator/base/util.h:
generator/base/banned.h:
