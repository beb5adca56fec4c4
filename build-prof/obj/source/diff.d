build-prof/obj/source/diff.o: generator/source/diff.c \
 generator/source/diff.h generator/base/buf.h generator/base/util.h \
 generator/base/banned.h
generator/source/diff.h:
generator/base/buf.h:
generator/base/util.h:
generator/base/banned.h:
