build-prof/obj/base/util.o: generator/base/util.c generator/base/util.h \
 generator/base/banned.h
generator/base/util.h:
generator/base/banned.h:
