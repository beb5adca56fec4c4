/*
 * Word-level differences for history pages. One Myers diff (the greedy
 * O((N+M)D) form, with the edit trace kept so the script can be read back)
 * serves both levels: over paragraphs, then over the tokens of a changed
 * paragraph pair. Both are bounded so that a pathological record costs at
 * most DIFF_MAX_EDITS^2 ints of memory and (N+M)*DIFF_MAX_EDITS steps.
 */
#include "diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "banned.h"

typedef struct span {
	const char *p;
	size_t len;
	uint64_t h;
	int kind; /* a block's kind (diff_blocks_html), 0 for paragraphs and tokens */
} span;

typedef struct spans {
	span *v;
	size_t n, cap;
} spans;

enum { OP_EQ, OP_DEL, OP_INS };

typedef struct ops {
	unsigned char *v;
	size_t n, cap;
} ops;

static void spans_push(spans *s, const char *p, size_t len)
{
	s->v = xgrow(s->v, sizeof(span), s->n + 1, &s->cap);
	s->v[s->n++] = (span){ p, len, fnv1a(FNV1A_INIT, p, len), 0 };
}

static int span_eq(const span *a, const span *b)
{
	return a->h == b->h && a->len == b->len && a->kind == b->kind &&
		memcmp(a->p, b->p, a->len) == 0;
}

static void ops_push(ops *o, unsigned char op, size_t count)
{
	if (!count)
		return;
	o->v = xgrow(o->v, 1, o->n + count, &o->cap);
	memset(o->v + o->n, op, count);
	o->n += count;
}

/*
 * The edit script from a to b, appended to o in order. Returns 0, or -1 when
 * the middle part needed more than max_d edits: it is then given as all of a
 * deleted and all of b inserted (common prefix and suffix still kept).
 */
static int myers(const span *a, size_t n, const span *b, size_t m, int max_d, ops *o)
{
	size_t pre = 0, suf = 0;
	while (pre < n && pre < m && span_eq(&a[pre], &b[pre]))
		pre++;
	while (suf < n - pre && suf < m - pre && span_eq(&a[n - 1 - suf], &b[m - 1 - suf]))
		suf++;
	ops_push(o, OP_EQ, pre);
	a += pre;
	b += pre;
	int N = (int)(n - pre - suf), M = (int)(m - pre - suf), ret = 0;
	if (N + M > 2 * DIFF_MAX_TOKENS || max_d < 0)
		goto give_up;
	if (max_d > N + M)
		max_d = N + M;
	int off = max_d + 1;
	int *V = xcalloc((size_t)(2 * max_d + 3), sizeof(int));
	int *trace = NULL;
	size_t cap = 0;
	int D = -1;
	for (int d = 0; d <= max_d && D < 0; d++) {
		for (int k = -d; k <= d; k += 2) {
			int x = (k == -d || (k != d && V[off + k - 1] < V[off + k + 1])) ?
				V[off + k + 1] : V[off + k - 1] + 1;
			int y = x - k;
			while (x < N && y < M && span_eq(&a[x], &b[y])) {
				x++;
				y++;
			}
			V[off + k] = x;
			if (x >= N && y >= M)
				D = d;
		}
		/* trace[d*d + d + k] is V[k] after step d, for k in -d..d */
		size_t base = (size_t)d * (size_t)d;
		trace = xgrow(trace, sizeof(int), base + 2 * (size_t)d + 1, &cap);
		memcpy(trace + base, V + off - d, (2 * (size_t)d + 1) * sizeof(int));
	}
	free(V);
	if (D < 0) {
		free(trace);
		goto give_up;
	}
	/* Read the script back from the end, then reverse it. */
	size_t start = o->n;
	int x = N, y = M;
	for (int d = D; d > 0; d--) {
		const int *vp = trace + (size_t)(d - 1) * (size_t)(d - 1) + (d - 1);
		int k = x - y;
		int pk = (k == -d || (k != d && vp[k - 1] < vp[k + 1])) ? k + 1 : k - 1;
		int px = vp[pk], py = px - pk;
		while (x > px && y > py) {
			ops_push(o, OP_EQ, 1);
			x--;
			y--;
		}
		ops_push(o, x == px ? OP_INS : OP_DEL, 1);
		x = px;
		y = py;
	}
	ops_push(o, OP_EQ, (size_t)x);
	free(trace);
	for (size_t i = start, j = o->n; i + 1 < j; i++, j--) {
		unsigned char t = o->v[i];
		o->v[i] = o->v[j - 1];
		o->v[j - 1] = t;
	}
	ops_push(o, OP_EQ, suf);
	return ret;
give_up:
	ops_push(o, OP_DEL, (size_t)N);
	ops_push(o, OP_INS, (size_t)M);
	ops_push(o, OP_EQ, suf);
	return -1;
}

/* ---- splitting ---- */

static int is_blank_char(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Blocks separated by blank lines, trailing whitespace left out. */
static void split_paragraphs(spans *out, const char *s, size_t len)
{
	size_t i = 0, start = 0, end = 0;
	int in_para = 0;
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) : len;
		int blank = 1;
		for (size_t j = i; j < e && blank; j++)
			blank = is_blank_char(s[j]);
		if (!blank) {
			if (!in_para)
				start = i;
			in_para = 1;
			end = e;
		} else if (in_para) {
			while (end > start && is_blank_char(s[end - 1]))
				end--;
			spans_push(out, s + start, end - start);
			in_para = 0;
		}
		i = e + 1;
	}
	if (in_para) {
		while (end > start && is_blank_char(s[end - 1]))
			end--;
		spans_push(out, s + start, end - start);
	}
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Bytes of UTF-8 sequences (>= 0x80) count as letters, so no sequence is ever split. */
static int is_word(unsigned char c)
{
	return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9');
}

static void split_tokens(spans *out, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t j = i + 1;
		unsigned char c = (unsigned char)s[i];
		if (is_space(c)) {
			while (j < len && is_space((unsigned char)s[j]))
				j++;
		} else if (is_word(c)) {
			while (j < len && is_word((unsigned char)s[j]))
				j++;
		}
		spans_push(out, s + i, j - i);
		i = j;
	}
}

/* ---- rendering ---- */

/* Where the HTML goes, and the words its hidden labels and counts use. */
typedef struct dw {
	buf *out;
	const diff_words *w;
} dw;

const diff_words diff_words_fi = { "Poistettu", "Lisätty", "… 1 muuttumaton kappale",
	"… {n} muuttumatonta kappaletta" };

static void put_marked(dw *d, int op, const char *p, size_t len)
{
	buf_printf(d->out, "<%s><span class=\"visually-hidden\">", op == OP_DEL ? "del" : "ins");
	buf_put_html(d->out, op == OP_DEL ? d->w->deleted : d->w->inserted,
		strlen(op == OP_DEL ? d->w->deleted : d->w->inserted));
	buf_puts(d->out, ": </span>");
	buf_put_html(d->out, p, len);
	buf_puts(d->out, op == OP_DEL ? "</del>" : "</ins>");
}

/* A block's element: a paragraph, classed by the block's kind when it has one. */
static void open_para(dw *d, const span *para)
{
	static const struct { int kind; const char *cls; } kinds[] = {
		{ 'h', "diff-heading" }, { 'l', "diff-item" }, { 'q', "diff-quote" },
		{ 'r', "diff-row" }, { 'c', "diff-code" },
	};
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (kinds[i].kind == para->kind) {
			buf_printf(d->out, "<p class=\"diff-para %s\">", kinds[i].cls);
			return;
		}
	buf_puts(d->out, "<p class=\"diff-para\">");
}

static void put_whole(dw *d, int op, const span *para)
{
	open_para(d, para);
	put_marked(d, op, para->p, para->len);
	buf_puts(d->out, "</p>\n");
}

/* The text of tokens [i, j): they are contiguous in their paragraph. */
static void put_tokens(dw *d, int op, const span *t, size_t i, size_t j)
{
	if (i >= j)
		return;
	const char *p = t[i].p;
	size_t len = (size_t)(t[j - 1].p + t[j - 1].len - p);
	if (op == OP_EQ)
		buf_put_html(d->out, p, len);
	else
		put_marked(d, op, p, len);
}

typedef struct run {
	int eq;
	size_t a0, a1, b0, b1;
} run;

static int all_space(const span *t, size_t i, size_t j)
{
	for (; i < j; i++)
		if (!is_space((unsigned char)t[i].p[0]))
			return 0;
	return 1;
}

/* A changed paragraph, word by word; 0, or -1 when it is better shown whole. */
static int render_pair(dw *d, const span *pa, const span *pb)
{
	spans a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	ops o = { NULL, 0, 0 };
	run *runs = NULL;
	size_t n_runs = 0, cap_runs = 0;
	int ret = -1;
	split_tokens(&a, pa->p, pa->len);
	split_tokens(&b, pb->p, pb->len);
	if (a.n > DIFF_MAX_TOKENS || b.n > DIFF_MAX_TOKENS ||
	    myers(a.v, a.n, b.v, b.n, DIFF_MAX_EDITS, &o) < 0)
		goto out;
	/* Runs of equal and of changed tokens; a paragraph sharing no word with the other is
	 * not a revision of it. */
	size_t ia = 0, ib = 0, shared = 0;
	for (size_t i = 0; i < o.n; i++) {
		int eq = o.v[i] == OP_EQ;
		if (!n_runs || runs[n_runs - 1].eq != eq) {
			runs = xgrow(runs, sizeof(run), n_runs + 1, &cap_runs);
			runs[n_runs++] = (run){ eq, ia, ia, ib, ib };
		}
		run *r = &runs[n_runs - 1];
		if (o.v[i] != OP_INS)
			r->a1 = ++ia;
		if (o.v[i] != OP_DEL)
			r->b1 = ++ib;
		if (eq && !is_space((unsigned char)a.v[ia - 1].p[0]))
			shared++;
	}
	if (!shared)
		goto out;
	/* Whitespace alone between two changes joins them: "<del>a b</del><ins>c d</ins>" reads
	 * better than "<del>a</del><ins>c</ins> <del>b</del><ins>d</ins>". */
	size_t w = 0;
	for (size_t i = 0; i < n_runs; i++) {
		run r = runs[i];
		if (r.eq && w && !runs[w - 1].eq && i + 1 < n_runs && all_space(a.v, r.a0, r.a1)) {
			runs[w - 1].a1 = runs[i + 1].a1;
			runs[w - 1].b1 = runs[i + 1].b1;
			i++;
			continue;
		}
		runs[w++] = r;
	}
	open_para(d, pb);
	for (size_t i = 0; i < w; i++) {
		if (runs[i].eq) {
			put_tokens(d, OP_EQ, a.v, runs[i].a0, runs[i].a1);
		} else {
			put_tokens(d, OP_DEL, a.v, runs[i].a0, runs[i].a1);
			put_tokens(d, OP_INS, b.v, runs[i].b0, runs[i].b1);
		}
	}
	buf_puts(d->out, "</p>\n");
	ret = 0;
out:
	free(a.v);
	free(b.v);
	free(o.v);
	free(runs);
	return ret;
}

static void put_unchanged(dw *d, size_t n)
{
	if (!n)
		return;
	/* "{n}" in the words stands for the number */
	const char *form = n == 1 ? d->w->same_one : d->w->same_other;
	buf num = BUF_INIT;
	buf_put_count(&num, form, n);
	buf_puts(d->out, "<p class=\"diff-unchanged\">");
	buf_put_html(d->out, num.ptr, num.len);
	buf_puts(d->out, "</p>\n");
	buf_release(&num);
}

/* One stretch of deleted and inserted paragraphs: pairs in order, then the rest whole. */
static void put_change(dw *d, const span *pa, const size_t *del, size_t n_del, const span *pb,
	const size_t *ins, size_t n_ins)
{
	size_t i = 0;
	for (; i < n_del && i < n_ins; i++) {
		if (render_pair(d, &pa[del[i]], &pb[ins[i]]) < 0) {
			put_whole(d, OP_DEL, &pa[del[i]]);
			put_whole(d, OP_INS, &pb[ins[i]]);
		}
	}
	for (size_t j = i; j < n_del; j++)
		put_whole(d, OP_DEL, &pa[del[j]]);
	for (size_t j = i; j < n_ins; j++)
		put_whole(d, OP_INS, &pb[ins[j]]);
}

/* The paragraphs of a and b aligned, the changed ones word by word. */
static void diff_spans(dw *d, spans a, spans b)
{
	ops o = { NULL, 0, 0 };
	myers(a.v, a.n, b.v, b.n, DIFF_MAX_EDITS, &o);
	size_t *del = xmalloc((a.n + 1) * sizeof(size_t));
	size_t *ins = xmalloc((b.n + 1) * sizeof(size_t));
	size_t n_del = 0, n_ins = 0, same = 0, ia = 0, ib = 0;
	for (size_t i = 0; i <= o.n; i++) {
		if (i == o.n || o.v[i] == OP_EQ) {
			if (n_del || n_ins) {
				put_unchanged(d, same);
				same = 0;
				put_change(d, a.v, del, n_del, b.v, ins, n_ins);
				n_del = n_ins = 0;
			}
			if (i == o.n)
				break;
			same++;
			ia++;
			ib++;
		} else if (o.v[i] == OP_DEL) {
			del[n_del++] = ia++;
		} else {
			ins[n_ins++] = ib++;
		}
	}
	put_unchanged(d, same);
	free(del);
	free(ins);
	free(o.v);
}

void diff_text_html(buf *out, const char *old, size_t old_len, const char *new_, size_t new_len,
	const diff_words *w)
{
	dw d = { out, w ? w : &diff_words_fi };
	spans a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	if (old)
		split_paragraphs(&a, old, old_len);
	if (new_)
		split_paragraphs(&b, new_, new_len);
	diff_spans(&d, a, b);
	free(a.v);
	free(b.v);
}

/* Blocks as markdown_blocks() writes them: a kind byte, the text, a NUL; n of them. */
static void split_blocks(spans *out, const char *s, size_t len, size_t n)
{
	const char *end = s + len;
	for (size_t i = 0; i < n && s < end; i++) {
		const char *z = memchr(s + 1, '\0', (size_t)(end - s - 1));
		if (!z)
			break;
		spans_push(out, s + 1, (size_t)(z - s - 1));
		span *sp = &out->v[out->n - 1];
		sp->kind = (unsigned char)s[0];
		sp->h = fnv1a(sp->h, s, 1);
		s = z + 1;
	}
}

void diff_blocks_html(buf *out, const char *old, size_t old_len, size_t old_n, const char *new_,
	size_t new_len, size_t new_n, const diff_words *w)
{
	dw d = { out, w ? w : &diff_words_fi };
	spans a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	split_blocks(&a, old, old_len, old_n);
	split_blocks(&b, new_, new_len, new_n);
	diff_spans(&d, a, b);
	free(a.v);
	free(b.v);
}
