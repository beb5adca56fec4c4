#include "pack.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zdict.h>
#include <zstd.h>

#include "util.h"
#include "banned.h"

/* zstd's level: its default, 300 MB/s here with the dictionary */
#define PACK_LEVEL 3
/* the dictionary's size: zstd's trainer's default */
#define DICT_SIZE (112u << 10)
/* input fed to zstd at a time, so that a stop waits for at most this much of it */
#define PACK_STEP (128u << 10)
/* contexts a dictionary keeps idle, of each kind: the workers, the compactor, the server */
#define POOL_SIZE 4

/* Contexts made once and used again; any thread may take one. */
typedef struct ctx_pool {
	pthread_mutex_t lock;
	void *idle[POOL_SIZE];
	size_t n;
} ctx_pool;

struct pack_dict {
	atomic_size_t refs;
	ZSTD_CDict *cdict;   /* NULL: packing without a dictionary */
	ZSTD_DDict *ddict;
	ctx_pool cctx, dctx;
};

static void *pool_take(ctx_pool *p)
{
	void *c = NULL;
	pthread_mutex_lock(&p->lock);
	if (p->n)
		c = p->idle[--p->n];
	pthread_mutex_unlock(&p->lock);
	return c;
}

/* 1 when the pool keeps c, 0 when it is full (the caller frees c). */
static int pool_give(ctx_pool *p, void *c)
{
	int kept = 0;
	pthread_mutex_lock(&p->lock);
	if (p->n < POOL_SIZE) {
		p->idle[p->n++] = c;
		kept = 1;
	}
	pthread_mutex_unlock(&p->lock);
	return kept;
}

pack_dict *pack_dict_new(const void *bytes, size_t len)
{
	pack_dict *d = xcalloc(1, sizeof(*d));
	atomic_init(&d->refs, 1);
	pthread_mutex_init(&d->cctx.lock, NULL);
	pthread_mutex_init(&d->dctx.lock, NULL);
	if (len) {
		d->cdict = ZSTD_createCDict(bytes, len, PACK_LEVEL);
		d->ddict = ZSTD_createDDict(bytes, len);
		if (!d->cdict || !d->ddict) {
			pack_dict_release(d);
			return NULL;
		}
	}
	return d;
}

pack_dict *pack_dict_ref(pack_dict *d)
{
	if (d)
		atomic_fetch_add(&d->refs, 1);
	return d;
}

void pack_dict_release(pack_dict *d)
{
	if (!d || atomic_fetch_sub(&d->refs, 1) != 1)
		return;
	for (size_t i = 0; i < d->cctx.n; i++)
		ZSTD_freeCCtx(d->cctx.idle[i]);
	for (size_t i = 0; i < d->dctx.n; i++)
		ZSTD_freeDCtx(d->dctx.idle[i]);
	ZSTD_freeCDict(d->cdict);
	ZSTD_freeDDict(d->ddict);
	pthread_mutex_destroy(&d->cctx.lock);
	pthread_mutex_destroy(&d->dctx.lock);
	free(d);
}

int pack_dict_trained(const pack_dict *d)
{
	return d && d->cdict;
}

/* ---- packing ---- */

static ZSTD_CCtx *cctx_take(pack_dict *d)
{
	ZSTD_CCtx *z = pool_take(&d->cctx);
	if (z)
		return z;
	z = ZSTD_createCCtx();
	if (z && ZSTD_isError(ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, PACK_LEVEL))) {
		ZSTD_freeCCtx(z);
		z = NULL;
	}
	return z;
}

static void cctx_give(pack_dict *d, ZSTD_CCtx *z)
{
	ZSTD_CCtx_reset(z, ZSTD_reset_session_only);
	if (!pool_give(&d->cctx, z))
		ZSTD_freeCCtx(z);
}

size_t pack_bound(size_t len)
{
	return ZSTD_compressBound(len);
}

/* Feeds all of in to z (mode: continue, or end the frame); 0, or -1 on an error or no room. */
static int pack_step(ZSTD_CCtx *z, ZSTD_outBuffer *out, ZSTD_inBuffer *in,
	ZSTD_EndDirective mode)
{
	for (;;) {
		size_t left = ZSTD_compressStream2(z, out, in, mode);
		if (ZSTD_isError(left))
			return -1;
		if (mode == ZSTD_e_end ? left == 0 : in->pos == in->size)
			return 0;
		if (out->pos == out->size)
			return -1;
	}
}

/* pack() with a context: 1 when the frame is whole in out, 0 when stopped, -1 on an error. */
static int pack_with(ZSTD_CCtx *z, pack_dict *d, const char *data, size_t len,
	ZSTD_outBuffer *out, const atomic_int *stop)
{
	if (ZSTD_isError(ZSTD_CCtx_refCDict(z, d->cdict)) ||
	    ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(z, len)))
		return -1;
	for (size_t at = 0; at < len;) {
		if (stop && atomic_load(stop))
			return 0;
		size_t step = len - at < PACK_STEP ? len - at : PACK_STEP;
		ZSTD_inBuffer in = { data + at, step, 0 };
		at += step;
		if (pack_step(z, out, &in, at == len ? ZSTD_e_end : ZSTD_e_continue) != 0)
			return -1;
	}
	return 1;
}

size_t pack(pack_dict *d, const char *data, size_t len, char *out, size_t cap,
	const atomic_int *stop)
{
	ZSTD_CCtx *z = len ? cctx_take(d) : NULL;
	if (!z)
		return 0;
	ZSTD_outBuffer o = { out, cap, 0 };
	int rc = pack_with(z, d, data, len, &o, stop);
	cctx_give(d, z);
	return rc == 1 && o.pos < len ? o.pos : 0;
}

/* ---- unpacking ---- */

static ZSTD_DCtx *dctx_take(pack_dict *d)
{
	ZSTD_DCtx *z = pool_take(&d->dctx);
	if (z)
		return z;
	z = ZSTD_createDCtx();
	if (z && d->ddict && ZSTD_isError(ZSTD_DCtx_refDDict(z, d->ddict))) {
		ZSTD_freeDCtx(z);
		z = NULL;
	}
	return z;
}

static void dctx_give(pack_dict *d, ZSTD_DCtx *z)
{
	ZSTD_DCtx_reset(z, ZSTD_reset_session_only);
	if (!pool_give(&d->dctx, z))
		ZSTD_freeDCtx(z);
}

int unpack(pack_dict *d, const char *packed, size_t plen, char *out, size_t raw_len)
{
	ZSTD_DCtx *z = dctx_take(d);
	if (!z)
		return -1;
	size_t n = ZSTD_decompressDCtx(z, out, raw_len, packed, plen);
	dctx_give(d, z);
	return !ZSTD_isError(n) && n == raw_len ? 0 : -1;
}

int pack_equals(pack_dict *d, const char *packed, size_t plen, const char *data, size_t len)
{
	ZSTD_DCtx *z = dctx_take(d);
	if (!z)
		return 0;
	char window[16384];
	ZSTD_inBuffer in = { packed, plen, 0 };
	size_t at = 0, left = 1;
	int same = 1;
	while (same && left != 0) {
		ZSTD_outBuffer out = { window, sizeof window, 0 };
		left = ZSTD_decompressStream(z, &out, &in);
		/* an error, more than data, other bytes, or no progress on a cut frame */
		same = !ZSTD_isError(left) && out.pos <= len - at &&
			memcmp(window, data + at, out.pos) == 0 &&
			(out.pos > 0 || left == 0 || in.pos < in.size);
		at += out.pos;
	}
	dctx_give(d, z);
	return same && at == len;
}

/* ---- training ---- */

struct pack_samples {
	pthread_mutex_t lock;
	char *bytes;
	size_t len;
	size_t *sizes;
	size_t n, cap;
	size_t stride;     /* a piece of every stride-th file offered is kept */
	size_t offered;    /* files offered */
	size_t seen, span; /* their bytes; full at span */
	int full;
};

pack_samples *pack_samples_new(size_t span)
{
	pack_samples *s = xcalloc(1, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	s->stride = 1;
	s->span = span;
	return s;
}

/* Keeps every other piece, and a piece of every (2 * stride)-th file from now on. */
static void thin(pack_samples *s)
{
	size_t at = 0, to = 0, j = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (i % 2 == 0) {
			memmove(s->bytes + to, s->bytes + at, s->sizes[i]);
			to += s->sizes[i];
			s->sizes[j++] = s->sizes[i];
		}
		at += s->sizes[i];
	}
	s->n = j;
	s->len = to;
	s->stride *= 2;
}

void pack_samples_free(pack_samples *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->lock);
	free(s->bytes);
	free(s->sizes);
	free(s);
}

int pack_samples_add(pack_samples *s, const char *data, size_t len)
{
	size_t k = len < PACK_PIECE ? len : PACK_PIECE;
	int filled = 0;
	pthread_mutex_lock(&s->lock);
	if (!s->full && s->offered++ % s->stride == 0) {
		if (!s->bytes)
			s->bytes = xmalloc(PACK_SAMPLES);
		while (s->len + k > PACK_SAMPLES)
			thin(s);
		memcpy(s->bytes + s->len, data, k);
		s->len += k;
		s->sizes = xgrow(s->sizes, sizeof(*s->sizes), s->n + 1, &s->cap);
		s->sizes[s->n++] = k;
	}
	s->seen += len;
	if (!s->full && s->seen >= s->span)
		filled = s->full = 1;
	pthread_mutex_unlock(&s->lock);
	return filled;
}

pack_dict *pack_train(pack_samples *s)
{
	/* no lock: nothing is added to full samples, and writers must not wait for this */
	char *bytes = xmalloc(DICT_SIZE);
	size_t len = s->n ? ZDICT_trainFromBuffer(bytes, DICT_SIZE, s->bytes, s->sizes,
		(unsigned)s->n) : 0;
	pack_dict *d = len && !ZDICT_isError(len) ? pack_dict_new(bytes, len) : NULL;
	free(bytes);
	return d;
}

void pack_samples_drop(pack_samples *s)
{
	pthread_mutex_lock(&s->lock);
	free(s->bytes);
	free(s->sizes);
	s->bytes = NULL;
	s->sizes = NULL;
	s->len = s->n = s->cap = 0;
	s->full = 1;
	pthread_mutex_unlock(&s->lock);
}
