/* Unit tests of value trees' binary form (value_serialize, value_deserialize). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "test.h"
#include "util.h"
#include "value.h"

/* v written and read back; NULL when it does not read back. */
static value *round_trip(const value *v)
{
	buf b = BUF_INIT;
	value_serialize(&b, v);
	value *back = NULL;
	if (value_deserialize(b.ptr, b.len, &back) != 0)
		back = NULL;
	buf_release(&b);
	return back;
}

/* The same, and whether it came back equal. */
static int same_after_trip(const value *v)
{
	value *back = round_trip(v);
	int ok = back && value_equal(v, back);
	value_free(back);
	return ok;
}

static value *sample_tree(void)
{
	value *m = value_map(3);
	value_map_set(m, "null", value_null(4));
	value_map_set_bool(m, "yes", 1);
	value_map_set_bool(m, "no", 0);
	value_map_set_num(m, "n", 1.21);
	value_map_set_num(m, "neg", -3);
	value_map_set_str(m, "s", "Pohjois-Karjala, äö €");
	value_map_set_str(m, "empty", "");
	value_map_set(m, "list", value_list(0));
	value_map_set(m, "map", value_map(0));
	value *rows = value_list(0);
	for (int i = 0; i < 40; i++) {
		value *row = value_map(0);
		char key[16];
		snprintf(key, sizeof key, "k%d", i);
		value_map_set_num(row, key, i);
		value *cells = value_list(0);
		value_list_push(cells, value_string("ok", 0));
		value_list_push(cells, value_bool(i % 2, 0));
		value_list_push(cells, value_null(0));
		value_map_set(row, "cells", cells);
		value_list_push(rows, row);
	}
	value_map_set(m, "rows", rows);
	/* a large map: its index is rebuilt on the way back */
	value *big = value_map(0);
	for (int i = 0; i < 100; i++) {
		char key[16];
		snprintf(key, sizeof key, "key-%03d", i);
		value_map_set_num(big, key, i * 0.5);
	}
	value_map_set(m, "big", big);
	return m;
}

static void value_serial_every_kind_round_trips(void)
{
	value *scalars[] = { value_null(1), value_bool(1, 1), value_bool(0, 1),
		value_number(0, 1), value_number(-2.5, 1), value_string("teksti", 1),
		value_string("", 1), value_list(1), value_map(1) };
	for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++) {
		CHECK(same_after_trip(scalars[i]));
		value_free(scalars[i]);
	}
	value *m = sample_tree();
	value *back = round_trip(m);
	CHECK(back && value_equal(m, back));
	/* the map's order is kept, not only its contents; lines are not */
	buf j1 = BUF_INIT, j2 = BUF_INIT;
	value_put_json(&j1, m);
	value_put_json(&j2, back);
	CHECK_STR(j2.ptr, j1.ptr);
	CHECK(back && back->line == 0 && value_map_get(back, "null")->line == 0);
	CHECK(back && value_map_get(value_map_get(back, "big"), "key-099") != NULL);
	CHECK(back && value_map_get(back, "list")->kind == VAL_LIST);
	CHECK(back && value_map_get(back, "map")->kind == VAL_MAP);
	buf_release(&j1);
	buf_release(&j2);
	value_free(back);
	value_free(m);
	/* NULL is written as null */
	buf b = BUF_INIT;
	value_serialize(&b, NULL);
	value *v = NULL;
	CHECK(value_deserialize(b.ptr, b.len, &v) == 0 && v && v->kind == VAL_NULL);
	value_free(v);
	buf_release(&b);
}

/* value_serialize_lines: the same tree with every value's line, checked node by node. */
static int same_lines(const value *a, const value *b)
{
	if (!a || !b || a->kind != b->kind || a->line != b->line)
		return 0;
	if (a->kind == VAL_LIST) {
		for (size_t i = 0; i < a->u.list.n; i++)
			if (!same_lines(a->u.list.items[i], b->u.list.items[i]))
				return 0;
	} else if (a->kind == VAL_MAP) {
		for (size_t i = 0; i < a->u.map.n; i++)
			if (strcmp(a->u.map.keys[i], b->u.map.keys[i]) != 0 ||
			    !same_lines(a->u.map.vals[i], b->u.map.vals[i]))
				return 0;
	}
	return 1;
}

static void value_serial_lines_round_trip(void)
{
	value *m = sample_tree();
	/* lines larger than what is left of the input, and the largest an int holds */
	value_map_set(m, "far", value_string("x", 100000));
	value_map_set(m, "last", value_bool(1, INT32_MAX));
	value_list_push(value_map_get(m, "list"), value_number(7, 12345));
	buf b = BUF_INIT;
	value_serialize_lines(&b, m);
	value *back = NULL;
	CHECK(value_deserialize_lines(b.ptr, b.len, &back) == 0);
	CHECK(back && value_equal(m, back) && same_lines(m, back));
	value_free(back);
	/* this tree in one form does not read back as the other form */
	CHECK(value_deserialize(b.ptr, b.len, &back) == -1 && !back);
	buf_reset(&b);
	value_serialize(&b, m);
	CHECK(value_deserialize_lines(b.ptr, b.len, &back) == -1 && !back);
	/* a line past INT_MAX, or not in its shortest form, is refused */
	const char big[] = { 'n', (char)0x80, (char)0x80, (char)0x80, (char)0x80, 0x08 };
	CHECK(value_deserialize_lines(big, sizeof big, &back) == -1);
	const char padded[] = { 'n', (char)0x85, 0x00 };
	CHECK(value_deserialize_lines(padded, sizeof padded, &back) == -1);
	const char ok[] = { 'n', (char)0x85, 0x01 };
	CHECK(value_deserialize_lines(ok, sizeof ok, &back) == 0 && back->line == 133);
	value_free(back);
	/* every cut of the input is refused, never read past */
	buf_reset(&b);
	value_serialize_lines(&b, m);
	for (size_t cut = 0; cut < b.len; cut += 7) {
		char *part = xmalloc(cut + 1);
		memcpy(part, b.ptr, cut);
		CHECK(value_deserialize_lines(part, cut, &back) == -1);
		free(part);
	}
	buf_release(&b);
	value_free(m);
}

static void value_serial_strings_keep_nul(void)
{
	static const char bytes[] = "a\0b\0\0c";
	value *s = value_stringn(bytes, sizeof bytes - 1, 0);
	value *back = round_trip(s);
	CHECK(back && back->kind == VAL_STRING && back->u.str.len == sizeof bytes - 1 &&
		memcmp(back->u.str.ptr, bytes, sizeof bytes - 1) == 0 &&
		back->u.str.ptr[back->u.str.len] == '\0');
	value_free(back);
	value_free(s);
	/* a long string: a length of more than one byte */
	buf big = BUF_INIT;
	for (int i = 0; i < 5000; i++)
		buf_putc(&big, (char)('a' + i % 26));
	s = value_stringn(big.ptr, big.len, 0);
	CHECK(same_after_trip(s));
	value_free(s);
	buf_release(&big);
}

static int same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

static void value_serial_numbers_are_exact(void)
{
	const double ds[] = { -0.0, 0.0, 1e300, -1e300, 0.1, 1.0 / 3.0, 5e-324, 9007199254740993.0,
		-123456789.125 };
	for (size_t i = 0; i < sizeof ds / sizeof ds[0]; i++) {
		value *v = value_number(ds[i], 0);
		value *back = round_trip(v);
		CHECK(back && back->kind == VAL_NUMBER && same_bits(back->u.number, ds[i]));
		value_free(back);
		value_free(v);
	}
	value *v = value_number(-0.0, 0);
	value *back = round_trip(v);
	CHECK(back && signbit(back->u.number));
	value_free(back);
	value_free(v);
}

static void value_serial_rejects_truncated_input(void)
{
	value *m = sample_tree();
	buf b = BUF_INIT;
	value_serialize(&b, m);
	/* every proper prefix, copied to its own block so ASan sees a read past its end */
	size_t accepted = 0;
	for (size_t n = 0; n < b.len; n++) {
		char *p = malloc(n ? n : 1);
		memcpy(p, b.ptr, n);
		value *v = (value *)1;
		if (value_deserialize(p, n, &v) == 0)
			accepted++;
		CHECK(v == NULL);
		free(p);
	}
	CHECK(accepted == 0);
	/* and trailing bytes */
	buf_putc(&b, 'n');
	value *v = NULL;
	CHECK(value_deserialize(b.ptr, b.len, &v) == -1 && v == NULL);
	CHECK(value_deserialize(NULL, 0, &v) == -1);
	buf_release(&b);
	value_free(m);
}

static void value_serial_rejects_garbage(void)
{
	static const struct {
		const char *data;
		size_t len;
	} bad[] = {
		{ "", 0 },
		{ "x", 1 },                             /* unknown kind */
		{ "d\1\2\3", 4 },                       /* a short number */
		{ "s\5abc", 5 },                        /* a string longer than the input */
		{ "s\x80", 2 },                         /* a length cut short */
		{ "s\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 11 },  /* a length of 2^70 */
		{ "s\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12 },  /* eleven bytes */
		{ "l\x7f" "n", 3 },                     /* more items than bytes */
		{ "l\2n", 3 },                          /* one item of two */
		{ "m\1\1a", 4 },                        /* a key without its value */
		{ "m\1\2a\0n", 6 },                     /* a key with a NUL */
		{ "m\2\1an\1an", 8 },                   /* a key twice */
		{ "nn", 2 },                            /* two values */
		{ "t\0", 2 },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		value *v = (value *)1;
		int rc = value_deserialize(bad[i].data, bad[i].len, &v);
		if (rc != -1 || v != NULL)
			printf("  accepted garbage #%zu\n", i);
		CHECK(rc == -1 && v == NULL);
	}
	/* the good ones next to them */
	value *v = NULL;
	CHECK(value_deserialize("m\1\1an", 5, &v) == 0 && value_map_get(v, "a") &&
		value_map_get(v, "a")->kind == VAL_NULL);
	value_free(v);
	CHECK(value_deserialize("l\2nt", 4, &v) == 0 && value_len(v) == 2);
	value_free(v);
	/* pseudo-random bytes: never a crash, and whatever is accepted writes back the same */
	uint32_t x = 2463534242u;
	for (int round = 0; round < 20000; round++) {
		unsigned char data[24];
		size_t len = 1 + (size_t)(round % 24);
		for (size_t i = 0; i < len; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			data[i] = (unsigned char)x;
		}
		/* a known kind first, more often than chance would */
		static const char kinds[] = "nftdslm";
		data[0] = (unsigned char)kinds[x % 7];
		char *p = malloc(len);
		memcpy(p, data, len);
		value *w = NULL;
		if (value_deserialize(p, len, &w) == 0) {
			buf b = BUF_INIT;
			value_serialize(&b, w);
			CHECK(b.len == len && memcmp(b.ptr, p, len) == 0);
			buf_release(&b);
			value_free(w);
		} else {
			CHECK(w == NULL);
		}
		free(p);
	}
}

/* depth nested lists (or maps under "k"), with a string inside the last. */
static value *nested(int depth, int maps)
{
	value *v = value_string("pohja", 0);
	for (int i = 0; i < depth; i++) {
		value *c = maps ? value_map(0) : value_list(0);
		if (maps)
			value_map_set(c, "k", v);
		else
			value_list_push(c, v);
		v = c;
	}
	return v;
}

static void value_serial_bounds_depth(void)
{
	for (int maps = 0; maps < 2; maps++) {
		value *ok = nested(VALUE_SERIAL_MAX_DEPTH, maps);
		CHECK(same_after_trip(ok));
		value_free(ok);
		value *deep = nested(VALUE_SERIAL_MAX_DEPTH + 1, maps);
		buf b = BUF_INIT;
		value_serialize(&b, deep);
		value *v = (value *)1;
		CHECK(value_deserialize(b.ptr, b.len, &v) == -1 && v == NULL);
		buf_release(&b);
		value_free(deep);
	}
	/* a long run of list openings in hostile input stops at the limit, not the stack */
	size_t n = 1000000;
	char *p = malloc(2 * n);
	for (size_t i = 0; i < n; i++) {
		p[2 * i] = 'l';
		p[2 * i + 1] = 1;
	}
	value *v = (value *)1;
	CHECK(value_deserialize(p, 2 * n, &v) == -1 && v == NULL);
	free(p);
}

int main(void)
{
	RUN(value_serial_every_kind_round_trips);
	RUN(value_serial_lines_round_trip);
	RUN(value_serial_strings_keep_nul);
	RUN(value_serial_numbers_are_exact);
	RUN(value_serial_rejects_truncated_input);
	RUN(value_serial_rejects_garbage);
	RUN(value_serial_bounds_depth);
	return test_summary();
}
