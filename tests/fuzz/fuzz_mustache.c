/*
 * Fuzz target for the Mustache engine: the input is compiled as a template
 * (also reachable as the partial "self", so recursion is fuzzed too) and
 * rendered with a small fixed context. Errors are fine; crashes, sanitizer
 * reports, leaks and hangs are not.
 */
#include <stdint.h>
#include <stdlib.h>

#include "buf.h"
#include "diag.h"
#include "mustache.h"
#include "value.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static value *fixed_context(void)
{
	value *ctx = value_map(0);
	value_map_set_str(ctx, "x", "<a href=\"x\">&'</a>");
	value_map_set_str(ctx, "empty", "");
	value_map_set_str(ctx, "name", "part");
	value_map_set_str(ctx, "me", "self");
	value_map_set_num(ctx, "n", 1.21);
	value_map_set_bool(ctx, "t", 1);
	value_map_set_bool(ctx, "f", 0);
	value_map_set(ctx, "z", value_null(0));
	value *item = value_map(0);
	value_map_set_str(item, "x", "inner");
	value_map_set_num(item, "n", -3);
	value *list = value_list(0);
	value_list_push(list, value_string("a", 0));
	value_list_push(list, value_number(2, 0));
	value_list_push(list, value_ref(item));
	value_map_set(ctx, "list", list);
	value_map_set(ctx, "one", value_ref(item));
	value_map_set(ctx, "none", value_list(0));
	value_map_set(item, "deep", value_map(0));
	value_free(item);
	return ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char part[] = "<{{x}}|{{#list}}{{.}}{{/list}}|{{$b}}default{{/b}}>\n";
	tmpl_set *ts = tmpl_set_new();
	diag_list d = DIAG_LIST_INIT;
	buf out = BUF_INIT;
	value *ctx = fixed_context();

	tmpl_set_add(ts, "part", part, sizeof(part) - 1, "part.mustache", &d);
	if (tmpl_set_add(ts, "main", (const char *)data, size, "fuzz.mustache", &d) == 0) {
		tmpl_set_add(ts, "self", (const char *)data, size, "fuzz.mustache", &d);
		tmpl_render(ts, "main", ctx, &out, &d);
	}
	buf_release(&out);
	diag_release(&d);
	value_free(ctx);
	tmpl_set_free(ts);
	return 0;
}
