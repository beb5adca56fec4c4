build-prof/obj/base/urlcheck.o: generator/base/urlcheck.c \
 generator/base/urlcheck.h generator/base/banned.h
generator/base/urlcheck.h:
generator/base/banned.h:
