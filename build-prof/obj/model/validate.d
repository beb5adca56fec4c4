build-prof/obj/model/validate.o: generator/model/validate.c \
 generator/model/model_impl.h generator/base/buf.h generator/base/diag.h \
 generator/base/buf.h generator/model/frontmatter.h \
 generator/base/value.h generator/model/model.h generator/base/urlcheck.h \
 generator/model/urls.h generator/base/util.h generator/base/banned.h
generator/model/model_impl.h:
generator/base/buf.h:
generator/base/diag.h:
generator/base/buf.h:
generator/model/frontmatter.h:
generator/base/value.h:
generator/model/model.h:
generator/base/urlcheck.h:
generator/model/urls.h:
generator/base/util.h:
generator/base/banned.h:
