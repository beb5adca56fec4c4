#ifndef AVOIN_SERVER_H
#define AVOIN_SERVER_H
/*
 * The preview's HTTP server (libmicrohttpd, a thread per connection): serves
 * the site in memory (memsite.h) through webpath_resolve(), and its own few
 * addresses under /_avoin/ (record paths are slugs, which have no '_'):
 *
 *   /_avoin/live.js    the script an HTML page gets before its </body>:
 *                      it listens to /_avoin/events and reloads the page
 *   /_avoin/live.css   the look of the error overlay
 *   /_avoin/events     Server-Sent Events: "reload" when the site or its
 *                      errors change (?since=N: at once, if that was before)
 *   /_avoin/status     JSON: the generation, builds done, errors, commit
 *   /_avoin/files      every path of the site with its size (for tests)
 *
 * Only the preview adds the script; what the build writes never has it. The
 * injected part is one run of bytes between "<!-- avoin serve -->" and
 * "<!-- /avoin serve -->", so that a test can take it out again and compare
 * the rest with a build's files.
 */
#include <stddef.h>

#include "memsite.h"

typedef struct server server;

/*
 * Starts serving ms on bind_addr (an IPv4 or IPv6 address) and port (0: any
 * free one). NULL with a message in err (cap bytes) when it cannot.
 */
server *server_start(memsite *ms, const char *bind_addr, unsigned port, char *err, size_t cap);
/* The port it listens on. */
unsigned server_port(const server *srv);
/*
 * After a build: the errors the pages show in their overlay (lines of
 * "file:line: message", copied; none clears it), the commit, and whether
 * the pages changed; open pages are told to reload when anything did.
 */
/*
 * Open pages reload, the build not yet counted (a patch whose edited pages
 * are served before the rest of it is written).
 */
void server_reload(server *srv);
void server_update(server *srv, const char *const *errors, size_t n, const char *commit,
	int changed);
/* Stops serving: open event streams end, connections close; frees srv. */
void server_stop(server *srv);

#endif
