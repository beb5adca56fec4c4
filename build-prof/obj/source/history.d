build-prof/obj/source/history.o: generator/source/history.c \
 generator/source/history.h generator/base/diag.h generator/base/buf.h \
 generator/source/repo.h generator/base/buf.h generator/base/htab.h \
 generator/source/redact.h generator/base/util.h generator/base/banned.h
generator/source/history.h:
generator/base/diag.h:
generator/base/buf.h:
generator/source/repo.h:
generator/base/buf.h:
generator/base/htab.h:
generator/source/redact.h:
generator/base/util.h:
generator/base/banned.h:
