/*
 * Mustache templates, compiled once into a tree of nodes.
 *
 * Compiling runs in passes over a flat list of tags: tokenize (set
 * delimiters take effect here), match open and close tags (every syntax
 * error is found here, so later passes cannot fail), decide which tags are
 * standalone (their whole line disappears from the output), then build the
 * tree. The text between tags is copied into text nodes with the places
 * where a line of the template begins: a partial rendered with standalone
 * indentation prefixes exactly those places, which gives the same output as
 * indenting the partial's source (as the spec describes it) without
 * compiling the partial again for every indentation.
 *
 * Inheritance follows the spec's indentation rules: the content of a
 * standalone block loses its common indentation at compile time and gets the
 * indentation of the block it fills at render time.
 *
 * Rendering only reads the set. Its state (context stack, indentation,
 * block overrides) lives in small frames on the C stack, and every kind of
 * nesting is capped so that no template can exhaust the stack, the time or
 * the memory of a build.
 */
#include "mustache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "urlcheck.h"
#include "util.h"
#include "msg.h"
#include "banned.h"

#define MAX_PARTIAL_DEPTH 64          /* partials and parents, as the header promises */
#define MAX_SECTION_DEPTH 100         /* open sections, parents and blocks in one source */
#define MAX_RENDER_DEPTH 1000         /* all nesting while rendering: bounds the C stack */
#define MAX_STEPS 16000000UL          /* nodes visited by one render: stops exponential templates */
#define MAX_OUTPUT ((size_t)64 << 20) /* bytes written by one render */

typedef enum node_kind {
	N_ROOT,
	N_TEXT,
	N_VAR,      /* {{x}}: escaped */
	N_RAW,      /* {{{x}}}, {{&x}} */
	N_SECTION,
	N_INVERTED,
	N_PARTIAL,
	N_PARENT,   /* {{<x}}: its kids are the blocks it overrides */
	N_BLOCK,    /* {{$x}}: its kids are the default content */
} node_kind;

typedef struct node node;
struct node {
	node_kind kind;
	int line;
	int dynamic;        /* partial or parent whose name is looked up in the context */
	int standalone;     /* partial, parent, block: indent is added to the lines it renders */
	char *str;          /* text, or the tag's name */
	size_t len;
	char *parts;        /* a name split at its dots, NUL-separated; NULL for "." */
	size_t nparts;
	uint64_t *hashes;   /* str_hash() of each part, for value_map_get_h() */
	size_t *ind;        /* text: offsets in str where a template line begins */
	size_t nind;
	char *indent;
	size_t indent_len;
	node *kids;
	size_t nkids, cap;
};

typedef struct tmpl {
	char *name;
	char *file;
	node root;
} tmpl;

struct tmpl_set {
	tmpl **items;       /* sorted by name */
	size_t n, cap;
};

/* ---- compiling ---- */

typedef struct tok {
	char type;          /* one of # ^ / > < $ ! = & {, or 'v' for a plain variable */
	int line;
	int dynamic;
	size_t start, end;  /* the whole tag, delimiters included */
	size_t name, name_len;
	const char *ot, *ct;    /* the delimiters in force, for messages */
	size_t otl, ctl;
	int ws_before, ws_after;
	size_t ls, le;      /* start of the tag's line; past the end of its line */
	size_t trim, skip;  /* the text before ends at trim, the text after starts at skip */
	int cut;            /* the whitespace before the tag on its line is dropped */
	int standalone;
	size_t match;       /* open tag: index of its close tag, and the reverse */
} tok;

typedef struct parser {
	const char *src;
	size_t len;
	const char *file;
	diag_list *d;
	tok *toks;
	size_t n, cap;
} parser;

typedef struct cont {
	node *n;
	const char *dent;   /* indentation removed from each line of text inside */
	size_t dent_len;
} cont;

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *memdup_z(const char *s, size_t len)
{
	return xstrndup(s, len);
}

/* memmem is a GNU extension; the build asks only for POSIX. */
static const char *find_mem(const char *hay, size_t n, const char *needle, size_t m)
{
	if (m == 0 || m > n)
		return NULL;
	for (const char *p = hay, *last = hay + (n - m); p <= last; p++) {
		p = memchr(p, needle[0], (size_t)(last - p) + 1);
		if (!p)
			return NULL;
		if (memcmp(p, needle, m) == 0)
			return p;
	}
	return NULL;
}

static int count_lines(const char *s, size_t a, size_t b)
{
	int n = 0;
	for (size_t i = a; i < b; i++)
		n += s[i] == '\n';
	return n;
}

/*
 * Finds the closing delimiter ct at or after from; with lead, the delimiter
 * must be preceded by lead ("}" of a triple mustache, "=" of a delimiter
 * change) and the position of lead is returned. SIZE_MAX when absent.
 */
static size_t find_close(const char *src, size_t len, size_t from, const char *ct, size_t ctl,
	char lead)
{
	size_t p = from;
	while (p < len) {
		const char *f = find_mem(src + p, len - p, ct, ctl);
		if (!f)
			return SIZE_MAX;
		size_t at = (size_t)(f - src);
		if (!lead)
			return at;
		if (at > from && src[at - 1] == lead)
			return at - 1;
		p = at + 1;
	}
	return SIZE_MAX;
}

static const char *kind_word(char type)
{
	switch (type) {
	case '<': return tr("parent");
	case '$': return tr("block");
	default: return tr("section");
	}
}

/*
 * Splits the content src[a, b) of a set delimiter tag into two delimiters:
 * the first ends at *d1, the second starts at *d2 and ends at b. Neither
 * may be empty or contain blanks or '='.
 */
static int split_delims(const char *src, size_t a, size_t b, size_t *d1, size_t *d2)
{
	size_t i = a, j;
	while (i < b && !is_ws(src[i]))
		i++;
	j = i;
	while (j < b && is_ws(src[j]))
		j++;
	if (i == a || j == i || j == b || memchr(src + a, '=', b - a))
		return -1;
	for (size_t k = j; k < b; k++)
		if (is_ws(src[k]))
			return -1;
	*d1 = i;
	*d2 = j;
	return 0;
}

static int tokenize(parser *p)
{
	const char *src = p->src;
	size_t len = p->len;
	const char *ot = "{{", *ct = "}}";
	size_t otl = 2, ctl = 2;
	size_t pos = 0;
	int line = 1;

	while (pos < len) {
		const char *f = find_mem(src + pos, len - pos, ot, otl);
		if (!f)
			break;
		size_t start = (size_t)(f - src);
		line += count_lines(src, pos, start);
		size_t q = start + otl;
		char type = 'v';
		if (q < len && src[q] && strchr("#^/><$!=&{", src[q]))
			type = src[q++];
		char lead = type == '{' ? '}' : type == '=' ? '=' : 0;
		size_t ce = find_close(src, len, q, ct, ctl, lead);
		if (ce == SIZE_MAX) {
			diag_error(p->d, p->file, line, "unclosed tag '%.*s%s' (expected '%s%.*s')",
				(int)otl, ot, type == 'v' ? "" : (char[]){ type, 0 },
				lead ? (char[]){ lead, 0 } : "", (int)ctl, ct);
			return -1;
		}
		size_t end = ce + (lead ? 1 : 0) + ctl;
		size_t a = q, b = ce;
		while (a < b && is_ws(src[a]))
			a++;
		while (b > a && is_ws(src[b - 1]))
			b--;
		int dynamic = 0;
		if ((type == '>' || type == '<') && a < b && src[a] == '*') {
			dynamic = 1;
			a++;
			while (a < b && is_ws(src[a]))
				a++;
		}
		size_t d1 = 0, d2 = 0;
		if (type == '=' && split_delims(src, a, b, &d1, &d2)) {
			diag_error(p->d, p->file, line, "bad delimiters in '%.*s' (expected two "
				"delimiters separated by a space, like '{{=<%% %%>=}}')",
				(int)(end - start), src + start);
			return -1;
		} else if (type != '=' && type != '!' && a == b) {
			diag_error(p->d, p->file, line, "tag '%.*s' has no name (expected a name "
				"or '.')", (int)(end - start), src + start);
			return -1;
		}

		p->toks = xgrow(p->toks, sizeof(tok), p->n + 1, &p->cap);
		tok *t = &p->toks[p->n++];
		memset(t, 0, sizeof(*t));
		t->type = type;
		t->line = line;
		t->dynamic = dynamic;
		t->start = start;
		t->end = end;
		t->name = a;
		t->name_len = b - a;
		t->ot = ot;
		t->otl = otl;
		t->ct = ct;
		t->ctl = ctl;
		if (type == '=') {
			/* the new delimiters point into the source, which outlives compiling */
			ot = src + a;
			otl = d1 - a;
			ct = src + d2;
			ctl = b - d2;
		}
		line += count_lines(src, start, end);
		pos = end;
	}
	return 0;
}

static int same_name(const parser *p, const tok *a, const tok *b)
{
	return a->dynamic == b->dynamic && a->name_len == b->name_len &&
		memcmp(p->src + a->name, p->src + b->name, a->name_len) == 0;
}

static int mismatch(const parser *p, const tok *o, const tok *t)
{
	const char *src = p->src;
	diag_error(p->d, p->file, t->line, "closing tag '%.*s' does not match %s '%.*s' opened "
		"on line %d (expected '%.*s/%s%.*s%.*s')", (int)(t->end - t->start), src + t->start,
		kind_word(o->type), (int)o->name_len, src + o->name, o->line, (int)t->otl, t->ot,
		o->dynamic ? "*" : "", (int)o->name_len, src + o->name, (int)t->ctl, t->ct);
	return -1;
}

/* Pairs open and close tags; every nesting error of a template is reported here. */
static int match(parser *p)
{
	size_t stack[MAX_SECTION_DEPTH];
	size_t depth = 0;
	const char *src = p->src;

	for (size_t i = 0; i < p->n; i++) {
		tok *t = &p->toks[i];
		switch (t->type) {
		case '#': case '^': case '<': case '$':
			if (depth == MAX_SECTION_DEPTH) {
				diag_error(p->d, p->file, t->line, "%s '%.*s' nested too deeply "
					"(expected at most %d levels)", kind_word(t->type),
					(int)t->name_len, src + t->name, MAX_SECTION_DEPTH);
				return -1;
			}
			stack[depth++] = i;
			break;
		case '/': {
			if (depth == 0) {
				diag_error(p->d, p->file, t->line, "closing tag '%.*s' without an "
					"open section", (int)(t->end - t->start), src + t->start);
				return -1;
			}
			tok *o = &p->toks[stack[depth - 1]];
			if (!same_name(p, o, t))
				return mismatch(p, o, t);
			o->match = i;
			t->match = stack[--depth];
			break;
		}
		default:
			break;
		}
	}
	if (depth) {
		tok *o = &p->toks[stack[depth - 1]];
		diag_error(p->d, p->file, o->line, "unclosed %s '%.*s' (expected '%.*s/%s%.*s%.*s' "
			"before the end)", kind_word(o->type), (int)o->name_len, src + o->name,
			(int)o->otl, o->ot, o->dynamic ? "*" : "", (int)o->name_len, src + o->name,
			(int)o->ctl, o->ct);
		return -1;
	}
	return 0;
}

static int can_stand_alone(char type)
{
	return type != 'v' && type != '&' && type != '{';
}

/*
 * A tag alone on its line (but for blanks) is standalone: the line is
 * removed. Parent and block tags also pair up, as the inheritance spec
 * asks: "{{<p}}{{/p}}", "{{<p}}{{$b}}", "{{/b}}{{/p}}" and "{{$b}}{{/b}}"
 * on a line of their own count as standalone together.
 */
static void find_standalone(parser *p)
{
	const char *src = p->src;
	for (size_t i = 0; i < p->n; i++) {
		tok *t = &p->toks[i];
		size_t lo = i ? p->toks[i - 1].end : 0;
		size_t hi = i + 1 < p->n ? p->toks[i + 1].start : p->len;
		size_t j = t->start;
		while (j > lo && is_blank(src[j - 1]))
			j--;
		t->ws_before = j == 0 || (j > lo && src[j - 1] == '\n');
		t->ls = j;
		size_t k = t->end;
		while (k < hi && is_blank(src[k]))
			k++;
		t->ws_after = 1;
		if (k == p->len)
			t->le = k;
		else if (k < hi && src[k] == '\n')
			t->le = k + 1;
		else if (k + 1 < hi && src[k] == '\r' && src[k + 1] == '\n')
			t->le = k + 2;
		else
			t->ws_after = 0;
		t->trim = t->start;
		t->skip = t->end;
		if (can_stand_alone(t->type) && t->ws_before && t->ws_after) {
			t->standalone = t->cut = 1;
			t->trim = t->ls;
			t->skip = t->le;
		}
	}
	for (size_t i = 0; i + 1 < p->n; i++) {
		tok *a = &p->toks[i], *b = &p->toks[i + 1];
		if (a->end != b->start || !a->ws_before || !b->ws_after)
			continue;
		if (a->type == '<' && ((b->type == '/' && b->match == i) || b->type == '$')) {
			a->standalone = a->cut = 1;
			a->trim = a->ls;
			b->skip = b->le;
			if (b->type == '$')
				b->standalone = 1;
		} else if (a->type == '/' && b->type == '/' && p->toks[a->match].type == '$' &&
			p->toks[b->match].type == '<') {
			a->cut = 1;
			a->trim = a->ls;
			b->skip = b->le;
		} else if (a->type == '$' && b->type == '/' && b->match == i) {
			/* the newline stays: an empty block keeps its line ending */
			a->standalone = a->cut = 1;
			a->trim = a->ls;
		}
	}
}

static node *add_kid(node *parent)
{
	parent->kids = xgrow(parent->kids, sizeof(node), parent->nkids + 1, &parent->cap);
	node *n = &parent->kids[parent->nkids++];
	memset(n, 0, sizeof(*n));
	return n;
}

static void set_name(node *n, const char *s, size_t len)
{
	n->str = memdup_z(s, len);
	n->len = len;
	if (len == 1 && s[0] == '.')
		return;
	n->parts = memdup_z(s, len);
	n->nparts = 1;
	for (size_t i = 0; i < len; i++) {
		if (n->parts[i] == '.') {
			n->parts[i] = '\0';
			n->nparts++;
		}
	}
	n->hashes = xmalloc(n->nparts * sizeof(uint64_t));
	const char *part = n->parts;
	for (size_t i = 0; i < n->nparts; i++) {
		n->hashes[i] = str_hash(part);
		part += strlen(part) + 1;
	}
}

/* How much of s (n bytes) the indentation dent covers. */
static size_t dent_prefix(const char *s, size_t n, const char *dent, size_t dent_len)
{
	size_t k = 0;
	while (k < n && k < dent_len && s[k] == dent[k])
		k++;
	return k;
}

static void set_indent(node *n, const char *s, size_t len, const cont *c)
{
	size_t k = dent_prefix(s, len, c->dent, c->dent_len);
	n->indent = memdup_z(s + k, len - k);
	n->indent_len = len - k;
}

/*
 * Copies src[a, b) into a text node of c, without c's indentation at the
 * start of each line, and records where template lines with content begin.
 * A line that begins right at the next tag has content unless that tag's
 * line is removed.
 */
static void emit_text(const parser *p, const cont *c, size_t a, size_t b, const tok *next)
{
	const char *src = p->src;
	buf tx = BUF_INIT;
	size_t *ind = NULL, nind = 0, cap = 0;
	size_t pos = a;
	int bol = a == 0 || src[a - 1] == '\n';

	for (;;) {
		if (bol) {
			pos += dent_prefix(src + pos, b - pos, c->dent, c->dent_len);
			int content;
			if (pos < b)
				content = !(src[pos] == '\n' ||
					(src[pos] == '\r' && pos + 1 < b && src[pos + 1] == '\n'));
			else
				content = next && !next->cut;
			if (content) {
				ind = xgrow(ind, sizeof(size_t), nind + 1, &cap);
				ind[nind++] = tx.len;
			}
			bol = 0;
		}
		if (pos >= b)
			break;
		const char *nl = memchr(src + pos, '\n', b - pos);
		size_t e = nl ? (size_t)(nl - src) + 1 : b;
		buf_put(&tx, src + pos, e - pos);
		pos = e;
		if (!nl)
			break;
		bol = 1;
	}
	if (tx.len == 0 && nind == 0) {
		buf_release(&tx);
		return;
	}
	node *n = add_kid(c->n);
	n->kind = N_TEXT;
	n->line = 1 + count_lines(src, 0, a);   /* for messages about the text (content templates) */
	n->str = buf_detach(&tx, &n->len);
	n->ind = ind;
	n->nind = nind;
}

/*
 * The common indentation of the lines of src[a, b) that are not blank, as
 * a span of the source (a line start is assumed at a).
 */
static void common_indent(const char *src, size_t a, size_t b, size_t *off, size_t *len)
{
	int have = 0;
	*off = a;
	*len = 0;
	for (size_t pos = a; pos < b;) {
		size_t q = pos;
		while (q < b && is_blank(src[q]))
			q++;
		size_t e = q;
		while (e < b && src[e] != '\n')
			e++;
		int blank = q == e || (e - q == 1 && src[q] == '\r');
		if (!blank) {
			if (!have) {
				*off = pos;
				*len = q - pos;
				have = 1;
			} else {
				*len = dent_prefix(src + pos, q - pos, src + *off, *len);
			}
		}
		pos = e + 1;
	}
}

static void node_release(node *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		node_release(&n->kids[i]);
	free(n->kids);
	free(n->str);
	free(n->parts);
	free(n->hashes);
	free(n->ind);
	free(n->indent);
}

/* A parent keeps only its blocks: the spec ignores any other content. */
static void keep_blocks(node *parent)
{
	size_t j = 0;
	for (size_t i = 0; i < parent->nkids; i++) {
		if (parent->kids[i].kind == N_BLOCK)
			parent->kids[j++] = parent->kids[i];
		else
			node_release(&parent->kids[i]);
	}
	parent->nkids = j;
}

static void build(const parser *p, node *root)
{
	const char *src = p->src;
	cont stack[MAX_SECTION_DEPTH + 1];
	size_t depth = 0;
	size_t a = 0;

	stack[0] = (cont){ root, "", 0 };
	for (size_t i = 0; i <= p->n; i++) {
		const tok *t = i < p->n ? &p->toks[i] : NULL;
		size_t b = t ? t->trim : p->len;
		cont *c = &stack[depth];
		if (b < a)
			b = a;
		if (c->n->kind != N_PARENT)
			emit_text(p, c, a, b, t);
		if (!t)
			break;
		a = t->skip;

		node *n;
		switch (t->type) {
		case '!':
		case '=':
			break;
		case 'v':
		case '&':
		case '{':
			n = add_kid(c->n);
			n->kind = t->type == 'v' ? N_VAR : N_RAW;
			n->line = t->line;
			set_name(n, src + t->name, t->name_len);
			break;
		case '>':
			n = add_kid(c->n);
			n->kind = N_PARTIAL;
			n->line = t->line;
			n->dynamic = t->dynamic;
			n->standalone = t->standalone;
			set_name(n, src + t->name, t->name_len);
			if (t->standalone)
				set_indent(n, src + t->ls, t->start - t->ls, c);
			break;
		case '#':
		case '^':
		case '<':
		case '$': {
			n = add_kid(c->n);
			n->kind = t->type == '#' ? N_SECTION : t->type == '^' ? N_INVERTED :
				t->type == '<' ? N_PARENT : N_BLOCK;
			n->line = t->line;
			n->dynamic = t->dynamic;
			n->standalone = t->standalone;
			set_name(n, src + t->name, t->name_len);
			cont inner = { n, c->dent, c->dent_len };
			if (t->type == '<' && t->standalone) {
				set_indent(n, src + t->ls, t->start - t->ls, c);
			} else if (t->type == '$' && t->standalone) {
				size_t off, len;
				common_indent(src, t->skip, p->toks[t->match].trim, &off, &len);
				if (len) {
					set_indent(n, src + off, len, c);
					inner.dent = src + off;
					inner.dent_len = len;
				} else if (t->ws_before) {
					set_indent(n, src + t->ls, t->start - t->ls, c);
				}
			}
			stack[++depth] = inner;
			break;
		}
		case '/':
			if (stack[depth].n->kind == N_PARENT)
				keep_blocks(stack[depth].n);
			depth--;
			break;
		}
	}
}

/* ---- the set ---- */

tmpl_set *tmpl_set_new(void)
{
	return xcalloc(1, sizeof(tmpl_set));
}

static void tmpl_free(tmpl *t)
{
	node_release(&t->root);
	free(t->name);
	free(t->file);
	free(t);
}

void tmpl_set_free(tmpl_set *ts)
{
	if (!ts)
		return;
	for (size_t i = 0; i < ts->n; i++)
		tmpl_free(ts->items[i]);
	free(ts->items);
	free(ts);
}

/* Index of name in the set, or where it would be inserted (*found says which). */
static size_t set_find(const tmpl_set *ts, const char *name, int *found)
{
	size_t lo = 0, hi = ts->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ts->items[mid]->name, name);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

static const tmpl *set_get(const tmpl_set *ts, const char *name)
{
	int found;
	size_t i = set_find(ts, name, &found);
	return found ? ts->items[i] : NULL;
}

int tmpl_set_add(tmpl_set *ts, const char *name, const char *src, size_t len, const char *file,
	diag_list *d)
{
	parser p = { src ? src : "", src ? len : 0, file ? file : name, d, NULL, 0, 0 };
	if (tokenize(&p) || match(&p)) {
		free(p.toks);
		return -1;
	}
	find_standalone(&p);
	tmpl *t = xcalloc(1, sizeof(*t));
	t->root.kind = N_ROOT;
	build(&p, &t->root);
	free(p.toks);
	t->name = xstrdup(name);
	t->file = xstrdup(file ? file : name);

	int found;
	size_t i = set_find(ts, name, &found);
	if (found) {
		tmpl_free(ts->items[i]);
		ts->items[i] = t;
		return 0;
	}
	ts->items = xgrow(ts->items, sizeof(tmpl *), ts->n + 1, &ts->cap);
	memmove(ts->items + i + 1, ts->items + i, (ts->n - i) * sizeof(tmpl *));
	ts->items[i] = t;
	ts->n++;
	return 0;
}

/* ---- templates from content: checked before they are kept ---- */

/*
 * What a template from the content may write is checked on its text in
 * document order (sections are transparent: their text is in the same
 * stream), with a small tag scanner: where a value stands decides what it
 * could do. A value between '<' and '>' outside quotes could be a tag or an
 * attribute name ("<{{x}}>" with x = "script"); a value in an on*, style or
 * srcdoc attribute is script or markup; an unescaped value is HTML as the
 * author of the value wrote it. The text itself may not hold script elements,
 * frames, event-handler attributes or script URLs.
 */
typedef struct rcheck {
	const char *file;
	diag_list *d;
	int bad;
	int in_tag, in_name;
	char quote;
	char attr[24];
	size_t attr_len;
	buf text;           /* every text, lower case, for the searches */
} rcheck;

static void rc_error(rcheck *rc, int line, const char *what)
{
	diag_error(rc->d, rc->file, line, "a template from the content %s (content templates may "
		"not write script, event handlers or unescaped values; the theme's may)", what);
	rc->bad = 1;
}

static void rc_attr_done(rcheck *rc, int line)
{
	if (rc->in_name && rc->attr_len >= 2 && rc->attr[0] == 'o' && rc->attr[1] == 'n')
		rc_error(rc, line, "has an event-handler attribute");
	rc->in_name = 0;
}

static const char *const rc_words[] = { "<script", "<iframe", "<frame", "<object", "<embed",
	"<base", "http-equiv", "javascript:", "vbscript:", "data:text/html", "srcdoc" };

static void rc_words_in(rcheck *rc, const char *text, int line)
{
	for (size_t i = 0; i < sizeof rc_words / sizeof *rc_words; i++) {
		const char *at = strstr(text, rc_words[i]);
		if (!at)
			continue;
		int l = line;
		for (const char *p = text; p < at; p++)
			l += *p == '\n';
		char what[64];
		snprintf(what, sizeof what, "holds '%s'", rc_words[i]);
		rc_error(rc, l, what);
	}
}

static void rc_text(rcheck *rc, const node *n)
{
	size_t from = rc->text.len;
	for (size_t i = 0; i < n->len; i++) {
		char c = n->str[i];
		char lc = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
		buf_putc(&rc->text, lc);
		if (rc->quote) {
			if (c == rc->quote)
				rc->quote = 0;
		} else if (!rc->in_tag) {
			if (c == '<') {
				rc->in_tag = 1;
				rc->in_name = 0;
				rc->attr_len = 0;
			}
		} else if (c == '>') {
			rc_attr_done(rc, n->line);
			rc->in_tag = 0;
		} else if (c == '"' || c == '\'') {
			rc->quote = c;
		} else if (c == '=' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/') {
			rc_attr_done(rc, n->line);
			if (c != '=')
				rc->attr_len = 0;
		} else {
			if (!rc->in_name)
				rc->attr_len = 0;
			rc->in_name = 1;
			if (rc->attr_len < sizeof rc->attr)
				rc->attr[rc->attr_len++] = lc;
		}
	}
	rc_words_in(rc, rc->text.ptr + from, n->line);
}

/* The generator's own HTML, which a content template may write unescaped. */
static int raw_allowed(const char *name)
{
	static const char *const names[] = { "content", "record.html", "html", "diff", "join_html" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

static void rc_value(rcheck *rc, const node *n)
{
	int attr_is = rc->attr_len > 0;
	if (n->kind == N_RAW && !raw_allowed(n->str)) {
		rc_error(rc, n->line, "writes a value unescaped");
		return;
	}
	if (rc->in_tag && !rc->quote) {
		rc_error(rc, n->line, "puts a value inside a tag, outside an attribute's quotes");
		return;
	}
	if (rc->in_tag && attr_is && ((rc->attr[0] == 'o' && rc->attr[1] == 'n') ||
			(rc->attr_len == 5 && !memcmp(rc->attr, "style", 5)) ||
			(rc->attr_len == 6 && !memcmp(rc->attr, "srcdoc", 6))))
		rc_error(rc, n->line, "puts a value in an attribute that runs script or styles");
}

static void rc_walk(rcheck *rc, const node *kids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const node *k = &kids[i];
		if (k->kind == N_TEXT)
			rc_text(rc, k);
		else if (k->kind == N_VAR || k->kind == N_RAW)
			rc_value(rc, k);
		else
			rc_walk(rc, k->kids, k->nkids);
	}
}

static int check_untrusted(const tmpl *t, diag_list *d)
{
	rcheck rc = { t->file, d, 0, 0, 0, 0, "", 0, BUF_INIT };
	rc_walk(&rc, t->root.kids, t->root.nkids);
	/* text split by tags or comments ("<scr{{! }}ipt>") is joined when rendered */
	if (!rc.bad)
		rc_words_in(&rc, rc.text.ptr, 1);
	buf_release(&rc.text);
	return rc.bad ? -1 : 0;
}

int tmpl_set_add_untrusted(tmpl_set *ts, const char *name, const char *src, size_t len,
	const char *file, diag_list *d)
{
	tmpl_set *probe = tmpl_set_new();
	int rc = tmpl_set_add(probe, name, src, len, file, d);
	if (rc == 0)
		rc = check_untrusted(probe->items[0], d);
	tmpl_set_free(probe);
	return rc == 0 ? tmpl_set_add(ts, name, src, len, file, d) : -1;
}

int tmpl_set_has(const tmpl_set *ts, const char *name)
{
	return set_get(ts, name) != NULL;
}

/* ---- rendering ---- */

typedef struct cframe {             /* the context stack */
	const value *v;
	const struct cframe *up;
} cframe;

typedef struct iframe {             /* indentation, outermost last */
	const char *s;
	size_t len;
	const struct iframe *up;
} iframe;

typedef struct bframe {             /* parents being rendered, innermost first */
	const node *parent;
	const char *file;
	const struct bframe *up;
} bframe;

typedef struct rstate {
	const tmpl_set *ts;
	buf *out;
	diag_list *d;
	const char *name;
	size_t start;
	unsigned long steps;
	int pdepth, depth;
} rstate;

static const value *lookup(const node *n, const cframe *cf)
{
	if (!n->parts)
		return cf->v;
	const char *part = n->parts;
	const value *v = NULL;
	for (; cf && !v; cf = cf->up)
		v = value_map_get_h(cf->v, part, n->hashes[0]);
	for (size_t i = 1; v && i < n->nparts; i++) {
		part += strlen(part) + 1;
		v = value_map_get_h(v, part, n->hashes[i]);
	}
	return v;
}

static void put_indent(buf *out, const iframe *f)
{
	if (!f)
		return;
	put_indent(out, f->up);
	buf_put(out, f->s, f->len);
}

static void put_text(buf *out, const node *n, const iframe *ind)
{
	if (!ind || !n->nind) {
		buf_put(out, n->str, n->len);
		return;
	}
	size_t pos = 0;
	for (size_t i = 0; i < n->nind; i++) {
		buf_put(out, n->str + pos, n->ind[i] - pos);
		put_indent(out, ind);
		pos = n->ind[i];
	}
	buf_put(out, n->str + pos, n->len - pos);
}

static const tmpl *resolve(const rstate *rs, const node *n, const cframe *cf)
{
	if (!n->dynamic)
		return set_get(rs->ts, n->str);
	const value *v = lookup(n, cf);
	if (!v)
		return NULL;
	if (v->kind == VAL_STRING)
		return strlen(v->u.str.ptr) == v->u.str.len ? set_get(rs->ts, v->u.str.ptr) : NULL;
	buf name = BUF_INIT;
	value_put_text(&name, v);
	const tmpl *t = name.len ? set_get(rs->ts, name.ptr) : NULL;
	buf_release(&name);
	return t;
}

static int render(rstate *rs, const char *file, const node *kids, size_t nkids, const cframe *cf,
	const iframe *ind, const bframe *bf);

/* Renders kids one level deeper, within the depth cap. */
static int descend(rstate *rs, const char *file, const node *at, const node *body,
	const cframe *cf, const iframe *ind, const bframe *bf)
{
	if (rs->depth >= MAX_RENDER_DEPTH) {
		diag_error(rs->d, file, at->line, "'%s' nested more than %d levels deep while "
			"rendering '%s' (expected a recursion that ends)", at->str,
			MAX_RENDER_DEPTH, rs->name);
		return -1;
	}
	rs->depth++;
	int r = render(rs, file, body->kids, body->nkids, cf, ind, bf);
	rs->depth--;
	return r;
}

static int render_section(rstate *rs, const char *file, const node *n, const cframe *cf,
	const iframe *ind, const bframe *bf)
{
	const value *v = lookup(n, cf);
	int truthy = value_truthy(v);
	if (n->kind == N_INVERTED)
		return truthy ? 0 : descend(rs, file, n, n, cf, ind, bf);
	if (!truthy)
		return 0;
	if (v->kind == VAL_LIST) {
		for (size_t i = 0; i < v->u.list.n; i++) {
			cframe c = { v->u.list.items[i], cf };
			if (descend(rs, file, n, n, &c, ind, bf))
				return -1;
		}
		return 0;
	}
	cframe c = { v, cf };
	return descend(rs, file, n, n, &c, ind, bf);
}

/* Partials and parents: another template, rendered in the current context. */
static int render_include(rstate *rs, const char *file, const node *n, const cframe *cf,
	const iframe *ind, const bframe *bf)
{
	const tmpl *t = resolve(rs, n, cf);
	if (!t)
		return 0;   /* the spec: a missing partial renders as nothing */
	if (rs->pdepth >= MAX_PARTIAL_DEPTH) {
		diag_error(rs->d, file, n->line, "%s '%s' nested more than %d levels deep while "
			"rendering '%s' (expected a recursion that ends)",
			n->kind == N_PARENT ? "parent" : "partial", t->name, MAX_PARTIAL_DEPTH,
			rs->name);
		return -1;
	}
	/*
	 * Standalone, the template's lines get the indentation of the tag's line
	 * (added to any around it); inline, the spec indents nothing.
	 */
	iframe f = { n->indent, n->indent_len, ind };
	const iframe *ni = !n->standalone ? NULL : n->indent_len ? &f : ind;
	bframe b = { n, file, bf };
	rs->pdepth++;
	int r = descend(rs, t->file, n, &t->root, cf, ni, n->kind == N_PARENT ? &b : bf);
	rs->pdepth--;
	return r;
}

/* A block renders the outermost override of its name, or its own content. */
static int render_block(rstate *rs, const char *file, const node *n, const cframe *cf,
	const iframe *ind, const bframe *bf)
{
	const node *body = n;
	const char *body_file = file;
	for (const bframe *b = bf; b; b = b->up) {
		for (size_t i = 0; i < b->parent->nkids; i++) {
			const node *k = &b->parent->kids[i];
			if (k->len == n->len && memcmp(k->str, n->str, n->len) == 0) {
				body = k;
				body_file = b->file;
				break;
			}
		}
	}
	/*
	 * A standalone block indents its content like a standalone partial; an
	 * inline one leaves an override from another template as it is, while
	 * its own default is part of the template around it.
	 */
	iframe f = { n->indent, n->indent_len, ind };
	const iframe *ni = n->standalone ? (n->indent_len ? &f : ind) : body == n ? ind : NULL;
	return descend(rs, body_file, n, body, cf, ni, bf);
}

/*
 * 1 when what was rendered so far ends where a URL attribute's value starts
 * (` href="`, ` src='`, ` action=` …): a value written there decides the
 * scheme, so it passes the one URL check whichever template writes it. Asked
 * of the output, not the template, so sections, partials and empty values
 * before it cannot hide the position.
 */
static int at_url_start(const buf *out, size_t start)
{
	static const char *const attrs[] = {
		"href", "src", "action", "formaction", "poster", "cite", "data", "xlink:href",
		"srcset", "background", "ping", "manifest",
	};
	size_t n = out->len - start;
	const char *e = out->ptr + out->len;
	if (n < 6)
		return 0;
	size_t q = (e[-1] == '"' || e[-1] == '\'') ? 1 : 0;
	if (e[-1 - q] != '=')
		return 0;
	for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) {
		size_t al = strlen(attrs[i]);
		if (n < al + q + 2)
			continue;
		const char *a = e - 1 - q - al;
		if (strncasecmp(a, attrs[i], al) == 0 && (a[-1] == ' ' || a[-1] == '\t' ||
				a[-1] == '\n' || a[-1] == '\r'))
			return 1;
	}
	return 0;
}

static int check_url(rstate *rs, const char *file, const node *n, const value *v)
{
	const char *why = NULL;
	if (url_check(v->u.str.ptr, v->u.str.len, URL_WEB | URL_MAILTO | URL_RELATIVE | URL_TEL,
			&why) == 0)
		return 0;
	buf shown = BUF_INIT;
	for (size_t i = 0; i < v->u.str.len && i < 60; i++)
		buf_putc(&shown, (unsigned char)v->u.str.ptr[i] < 0x20 ? '?' : v->u.str.ptr[i]);
	diag_error(rs->d, file, n->line, "'%s' gives '%s' where '%s' writes a link (expected %s)",
		n->str, shown.ptr, rs->name, why);
	buf_release(&shown);
	return -1;
}

static int render(rstate *rs, const char *file, const node *kids, size_t nkids, const cframe *cf,
	const iframe *ind, const bframe *bf)
{
	for (size_t i = 0; i < nkids; i++) {
		const node *n = &kids[i];
		int r = 0;
		if (++rs->steps > MAX_STEPS) {
			diag_error(rs->d, file, n->line, "rendering '%s' takes more than %lu "
				"steps (expected a template that does less work; is a partial "
				"recursive?)",
				rs->name, MAX_STEPS);
			return -1;
		}
		switch (n->kind) {
		case N_TEXT:
			put_text(rs->out, n, ind);
			break;
		case N_VAR:
		case N_RAW: {
			const value *v = lookup(n, cf);
			if (v && v->kind == VAL_STRING && at_url_start(rs->out, rs->start) &&
					check_url(rs, file, n, v) < 0)
				return -1;
			if (v && v->kind == VAL_STRING && n->kind == N_VAR)
				buf_put_html(rs->out, v->u.str.ptr, v->u.str.len);
			else
				value_put_text(rs->out, v);
			break;
		}
		case N_SECTION:
		case N_INVERTED:
			r = render_section(rs, file, n, cf, ind, bf);
			break;
		case N_PARTIAL:
		case N_PARENT:
			r = render_include(rs, file, n, cf, ind, bf);
			break;
		case N_BLOCK:
			r = render_block(rs, file, n, cf, ind, bf);
			break;
		case N_ROOT:
			break;
		}
		if (r)
			return -1;
		if (rs->out->len - rs->start > MAX_OUTPUT) {
			diag_error(rs->d, file, n->line, "rendering '%s' writes more than %zu MiB "
				"(expected a smaller page; is a partial recursive?)", rs->name,
				MAX_OUTPUT >> 20);
			return -1;
		}
	}
	return 0;
}

int tmpl_render(const tmpl_set *ts, const char *name, const value *ctx, buf *out, diag_list *d)
{
	const tmpl *t = set_get(ts, name);
	if (!t) {
		diag_error(d, NULL, 0, "no template named '%s' (expected one of the theme's "
			"templates)", name);
		return -1;
	}
	rstate rs = { ts, out, d, name, out->len, 0, 0, 0 };
	cframe root = { ctx, NULL };
	if (render(&rs, t->file, t->root.kids, t->root.nkids, &root, NULL, NULL)) {
		buf_truncate(out, rs.start);
		return -1;
	}
	return 0;
}
