build-prof/obj/hooks/hookdata.o: generator/hooks/hookdata.c \
 generator/hooks/hooks_impl.h /usr/include/lua5.4/lauxlib.h \
 /usr/include/lua5.4/luaconf.h /usr/include/lua5.4/lua.h \
 /usr/include/lua5.4/lua.h /usr/include/lua5.4/lualib.h \
 generator/hooks/blockmemo.h generator/base/buf.h generator/base/cache.h \
 generator/base/buf.h generator/base/diag.h generator/hooks/hooks.h \
 generator/base/diag.h generator/base/value.h generator/base/urlcheck.h \
 generator/base/util.h generator/base/banned.h
generator/hooks/hooks_impl.h:
/usr/include/lua5.4/lauxlib.h:
/usr/include/lua5.4/luaconf.h:
/usr/include/lua5.4/lua.h:
/usr/include/lua5.4/lua.h:
/usr/include/lua5.4/lualib.h:
generator/hooks/blockmemo.h:
generator/base/buf.h:
generator/base/cache.h:
generator/base/buf.h:
generator/base/diag.h:
generator/hooks/hooks.h:
generator/base/diag.h:
generator/base/value.h:
generator/base/urlcheck.h:
generator/base/util.h:
generator/base/banned.h:
