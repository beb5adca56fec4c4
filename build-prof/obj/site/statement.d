build-prof/obj/site/statement.o: generator/site/statement.c \
 generator/site/statement.h generator/base/diag.h generator/base/buf.h \
 generator/site/page.h generator/hooks/hooks.h generator/base/buf.h \
 generator/base/value.h generator/model/model.h generator/output/output.h \
 generator/render/theme.h generator/render/mustache.h \
 generator/model/urls.h generator/base/util.h generator/base/banned.h
generator/site/statement.h:
generator/base/diag.h:
generator/base/buf.h:
generator/site/page.h:
generator/hooks/hooks.h:
generator/base/buf.h:
generator/base/value.h:
generator/model/model.h:
generator/output/output.h:
generator/render/theme.h:
generator/render/mustache.h:
generator/model/urls.h:
generator/base/util.h:
generator/base/banned.h:
