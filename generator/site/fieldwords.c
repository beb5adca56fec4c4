/*
 * Front-matter changes in words (fieldwords.h): labels from the theme's
 * strings, values as pages show them, lists as items added and removed.
 */
#include "fieldwords.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "page.h"
#include "util.h"
#include "banned.h"

typedef struct fw {
	const site *s;
	const value *t;
	const char *lang;
	value *rows;
} fw;

/* Keys whose label is another string of the theme's: the record page's own words. */
static const char *const label_alias[][2] = {
	{ "approved.by", "approved_by" }, { "languages", "languages_label" },
	{ "source", "source_documents" }, { "name_sv", "name_sv_label" },
};

/* Keys whose values are words of the theme's, "<prefix><value>". */
static const char *const value_prefix[][2] = {
	{ "status", "status_" }, { "outcomes.status", "outcome_" }, { "kind", "kind_" },
	{ "sector", "sector_" }, { "members.sector", "sector_" }, { "type", "type_" },
};

/* The last part of a dotted path: "approved.date" -> "date". */
static const char *last_part(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot ? dot + 1 : path;
}

static const char *label_of(const fw *w, const char *path)
{
	for (size_t i = 0; i < sizeof label_alias / sizeof *label_alias; i++)
		if (strcmp(label_alias[i][0], path) == 0 && value_map_str(w->t, label_alias[i][1]))
			return value_map_str(w->t, label_alias[i][1]);
	return pages_tr(w->t, last_part(path));
}

/* A slug as the site names it: a municipality, a region, a theme, an area. */
static const char *named(const fw *w, const char *key, const char *v)
{
	if (!strcmp(key, "municipalities") || !strcmp(key, "parties") ||
	    !strcmp(key, "municipality")) {
		const record *m = site_find_municipality(w->s, v);
		if (m)
			return record_display_name(m);
		const region *g = site_find_region(w->s, v);
		if (g)
			return region_display_name(g);
	} else if (!strcmp(key, "themes")) {
		const theme_def *th = site_find_theme(w->s, v);
		if (th)
			return theme_name(th, w->lang);
	} else if (!strcmp(key, "area")) {
		for (size_t i = 0; i < w->s->n_regions; i++)
			for (size_t j = 0; j < w->s->regions[i].n_areas; j++)
				if (!strcmp(w->s->regions[i].areas[j].slug, v))
					return w->s->regions[i].areas[j].name;
	}
	return NULL;
}

/* A scalar as pages show it, at path (its key, dotted for map members). */
static void put_scalar(const fw *w, buf *out, const char *path, const value *v)
{
	if (v->kind == VAL_BOOL) {
		buf_puts(out, pages_tr(w->t, v->u.boolean ? "value_yes" : "value_no"));
		return;
	}
	if (v->kind != VAL_STRING) {
		value_put_text(out, v);
		return;
	}
	const char *str = v->u.str.ptr;
	for (size_t i = 0; i < sizeof value_prefix / sizeof *value_prefix; i++) {
		if (strcmp(value_prefix[i][0], path) != 0)
			continue;
		buf key = BUF_INIT;
		buf_printf(&key, "%s%s", value_prefix[i][1], str);
		const char *word = value_map_str(w->t, key.ptr);
		buf_release(&key);
		if (word) {
			buf_puts(out, word);
			return;
		}
	}
	const char *name = named(w, last_part(path), str);
	if (name)
		buf_puts(out, name);
	else
		pages_date_fi(out, str); /* an ISO date in its Finnish form, other text as it is */
}

/* Any value as one line: a map's values after their labels, a list's items after commas. */
static void put_value(const fw *w, buf *out, const char *path, const value *v, int depth)
{
	if (v->kind == VAL_LIST && depth < 8) {
		for (size_t i = 0; i < v->u.list.n; i++) {
			buf_puts(out, i ? ", " : "");
			put_value(w, out, path, v->u.list.items[i], depth + 1);
		}
	} else if (v->kind == VAL_MAP && depth < 8) {
		buf sub = BUF_INIT;
		for (size_t i = 0; i < v->u.map.n; i++) {
			buf_reset(&sub);
			buf_printf(&sub, "%s.%s", path, v->u.map.keys[i]);
			buf_puts(out, i ? "; " : "");
			if (i) {
				buf_puts(out, label_of(w, sub.ptr));
				buf_puts(out, ": ");
			}
			put_value(w, out, sub.ptr, v->u.map.vals[i], depth + 1);
		}
		buf_release(&sub);
	} else if (v->kind == VAL_LIST || v->kind == VAL_MAP) {
		value_put_json(out, v);
	} else {
		put_scalar(w, out, path, v);
	}
}

static value *text_of(const fw *w, const char *path, const value *v)
{
	buf b = BUF_INIT;
	put_value(w, &b, path, v, 0);
	size_t len;
	char *s = buf_detach(&b, &len);
	return value_string_own(s, len, 0);
}

static void value_row(fw *w, const char *label, const char *path, const value *o, const value *n)
{
	value *r = value_map(0);
	value_map_set_str(r, "label", label);
	if (o && o->kind != VAL_NULL) {
		value_map_set(r, "old", text_of(w, path, o));
		value_map_set_bool(r, "has_old", 1);
	}
	if (n && n->kind != VAL_NULL) {
		value_map_set(r, "new", text_of(w, path, n));
		value_map_set_bool(r, "has_new", 1);
	}
	value_list_push(w->rows, r);
}

static int list_has(const value *l, const value *x)
{
	for (size_t i = 0; l && i < l->u.list.n; i++)
		if (value_equal(l->u.list.items[i], x))
			return 1;
	return 0;
}

/* The items of from that are not in other, as text; NULL when there are none. */
static value *items_not_in(const fw *w, const char *path, const value *from, const value *other)
{
	value *out = NULL;
	for (size_t i = 0; from && i < from->u.list.n; i++) {
		if (list_has(other, from->u.list.items[i]))
			continue;
		if (!out)
			out = value_list(0);
		value_list_push(out, text_of(w, path, from->u.list.items[i]));
	}
	return out;
}

static void list_row(fw *w, const char *label, const char *path, const value *o, const value *n)
{
	value *added = items_not_in(w, path, n, o), *removed = items_not_in(w, path, o, n);
	if (!added && !removed)
		return; /* the same items in another order */
	value *r = value_map(0);
	value_map_set_str(r, "label", label);
	value_map_set_bool(r, "is_list", 1);
	value_map_set_bool(r, "has_added", added != NULL);
	value_map_set(r, "added", added ? added : value_list(0));
	value_map_set_bool(r, "has_removed", removed != NULL);
	value_map_set(r, "removed", removed ? removed : value_list(0));
	value_list_push(w->rows, r);
}

static void compare(fw *w, const char *label, const char *path, const value *o, const value *n);

/* What names an item of a list of maps: its action, organisation, title, name or slug. */
static const char *identity(const value *item)
{
	static const char *const keys[] = { "action", "organisation", "title", "name", "slug" };
	for (size_t i = 0; item && item->kind == VAL_MAP && i < sizeof keys / sizeof *keys; i++) {
		const char *s = value_map_str(item, keys[i]);
		if (s && *s)
			return s;
	}
	return NULL;
}

static const value *find_item(const value *list, const char *id)
{
	for (size_t i = 0; list && i < list->u.list.n; i++) {
		const char *x = identity(list->u.list.items[i]);
		if (x && !strcmp(x, id))
			return list->u.list.items[i];
	}
	return NULL;
}

static int is_list_of_maps(const value *v)
{
	if (!v || v->kind != VAL_LIST || !v->u.list.n)
		return 0;
	for (size_t i = 0; i < v->u.list.n; i++)
		if (v->u.list.items[i]->kind != VAL_MAP)
			return 0;
	return 1;
}

/*
 * Items that keep what names them and change otherwise: a row per changed
 * member, "Toimenpiteet: X – Tila"; the other items as added and removed.
 */
static void compare_items(fw *w, const char *label, const char *path, const value *o,
	const value *n)
{
	value *rest_o = value_list(0), *rest_n = value_list(0);
	buf sub = BUF_INIT;
	for (size_t i = 0; i < n->u.list.n; i++) {
		const value *ni = n->u.list.items[i];
		const char *id = identity(ni);
		const value *oi = id ? find_item(o, id) : NULL;
		if (!oi || list_has(o, ni)) {
			if (!oi)
				value_list_push(rest_n, value_clone(ni));
			continue;
		}
		buf_reset(&sub);
		buf_printf(&sub, "%s: %s", label, id);
		for (size_t k = 0; k < ni->u.map.n; k++) {
			const char *key = ni->u.map.keys[k];
			char *p = xasprintf("%s.%s", path, key), *l = xasprintf("%s – %s", sub.ptr,
				label_of(w, p));
			compare(w, l, p, value_map_get(oi, key), ni->u.map.vals[k]);
			free(p);
			free(l);
		}
	}
	for (size_t i = 0; i < o->u.list.n; i++) {
		const char *id = identity(o->u.list.items[i]);
		if (!list_has(n, o->u.list.items[i]) && !(id && find_item(n, id)))
			value_list_push(rest_o, value_clone(o->u.list.items[i]));
	}
	list_row(w, label, path, rest_o, rest_n);
	value_free(rest_o);
	value_free(rest_n);
	buf_release(&sub);
}

static void compare(fw *w, const char *label, const char *path, const value *o, const value *n)
{
	if (o && o->kind == VAL_NULL)
		o = NULL;
	if (n && n->kind == VAL_NULL)
		n = NULL;
	if ((!o && !n) || (o && n && value_equal(o, n)))
		return;
	if (o && n && o->kind == VAL_MAP && n->kind == VAL_MAP) {
		for (size_t i = 0; i < n->u.map.n; i++) {
			char *p = xasprintf("%s.%s", path, n->u.map.keys[i]);
			char *l = xasprintf("%s – %s", label, label_of(w, p));
			compare(w, l, p, value_map_get(o, n->u.map.keys[i]), n->u.map.vals[i]);
			free(p);
			free(l);
		}
		for (size_t i = 0; i < o->u.map.n; i++) {
			if (value_map_get(n, o->u.map.keys[i]))
				continue;
			char *p = xasprintf("%s.%s", path, o->u.map.keys[i]);
			char *l = xasprintf("%s – %s", label, label_of(w, p));
			compare(w, l, p, o->u.map.vals[i], NULL);
			free(p);
			free(l);
		}
	} else if (is_list_of_maps(o) && is_list_of_maps(n)) {
		compare_items(w, label, path, o, n);
	} else if ((o && o->kind == VAL_LIST) || (n && n->kind == VAL_LIST)) {
		/* a scalar that became a list (or back) is the list of that one item */
		value *lo = value_list(0), *ln = value_list(0);
		const value *src[2] = { o, n };
		value *dst[2] = { lo, ln };
		for (int k = 0; k < 2; k++) {
			if (src[k] && src[k]->kind == VAL_LIST)
				for (size_t i = 0; i < src[k]->u.list.n; i++)
					value_list_push(dst[k], value_clone(src[k]->u.list.items[i]));
			else if (src[k])
				value_list_push(dst[k], value_clone(src[k]));
		}
		list_row(w, label, path, lo, ln);
		value_free(lo);
		value_free(ln);
	} else {
		value_row(w, label, path, o, n);
	}
}

value *fieldwords_rows(const site *s, const value *t, const char *lang, const value *old_meta,
	const value *new_meta)
{
	fw w = { s, t, lang, value_list(0) };
	const value *o = old_meta && old_meta->kind == VAL_MAP ? old_meta : NULL;
	const value *n = new_meta && new_meta->kind == VAL_MAP ? new_meta : NULL;
	for (size_t i = 0; n && i < n->u.map.n; i++) {
		const char *k = n->u.map.keys[i];
		compare(&w, label_of(&w, k), k, value_map_get(o, k), n->u.map.vals[i]);
	}
	for (size_t i = 0; o && i < o->u.map.n; i++) {
		const char *k = o->u.map.keys[i];
		if (!value_map_get(n, k))
			compare(&w, label_of(&w, k), k, o->u.map.vals[i], NULL);
	}
	return w.rows;
}
