/*
 * libFuzzer target: the sandbox's checks of what hooks return, the HTML
 * sanitiser (a string returned as HTML) and avoin.el (an element tree). The
 * input is handed to two content hooks: "html" returns it as an HTML string;
 * "el" splits it at \x01 into a tag, an attribute name, its value and a text,
 * and returns avoin.el(tag, {[name] = value}, text). Properties:
 *  - accepted output is valid text: no control character, no NUL;
 *  - it is a fixed point: handed back to "html", the sanitiser returns it
 *    unchanged (what was checked is what a browser gets);
 *  - it holds no script element, event handler or script URL;
 *  - a refusal is one diagnostic against the record, never a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "diag.h"
#include "hooks.h"
#include "util.h"
#include "value.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static hooks *the_hooks;

static hooks *open_hooks(void)
{
	if (the_hooks)
		return the_hooks;
	static const char html[] = "return function(block) return block.text end\n";
	static const char el[] = "return function(block)\n"
		"  local t, a, v, x = block.text:match('^([^\\1]*)\\1([^\\1]*)\\1([^\\1]*)\\1(.*)$')\n"
		"  if not t then return avoin.el('p', nil, block.text) end\n"
		"  local attrs = {}\n"
		"  if a ~= '' then attrs[a] = v end\n"
		"  return avoin.el(t, attrs, x)\n"
		"end\n";
	hook_source src[] = {
		{ "html", "content/hooks/html.lua", html, sizeof html - 1 },
		{ "el", "content/hooks/el.lua", el, sizeof el - 1 },
	};
	hooks_limits lim = { 16u << 20, 5000000, 0 };
	diag_list d = DIAG_LIST_INIT;
	if (hooks_open(&the_hooks, NULL, 0, src, 2, &lim, &d) != 0)
		abort();
	diag_release(&d);
	return the_hooks;
}

/* The character a reference at q (up to end) stands for, and where it ends; '?' when unknown. */
static char decode_ref(const char *q, const char *end, const char **after)
{
	const char *semi = memchr(q, ';', (size_t)(end - q));
	*after = semi ? semi : q;
	if (!semi)
		return '&';
	if (q[1] == '#') {
		int hex = q[2] == 'x' || q[2] == 'X';
		long c = strtol(q + 2 + hex, NULL, hex ? 16 : 10);
		return c > 0 && c < 128 ? (char)c : '?';
	}
	static const struct { const char *name; char c; } names[] = {
		{ "&colon;", ':' }, { "&tab;", '\t' }, { "&newline;", '\n' }, { "&amp;", '&' },
		{ "&sol;", '/' }, { "&quest;", '?' }, { "&num;", '#' },
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strncasecmp(q, names[i].name, strlen(names[i].name)))
			return names[i].c;
	return '?';
}

/* 1 when a URL value (v up to end), decoded as a browser would, has a scheme not allowed. */
static int bad_scheme(const char *v, const char *end)
{
	char scheme[16];
	size_t k = 0;
	for (const char *q = v; q < end && k < sizeof scheme - 1; q++) {
		char c = *q;
		if (c == '&')
			c = decode_ref(q, end, &q);
		if ((unsigned char)c <= ' ')
			continue;   /* browsers drop blanks and controls inside a scheme */
		scheme[k++] = c;
		if (c == ':' || c == '/' || c == '?' || c == '#')
			break;
	}
	scheme[k] = '\0';
	if (!strchr(scheme, ':'))
		return 0;
	return strncasecmp(scheme, "http:", 5) && strncasecmp(scheme, "https:", 6) &&
		strncasecmp(scheme, "mailto:", 7);
}

/*
 * 1 when the sanitiser's output (canonical: every attribute value in double
 * quotes, '"' inside escaped) has a script, frame or object element, an
 * attribute whose name starts with "on", or a URL attribute whose value, with
 * blanks and control characters and character references of letters taken
 * out, starts with a scheme other than http, https or mailto.
 */
static int dangerous(const char *p)
{
	while ((p = strchr(p, '<'))) {
		p++;
		if (*p == '/')
			continue;
		const char *name = p;
		while (*p && *p != ' ' && *p != '>' && *p != '/')
			p++;
		size_t nl = (size_t)(p - name);
		if ((nl == 6 && !strncasecmp(name, "script", 6)) ||
		    (nl == 6 && !strncasecmp(name, "iframe", 6)) ||
		    (nl == 6 && !strncasecmp(name, "object", 6)) ||
		    (nl == 5 && !strncasecmp(name, "embed", 5)))
			return 1;
		while (*p == ' ') {
			const char *an = ++p;
			while (*p && *p != '=' && *p != ' ' && *p != '>')
				p++;
			size_t al = (size_t)(p - an);
			if (al >= 2 && !strncasecmp(an, "on", 2))
				return 1;
			if (*p != '=')
				continue;
			if (p[1] != '"')
				return 1;   /* not canonical: unquoted */
			const char *v = p + 2, *end = strchr(v, '"');
			if (!end)
				return 1;
			int url = (al == 4 && !strncasecmp(an, "href", 4)) ||
				(al == 3 && !strncasecmp(an, "src", 3));
			if (url && bad_scheme(v, end))
				return 1;
			p = end + 1;
		}
	}
	return 0;
}

/* One call; on success the output must be clean and a fixed point of the sanitiser. */
static void run(hooks *h, const char *name, const char *text)
{
	value *attrs = value_map(0);
	hook_ctx cx = { "content/x/fuzz.md", NULL, NULL, NULL, NULL };
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	int r = hooks_block(h, name, text, attrs, 3, &cx, &out, &d);
	if (r == 0) {
		if (d.errors || text_control_at(out.ptr, out.len) != (size_t)-1 ||
		    strlen(out.ptr) != out.len || !utf8_valid(out.ptr, out.len))
			abort();
		if (dangerous(out.ptr))
			abort();
		buf again = BUF_INIT;
		diag_list d2 = DIAG_LIST_INIT;
		if (hooks_block(h, "html", out.ptr, attrs, 3, &cx, &again, &d2) != 0 ||
		    again.len != out.len || memcmp(again.ptr, out.ptr, out.len) != 0)
			abort();
		buf_release(&again);
		diag_release(&d2);
	} else if (r != -1 || d.errors != 1 || !diag_contains(&d, "content/x/fuzz.md:3: hook")) {
		abort();
	}
	buf_release(&out);
	diag_release(&d);
	value_free(attrs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hooks *h = open_hooks();
	char *text = xmalloc(size + 1);
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	run(h, "html", text);
	run(h, "el", text);
	free(text);
	return 0;
}
