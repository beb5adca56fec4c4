#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "buf.h"
#include "msg.h"
#include "urls.h"
#include "util.h"
#include "webpath.h"
#include "banned.h"

#define OWN_PREFIX "/_avoin/"
#define MAX_SHOWN_ERRORS 100
#define KEEPALIVE_SECS 15
#define HTML_TYPE "text/html; charset=utf-8"

struct server {
	struct MHD_Daemon *daemon;
	memsite *ms;
	unsigned port;
	pthread_mutex_t lock;      /* guards what follows */
	pthread_cond_t changed;    /* generation changed, or stopping */
	unsigned long generation;  /* counts what open pages are told to reload for */
	unsigned long builds;
	int stopping;
	char **errors;
	size_t n_errors;
	char commit[41];
};

static const char live_js[] =
	"(function () {\n"
	"\t/* avoin serve: reload when the site changes; only the preview has this */\n"
	"\tvar me = document.currentScript;\n"
	"\tif (!me || !window.EventSource) return;\n"
	"\tvar since = me.getAttribute('data-generation');\n"
	"\tvar es = new EventSource('/_avoin/events?since=' + encodeURIComponent(since));\n"
	"\tes.addEventListener('reload', function () { es.close(); location.reload(); });\n"
	"})();\n";

static const char live_css[] =
	"#avoin-errors { position: fixed; inset: 0 0 auto 0; max-height: 70vh; overflow: auto;\n"
	"  z-index: 2147483647; margin: 0; padding: 1rem 1.25rem; background: #fff4f4;\n"
	"  color: #3b0000; border-bottom: 4px solid #b00020; font: 1rem/1.45 system-ui, sans-serif;\n"
	"  box-shadow: 0 .25rem 1rem rgba(0,0,0,.3); }\n"
	"#avoin-errors h2 { margin: 0 0 .5rem; font-size: 1.15rem; }\n"
	"#avoin-errors ol { margin: .5rem 0 0; padding-left: 1.5rem; }\n"
	"#avoin-errors code { white-space: pre-wrap; overflow-wrap: anywhere;\n"
	"  font: .95rem/1.4 ui-monospace, monospace; }\n";

static const char no_site_page[] =
	"<!DOCTYPE html>\n<html lang=\"fi\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	"<title>Esikatselu – Avoin</title>\n</head>\n<body>\n<main>\n"
	"<h1>Esikatselua rakennetaan</h1>\n"
	"<p>Sivu latautuu itse, kun sivusto on rakennettu. Jos sisällössä on virheitä, ne "
	"näkyvät tässä; korjattuasi ne sivu latautuu taas itse.</p>\n"
	"</main>\n</body>\n</html>\n";

/* HTML-escapes s into b. */
static void put_escaped(buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_putc(b, *s);
		}
	}
}

/* The injected part: the script and, while the content has errors, the overlay. */
static void put_snippet(server *srv, buf *b)
{
	pthread_mutex_lock(&srv->lock);
	buf_printf(b, "<!-- avoin serve --><script src=\"" OWN_PREFIX "live.js\" "
		"data-generation=\"%lu\" defer></script>", srv->generation);
	if (srv->n_errors) {
		size_t n = srv->n_errors;
		buf_printf(b, "<div id=\"avoin-errors\" role=\"alert\" lang=\"%s\"><link "
			"rel=\"stylesheet\" href=\"" OWN_PREFIX "live.css\"><h2>",
			msg_lang_code(msg_get_lang()));
		if (n == 1)
			buf_puts(b, tr("There is an error in the content"));
		else
			buf_printf(b, tr("There are %zu errors in the content"), n);
		buf_printf(b, "</h2><p>%s</p><ol>", tr("Below is the last version without errors. "
			"Correct the errors and the page reloads itself."));
		for (size_t i = 0; i < srv->n_errors && i < MAX_SHOWN_ERRORS; i++) {
			buf_puts(b, "<li><code>");
			put_escaped(b, srv->errors[i]);
			buf_puts(b, "</code></li>");
		}
		buf_puts(b, "</ol>");
		if (srv->n_errors > MAX_SHOWN_ERRORS) {
			buf_puts(b, "<p>");
			buf_printf(b, tr("… and %zu more."), srv->n_errors - MAX_SHOWN_ERRORS);
			buf_puts(b, "</p>");
		}
		buf_puts(b, "</div>");
	}
	buf_puts(b, "<!-- /avoin serve -->");
	pthread_mutex_unlock(&srv->lock);
}

/* The last "</body>" of an HTML page, or its end. */
static size_t body_end(const char *data, size_t len)
{
	static const char tag[] = "</body>";
	size_t n = sizeof(tag) - 1;
	for (size_t i = len >= n ? len - n + 1 : 0; i-- > 0;)
		if (memcmp(data + i, tag, n) == 0)
			return i;
	return len;
}

static enum MHD_Result queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r,
	const char *type)
{
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_static(struct MHD_Connection *c, unsigned status, const char *type,
	const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
		MHD_RESPMEM_PERSISTENT);
	return queue(c, status, r, type);
}

static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned status, const char *type, buf *b)
{
	size_t len;
	char *data = buf_detach(b, &len);
	struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!r)
		free(data);
	return queue(c, status, r, type);
}

static void release_file(void *cls)
{
	memfile_release(cls);
}

/* Sends bytes the response takes over (free()d when sent). */
static enum MHD_Result send_owned(struct MHD_Connection *c, unsigned status, const char *type,
	char *bytes, size_t len)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer_with_free_callback(len, bytes, free);
	if (!r) {
		free(bytes);
		return MHD_NO;
	}
	return queue(c, status, r, type);
}

/*
 * Sends a file of the site (the reference is given away) as written: HTML
 * with the snippet, a packed file unpacked, any other by reference. (The
 * preview runs on loopback: compressing what it sends would save no time.)
 */
static enum MHD_Result send_file(server *srv, struct MHD_Connection *c, unsigned status,
	const char *type, memfile *f)
{
	int html = strcmp(type, HTML_TYPE) == 0;
	if (!html && !memfile_packed(f)) {
		struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback_cls(
			memfile_len(f), (void *)memfile_data(f), release_file, f);
		if (!r) {
			memfile_release(f);
			return MHD_NO;
		}
		return queue(c, status, r, type);
	}
	size_t len;
	char *raw = memfile_bytes(f, &len);
	memfile_release(f);
	if (!raw)
		return send_static(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8",
			"500 the page cannot be read back from memory\n");
	if (!html)
		return send_owned(c, status, type, raw, len);
	buf b = BUF_INIT;
	size_t at = body_end(raw, len);
	buf_put(&b, raw, at);
	put_snippet(srv, &b);
	buf_put(&b, raw + at, len - at);
	free(raw);
	return send_buf(c, status, type, &b);
}

/* The page for a path the site has not: the site's 404.html, or a line of text. */
static enum MHD_Result not_found(server *srv, struct MHD_Connection *c)
{
	char *path = url_output_path(url_fixed(URL_NOT_FOUND));
	memfile *f = memsite_get(srv->ms, path);
	free(path);
	if (f)
		return send_file(srv, c, MHD_HTTP_NOT_FOUND, HTML_TYPE, f);
	if (memsite_count(srv->ms) == 0) {
		memfile *page = memfile_new(no_site_page, strlen(no_site_page));
		return send_file(srv, c, MHD_HTTP_SERVICE_UNAVAILABLE, HTML_TYPE, page);
	}
	return send_static(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", "404 not found\n");
}

/* "/<path>/" for a folder asked for without its slash, each byte outside [A-Za-z0-9-._~/] escaped. */
static enum MHD_Result redirect_to_folder(struct MHD_Connection *c, const char *path)
{
	buf loc = BUF_INIT;
	buf_putc(&loc, '/');
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			buf_putc(&loc, (char)*p);
		else
			buf_printf(&loc, "%%%02X", *p);
	}
	buf_putc(&loc, '/');
	struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (r)
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc.ptr);
	buf_release(&loc);
	return queue(c, MHD_HTTP_MOVED_PERMANENTLY, r, "text/plain; charset=utf-8");
}

/* ---- Server-Sent Events ---- */

typedef struct stream {
	server *srv;
	unsigned long seen;      /* the generation the page was served with */
	int started;
} stream;

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	stream *s = cls;
	server *srv = s->srv;
	int n;
	pthread_mutex_lock(&srv->lock);
	if (!s->started) {
		/* a page served before the latest change reloads at once */
		s->started = 1;
		int stale = s->seen != srv->generation;
		s->seen = srv->generation;
		n = snprintf(out, max, "retry: 1000\n\n%s", stale ? "event: reload\ndata: -\n\n" : "");
		pthread_mutex_unlock(&srv->lock);
		return n;
	}
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += KEEPALIVE_SECS;
	while (!srv->stopping && s->seen == srv->generation)
		if (pthread_cond_timedwait(&srv->changed, &srv->lock, &until) == ETIMEDOUT)
			break;
	if (srv->stopping) {
		pthread_mutex_unlock(&srv->lock);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	if (s->seen != srv->generation) {
		s->seen = srv->generation;
		n = snprintf(out, max, "event: reload\ndata: %lu\n\n", s->seen);
	} else {
		n = snprintf(out, max, ": keep-alive\n\n");
	}
	pthread_mutex_unlock(&srv->lock);
	return n;
}

static enum MHD_Result send_events(server *srv, struct MHD_Connection *c)
{
	stream *s = xcalloc(1, sizeof(*s));
	s->srv = srv;
	const char *since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
	char *end = NULL;
	unsigned long g = since ? strtoul(since, &end, 10) : 0;
	pthread_mutex_lock(&srv->lock);
	s->seen = since && *since && end && !*end ? g : srv->generation;
	pthread_mutex_unlock(&srv->lock);
	struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024,
		stream_read, s, free);
	if (!r) {
		free(s);
		return MHD_NO;
	}
	return queue(c, MHD_HTTP_OK, r, "text/event-stream");
}

static enum MHD_Result send_status(server *srv, struct MHD_Connection *c)
{
	buf b = BUF_INIT;
	pthread_mutex_lock(&srv->lock);
	size_t packed, held = memsite_held(srv->ms, &packed);
	buf_printf(&b, "{\"generation\": %lu, \"builds\": %lu, \"errors\": %zu, \"commit\": \"%s\", "
		"\"files\": %zu, \"packed\": %zu, \"held_bytes\": %zu, \"dictionary\": %s}\n",
		srv->generation, srv->builds, srv->n_errors, srv->commit, memsite_count(srv->ms),
		packed, held, memsite_trained(srv->ms) ? "true" : "false");
	pthread_mutex_unlock(&srv->lock);
	return send_buf(c, MHD_HTTP_OK, "application/json", &b);
}

static enum MHD_Result send_own(server *srv, struct MHD_Connection *c, const char *name)
{
	if (strcmp(name, "live.js") == 0)
		return send_static(c, MHD_HTTP_OK, webpath_type(name), live_js);
	if (strcmp(name, "live.css") == 0)
		return send_static(c, MHD_HTTP_OK, webpath_type(name), live_css);
	if (strcmp(name, "events") == 0)
		return send_events(srv, c);
	if (strcmp(name, "status") == 0)
		return send_status(srv, c);
	if (strcmp(name, "files") == 0) {
		buf b = BUF_INIT;
		size_t len;
		char *list = memsite_listing(srv->ms, &len);
		buf_put(&b, list, len);
		free(list);
		return send_buf(c, MHD_HTTP_OK, "text/plain; charset=utf-8", &b);
	}
	return send_static(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", "404 not found\n");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
	const char *method, const char *version, const char *upload, size_t *upload_size,
	void **state)
{
	(void)version;
	(void)upload;
	server *srv = cls;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		/* a body, if any, is not read: the connection closes after the answer */
		*upload_size = 0;
		struct MHD_Response *r = MHD_create_response_from_buffer(
			strlen("405 method not allowed\n"), (void *)"405 method not allowed\n",
			MHD_RESPMEM_PERSISTENT);
		if (r)
			MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		return queue(c, MHD_HTTP_METHOD_NOT_ALLOWED, r, "text/plain; charset=utf-8");
	}
	/*
	 * The first call comes with the headers: answering then would make the
	 * library close the connection (a body might follow). The second call,
	 * after the (empty) body, answers and keeps it open for the next request.
	 */
	static int headers_seen;
	if (!*state) {
		*state = &headers_seen;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;   /* a body on GET is read and dropped */
		return MHD_YES;
	}
	if (str_has_prefix(url, OWN_PREFIX))
		return send_own(srv, c, url + strlen(OWN_PREFIX));
	char path[WEBPATH_MAX + 16];
	webpath_kind kind = webpath_resolve(url, path, sizeof(path));
	if (kind == WEBPATH_TOO_LONG)
		return send_static(c, MHD_HTTP_URI_TOO_LONG, "text/plain; charset=utf-8",
			"414 the address is too long\n");
	if (kind == WEBPATH_BAD)
		return send_static(c, MHD_HTTP_BAD_REQUEST, "text/plain; charset=utf-8",
			"400 bad request\n");
	memfile *f = memsite_get(srv->ms, path);
	if (!f && kind == WEBPATH_FILE) {
		/* a folder without its slash goes where a static server would send it */
		char *folder = xasprintf("/%s/", path), *index = url_output_path(folder);
		memfile *found = memsite_get(srv->ms, index);
		free(folder);
		free(index);
		if (found) {
			memfile_release(found);
			return redirect_to_folder(c, path);
		}
	}
	if (!f)
		return not_found(srv, c);
	return send_file(srv, c, MHD_HTTP_OK, webpath_type(path), f);
}

/* Paths are decoded by webpath_resolve(), once, not by the library as well. */
static size_t keep_escaped(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

server *server_start(memsite *ms, const char *bind_addr, unsigned port, char *err, size_t cap)
{
	struct sockaddr_in v4 = { 0 };
	struct sockaddr_in6 v6 = { 0 };
	const struct sockaddr *sa;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL_INTERNAL_THREAD;
	if (port > 65535) {
		snprintf(err, cap, tr("'%u' is no port (expected 0 to 65535)"), port);
		return NULL;
	}
	if (inet_pton(AF_INET, bind_addr, &v4.sin_addr) == 1) {
		v4.sin_family = AF_INET;
		v4.sin_port = htons((uint16_t)port);
		sa = (const struct sockaddr *)&v4;
	} else if (inet_pton(AF_INET6, bind_addr, &v6.sin6_addr) == 1) {
		v6.sin6_family = AF_INET6;
		v6.sin6_port = htons((uint16_t)port);
		sa = (const struct sockaddr *)&v6;
		flags |= MHD_USE_IPv6;
	} else {
		snprintf(err, cap, tr("'%s' is no IP address (expected e.g. 127.0.0.1 or ::1)"),
			bind_addr);
		return NULL;
	}
	server *srv = xcalloc(1, sizeof(*srv));
	srv->ms = ms;
	pthread_mutex_init(&srv->lock, NULL);
	pthread_cond_init(&srv->changed, NULL);
	srv->daemon = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, handle, srv,
		MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, NULL,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_END);
	if (!srv->daemon) {
		snprintf(err, cap, tr("cannot listen on %s port %u: %s"), bind_addr, port,
			errno ? strerror(errno) : tr("the port is in use or not allowed"));
		pthread_cond_destroy(&srv->changed);
		pthread_mutex_destroy(&srv->lock);
		free(srv);
		return NULL;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon,
		MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : port;
	return srv;
}

unsigned server_port(const server *srv)
{
	return srv->port;
}

static void free_errors(server *srv)
{
	for (size_t i = 0; i < srv->n_errors; i++)
		free(srv->errors[i]);
	free(srv->errors);
	srv->errors = NULL;
	srv->n_errors = 0;
}

void server_update(server *srv, const char *const *errors, size_t n, const char *commit,
	int changed)
{
	pthread_mutex_lock(&srv->lock);
	int same_errors = n == srv->n_errors;
	for (size_t i = 0; same_errors && i < n; i++)
		same_errors = strcmp(errors[i], srv->errors[i]) == 0;
	free_errors(srv);
	srv->errors = n ? xcalloc(n, sizeof(char *)) : NULL;
	for (size_t i = 0; i < n; i++)
		srv->errors[i] = xstrdup(errors[i]);
	srv->n_errors = n;
	snprintf(srv->commit, sizeof(srv->commit), "%s", commit ? commit : "");
	srv->builds++;
	if (changed || !same_errors) {
		srv->generation++;
		pthread_cond_broadcast(&srv->changed);
	}
	pthread_mutex_unlock(&srv->lock);
}

void server_reload(server *srv)
{
	pthread_mutex_lock(&srv->lock);
	srv->generation++;
	pthread_cond_broadcast(&srv->changed);
	pthread_mutex_unlock(&srv->lock);
}

void server_stop(server *srv)
{
	if (!srv)
		return;
	pthread_mutex_lock(&srv->lock);
	srv->stopping = 1;
	pthread_cond_broadcast(&srv->changed);
	pthread_mutex_unlock(&srv->lock);
	MHD_stop_daemon(srv->daemon);
	free_errors(srv);
	pthread_cond_destroy(&srv->changed);
	pthread_mutex_destroy(&srv->lock);
	free(srv);
}
