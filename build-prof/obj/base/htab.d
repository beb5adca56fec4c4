build-prof/obj/base/htab.o: generator/base/htab.c generator/base/htab.h \
 generator/base/util.h generator/base/banned.h
generator/base/htab.h:
generator/base/util.h:
generator/base/banned.h:
