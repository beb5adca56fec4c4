/*
 * Reading the content folder of one revision with libgit2, or of the working
 * tree for previews. Everything is read once, up front, into a sorted array:
 * later stages never touch git for the current files.
 */
#include "repo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "htab.h"
#include "repo_impl.h"
#include "util.h"
#include "banned.h"




const char *repo_git_error(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown error";
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm): no locale, no time_t range. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void format_date(buf *out, int64_t t, int offset)
{
	int64_t y;
	unsigned m, d;
	civil_from_days(floor_div(t + (int64_t)offset * 60, 86400), &y, &m, &d);
	buf_printf(out, "%04lld-%02u-%02u", (long long)y, m, d);
}

void format_rfc3339(buf *out, int64_t t, int offset)
{
	int64_t local = t + (int64_t)offset * 60;
	int64_t secs = local - floor_div(local, 86400) * 86400;
	format_date(out, t, offset);
	buf_printf(out, "T%02d:%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60),
		(int)(secs % 60));
	if (offset == 0) {
		buf_putc(out, 'Z');
	} else {
		int a = offset < 0 ? -offset : offset;
		buf_printf(out, "%c%02d:%02d", offset < 0 ? '-' : '+', a / 60, a % 60);
	}
}

/* ---- the blob cache ---- */

/*
 * <out>.cache/blobs keeps the bytes of the last built revision's files, so
 * that a rebuild takes the files it did not change from one file read instead
 * of inflating every blob again. Entries are keyed by blob id, so an entry is
 * right whatever revision it came from. Layout: the line "avoin-blobs 1",
 * then per entry, sorted by id: the 20-byte id, the length as 8 bytes
 * (little-endian), the bytes and a NUL. A file that does not parse as a
 * whole is not used (and the build rewrites it).
 */
#define BLOB_CACHE_HEAD "avoin-blobs 1\n"

typedef struct cached_blob {
	git_oid id;
	const char *data;
	size_t len;
} cached_blob;

typedef struct saved_blob {
	git_oid id;
	uint64_t off;
	size_t len;
} saved_blob;

static int cmp_saved(const void *a, const void *b)
{
	return git_oid_cmp(&((const saved_blob *)a)->id, &((const saved_blob *)b)->id);
}

static void saved_close(repo *r)
{
	if (r->saved_fd >= 0)
		close(r->saved_fd);
	r->saved_fd = -1;
	free(r->saved);
	r->saved = NULL;
	r->n_saved = 0;
}

/* Takes the index of the file at path (sorted, distinct ids); frees it when the file won't open. */
static void saved_open(repo *r, const char *path, saved_blob *index, size_t n)
{
	saved_close(r);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(index);
		return;
	}
	r->saved_fd = fd;
	r->saved = index;
	r->n_saved = n;
}

/* 1 and the blob's bytes appended to out when the saved blob cache has it; else 0. */
static int saved_read(const repo *r, const git_oid *id, buf *out)
{
	saved_blob key;
	git_oid_cpy(&key.id, id);
	const saved_blob *e = r->n_saved ?
		bsearch(&key, r->saved, r->n_saved, sizeof(key), cmp_saved) : NULL;
	if (!e)
		return 0;
	size_t old = out->len;
	buf_grow(out, e->len + 1);
	/* the NUL after each entry: a file changed under us reads as a miss */
	if (pread_all(r->saved_fd, out->ptr + old, e->len + 1, e->off) != 0 ||
	    out->ptr[old + e->len] != '\0') {
		out->ptr[old] = '\0';
		return 0;
	}
	out->len = old + e->len;
	return 1;
}

static int cmp_cached(const void *a, const void *b)
{
	return git_oid_cmp(&((const cached_blob *)a)->id, &((const cached_blob *)b)->id);
}

static void blob_cache_unmap(repo *r)
{
	if (r->cache_buf)
		munmap(r->cache_buf, r->cache_len);
	r->cache_buf = NULL;
	r->cache_len = 0;
	free(r->cached);
	r->cached = NULL;
	r->n_cached = 0;
}

/*
 * Maps a file of the blob cache's layout (head, then entries sorted by id:
 * id, 8-byte length, bytes, NUL): 0 with the mapping and its entries, or -1
 * when it is missing or does not parse as a whole (nothing is kept).
 */
static int id_file_map(const char *path, const char *head_line, char **map, size_t *map_len,
	cached_blob **entries, size_t *n_entries)
{
	char *data;
	size_t len;
	if (!path || map_file(path, &data, &len) != 0)
		return -1;
	size_t head = strlen(head_line), pos = head, cap = 0, n = 0;
	cached_blob *e = NULL;
	int ok = len >= head && memcmp(data, head_line, head) == 0;
	while (ok && pos < len) {
		if (len - pos < GIT_OID_RAWSZ + 8) {
			ok = 0;
			break;
		}
		cached_blob c;
		memcpy(c.id.id, data + pos, GIT_OID_RAWSZ);
		uint64_t l = le_get((const unsigned char *)data + pos + GIT_OID_RAWSZ, 8);
		pos += GIT_OID_RAWSZ + 8;
		if (l > REPO_MAX_FILE || len - pos < l + 1 || data[pos + l] != '\0' ||
		    (n && git_oid_cmp(&e[n - 1].id, &c.id) >= 0)) {
			ok = 0;
			break;
		}
		c.data = data + pos;
		c.len = (size_t)l;
		pos += (size_t)l + 1;
		e = xgrow(e, sizeof(*e), n + 1, &cap);
		e[n++] = c;
	}
	if (!ok) {
		free(e);
		munmap(data, len);
		return -1;
	}
	*map = data;
	*map_len = len;
	*entries = e;
	*n_entries = n;
	return 0;
}

static void blob_cache_load(repo *r, const char *path)
{
	r->cache_dirty = id_file_map(path, BLOB_CACHE_HEAD, &r->cache_buf, &r->cache_len,
		&r->cached, &r->n_cached) != 0;
}

static const cached_blob *blob_cache_find(const repo *r, const git_oid *id)
{
	cached_blob key;
	git_oid_cpy(&key.id, id);
	return r->n_cached ? bsearch(&key, r->cached, r->n_cached, sizeof(key), cmp_cached) : NULL;
}

static int from_cache(const repo *r, const char *p)
{
	return r->cache_buf && p >= r->cache_buf && p < r->cache_buf + r->cache_len;
}

size_t repo_cache_hits(const repo *r)
{
	return r ? r->cache_hits : 0;
}

size_t repo_tree_hits(const repo *r)
{
	return r ? r->tree_hits : 0;
}

/* "<dir>/<name>" for the blob cache at "<dir>/blobs"; NULL without one. */
static char *cache_sibling(const char *blob_cache, const char *name)
{
	if (!blob_cache)
		return NULL;
	const char *slash = strrchr(blob_cache, '/');
	size_t dir = slash ? (size_t)(slash - blob_cache) + 1 : 0;
	return xasprintf("%.*s%s", (int)dir, blob_cache, name);
}

void repo_save_blobs(repo *r, const char *path)
{
	if (!r || r->worktree || !path)
		return;
	cached_blob *e = xcalloc(r->n_files + 1, sizeof(*e));
	size_t n = 0, distinct = 0;
	for (size_t i = 0; i < r->n_files; i++) {
		if (!r->files[i].data || git_oid_fromstr(&e[n].id, r->files[i].oid) != 0) {
			free(e);
			return;
		}
		e[n].data = r->files[i].data;
		e[n++].len = r->files[i].len;
	}
	qsort(e, n, sizeof(*e), cmp_cached);
	for (size_t i = 0; i < n; i++)
		distinct += !i || git_oid_cmp(&e[i - 1].id, &e[i].id) != 0;
	/*
	 * Entries are right whatever revision they came from, so a cache that
	 * misses a few files (a commit's worth) is good enough: the next build
	 * reads those few from the repository. It is rewritten (28 MB for 10,000
	 * records) only when a sixteenth of the files missed or a sixteenth of
	 * the entries went unused.
	 */
	size_t misses = r->n_files - r->cache_hits;
	if (!r->cache_dirty && misses * 16 <= r->n_files && misses <= distinct &&
	    r->n_cached <= distinct - misses + distinct / 16) {
		free(e);
		saved_blob *index = xcalloc(r->n_cached + 1, sizeof(*index));
		for (size_t i = 0; i < r->n_cached; i++)
			index[i] = (saved_blob){ r->cached[i].id,
				(uint64_t)(r->cached[i].data - r->cache_buf), r->cached[i].len };
		saved_open(r, path, index, r->n_cached);
		return;
	}
	atomic_file a;
	FILE *f = atomic_open(&a, path);
	int ok = f != NULL;
	if (ok)
		ok = fputs(BLOB_CACHE_HEAD, f) >= 0;
	saved_blob *index = xcalloc(distinct + 1, sizeof(*index));
	size_t n_index = 0;
	uint64_t pos = strlen(BLOB_CACHE_HEAD);
	for (size_t i = 0; ok && i < n; i++) {
		if (i && git_oid_cmp(&e[i - 1].id, &e[i].id) == 0)
			continue;
		unsigned char l[8];
		le_put(l, e[i].len, 8);
		ok = fwrite(e[i].id.id, 1, GIT_OID_RAWSZ, f) == GIT_OID_RAWSZ &&
			fwrite(l, 1, 8, f) == 8 && fwrite(e[i].data, 1, e[i].len, f) == e[i].len &&
			fputc('\0', f) != EOF;
		pos += GIT_OID_RAWSZ + 8;
		index[n_index++] = (saved_blob){ e[i].id, pos, e[i].len };
		pos += e[i].len + 1;
	}
	/* best effort: without it, the next build reads every blob from the repository */
	if (atomic_commit(&a, ok, 0) != 0)
		free(index);
	else
		saved_open(r, path, index, n_index);
	free(e);
}

void repo_add_file(repo *r, char *path, char *data, size_t len, const git_oid *oid)
{
	r->files = xgrow(r->files, sizeof(repo_file), r->n_files + 1, &r->cap_files);
	repo_file *f = &r->files[r->n_files++];
	f->path = path;
	f->data = data;
	f->len = len;
	f->shared = 0;
	git_oid_tostr(f->oid, sizeof(f->oid), oid);
}

void repo_add_shared(repo *r, char *path, char *data, size_t len, const git_oid *oid)
{
	repo_add_file(r, path, data, len, oid);
	r->files[r->n_files - 1].shared = 1;
}

/* Lets go of f's bytes, which may be the blob cache's or shared with the memo. */
static void file_data_free(const repo *r, repo_file *f)
{
	if (f->shared)
		shared_bytes_release(f->data);
	else if (!from_cache(r, f->data))
		free(f->data);
	f->data = NULL;
	f->shared = 0;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const repo_file *)a)->path, ((const repo_file *)b)->path);
}

/* Dot-files (.mailmap, .gitignore) configure tools; they are not content. */
int repo_hidden_name(const char *name)
{
	return name[0] == '.';
}

/* "./content/" -> "content"; "." or "" -> "" (the whole repository); NULL for '..'. */
static char *normalize_content(const char *c)
{
	buf b = BUF_INIT;
	const char *p = c;
	while (*p) {
		while (*p == '/')
			p++;
		const char *e = p;
		while (*e && *e != '/')
			e++;
		size_t n = (size_t)(e - p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			buf_release(&b);
			return NULL;
		}
		if (n && !(n == 1 && p[0] == '.')) {
			if (b.len)
				buf_putc(&b, '/');
			buf_put(&b, p, n);
		}
		p = e;
	}
	return buf_detach(&b, NULL);
}

/* ---- reading a revision's tree ---- */

typedef struct tree_item {
	char *path;
	git_oid oid;
} tree_item;

typedef struct walk_state {
	repo *r;
	diag_list *d;
	tree_item *items;
	size_t n, cap;
} walk_state;

/* ---- the tree cache ---- */

/*
 * <out>.cache/trees keeps the raw git objects of the last built revision's
 * folders (the content folder and every folder below it), so that a rebuild
 * inflates only the folders a commit changed: on 10,000 records, walking
 * the revision's tree in the repository took 80 ms, most of it resolving
 * the deltas of large folders. Same layout as the blob cache: the line
 * "avoin-trees 1", then per entry, sorted by id: the 20-byte id, the length
 * as 8 bytes (little-endian), the bytes and a NUL. A folder is taken from
 * the file only when its bytes hash to its id, so a damaged or foreign
 * entry is read from the repository instead; a file that does not parse as
 * a whole is not used at all. Rewritten after a walk that used other
 * folders than it holds.
 */
#define TREE_CACHE_HEAD "avoin-trees 1\n"

typedef struct tree_cache {
	char *path;                 /* NULL: none (a preview), folders come from the repository */
	char *map;                  /* the file, mapped */
	size_t map_len;
	cached_blob *e;             /* its entries, sorted by id */
	size_t n;
	cached_blob *used;          /* the folders of this walk; data in map, or in owned */
	size_t n_used, cap_used;
	char **owned;
	size_t n_owned, cap_owned;
	size_t hits;
} tree_cache;

static void tree_cache_load(tree_cache *tc)
{
	id_file_map(tc->path, TREE_CACHE_HEAD, &tc->map, &tc->map_len, &tc->e, &tc->n);
}

/* The raw object of folder id, from the file when it hashes to id, else from odb; 0 or -1. */
static int tree_cache_get(tree_cache *tc, git_odb *odb, const git_oid *id, const char **data,
	size_t *len)
{
	cached_blob key, *hit;
	git_oid_cpy(&key.id, id);
	hit = tc->n ? bsearch(&key, tc->e, tc->n, sizeof(key), cmp_cached) : NULL;
	git_oid check;
	if (hit && git_odb_hash(&check, hit->data, hit->len, GIT_OBJECT_TREE) == 0 &&
	    git_oid_equal(&check, id)) {
		key.data = hit->data;
		key.len = hit->len;
		tc->hits++;
	} else {
		git_odb_object *obj = NULL;
		if (git_odb_read(&obj, odb, id) < 0)
			return -1;
		if (git_odb_object_type(obj) != GIT_OBJECT_TREE) {
			git_odb_object_free(obj);
			git_error_set_str(GIT_ERROR_INVALID, "a folder's entry is not a tree");
			return -1;
		}
		key.len = git_odb_object_size(obj);
		char *copy = xmalloc(key.len + 1);
		memcpy(copy, git_odb_object_data(obj), key.len);
		copy[key.len] = '\0';
		git_odb_object_free(obj);
		tc->owned = xgrow(tc->owned, sizeof(char *), tc->n_owned + 1, &tc->cap_owned);
		tc->owned[tc->n_owned++] = copy;
		key.data = copy;
	}
	tc->used = xgrow(tc->used, sizeof(cached_blob), tc->n_used + 1, &tc->cap_used);
	tc->used[tc->n_used++] = key;
	*data = key.data;
	*len = key.len;
	return 0;
}

/* Writes the folders of this walk when they are not what the file holds. Best effort. */
static void tree_cache_save(tree_cache *tc)
{
	if (!tc->path)
		return;
	qsort(tc->used, tc->n_used, sizeof(cached_blob), cmp_cached);
	size_t n = 0;
	for (size_t i = 0; i < tc->n_used; i++)
		if (!n || git_oid_cmp(&tc->used[n - 1].id, &tc->used[i].id) != 0)
			tc->used[n++] = tc->used[i];
	tc->n_used = n;
	if (tc->hits && tc->n_owned == 0 && n == tc->n)
		return;   /* every folder came from the file, and it holds nothing else */
	atomic_file a;
	FILE *f = atomic_open(&a, tc->path);
	int ok = f && fputs(TREE_CACHE_HEAD, f) >= 0;
	for (size_t i = 0; ok && i < n; i++) {
		unsigned char l[8];
		le_put(l, tc->used[i].len, 8);
		ok = fwrite(tc->used[i].id.id, 1, GIT_OID_RAWSZ, f) == GIT_OID_RAWSZ &&
			fwrite(l, 1, 8, f) == 8 &&
			fwrite(tc->used[i].data, 1, tc->used[i].len, f) == tc->used[i].len &&
			fputc('\0', f) != EOF;
	}
	atomic_commit(&a, ok, 0);
}

static void tree_cache_release(tree_cache *tc)
{
	for (size_t i = 0; i < tc->n_owned; i++)
		free(tc->owned[i]);
	free(tc->owned);
	free(tc->used);
	free(tc->e);
	if (tc->map)
		munmap(tc->map, tc->map_len);
	free(tc->path);
}

/*
 * The next entry of a raw tree object at *pos ("<octal mode> <name>\0<20-byte
 * id>"), its mode as libgit2 normalises it (git_tree_entry_filemode). 0, or
 * -1 when the bytes are not a tree entry.
 */
static int tree_entry_next(const char *data, size_t len, size_t *pos, git_filemode_t *mode,
	const char **name, git_oid *id)
{
	size_t p = *pos, digits = 0;
	unsigned m = 0;
	while (p < len && data[p] >= '0' && data[p] <= '7' && digits < 6) {
		m = m * 8 + (unsigned)(data[p++] - '0');
		digits++;
	}
	if (!digits || p >= len || data[p] != ' ')
		return -1;
	p++;
	const char *nul = memchr(data + p, '\0', len - p);
	if (!nul || nul == data + p || (size_t)(data + len - nul) < 1 + GIT_OID_RAWSZ ||
	    memchr(data + p, '/', (size_t)(nul - (data + p))))
		return -1;
	*name = data + p;
	git_oid_fromraw(id, (const unsigned char *)nul + 1);
	*pos = (size_t)(nul + 1 + GIT_OID_RAWSZ - data);
	if ((m & 0170000) == 0040000)
		*mode = GIT_FILEMODE_TREE;
	else if (m & 0111)
		*mode = GIT_FILEMODE_BLOB_EXECUTABLE;
	else if ((m & 0170000) == 0160000)
		*mode = GIT_FILEMODE_COMMIT;
	else if ((m & 0170000) == 0120000)
		*mode = GIT_FILEMODE_LINK;
	else
		*mode = GIT_FILEMODE_BLOB;
	return 0;
}

/*
 * Every file below folder id, in git's order (as git_tree_walk() visits
 * them), with root as their folder's path ("" or ending in '/'). 0 or -1
 * with libgit2's error set.
 */
static int walk_tree(walk_state *w, tree_cache *tc, git_odb *odb, const git_oid *id, buf *root)
{
	const char *data;
	size_t len, pos = 0;
	if (tree_cache_get(tc, odb, id, &data, &len) < 0)
		return -1;
	while (pos < len) {
		git_filemode_t mode;
		const char *name;
		git_oid eid;
		if (tree_entry_next(data, len, &pos, &mode, &name, &eid) < 0) {
			git_error_set_str(GIT_ERROR_INVALID, "a folder's object is not a valid tree");
			return -1;
		}
		if (repo_hidden_name(name))
			continue;   /* a hidden folder's contents too */
		if (mode == GIT_FILEMODE_TREE) {
			size_t at = root->len;
			buf_puts(root, name);
			buf_putc(root, '/');
			int ret = walk_tree(w, tc, odb, &eid, root);
			buf_truncate(root, at);
			if (ret < 0)
				return -1;
		} else if (mode == GIT_FILEMODE_COMMIT || mode == GIT_FILEMODE_LINK) {
			char *f = xasprintf("%s%s%s", w->r->prefix, root->ptr, name);
			if (mode == GIT_FILEMODE_COMMIT)
				diag_warning(w->d, f, 0, "skipping a submodule (only regular files are "
					"read)");
			else
				diag_warning(w->d, f, 0, "skipping a symbolic link (only regular files "
					"are read)");
			free(f);
		} else {
			w->items = xgrow(w->items, sizeof(tree_item), w->n + 1, &w->cap);
			tree_item *it = &w->items[w->n++];
			it->path = xasprintf("%s%s", root->ptr, name);
			git_oid_cpy(&it->oid, &eid);
		}
	}
	return 0;
}

/* What reading one blob gave: its bytes, or why not (reported in tree order afterwards). */
typedef struct blob_result {
	char *data;
	size_t len;
	enum { BLOB_OK, BLOB_UNREADABLE, BLOB_TOO_LARGE } status;
	char *msg;          /* libgit2's message for BLOB_UNREADABLE (it is per thread) */
} blob_result;

/* One reader: the items i = first, first + step, ... through its own object database. */
typedef struct blob_reader {
	const repo *r;
	git_odb *odb;
	const tree_item *items;
	blob_result *res;
	size_t n, first, step;
} blob_reader;

static void *read_blobs(void *arg)
{
	blob_reader *br = arg;
	for (size_t i = br->first; i < br->n; i += br->step) {
		blob_result *res = &br->res[i];
		const cached_blob *c = blob_cache_find(br->r, &br->items[i].oid);
		if (c) {
			res->data = (char *)c->data;
			res->len = c->len;
			continue;
		}
		size_t len;
		git_object_t type;
		git_odb_object *obj = NULL;
		/* The header first, so that a huge file is refused without loading it. */
		if (git_odb_read_header(&len, &type, br->odb, &br->items[i].oid) < 0 ||
		    (len <= REPO_MAX_FILE && git_odb_read(&obj, br->odb, &br->items[i].oid) < 0)) {
			res->status = BLOB_UNREADABLE;
			res->msg = xstrdup(repo_git_error());
			continue;
		}
		if (len > REPO_MAX_FILE) {
			res->status = BLOB_TOO_LARGE;
			res->len = len;
			continue;
		}
		res->len = git_odb_object_size(obj);
		res->data = xmalloc(res->len + 1);
		memcpy(res->data, git_odb_object_data(obj), res->len);
		res->data[res->len] = '\0';
		git_odb_object_free(obj);
	}
	return NULL;
}

/* Below this many blobs per thread, opening another repository costs more than it saves. */
#define BLOBS_PER_THREAD 64

/*
 * Reads the blobs of items into res, on up to jobs threads. libgit2's
 * objects are safe to use from one thread at a time (docs/threading.md), so
 * every extra thread opens the repository anew and reads through its own
 * object database; the packs underneath are shared by libgit2 itself, under
 * its own locks. Which thread reads an item is fixed by its index, and the
 * results are used in tree order: the outcome does not depend on jobs.
 */
static void read_blobs_parallel(repo *r, git_odb *odb, const tree_item *items, size_t n,
	blob_result *res)
{
	size_t jobs = r->jobs ? r->jobs : 1;
	if (jobs > n / BLOBS_PER_THREAD)
		jobs = n / BLOBS_PER_THREAD ? n / BLOBS_PER_THREAD : 1;
	blob_reader *brs = xcalloc(jobs, sizeof(*brs));
	git_repository **gits = xcalloc(jobs, sizeof(*gits));
	git_odb **odbs = xcalloc(jobs, sizeof(*odbs));
	pthread_t *tids = xcalloc(jobs, sizeof(*tids));
	int *started = xcalloc(jobs, sizeof(*started));
	const char *gitdir = git_repository_path(r->git);
	for (size_t t = 0; t < jobs; t++) {
		brs[t] = (blob_reader){ r, odb, items, res, n, t, jobs };
		if (t && git_repository_open_ext(&gits[t], gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH,
			NULL) == 0 && git_repository_odb(&odbs[t], gits[t]) == 0) {
			brs[t].odb = odbs[t];
			started[t] = pthread_create(&tids[t], NULL, read_blobs, &brs[t]) == 0;
		}
	}
	read_blobs(&brs[0]);
	/* a thread that could not start, or get its own handles, leaves its items to this one */
	for (size_t t = 1; t < jobs; t++) {
		if (started[t]) {
			pthread_join(tids[t], NULL);
		} else {
			brs[t].odb = odb;
			read_blobs(&brs[t]);
		}
		git_odb_free(odbs[t]);
		git_repository_free(gits[t]);
	}
	free(started);
	free(tids);
	free(odbs);
	free(gits);
	free(brs);
}

static int read_tree(repo *r, git_tree *tree, diag_list *d)
{
	walk_state w = { r, d, NULL, 0, 0 };
	git_odb *odb = NULL;
	blob_result *res = NULL;
	int ret = -1;
	buf root = BUF_INIT;
	tree_cache tc;
	memset(&tc, 0, sizeof(tc));
	tc.path = r->tree_cache ? xstrdup(r->tree_cache) : NULL;
	tree_cache_load(&tc);
	if (git_repository_odb(&odb, r->git) < 0 ||
	    walk_tree(&w, &tc, odb, git_tree_id(tree), &root) < 0) {
		diag_error(d, NULL, 0, "cannot read '%s' at revision %s: %s", r->content, r->rev,
			repo_git_error());
		goto out;
	}
	r->tree_hits = tc.hits;
	tree_cache_save(&tc);
	ret = 0;
	res = xcalloc(w.n ? w.n : 1, sizeof(*res));
	read_blobs_parallel(r, odb, w.items, w.n, res);
	r->files = xgrow(r->files, sizeof(repo_file), r->n_files + w.n, &r->cap_files);
	for (size_t i = 0; i < w.n; i++) {
		tree_item *it = &w.items[i];
		if (res[i].status == BLOB_UNREADABLE) {
			diag_error(d, NULL, 0, "cannot read '%s%s' at revision %s: %s", r->prefix,
				it->path, r->rev, res[i].msg);
			free(res[i].msg);
			ret = -1;
		} else if (res[i].status == BLOB_TOO_LARGE) {
			char *f = xasprintf("%s%s", r->prefix, it->path);
			diag_error(d, f, 0, "file is too large (%zu bytes; the limit is 16 MiB)",
				res[i].len);
			free(f);
			ret = -1;
		} else {
			r->cache_hits += from_cache(r, res[i].data);
			repo_add_file(r, it->path, res[i].data, res[i].len, &it->oid);
			it->path = NULL;
		}
	}
out:
	for (size_t i = 0; i < w.n; i++)
		free(w.items[i].path);
	free(w.items);
	free(res);
	git_odb_free(odb);
	tree_cache_release(&tc);
	buf_release(&root);
	return ret;
}

/* ---- opening ---- */

static int resolve_commit(repo *r, diag_list *d)
{
	git_object *obj = NULL, *peeled = NULL;
	if (r->worktree && strcmp(r->rev, "HEAD") == 0 && git_repository_head_unborn(r->git) == 1)
		return 0; /* a preview of a repository without commits: no history */
	if (git_revparse_single(&obj, r->git, r->rev) < 0 ||
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		diag_error(d, NULL, 0, "revision '%s' does not resolve to a commit", r->rev);
		git_object_free(obj);
		return -1;
	}
	git_object_free(obj);
	r->commit = (git_commit *)peeled;
	const git_oid *id = git_commit_id(r->commit);
	git_oid_tostr(r->commit_id, sizeof(r->commit_id), id);
	r->time = (int64_t)git_commit_time(r->commit);
	r->offset = git_commit_time_offset(r->commit);
	buf b = BUF_INIT;
	format_date(&b, r->time, r->offset);
	memcpy(r->date, b.ptr, b.len + 1);
	buf_release(&b);
	return 0;
}

static int read_revision(repo *r, diag_list *d)
{
	git_tree *root = NULL, *tree = NULL;
	git_tree_entry *entry = NULL;
	int ret = -1;
	if (git_commit_tree(&root, r->commit) < 0) {
		diag_error(d, NULL, 0, "cannot read the tree of revision %s: %s", r->rev,
			repo_git_error());
		return -1;
	}
	if (!*r->content) {
		tree = root;
		root = NULL;
	} else if (git_tree_entry_bypath(&entry, root, r->content) < 0 ||
	    git_tree_entry_type(entry) != GIT_OBJECT_TREE ||
	    git_tree_lookup(&tree, r->git, git_tree_entry_id(entry)) < 0) {
		diag_error(d, NULL, 0, "'%s' is not a folder at revision %s (%.7s)", r->content,
			r->rev, r->commit_id);
		goto out;
	}
	ret = read_tree(r, tree, d);
out:
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_tree_free(root);
	return ret;
}

int repo_open(repo **out, const repo_opts *o, diag_list *d)
{
	return repo_open_jobs(out, o, 1, d);
}

int repo_open_jobs(repo **out, const repo_opts *o, size_t jobs, diag_list *d)
{
	return repo_open_cached(out, o, jobs, NULL, d);
}

int repo_locate(const repo_opts *o, repo_place *place)
{
	memset(place, 0, sizeof *place);
	git_libgit2_init();
	git_repository *g = NULL;
	const char *path = o->repo_path ? o->repo_path : ".";
	if (git_repository_open_ext(&g, path, o->repo_path ? GIT_REPOSITORY_OPEN_NO_SEARCH : 0,
			NULL) < 0)
		return -1;
	const char *wd = git_repository_workdir(g);
	char *content = normalize_content(o->content ? o->content : "content");
	place->workdir = wd ? xstrdup(wd) : NULL;
	place->gitdir = xstrdup(git_repository_path(g));
	place->content = wd && content ? xasprintf("%s%s", wd, content) : NULL;
	free(content);
	git_repository_free(g);
	return 0;
}

void repo_place_release(repo_place *place)
{
	free(place->workdir);
	free(place->gitdir);
	free(place->content);
}

int repo_revision_id(const repo_opts *o, char out[41])
{
	out[0] = '\0';
	git_libgit2_init();
	git_repository *g = NULL;
	git_object *obj = NULL, *peeled = NULL;
	int ok = git_repository_open_ext(&g, o->repo_path ? o->repo_path : ".",
			o->repo_path ? GIT_REPOSITORY_OPEN_NO_SEARCH : 0, NULL) == 0 &&
		git_revparse_single(&obj, g, o->rev ? o->rev : "HEAD") == 0 &&
		git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0;
	if (ok)
		git_oid_tostr(out, 41, git_object_id(peeled));
	git_object_free(peeled);
	git_object_free(obj);
	git_repository_free(g);
	return ok ? 0 : -1;
}

int repo_peek_file(const repo_opts *o, const char *name, size_t max, buf *out)
{
	buf_reset(out);
	if (o->worktree) {
		repo_place place;
		if (repo_locate(o, &place) != 0 || !place.content)
			return -1;
		char *path = xasprintf("%s/%s", place.content, name);
		repo_place_release(&place);
		char *data = NULL;
		size_t len = 0;
		int rc = read_file(path, &data, &len);
		free(path);
		if (rc == 0 && len <= max)
			buf_put(out, data, len);
		free(data);
		return rc == 0 && len <= max ? 0 : -1;
	}
	git_libgit2_init();
	git_repository *g = NULL;
	git_object *obj = NULL;
	char *spec = xasprintf("%s:%s/%s", o->rev ? o->rev : "HEAD",
		o->content ? o->content : "content", name);
	int ok = git_repository_open_ext(&g, o->repo_path ? o->repo_path : ".",
			o->repo_path ? GIT_REPOSITORY_OPEN_NO_SEARCH : 0, NULL) == 0 &&
		git_revparse_single(&obj, g, spec) == 0 && git_object_type(obj) == GIT_OBJECT_BLOB &&
		git_blob_rawsize((git_blob *)obj) <= (git_object_size_t)max;
	if (ok)
		buf_put(out, git_blob_rawcontent((git_blob *)obj), (size_t)git_blob_rawsize((git_blob *)obj));
	free(spec);
	git_object_free(obj);
	git_repository_free(g);
	return ok ? 0 : -1;
}

int repo_open_cached(repo **out, const repo_opts *o, size_t jobs, const char *blob_cache,
	diag_list *d)
{
	return repo_open_memo(out, o, jobs, blob_cache, NULL, d);
}

size_t repo_memo_hits(const repo *r)
{
	return r->memo_hits;
}

int repo_open_memo(repo **out, const repo_opts *o, size_t jobs, const char *blob_cache,
	repo_memo *memo, diag_list *d)
{
	*out = NULL;
	git_libgit2_init();
	/*
	 * libgit2 hashes every object it reads again to compare with its id (a
	 * third of the time spent reading a revision). git itself does not on
	 * reads (only fsck does), and zlib's own checksum still catches damaged
	 * data. Process-wide, and the same for every repository we open.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/*
	 * libgit2 keeps parsed trees and commits (up to 256 MiB by default); the
	 * history walk looks most of them up twice, as the new and then the old
	 * side of a diff. On 10,000 records and 2,000 commits, a cache of 4 MiB
	 * instead costs that walk 3.6% more instructions and the build's peak
	 * memory 19 MB less.
	 */
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)(4 << 20));
	repo *r = xcalloc(1, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
	r->saved_fd = -1;
	r->rev = xstrdup(o->rev ? o->rev : "HEAD");
	r->worktree = o->worktree;
	r->jobs = jobs;
	const char *content = o->content ? o->content : "content";
	r->content = normalize_content(content);
	if (!r->content) {
		diag_error(d, NULL, 0, "content folder '%s' must be a path inside the repository",
			content);
		goto fail;
	}
	r->prefix = *r->content ? xasprintf("%s/", r->content) : xstrdup("");
	const char *path = o->repo_path ? o->repo_path : ".";
	/* An explicit path means exactly that repository; none means "where we stand", as
	 * git does. */
	unsigned flags = o->repo_path ? GIT_REPOSITORY_OPEN_NO_SEARCH : 0;
	if (git_repository_open_ext(&r->git, path, flags, NULL) < 0) {
		diag_error(d, NULL, 0, "cannot open repository '%s': %s", path, repo_git_error());
		goto fail;
	}
	if (resolve_commit(r, d) < 0)
		goto fail;
	if (!r->worktree) {
		blob_cache_load(r, blob_cache);
		r->tree_cache = cache_sibling(blob_cache, "trees");
	}
	if (r->worktree ? repo_read_worktree(r, memo, d) < 0 : read_revision(r, d) < 0)
		goto fail;
	if (r->n_files > 1)
		qsort(r->files, r->n_files, sizeof(repo_file), cmp_file);
	*out = r;
	return 0;
fail:
	repo_free(r);
	return -1;
}

void repo_free(repo *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_files; i++) {
		free(r->files[i].path);
		file_data_free(r, &r->files[i]);
	}
	free(r->files);
	blob_cache_unmap(r);
	saved_close(r);
	git_commit_free(r->commit);
	git_repository_free(r->git);
	free(r->content);
	free(r->prefix);
	free(r->rev);
	free(r->tree_cache);
	pthread_mutex_destroy(&r->lock);
	free(r);
	git_libgit2_shutdown();
}

void repo_release_data(repo *r)
{
	for (size_t i = 0; !r->worktree && i < r->n_files; i++)
		file_data_free(r, &r->files[i]);
	if (!r->worktree)
		blob_cache_unmap(r);
}

void repo_trim(repo *r)
{
	pthread_mutex_lock(&r->lock);
	const char *wd = git_repository_workdir(r->git);
	char *path = xstrdup(wd ? wd : git_repository_path(r->git));
	git_repository *g = NULL;
	git_commit *c = NULL;
	if (git_repository_open_ext(&g, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0 &&
	    (!r->commit || git_commit_lookup(&c, g, git_commit_id(r->commit)) == 0)) {
		git_commit_free(r->commit);
		git_repository_free(r->git);
		r->git = g;
		r->commit = c;
		g = NULL;
	}
	git_repository_free(g);
	free(path);
	pthread_mutex_unlock(&r->lock);
}

size_t repo_file_count(const repo *r)
{
	return r->n_files;
}

const repo_file *repo_file_at(const repo *r, size_t i)
{
	return i < r->n_files ? &r->files[i] : NULL;
}

const repo_file *repo_find(const repo *r, const char *path)
{
	size_t lo = 0, hi = r->n_files;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(r->files[mid].path, path);
		if (c == 0)
			return &r->files[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void repo_blob_id(const char *data, size_t len, char out[41])
{
	git_oid oid;
	git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB);
	git_oid_tostr(out, 41, &oid);
}

const repo_file *repo_replace_data(repo *r, const char *path, char *data, size_t len)
{
	repo_file *f = (repo_file *)repo_find(r, path);
	if (!f) {
		free(data);
		return NULL;
	}
	file_data_free(r, f);
	f->data = data;
	f->len = len;
	repo_blob_id(data, len, f->oid);
	return f;
}

const char *repo_content_prefix(const repo *r)
{
	return r->prefix;
}

const char *repo_commit_id(const repo *r)
{
	return r->commit_id;
}

int64_t repo_commit_time(const repo *r)
{
	return r->time;
}

int repo_commit_offset(const repo *r)
{
	return r->offset;
}

const char *repo_commit_date(const repo *r)
{
	return r->date;
}

int repo_is_worktree(const repo *r)
{
	return r->worktree;
}

const char *repo_rev(const repo *r)
{
	return r->rev;
}

struct git_repository *repo_git(const repo *r)
{
	return r->git;
}

struct git_commit *repo_commit(const repo *r)
{
	return r->commit;
}

/* Appends the blob's bytes to out. Edited working-tree files are not in the object database:
 * their ids are looked up among the files read, after the database (which has the rest). */
int repo_read_blob(const repo *r, const char *oid, buf *out)
{
	git_oid id;
	if (strlen(oid) != GIT_OID_HEXSZ || git_oid_fromstrn(&id, oid, GIT_OID_HEXSZ) < 0)
		return -1;
	if (saved_read(r, &id, out))
		return 0;
	repo *rw = (repo *)r; /* the lock is the only thing touched */
	pthread_mutex_lock(&rw->lock);
	git_blob *blob;
	int ret = git_blob_lookup(&blob, r->git, &id);
	if (ret == 0) {
		buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
		git_blob_free(blob);
	}
	pthread_mutex_unlock(&rw->lock);
	if (ret == 0)
		return 0;
	for (size_t i = 0; r->worktree && i < r->n_files; i++) {
		if (strcmp(r->files[i].oid, oid) == 0) {
			buf_put(out, r->files[i].data, r->files[i].len);
			return 0;
		}
	}
	return -1;
}

int repo_create(const char *dir, const char *message, diag_list *d)
{
	git_libgit2_init();
	git_repository *g = NULL;
	git_index *ix = NULL;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_oid tree_id, commit_id;
	int ret = -1;
	if (git_repository_init(&g, dir, 0) < 0 || git_repository_index(&ix, g) < 0 ||
	    git_index_add_all(ix, NULL, GIT_INDEX_ADD_DEFAULT, NULL, NULL) < 0 ||
	    git_index_write(ix) < 0 || git_index_write_tree(&tree_id, ix) < 0 ||
	    git_tree_lookup(&tree, g, &tree_id) < 0)
		goto done;
	/* git's own author where it has one; else a name without an address */
	if (git_signature_default(&sig, g) < 0 &&
	    git_signature_now(&sig, "Avoin", "avoin@example.invalid") < 0)
		goto done;
	if (git_commit_create_v(&commit_id, g, "HEAD", sig, sig, NULL, message, tree, 0) < 0)
		goto done;
	ret = 0;
done:
	if (ret != 0)
		diag_error(d, dir, 0, "cannot make a git repository with its first commit: %s",
			repo_git_error());
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(ix);
	git_repository_free(g);
	return ret;
}
