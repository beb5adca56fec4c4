#ifndef AVOIN_WATCH_H
#define AVOIN_WATCH_H
/*
 * What `avoin serve` watches for changes (inotify): folders with all the
 * folders under them (the content of a working tree, the theme, a
 * repository's refs), or a folder alone (a repository's .git, for HEAD and
 * packed-refs). Folders made later under a watched tree are watched too.
 */
#include <stddef.h>

typedef struct watch watch;

watch *watch_new(void);
void watch_free(watch *w);
/*
 * Watches dir (and, with tree, every folder under it), a change there
 * counting as tag (a bit of the caller's); 0, or -1 when it cannot.
 */
int watch_add(watch *w, const char *dir, int tree, unsigned tag);
/*
 * Waits until something changed under a watched folder and then for quiet
 * (quiet_ms without another change), or until stop_fd is readable, or for
 * timeout_ms (-1: no limit). The tags of what changed (every tag when the
 * system dropped events); 0: stop_fd or timeout; -1: error.
 * Names an editor keeps beside the file it saves (".x.swp", "x~", "#x#",
 * ".#x") are not changes.
 */
int watch_wait(watch *w, int stop_fd, int quiet_ms, int timeout_ms);
/*
 * fn(ud) is called, on watch_wait()'s thread, as soon as a wait sees its
 * first change, before the quiet: what runs in the background can stop then.
 */
void watch_on_change(watch *w, void (*fn)(void *), void *ud);
/*
 * The files the last watch_wait saw change (absolute paths, each once; a
 * file may since have gone again), n of them; NULL when that is not known:
 * the system dropped events, a folder itself was made, moved or deleted, or
 * more than a few dozen files changed.
 */
const char *const *watch_changed(const watch *w, size_t *n);

#endif
