build-prof/obj/model/urls.o: generator/model/urls.c \
 generator/model/urls.h generator/base/buf.h generator/base/util.h \
 generator/base/banned.h
generator/model/urls.h:
generator/base/buf.h:
generator/base/util.h:
generator/base/banned.h:
