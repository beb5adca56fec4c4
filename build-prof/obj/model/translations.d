build-prof/obj/model/translations.o: generator/model/translations.c \
 generator/model/model_impl.h generator/base/buf.h generator/base/diag.h \
 generator/base/buf.h generator/model/frontmatter.h \
 generator/base/value.h generator/model/model.h generator/base/util.h \
 generator/base/banned.h
generator/model/model_impl.h:
generator/base/buf.h:
generator/base/diag.h:
generator/base/buf.h:
generator/model/frontmatter.h:
generator/base/value.h:
generator/model/model.h:
generator/base/util.h:
generator/base/banned.h:
