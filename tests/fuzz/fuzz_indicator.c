/*
 * libFuzzer target: the default theme's indicator hook with arbitrary block
 * text. Any input must give either HTML or a diagnostic against the record,
 * never a crash, a leak or a hang: the sandbox's instruction budget and
 * memory cap bound the work, and what the hook returns goes through the
 * sandbox's HTML checks, so it must come out as valid UTF-8 starting with
 * the figure.
 *
 * An optional first line "@key=value key=value" sets the block's
 * attributes (unit, chart, total, change, decimals, title), so that the
 * corpus can reach every path of the hook.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "hooks.h"
#include "util.h"
#include "value.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static hooks *the_hooks;
static value *the_site, *the_record;

/* Opened once per process: the state is reused as the generator reuses it across records. */
static hooks *open_hooks(void)
{
	if (the_hooks)
		return the_hooks;
	const char *top = getenv("AVOIN_TOP");
	char *path = xasprintf("%s/themes/default/hooks/indicator.lua", top && *top ? top : ".");
	char *code = NULL;
	size_t len = 0;
	if (read_file(path, &code, &len) != 0) {
		fprintf(stderr, "fuzz_indicator: cannot read %s\n", path);
		abort();
	}
	free(path);
	hook_source src = { "indicator", "themes/default/hooks/indicator.lua", code, len };
	hooks_limits lim = { 16u << 20, 5000000, 0 };
	diag_list d = DIAG_LIST_INIT;
	if (hooks_open(&the_hooks, &src, 1, NULL, 0, &lim, &d) != 0)
		abort();
	diag_release(&d);
	free(code);

	the_site = value_map(0);
	value *langs = value_list(0);
	value_list_push(langs, value_string("fi", 0));
	value_map_set(the_site, "languages", langs);
	value_map_set_str(the_site, "build_date", "2025-11-20");
	the_record = value_map(0);
	value_map_set_str(the_record, "path", "pohjois-karjala/poytakirjat/fuzz.md");
	value_map_set_str(the_record, "region", "pohjois-karjala");
	value_map_set_str(the_record, "lang", "fi");
	return the_hooks;
}

static const char *no_files(void *opaque, const char *written, size_t *len, const char **path,
	buf *why)
{
	(void)opaque;
	(void)len;
	(void)path;
	buf_printf(why, "'%s' does not exist at this revision", written);
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hooks *h = open_hooks();
	char *text = xmalloc(size + 1);
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	value *attrs = value_map(0);
	char *body = text;
	if (text[0] == '@') {
		char *nl = strchr(text, '\n');
		body = nl ? nl + 1 : text + strlen(text);
		if (nl)
			*nl = '\0';
		for (char *p = text + 1; *p;) {
			char *end = strchr(p, ' ');
			if (end)
				*end = '\0';
			char *eq = strchr(p, '=');
			if (eq) {
				*eq = '\0';
				value_map_set_str(attrs, p, eq + 1);
			}
			if (!end)
				break;
			p = end + 1;
		}
	}
	hook_ctx cx = { "content/pohjois-karjala/poytakirjat/fuzz.md", the_record, the_site,
		no_files, NULL };
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	int r = hooks_block(h, "indicator", body, attrs, 3, &cx, &out, &d);
	if (r == 0) {
		if (d.errors || !str_has_prefix(out.ptr, "<figure class=\"indicator\">"))
			abort();
	} else if (r != -1 || d.errors != 1 || !diag_contains(&d, "fuzz.md:3: hook 'indicator'")) {
		abort();
	}
	buf_release(&out);
	diag_release(&d);
	value_free(attrs);
	free(text);
	return 0;
}
