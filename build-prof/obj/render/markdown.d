build-prof/obj/render/markdown.o: generator/render/markdown.c \
 generator/render/markdown.h generator/base/buf.h generator/base/diag.h \
 generator/base/buf.h generator/hooks/hooks.h generator/base/value.h \
 generator/model/model.h generator/base/htab.h generator/base/urlcheck.h \
 generator/model/urls.h generator/base/util.h generator/base/banned.h
generator/render/markdown.h:
generator/base/buf.h:
generator/base/diag.h:
generator/base/buf.h:
generator/hooks/hooks.h:
generator/base/value.h:
generator/model/model.h:
generator/base/htab.h:
generator/base/urlcheck.h:
generator/model/urls.h:
generator/base/util.h:
generator/base/banned.h:
