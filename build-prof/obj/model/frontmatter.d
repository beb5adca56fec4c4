build-prof/obj/model/frontmatter.o: generator/model/frontmatter.c \
 generator/model/frontmatter.h generator/base/diag.h generator/base/buf.h \
 generator/base/value.h generator/base/buf.h generator/base/util.h \
 generator/base/banned.h
generator/model/frontmatter.h:
generator/base/diag.h:
generator/base/buf.h:
generator/base/value.h:
generator/base/buf.h:
generator/base/util.h:
generator/base/banned.h:
