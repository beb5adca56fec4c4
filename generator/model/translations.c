#include <stdlib.h>
#include <string.h>

#include "model_impl.h"
#include "util.h"
#include "banned.h"

/*
 * Translations of records (doc/handbook.md, "Languages and translations"):
 * "<slug>.<lang>.md" beside "<slug>.md", of the original's type, its keys
 * over the original's. Loading finds each one's original, checks its name's
 * language and its keys, and links the two both ways.
 */

int site_translation_name(const char *path, char **orig, char lang[4])
{
	size_t n = strlen(path);
	if (n < 3 || strcmp(path + n - 3, ".md") != 0)
		return 0;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *end = path + n - 3, *dot = end;
	while (dot > base && dot[-1] != '.')
		dot--;
	size_t ln = (size_t)(end - dot);
	if (dot <= base + 1 || ln < 2 || ln > 3)
		return 0;
	for (size_t i = 0; i < ln; i++)
		if (dot[i] < 'a' || dot[i] > 'z')
			return 0;
	memcpy(lang, dot, ln);
	lang[ln] = '\0';
	if (orig)
		*orig = xasprintf("%.*s.md", (int)(dot - 1 - path), path);
	return 1;
}

record *site_find_translation(const site *s, const char *path)
{
	if (!s || !path)
		return NULL;
	size_t i = mdl_path_index(s->translations, s->n_translations, path);
	return i < s->n_translations ? s->translations[i] : NULL;
}

size_t site_translation_index(const site *s, const record *trans)
{
	return mdl_path_index(s->translations, s->n_translations, trans->path);
}

const record *record_in_lang(const record *r, const char *lang)
{
	if (!lang || strcmp(r->lang, lang) == 0)
		return r;
	for (size_t i = 0; i < r->n_translations; i++)
		if (strcmp(r->translations[i]->lang, lang) == 0)
			return r->translations[i]->draft ? NULL : r->translations[i];
	return NULL;
}

size_t site_n_texts(const site *s)
{
	return s->n_records + s->n_translations;
}

record *site_text_at(const site *s, size_t i)
{
	return i < s->n_records ? s->records[i] : s->translations[i - s->n_records];
}

static const char *site_lang(const site *s, const char *lang)
{
	for (size_t i = 0; i < s->n_languages; i++)
		if (strcmp(s->languages[i], lang) == 0)
			return s->languages[i];
	return NULL;
}

/* Where the original's and the translation's keys must agree: type and lang. */
static int check_fixed_keys(vctx *c, const record *trans, const record *orig, const value *own)
{
	int ok = 1;
	value *tv = value_map_get(own, "type");
	if (tv && (tv->kind != VAL_STRING || strcmp(tv->u.str.ptr, mdl_type_names[orig->type]))) {
		buf want = BUF_INIT;
		buf_printf(&want, tr("the original's type '%s' (or no 'type': a translation takes "
			"it from %s)"), mdl_type_names[orig->type], orig->file);
		mv_bad(c, "type", tv, want.ptr);
		buf_release(&want);
		ok = 0;
	}
	value *lv = value_map_get(own, "lang");
	if (lv && (lv->kind != VAL_STRING || strcmp(lv->u.str.ptr, trans->lang) != 0)) {
		buf want = BUF_INIT;
		buf_printf(&want, tr("'%s', the language its file name gives (or no 'lang')"),
			trans->lang);
		mv_bad(c, "lang", lv, want.ptr);
		buf_release(&want);
		ok = 0;
	}
	return ok;
}

/*
 * One translation: its original and language from its name, then its keys
 * checked as the record they make with the original's. The original's own
 * errors are reported once, on the original: when it has any, the
 * translation's checks (which would repeat them) are not reported.
 */
static void load_one(vctx *c, rinfo *ti, const rinfo *by_path, size_t n_orig)
{
	site *s = &c->sp->pub;
	record *trans = ti->r;
	char *orig_path = NULL, lang[4];
	site_translation_name(trans->path, &orig_path, lang);
	c->r = trans;
	c->file = trans->file;
	c->line0 = 1;
	const rinfo *oi = NULL;
	for (size_t lo = 0, hi = n_orig; lo < hi && !oi;) {
		size_t mid = lo + (hi - lo) / 2;
		int k = strcmp(by_path[mid].r->path, orig_path);
		if (k == 0)
			oi = &by_path[mid];
		else if (k < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	const char *sl = site_lang(s, lang);
	if (!oi) {
		mv_err(c, 1, "a translation without an original: no '%s' beside it (expected "
			"<slug>.<lang>.md next to <slug>.md)", orig_path);
	} else if (!sl) {
		buf have = BUF_INIT;
		mv_put_options(&have, s->languages);
		mv_err(c, 1, "'%s' is not a language of this site (site.yaml lists %s; expected one "
			"of them in the file name, or the language added to site.yaml)", lang, have.ptr);
		buf_release(&have);
	} else if (strcmp(sl, oi->r->lang) == 0) {
		mv_err(c, 1, "a translation into '%s', the language of its original %s (expected "
			"another of the site's languages)", sl, oi->r->file);
	}
	free(orig_path);
	if (!oi || !sl || strcmp(sl, oi->r->lang) == 0)
		return;
	record *orig = oi->r;
	trans->lang = sl;
	if (!check_fixed_keys(c, trans, orig, trans->meta) || !oi->type_ok)
		return;
	value *own = trans->meta, *merged = value_copy_top(orig->meta);
	for (size_t i = 0; i < own->u.map.n; i++)
		value_map_set(merged, own->u.map.keys[i], value_ref(own->u.map.vals[i]));
	merged->line = own->line;
	value_free(own);
	trans->meta = merged;
	trans->type = orig->type;
	trans->region = orig->region;
	trans->original = orig;
	rinfo tri = { trans, 1, ti->line0, 0, 1 };
	diag_list mine = { 0 };
	diag_list *outer = c->d;
	c->d = &mine;
	mv_check_record(c, &tri);
	trans->lang = sl;      /* its name's, whatever the original's meta said */
	c->d = outer;
	if (!oi->errors)
		diag_merge(c->d, &mine);
	diag_release(&mine);
	orig->translations = xrealloc(orig->translations,
		(orig->n_translations + 1) * sizeof(record *));
	orig->translations[orig->n_translations++] = trans;
}

static int cmp_by_site_lang(const void *a, const void *b)
{
	const record *x = *(record *const *)a, *y = *(record *const *)b;
	return x->lang_index - y->lang_index;
}

void mdl_load_translations(vctx *c, rinfo *ti, size_t n, const rinfo *by_path, size_t n_orig)
{
	site *s = &c->sp->pub;
	for (size_t i = 0; i < n; i++)
		load_one(c, &ti[i], by_path, n_orig);
	for (size_t i = 0; i < s->n_records; i++) {
		record *r = s->records[i];
		for (size_t k = 0; k < r->n_translations; k++)
			for (size_t l = 0; l < s->n_languages; l++)
				if (strcmp(s->languages[l], r->translations[k]->lang) == 0)
					r->translations[k]->lang_index = (int)l;
		if (r->n_translations > 1)
			qsort(r->translations, r->n_translations, sizeof(record *), cmp_by_site_lang);
	}
}
