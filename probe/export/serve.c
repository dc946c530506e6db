/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * serve.c - the /metrics HTTP server (libmicrohttpd, internal polling threads).
 *
 * GET or HEAD of /metrics or / are answered (on the request's second call,
 * so that the connection can be kept alive); anything else gets 404 or 405,
 * and any request body 413, as soon as the headers are in.  Scrapes are
 * serialized by a mutex around collect and render; the result is kept as a
 * reference-counted response, served again to every scrape that arrived
 * before that collection began (so simultaneous scrapes cost one
 * collection) and, with cache_ns, to any scrape while it is younger than
 * that.  libmicrohttpd answers malformed HTTP itself.
 *
 * The responses send straight from the render buffers, without a copy: a
 * buffer is busy from its response's creation until libmicrohttpd frees the
 * response (our reference dropped and no connection sending it any more).
 * A rendering goes into a free buffer; one buffer serves one scrape after the
 * other, a second one is made when a rendering starts while the previous one
 * is still being sent, and when both are busy the text is copied (allocated)
 * as a last resort.  The server's start renders once in the calling thread,
 * so that the probe's arrays and the buffer are made there, not in the
 * allocator's arena of an HTTP thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "core-internal.h"
#include "export/export-internal.h"

#define THREADS_DEFAULT 2
#define CONNECTIONS_DEFAULT 64
#define TIMEOUT_DEFAULT_S 10
#define LISTEN_BACKLOG 64

#define CT_PROM "text/plain; version=0.0.4; charset=utf-8"
#define CT_HTML "text/html; charset=utf-8"
#define CT_TEXT "text/plain; charset=utf-8"

/* The fixed answers, made once and queued as often as needed. */
enum fixed {
	FX_INDEX,
	FX_NOT_FOUND,
	FX_NOT_ALLOWED,
	FX_TOO_LARGE,
	FX_FAILED,
	FX__COUNT,
};

#define SLOTS 2

/* A render buffer, and whether a response still sends from it. */
struct slot {
	struct rtlab_buf text;
	atomic_bool busy;
};

struct rtlab_probe_server {
	struct rtlab_ctx *ctx;
	struct MHD_Daemon *mhd;
	pthread_mutex_t lock;		/* scrape, slot texts, spare, cached and its start */
	struct ex_scrape scrape;
	struct slot slot[SLOTS];
	struct rtlab_buf spare;		/* rendered into when all slots are busy (copied) */
	struct MHD_Response *cached;	/* the last rendering (one reference is ours) */
	uint64_t cached_start_ns;	/* when its collection began */
	uint64_t cache_ns;
	struct MHD_Response *fixed[FX__COUNT];
	struct rtlab_buf index;		/* the index page's text */
	char addr[80];
};

static const struct {
	unsigned int status;
	const char *text;
} fixed_text[FX__COUNT] = {
	[FX_NOT_FOUND] = { MHD_HTTP_NOT_FOUND, "Not found: the metrics are at /metrics.\n" },
	[FX_NOT_ALLOWED] = { MHD_HTTP_METHOD_NOT_ALLOWED, "Only GET and HEAD are allowed.\n" },
	[FX_TOO_LARGE] = { MHD_HTTP_CONTENT_TOO_LARGE, "Requests take no body.\n" },
	[FX_FAILED] = { MHD_HTTP_INTERNAL_SERVER_ERROR, "The metrics could not be rendered.\n" },
};

/* has_body - the request announces a body (which is refused). */
static bool has_body(struct MHD_Connection *c)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);

	return MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					   MHD_HTTP_HEADER_TRANSFER_ENCODING) ||
	       (cl && strcmp(cl, "0") != 0);
}

/* slot_released - libmicrohttpd freed the response sending from the slot @cls. */
static void slot_released(void *cls)
{
	struct slot *sl = cls;

	atomic_store(&sl->busy, false);
}

/* response_new - a response of @text, from a slot's buffer (@sl) or copied (@sl NULL). */
static struct MHD_Response *response_new(struct rtlab_buf *text, struct slot *sl)
{
	struct MHD_Response *r;

	if (sl)
		r = MHD_create_response_from_buffer_with_free_callback_cls(text->len, text->data,
									    slot_released, sl);
	else
		r = MHD_create_response_from_buffer(text->len, text->data, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return NULL;
	if (sl)
		atomic_store(&sl->busy, true);
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, CT_PROM) != MHD_YES) {
		MHD_destroy_response(r);
		return NULL;
	}
	return r;
}

/* render_locked - a new rendering as the cached response; false on failure. */
static bool render_locked(struct rtlab_probe_server *s, uint64_t start)
{
	struct MHD_Response *r;
	struct rtlab_buf *text = &s->spare;
	struct slot *sl = NULL;

	/* Ours was the last reference when no connection sends it: its slot is free now. */
	if (s->cached)
		MHD_destroy_response(s->cached);
	s->cached = NULL;
	for (unsigned i = 0; i < SLOTS && !sl; i++)
		if (!atomic_load(&s->slot[i].busy))
			sl = &s->slot[i];
	if (sl)
		text = &sl->text;
	if (ex_scrape_render(&s->scrape, text) < 0)
		return false;
	r = response_new(text, sl);
	if (!r)
		return false;
	s->cached = r;
	s->cached_start_ns = start;
	return true;
}

/* answer_metrics - queue the rendering for a scrape that arrived at @arrival. */
static enum MHD_Result answer_metrics(struct rtlab_probe_server *s, struct MHD_Connection *c,
				      uint64_t arrival)
{
	enum MHD_Result ret;
	uint64_t now;
	bool fresh;

	pthread_mutex_lock(&s->lock);
	now = rtlab_now_ns();
	/* Collected after this scrape arrived (it waited for the lock), or young enough. */
	fresh = s->cached && (s->cached_start_ns >= arrival ||
			      (s->cache_ns && now - s->cached_start_ns < s->cache_ns));
	if (!fresh && !render_locked(s, now)) {
		pthread_mutex_unlock(&s->lock);
		return MHD_queue_response(c, MHD_HTTP_INTERNAL_SERVER_ERROR, s->fixed[FX_FAILED]);
	}
	/* Queued under the lock: the next rendering may drop our reference right after. */
	ret = MHD_queue_response(c, MHD_HTTP_OK, s->cached);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

/* handle - errors answered on a request's first call, GET and HEAD on the second. */
static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **req_cls)
{
	struct rtlab_probe_server *s = cls;
	bool metrics = strcmp(url, "/metrics") == 0;
	enum fixed fx;

	(void)version;
	(void)upload_data;
	if (*req_cls) {
		/* Headers done, no body: the answer (queued now, the connection stays open). */
		if (*upload_data_size) {
			*upload_data_size = 0;
			return MHD_YES;
		}
		if (metrics)
			return answer_metrics(s, c, rtlab_now_ns());
		return MHD_queue_response(c, MHD_HTTP_OK, s->fixed[FX_INDEX]);
	}
	if (!metrics && strcmp(url, "/") != 0)
		fx = FX_NOT_FOUND;
	else if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
		 strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		fx = FX_NOT_ALLOWED;
	else if (has_body(c))
		fx = FX_TOO_LARGE;
	else {
		*req_cls = s;
		return MHD_YES;
	}
	/* Refused at once: libmicrohttpd then closes the connection, body unread. */
	return MHD_queue_response(c, fixed_text[fx].status, s->fixed[fx]);
}

/* mhd_log - libmicrohttpd's messages go to the context's log at debug level. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct rtlab_probe_server *s = cls;
	char msg[512];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	rtlab_log(s->ctx, RTLAB_LOG_DEBUG, "http: %s", msg);
}

/* build_index - the index page: where the metrics are and what is collected. */
static int build_index(struct rtlab_probe_server *s, uint64_t families)
{
	struct rtlab_buf *b = &s->index;
	bool first = true;

	if (rtlab_buf_puts(b, "<!DOCTYPE html>\n<html><head><title>rtlab probe</title></head>"
			      "<body><h1>rtlab probe ") ||
	    ex_escape_str(b, rtlab_version(), EX_ESC_HTML) ||
	    rtlab_buf_puts(b, "</h1>\n<p><a href=\"/metrics\">Metrics</a> (Prometheus text "
			      "format 0.0.4), served on ") ||
	    ex_escape_str(b, s->addr, EX_ESC_HTML) || rtlab_buf_puts(b, "</p>\n<p>Families: "))
		return -ENOMEM;
	for (unsigned f = 0; f < RTLAB_PF__COUNT; f++) {
		if (!(families & RTLAB_PF_BIT(f)))
			continue;
		if ((!first && rtlab_buf_puts(b, ", ")) ||
		    ex_escape_str(b, rtlab_probe_family_name(f), EX_ESC_HTML))
			return -ENOMEM;
		first = false;
	}
	return rtlab_buf_puts(b, "</p>\n</body></html>\n");
}

/* fixed_new - a response from static text (or the index), with its headers. */
static struct MHD_Response *fixed_new(struct rtlab_probe_server *s, enum fixed fx)
{
	const char *text = fx == FX_INDEX ? s->index.data : fixed_text[fx].text;
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return NULL;
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				    fx == FX_INDEX ? CT_HTML : CT_TEXT) != MHD_YES ||
	    (fx == FX_NOT_ALLOWED &&
	     MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") != MHD_YES)) {
		MHD_destroy_response(r);
		return NULL;
	}
	return r;
}

/* bind_socket - a socket of @family bound to @sa and listening; -errno. */
static int bind_socket(int family, const struct sockaddr *sa, socklen_t len, bool dual)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1, zero = 0;

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (dual && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) < 0) ||
	    bind(fd, sa, len) < 0 || listen(fd, LISTEN_BACKLOG) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* open_listener - the listening socket for @text; ":PORT" falls back to IPv4 without IPv6. */
static int open_listener(struct rtlab_probe_server *s, const char *text)
{
	struct rtlab_listen_addr a;
	struct sockaddr_storage got;
	socklen_t glen = sizeof(got);
	int fd;

	if (rtlab_listen_parse(text, &a) < 0)
		return rtlab_err(s->ctx, -EINVAL,
				 "listen address '%s': expected HOST:PORT, [IPv6]:PORT or :PORT",
				 text);
	fd = bind_socket(a.ss.ss_family, (struct sockaddr *)&a.ss, a.len, a.any);
	if (fd == -EAFNOSUPPORT && a.any) {
		struct sockaddr_in v4 = { .sin_family = AF_INET,
					  .sin_port = ((struct sockaddr_in6 *)&a.ss)->sin6_port,
					  .sin_addr.s_addr = htonl(INADDR_ANY) };

		fd = bind_socket(AF_INET, (struct sockaddr *)&v4, sizeof(v4), false);
	}
	if (fd < 0)
		return rtlab_err(s->ctx, fd, "listen on %s: %s", text, ex_strerror(fd));
	if (getsockname(fd, (struct sockaddr *)&got, &glen) < 0 ||
	    rtlab_sockaddr_format((struct sockaddr *)&got, glen, s->addr, sizeof(s->addr)) < 0)
		rtlab_strlcpy(s->addr, text, sizeof(s->addr));
	return fd;
}

/* start_mhd - the daemon on listening socket @fd (which it then owns). */
static int start_mhd(struct rtlab_probe_server *s, int fd, const struct rtlab_probe_server_opts *o)
{
	unsigned int threads = o->threads ? o->threads : THREADS_DEFAULT;
	unsigned int conns = o->max_connections ? o->max_connections : CONNECTIONS_DEFAULT;
	unsigned int timeout = o->timeout_s ? o->timeout_s : TIMEOUT_DEFAULT_S;

	s->mhd = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
				  handle, s, MHD_OPTION_LISTEN_SOCKET, fd,
				  MHD_OPTION_THREAD_POOL_SIZE, threads,
				  MHD_OPTION_CONNECTION_LIMIT, conns,
				  MHD_OPTION_CONNECTION_TIMEOUT, timeout,
				  MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s, MHD_OPTION_END);
	if (!s->mhd) {
		/* Refused options leave the socket to us; later failures may have closed it. */
		if (fcntl(fd, F_GETFD) != -1)
			close(fd);
		return rtlab_err(s->ctx, -EIO, "listen on %s: the HTTP server could not start",
				 s->addr);
	}
	return 0;
}

/* rtlab_probe_server_start - see probe-export.h. */
int rtlab_probe_server_start(struct rtlab_ctx *ctx, const struct rtlab_probe_server_opts *o,
			     struct rtlab_probe_server **ret)
{
	static const struct rtlab_probe_server_opts defaults;
	uint64_t families;
	struct rtlab_probe_server *s;
	int r, fd;

	if (!o)
		o = &defaults;
	families = o->families ? o->families : RTLAB_PROBE_DEFAULT;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->ctx = ctx;
	s->cache_ns = o->cache_ns;
	pthread_mutex_init(&s->lock, NULL);
	r = ex_scrape_init(&s->scrape, ctx, o->probe, families);
	if (r < 0) {
		rtlab_probe_server_stop(s);
		return rtlab_err(ctx, r, "probe: %s", ex_strerror(r));
	}
	fd = open_listener(s, o->listen ? o->listen : RTLAB_PROBE_LISTEN_DEFAULT);
	if (fd < 0) {
		rtlab_probe_server_stop(s);
		return fd;
	}
	r = build_index(s, families);
	for (unsigned i = 0; !r && i < FX__COUNT; i++)
		if (!(s->fixed[i] = fixed_new(s, i)))
			r = -ENOMEM;
	if (r < 0) {
		close(fd);
		rtlab_probe_server_stop(s);
		return rtlab_err(ctx, -ENOMEM, "listen on %s: out of memory", s->addr);
	}
	/* Made here, in the caller's thread; a failure shows in the first scrape. */
	if (ex_scrape_render(&s->scrape, &s->slot[0].text) < 0)
		rtlab_log(ctx, RTLAB_LOG_DEBUG, "probe: the first collection failed");
	s->scrape.renderings = 0;
	r = start_mhd(s, fd, o);
	if (r < 0) {
		rtlab_probe_server_stop(s);
		return r;
	}
	*ret = s;
	return 0;
}

/* rtlab_probe_server_addr - the address as bound. */
const char *rtlab_probe_server_addr(const struct rtlab_probe_server *s)
{
	return s->addr;
}

/* rtlab_probe_server_stop - threads stopped first, then everything freed. */
struct rtlab_probe_server *rtlab_probe_server_stop(struct rtlab_probe_server *s)
{
	if (!s)
		return NULL;
	if (s->mhd)
		MHD_stop_daemon(s->mhd);
	if (s->cached)
		MHD_destroy_response(s->cached);
	for (unsigned i = 0; i < FX__COUNT; i++)
		if (s->fixed[i])
			MHD_destroy_response(s->fixed[i]);
	ex_scrape_fini(&s->scrape);
	for (unsigned i = 0; i < SLOTS; i++)
		rtlab_buf_free(&s->slot[i].text);
	rtlab_buf_free(&s->spare);
	rtlab_buf_free(&s->index);
	pthread_mutex_destroy(&s->lock);
	free(s);
	return NULL;
}
