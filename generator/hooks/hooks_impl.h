#ifndef AVOIN_HOOKS_IMPL_H
#define AVOIN_HOOKS_IMPL_H
/*
 * Inside the hooks module (hooks.h is its interface): the state every part
 * of it shares and what each part offers the others. Not for other modules.
 *
 *   sandbox.c    the allocator and its cap, the instruction budget and the
 *                watchdog, error objects, the sandbox's versions of base
 *                functions, building the sandbox from allow lists
 *   hookdata.c   the site model, records and pages as read-only or
 *                read-tracked Lua tables; Lua values back to value trees
 *   hookhtml.c   the HTML hooks may produce: allow lists, avoin.el, the
 *                string sanitiser, numbers as HTML writes them
 *   hooklib.c    the avoin.* library
 *   hooks.c      loading hooks and calling them (with the block memo)
 */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "blockmemo.h"
#include "buf.h"
#include "hooks.h"
#include "value.h"

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

static inline hooks *self(lua_State *L)
{
	return *(hooks **)lua_getextraspace(L);
}

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



/* Serialisation state: where the HTML goes and what to name in errors. */
typedef struct ser {
	hooks *h;
	buf *out;
	size_t max;
	const char *where;   /* "themes/default/hooks/x.lua:3", the hook function */
	const char *what;    /* "HTML" or "element tree" */
} ser;

/* sandbox.c: the allocator and its cap, the instruction budget and the watchdog, error objects, the sandbox's base functions */
void *hk_sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
int hk_on_panic(lua_State *L);
long long hk_now_ns(void);
void hk_count_hook(lua_State *L, lua_Debug *ar);
void hk_watch(hooks *h);
void hk_unwatch(hooks *h);
int hk_is_err_obj(lua_State *L, int idx);
int hk_raise_obj(lua_State *L, int is_data);
int hk_raise_plain(lua_State *L, const char *fmt, ...);
int hk_msg_handler(lua_State *L);
int hk_push_sorted_pairs(lua_State *L, int t);
void hk_build_sandbox(hooks *h);

/* hookdata.c: the site model, records and pages as read-only or read-tracked Lua tables, and Lua values back to value trees */
void hk_shared_begin(hooks *h, shared_mark *m);
void hk_shared_end(hooks *h, const shared_mark *m);
void hk_push_scalar(lua_State *L, const value *v);
int hk_is_container(const value *v);
const value *hk_model_get(lua_State *L, const value *v, int key);
void hk_proxy_data(lua_State *L, int p2d, int idx);
int hk_ro_index(lua_State *L);
int hk_ro_newindex(lua_State *L);
int hk_ro_len(lua_State *L);
int hk_ro_pairs(lua_State *L);
int hk_is_ro(lua_State *L, int idx);
void hk_make_ro(lua_State *L, hooks *h);
void hk_note_read(hooks *h, char role, const char *k, size_t n);
char hk_tracked_data(lua_State *L, int idx);
int hk_trk_index(lua_State *L);
int hk_trk_newindex(lua_State *L);
int hk_trk_len(lua_State *L);
int hk_trk_pairs(lua_State *L);
void hk_make_tracked(lua_State *L, hooks *h, char role);
void hk_push_number(lua_State *L, double d);
void hk_push_value(lua_State *L, hooks *h, const value *v, int depth);
value *hk_to_value(lua_State *L, hooks *h, int idx, int depth, const char *path, buf *err,
	size_t *left);

/* hookhtml.c: the HTML hooks may produce (allow lists, avoin.el, the string sanitiser, numbers as HTML writes them) */
int hk_ser_fail(lua_State *L, const ser *s, const char *fmt, ...);
size_t hk_put_scaled(char *out, unsigned long long k, int dec);
size_t hk_fixed_fast(char *out, double x, int dec);
int hk_is_element(lua_State *L, int idx);
int hk_el_frozen(lua_State *L);
void hk_ser_node(lua_State *L, ser *s, int idx, int depth, int in_svg);
void hk_html_string(lua_State *L, ser *s, const char *p, size_t n);
int hk_av_el(lua_State *L);
/* hooklib.c: the avoin.* library */
void hk_push_avoin(lua_State *L);

#endif
