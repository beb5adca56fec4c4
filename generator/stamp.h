#ifndef AVOIN_STAMP_H
#define AVOIN_STAMP_H
/*
 * The build stamp and the cache folder beside the output (build.h): what
 * <out>.cache/stamp says the output was built from, and where the caches go.
 */

/*
 * The generator: its version and the binary itself (size and modification
 * time), so that a rebuilt generator never trusts what an old one saved.
 */
char *stamp_generator_id(void);
/* <out>.cache/<name> ("<out>.cache" for an empty name), whatever slashes end out. */
char *stamp_cache_path(const char *out, const char *name);
/* 1 when out is a folder whose stamp is want. */
int stamp_matches(const char *out, const char *want);
/* 1 unless the stamp names commit: then the build cannot be a no-op. */
int stamp_other_commit(const char *out, const char *commit);
/* Best effort: a stamp that cannot be written only costs the next build its shortcut. */
void stamp_write(const char *out, const char *text);
void stamp_remove(const char *out);

#endif
