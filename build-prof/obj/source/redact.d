build-prof/obj/source/redact.o: generator/source/redact.c \
 generator/source/redact.h generator/base/buf.h generator/base/banned.h
generator/source/redact.h:
generator/base/buf.h:
generator/base/banned.h:
