build-prof/obj/model/resolve.o: generator/model/resolve.c \
 generator/model/model.h generator/base/buf.h generator/base/diag.h \
 generator/base/buf.h generator/base/value.h generator/model/urls.h \
 generator/base/util.h generator/base/banned.h
generator/model/model.h:
generator/base/buf.h:
generator/base/diag.h:
generator/base/buf.h:
generator/base/value.h:
generator/model/urls.h:
generator/base/util.h:
generator/base/banned.h:
