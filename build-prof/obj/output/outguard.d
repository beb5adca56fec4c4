build-prof/obj/output/outguard.o: generator/output/outguard.c \
 generator/output/outguard.h generator/base/diag.h generator/base/buf.h \
 generator/base/buf.h generator/model/urls.h generator/base/util.h \
 generator/base/banned.h
generator/output/outguard.h:
generator/base/diag.h:
generator/base/buf.h:
generator/base/buf.h:
generator/model/urls.h:
generator/base/util.h:
generator/base/banned.h:
