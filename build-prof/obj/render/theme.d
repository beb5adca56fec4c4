build-prof/obj/render/theme.o: generator/render/theme.c \
 generator/render/theme.h generator/base/diag.h generator/base/buf.h \
 generator/hooks/hooks.h generator/base/buf.h generator/base/value.h \
 generator/model/model.h generator/render/mustache.h \
 generator/model/frontmatter.h generator/base/util.h \
 generator/base/banned.h
generator/render/theme.h:
generator/base/diag.h:
generator/base/buf.h:
generator/hooks/hooks.h:
generator/base/buf.h:
generator/base/value.h:
generator/model/model.h:
generator/render/mustache.h:
generator/model/frontmatter.h:
generator/base/util.h:
generator/base/banned.h:
