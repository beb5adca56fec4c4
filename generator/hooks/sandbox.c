/*
 * The allocator and its cap, the instruction budget and the watchdog, error objects, the sandbox's base functions (see hooks_impl.h).
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "hooks_impl.h"
#include "urlcheck.h"
#include "util.h"

#include "banned.h"

/*
 * Records where the hook was when the cap refused memory. Lua raises
 * "not enough memory" without calling the message handler (it may have no
 * memory to run it), so this is the only chance to say where it happened.
 * lua_getstack and lua_getinfo("Sl") only read the call stack: they do not
 * allocate, which makes them safe to call from inside the allocator.
 */
static void capture_where(hooks *h)
{
	lua_State *L = h->L;
	lua_Debug ar;
	size_t len = 0;
	h->mem_pos[0] = h->mem_trace[0] = '\0';
	if (!L || !h->in_call)
		return;
	for (int level = 0; level < 12 && lua_getstack(L, level, &ar); level++) {
		if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0)
			continue;
		if (!h->mem_pos[0])
			snprintf(h->mem_pos, sizeof h->mem_pos, "%s:%d", ar.short_src,
				ar.currentline);
		int n = snprintf(h->mem_trace + len, sizeof h->mem_trace - len,
			"%s%s:%d: in function <%s:%d>", len ? "\n\t" : "", ar.short_src,
			ar.currentline, ar.short_src, ar.linedefined);
		if (n < 0 || (size_t)n >= sizeof h->mem_trace - len)
			break;
		len += (size_t)n;
	}
}

void *hk_sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	hooks *h = ud;
	if (!ptr)
		osize = 0;  /* then osize only says what kind of object Lua allocates */
	if (nsize == 0) {
		free(ptr);
		h->used -= osize;
		return NULL;
	}
	if (nsize > osize && h->limited) {
		size_t limit = h->base + h->cap + (h->mem_hit ? ERROR_HEADROOM : 0);
		if (nsize > limit || h->used - osize + nsize > limit) {
			if (!h->mem_hit) {
				h->mem_hit = 1;
				capture_where(h);
			}
			return NULL;
		}
	}
	void *p = realloc(ptr, nsize);
	if (p) {
		h->used = h->used - osize + nsize;
		/* Only growth: what is freed meanwhile is mostly garbage the collector
		 * found, not the shared data being built. (Also the old part of a table
		 * that grows, p2d's: base may so exceed the model's bytes by up to the
		 * size of p2d, a cap looser by that much, never tighter.) */
		if (h->counting && nsize > osize)
			h->counted += nsize - osize;
	}
	return p;
}

int hk_on_panic(lua_State *L)
{
	/* Only reachable when the machine itself is out of memory outside a call. */
	fprintf(stderr, "avoin: lua: %s\n", lua_tostring(L, -1) ? lua_tostring(L, -1) : "panic");
	abort();
}

long long hk_now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

void hk_count_hook(lua_State *L, lua_Debug *ar)
{
	hooks *h = self(L);
	(void)ar;
	h->steps += COUNT_STEP;
	if (!h->budget_hit && !h->time_hit) {
		if (h->steps > h->instr_limit)
			h->budget_hit = 1;
		else if (hk_now_ns() > atomic_load_explicit(&h->deadline_ns, memory_order_relaxed))
			h->time_hit = 1;
		else
			return;
	}
	/* From now on every instruction fails, so a hook that catches the error
	 * (or runs a __close handler) cannot keep going. */
	lua_sethook(L, hk_count_hook, LUA_MASKCOUNT, 1);
	lua_Debug here;
	if (lua_getstack(L, 0, &here) && lua_getinfo(L, "Sl", &here) && here.currentline > 0)
		lua_pushfstring(L, "%s:%d: ", here.short_src, here.currentline);
	else
		lua_pushliteral(L, "");
	if (h->budget_hit)
		lua_pushfstring(L, "instruction budget of %I exceeded "
			"(raise hooks.instructions in site.yaml if the hook needs more)",
			(lua_Integer)h->instr_limit);
	else
		lua_pushfstring(L, "time limit of %d s exceeded (raise hooks.seconds in site.yaml "
			"if the hook needs more)", h->seconds);
	lua_concat(L, 2);
	lua_error(L);
}

/*
 * The watchdog: a call stuck in one library function (string.gsub with a
 * pattern that backtracks over a long text) runs no instruction, so the count
 * hook never sees its time run out. A thread looks at every Lua state ten
 * times a second; a call still running a second after its deadline has no
 * way back, and the process stops here with the record's file and line. Hooks
 * run before anything is put in place (output.h), so the previous site stays
 * as it was; the next build removes the staging folder. This is the one place
 * where library code prints: there is no caller left to print for it.
 */
#define WATCH_GRACE_NS 1000000000LL
static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static hooks **watched;
static size_t n_watched, cap_watched;
static pid_t watch_pid;       /* the process whose watchdog runs (a child of fork() has none) */

static void stuck(hooks *h)
{
	char msg[1024];
	int n = snprintf(msg, sizeof msg, "%s:%d: hook '%s' failed: time limit of %d s exceeded "
		"inside a library function such as string.gsub or string.find (a pattern that "
		"backtracks over a long text?); the build stopped\navoin: the previous output was "
		"left untouched\n", h->call_file ? h->call_file : "(hook)", h->call_line,
		h->call_hook ? h->call_hook : "?", h->seconds);
	if (n > 0)
		fputs(msg, stderr);
	fflush(stderr);
	_exit(1);
}

static void *watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		struct timespec pause = { 0, 100000000 };
		nanosleep(&pause, NULL);
		pthread_mutex_lock(&watch_lock);
		long long now = hk_now_ns();
		for (size_t i = 0; i < n_watched; i++) {
			hooks *h = watched[i];
			unsigned long seq = atomic_load(&h->call_seq);
			if ((seq & 1) && now > atomic_load(&h->deadline_ns) + WATCH_GRACE_NS &&
					atomic_load(&h->call_seq) == seq)
				stuck(h);
		}
		pthread_mutex_unlock(&watch_lock);
	}
	return NULL;
}

void hk_watch(hooks *h)
{
	pthread_mutex_lock(&watch_lock);
	if (watch_pid != getpid()) {
		pthread_t t;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&t, &attr, watchdog, NULL) == 0)
			watch_pid = getpid();
		pthread_attr_destroy(&attr);
	}
	watched = xgrow(watched, sizeof *watched, n_watched + 1, &cap_watched);
	watched[n_watched++] = h;
	pthread_mutex_unlock(&watch_lock);
}

void hk_unwatch(hooks *h)
{
	pthread_mutex_lock(&watch_lock);
	for (size_t i = 0; i < n_watched; i++)
		if (watched[i] == h) {
			watched[i] = watched[--n_watched];
			break;
		}
	if (n_watched == 0) {
		free(watched);
		watched = NULL;
		cap_watched = 0;
	}
	pthread_mutex_unlock(&watch_lock);
}

/*
 * Errors that need no traceback are tables {message, is_data} with a private
 * metatable: avoin.error() for bad data (reported against the record), and
 * the sandbox's own checks of what a hook returned.
 */
int hk_is_err_obj(lua_State *L, int idx)
{
	hooks *h = self(L);
	if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
		return 0;
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->err_mt_ref);
	int r = lua_rawequal(L, -1, -2);
	lua_pop(L, 2);
	return r;
}

int hk_raise_obj(lua_State *L, int is_data)
{
	/* message on top */
	hooks *h = self(L);
	lua_createtable(L, 2, 0);
	lua_insert(L, -2);
	lua_rawseti(L, -2, 1);
	lua_pushboolean(L, is_data);
	lua_rawseti(L, -2, 2);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->err_mt_ref);
	lua_setmetatable(L, -2);
	return lua_error(L);
}

int hk_raise_plain(lua_State *L, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lua_pushvfstring(L, fmt, ap);
	va_end(ap);
	return hk_raise_obj(L, 0);
}

static int err_tostring(lua_State *L)
{
	lua_rawgeti(L, 1, 1);
	return 1;
}

int hk_msg_handler(lua_State *L)
{
	if (hk_is_err_obj(L, 1))
		return 1;
	const char *msg = lua_tostring(L, 1);
	if (!msg) {
		if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
			msg = lua_tostring(L, -1);
		else
			msg = lua_pushfstring(L, "(error object is a %s value)",
				luaL_typename(L, 1));
	}
	luaL_traceback(L, L, msg, 1);
	return 1;
}

typedef struct key_ent {
	int rank;               /* 0 number, 1 string, 2 boolean */
	int isint;
	lua_Integer i;
	lua_Number d;
	const char *s;
	size_t len;
	lua_Integer slot;       /* where the key is in the unsorted key table */
} key_ent;

static int key_cmp(const void *pa, const void *pb)
{
	const key_ent *a = pa, *b = pb;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if (a->rank == 0) {
		if (a->isint && b->isint)
			return a->i < b->i ? -1 : a->i > b->i;
		lua_Number x = a->isint ? (lua_Number)a->i : a->d;
		lua_Number y = b->isint ? (lua_Number)b->i : b->d;
		if (x != y)
			return x < y ? -1 : 1;
		return b->isint - a->isint;
	}
	if (a->rank == 1) {
		size_t n = a->len < b->len ? a->len : b->len;
		int c = memcmp(a->s, b->s, n);
		if (c)
			return c;
		return a->len < b->len ? -1 : a->len > b->len;
	}
	return (int)a->i - (int)b->i;
}

static int sorted_next(lua_State *L)
{
	/* upvalues: sorted keys, position; argument 1: the table */
	lua_Integer pos = lua_tointeger(L, lua_upvalueindex(2));
	lua_Integer n = (lua_Integer)lua_rawlen(L, lua_upvalueindex(1));
	while (++pos <= n) {
		lua_rawgeti(L, lua_upvalueindex(1), pos);
		lua_pushvalue(L, -1);
		lua_rawget(L, 1);
		if (!lua_isnil(L, -1)) {
			lua_pushinteger(L, pos);
			lua_replace(L, lua_upvalueindex(2));
			return 2;
		}
		lua_pop(L, 2);  /* removed during the traversal: skip it */
	}
	lua_pushinteger(L, pos);
	lua_replace(L, lua_upvalueindex(2));
	return 0;
}

int hk_push_sorted_pairs(lua_State *L, int t)
{
	t = lua_absindex(L, t);
	lua_Integer n = 0;
	lua_pushnil(L);
	while (lua_next(L, t)) {
		lua_pop(L, 1);
		n++;
	}
	/* A userdata, so that the collector frees it if a key of the wrong type raises. */
	key_ent *ents = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *ents, 0);
	lua_createtable(L, (int)n, 0);
	int keys_idx = lua_gettop(L);
	lua_Integer j = 0;
	lua_pushnil(L);
	while (lua_next(L, t)) {
		lua_pop(L, 1);
		key_ent *e = &ents[j];
		memset(e, 0, sizeof *e);
		e->slot = j + 1;
		switch (lua_type(L, -1)) {
		case LUA_TNUMBER:
			e->rank = 0;
			e->isint = lua_isinteger(L, -1);
			if (e->isint)
				e->i = lua_tointeger(L, -1);
			else
				e->d = lua_tonumber(L, -1);
			break;
		case LUA_TSTRING:
			e->rank = 1;
			e->s = lua_tolstring(L, -1, &e->len);
			break;
		case LUA_TBOOLEAN:
			e->rank = 2;
			e->i = lua_toboolean(L, -1);
			break;
		default:
			return luaL_error(L, "pairs: keys of type '%s' have no fixed order "
				"(hooks must give the same output every time); use string or "
				"number keys", luaL_typename(L, -1));
		}
		lua_pushvalue(L, -1);
		lua_rawseti(L, keys_idx, ++j);
	}
	qsort(ents, (size_t)n, sizeof *ents, key_cmp);
	lua_createtable(L, (int)n, 0);
	for (lua_Integer i = 0; i < n; i++) {
		lua_rawgeti(L, keys_idx, ents[i].slot);
		lua_rawseti(L, -2, i + 1);
	}
	lua_pushinteger(L, 0);
	lua_pushcclosure(L, sorted_next, 2);
	lua_pushvalue(L, t);
	lua_pushnil(L);
	return 3;
}

static int sb_pairs(lua_State *L)
{
	luaL_checkany(L, 1);
	if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
		lua_pushvalue(L, 1);
		lua_call(L, 1, 3);
		return 3;
	}
	luaL_checktype(L, 1, LUA_TTABLE);
	return hk_push_sorted_pairs(L, 1);
}

/* A caught budget or memory error would let a hook go on forever: pass them on. */
static int must_rethrow(lua_State *L, int status)
{
	hooks *h = self(L);
	return status != LUA_OK && (h->budget_hit || h->mem_hit || status == LUA_ERRMEM);
}

static int sb_pcall(lua_State *L)
{
	luaL_checkany(L, 1);
	int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
	if (must_rethrow(L, status))
		return lua_error(L);
	lua_pushboolean(L, status == LUA_OK);
	lua_insert(L, 1);
	return lua_gettop(L);
}

/*
 * The message handler of xpcall, guarded. An error raised by the count hook
 * reaches the handler while Lua still has hooks switched off, so a handler
 * that loops would never be stopped: after the budget or the cap ran out
 * the hook author's handler is not called at all.
 */
static int guarded_msgh(lua_State *L)
{
	hooks *h = self(L);
	if (h->budget_hit || h->mem_hit)
		return 1;
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

static int sb_xpcall(lua_State *L)
{
	int n = lua_gettop(L);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	lua_pushcclosure(L, guarded_msgh, 1);
	lua_replace(L, 1);
	lua_replace(L, 2);   /* msgh, f, args... */
	int status = lua_pcall(L, n - 2, LUA_MULTRET, 1);
	if (must_rethrow(L, status))
		return lua_error(L);
	lua_pushboolean(L, status == LUA_OK);
	lua_replace(L, 1);
	return lua_gettop(L);
}

static int sb_setmetatable(lua_State *L)
{
	int t = lua_type(L, 2);
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
	if (t == LUA_TTABLE) {
		static const char *const banned[] = { "__gc", "__mode" };
		for (size_t i = 0; i < sizeof banned / sizeof *banned; i++) {
			lua_pushstring(L, banned[i]);
			if (lua_rawget(L, 2) != LUA_TNIL)
				return luaL_error(L, "'%s' is not available in hooks: what it "
					"does depends on when the garbage collector runs, and "
					"builds must not", banned[i]);
			lua_pop(L, 1);
		}
	}
	if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
		return luaL_error(L, "cannot change a protected metatable");
	lua_settop(L, 2);
	lua_setmetatable(L, 1);
	return 1;
}

/* rawget and rawlen see a tracked proxy as the table it stands for (and the read is noted). */
static int sb_rawget(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkany(L, 2);
	lua_settop(L, 2);
	lua_pushvalue(L, 2);
	lua_rawget(L, 1);
	if (!lua_isnil(L, -1) || !hk_tracked_data(L, 1))
		return 1;
	lua_settop(L, 2);
	return hk_trk_index(L);
}

static int sb_rawlen(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TTABLE && hk_tracked_data(L, 1)) {
		lua_settop(L, 1);
		return hk_trk_len(L);
	}
	luaL_argexpected(L, lua_type(L, 1) == LUA_TTABLE || lua_type(L, 1) == LUA_TSTRING, 1,
		"table or string");
	lua_pushinteger(L, (lua_Integer)lua_rawlen(L, 1));
	return 1;
}

static int sb_rawset(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkany(L, 2);
	luaL_checkany(L, 3);
	if (hk_is_ro(L, 1))
		return hk_ro_newindex(L);
	lua_settop(L, 3);
	lua_rawset(L, 1);
	return 1;
}

/* Like tostring, without the addresses that would differ from build to build. */
static int sb_tostring(lua_State *L)
{
	luaL_checkany(L, 1);
	int t = lua_type(L, 1);
	if (t == LUA_TTABLE || t == LUA_TUSERDATA) {
		if (luaL_getmetafield(L, 1, "__tostring") != LUA_TNIL) {
			lua_pop(L, 1);
			luaL_tolstring(L, 1, NULL);
			return 1;
		}
		lua_pushstring(L, lua_typename(L, t));
		return 1;
	}
	if (t == LUA_TFUNCTION || t == LUA_TTHREAD || t == LUA_TLIGHTUSERDATA) {
		lua_pushstring(L, lua_typename(L, t));
		return 1;
	}
	luaL_tolstring(L, 1, NULL);
	return 1;
}

/* string.format without %p, and %s of a table or function gives its type name. */
static int sb_format(lua_State *L)
{
	size_t len;
	const char *f = luaL_checklstring(L, 1, &len);
	int arg = 1;
	for (size_t i = 0; i < len; i++) {
		if (f[i] != '%')
			continue;
		if (++i < len && f[i] == '%')
			continue;
		while (i < len && strchr("-+ #0123456789.", f[i]))
			i++;
		if (i >= len)
			break;
		arg++;
		if (f[i] == 'p')
			return luaL_error(L, "string.format: '%%p' is not available in hooks "
				"(addresses differ from build to build)");
		if (f[i] == 's' && arg <= lua_gettop(L)) {
			int t = lua_type(L, arg);
			int addr = t == LUA_TFUNCTION || t == LUA_TTHREAD ||
				t == LUA_TLIGHTUSERDATA;
			if (t == LUA_TTABLE || t == LUA_TUSERDATA) {
				addr = luaL_getmetafield(L, arg, "__tostring") == LUA_TNIL;
				if (!addr)
					lua_pop(L, 1);
			}
			if (addr) {
				lua_pushstring(L, lua_typename(L, t));
				lua_replace(L, arg);
			}
		}
	}
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

/* table.sort as a stable merge sort: the same order every time, even for equal keys. */
static int sort_less(lua_State *L, int cmp, int a, int b)
{
	if (!cmp)
		return lua_compare(L, a, b, LUA_OPLT);
	lua_pushvalue(L, cmp);
	lua_pushvalue(L, a);
	lua_pushvalue(L, b);
	lua_call(L, 2, 1);
	int r = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return r;
}

static int sb_sort(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_Integer n = luaL_len(L, 1);
	int cmp = 0;
	if (!lua_isnoneornil(L, 2)) {
		luaL_checktype(L, 2, LUA_TFUNCTION);
		cmp = 2;
	}
	if (n < 2)
		return 0;
	luaL_argcheck(L, n < INT32_MAX, 1, "array too big");
	lua_settop(L, 2);
	lua_createtable(L, (int)n, 0);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, 1, i);
		lua_rawseti(L, 3, i);
	}
	lua_createtable(L, (int)n, 0);
	int src = 3, dst = 4;
	for (lua_Integer width = 1; width < n; width *= 2) {
		for (lua_Integer lo = 1; lo <= n; lo += 2 * width) {
			lua_Integer mid = lo + width <= n + 1 ? lo + width : n + 1;
			lua_Integer hi = lo + 2 * width <= n + 1 ? lo + 2 * width : n + 1;
			lua_Integer i = lo, j = mid, k = lo;
			while (i < mid && j < hi) {
				lua_rawgeti(L, src, i);
				lua_rawgeti(L, src, j);
				int top = lua_gettop(L);
				if (sort_less(L, cmp, top, top - 1)) {
					lua_rawseti(L, dst, k++);
					lua_pop(L, 1);
					j++;
				} else {
					lua_pop(L, 1);
					lua_rawseti(L, dst, k++);
					i++;
				}
			}
			while (i < mid) {
				lua_rawgeti(L, src, i++);
				lua_rawseti(L, dst, k++);
			}
			while (j < hi) {
				lua_rawgeti(L, src, j++);
				lua_rawseti(L, dst, k++);
			}
		}
		int t = src;
		src = dst;
		dst = t;
	}
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, src, i);
		lua_seti(L, 1, i);
	}
	return 0;
}

static const char *const base_allowed[] = {
	"assert", "error", "getmetatable", "ipairs", "rawequal", "rawget", "rawlen", "select",
	"tonumber", "type", "_VERSION",
};

/*
 * What hooks get of each standard library, as Lua's linit.c lists what it
 * opens: a name not listed here (a function a later Lua adds) is not
 * offered. Left out: string.dump (bytecode), math.random and randomseed
 * (chance); string.format and table.sort are the sandbox's own (sb_format,
 * sb_sort); io, os, debug, package, coroutine and load* are not offered at all.
 */
static const char *const string_allowed[] = {
	"byte", "char", "find", "gmatch", "gsub", "len", "lower", "match", "pack", "packsize",
	"rep", "reverse", "sub", "unpack", "upper", NULL,
};
static const char *const table_allowed[] = {
	"concat", "insert", "move", "pack", "remove", "unpack", NULL,
};
static const char *const math_allowed[] = {
	"abs", "acos", "asin", "atan", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log",
	"max", "maxinteger", "min", "mininteger", "modf", "pi", "rad", "sin", "sqrt", "tan",
	"tointeger", "type", "ult", NULL,
};
static const char *const utf8_allowed[] = {
	"char", "charpattern", "codepoint", "codes", "len", "offset", NULL,
};

/* A new table of the names in allowed (NULL-terminated) from lib (on top), in place of lib. */
static void pick_lib(lua_State *L, const char *const *allowed)
{
	int lib = lua_gettop(L);
	lua_newtable(L);
	for (size_t i = 0; allowed[i]; i++) {
		lua_getfield(L, lib, allowed[i]);
		lua_setfield(L, lib + 1, allowed[i]);
	}
	lua_remove(L, lib);
}

/* A new table with weak keys, held in the registry: its reference. */
static int weak_keys_ref(lua_State *L)
{
	lua_newtable(L);
	lua_createtable(L, 0, 1);
	lua_pushliteral(L, "k");
	lua_setfield(L, -2, "__mode");
	lua_setmetatable(L, -2);
	return luaL_ref(L, LUA_REGISTRYINDEX);
}

void hk_build_sandbox(hooks *h)
{
	lua_State *L = h->L;
	luaL_requiref(L, "_G", luaopen_base, 0);
	lua_pop(L, 1);

	/* Weak keys: when a site model is replaced, its proxies and data can be collected. */
	h->p2d_ref = weak_keys_ref(L);
	/* avoin.where's indexes, per list data, also weak: they go with the model */
	h->where_ref = weak_keys_ref(L);

	lua_createtable(L, 0, 5);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->p2d_ref);
	lua_pushcclosure(L, hk_ro_index, 1);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, hk_ro_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->p2d_ref);
	lua_pushcclosure(L, hk_ro_len, 1);
	lua_setfield(L, -2, "__len");
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->p2d_ref);
	lua_pushcclosure(L, hk_ro_pairs, 1);
	lua_setfield(L, -2, "__pairs");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	h->ro_mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);

	lua_createtable(L, 0, 3);
	lua_pushliteral(L, "element");
	lua_setfield(L, -2, "__metatable");
	lua_pushcfunction(L, hk_el_frozen);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, hk_el_frozen);
	lua_setfield(L, -2, "__newindex");
	h->el_mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);

	h->trk_ref = weak_keys_ref(L);
	lua_createtable(L, 0, 5);
	lua_pushcfunction(L, hk_trk_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, hk_trk_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushcfunction(L, hk_trk_len);
	lua_setfield(L, -2, "__len");
	lua_pushcfunction(L, hk_trk_pairs);
	lua_setfield(L, -2, "__pairs");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	h->trk_mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);

	lua_createtable(L, 0, 2);
	lua_pushcfunction(L, err_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	h->err_mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);

	lua_newtable(L);
	int env = lua_gettop(L);
	lua_pushglobaltable(L);
	for (size_t i = 0; i < sizeof base_allowed / sizeof *base_allowed; i++) {
		lua_getfield(L, -1, base_allowed[i]);
		lua_setfield(L, env, base_allowed[i]);
	}
	lua_pop(L, 1);
	static const luaL_Reg own[] = {
		{ "pairs", sb_pairs }, { "pcall", sb_pcall }, { "xpcall", sb_xpcall },
		{ "rawget", sb_rawget }, { "rawlen", sb_rawlen },
		{ "rawset", sb_rawset }, { "setmetatable", sb_setmetatable },
		{ "tostring", sb_tostring },
		{ NULL, NULL },
	};
	luaL_setfuncs(L, own, 0);

	luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 0);
	lua_getfield(L, -1, "format");
	int real_format = lua_gettop(L);
	lua_pushvalue(L, -2);
	pick_lib(L, string_allowed);
	lua_pushvalue(L, real_format);
	lua_pushcclosure(L, sb_format, 1);
	lua_setfield(L, -2, "format");
	hk_make_ro(L, h);
	/* Methods on strings ("x"):rep() go through the string metatable: point it at the proxy. */
	lua_pushliteral(L, "");
	lua_getmetatable(L, -1);
	lua_pushvalue(L, -3);
	lua_setfield(L, -2, "__index");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 2);
	lua_setfield(L, env, "string");
	lua_pop(L, 2);

	luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 0);
	pick_lib(L, table_allowed);
	lua_pushcfunction(L, sb_sort);
	lua_setfield(L, -2, "sort");
	hk_make_ro(L, h);
	lua_setfield(L, env, "table");

	luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 0);
	pick_lib(L, math_allowed);
	hk_make_ro(L, h);
	lua_setfield(L, env, "math");

	luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 0);
	pick_lib(L, utf8_allowed);
	hk_make_ro(L, h);
	lua_setfield(L, env, "utf8");

	hk_push_avoin(L);
	hk_make_ro(L, h);
	lua_setfield(L, env, "avoin");

	h->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);

	lua_newtable(L);
	hk_make_ro(L, h);
	h->empty_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_settop(L, 0);
}
