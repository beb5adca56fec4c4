#ifndef AVOIN_VALUE_H
#define AVOIN_VALUE_H
/*
 * The one generic data tree of the generator: front matter parsed from YAML,
 * site settings, page contexts for templates, data handed to Lua hooks and
 * written as JSON are all values. Maps keep their keys in insertion order so
 * that everything derived from them is deterministic.
 *
 * Values are reference counted (atomically, so a tree may be shared read-only
 * between worker threads). value_ref() takes a reference, value_free() drops
 * one. Containers own a reference to each child. A tree shared by reference
 * must not be modified.
 */
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef enum value_kind {
	VAL_NULL,
	VAL_BOOL,
	VAL_NUMBER,
	VAL_STRING,
	VAL_LIST,
	VAL_MAP,
} value_kind;

typedef struct value value;
struct value_index;

struct value {
	value_kind kind;
	int line;               /* source line (1-based), 0 when made by code */
	atomic_int refs;
	unsigned char packed;   /* private to value.c: a string stored in the value's block */
	union {
		int boolean;
		double number;
		struct {
			char *ptr;      /* NUL-terminated; may contain NUL when len says so */
			size_t len;
		} str;
		struct {
			value **items;
			size_t n, cap;
		} list;
		struct {
			char **keys;
			value **vals;
			size_t n, cap;
			/* a hash index of the keys of a large map, kept by value_map_set()
			 * (NULL for small maps): lookups stay O(1) on maps like the UI strings */
			struct value_index *index;
		} map;
	} u;
};

value *value_null(int line);
value *value_bool(int b, int line);
value *value_number(double d, int line);
value *value_string(const char *s, int line);
value *value_stringn(const char *s, size_t len, int line);
/* Takes ownership of s (malloc'd, NUL-terminated, length len). */
value *value_string_own(char *s, size_t len, int line);
value *value_list(int line);
value *value_map(int line);

value *value_ref(value *v);
void value_free(value *v);
/* A deep copy with refcount 1 everywhere. */
value *value_clone(const value *v);
/*
 * A new list or map holding references to v's items (a scalar: a clone):
 * the top level may be changed, the items are shared and must not be.
 */
value *value_copy_top(const value *v);

/* Appends v to list l; takes ownership of the reference v. */
void value_list_push(value *l, value *v);
/* Sets key in map m to v (replacing an old value); takes ownership of v. */
void value_map_set(value *m, const char *key, value *v);
/* Convenience setters for maps. */
void value_map_set_str(value *m, const char *key, const char *s);
void value_map_set_bool(value *m, const char *key, int b);
void value_map_set_num(value *m, const char *key, double d);

/* NULL when m is not a map or has no such key. */
value *value_map_get(const value *m, const char *key);
/* The same, with hash = str_hash(key) computed once by the caller (templates look a name up
 * in several maps). */
value *value_map_get_h(const value *m, const char *key, uint64_t hash);
/* The string of m[key] when it is a string, else NULL. */
const char *value_map_str(const value *m, const char *key);
/* Follows a dotted path through maps ("approved.date"). */
value *value_get_path(const value *m, const char *dotted);

size_t value_len(const value *v);          /* list or map element count, else 0 */
value *value_at(const value *l, size_t i); /* list element */

/* Falsy: null, false, empty string, empty list. Everything else is truthy. */
int value_truthy(const value *v);
const char *value_kind_name(value_kind k);
/* "a string", "a list", "an empty value" … for messages: "(got a list)", in msg_get_lang()'s language. */
const char *value_kind_article(value_kind k);

/*
 * The text of a scalar as templates print it: strings as they are, numbers
 * in their shortest round-trip form (1.21, 85, -3), booleans as true/false,
 * null as nothing. Lists and maps append nothing.
 */
void value_put_text(buf *out, const value *v);
/* Compact JSON, keys in map order, non-ASCII kept as UTF-8. */
void value_put_json(buf *out, const value *v);
/* Structural equality (line numbers ignored). */
int value_equal(const value *a, const value *b);

/*
 * A compact binary form of a tree, for the cache of hook results: a kind
 * byte (null, false and true are nothing more), then for a number the 8
 * bytes of the double (exact: -0.0 stays -0.0), for a string its length and
 * bytes (NUL allowed), for a list its count and items, for a map its count
 * and each key (length, bytes) and value in the map's order. Lengths are
 * unsigned LEB128. Line numbers are not kept; NULL is written as null.
 */
void value_serialize(buf *out, const value *v);
/* Trees with more lists and maps nested in one another than this are not read back. */
#define VALUE_SERIAL_MAX_DEPTH 256
/*
 * Reads back exactly len bytes of value_serialize() into *out (every line
 * 0). Returns 0, or -1 with *out NULL for anything else: truncated or
 * trailing bytes, an unknown kind, a length not in its shortest form, a map
 * key with a NUL or given twice, lists and maps nested deeper than
 * VALUE_SERIAL_MAX_DEPTH. Never reads past data + len; what it accepts is
 * exactly what value_serialize() writes for the tree it returns.
 */
int value_deserialize(const char *data, size_t len, value **out);
/*
 * The same form with each value's line after its kind byte (unsigned LEB128,
 * 0 for a value made by code), and its reader: for trees whose lines are
 * reported, such as parsed front matter. The reader's rules are those of
 * value_deserialize(); a line is at most INT_MAX.
 */
void value_serialize_lines(buf *out, const value *v);
int value_deserialize_lines(const char *data, size_t len, value **out);

#endif
