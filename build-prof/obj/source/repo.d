build-prof/obj/source/repo.o: generator/source/repo.c \
 generator/source/repo.h generator/base/buf.h generator/base/diag.h \
 generator/base/buf.h generator/base/util.h generator/base/banned.h
generator/source/repo.h:
generator/base/buf.h:
generator/base/diag.h:
generator/base/buf.h:
generator/base/util.h:
generator/base/banned.h:
