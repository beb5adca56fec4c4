/*
 * libFuzzer target: front matter splitting and YAML parsing. Any input must
 * give either a value or diagnostics, never a crash, a leak or unbounded
 * recursion (nesting is capped, aliases are refused).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "frontmatter.h"
#include "util.h"
#include "value.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The model hands NUL-terminated files to the parsers; do the same. */
	char *text = xmalloc(size + 1);
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	diag_list d = DIAG_LIST_INIT;

	value *meta = NULL;
	const char *body = NULL;
	size_t body_len = 0;
	int body_line = 0;
	if (frontmatter_split(text, size, "fuzz.md", &meta, &body, &body_len, &body_line, &d) == 0) {
		/* The body lies inside the input, after the front matter. */
		if (meta->kind != VAL_MAP || body < text || body + body_len != text + size
				|| body_line < 3)
			abort();
		buf j = BUF_INIT;
		value_put_json(&j, meta);
		buf_release(&j);
		value_free(meta);
	} else if (d.errors == 0) {
		abort();
	}

	value *v = yaml_parse(text, size, "fuzz.yaml", 1, &d);
	if (!v && d.errors == 0)
		abort();
	value_free(v);
	diag_release(&d);
	free(text);
	return 0;
}
