/*
 * Partnership groups: members by their real sector, and the directory with a
 * static page per theme, sector and area (partners.h).
 */
#include "partners.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "markdown.h"
#include "urls.h"
#include "util.h"
#include "banned.h"

/* The content model's sectors, in its order; "kunta-muu" is ours (see partners.h). */
static const char *const sector_keys[] = {
	"kunta", "kunta-muu", "hyvinvointialue", "järjestö", "seurakunta", "yritys", "oppilaitos",
	"valtio",
};
#define N_SECTORS (sizeof sector_keys / sizeof *sector_keys)

/* Lower case in ASCII and Å, Ä, Ö: enough to compare Finnish names. */
static char *fold(const char *s)
{
	char *o = xstrdup(s);
	for (unsigned char *p = (unsigned char *)o; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p += 32;
		else if (*p == 0xC3 && (p[1] == 0x84 || p[1] == 0x96 || p[1] == 0x85))
			p[1] += 0x20, p++;
	}
	return o;
}

/* Whether org names municipality m: its name, or its stem ("Juuan kunta" for Juuka). */
static int names_municipality(const char *org, const record *m)
{
	char *o = fold(org), *n = fold(record_display_name(m));
	size_t len = strlen(n), chars = 0, keep = 0;
	for (size_t i = 0; i < len; i++)
		chars += ((unsigned char)n[i] & 0xC0) != 0x80;
	/* the name less its last two letters, at least three kept: Finnish inflects the stem */
	size_t want = chars < 5 ? (chars < 3 ? chars : 3) : chars - 2, c = 0;
	for (; keep < len; keep++) {
		if (((unsigned char)n[keep] & 0xC0) != 0x80 && c++ == want)
			break;
	}
	int yes = strcmp(o, n) == 0 || strncmp(o, n, keep) == 0;
	free(o);
	free(n);
	return yes;
}

/* The sector key a member is listed under. */
static const char *member_sector(const record *r, const value *m)
{
	const char *sec = value_map_str(m, "sector");
	if (!sec || strcmp(sec, "kunta") != 0)
		return sec;
	if (value_map_str(m, "municipality"))
		return "kunta";
	const char *org = value_map_str(m, "organisation");
	for (size_t i = 0; org && r->region && i < r->region->n_municipalities; i++)
		if (names_municipality(org, r->region->municipalities[i]))
			return "kunta";
	return "kunta-muu";
}

value *partners_sectors(const record *r, const value *t, size_t *n_members)
{
	value *secs = value_list(0);
	const value *mv = value_map_get(r->meta, "members");
	buf tmp = BUF_INIT;
	*n_members = 0;
	for (size_t s = 0; s < N_SECTORS; s++) {
		value *members = value_list(0);
		for (size_t i = 0; i < value_len(mv); i++) {
			const value *m = value_at(mv, i);
			const char *sec = member_sector(r, m);
			if (!sec || strcmp(sec, sector_keys[s]) != 0)
				continue;
			value *it = value_map(0);
			const char *org = value_map_str(m, "organisation"), *role = value_map_str(m, "role");
			if (org)
				value_map_set_str(it, "organisation", org);
			if (role)
				value_map_set_str(it, "role", role);
			value_list_push(members, it);
		}
		if (!value_len(members)) {
			value_free(members);
			continue;
		}
		*n_members += value_len(members);
		value *sv = value_map(0);
		value_map_set_str(sv, "key", sector_keys[s]);
		value_map_set_str(sv, "label", pages_tr2(t, "sector_", sector_keys[s], &tmp));
		value_map_set_num(sv, "n", (double)value_len(members));
		value_map_set(sv, "members", members);
		value_list_push(secs, sv);
	}
	buf_release(&tmp);
	return secs;
}

void partners_contact(value *into, const record *r)
{
	const value *c = value_map_get(r->meta, "contact");
	if (c && c->kind == VAL_MAP) {
		value *cv = value_map(0);
		if (value_map_str(c, "name"))
			value_map_set_str(cv, "name", value_map_str(c, "name"));
		if (value_map_str(c, "email"))
			value_map_set_str(cv, "email", value_map_str(c, "email"));
		value_map_set(into, "contact", cv);
	}
	const char *join = value_map_str(r->meta, "join");
	if (join) {
		buf html = BUF_INIT;
		markdown_render_inline(join, &html);
		value_map_set(into, "join_html", value_string(html.ptr, 0));
		buf_release(&html);
	}
}

/* ---- the directory ---- */

enum { F_THEME, F_SECTOR, F_AREA, N_FACETS };

typedef struct group {
	const record *r;
	const area *a;
	value *sectors;  /* partners_sectors() */
	char *area_val;  /* area_value(), NULL without an area */
} group;

typedef struct dir {
	const pages_env *e;
	const value *t;
	const char *lang;
	group *g;
	size_t n;
} dir;

static const area *group_area(const record *r)
{
	const char *slug = value_map_str(r->meta, "area");
	for (size_t i = 0; slug && r->region && i < r->region->n_areas; i++)
		if (strcmp(r->region->areas[i].slug, slug) == 0)
			return &r->region->areas[i];
	return NULL;
}

static int cmp_group(const void *a, const void *b)
{
	const group *x = a, *y = b;
	const char *rx = x->r->region ? region_display_name(x->r->region) : "";
	const char *ry = y->r->region ? region_display_name(y->r->region) : "";
	int c = fi_cmp(rx, ry);
	if (!c)
		c = fi_cmp(x->a ? x->a->name : "", y->a ? y->a->name : "");
	if (!c)
		c = fi_cmp(x->r->title, y->r->title);
	return c ? c : strcmp(x->r->path, y->r->path);
}

static int has_theme(const record *r, const char *slug)
{
	const value *th = value_map_get(r->meta, "themes");
	for (size_t i = 0; i < value_len(th); i++)
		if (value_at(th, i)->kind == VAL_STRING && !strcmp(value_at(th, i)->u.str.ptr, slug))
			return 1;
	return 0;
}

static int has_sector(const group *g, const char *key)
{
	for (size_t i = 0; i < value_len(g->sectors); i++)
		if (!strcmp(value_map_str(value_at(g->sectors, i), "key"), key))
			return 1;
	return 0;
}

/* The slug of an area in the directory's URLs: region and area, "pohjois-karjala-keskinen". */
static char *area_value(const group *g)
{
	return xasprintf("%s-%s", g->r->region ? g->r->region->slug : "", g->a->slug);
}

static int in_facet(const group *g, int facet, const char *val)
{
	if (facet == F_THEME)
		return has_theme(g->r, val);
	if (facet == F_SECTOR)
		return has_sector(g, val);
	return g->area_val && strcmp(g->area_val, val) == 0;
}

/* The first of a group's next meetings on or after the built commit's date. */
static const char *next_meeting(const dir *dr, const record *r)
{
	const value *nm = value_map_get(r->meta, "next_meetings");
	const char *today = dr->e->commit_date ? dr->e->commit_date : "", *best = NULL;
	for (size_t i = 0; i < value_len(nm); i++) {
		const value *v = value_at(nm, i);
		if (v->kind == VAL_STRING && strcmp(v->u.str.ptr, today) >= 0 &&
		    (!best || strcmp(v->u.str.ptr, best) < 0))
			best = v->u.str.ptr;
	}
	return best;
}

/* One group's card: what an organisation needs to decide to take part. */
static value *group_card(const dir *dr, const group *g)
{
	const record *r = g->r;
	value *it = value_map(0);
	/* every optional key false, so that a section never finds one of the page's instead */
	static const char *const optional[] = { "area", "meets", "next", "contact", "join_html" };
	for (size_t i = 0; i < sizeof optional / sizeof *optional; i++)
		value_map_set_bool(it, optional[i], 0);
	const record *x = record_in_lang(r, dr->lang);
	value_map_set_str(it, "title", x ? x->title : r->title);
	if (x)
		value_map_set_bool(it, "title_lang", 0);
	else
		value_map_set_str(it, "title_lang", r->lang);
	pages_link(dr->e, dr->lang, it, "href", r->url);
	if (r->region)
		value_map_set_str(it, "region", pages_region_name(r->region, dr->lang));
	if (g->a)
		value_map_set_str(it, "area", g->a->name);
	value *themes = value_list(0);
	const value *th = value_map_get(r->meta, "themes");
	for (size_t i = 0; i < value_len(th); i++) {
		const theme_def *td = value_at(th, i)->kind == VAL_STRING ?
			site_find_theme(dr->e->s, value_at(th, i)->u.str.ptr) : NULL;
		if (td)
			value_list_push(themes, value_string(theme_name(td, dr->lang), 0));
	}
	value_map_set_bool(it, "has_themes", value_len(themes) > 0);
	value_map_set(it, "themes", themes);
	value_map_set(it, "sectors", value_ref(g->sectors));
	const char *meets = value_map_str(r->meta, "meets");
	if (meets)
		value_map_set_str(it, "meets", meets);
	pages_set_date(it, "next", next_meeting(dr, r));
	partners_contact(it, r);
	return it;
}

static void add_option(const dir *dr, value *items, const char *name, const char *url, size_t n, int current)
{
	value *o = value_map(0);
	value_map_set_str(o, "name", name);
	pages_link(dr->e, dr->lang, o, "href", url);
	value_map_set_num(o, "n", (double)n);
	value_map_set_bool(o, "current", current);
	value_list_push(items, o);
}

static size_t count_in(const dir *dr, int facet, const char *val)
{
	size_t n = 0;
	for (size_t i = 0; i < dr->n; i++)
		n += in_facet(&dr->g[i], facet, val);
	return n;
}

/* The facets' links, each with its number of groups; the one shown is current. */
static value *facets(const dir *dr, int cur_facet, const char *cur)
{
	static const char *const labels[] = { "themes", "sector", "area" };
	value *fs = value_list(0);
	buf tmp = BUF_INIT;
	for (int f = 0; f < N_FACETS; f++) {
		value *items = value_list(0);
		if (f == F_THEME) {
			for (size_t i = 0; i < dr->e->s->n_themes; i++) {
				const theme_def *td = &dr->e->s->themes[i];
				size_t n = count_in(dr, f, td->slug);
				char *u = url_partners(URL_FACET_THEME, td->slug);
				if (n)
					add_option(dr, items, theme_name(td, dr->lang), u, n,
						cur_facet == f && !strcmp(cur, td->slug));
				free(u);
			}
		} else if (f == F_SECTOR) {
			for (size_t s = 0; s < N_SECTORS; s++) {
				size_t n = count_in(dr, f, sector_keys[s]);
				char *u = url_partners(URL_FACET_SECTOR, sector_keys[s]);
				if (n)
					add_option(dr, items, pages_tr2(dr->t, "sector_", sector_keys[s], &tmp), u,
						n, cur_facet == f && !strcmp(cur, sector_keys[s]));
				free(u);
			}
		} else {
			for (size_t i = 0; i < dr->n; i++) {
				const group *g = &dr->g[i];
				if (!g->a || (i && dr->g[i - 1].a == g->a))
					continue;
				const char *v = g->area_val;
				char *u = url_partners(URL_FACET_AREA, v);
				char *name = xasprintf("%s (%s)", g->a->name,
					g->r->region ? pages_region_name(g->r->region, dr->lang) : "");
				add_option(dr, items, name, u, count_in(dr, f, v), cur_facet == f && !strcmp(cur, v));
				free(name);
				free(u);
			}
		}
		value *fv = value_map(0);
		value_map_set_str(fv, "label", pages_tr(dr->t, labels[f]));
		value_map_set(fv, "items", items);
		value_list_push(fs, fv);
	}
	buf_release(&tmp);
	return fs;
}

/*
 * The groups a page of the directory lists, and its key: besides their front
 * matter (in page_base), a card shows each group's next meeting as of the
 * built commit's date. 0 and no key when keys are off.
 */
static int page_key(const dir *dr, int facet, const char *val, const char *url,
	const struct history_commit **newest, char key[41])
{
	const record **listed = xmalloc((dr->n + 1) * sizeof(record *));
	size_t n = 0;
	buf extra = BUF_INIT;
	for (size_t i = 0; i < dr->n; i++) {
		if (facet < 0 || in_facet(&dr->g[i], facet, val)) {
			listed[n++] = dr->g[i].r;
			const char *next = next_meeting(dr, dr->g[i].r);
			buf_printf(&extra, "%s\n", next ? next : "-");
		}
	}
	*newest = pages_list_newest(dr->e, listed, n, dr->lang);
	int keyed = pages_list_key(dr->e, "partnerships", url, dr->lang, *newest, extra.ptr, key);
	buf_release(&extra);
	free(listed);
	return keyed;
}

/* One page of the directory: every group (facet < 0) or those of one facet value. */
static int write_page(const dir *dr, int facet, const char *val, const char *name, diag_list *d)
{
	char *all = url_partners(URL_FACET_NONE, NULL);
	char *url = facet < 0 ? xstrdup(all) : url_partners((url_facet)(facet + 1), val);
	char *path = pages_out_path(dr->e, dr->lang, url);
	const struct history_commit *newest;
	char key[41];
	int keyed = page_key(dr, facet, val, url, &newest, key);
	if (keyed && output_keep(dr->e->out, path, key)) {
		free(path);
		free(url);
		free(all);
		return 0;
	}
	const char *heading = pages_tr(dr->t, "partners_heading");
	char *title = name ? xasprintf("%s: %s", heading, name) : xstrdup(heading);
	value *ctx = pages_base_context(dr->e, dr->lang, url, title);
	value_map_set_bool(value_map_get(ctx, "page"), "is_partners", 1);
	pages_add_crumb(dr->e, ctx, heading, name ? all : NULL);
	if (name)
		pages_add_crumb(dr->e, ctx, name, NULL);
	value *cards = value_list(0);
	for (size_t i = 0; i < dr->n; i++)
		if (facet < 0 || in_facet(&dr->g[i], facet, val))
			value_list_push(cards, group_card(dr, &dr->g[i]));
	char *count = pages_count(dr->t, "count_groups", value_len(cards));
	value_map_set_str(ctx, "heading", title);
	value_map_set_str(ctx, "count", count);
	value_map_set_bool(ctx, "filtered", name != NULL);
	pages_link(dr->e, dr->lang, ctx, "all_href", all);
	value_map_set(ctx, "groups", cards);
	value_map_set(ctx, "facets", facets(dr, facet, val ? val : ""));
	pages_set_list_source(ctx, newest);
	int ret = pages_render_keyed(dr->e, "partnerships", ctx, path, keyed ? key : NULL, d);
	free(path);
	value_free(ctx);
	free(count);
	free(title);
	free(url);
	free(all);
	return ret;
}

/* The directory and a page for every theme, sector and area some group has. */
static int write_facet_pages(const dir *dr, diag_list *d)
{
	int ret = write_page(dr, -1, NULL, NULL, d);
	buf tmp = BUF_INIT;
	for (size_t i = 0; i < dr->e->s->n_themes; i++) {
		const theme_def *td = &dr->e->s->themes[i];
		if (count_in(dr, F_THEME, td->slug))
			ret |= write_page(dr, F_THEME, td->slug, theme_name(td, dr->lang), d);
	}
	for (size_t s = 0; s < N_SECTORS; s++)
		if (count_in(dr, F_SECTOR, sector_keys[s]))
			ret |= write_page(dr, F_SECTOR, sector_keys[s],
				pages_tr2(dr->t, "sector_", sector_keys[s], &tmp), d);
	for (size_t i = 0; i < dr->n; i++) {
		const group *g = &dr->g[i];
		if (!g->a || (i && dr->g[i - 1].a == g->a))
			continue;
		ret |= write_page(dr, F_AREA, g->area_val, g->a->name, d);
	}
	buf_release(&tmp);
	return ret;
}

int partners_write(const pages_env *e, const char *lang, diag_list *d)
{
	const site *s = e->s;
	dir dr = { e, theme_strings(e->th, lang), lang, NULL, 0 };
	dr.g = xcalloc(s->n_records + 1, sizeof(group));
	for (size_t i = 0; i < s->n_records; i++) {
		const record *r = s->records[i];
		if (r->type != REC_PARTNERSHIP || r->draft)
			continue;
		size_t nm;
		group *g = &dr.g[dr.n++];
		*g = (group){ r, group_area(r), partners_sectors(r, dr.t, &nm), NULL };
		if (g->a)
			g->area_val = area_value(g);
	}
	int ret = 0;
	if (dr.n) {
		qsort(dr.g, dr.n, sizeof(group), cmp_group);
		ret = write_facet_pages(&dr, d);
	}
	for (size_t i = 0; i < dr.n; i++) {
		value_free(dr.g[i].sectors);
		free(dr.g[i].area_val);
	}
	free(dr.g);
	return ret ? -1 : 0;
}
