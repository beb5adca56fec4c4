/*
 * Lua hooks in a sandbox (the contract is in hooks.h).
 *
 * One lua_State per hooks object. The state's own allocator counts every
 * byte (Lua reports the old size of each block, so the count is exact) and
 * refuses to grow past the cap; a count hook stops a call after its
 * instruction budget. Hooks never see the real global table: each call gets
 * a fresh environment copied from an allow list, and the hook's chunk is
 * run again in it, so nothing a hook stores in a global or an upvalue
 * survives into the next call (with several worker threads, anything that
 * did would make the output depend on which thread built which page).
 *
 * What is shared between calls is read-only: the standard library tables,
 * the `avoin` helper table and the site model are proxies (empty tables
 * whose metatable reads from a hidden data table, refuses writes and is
 * locked), and rawset refuses them. The record, the block and the page are
 * converted afresh for every call, so a hook may scribble on them freely.
 *
 * Builds must be byte-identical, and Lua has three sources of chance that
 * a hook could leak into its output: table traversal order (string hashes
 * are seeded from the clock and addresses), addresses in tostring() and
 * string.format("%p"), and table.sort's randomised pivot. So `next` is not
 * offered, `pairs` walks keys in a fixed order (numbers ascending, then
 * strings bytewise, then false, true), tostring() of a table or function is
 * just its type name, and table.sort is a stable merge sort. math.random,
 * finalizers (__gc) and weak tables (__mode) are not available either:
 * their results depend on time or on when the collector runs.
 *
 * HTML that a block hook returns goes through one checker: an element tree
 * (avoin.el) is serialised with every text and attribute value escaped, a
 * string is parsed and written out again; both allow only the tags and
 * attributes listed below and drop link targets whose scheme is not http,
 * https or mailto. A hook cannot put a script, an event handler or a
 * javascript: link on a page, however it builds its HTML.
 */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "hooks.h"
#include "blockmemo.h"
#include "urlcheck.h"
#include "util.h"

#include "banned.h"

#define DEFAULT_MEMORY ((size_t)64 << 20)
#define DEFAULT_INSTRUCTIONS 50000000L
#define DEFAULT_SECONDS 10
#define COUNT_STEP 1000                        /* instructions between budget checks */
#define ERROR_HEADROOM ((size_t)1 << 20)        /* lets the error path run after the cap */
#define MAX_DEPTH 200                          /* data and element trees */
#define MAX_ATTRS 64                           /* attributes of one element */
#define MAX_PAGE_VALUES 1000000                /* values in the page data of one call */
#define SHORT_STRING 40                        /* Lua interns strings up to this length */

typedef struct hook_ent {
	char *name;
	char *file;
	int ref;            /* the compiled chunk, in the registry */
	int not_block;      /* summary or page-data hook: fenced blocks never call it */
} hook_ent;

struct hooks {
	lua_State *L;
	hook_ent *ents;
	size_t n, cap_ents;
	/* memory */
	size_t used;        /* bytes the state holds now */
	size_t base;        /* bytes of the sandbox and the converted site model */
	size_t cap;         /* bytes a call may add on top of base */
	int limited;        /* 0 while the generator itself builds shared data */
	int counting;       /* 1 while it does: what is allocated goes to base (shared_begin) */
	size_t counted;     /* bytes allocated since shared_begin() */
	int mem_hit;        /* the cap refused an allocation during this call */
	char mem_pos[256];  /* where: "file:line" of the innermost Lua frame */
	char mem_trace[1024];
	/* instructions */
	long instr_limit;
	long steps;
	int budget_hit;
	/* wall-clock time: the count hook checks it; the watchdog reads the atomics */
	int seconds;
	int time_hit;
	atomic_ulong call_seq;      /* odd while a call runs */
	atomic_llong deadline_ns;   /* of the call in progress (CLOCK_MONOTONIC) */
	const char *call_file;      /* the record and line the call runs for, the hook's name */
	int call_line;
	const char *call_hook;
	/* registry references */
	int p2d_ref;        /* proxy -> data table, or the model's value not converted yet */
	int ro_mt_ref;      /* the metatable of every read-only proxy */
	int el_mt_ref;      /* the metatable of elements made by avoin.el */
	int err_mt_ref;     /* the metatable of error objects made by the sandbox */
	int env_ref;        /* the allow list: copied into each call's environment */
	int empty_ref;      /* an empty read-only table, the site when there is none */
	int site_ref;
	const void *site_ptr; /* the root proxy's address (lua_topointer): a cheap identity test */
	value *site_src;    /* the tree site_ref stands for (a reference is held) */
	int site_loaded;    /* site_ref points at the model (on the first read: load_site) */
	int where_ref;      /* avoin.where's indexes: list proxy -> key -> value -> items (weak) */
	int site_used;      /* the current call read the site model */
	unsigned long site_calls;  /* calls so far that read it (hooks_site_reads) */
	unsigned long site_tables; /* the model's maps and lists converted (hooks_site_converted) */
	size_t site_bytes;  /* bytes of base that go with the model: its levels, where's indexes */
	/* block calls remembered (blockmemo.h): what a call read besides its text and attributes */
	blockmemo *memo;
	size_t memo_worker;
	const char *model_hash;    /* stands for the site model when a call read it; "" none */
	int tracking;              /* the call's record and block are read-tracked proxies */
	int untrackable;           /* it read something the memo cannot name: not remembered */
	buf reads;                 /* "r:key", "r:*", "b:line", "f:path" lines, as read */
	int trk_ref;               /* registry: proxy -> its data table (weak keys) */
	int trk_mt_ref;            /* the metatable of every tracked proxy */
	/* the call in progress */
	int in_call;
	const hook_ctx *cx;
	buf scratch;        /* HTML being serialised; owned here so a Lua error cannot leak it */
	buf path;           /* avoin.read's path, likewise */
	buf value_buf;      /* the element avoin.el is making, likewise */
};

static hooks *self(lua_State *L)
{
	return *(hooks **)lua_getextraspace(L);
}

/* ---- memory cap and instruction budget ---------------------------------- */

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

static void *sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
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

static int on_panic(lua_State *L)
{
	/* Only reachable when the machine itself is out of memory outside a call. */
	fprintf(stderr, "avoin: lua: %s\n", lua_tostring(L, -1) ? lua_tostring(L, -1) : "panic");
	abort();
}

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void count_hook(lua_State *L, lua_Debug *ar)
{
	hooks *h = self(L);
	(void)ar;
	h->steps += COUNT_STEP;
	if (!h->budget_hit && !h->time_hit) {
		if (h->steps > h->instr_limit)
			h->budget_hit = 1;
		else if (now_ns() > atomic_load_explicit(&h->deadline_ns, memory_order_relaxed))
			h->time_hit = 1;
		else
			return;
	}
	/* From now on every instruction fails, so a hook that catches the error
	 * (or runs a __close handler) cannot keep going. */
	lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
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
		long long now = now_ns();
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

static void watch(hooks *h)
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

static void unwatch(hooks *h)
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

/* ---- error objects -------------------------------------------------------- */

/*
 * Errors that need no traceback are tables {message, is_data} with a private
 * metatable: avoin.error() for bad data (reported against the record), and
 * the sandbox's own checks of what a hook returned.
 */
static int is_err_obj(lua_State *L, int idx)
{
	hooks *h = self(L);
	if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
		return 0;
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->err_mt_ref);
	int r = lua_rawequal(L, -1, -2);
	lua_pop(L, 2);
	return r;
}

static int raise_obj(lua_State *L, int is_data)
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

static int raise_plain(lua_State *L, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lua_pushvfstring(L, fmt, ap);
	va_end(ap);
	return raise_obj(L, 0);
}

static int err_tostring(lua_State *L)
{
	lua_rawgeti(L, 1, 1);
	return 1;
}

static int msg_handler(lua_State *L)
{
	if (is_err_obj(L, 1))
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

/* ---- read-only proxies ---------------------------------------------------- */

/*
 * The generator's own data in the state (the converted site model,
 * avoin.where's indexes) is not the hook's: the memory cap does not count
 * it. Between shared_begin() and shared_end() the cap is off and what is
 * allocated is added to base. Counted as it is allocated, not as the change
 * of h->used: the collector may free the hook's garbage meanwhile, and that
 * must not shrink base for good. Nests (a level converted while an index is
 * built is counted once).
 */
typedef struct shared_mark {
	int limited, counting;
	size_t counted;
} shared_mark;

static void shared_begin(hooks *h, shared_mark *m)
{
	m->limited = h->limited;
	m->counting = h->counting;
	m->counted = h->counted;
	h->limited = 0;
	h->counting = 1;
	h->counted = 0;
}

static void shared_end(hooks *h, const shared_mark *m)
{
	h->base += h->counted;
	h->site_bytes += h->counted;
	h->limited = m->limited;
	h->counting = m->counting;
	h->counted = m->counted;
}

static void push_number(lua_State *L, double d);

/* A scalar of the model as push_value() pushes it (null is false: only lists hold one). */
static void push_scalar(lua_State *L, const value *v)
{
	switch (v->kind) {
	case VAL_BOOL:
		lua_pushboolean(L, v->u.boolean);
		break;
	case VAL_NUMBER:
		push_number(L, v->u.number);
		break;
	case VAL_STRING:
		lua_pushlstring(L, v->u.str.ptr, v->u.str.len);
		break;
	default:
		lua_pushboolean(L, 0);
		break;
	}
}

static int is_container(const value *v)
{
	return v->kind == VAL_LIST || v->kind == VAL_MAP;
}

/*
 * item[key] (key at index key) of model data not converted yet (v, a map or
 * a list), as a rawget on its converted table would find it: NULL for nil;
 * VAL_NULL only from a list, where it is false.
 */
static const value *model_get(lua_State *L, const value *v, int key)
{
	if (v->kind == VAL_MAP) {
		if (lua_type(L, key) != LUA_TSTRING)
			return NULL;
		size_t len;
		const char *s = lua_tolstring(L, key, &len);
		if (strlen(s) != len)
			return NULL;   /* the model's keys are C strings */
		const value *c = value_map_get(v, s);
		return c && c->kind != VAL_NULL ? c : NULL;
	}
	if (v->kind != VAL_LIST || lua_type(L, key) != LUA_TNUMBER)
		return NULL;
	int exact;
	lua_Integer i = lua_tointegerx(L, key, &exact);  /* 2.0 is the key 2, as in a table */
	return exact && i >= 1 && (lua_Unsigned)i <= v->u.list.n ? v->u.list.items[i - 1] : NULL;
}

/*
 * The site model reaches Lua level by level. A proxy whose data no hook has
 * needed yet maps in p2d to the model's own value, as a light userdata (the
 * model outlives every call: push_site() holds a reference, and a proxy of
 * an older model is unreachable from any later call). The first read
 * through the proxy that needs its table (see ro_index) converts that one
 * level: scalars as push_value() does, YAML null left out of maps and false
 * in lists, and each map or list becomes a new proxy of its value; then
 * p2d[proxy] is the converted table. A page hook that filters the records
 * of one region and reads a few fields of each converts a fraction of the
 * model, not all of it.
 *
 * Converts the level of v for the proxy at index proxy (p2d at index p2d)
 * and pushes the data table.
 */
static void convert_level(lua_State *L, hooks *h, int p2d, int proxy, const value *v)
{
	luaL_checkstack(L, 8, "data nested too deeply");
	shared_mark m;
	shared_begin(h, &m);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->ro_mt_ref);
	int mt = lua_gettop(L);
	int list = v->kind == VAL_LIST;
	size_t n = list ? v->u.list.n : v->u.map.n;
	if (list)
		lua_createtable(L, (int)n, 0);
	else
		lua_createtable(L, 0, (int)n);
	for (size_t i = 0; i < n; i++) {
		const value *c = list ? v->u.list.items[i] : v->u.map.vals[i];
		if (!list) {
			if (c->kind == VAL_NULL)
				continue;
			lua_pushstring(L, v->u.map.keys[i]);
		}
		if (is_container(c)) {
			lua_createtable(L, 0, 0);
			lua_pushvalue(L, mt);
			lua_setmetatable(L, -2);
			lua_pushvalue(L, -1);
			lua_pushlightuserdata(L, (void *)c);
			lua_rawset(L, p2d);
		} else {
			push_scalar(L, c);
		}
		if (list)
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		else
			lua_rawset(L, -3);
	}
	lua_pushvalue(L, proxy);
	lua_pushvalue(L, -2);
	lua_rawset(L, p2d);
	lua_remove(L, mt);
	h->site_tables++;
	shared_end(h, &m);
}

/* Pushes the data table behind the proxy at idx (converting its level first), or nil. */
static void proxy_data(lua_State *L, int p2d, int idx)
{
	p2d = lua_absindex(L, p2d);
	idx = lua_absindex(L, idx);
	lua_pushvalue(L, idx);
	if (lua_rawget(L, p2d) == LUA_TLIGHTUSERDATA) {
		const value *v = lua_touserdata(L, -1);
		lua_pop(L, 1);
		convert_level(L, self(L), p2d, idx, v);
	}
}

/*
 * Whether push_value() of v would go deeper than MAX_DEPTH (null map values
 * do not count: they are left out). Checked over the whole model on its
 * first read, so that a model too deep fails there, as when it was converted
 * all at once, and not later at whichever level a hook happens to reach.
 */
static int too_deep(const value *v, int depth)
{
	if (depth > MAX_DEPTH)
		return 1;
	int list = v->kind == VAL_LIST;
	size_t n = list ? v->u.list.n : v->kind == VAL_MAP ? v->u.map.n : 0;
	for (size_t i = 0; i < n; i++) {
		const value *c = list ? v->u.list.items[i] : v->u.map.vals[i];
		if (!list && c->kind == VAL_NULL)
			continue;
		if (depth + 1 > MAX_DEPTH || (is_container(c) && too_deep(c, depth + 1)))
			return 1;
	}
	return 0;
}

/*
 * The site model is handed to Lua on the first read of its root, not
 * before: most calls (indicator tables, summaries) never read it. Until
 * then the root proxy stands for an empty table; from then on it maps to
 * the model, whose levels are converted as hooks read them.
 */
static void load_site(lua_State *L, hooks *h)
{
	if (too_deep(h->site_src, 0))
		luaL_error(L, "data nested deeper than %d levels", MAX_DEPTH);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->p2d_ref);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->site_ref);
	if (is_container(h->site_src))
		lua_pushlightuserdata(L, (void *)h->site_src);
	else
		lua_pushnil(L);   /* a scalar has no table: the root reads as empty */
	lua_rawset(L, -3);    /* replaces the empty table: allocates nothing */
	lua_pop(L, 1);
	h->site_loaded = 1;
}

/*
 * Notes a read of the site model's root. Every call starts from a fresh
 * environment and the model is reached only through its root (the third
 * argument), so a call that never reads the root depends on the model in no way.
 */
static void note_site_read(lua_State *L)
{
	hooks *h = self(L);
	if ((h->site_used && h->site_loaded) || h->site_ref == LUA_NOREF)
		return;
	/* the registry keeps the root alive, so its address names it (no lookup per read) */
	if (lua_type(L, 1) != LUA_TTABLE || lua_topointer(L, 1) != h->site_ptr)
		return;
	h->site_used = 1;
	if (!h->site_loaded)
		load_site(L, h);
}

/*
 * A read through a proxy whose level is not converted yet is answered from
 * the model itself when that allocates nothing: nil, a number, a boolean, a
 * short string the state already holds (Lua interns those: type names,
 * slugs, dates seen before). The records a page hook only filters by type
 * so stay unconverted. Anything else converts the level: a map or a list
 * must be the same proxy on every read, and a new string belongs with the
 * model's data in base (the cap does not count it), held by the converted
 * table (a long string is copied on every push: it goes there directly).
 */
static int ro_index(lua_State *L)
{
	hooks *h = self(L);
	note_site_read(L);
	lua_pushvalue(L, 1);
	if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TLIGHTUSERDATA) {
		const value *v = lua_touserdata(L, -1);
		const value *c = model_get(L, v, 2);
		if (!c)
			return 0;
		if (!is_container(c) && !(c->kind == VAL_STRING && c->u.str.len > SHORT_STRING)) {
			shared_mark m;
			shared_begin(h, &m);
			push_scalar(L, c);
			int fresh = h->counted != 0;
			shared_end(h, &m);
			if (!fresh)
				return 1;
			/* kept on the stack until the level holds it */
		}
		convert_level(L, h, lua_upvalueindex(1), 1, v);
	}
	if (!lua_istable(L, -1))
		return 0;
	lua_pushvalue(L, 2);
	lua_rawget(L, -2);
	return 1;
}

static int ro_newindex(lua_State *L)
{
	return luaL_error(L, "attempt to change read-only data (the site model and the "
		"libraries are shared by every hook call)");
}

/* The length of a level not converted yet needs no conversion: a map's table has no
 * integer keys, a list's has every one (null is false). */
static int ro_len(lua_State *L)
{
	note_site_read(L);
	lua_pushvalue(L, 1);
	int t = lua_rawget(L, lua_upvalueindex(1));
	lua_Integer n = 0;
	if (t == LUA_TTABLE) {
		n = (lua_Integer)lua_rawlen(L, -1);
	} else if (t == LUA_TLIGHTUSERDATA) {
		const value *v = lua_touserdata(L, -1);
		n = v->kind == VAL_LIST ? (lua_Integer)v->u.list.n : 0;
	}
	lua_pushinteger(L, n);
	return 1;
}

static int push_sorted_pairs(lua_State *L, int t);

static int ro_pairs(lua_State *L)
{
	note_site_read(L);
	proxy_data(L, lua_upvalueindex(1), 1);
	if (!lua_istable(L, -1))
		lua_newtable(L);
	return push_sorted_pairs(L, lua_gettop(L));
}

static int is_ro(lua_State *L, int idx)
{
	hooks *h = self(L);
	if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
		return 0;
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->ro_mt_ref);
	int r = lua_rawequal(L, -1, -2);
	lua_pop(L, 2);
	return r;
}

/* Replaces the table on top of the stack by a read-only proxy of it. */
static void make_ro(lua_State *L, hooks *h)
{
	lua_newtable(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->p2d_ref);
	lua_pushvalue(L, -2);
	lua_pushvalue(L, -4);
	lua_rawset(L, -3);
	lua_pop(L, 1);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->ro_mt_ref);
	lua_setmetatable(L, -2);
	lua_remove(L, -2);
}

/* ---- pairs in a fixed order ------------------------------------------------- */

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

static int push_sorted_pairs(lua_State *L, int t)
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

/* ---- the sandbox's versions of base functions ---------------------------- */

static int sb_pairs(lua_State *L)
{
	luaL_checkany(L, 1);
	if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
		lua_pushvalue(L, 1);
		lua_call(L, 1, 3);
		return 3;
	}
	luaL_checktype(L, 1, LUA_TTABLE);
	return push_sorted_pairs(L, 1);
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

/* ---- read-tracked tables: a block call's record and block (blockmemo.h) ---- */

static void note_read(hooks *h, char role, const char *k, size_t n)
{
	if (!h->tracking)
		return;
	if (memchr(k, '\n', n) || memchr(k, '\0', n)) {
		h->untrackable = 1;
		return;
	}
	buf_putc(&h->reads, role);
	buf_putc(&h->reads, ':');
	buf_put(&h->reads, k, n);
	buf_putc(&h->reads, '\n');
}

/* The data table behind tracked proxy idx (pushed), and its role ('r' or 'b'); 0 when idx is none. */
static char tracked_data(lua_State *L, int idx)
{
	hooks *h = self(L);
	idx = lua_absindex(L, idx);
	if (lua_type(L, idx) != LUA_TTABLE || h->trk_ref == LUA_NOREF)
		return 0;
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->trk_ref);
	lua_pushvalue(L, idx);
	lua_rawget(L, -2);
	lua_remove(L, -2);
	if (!lua_istable(L, -1)) {
		lua_pop(L, 1);
		return 0;
	}
	lua_getfield(L, -1, "\1role");   /* a key no front matter can have */
	char role = (char)lua_tointeger(L, -1);
	lua_pop(L, 1);
	return role;
}

static int trk_index(lua_State *L)
{
	hooks *h = self(L);
	char role = tracked_data(L, 1);
	if (!role)
		return 0;
	if (lua_type(L, 2) == LUA_TSTRING) {
		size_t n;
		const char *k = lua_tolstring(L, 2, &n);
		/* a block's text and attributes are in the memo's first key */
		if (!(role == 'b' && ((n == 4 && !memcmp(k, "text", 4)) ||
				(n == 5 && !memcmp(k, "attrs", 5)))))
			note_read(h, role, k, n);
	} else if (h->tracking) {
		h->untrackable = 1;
	}
	lua_pushvalue(L, 2);
	lua_rawget(L, -2);
	return 1;
}

static int trk_newindex(lua_State *L)
{
	lua_settop(L, 3);
	lua_rawset(L, 1);
	return 0;
}

static int trk_len(lua_State *L)
{
	char role = tracked_data(L, 1);
	if (!role)
		return 0;
	note_read(self(L), role, "*", 1);
	lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
	return 1;
}

static int trk_pairs(lua_State *L)
{
	char role = tracked_data(L, 1);
	if (!role)
		return 0;
	note_read(self(L), role, "*", 1);
	/* the data, with what the hook wrote into the proxy on top, in the sandbox's fixed order */
	int srcs[2] = { lua_gettop(L), 1 };
	lua_newtable(L);
	int merged = lua_gettop(L);
	for (int i = 0; i < 2; i++) {
		lua_pushnil(L);
		while (lua_next(L, srcs[i])) {
			if (lua_type(L, -2) == LUA_TSTRING && !strcmp(lua_tostring(L, -2), "\1role")) {
				lua_pop(L, 1);
				continue;
			}
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, merged);
		}
	}
	return push_sorted_pairs(L, merged);
}

/* Replaces the table on top with a read-tracked proxy of it (role 'r' record, 'b' block). */
static void make_tracked(lua_State *L, hooks *h, char role)
{
	int data = lua_gettop(L);
	lua_pushinteger(L, role);
	lua_setfield(L, data, "\1role");
	lua_newtable(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->trk_mt_ref);
	lua_setmetatable(L, -2);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->trk_ref);
	lua_pushvalue(L, -2);
	lua_pushvalue(L, data);
	lua_rawset(L, -3);
	lua_pop(L, 1);
	lua_replace(L, data);
}

/* rawget and rawlen see a tracked proxy as the table it stands for (and the read is noted). */
static int sb_rawget(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkany(L, 2);
	lua_settop(L, 2);
	lua_pushvalue(L, 2);
	lua_rawget(L, 1);
	if (!lua_isnil(L, -1) || !tracked_data(L, 1))
		return 1;
	lua_settop(L, 2);
	return trk_index(L);
}

static int sb_rawlen(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TTABLE && tracked_data(L, 1)) {
		lua_settop(L, 1);
		return trk_len(L);
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
	if (is_ro(L, 1))
		return ro_newindex(L);
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

/* ---- HTML: what hooks may produce ----------------------------------------- */

enum { T_HTML = 1, T_SVG = 2, T_VOID = 4 };

typedef struct tag_def {
	const char *name;
	unsigned flags;
} tag_def;

static const tag_def tag_defs[] = {
	{ "a", T_HTML }, { "abbr", T_HTML }, { "b", T_HTML }, { "blockquote", T_HTML },
	{ "br", T_HTML | T_VOID }, { "caption", T_HTML }, { "circle", T_SVG }, { "cite", T_HTML },
	{ "code", T_HTML }, { "col", T_HTML | T_VOID }, { "colgroup", T_HTML }, { "dd", T_HTML },
	{ "defs", T_SVG }, { "desc", T_SVG }, { "details", T_HTML }, { "div", T_HTML },
	{ "dl", T_HTML }, { "dt", T_HTML }, { "ellipse", T_SVG }, { "em", T_HTML },
	{ "figcaption", T_HTML }, { "figure", T_HTML }, { "g", T_SVG }, { "h2", T_HTML },
	{ "h3", T_HTML }, { "h4", T_HTML }, { "h5", T_HTML }, { "h6", T_HTML },
	{ "hr", T_HTML | T_VOID }, { "i", T_HTML }, { "li", T_HTML }, { "line", T_SVG },
	{ "mark", T_HTML }, { "ol", T_HTML }, { "p", T_HTML }, { "path", T_SVG },
	{ "pattern", T_SVG }, { "polygon", T_SVG }, { "polyline", T_SVG }, { "pre", T_HTML },
	{ "q", T_HTML }, { "rect", T_SVG }, { "section", T_HTML }, { "small", T_HTML },
	{ "span", T_HTML }, { "strong", T_HTML }, { "sub", T_HTML }, { "summary", T_HTML },
	{ "sup", T_HTML }, { "svg", T_HTML | T_SVG }, { "table", T_HTML }, { "tbody", T_HTML },
	{ "td", T_HTML }, { "text", T_SVG }, { "tfoot", T_HTML }, { "th", T_HTML },
	{ "thead", T_HTML }, { "time", T_HTML }, { "title", T_SVG }, { "tr", T_HTML },
	{ "tspan", T_SVG }, { "u", T_HTML }, { "ul", T_HTML }, { "wbr", T_HTML | T_VOID },
};

enum { A_URL = 1 };

typedef struct attr_def {
	const char *name;
	unsigned flags;
} attr_def;

/* No event handlers, no style, no src: nothing here can run code or fetch anything. */
static const attr_def attr_defs[] = {
	{ "abbr", 0 }, { "cite", A_URL }, { "class", 0 }, { "colspan", 0 }, { "cx", 0 },
	{ "cy", 0 }, { "d", 0 }, { "datetime", 0 }, { "dir", 0 }, { "dominant-baseline", 0 },
	{ "dx", 0 }, { "dy", 0 }, { "fill", 0 }, { "fill-opacity", 0 }, { "focusable", 0 },
	{ "font-family", 0 }, { "font-size", 0 }, { "font-weight", 0 }, { "headers", 0 },
	{ "height", 0 }, { "hidden", 0 }, { "href", A_URL }, { "hreflang", 0 }, { "id", 0 },
	{ "lang", 0 }, { "opacity", 0 }, { "open", 0 }, { "patternTransform", 0 },
	{ "patternUnits", 0 }, { "points", 0 }, { "preserveAspectRatio", 0 }, { "r", 0 },
	{ "rel", 0 }, { "reversed", 0 }, { "role", 0 }, { "rowspan", 0 }, { "rx", 0 },
	{ "ry", 0 }, { "scope", 0 }, { "shape-rendering", 0 }, { "span", 0 }, { "start", 0 },
	{ "stroke", 0 }, { "stroke-dasharray", 0 }, { "stroke-linecap", 0 },
	{ "stroke-linejoin", 0 }, { "stroke-opacity", 0 }, { "stroke-width", 0 },
	{ "text-anchor", 0 }, { "title", 0 }, { "transform", 0 }, { "vector-effect", 0 },
	{ "viewBox", 0 }, { "width", 0 }, { "x", 0 }, { "x1", 0 }, { "x2", 0 }, { "xmlns", 0 },
	{ "y", 0 }, { "y1", 0 }, { "y2", 0 },
};

/* 1 when name (NUL-terminated) is s[0..n) ignoring ASCII case; cheap on a mismatch. */
/* ASCII lower case: HTML names are case-insensitive in ASCII only, whatever the locale. */
static inline unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/*
 * s[0..n) against name, ignoring ASCII case: <0, 0 or >0 as s sorts before,
 * with or after it. The tables above are sorted so (hooks_allow_lists_sorted,
 * checked by test_hooks), and searched by halves.
 */
static int name_cmp(const char *name, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!name[i])
			return 1;
		unsigned char a = ascii_lower((unsigned char)s[i]),
			      b = ascii_lower((unsigned char)name[i]);
		if (a != b)
			return a < b ? -1 : 1;
	}
	return name[n] ? -1 : 0;
}

/* The index in a sorted table of defs (of size bytes each, name first) of s[0..n), or -1. */
static long find_name(const void *defs, size_t count, size_t size, const char *s, size_t n)
{
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *name = *(const char *const *)(const void *)((const char *)defs + mid * size);
		int c = name_cmp(name, s, n);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static int defs_sorted(const void *defs, size_t count, size_t size)
{
	for (size_t i = 1; i < count; i++) {
		const char *a = *(const char *const *)(const void *)((const char *)defs + (i - 1) * size);
		const char *b = *(const char *const *)(const void *)((const char *)defs + i * size);
		if (name_cmp(a, b, strlen(b)) <= 0)
			return 0;
	}
	return 1;
}

int hooks_allow_lists_sorted(void)
{
	return defs_sorted(tag_defs, sizeof tag_defs / sizeof *tag_defs, sizeof *tag_defs) &&
		defs_sorted(attr_defs, sizeof attr_defs / sizeof *attr_defs, sizeof *attr_defs);
}

static const tag_def *find_tag(const char *s, size_t n)
{
	long i = find_name(tag_defs, sizeof tag_defs / sizeof *tag_defs, sizeof *tag_defs, s, n);
	return i < 0 ? NULL : &tag_defs[i];
}

/* The canonical name of an allowed attribute (aria-* and data-* as written, lower case). */
static int find_attr(const char *s, size_t n, const char **canon, unsigned *flags)
{
	long at = find_name(attr_defs, sizeof attr_defs / sizeof *attr_defs, sizeof *attr_defs, s, n);
	if (at >= 0) {
		*canon = attr_defs[at].name;
		*flags = attr_defs[at].flags;
		return 1;
	}
	if (n > 5 && (!strncmp(s, "aria-", 5) || !strncmp(s, "data-", 5))) {
		for (size_t i = 5; i < n; i++)
			if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) &&
				s[i] != '-')
				return 0;
		*canon = NULL;  /* as written */
		*flags = 0;
		return 1;
	}
	return 0;
}

/* A link target in hook output: the one URL check, relative links allowed. */
static int url_safe(const char *s, size_t n)
{
	return url_check(s, n, URL_WEB | URL_MAILTO | URL_RELATIVE, NULL) == 0;
}

/* Length of a character reference at s ("&amp;", "&#39;", "&#x27;"), 0 when it is not one. */
static size_t entity_len(const char *s, size_t n)
{
	size_t i = 1;
	if (n < 3 || s[0] != '&')
		return 0;
	if (s[1] == '#') {
		i = 2;
		int hex = i < n && (s[i] == 'x' || s[i] == 'X');
		if (hex)
			i++;
		size_t start = i;
		while (i < n && i - start < 7 &&
			(hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i])))
			i++;
		if (i == start)
			return 0;
	} else {
		if (!isalpha((unsigned char)s[1]))
			return 0;
		while (i < n && i < 33 && isalnum((unsigned char)s[i]))
			i++;
	}
	return i < n && s[i] == ';' ? i + 1 : 0;
}

/*
 * Decodes the character references of an attribute value as a browser
 * would, far enough to check its URL scheme. Returns 0 when the value uses
 * a named reference other than the basic five (&colon; would hide a scheme).
 */
static int decode_for_url(const char *s, size_t n, buf *out)
{
	for (size_t i = 0; i < n; i++) {
		size_t e = s[i] == '&' ? entity_len(s + i, n - i) : 0;
		if (!e) {
			buf_putc(out, s[i]);
			continue;
		}
		if (s[i + 1] == '#') {
			int hex = s[i + 2] == 'x' || s[i + 2] == 'X';
			unsigned long cp = strtoul(s + i + 2 + hex, NULL, hex ? 16 : 10);
			buf_putc(out, cp < 0x80 ? (char)cp : 'x');
		} else {
			static const struct { const char *name; char c; } basic[] = {
				{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
				{ "apos", '\'' },
			};
			size_t k;
			for (k = 0; k < sizeof basic / sizeof *basic; k++)
				if (strlen(basic[k].name) == e - 2 &&
					!strncmp(basic[k].name, s + i + 1, e - 2))
					break;
			if (k == sizeof basic / sizeof *basic)
				return 0;
			buf_putc(out, basic[k].c);
		}
		i += e - 1;
	}
	return 1;
}


/* Serialisation state: where the HTML goes and what to name in errors. */
typedef struct ser {
	hooks *h;
	buf *out;
	size_t max;
	const char *where;   /* "themes/default/hooks/x.lua:3", the hook function */
	const char *what;    /* "HTML" or "element tree" */
} ser;

/* Raises "<hook>:<line>: the returned HTML <message>" (or element tree), without a traceback. */
static int ser_fail(lua_State *L, const ser *s, const char *fmt, ...)
{
	va_list ap;
	lua_pushfstring(L, "%s: the returned %s ", s->where, s->what);
	va_start(ap, fmt);
	lua_pushvfstring(L, fmt, ap);
	va_end(ap);
	lua_concat(L, 2);
	return raise_obj(L, 0);
}

static void ser_check_size(lua_State *L, ser *s)
{
	if (s->out->len > s->max)
		ser_fail(L, s, "is larger than the memory cap (%I bytes); is an element used many "
			"times over?", (lua_Integer)s->max);
}

/* A link the URL check refuses is an error, not a link silently dropped. */
static void bad_url(lua_State *L, ser *s, const char *attr, size_t alen, const char *v, size_t n)
{
	ser_fail(L, s, "has '%s' with an address that is not allowed (got '%s'; expected a "
		"relative link or an http, https or mailto address)", lua_pushlstring(L, attr, alen),
		lua_pushlstring(L, v, n < 60 ? n : 60));
}

/*
 * |k| / 10^dec written with dec decimals ("1234.5" for 12345 and 1), as
 * printf's "%.*f" writes it, into out (at least 32 bytes); the length.
 */
static size_t put_scaled(char *out, unsigned long long k, int dec)
{
	char digits[24];
	int n = 0;
	do {
		digits[n++] = (char)('0' + k % 10);
		k /= 10;
	} while (k);
	while (n <= dec)
		digits[n++] = '0';
	size_t o = 0;
	while (n > dec)
		out[o++] = digits[--n];
	if (dec)
		out[o++] = '.';
	while (n)
		out[o++] = digits[--n];
	return o;
}

/*
 * The digits "%.*f" gives for |x| with dec decimals, by hand where that is
 * exact: when x * 10^dec is a whole number below 2^52 (then the nearest
 * number with dec decimals is that one, however x is stored). 0 otherwise.
 */
static size_t fixed_fast(char *out, double x, int dec)
{
	static const double pow10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10 };
	if (dec < 0 || dec > 10)
		return 0;
	double t = fabs(x) * pow10[dec];
	if (!(t < 4503599627370496.0) || t != floor(t))
		return 0;
	return put_scaled(out, (unsigned long long)t, dec);
}

/*
 * A number as hooks write it into HTML: integers as integers, the tenths
 * charts round to by hand (as Lua's "%.14g" writes them: charts print
 * thousands of coordinates), anything else with "%.14g".
 */
static void put_double(buf *b, double d)
{
	char tmp[40];
	size_t n;
	if (d == floor(d) && fabs(d) < 1e15) {
		n = fixed_fast(tmp, d, 0);
	} else {
		double t = d * 10;
		n = fabs(d) < 1e12 && t == floor(t) ? fixed_fast(tmp, d, 1) : 0;
	}
	if (n) {
		if (d < 0 && (n > 1 || tmp[0] != '0'))
			buf_putc(b, '-');
		buf_put(b, tmp, n);
	} else if (d == floor(d) && fabs(d) < 1e15) {
		buf_printf(b, "%.0f", d);
	} else {
		buf_printf(b, "%.14g", d);
	}
}

static void put_number(buf *b, lua_State *L, int idx)
{
	if (lua_isinteger(L, idx)) {
		lua_Integer v = lua_tointeger(L, idx);
		char tmp[32];
		if (v < 0)
			buf_putc(b, '-');
		buf_put(b, tmp, put_scaled(tmp, v < 0 ? 0ULL - (unsigned long long)v :
			(unsigned long long)v, 0));
		return;
	}
	put_double(b, lua_tonumber(L, idx));
}

/*
 * An element made by avoin.el: its HTML, written and checked when it is made,
 * so a hook's tree is serialised once, as it is built, and a refused tag or
 * attribute is an error at the el call's line. Opaque to hooks (a full
 * userdata): what was checked cannot be changed afterwards. bad[c] is the
 * element that may not stand where the element is put in context c (0: in
 * HTML, 1: inside an svg element), or NULL when it may.
 */
typedef struct element {
	const tag_def *bad[2];
	int depth;           /* levels of elements, this one included */
	size_t len;
	char html[];
} element;

static const char *const context_words[2] = {
	"outside an svg element",
	"inside an svg element (only svg elements may be there)",
};

static element *to_element(lua_State *L, int idx)
{
	hooks *h = self(L);
	if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx))
		return NULL;
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->el_mt_ref);
	int r = lua_rawequal(L, -1, -2);
	lua_pop(L, 2);
	return r ? lua_touserdata(L, idx) : NULL;
}

static int is_element(lua_State *L, int idx)
{
	return to_element(L, idx) != NULL;
}

/* Indexing an element: it is made whole by avoin.el and never changed. */
static int el_frozen(lua_State *L)
{
	return luaL_error(L, "an element cannot be read or changed after avoin.el made it; "
		"give its attributes and children to avoin.el");
}

typedef struct attr_pick {
	const char *key;     /* as the hook wrote it (a Lua string held by the attrs table) */
	size_t key_len;
	const char *canon;   /* what is written out */
	size_t canon_len;
	unsigned flags;
} attr_pick;

static int attr_pick_cmp(const void *pa, const void *pb)
{
	const attr_pick *a = pa, *b = pb;
	size_t n = a->canon_len < b->canon_len ? a->canon_len : b->canon_len;
	int c = memcmp(a->canon, b->canon, n);
	return c ? c : (a->canon_len > b->canon_len) - (a->canon_len < b->canon_len);
}

/*
 * Checks the attribute table at idx and fills picks in a fixed (sorted)
 * order. Returns the count; raises with where and what before the message
 * on a bad attribute.
 */
static size_t collect_attrs(lua_State *L, int idx, attr_pick *picks, const char *where,
	const char *what, int sort)
{
	size_t n = 0;
	idx = lua_absindex(L, idx);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) != LUA_TSTRING)
			luaL_error(L, "%s%sattribute names must be strings (got a %s)", where, what,
				luaL_typename(L, -2));
		size_t len;
		const char *k = lua_tolstring(L, -2, &len);
		const char *canon;
		unsigned flags;
		if (!find_attr(k, len, &canon, &flags))
			luaL_error(L, "%s%sattribute '%s' is not allowed in hook output", where, what,
				k);
		int vt = lua_type(L, -1);
		if (vt != LUA_TSTRING && vt != LUA_TNUMBER && vt != LUA_TBOOLEAN)
			luaL_error(L, "%s%sattribute '%s' must be a string, a number or a "
				"boolean (got a %s)", where, what, k, luaL_typename(L, -1));
		if (n == MAX_ATTRS)
			luaL_error(L, "%s%smore than %d attributes on one element", where, what,
				MAX_ATTRS);
		picks[n].key = k;
		picks[n].key_len = len;
		picks[n].canon = canon ? canon : k;
		picks[n].canon_len = canon ? strlen(canon) : len;
		picks[n].flags = flags;
		n++;
		lua_pop(L, 1);
	}
	if (!sort)
		return n;
	qsort(picks, n, sizeof *picks, attr_pick_cmp);
	for (size_t i = 1; i < n; i++)
		if (!attr_pick_cmp(&picks[i - 1], &picks[i]))
			luaL_error(L, "%s%sattribute '%s' is given twice", where, what,
				picks[i].canon);
	return n;
}

/* A plain list of nodes, not a read-only proxy: anything else in it would be lost. */
static int is_node_list(lua_State *L, int idx)
{
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		count++;
	}
	return count == n && !is_ro(L, idx);
}

/*
 * Writes the tree a block hook returned (an element, a list of nodes, a
 * string or a number) into s->out, in context in_svg. Elements come
 * written and checked by avoin.el: only where they stand is checked here.
 */
static void ser_node(lua_State *L, ser *s, int idx, int depth, int in_svg)
{
	if (depth > MAX_DEPTH)
		ser_fail(L, s, "is nested deeper than %d levels "
			"(does it contain itself?)", MAX_DEPTH);
	luaL_checkstack(L, 8, "element tree");
	element *e;
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		return;
	case LUA_TBOOLEAN:
		if (lua_toboolean(L, idx))
			ser_fail(L, s, "holds true; nodes are strings, numbers "
				"and elements (nil and false are skipped)");
		return;
	case LUA_TNUMBER:
		put_number(s->out, L, idx);
		break;
	case LUA_TSTRING: {
		size_t n;
		const char *p = lua_tolstring(L, idx, &n);
		buf_put_html(s->out, p, n);
		break;
	}
	case LUA_TUSERDATA:
		if (!(e = to_element(L, idx)))
			ser_fail(L, s, "holds a userdata");
		if (e->bad[in_svg])
			ser_fail(L, s, "has '%s' %s", e->bad[in_svg]->name, context_words[in_svg]);
		if (depth + e->depth > MAX_DEPTH)
			ser_fail(L, s, "is nested deeper than %d levels", MAX_DEPTH);
		buf_put(s->out, e->html, e->len);
		break;
	case LUA_TTABLE:
		if (!is_node_list(L, idx))
			ser_fail(L, s, "holds a table that is neither an element "
				"(avoin.el) nor a list of nodes");
		lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
		for (lua_Integer i = 1; i <= n; i++) {
			lua_rawgeti(L, idx, i);
			ser_node(L, s, lua_gettop(L), depth + 1, in_svg);
			lua_pop(L, 1);
		}
		break;
	default:
		ser_fail(L, s, "holds a %s", luaL_typename(L, idx));
	}
	ser_check_size(L, s);
}

/*
 * A string a hook returns as HTML: parsed, checked against the same allow
 * lists and written out again (attribute values quoted, stray '&', '<' and
 * '>' escaped). Anything the parser does not understand as an allowed tag
 * becomes text, so the output never means more to a browser than what was
 * checked.
 */
static void html_string(lua_State *L, ser *s, const char *p, size_t n)
{
	const tag_def *stack[256];
	int top = 0, svg_depth = 0;
	buf *o = s->out;
	size_t i = 0;
	while (i < n) {
		char c = p[i];
		ser_check_size(L, s);
		if (c == '&') {
			size_t e = entity_len(p + i, n - i);
			if (e) {
				buf_put(o, p + i, e);
				i += e;
			} else {
				buf_puts(o, "&amp;");
				i++;
			}
			continue;
		}
		if (c == '>') {
			buf_puts(o, "&gt;");
			i++;
			continue;
		}
		if (c != '<') {
			buf_putc(o, c);
			i++;
			continue;
		}
		if (i + 1 < n && (p[i + 1] == '!' || p[i + 1] == '?'))
			ser_fail(L, s, "has a comment, doctype or processing instruction at "
				"byte %I; hooks may return elements and text only", (lua_Integer)i);
		int closing = i + 1 < n && p[i + 1] == '/';
		size_t j = i + 1 + closing;
		if (j >= n || !isalpha((unsigned char)p[j])) {
			buf_puts(o, "&lt;");
			i++;
			continue;
		}
		size_t name = j;
		while (j < n && isalnum((unsigned char)p[j]))
			j++;
		const tag_def *td = find_tag(p + name, j - name);
		if (!td)
			ser_fail(L, s, "has tag '%s', which is not allowed in hook "
				"output", lua_pushlstring(L, p + name, j - name));
		if (closing) {
			while (j < n && isspace((unsigned char)p[j]))
				j++;
			if (j >= n || p[j] != '>')
				ser_fail(L, s, "has an end tag '%s' that does not end in '>'",
					td->name);
			if (!top || stack[top - 1] != td)
				ser_fail(L, s, "closes '%s' but %s%s%s", td->name,
					top ? "'" : "no element is open",
					top ? stack[top - 1]->name : "", top ? "' is open" : "");
			top--;
			if (td == find_tag("svg", 3))
				svg_depth--;
			buf_puts(o, "</");
			buf_puts(o, td->name);
			buf_putc(o, '>');
			i = j + 1;
			continue;
		}
		int in_svg = svg_depth > 0;
		if (!(td->flags & (in_svg ? T_SVG : T_HTML)))
			ser_fail(L, s, "has '%s' %s", td->name,
				in_svg ? "inside an svg element" : "outside an svg element");
		buf_putc(o, '<');
		buf_puts(o, td->name);
		struct { const char *canon; size_t clen; } seen[MAX_ATTRS];
		size_t nseen = 0;
		int self_close = 0;
		for (;;) {
			size_t ws = j;
			while (j < n && isspace((unsigned char)p[j]))
				j++;
			if (j >= n)
				ser_fail(L, s, "has a '<%s' tag that is never closed with '>'",
					td->name);
			if (p[j] == '>') {
				j++;
				break;
			}
			if (p[j] == '/' && j + 1 < n && p[j + 1] == '>') {
				self_close = 1;
				j += 2;
				break;
			}
			if (j == ws)
				ser_fail(L, s, "has no space before an attribute of '<%s'",
					td->name);
			size_t an = j;
			while (j < n && (isalnum((unsigned char)p[j]) || p[j] == '-' ||
				p[j] == '_' || p[j] == ':' || p[j] == '.'))
				j++;
			if (j == an)
				ser_fail(L, s, "has '%c' where an attribute name of '<%s' "
					"was expected", p[j], td->name);
			const char *canon;
			unsigned flags;
			const char *aname = lua_pushlstring(L, p + an, j - an);
			if (!find_attr(p + an, j - an, &canon, &flags))
				ser_fail(L, s, "has attribute '%s' on '%s', which is not "
					"allowed in hook output", aname, td->name);
			lua_pop(L, 1);
			size_t clen = canon ? strlen(canon) : j - an;
			if (!canon)
				canon = p + an;
			for (size_t k = 0; k < nseen; k++)
				if (seen[k].clen == clen &&
					!strncasecmp(seen[k].canon, canon, clen))
					ser_fail(L, s, "gives attribute '%s' twice",
						lua_pushlstring(L, canon, clen));
			if (nseen == MAX_ATTRS)
				ser_fail(L, s, "has more than %d attributes on one element",
					MAX_ATTRS);
			seen[nseen].canon = canon;
			seen[nseen++].clen = clen;
			const char *v = "";
			size_t vl = 0;
			size_t k = j;
			while (k < n && isspace((unsigned char)p[k]))
				k++;
			if (k < n && p[k] == '=') {
				k++;
				while (k < n && isspace((unsigned char)p[k]))
					k++;
				if (k < n && (p[k] == '"' || p[k] == '\'')) {
					char q = p[k];
					const char *end = memchr(p + k + 1, q, n - k - 1);
					if (!end)
						ser_fail(L, s, "has an unterminated value of "
							"attribute '%s'",
							lua_pushlstring(L, canon, clen));
					v = p + k + 1;
					vl = (size_t)(end - v);
					k = (size_t)(end - p) + 1;
				} else {
					v = p + k;
					while (k < n && !isspace((unsigned char)p[k]) && p[k] &&
						!strchr("\"'=<>`", p[k]))
						k++;
					vl = (size_t)(p + k - v);
					if (!vl)
						ser_fail(L, s, "has an empty unquoted value of "
							"attribute '%s'",
							lua_pushlstring(L, canon, clen));
				}
				j = k;
			}
			if (flags & A_URL) {
				buf dec = BUF_INIT;
				int ok = decode_for_url(v, vl, &dec) && url_safe(dec.ptr, dec.len);
				buf_release(&dec);
				if (!ok)
					bad_url(L, s, canon, clen, v, vl);
			}
			buf_putc(o, ' ');
			buf_put(o, canon, clen);
			buf_puts(o, "=\"");
			for (size_t m = 0; m < vl; m++) {
				size_t e = v[m] == '&' ? entity_len(v + m, vl - m) : 0;
				if (e) {
					buf_put(o, v + m, e);
					m += e - 1;
				} else if (v[m] == '&') {
					buf_puts(o, "&amp;");
				} else if (v[m] == '"') {
					buf_puts(o, "&quot;");
				} else if (v[m] == '<') {
					buf_puts(o, "&lt;");
				} else if (v[m] == '>') {
					buf_puts(o, "&gt;");
				} else {
					buf_putc(o, v[m]);
				}
			}
			buf_putc(o, '"');
		}
		buf_putc(o, '>');
		i = j;
		if (td->flags & T_VOID)
			continue;
		if (self_close) {
			/* "<div/>" leaves the div open in HTML; only in svg does it close. */
			if (!in_svg && strcmp(td->name, "svg") != 0)
				ser_fail(L, s, "writes '<%s/>', which does not close it in "
					"HTML; write '<%s></%s>'", td->name, td->name, td->name);
			buf_puts(o, "</");
			buf_puts(o, td->name);
			buf_putc(o, '>');
			continue;
		}
		if (top == (int)(sizeof stack / sizeof *stack))
			ser_fail(L, s, "is nested deeper than %d elements",
				(int)(sizeof stack / sizeof *stack));
		stack[top++] = td;
		if (!strcmp(td->name, "svg"))
			svg_depth++;
	}
	if (top)
		ser_fail(L, s, "leaves '%s' open", stack[top - 1]->name);
	ser_check_size(L, s);
}

/* ---- the avoin library ------------------------------------------------------- */

/*
 * What hooks get besides the standard libraries, in a read-only table:
 *   avoin.el(tag [, attrs], children...)   an element of an HTML tree (below)
 *   avoin.escape(s)                        s with & < > " ' escaped
 *   avoin.format_number(n [, decimals [, lang]])
 *                                          "1 234,5" for fi and sv (U+00A0 between
 *                                          thousands, decimal comma, U+2212 minus),
 *                                          "1,234.5" for en; decimals default to as many
 *                                          as the number has
 *   avoin.format_date(iso [, lang])        "20.11.2023" (fi, sv), "20 November 2023" (en)
 *   avoin.parse_number(s)                  a number as people paste it, and its decimals
 *   avoin.points({x1, y1, ...})            "x1,y1 x2,y2": svg points, rounded to tenths
 *   avoin.where(list, key, value)          the items whose [key] is value
 *   avoin.read(path)                       a data file of the record's region (src=)
 *   avoin.error(message)                   stop the build: the record's data is wrong
 */

static int av_escape(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': luaL_addstring(&b, "&amp;"); break;
		case '<': luaL_addstring(&b, "&lt;"); break;
		case '>': luaL_addstring(&b, "&gt;"); break;
		case '"': luaL_addstring(&b, "&quot;"); break;
		case '\'': luaL_addstring(&b, "&#39;"); break;
		default: luaL_addchar(&b, s[i]);
		}
	}
	luaL_pushresult(&b);
	return 1;
}

static int lang_is_en(lua_State *L, int idx)
{
	const char *lang = luaL_optstring(L, idx, "fi");
	return !strcmp(lang, "en");
}

/*
 * fi and sv: no-break space (U+00A0) between thousands, decimal comma,
 * minus sign U+2212, as CLDR has them; en: "1,234.5" with a hyphen-minus.
 */
static int av_format_number(lua_State *L)
{
	lua_Number x = luaL_checknumber(L, 1);
	int dec = (int)luaL_optinteger(L, 2, -1);
	int en = lang_is_en(L, 3);
	luaL_argcheck(L, isfinite(x), 1, "expected a finite number");
	luaL_argcheck(L, dec >= -1 && dec <= 10, 2, "decimals must be between 0 and 10");
	luaL_argcheck(L, fabs(x) < 1e300, 1, "number too large to format");
	char tmp[400];
	if (dec < 0 && x == floor(x) && fabs(x) < 1e15)
		dec = 0;
	if (dec < 0) {
		/* as many decimals as the number has, up to 10 */
		snprintf(tmp, sizeof tmp, "%.10f", fabs(x));
		char *dot = strchr(tmp, '.');
		size_t len = strlen(tmp);
		while (len > 0 && tmp[len - 1] == '0')
			len--;
		dec = dot ? (int)(len - (size_t)(dot - tmp) - 1) : 0;
		if (dec < 0)
			dec = 0;
	}
	size_t fast = fixed_fast(tmp, x, dec);
	if (fast)
		tmp[fast] = '\0';
	else
		snprintf(tmp, sizeof tmp, "%.*f", dec, fabs(x));
	int zero = 1;
	for (const char *q = tmp; *q; q++)
		if (*q >= '1' && *q <= '9')
			zero = 0;
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	if (x < 0 && !zero)
		luaL_addstring(&b, en ? "-" : "\xe2\x88\x92");
	const char *dot = strchr(tmp, '.');
	size_t ilen = dot ? (size_t)(dot - tmp) : strlen(tmp);
	for (size_t i = 0; i < ilen; i++) {
		if (i > 0 && (ilen - i) % 3 == 0)
			luaL_addstring(&b, en ? "," : "\xc2\xa0");
		luaL_addchar(&b, tmp[i]);
	}
	if (dot) {
		luaL_addchar(&b, en ? '.' : ',');
		luaL_addstring(&b, dot + 1);
	}
	luaL_pushresult(&b);
	return 1;
}

/*
 * avoin.points({x1, y1, x2, y2, ...}): "x1,y1 x2,y2 ...", each coordinate
 * rounded to a tenth (whole numbers without ".0"), for the points of an svg
 * polyline or polygon: what a chart prints most of, written without Lua's
 * number-to-string conversions.
 */
static int av_points(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
	if (n % 2)
		return luaL_error(L, "points: expected x and y pairs (got %d numbers)", (int)n);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, 1, i);
		int ok;
		double v = lua_tonumberx(L, -1, &ok);
		lua_pop(L, 1);
		if (!ok || !isfinite(v) || fabs(v) > 1e12)
			return luaL_error(L, "points: item %d is not a finite number below 10^12",
				(int)i);
		double k = floor(v * 10 + 0.5);
		char tmp[40];
		size_t len = 0;
		if (i > 1)
			tmp[len++] = i % 2 ? ' ' : ',';
		if (k < 0)
			tmp[len++] = '-';
		unsigned long long u = (unsigned long long)fabs(k);
		len += put_scaled(tmp + len, u % 10 ? u : u / 10, u % 10 ? 1 : 0);
		luaL_addlstring(&b, tmp, len);
	}
	luaL_pushresult(&b);
	return 1;
}

/* "2023-11-20" -> fi, sv: "20.11.2023", en: "20 November 2023". */
static int av_format_date(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	int en = lang_is_en(L, 2);
	char d[11];
	if (n < 10 || (n > 10 && s[10] != 'T' && s[10] != ' '))
		return luaL_error(L, "format_date: '%s' is not a date (expected YYYY-MM-DD)", s);
	memcpy(d, s, 10);
	d[10] = '\0';
	if (!is_iso_date(d))
		return luaL_error(L, "format_date: '%s' is not a date (expected YYYY-MM-DD)", s);
	int y = atoi(d), m = atoi(d + 5), day = atoi(d + 8);
	static const char *const months[] = { "January", "February", "March", "April", "May",
		"June", "July", "August", "September", "October", "November", "December" };
	if (en)
		lua_pushfstring(L, "%d %s %d", day, months[m - 1], y);
	else
		lua_pushfstring(L, "%d.%d.%d", day, m, y);
	return 1;
}

/* Length of a space that may separate thousands at s: ' ', U+00A0, U+2009, U+202F. */
static size_t space_len(const char *s, size_t n)
{
	if (n >= 1 && s[0] == ' ')
		return 1;
	if (n >= 2 && !memcmp(s, "\xc2\xa0", 2))
		return 2;
	if (n >= 3 && (!memcmp(s, "\xe2\x80\x89", 3) || !memcmp(s, "\xe2\x80\xaf", 3)))
		return 3;
	return 0;
}

/*
 * A number as people paste it: "1 234,5", "-3.25", "−7" (U+2212), "+12".
 * Returns the number and how many decimals it was written with, or nil.
 */
static int av_parse_number(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	size_t i = 0, k;
	while (i < n && ((k = space_len(s + i, n - i)) || s[i] == '\t')) {
		i += k ? k : 1;
	}
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	while (n >= i + 2 && !memcmp(s + n - 2, "\xc2\xa0", 2))
		n -= 2;
	char norm[64];
	size_t o = 0;
	if (i < n && (s[i] == '-' || s[i] == '+')) {
		if (s[i] == '-')
			norm[o++] = '-';
		i++;
	} else if (n - i >= 3 && !memcmp(s + i, "\xe2\x88\x92", 3)) {
		norm[o++] = '-';
		i += 3;
	}
	int digits = 0, decimals = 0, sep = 0;
	while (i < n) {
		if (o + 2 >= sizeof norm) {
			lua_pushnil(L);
			return 1;
		}
		if (isdigit((unsigned char)s[i])) {
			norm[o++] = s[i++];
			digits++;
			if (sep)
				decimals++;
		} else if ((s[i] == ',' || s[i] == '.') && !sep && i + 1 < n &&
			isdigit((unsigned char)s[i + 1])) {
			norm[o++] = '.';
			sep = 1;
			i++;
		} else if (!sep && digits && (k = space_len(s + i, n - i)) && i + k < n &&
			isdigit((unsigned char)s[i + k])) {
			i += k;  /* a thousands separator between digits */
		} else {
			lua_pushnil(L);
			return 1;
		}
	}
	if (!digits) {
		lua_pushnil(L);
		return 1;
	}
	norm[o] = '\0';
	double d = strtod(norm, NULL);
	if (!sep && fabs(d) < 9007199254740992.0)
		lua_pushinteger(L, (lua_Integer)d);
	else
		lua_pushnumber(L, d);
	lua_pushinteger(L, decimals);
	return 2;
}

/*
 * Pushes what to read of the table at idx: the data behind a read-only
 * proxy (a table, or the model's value as a light userdata while its level
 * is not converted), else the table itself.
 */
static void push_readable(lua_State *L, int idx, int p2d, int ro_mt)
{
	if (lua_getmetatable(L, idx)) {
		int ro = lua_rawequal(L, -1, ro_mt);
		lua_pop(L, 1);
		if (ro) {
			lua_pushvalue(L, idx);
			lua_rawget(L, p2d);
			return;
		}
	}
	lua_pushvalue(L, idx);
}

/*
 * Whether c (from model_get) is rawequal to the Lua value at idx, as its
 * conversion would be. Strings are compared in place, so that a scan
 * allocates nothing; a map or list would become a new proxy, equal to
 * nothing a hook holds.
 */
static int model_equal(lua_State *L, const value *c, int idx)
{
	int t = lua_type(L, idx);
	if (!c)
		return t == LUA_TNIL;
	switch (c->kind) {
	case VAL_NULL:
		return t == LUA_TBOOLEAN && !lua_toboolean(L, idx);
	case VAL_BOOL:
		return t == LUA_TBOOLEAN && !lua_toboolean(L, idx) == !c->u.boolean;
	case VAL_NUMBER: {
		if (t != LUA_TNUMBER)
			return 0;
		push_number(L, c->u.number);
		int eq = lua_rawequal(L, -1, idx);
		lua_pop(L, 1);
		return eq;
	}
	case VAL_STRING: {
		if (t != LUA_TSTRING)
			return 0;
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		return len == c->u.str.len && !memcmp(s, c->u.str.ptr, len);
	}
	default:
		return 0;
	}
}

static int is_nan(lua_State *L, int idx)
{
	return lua_type(L, idx) == LUA_TNUMBER && lua_tonumber(L, idx) != lua_tonumber(L, idx);
}

/* A value avoin.where's index groups by: a string, a boolean or a number but NaN. A table
 * is looked up by a scan (a proxy made after the index was built would be missing from it). */
static int indexable(lua_State *L, int idx)
{
	int t = lua_type(L, idx);
	return t == LUA_TSTRING || t == LUA_TBOOLEAN || (t == LUA_TNUMBER && !is_nan(L, idx));
}

/*
 * avoin.where(list, key, value [, key, value...]): a new list of the items
 * of list whose item[key] equals value for every pair, e.g. the records of
 * one type in one region. Done in C over
 * the data behind the proxies, so that a page hook can filter the whole
 * site's records without paying for a metamethod call per record, and
 * without converting every record to Lua: items whose level is not
 * converted yet are read from the model itself.
 */
/*
 * The items of the shared, read-only list (the proxy at index list, its data
 * at index data) grouped by item[key] (key at index key), built on the first
 * call and kept while the list lives: the site model never changes, so every
 * later call is a lookup. A group is such a list too (it lives as long), so
 * a search by several keys indexes each group it goes through by the next
 * key. The index is the generator's data, not the hook's: the memory cap
 * does not count it. Pushes the group table (value -> items in list order).
 */
static void push_where_index(lua_State *L, hooks *h, int list, int data, int key, int p2d,
	int ro_mt)
{
	shared_mark m;
	shared_begin(h, &m);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->where_ref);
	int idx = lua_gettop(L);
	lua_pushvalue(L, list);
	if (lua_rawget(L, idx) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, list);
		lua_pushvalue(L, -2);
		lua_rawset(L, idx);
	}
	int per_key = lua_gettop(L);
	lua_pushvalue(L, key);
	if (lua_rawget(L, per_key) == LUA_TTABLE) {
		lua_replace(L, idx);
		lua_settop(L, idx);
		shared_end(h, &m);
		return;
	}
	lua_pop(L, 1);
	lua_newtable(L);
	int groups = lua_gettop(L);
	lua_Integer n = (lua_Integer)lua_rawlen(L, data);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, data, i);                     /* the item */
		int item = lua_gettop(L);
		if (lua_type(L, item) == LUA_TTABLE) {
			push_readable(L, item, p2d, ro_mt);
			int rt = lua_type(L, -1);
			if (rt == LUA_TLIGHTUSERDATA) {
				const value *c = model_get(L, lua_touserdata(L, -1), key);
				if (c && !is_container(c))
					push_scalar(L, c);
				else
					lua_pushnil(L);
			} else if (rt == LUA_TTABLE) {
				lua_pushvalue(L, key);
				lua_rawget(L, -2);           /* item[key] */
			} else {
				lua_pushnil(L);
			}
			if (indexable(L, -1)) {
				lua_pushvalue(L, -1);
				if (lua_rawget(L, groups) != LUA_TTABLE) {
					lua_pop(L, 1);
					lua_newtable(L);
					lua_pushvalue(L, -2);
					lua_pushvalue(L, -2);
					lua_rawset(L, groups);
				}
				lua_pushvalue(L, item);
				lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
			}
		}
		lua_settop(L, groups);
	}
	lua_pushvalue(L, key);
	lua_pushvalue(L, groups);
	lua_rawset(L, per_key);
	lua_replace(L, idx);
	lua_settop(L, idx);
	shared_end(h, &m);
}

/* Whether item (at idx) matches every key (at 2, 4, ...) and value (3, 5, ...) up to top. */
static int where_match(lua_State *L, int item, int top, int p2d, int ro_mt)
{
	if (lua_type(L, item) != LUA_TTABLE)
		return 0;
	push_readable(L, item, p2d, ro_mt);
	int readable = lua_gettop(L), rt = lua_type(L, readable), match = 1;
	for (int k = 2; match && k < top; k += 2) {
		if (rt == LUA_TLIGHTUSERDATA) {
			match = model_equal(L, model_get(L, lua_touserdata(L, readable), k), k + 1);
		} else {
			if (rt == LUA_TTABLE) {
				lua_pushvalue(L, k);
				lua_rawget(L, readable);
			} else {
				lua_pushnil(L);
			}
			match = lua_rawequal(L, -1, k + 1);
			lua_pop(L, 1);
		}
	}
	lua_settop(L, readable - 1);
	return match;
}

static int av_where(lua_State *L)
{
	hooks *h = self(L);
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkany(L, 2);
	luaL_checkany(L, 3);
	/* key, value, key, value...: a key without its value is an error, as with one key */
	int top = lua_gettop(L);
	if ((top - 1) % 2)
		luaL_checkany(L, ++top);
	lua_settop(L, top);
	luaL_checkstack(L, top + 16, "too many keys");
	int p2d = top + 1, ro_mt = top + 2, data = top + 3, out = top + 4;
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->p2d_ref);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->ro_mt_ref);
	/* shared data (a read-only proxy): its own level converted, not its items' */
	int shared = is_ro(L, 1);
	if (shared)
		proxy_data(L, p2d, 1);
	else
		lua_pushvalue(L, 1);
	lua_newtable(L);
	lua_Integer n = lua_istable(L, data) ? (lua_Integer)lua_rawlen(L, data) : 0, k = 0;
	/* searched by usable keys and values: through the index, key by key */
	int usable = shared && n > 32;
	for (int a = 2; usable && a < top; a += 2)
		usable = !lua_isnil(L, a) && !is_nan(L, a) && indexable(L, a + 1);
	if (usable) {
		int list = 1, items = data;
		for (int a = 2; a < top; a += 2) {
			push_where_index(L, h, list, items, a, p2d, ro_mt);
			lua_pushvalue(L, a + 1);
			if (lua_rawget(L, -2) != LUA_TTABLE) {
				lua_settop(L, out);
				return 1;
			}
			list = items = lua_gettop(L);
		}
		/* a copy: the hook may change it */
		lua_Integer m = (lua_Integer)lua_rawlen(L, items);
		for (lua_Integer i = 1; i <= m; i++) {
			lua_rawgeti(L, items, i);
			lua_rawseti(L, out, i);
		}
		lua_settop(L, out);
		return 1;
	}
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, data, i);
		if (where_match(L, lua_gettop(L), top, p2d, ro_mt))
			lua_rawseti(L, out, ++k);
		else
			lua_pop(L, 1);
	}
	return 1;
}

/* avoin.error(message): bad data; the build stops naming the record, without a traceback. */
static int av_error(lua_State *L)
{
	luaL_checkstring(L, 1);
	lua_settop(L, 1);
	return raise_obj(L, 1);
}

/*
 * avoin.el(tag [, attrs], children...): an element. attrs is a table of
 * attribute names; children are strings, numbers, elements or lists of them
 * (nil and false are skipped, so `cond and el(...)` works). Tags and
 * attribute names are checked here, so the error points at the hook's line.
 */
/* What an element is being made of: its HTML so far and what its children need. */
typedef struct el_build {
	const tag_def *td;
	buf *out;
	size_t cap;
	int depth;                 /* the deepest child element */
	const tag_def *cbad[2];    /* the first child that may not stand in each context */
	lua_Integer nth;           /* children so far, for messages */
} el_build;

/* Writes the attributes in the table at idx, sorted by name, checked as they go. */
static void el_attrs(lua_State *L, el_build *eb, int idx)
{
	attr_pick picks[MAX_ATTRS];
	size_t n = collect_attrs(L, idx, picks, "", "el: ", 1);
	buf *o = eb->out;
	for (size_t i = 0; i < n; i++) {
		lua_pushlstring(L, picks[i].key, picks[i].key_len);
		lua_rawget(L, idx);
		int vt = lua_type(L, -1);
		if (vt == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
			lua_pop(L, 1);
			continue;
		}
		buf_putc(o, ' ');
		buf_put(o, picks[i].canon, picks[i].canon_len);
		buf_puts(o, "=\"");
		size_t at = o->len;
		if (vt == LUA_TSTRING) {
			size_t vl;
			const char *v = lua_tolstring(L, -1, &vl);
			if ((picks[i].flags & A_URL) && !url_safe(v, vl))
				luaL_error(L, "el: '%s' has an address that is not allowed (got '%s'; "
					"expected a relative link or an http, https or mailto address)",
					lua_pushlstring(L, picks[i].canon, picks[i].canon_len),
					lua_pushlstring(L, v, vl < 60 ? vl : 60));
			buf_put_html(o, v, vl);
		} else if (vt == LUA_TNUMBER) {
			put_number(o, L, -1);
			if ((picks[i].flags & A_URL) && !url_safe(o->ptr + at, o->len - at))
				luaL_error(L, "el: '%s' must be an address, not a number",
					lua_pushlstring(L, picks[i].canon, picks[i].canon_len));
		}
		buf_putc(o, '"');
		lua_pop(L, 1);
	}
}

/* Writes the child at idx (a string, a number, an element or a list of them). */
static void el_child(lua_State *L, el_build *eb, int idx, int list_depth)
{
	int t = lua_type(L, idx);
	element *e;
	eb->nth += t != LUA_TTABLE;
	if (t == LUA_TNIL || (t == LUA_TBOOLEAN && !lua_toboolean(L, idx)))
		return;
	if (t == LUA_TSTRING) {
		size_t n;
		const char *p = lua_tolstring(L, idx, &n);
		buf_put_html(eb->out, p, n);
	} else if (t == LUA_TNUMBER) {
		put_number(eb->out, L, idx);
	} else if (t == LUA_TUSERDATA && (e = to_element(L, idx))) {
		for (int c = 0; c < 2; c++)
			if (!eb->cbad[c])
				eb->cbad[c] = e->bad[c];
		if (e->depth > eb->depth)
			eb->depth = e->depth;
		buf_put(eb->out, e->html, e->len);
	} else if (t == LUA_TTABLE && list_depth < MAX_DEPTH && is_node_list(L, idx)) {
		luaL_checkstack(L, 4, "element tree");
		lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
		for (lua_Integer i = 1; i <= n; i++) {
			lua_rawgeti(L, idx, i);
			el_child(L, eb, lua_gettop(L), list_depth + 1);
			lua_pop(L, 1);
		}
	} else if (t == LUA_TTABLE) {
		luaL_error(L, list_depth < MAX_DEPTH ? "el: a child of '%s' is a table that is "
			"neither an element nor a list of nodes" : "el: the children of '%s' are "
			"nested deeper than %d levels (does a list contain itself?)", eb->td->name,
			MAX_DEPTH);
	} else {
		luaL_error(L, "el: child %d of '%s' is a %s; children are strings, numbers, "
			"elements and lists of them", (int)eb->nth, eb->td->name,
			luaL_typename(L, idx));
	}
	if (eb->out->len > eb->cap)
		luaL_error(L, "el: '%s' is larger than the memory cap (%d bytes); is an element "
			"used many times over?", eb->td->name, (int)(eb->cap < INT_MAX ? eb->cap : INT_MAX));
}

/* avoin.el(tag [, attrs], children...): the element, written and checked now. */
static int av_el(lua_State *L)
{
	hooks *h = self(L);
	size_t tlen;
	const char *tag = luaL_checklstring(L, 1, &tlen);
	const tag_def *td = find_tag(tag, tlen);
	if (!td)
		return luaL_error(L, "el: tag '%s' is not allowed in hook output", tag);
	int nargs = lua_gettop(L);
	el_build eb = { td, &h->value_buf, h->cap, 0, { NULL, NULL }, 0 };
	buf_reset(eb.out);
	buf_putc(eb.out, '<');
	buf_puts(eb.out, td->name);
	int first_child = 2;
	if (nargs >= 2 && lua_type(L, 2) == LUA_TTABLE && lua_rawlen(L, 2) == 0) {
		el_attrs(L, &eb, 2);
		first_child = 3;
	} else if (nargs >= 2 && lua_isnil(L, 2)) {
		first_child = 3;
	}
	buf_putc(eb.out, '>');
	size_t open_len = eb.out->len;
	for (int i = first_child; i <= nargs; i++)
		el_child(L, &eb, i, 0);
	if (td->flags & T_VOID) {
		if (eb.out->len > open_len || eb.depth)
			return luaL_error(L, "el: '%s' cannot have children", td->name);
	} else {
		buf_puts(eb.out, "</");
		buf_puts(eb.out, td->name);
		buf_putc(eb.out, '>');
	}
	if (eb.depth + 1 > MAX_DEPTH)
		return luaL_error(L, "el: the element tree is nested deeper than %d levels",
			MAX_DEPTH);
	const tag_def *bad[2];
	int is_svg = !strcmp(td->name, "svg");
	for (int c = 0; c < 2; c++)
		bad[c] = !(td->flags & (c ? T_SVG : T_HTML)) ? td : eb.cbad[is_svg ? 1 : c];
	if (bad[0] && bad[1]) {
		int c = (td->flags & T_HTML) ? 0 : 1;
		return luaL_error(L, "el: '%s' %s", bad[c]->name, context_words[c]);
	}
	element *e = lua_newuserdatauv(L, sizeof *e + eb.out->len, 0);
	e->bad[0] = bad[0];
	e->bad[1] = bad[1];
	e->depth = eb.depth + 1;
	e->len = eb.out->len;
	memcpy(e->html, eb.out->ptr, eb.out->len);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->el_mt_ref);
	lua_setmetatable(L, -2);
	return 1;
}


/*
 * avoin.read(path): a data file of the record's region (for src=), relative
 * to the record's folder, else to the region's folder; "/a/b.tsv" is from
 * the content root. Returns its text and content path, or nil and the path
 * that was looked for. Records (.md) are not data files: nil. So a hook's
 * result never depends on another record's body, and a commit that changes
 * only a body leaves every other record's cached parts (and the site model's
 * hash, build.c) valid.
 */
static int av_read(lua_State *L)
{
	hooks *h = self(L);
	const char *rel = luaL_checkstring(L, 1);
	const hook_ctx *cx = h->cx;
	if (!cx || !cx->read_file) {
		lua_pushnil(L);
		lua_pushfstring(L, "'%s': no files can be read here", rel);
		return 2;
	}
	size_t len = 0;
	const char *path = NULL;
	note_read(h, 'f', rel, strlen(rel));
	buf_reset(&h->path);
	const char *data = cx->read_file(cx->opaque, rel, &len, &path, &h->path);
	if (!data) {
		lua_pushnil(L);
		lua_pushlstring(L, h->path.ptr, h->path.len);
		return 2;
	}
	size_t at = text_control_at(data, len);
	if (at != (size_t)-1) {
		int line = 1;
		for (size_t k = 0; k < at; k++)
			line += data[k] == '\n';
		char cp[8];
		snprintf(cp, sizeof cp, "%04X", (unsigned)(unsigned char)data[at]);
		return raise_plain(L, "data file '%s' holds the control character U+%s on its "
			"line %d (expected text)", path, cp, line);
	}
	lua_pushlstring(L, data, len);
	lua_pushstring(L, path);
	return 2;
}

/* ---- data to Lua and back ------------------------------------------------------ */

static void push_number(lua_State *L, double d)
{
	if (isfinite(d) && d == floor(d) && fabs(d) < 9007199254740992.0)
		lua_pushinteger(L, (lua_Integer)d);
	else
		lua_pushnumber(L, d);
}

/*
 * Converts v into fresh tables (the site model goes level by level instead:
 * convert_level). YAML null is left out of maps (as if absent) and is false
 * in lists (a hole would end ipairs).
 */
static void push_value(lua_State *L, hooks *h, const value *v, int depth)
{
	if (depth > MAX_DEPTH)
		luaL_error(L, "data nested deeper than %d levels", MAX_DEPTH);
	luaL_checkstack(L, 6, "data nested too deeply");
	switch (v->kind) {
	case VAL_NULL:
	case VAL_BOOL:
	case VAL_NUMBER:
	case VAL_STRING:
		push_scalar(L, v);
		break;
	case VAL_LIST:
		lua_createtable(L, (int)v->u.list.n, 0);
		for (size_t i = 0; i < v->u.list.n; i++) {
			push_value(L, h, v->u.list.items[i], depth + 1);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		break;
	case VAL_MAP:
		lua_createtable(L, 0, (int)v->u.map.n);
		for (size_t i = 0; i < v->u.map.n; i++) {
			if (v->u.map.vals[i]->kind == VAL_NULL)
				continue;
			lua_pushstring(L, v->u.map.keys[i]);
			push_value(L, h, v->u.map.vals[i], depth + 1);
			lua_rawset(L, -3);
		}
		break;
	}
}

typedef struct kv {
	const char *key;
	size_t len;
	lua_Integer ikey;
	value *val;
} kv;

static int kv_cmp(const void *pa, const void *pb)
{
	const kv *a = pa, *b = pb;
	if (!a->key)
		return a->ikey < b->ikey ? -1 : a->ikey > b->ikey;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->key, b->key, n);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/*
 * What to_value() gives for the table convert_level() would make of v (a
 * map or list of the model not converted yet), read from the model itself:
 * to_value() runs outside any protected call, where Lua must not allocate.
 * The same values, the same count against *left and the same messages as
 * converting first would give; map keys are visited in their sorted order.
 */
static value *model_to_value(const value *v, int depth, const char *path, buf *err,
	size_t *left)
{
	if (*left == 0) {
		buf_printf(err, "'%s': the data has more than %d values", path, MAX_PAGE_VALUES);
		return NULL;
	}
	(*left)--;
	if (depth > MAX_DEPTH) {
		buf_printf(err, "'%s' is nested deeper than %d levels", path, MAX_DEPTH);
		return NULL;
	}
	int list = v->kind == VAL_LIST;
	size_t n = 0, total = list ? v->u.list.n : v->u.map.n;
	kv *items = xcalloc(total ? total : 1, sizeof *items);
	for (size_t i = 0; i < total; i++) {
		value *c = list ? v->u.list.items[i] : v->u.map.vals[i];
		if (!list && c->kind == VAL_NULL)
			continue;
		items[n].key = list ? NULL : v->u.map.keys[i];
		items[n].len = list ? 0 : strlen(items[n].key);
		items[n].ikey = (lua_Integer)i + 1;
		items[n++].val = c;
	}
	if (!list)
		qsort(items, n, sizeof *items, kv_cmp);
	value *result = list || n == 0 ? value_list(0) : value_map(0);
	buf sub = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const value *c = items[i].val;
		value *cv = NULL;
		buf_reset(&sub);
		if (list)
			buf_printf(&sub, "%s[%lld]", path, (long long)items[i].ikey);
		else
			buf_printf(&sub, "%s%s%s", path, path[0] ? "." : "", items[i].key);
		/* the child as to_value() sees it: a scalar, or a proxy and then its data */
		if (*left == 0) {
			buf_printf(err, "'%s': the data has more than %d values", sub.ptr,
				MAX_PAGE_VALUES);
			goto fail;
		}
		(*left)--;
		switch (c->kind) {
		case VAL_NULL:
		case VAL_BOOL:
			cv = value_bool(c->kind == VAL_BOOL && c->u.boolean, 0);
			break;
		case VAL_NUMBER: {
			double d = c->u.number;
			if (!isfinite(d)) {
				buf_printf(err, "'%s' is not a finite number", sub.ptr);
				goto fail;
			}
			/* push_number() made an integer of it: -0 comes back as 0 */
			if (d == floor(d) && fabs(d) < 9007199254740992.0)
				d = (double)(lua_Integer)d;
			cv = value_number(d, 0);
			break;
		}
		case VAL_STRING:
			if (!utf8_valid(c->u.str.ptr, c->u.str.len)) {
				buf_printf(err, "'%s' is not valid UTF-8", sub.ptr);
				goto fail;
			}
			cv = value_stringn(c->u.str.ptr, c->u.str.len, 0);
			break;
		case VAL_LIST:
		case VAL_MAP:
			if (depth + 1 > MAX_DEPTH) {
				buf_printf(err, "'%s' is nested deeper than %d levels", sub.ptr,
					MAX_DEPTH);
				goto fail;
			}
			cv = model_to_value(c, depth + 1, sub.ptr, err, left);
			if (!cv)
				goto fail;
			break;
		}
		if (list)
			value_list_push(result, cv);
		else
			value_map_set(result, items[i].key, cv);
	}
	buf_release(&sub);
	free(items);
	return result;
fail:
	buf_release(&sub);
	free(items);
	value_free(result);
	return NULL;
}

/*
 * A Lua value back to a value tree, for page data. Runs outside any
 * protected call, so it only uses functions that cannot raise (no
 * allocation in Lua): lua_next, lua_type, lua_to* on values of the right
 * type, lua_rawget. Map keys are sorted bytewise, since Lua's own order
 * changes from run to run. Returns NULL with a message in err.
 */
static value *to_value(lua_State *L, hooks *h, int idx, int depth, const char *path, buf *err,
	size_t *left)
{
	idx = lua_absindex(L, idx);
	/* A table used many times over is converted as often: bound the whole. */
	if (*left == 0) {
		buf_printf(err, "'%s': the data has more than %d values", path, MAX_PAGE_VALUES);
		return NULL;
	}
	(*left)--;
	switch (lua_type(L, idx)) {
	case LUA_TBOOLEAN:
		return value_bool(lua_toboolean(L, idx), 0);
	case LUA_TNUMBER: {
		if (lua_isinteger(L, idx))
			return value_number((double)lua_tointeger(L, idx), 0);
		double d = lua_tonumber(L, idx);
		if (!isfinite(d)) {
			buf_printf(err, "'%s' is not a finite number", path);
			return NULL;
		}
		return value_number(d, 0);
	}
	case LUA_TSTRING: {
		size_t n;
		const char *s = lua_tolstring(L, idx, &n);
		if (!utf8_valid(s, n) || text_control_at(s, n) != (size_t)-1) {
			buf_printf(err, "'%s' is not valid UTF-8 text (or holds a control "
				"character)", path);
			return NULL;
		}
		return value_stringn(s, n, 0);
	}
	case LUA_TTABLE:
		break;
	default:
		if (is_element(L, idx)) {
			buf_printf(err, "'%s' is an element; page data is data, the templates "
				"write the HTML", path);
			return NULL;
		}
		buf_printf(err, "'%s' is a %s; page data holds strings, numbers, booleans and "
			"tables", path, lua_typename(L, lua_type(L, idx)));
		return NULL;
	}
	if (depth > MAX_DEPTH || !lua_checkstack(L, 6)) {
		buf_printf(err, "'%s' is nested deeper than %d levels", path, MAX_DEPTH);
		return NULL;
	}
	if (is_ro(L, idx)) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, h->p2d_ref);
		lua_pushvalue(L, idx);
		lua_rawget(L, -2);
		lua_remove(L, -2);
		value *v;
		if (lua_istable(L, -1))
			v = to_value(L, h, -1, depth, path, err, left);
		else if (lua_type(L, -1) == LUA_TLIGHTUSERDATA)
			v = model_to_value(lua_touserdata(L, -1), depth, path, err, left);
		else
			v = value_map(0);
		lua_pop(L, 1);
		return v;
	}
	kv *items = NULL;
	size_t n = 0, cap = 0, nint = 0;
	lua_Integer maxint = 0;
	value *result = NULL;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		items = xgrow(items, sizeof *items, n + 1, &cap);
		kv *e = &items[n];
		memset(e, 0, sizeof *e);
		buf sub = BUF_INIT;
		if (lua_type(L, -2) == LUA_TSTRING) {
			e->key = lua_tolstring(L, -2, &e->len);
			buf_printf(&sub, "%s%s%s", path, path[0] ? "." : "", e->key);
		} else if (lua_isinteger(L, -2) && lua_tointeger(L, -2) > 0) {
			e->ikey = lua_tointeger(L, -2);
			nint++;
			if (e->ikey > maxint)
				maxint = e->ikey;
			buf_printf(&sub, "%s[%lld]", path, (long long)e->ikey);
		} else {
			buf_printf(err, "'%s' has a key of type %s; page data keys are strings",
				path, luaL_typename(L, -2));
			buf_release(&sub);
			lua_pop(L, 2);
			goto out;
		}
		n++;
		e->val = to_value(L, h, -1, depth + 1, sub.ptr, err, left);
		buf_release(&sub);
		lua_pop(L, 1);
		if (!e->val) {
			lua_pop(L, 1);
			goto out;
		}
	}
	if (nint && nint != n) {
		buf_printf(err, "'%s' mixes list items and named keys", path);
		goto out;
	}
	if (nint && (size_t)maxint != n) {
		buf_printf(err, "'%s' is a list with holes", path);
		goto out;
	}
	if (n)
		qsort(items, n, sizeof *items, kv_cmp);
	if (nint || n == 0) {  /* {} is an empty list: falsy for a template section */
		result = value_list(0);
		for (size_t i = 0; i < n; i++) {
			value_list_push(result, items[i].val);
			items[i].val = NULL;
		}
	} else {
		result = value_map(0);
		for (size_t i = 0; i < n; i++) {
			if (memchr(items[i].key, '\0', items[i].len)) {
				buf_printf(err, "'%s' has a key with a NUL byte", path);
				value_free(result);
				result = NULL;
				goto out;
			}
			value_map_set(result, items[i].key, items[i].val);
			items[i].val = NULL;
		}
	}
out:
	for (size_t i = 0; i < n; i++)
		if (items[i].val)
			value_free(items[i].val);
	free(items);
	return result;
}

/* ---- calling a hook ---------------------------------------------------------- */

enum call_kind { CALL_CHECK, CALL_BLOCK, CALL_SUMMARY, CALL_PAGE };

typedef struct call {
	hooks *h;
	const hook_ent *hk;
	enum call_kind kind;
	const char *text;
	const value *attrs;
	int line;
	int nth;             /* block: its place among the body's hook blocks (1, 2, ...), 0: unknown */
	const char *body;
	const value *page;
	const hook_ctx *cx;
	char where[300];     /* the hook function: "file:line" */
} call;

/* Pushes a new environment: the allow list, with _G pointing at itself. */
static void push_env(lua_State *L, hooks *h)
{
	lua_createtable(L, 0, 24);
	int env = lua_gettop(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->env_ref);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, env);
	}
	lua_pop(L, 1);
	lua_pushvalue(L, env);
	lua_setfield(L, env, "_G");
}

static void push_site(lua_State *L, hooks *h, const value *site)
{
	if (!site) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, h->empty_ref);
		return;
	}
	if (h->site_src != site) {
		if (h->site_ref != LUA_NOREF) {
			luaL_unref(L, LUA_REGISTRYINDEX, h->site_ref);
			h->site_ref = LUA_NOREF;
			h->site_ptr = NULL;
			h->base -= h->site_bytes;
			h->site_bytes = 0;
		}
		value_free(h->site_src);
		h->site_src = NULL;
		int was = h->limited;
		h->limited = 0;
		if (h->site_loaded)
			lua_gc(L, LUA_GCCOLLECT);
		/* the root proxy, of an empty table until load_site() */
		lua_newtable(L);
		make_ro(L, h);
		h->site_ptr = lua_topointer(L, -1);
		h->site_ref = luaL_ref(L, LUA_REGISTRYINDEX);
		h->site_loaded = 0;
		h->site_tables = 0;
		/* Held, so that its address cannot be reused by another tree while it is cached. */
		h->site_src = value_ref((value *)site);
		h->limited = was;
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->site_ref);
}

static void push_record(lua_State *L, hooks *h, const hook_ctx *cx)
{
	if (cx && cx->record && cx->record->kind == VAL_MAP)
		push_value(L, h, cx->record, 0);
	else
		lua_newtable(L);
}

/*
 * Runs in a protected call: runs the hook's chunk in a fresh environment,
 * checks it returned a function, calls that with the arguments of the call
 * kind and, for a block hook, turns the result into HTML in h->scratch.
 * Leaves the result on the stack.
 */
static int runner(lua_State *L)
{
	call *c = lua_touserdata(L, 1);
	hooks *h = c->h;
	lua_settop(L, 0);
	lua_rawgeti(L, LUA_REGISTRYINDEX, c->hk->ref);
	push_env(L, h);
	if (!lua_setupvalue(L, 1, 1))
		lua_pop(L, 1);
	lua_call(L, 0, 1);
	if (lua_type(L, 1) != LUA_TFUNCTION)
		return raise_plain(L, "%s: the hook file must return a function (got %s)",
			c->hk->file, luaL_typename(L, 1));
	lua_Debug ar;
	lua_pushvalue(L, 1);
	lua_getinfo(L, ">S", &ar);
	snprintf(c->where, sizeof c->where, "%s:%d", ar.short_src, ar.linedefined);
	if (c->kind == CALL_CHECK)
		return 0;
	lua_pushvalue(L, 1);
	int nargs = 2;
	switch (c->kind) {
	case CALL_BLOCK:
		lua_createtable(L, 0, 3);
		lua_pushstring(L, c->text ? c->text : "");
		lua_setfield(L, -2, "text");
		if (c->attrs && c->attrs->kind == VAL_MAP)
			push_value(L, h, c->attrs, 0);
		else
			lua_newtable(L);
		lua_setfield(L, -2, "attrs");
		lua_pushinteger(L, c->line);
		lua_setfield(L, -2, "line");
		if (c->nth > 0) {
			lua_pushinteger(L, c->nth);
			lua_setfield(L, -2, "index");
		}
		if (h->tracking)
			make_tracked(L, h, 'b');
		push_record(L, h, c->cx);
		if (h->tracking)
			make_tracked(L, h, 'r');
		nargs = 3;
		break;
	case CALL_SUMMARY:
		push_record(L, h, c->cx);
		lua_pushstring(L, c->body ? c->body : "");
		lua_setfield(L, -2, "body");
		break;
	case CALL_PAGE:
		if (c->page && c->page->kind == VAL_MAP)
			push_value(L, h, c->page, 0);
		else
			lua_newtable(L);
		break;
	case CALL_CHECK:
		break;
	}
	push_site(L, h, c->cx ? c->cx->site : NULL);
	lua_call(L, nargs, 1);
	int t = lua_type(L, 2);
	if (c->kind == CALL_BLOCK) {
		const char *what = t == LUA_TSTRING ? "HTML" : "element tree";
		ser s = { h, &h->scratch, h->cap, c->where, what };
		if (t == LUA_TSTRING) {
			size_t n;
			const char *p = lua_tolstring(L, 2, &n);
			if (!utf8_valid(p, n))
				return raise_plain(L, "%s: the hook returned HTML that is not "
					"valid UTF-8 text", c->where);
			html_string(L, &s, p, n);
		} else if (t == LUA_TTABLE || is_element(L, 2)) {
			ser_node(L, &s, 2, 0, 0);
			if (!utf8_valid(h->scratch.ptr, h->scratch.len))
				return ser_fail(L, &s, "holds text that is not valid UTF-8");
		} else {
			return raise_plain(L, "%s: the hook returned %s%s, expected a string or an "
				"element tree (avoin.el)", c->where, t == LUA_TNIL ? "" : "a ",
				t == LUA_TNIL ? "nothing" : luaL_typename(L, 2));
		}
		/* whatever built it, no control character reaches a page (a NUL would end it early) */
		size_t at = text_control_at(h->scratch.ptr, h->scratch.len);
		if (at != (size_t)-1) {
			char cp[8];
			snprintf(cp, sizeof cp, "%04X", (unsigned)(unsigned char)h->scratch.ptr[at]);
			return ser_fail(L, &s, "holds the control character U+%s (from a string, "
				"an attribute or a data file; expected text)", cp);
		}
	} else if (c->kind == CALL_SUMMARY) {
		if (t == LUA_TSTRING) {
			size_t n;
			const char *p = lua_tolstring(L, 2, &n);
			if (!utf8_valid(p, n) || text_control_at(p, n) != (size_t)-1)
				return raise_plain(L, "%s: the summary is not valid UTF-8 text "
					"(or holds a control character)", c->where);
		} else if (t != LUA_TNIL) {
			return raise_plain(L, "%s: the hook returned a %s, expected a string or "
				"nil", c->where, luaL_typename(L, 2));
		}
	} else if (t != LUA_TNIL && t != LUA_TTABLE) {
		return raise_plain(L, "%s: the hook returned a %s, expected a table or nil",
			c->where, luaL_typename(L, 2));
	}
	return 2;
}

/* "file:12: rest" -> 12 and rest, when the first line of msg starts with a file and line. */
static int split_position(const char *msg, const char **rest)
{
	const char *nl = strchr(msg, '\n');
	const char *end = nl ? nl : msg + strlen(msg);
	for (const char *p = msg; p < end; p++) {
		if (*p != ':' || !isdigit((unsigned char)p[1]))
			continue;
		const char *q = p + 1;
		int line = 0;
		while (isdigit((unsigned char)*q) && line < 10000000)
			line = line * 10 + (*q++ - '0');
		if (q[0] == ':' && q[1] == ' ') {
			*rest = q + 2;
			return line;
		}
	}
	*rest = msg;
	return 0;
}

/*
 * Turns the error on top of the stack into a diagnostic. dfile/dline say
 * what is being built (the record and the block's line); with dfile NULL
 * the error is reported against the hook file itself.
 */
static void report(hooks *h, const hook_ent *hk, int status, const char *dfile, int dline,
	diag_list *d)
{
	lua_State *L = h->L;
	buf msg = BUF_INIT;
	int is_data = 0;
	if (status == LUA_ERRMEM && !h->mem_hit) {
		buf_puts(&msg, "out of memory");
	} else if (h->mem_hit) {
		char capstr[64];
		if (h->cap % ((size_t)1 << 20) == 0)
			snprintf(capstr, sizeof capstr, "%zu MiB", h->cap >> 20);
		else
			snprintf(capstr, sizeof capstr, "%zu bytes", h->cap);
		if (h->mem_pos[0])
			buf_printf(&msg, "%s: ", h->mem_pos);
		buf_printf(&msg, "memory limit of %s exceeded (raise hooks.memory_mb in site.yaml "
			"if the hook needs more)", capstr);
		if (h->mem_trace[0])
			buf_printf(&msg, "\nstack traceback:\n\t%s", h->mem_trace);
	} else if (is_err_obj(L, -1)) {
		lua_rawgeti(L, -1, 2);
		is_data = lua_toboolean(L, -1);
		lua_pop(L, 1);
		lua_rawgeti(L, -1, 1);
		const char *m = lua_tostring(L, -1);
		buf_puts(&msg, m ? m : "(no message)");
		lua_pop(L, 1);
	} else {
		const char *m = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		buf_puts(&msg, m ? m : "(error object is not a string)");
		/* The last frames are the sandbox's own C functions: of no use to a hook author. */
		static const char tail[] = "\n\t[C]: in ?";
		size_t tl = sizeof tail - 1;
		while (msg.len >= tl && !memcmp(msg.ptr + msg.len - tl, tail, tl))
			buf_truncate(&msg, msg.len - tl);
	}
	const char *text = msg.ptr;
	if (!dfile) {
		/* Reported against the hook file itself: its name need not be repeated. */
		dfile = hk->file;
		size_t fl = strlen(hk->file);
		const char *rest;
		int line = split_position(text, &rest);
		if (line && !strncmp(text, hk->file, fl)) {
			dline = line;
			text = rest;
		} else if (!strncmp(text, hk->file, fl) && !strncmp(text + fl, ": ", 2)) {
			text += fl + 2;
		}
	}
	if (is_data)
		diag_error(d, dfile, dline, "hook '%s': %s", hk->name, text);
	else
		diag_error(d, dfile, dline, "hook '%s' failed: %s", hk->name, text);
	buf_release(&msg);
}

/* Runs c; on success the hook's result is on top of the stack (the caller pops it). */
static int run(hooks *h, call *c, const char *dfile, int dline, diag_list *d)
{
	lua_State *L = h->L;
	lua_settop(L, 0);
	h->steps = 0;
	h->budget_hit = 0;
	h->time_hit = 0;
	h->call_file = dfile;
	h->call_line = dline;
	h->call_hook = c->hk ? c->hk->name : NULL;
	atomic_store(&h->deadline_ns, now_ns() + (long long)h->seconds * 1000000000LL);
	atomic_fetch_add(&h->call_seq, 1);
	h->mem_hit = 0;
	h->mem_pos[0] = h->mem_trace[0] = '\0';
	h->limited = 1;
	h->cx = c->cx;
	h->in_call = 1;
	h->site_used = 0;
	buf_reset(&h->scratch);
	lua_sethook(L, count_hook, LUA_MASKCOUNT, COUNT_STEP);
	lua_pushcfunction(L, msg_handler);
	lua_pushcfunction(L, runner);
	lua_pushlightuserdata(L, c);
	int status = lua_pcall(L, 1, 2, 1);
	atomic_fetch_add(&h->call_seq, 1);
	h->site_calls += h->site_used != 0;
	h->in_call = 0;
	h->cx = NULL;
	h->limited = 1;
	h->counting = 0;    /* an error may have left a conversion half done */
	lua_sethook(L, NULL, 0, 0);
	if (status != LUA_OK) {
		report(h, c->hk, status, dfile, dline, d);
		lua_settop(L, 0);
		return -1;
	}
	return 0;
}

static hook_ent *find_hook(const hooks *h, const char *name)
{
	for (size_t i = 0; h && name && i < h->n; i++)
		if (!strcmp(h->ents[i].name, name))
			return &h->ents[i];
	return NULL;
}

int hooks_has(const hooks *h, const char *name)
{
	return find_hook(h, name) != NULL;
}

void hooks_mark_not_block(hooks *h, const char *name)
{
	hook_ent *hk = find_hook(h, name);
	if (hk)
		hk->not_block = 1;
}

int hooks_is_block(const hooks *h, const char *name)
{
	const hook_ent *hk = find_hook(h, name);
	return hk && !hk->not_block && strcmp(name, "summary") != 0;
}

static int key_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names a call read, sorted, each once (NULL when it read something unnamable: not kept). */
static char *read_names(hooks *h)
{
	if (h->untrackable)
		return NULL;
	buf all = BUF_INIT;
	buf_put(&all, h->reads.ptr, h->reads.len);
	if (h->site_used)
		buf_puts(&all, "s:\n");
	size_t n = 0, cap = 0;
	char **lines = NULL;
	for (char *p = all.ptr; *p;) {
		char *nl = strchr(p, '\n');
		*nl = '\0';
		lines = xgrow(lines, sizeof *lines, n + 1, &cap);
		lines[n++] = p;
		p = nl + 1;
	}
	if (n > 1)
		qsort(lines, n, sizeof *lines, key_str_cmp);
	buf out = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (!i || strcmp(lines[i], lines[i - 1]))
			buf_printf(&out, "%s\n", lines[i]);
	free(lines);
	buf_release(&all);
	return buf_detach(&out, NULL);
}

/*
 * The values the names have for this call, one line each: a record key as
 * JSON, the block's line, a file as avoin.read would find it (its path and a
 * digest of its bytes, or why it is not there), the site model's hash. -1 when
 * a name cannot be valued here (the memo is then not used).
 */
static int read_values(hooks *h, const char *names, int line, int nth, const hook_ctx *cx,
	buf *out)
{
	for (const char *p = names; *p;) {
		const char *nl = strchr(p, '\n');
		char *name = xstrndup(p + 2, (size_t)(nl - p - 2));
		int ok = 1;
		if (p[0] == 'r') {
			const value *v = cx && cx->record ? (strcmp(name, "*") ? value_map_get(cx->record,
				name) : cx->record) : NULL;
			if (v)
				value_put_json(out, v);
			else
				buf_puts(out, "null");
		} else if (p[0] == 'b') {
			if (!strcmp(name, "*"))
				buf_printf(out, "%d %d", line, nth);
			else
				buf_printf(out, "%d", !strcmp(name, "line") ? line :
					!strcmp(name, "index") ? nth : 0);
		} else if (p[0] == 'f') {
			size_t len = 0;
			const char *path = NULL;
			buf why = BUF_INIT;
			const char *data = cx && cx->read_file ? cx->read_file(cx->opaque, name, &len,
				&path, &why) : NULL;
			if (data) {
				cache_key k;
				buf b = BUF_INIT;
				buf_put(&b, data, len);
				cache_key_of(&b, &k);
				char hex[41];
				cache_key_hex(&k, hex);
				buf_printf(out, "%s %s", path, hex);
				buf_release(&b);
			} else {
				buf_printf(out, "! %s", why.ptr);
			}
			buf_release(&why);
		} else if (p[0] == 's') {
			ok = h->model_hash && h->model_hash[0];
			buf_puts(out, h->model_hash ? h->model_hash : "");
		} else {
			ok = 0;
		}
		free(name);
		if (!ok)
			return -1;
		buf_putc(out, '\n');
		p = nl + 1;
	}
	return 0;
}

/* A result of an earlier call with the same block, record reads and files: 1 and out, else 0. */
static int memo_lookup(hooks *h, const cache_key *k1, int line, int nth, const hook_ctx *cx,
	buf *out)
{
	char **lists;
	size_t n = blockmemo_variants(h->memo, k1, h->memo_worker, &lists);
	int hit = 0;
	for (size_t i = 0; i < n; i++) {
		buf values = BUF_INIT;
		if (!hit && read_values(h, lists[i], line, nth, cx, &values) == 0) {
			cache_key k2;
			blockmemo_second_key(k1, lists[i], values.ptr, &k2);
			hit = blockmemo_get(h->memo, &k2, h->memo_worker, out);
		}
		buf_release(&values);
		free(lists[i]);
	}
	free(lists);
	return hit;
}

static void memo_keep(hooks *h, const cache_key *k1, int line, int nth, const hook_ctx *cx)
{
	char *names = read_names(h);
	buf values = BUF_INIT;
	if (names && read_values(h, names, line, nth, cx, &values) == 0) {
		cache_key k2;
		blockmemo_second_key(k1, names, values.ptr, &k2);
		blockmemo_put(h->memo, k1, names, &k2, h->scratch.ptr, h->scratch.len, h->memo_worker);
	}
	buf_release(&values);
	free(names);
}

void hooks_set_memo(hooks *h, blockmemo *memo, size_t worker, const char *model_hash)
{
	h->memo = memo;
	h->memo_worker = worker;
	h->model_hash = model_hash;
}

int hooks_block(hooks *h, const char *name, const char *text, const value *attrs, int line,
	const hook_ctx *cx, buf *out, diag_list *d)
{
	return hooks_block_nth(h, name, text, attrs, line, 0, cx, out, d);
}

int hooks_block_nth(hooks *h, const char *name, const char *text, const value *attrs, int line,
	int nth, const hook_ctx *cx, buf *out, diag_list *d)
{
	const char *dfile = cx && cx->record_file ? cx->record_file : NULL;
	hook_ent *hk = find_hook(h, name);
	if (!hk) {
		diag_error(d, dfile, line, "no hook named '%s'", name);
		return -1;
	}
	cache_key k1;
	if (h->memo) {
		buf aj = BUF_INIT;
		if (attrs)
			value_put_json(&aj, attrs);
		blockmemo_first_key(h->memo, name, aj.ptr, text ? text : "", &k1);
		buf_release(&aj);
		if (memo_lookup(h, &k1, line, nth, cx, out))
			return 0;
		blockmemo_count_ran(h->memo);
	}
	call c = { .h = h, .hk = hk, .kind = CALL_BLOCK, .text = text, .attrs = attrs, .line = line,
		.nth = nth, .cx = cx };
	h->tracking = h->memo != NULL;
	h->untrackable = 0;
	buf_reset(&h->reads);
	int rc = run(h, &c, dfile ? dfile : hk->file, line, d);
	h->tracking = 0;
	if (rc < 0)
		return -1;
	if (h->memo)
		memo_keep(h, &k1, line, nth, cx);
	buf_put(out, h->scratch.ptr, h->scratch.len);
	buf_reset(&h->scratch);
	lua_settop(h->L, 0);
	return 0;
}

int hooks_summary(hooks *h, const char *body, const hook_ctx *cx, buf *out, diag_list *d)
{
	hook_ent *hk = find_hook(h, "summary");
	if (!hk)
		return 0;
	const char *dfile = cx && cx->record_file ? cx->record_file : hk->file;
	call c = { .h = h, .hk = hk, .kind = CALL_SUMMARY, .body = body, .cx = cx };
	if (run(h, &c, dfile, 0, d) < 0)
		return -1;
	int r = 0;
	if (lua_type(h->L, -1) == LUA_TSTRING) {
		size_t n;
		const char *s = lua_tolstring(h->L, -1, &n);
		buf_put(out, s, n);
		r = n > 0;
	}
	lua_settop(h->L, 0);
	return r;
}

int hooks_page_data(hooks *h, const char *hook_name, const value *page, const hook_ctx *cx,
	value **out, diag_list *d)
{
	*out = NULL;
	hook_ent *hk = find_hook(h, hook_name);
	if (!hk)
		return 0;
	const char *dfile = cx && cx->record_file ? cx->record_file : hk->file;
	call c = { .h = h, .hk = hk, .kind = CALL_PAGE, .page = page, .cx = cx };
	if (run(h, &c, dfile, 0, d) < 0)
		return -1;
	int r = 0;
	if (lua_type(h->L, -1) == LUA_TTABLE) {
		buf err = BUF_INIT;
		size_t left = MAX_PAGE_VALUES;
		value *v = to_value(h->L, h, -1, 0, "", &err, &left);
		if (!v) {
			diag_error(d, dfile, 0, "hook '%s' failed: %s: the returned table: %s",
				hk->name, c.where, err.ptr);
			r = -1;
		} else if (v->kind != VAL_MAP) {
			if (value_len(v) == 0) {
				value_free(v);
				v = value_map(0);
			} else {
				diag_error(d, dfile, 0, "hook '%s' failed: %s: the hook returned a "
					"list, expected a table with named keys", hk->name,
					c.where);
				value_free(v);
				v = NULL;
				r = -1;
			}
		}
		*out = v;
		buf_release(&err);
	}
	lua_settop(h->L, 0);
	return r;
}

/* ---- opening ---------------------------------------------------------------------- */

static const char *const base_allowed[] = {
	"assert", "error", "getmetatable", "ipairs", "rawequal", "rawget", "rawlen", "select",
	"tonumber", "type", "_VERSION",
};

/* Copies lib (on top) into a new table without the names in drop; leaves the copy on top. */
static void copy_lib(lua_State *L, const char *const *drop, size_t ndrop)
{
	int lib = lua_gettop(L);
	lua_newtable(L);
	lua_pushnil(L);
	while (lua_next(L, lib)) {
		size_t k;
		const char *name = lua_tostring(L, -2);
		for (k = 0; k < ndrop; k++)
			if (!strcmp(name, drop[k]))
				break;
		if (k < ndrop) {
			lua_pop(L, 1);
			continue;
		}
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, lib + 1);
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

static void build_sandbox(hooks *h)
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
	lua_pushcclosure(L, ro_index, 1);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, ro_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->p2d_ref);
	lua_pushcclosure(L, ro_len, 1);
	lua_setfield(L, -2, "__len");
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->p2d_ref);
	lua_pushcclosure(L, ro_pairs, 1);
	lua_setfield(L, -2, "__pairs");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	h->ro_mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);

	lua_createtable(L, 0, 3);
	lua_pushliteral(L, "element");
	lua_setfield(L, -2, "__metatable");
	lua_pushcfunction(L, el_frozen);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, el_frozen);
	lua_setfield(L, -2, "__newindex");
	h->el_mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);

	h->trk_ref = weak_keys_ref(L);
	lua_createtable(L, 0, 5);
	lua_pushcfunction(L, trk_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, trk_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushcfunction(L, trk_len);
	lua_setfield(L, -2, "__len");
	lua_pushcfunction(L, trk_pairs);
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

	static const char *const string_drop[] = { "dump", "format" };
	luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 0);
	lua_getfield(L, -1, "format");
	int real_format = lua_gettop(L);
	lua_pushvalue(L, -2);
	copy_lib(L, string_drop, 2);
	lua_pushvalue(L, real_format);
	lua_pushcclosure(L, sb_format, 1);
	lua_setfield(L, -2, "format");
	make_ro(L, h);
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

	static const char *const table_drop[] = { "sort" };
	luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 0);
	copy_lib(L, table_drop, 1);
	lua_pushcfunction(L, sb_sort);
	lua_setfield(L, -2, "sort");
	make_ro(L, h);
	lua_setfield(L, env, "table");

	static const char *const math_drop[] = { "random", "randomseed" };
	luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 0);
	copy_lib(L, math_drop, 2);
	make_ro(L, h);
	lua_setfield(L, env, "math");

	luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 0);
	copy_lib(L, NULL, 0);
	make_ro(L, h);
	lua_setfield(L, env, "utf8");

	static const luaL_Reg avoin[] = {
		{ "el", av_el }, { "error", av_error }, { "escape", av_escape },
		{ "format_date", av_format_date }, { "format_number", av_format_number },
		{ "parse_number", av_parse_number }, { "points", av_points }, { "read", av_read },
		{ "where", av_where }, { NULL, NULL },
	};
	luaL_newlib(L, avoin);
	make_ro(L, h);
	lua_setfield(L, env, "avoin");

	h->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);

	lua_newtable(L);
	make_ro(L, h);
	h->empty_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_settop(L, 0);
}

static int valid_name(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-' &&
			*s != '_')
			return 0;
	return 1;
}

static int load_one(hooks *h, const hook_source *src, diag_list *d)
{
	lua_State *L = h->L;
	const char *file = src->file ? src->file : src->name;
	if (!valid_name(src->name)) {
		diag_error(d, file, 0, "hook name '%s' must be lower-case letters, digits, '-' "
			"and '_'", src->name ? src->name : "");
		return -1;
	}
	if (src->len > 0 && src->code[0] == LUA_SIGNATURE[0]) {
		diag_error(d, file, 0, "hook '%s' is precompiled Lua bytecode; hooks are loaded as "
			"source text only", src->name);
		return -1;
	}
	char *chunkname = xasprintf("@%s", file);
	h->limited = 0;
	int status = luaL_loadbufferx(L, src->code, src->len, chunkname, "t");
	free(chunkname);
	if (status != LUA_OK) {
		const char *msg = lua_tostring(L, -1);
		const char *rest;
		int line = split_position(msg ? msg : "", &rest);
		diag_error(d, file, line, "syntax error in hook '%s': %s", src->name, rest);
		lua_settop(L, 0);
		return -1;
	}
	hook_ent *e = find_hook(h, src->name);
	if (!e) {
		h->ents = xgrow(h->ents, sizeof *h->ents, h->n + 1, &h->cap_ents);
		e = &h->ents[h->n++];
		e->name = xstrdup(src->name);
		e->file = NULL;
		e->ref = LUA_NOREF;
		e->not_block = 0;
	}
	free(e->file);
	e->file = xstrdup(file);
	luaL_unref(L, LUA_REGISTRYINDEX, e->ref);
	e->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

int hooks_open(hooks **out, const hook_source *theme, size_t n_theme,
	const hook_source *content, size_t n_content, const hooks_limits *lim, diag_list *d)
{
	*out = NULL;
	hooks *h = xcalloc(1, sizeof *h);
	h->cap = lim && lim->memory ? lim->memory : DEFAULT_MEMORY;
	h->instr_limit = lim && lim->instructions > 0 ? lim->instructions : DEFAULT_INSTRUCTIONS;
	h->seconds = lim && lim->seconds > 0 ? lim->seconds : DEFAULT_SECONDS;
	watch(h);
	h->site_ref = LUA_NOREF;
	buf_init(&h->scratch);
	buf_init(&h->path);
	buf_init(&h->value_buf);
	buf_init(&h->reads);
	h->L = lua_newstate(sandbox_alloc, h);
	if (!h->L) {
		fprintf(stderr, "avoin: out of memory creating a Lua state\n");
		abort();
	}
	*(hooks **)lua_getextraspace(h->L) = h;
	lua_atpanic(h->L, on_panic);
	build_sandbox(h);

	/* Content hooks replace theme hooks of the same name; only the winners are compiled. */
	int errors = 0;
	for (size_t i = 0; i < n_theme; i++) {
		size_t k;
		for (k = 0; k < n_content; k++)
			if (theme[i].name && content[k].name &&
				!strcmp(theme[i].name, content[k].name))
				break;
		if (k == n_content && load_one(h, &theme[i], d) < 0)
			errors++;
	}
	for (size_t i = 0; i < n_content; i++)
		if (load_one(h, &content[i], d) < 0)
			errors++;
	lua_gc(h->L, LUA_GCCOLLECT);
	h->base = h->used;
	h->limited = 1;
	/* Run each chunk once now: one that does not return a function fails before any page. */
	for (size_t i = 0; !errors && i < h->n; i++) {
		call c = { .h = h, .hk = &h->ents[i], .kind = CALL_CHECK };
		if (run(h, &c, NULL, 0, d) < 0)
			errors++;
		lua_settop(h->L, 0);
	}
	if (errors) {
		hooks_free(h);
		return -1;
	}
	lua_gc(h->L, LUA_GCCOLLECT);
	h->base = h->used;
	*out = h;
	return 0;
}

void hooks_free(hooks *h)
{
	if (!h)
		return;
	unwatch(h);
	if (h->L)
		lua_close(h->L);
	value_free(h->site_src);
	for (size_t i = 0; i < h->n; i++) {
		free(h->ents[i].name);
		free(h->ents[i].file);
	}
	free(h->ents);
	buf_release(&h->scratch);
	buf_release(&h->reads);
	buf_release(&h->path);
	buf_release(&h->value_buf);
	free(h);
}

/*
 * 1 when a body may call a hook: some fence (``` or ~~~, anywhere, so also
 * in lists and quotes) is followed by the name of a hook. Errs on the side
 * of yes: a yes only makes the cache key stricter.
 */
int hooks_body_calls(const hooks *h, const char *body, size_t len)
{
	if (!h)
		return 0;
	for (size_t i = 0; i + 3 <= len; i++) {
		if (!((body[i] == '`' || body[i] == '~') && body[i + 1] == body[i] &&
		      body[i + 2] == body[i]))
			continue;
		size_t a = i + 3;
		while (a < len && (body[a] == body[i] || body[a] == ' ' || body[a] == '\t'))
			a++;
		size_t z = a;
		while (z < len && z - a < 64 && body[z] != ' ' && body[z] != '\t' && body[z] != '\n' &&
		       body[z] != '{' && body[z] != '`' && body[z] != '~')
			z++;
		if (z > a) {
			char name[65];
			memcpy(name, body + a, z - a);
			name[z - a] = '\0';
			if (hooks_has(h, name))
				return 1;
		}
		i = z > i + 2 ? z - 1 : i + 2;
	}
	return 0;
}

unsigned long hooks_site_reads(const hooks *h)
{
	return h ? h->site_calls : 0;
}

void hooks_count_site_read(hooks *h)
{
	if (h)
		h->site_calls++;
}

unsigned long hooks_site_converted(const hooks *h)
{
	return h ? h->site_tables : 0;
}
