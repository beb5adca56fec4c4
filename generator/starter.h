#ifndef AVOIN_STARTER_H
#define AVOIN_STARTER_H
/*
 * A publisher's start (`avoin init`, `avoin new`): a new content repository
 * that builds at once, and a new record of a type with every key present and
 * commented in Finnish, the language most publishers write in. The records'
 * texts are the content model's (doc/kasikirja.md); the tests build what
 * these write.
 */
#include "diag.h"
#include "model.h"

/*
 * A new content repository in dir (which must not exist, or be an empty
 * folder): git, content/site.yaml, a region with one municipality and a record
 * of every other type, committed. 0, or -1 with errors in d.
 */
int starter_init(const char *dir, diag_list *d);
/*
 * A new record of type (its front-matter name, or a near one: "pöytäkirja",
 * "minute") at path under the content folder content_dir ("x/y" or
 * "x/y.md"; a region's is "<region>/region.md"), as a draft. 0, or -1 with
 * errors in d (an unknown type with the nearest names, a path that is no
 * slug, a file that exists).
 */
int starter_new(const char *content_dir, const char *type, const char *path, diag_list *d);

#endif
