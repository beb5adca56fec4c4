/* The accessibility statement (statement.h). */
#include "statement.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "urls.h"
#include "util.h"
#include "banned.h"

/*
 * A text in lang from a string or a map by language (the site's first
 * language, then any); *got: the language it is in when that is not lang
 * (a map's key), else NULL.
 */
static const char *text_in(const value *v, const char *lang, const char *first,
	const char *const *skip, const char **got)
{
	*got = NULL;
	if (!v)
		return NULL;
	if (v->kind == VAL_STRING)
		return v->u.str.ptr;
	if (v->kind != VAL_MAP)
		return NULL;
	const char *s = value_map_str(v, lang);
	if (s)
		return s;
	if ((s = value_map_str(v, first)) != NULL) {
		*got = first;
		return s;
	}
	for (size_t i = 0; i < v->u.map.n; i++) {
		int skipped = 0;
		for (size_t k = 0; skip && skip[k]; k++)
			skipped |= strcmp(v->u.map.keys[i], skip[k]) == 0;
		if (!skipped && v->u.map.vals[i]->kind == VAL_STRING) {
			*got = v->u.map.keys[i];
			return v->u.map.vals[i]->u.str.ptr;
		}
	}
	return NULL;
}

/* m[key] = the text of v in lang (false when none), m[key "_lang"] = its language when another. */
static void set_text(value *m, const char *key, const value *v, const char *lang,
	const char *first, const char *const *skip)
{
	const char *got;
	const char *text = text_in(v, lang, first, skip, &got);
	value_map_set(m, key, text ? value_string(text, 0) : value_bool(0, 0));
	char *lk = xasprintf("%s_lang", key);
	value_map_set(m, lk, got ? value_string(got, 0) : value_bool(0, 0));
	free(lk);
}

/* The known issues: each one's text, why it is not accessible, and another way to it. */
static value *issues(const value *acc, const char *lang, const char *first)
{
	static const char *const not_texts[] = { "reason", "alternative", NULL };
	value *out = value_list(0);
	const value *ki = value_map_get(acc, "known_issues");
	for (size_t i = 0; ki && ki->kind == VAL_LIST && i < ki->u.list.n; i++) {
		const value *it = ki->u.list.items[i];
		if (it->kind != VAL_MAP)
			continue;
		value *iv = value_map(0);
		set_text(iv, "text", it, lang, first, not_texts);
		if (value_map_get(iv, "text")->kind != VAL_STRING)
			value_map_set_str(iv, "text", "");
		set_text(iv, "reason", value_map_get(it, "reason"), lang, first, NULL);
		set_text(iv, "alternative", value_map_get(it, "alternative"), lang, first, NULL);
		value_list_push(out, iv);
	}
	return out;
}

/* What the statement says, as the template reads it (every optional key false when absent). */
static value *statement_value(const site *s, const value *t, const char *lang)
{
	const value *acc = value_map_get(s->config, "accessibility");
	value *a = value_map(0);
	value_map_set_str(a, "site_title", s->title);
	value_map_set(a, "base_url", s->base_url && *s->base_url ? value_string(s->base_url, 0) :
		value_bool(0, 0));
	const char *status = value_map_str(acc, "status");
	buf key = BUF_INIT;
	buf_printf(&key, "acc_status_%s", status ? status : "unknown");
	value_map_set_str(a, "status_text", pages_tr(t, key.ptr));
	value_map_set_bool(a, "complies", status && !strcmp(status, "full"));
	value *is = issues(acc, lang, s->languages[0]);
	value_map_set_bool(a, "has_issues", value_len(is) > 0);
	value_map_set(a, "issues", is);
	static const char *const dates[] = { "date", "reviewed" };
	for (size_t i = 0; i < 2; i++) {
		value_map_set_bool(a, dates[i], 0);
		pages_set_date(a, dates[i], value_map_str(acc, dates[i]));
	}
	const char *as = value_map_str(acc, "assessment");
	value_map_set_bool(a, "external", as && !strcmp(as, "external"));
	value_map_set_bool(a, "self", as && !strcmp(as, "self"));
	const char *assessor = value_map_str(acc, "assessor");
	value_map_set(a, "assessor", assessor ? value_string(assessor, 0) : value_bool(0, 0));
	const char *contact = value_map_str(acc, "contact");
	value_map_set(a, "contact", contact ? value_string(contact, 0) : value_bool(0, 0));
	if (contact) {
		/* an e-mail address or a web address (checked in validate.c) */
		char *href = strchr(contact, ':') ? xstrdup(contact) : xasprintf("mailto:%s", contact);
		value_map_set_str(a, "contact_href", href);
		free(href);
	}
	const value *auth = value_map_get(acc, "authority");
	value *av = value_bool(0, 0);
	if (auth && auth->kind == VAL_MAP && value_map_str(auth, "name")) {
		value_free(av);
		av = value_map(0);
		value_map_set_str(av, "name", value_map_str(auth, "name"));
		const char *url = value_map_str(auth, "url");
		value_map_set(av, "url", url ? value_string(url, 0) : value_bool(0, 0));
	}
	value_map_set(a, "authority", av);
	buf_release(&key);
	return a;
}

int statement_write(const pages_env *e, const char *lang, diag_list *d)
{
	const value *t = theme_strings(e->th, lang);
	const char *url = url_fixed(URL_STATEMENT);
	value *ctx = pages_base_context(e, lang, url, pages_tr(t, "accessibility"));
	pages_add_crumb(e, ctx, pages_tr(t, "accessibility"), NULL);
	value_map_set(ctx, "statement", statement_value(e->s, t, lang));
	char *path = pages_out_path(e, lang, url);
	int ret = pages_render(e, "accessibility", ctx, path, d);
	free(path);
	value_free(ctx);
	return ret;
}
