/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-serve.c - the /metrics server in this process, on a loopback port the
 * kernel picks, reading a fixture tree: answers to good and bad requests,
 * self metrics, the cache and scrape sharing, the port-in-use error, a
 * clean stop (leaks show under ASan).
 */
#include <pthread.h>

#include "../test-probe.h"

#include "http-util.h"
#include "prom-parse.h"

#define LOAD RTLAB_PF_BIT(RTLAB_PF_LOAD)

struct srv {
	struct rtlab_ctx *ctx;
	struct log_capture log;
	struct rtlab_probe_server *s;
	int port;
	char root[PATH_MAX];
};

/* srv_start - a server for @families below @root with @cache_ns; 0 or its error. */
static int srv_start(struct srv *t, const char *listen, const char *root, uint64_t families,
		     uint64_t cache_ns)
{
	struct rtlab_probe_opts po = { .root = root };
	/* Idle connections (garbage that never completes a request) closed after 2 s. */
	struct rtlab_probe_server_opts o = { .listen = listen, .families = families,
					     .cache_ns = cache_ns, .probe = &po, .timeout_s = 2 };
	int r;

	memset(t, 0, sizeof(*t));
	t->ctx = new_ctx(&t->log);
	r = rtlab_probe_server_start(t->ctx, &o, &t->s);
	if (r == 0)
		t->port = atoi(strrchr(rtlab_probe_server_addr(t->s), ':') + 1);
	return r;
}

/* srv_fixture - a server on the vm fixture tree, load family only. */
static void srv_fixture(struct srv *t, uint64_t cache_ns)
{
	char root[PATH_MAX];

	cr_assert_eq(srv_start(t, "127.0.0.1:0", fixture_root("vm", root, sizeof(root)), LOAD,
			       cache_ns), 0, "%s", t->log.msg);
	cr_assert_gt(t->port, 0);
}

/* srv_stop - stop and free. */
static void srv_stop(struct srv *t)
{
	cr_assert_null(rtlab_probe_server_stop(t->s));
	rtlab_ctx_free(t->ctx);
}

/* metric_value - the value of sample @key in a scrape's body (NAN if absent). */
static double metric_value(const struct rtlab_buf *resp, const char *key)
{
	struct pp_set set;
	const struct pp_sample *s;
	double v;

	cr_assert(pp_parse(http_body(resp), &set), "%s", set.err);
	s = pp_find(&set, key);
	v = s ? s->value : NAN;
	pp_free(&set);
	return v;
}

/* GET /metrics: the families' samples and the self metrics, in the right content type. */
Test(serve, metrics)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_buf r = { 0 };
	struct srv t;

	cr_assert_eq(rtlab_probe_collect(p, LOAD, d), 0);
	srv_fixture(&t, 0);
	cr_assert_eq(http_request(t.port, "GET", "/metrics", &r), 200, "%s", r.data);
	cr_assert(http_header(&r, "Content-Type: text/plain; version=0.0.4; charset=utf-8"),
		  "%s", r.data);
	cr_assert_float_eq(metric_value(&r, "node_load1"), d->load.load1.v, 0);
	cr_assert_eq(metric_value(&r, "rtlab_probe_family_up{family=\"load\"}"), 1);
	cr_assert_eq(metric_value(&r, "rtlab_probe_renderings_total"), 1);
	cr_assert_geq(metric_value(&r, "rtlab_probe_scrape_duration_seconds"), 0);
	cr_assert_geq(metric_value(&r, "rtlab_probe_family_collect_seconds{family=\"load\"}"), 0);
	cr_assert_gt(metric_value(&r, "rtlab_process_resident_memory_bytes"), 1 << 20);
	cr_assert_eq(metric_value(&r, "rtlab_probe_invalid_samples"), 0);
	/* A query string is not part of the path. */
	cr_assert_eq(http_request(t.port, "GET", "/metrics?debug=1", &r), 200);
	srv_stop(&t);
	rtlab_buf_free(&r);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* HEAD, the index page, and everything that is not GET or HEAD of / and /metrics. */
Test(serve, methods_and_paths)
{
	struct rtlab_buf r = { 0 };
	struct srv t;

	srv_fixture(&t, 0);
	cr_assert_eq(http_request(t.port, "HEAD", "/metrics", &r), 200);
	cr_assert_str_eq(http_body(&r), "");
	cr_assert_eq(http_request(t.port, "GET", "/", &r), 200);
	cr_assert(http_header(&r, "Content-Type: text/html; charset=utf-8"));
	cr_assert(strstr(http_body(&r), "<a href=\"/metrics\">") != NULL);
	cr_assert(strstr(http_body(&r), "Families: load<") != NULL, "%s", http_body(&r));
	cr_assert_eq(http_request(t.port, "POST", "/metrics", &r), 405);
	cr_assert(http_header(&r, "Allow: GET, HEAD"), "%s", r.data);
	cr_assert_eq(http_request(t.port, "DELETE", "/", &r), 405);
	cr_assert_eq(http_request(t.port, "PUT", "/metrics", &r), 405);
	cr_assert_eq(http_request(t.port, "GET", "/nope", &r), 404);
	cr_assert_eq(http_request(t.port, "GET", "/metrics/", &r), 404);
	cr_assert_eq(http_request(t.port, "POST", "/nope", &r), 404);
	srv_stop(&t);
	rtlab_buf_free(&r);
}

/* Keep-alive: two requests on one connection, both answered. */
Test(serve, keep_alive)
{
	static const char two[] = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
				  "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	struct rtlab_buf r = { 0 };
	struct srv t;
	const char *second;

	srv_fixture(&t, 0);
	cr_assert_eq(http_raw(t.port, two, sizeof(two) - 1, &r), 200);
	second = strstr(r.data + 1, "HTTP/1.1 200 OK\r\n");
	cr_assert_not_null(second, "%s", r.data);
	cr_assert(strstr(second, "<a href=\"/metrics\">") != NULL);
	srv_stop(&t);
	rtlab_buf_free(&r);
}

/* Request bodies are refused; malformed requests get 400 or a closed connection. */
Test(serve, bodies_and_garbage)
{
	static const char body[] = "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
				   "Connection: close\r\n\r\nhello";
	static const char chunked[] = "GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
				      "chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
	static const char garbage[] = "\x00\x01\x02\xff\r\n\r\n";
	static const char bad_version[] = "GET /metrics HTTP/9.9\r\nHost: x\r\n\r\n";
	struct rtlab_buf r = { 0 };
	struct srv t;
	int st;

	srv_fixture(&t, 0);
	cr_assert_eq(http_raw(t.port, body, sizeof(body) - 1, &r), 413, "%s", r.data);
	cr_assert_eq(http_raw(t.port, chunked, sizeof(chunked) - 1, &r), 413, "%s", r.data);
	st = http_raw(t.port, garbage, sizeof(garbage) - 1, &r);
	cr_assert(st == 400 || st == 0, "garbage: %d", st);
	st = http_raw(t.port, bad_version, sizeof(bad_version) - 1, &r);
	cr_assert(st >= 400 || st == 0, "HTTP/9.9: %d", st);
	cr_assert_eq(http_request(t.port, "GET", "/metrics", &r), 200, "alive after bad input");
	srv_stop(&t);
	rtlab_buf_free(&r);
}

/* Without a cache every scrape renders; with one, scrapes within it share a rendering. */
Test(serve, cache)
{
	struct rtlab_buf r = { 0 };
	struct srv t;

	srv_fixture(&t, 0);
	for (int i = 1; i <= 3; i++) {
		cr_assert_eq(http_request(t.port, "GET", "/metrics", &r), 200);
		cr_assert_eq(metric_value(&r, "rtlab_probe_renderings_total"), i);
	}
	srv_stop(&t);
	srv_fixture(&t, 60 * RTLAB_NSEC_PER_SEC);
	for (int i = 1; i <= 3; i++) {
		cr_assert_eq(http_request(t.port, "GET", "/metrics", &r), 200);
		cr_assert_eq(metric_value(&r, "rtlab_probe_renderings_total"), 1);
	}
	srv_stop(&t);
	rtlab_buf_free(&r);
}

struct scraper {
	int port;
	int ok;
	double last;
};

/* scrape_loop - 25 scrapes; counts the good ones. */
static void *scrape_loop(void *arg)
{
	struct scraper *s = arg;
	struct rtlab_buf r = { 0 };

	for (int i = 0; i < 25; i++) {
		struct pp_set set;

		if (http_request(s->port, "GET", "/metrics", &r) == 200 &&
		    pp_parse(http_body(&r), &set)) {
			const struct pp_sample *x = pp_find(&set, "rtlab_probe_renderings_total");

			s->ok += x != NULL;
			s->last = x ? x->value : s->last;
			pp_free(&set);
		}
	}
	rtlab_buf_free(&r);
	return NULL;
}

/* Concurrent scrapes: all answered, never more renderings than scrapes. */
Test(serve, concurrent_scrapes)
{
	struct scraper sc[4];
	pthread_t th[4];
	double max = 0;
	struct srv t;

	srv_fixture(&t, 0);
	for (int i = 0; i < 4; i++) {
		sc[i] = (struct scraper){ .port = t.port };
		cr_assert_eq(pthread_create(&th[i], NULL, scrape_loop, &sc[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		cr_expect_eq(sc[i].ok, 25, "thread %d", i);
		max = sc[i].last > max ? sc[i].last : max;
	}
	cr_assert_leq(max, 100);
	cr_assert_geq(max, 25);
	srv_stop(&t);
}

/*
 * slow_get - a GET of /metrics on a socket with a small receive buffer, once
 * the first bytes of the answer are there: the rest waits in the server, which
 * is still sending from the rendering's buffer.  The socket, or -1.
 */
static int slow_get(int port)
{
	static const char req[] = "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct pollfd pfd = { .events = POLLIN };
	int small = 4096;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)) < 0 ||
	    connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    !http_send_all(fd, req, sizeof(req) - 1)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	pfd.fd = fd;
	if (poll(&pfd, 1, HTTP_TIMEOUT_S * 1000) != 1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* slow_finish - read the rest of @fd's answer; its renderings_total (NAN if it is not whole). */
static double slow_finish(int fd)
{
	struct rtlab_buf r = { 0 };
	const char *cl;
	double v = NAN;

	http_read_all(fd, &r);
	close(fd);
	cl = r.data ? strstr(r.data, "Content-Length: ") : NULL;
	if (cl && strlen(http_body(&r)) == strtoul(cl + 16, NULL, 10))
		v = metric_value(&r, "rtlab_probe_renderings_total");
	rtlab_buf_free(&r);
	return v;
}

/*
 * small_send_buffers - give the server's listening socket on @port (in this
 * process) a small send buffer, which the connections it accepts inherit:
 * the kernel then takes an answer of the manycore tree in many pieces, so
 * that the response stays in flight while its client does not read.
 */
static void small_send_buffers(int port)
{
	int small = 4096;

	for (int fd = 0; fd < 1024; fd++) {
		struct sockaddr_in a;
		socklen_t len = sizeof(a);
		int listening = 0;
		socklen_t ll = sizeof(listening);

		if (getsockname(fd, (struct sockaddr *)&a, &len) == 0 && a.sin_family == AF_INET &&
		    ntohs(a.sin_port) == port &&
		    getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &ll) == 0 && listening) {
			int r = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));

			cr_assert_eq(r, 0);
			return;
		}
	}
	cr_assert_fail("no listening socket on port %d", port);
}

/*
 * Responses are sent from the render buffers: a rendering never goes into a
 * buffer that a slow client is still being sent from (the second buffer, then
 * a copy when both are held), and each client gets its whole rendering.
 */
Test(serve, slow_readers_keep_their_text)
{
	char root[PATH_MAX];
	struct rtlab_probe_opts po = { .root = fixture_root("manycore", root, sizeof(root)) };
	/* The slow clients wait for the other scrapes: no idle timeout in between. */
	struct rtlab_probe_server_opts o = { .listen = "127.0.0.1:0", .families = RTLAB_PROBE_ALL,
					     .probe = &po, .timeout_s = 60 };
	struct rtlab_buf r = { 0 };
	struct srv t = { 0 };
	int a, c;

	t.ctx = new_ctx(&t.log);
	cr_assert_eq(rtlab_probe_server_start(t.ctx, &o, &t.s), 0, "%s", t.log.msg);
	t.port = atoi(strrchr(rtlab_probe_server_addr(t.s), ':') + 1);
	small_send_buffers(t.port);
	a = slow_get(t.port);
	cr_assert_geq(a, 0);
	cr_assert_eq(http_request(t.port, "GET", "/metrics", &r), 200);
	cr_assert_eq(metric_value(&r, "rtlab_probe_renderings_total"), 2);
	c = slow_get(t.port);
	cr_assert_geq(c, 0);
	for (int i = 4; i <= 5; i++) {
		cr_assert_eq(http_request(t.port, "GET", "/metrics", &r), 200);
		cr_assert_eq(metric_value(&r, "rtlab_probe_renderings_total"), i);
	}
	cr_assert_eq(slow_finish(a), 1);
	cr_assert_eq(slow_finish(c), 3);
	cr_assert_eq(http_request(t.port, "GET", "/metrics", &r), 200);
	cr_assert_eq(metric_value(&r, "rtlab_probe_renderings_total"), 6);
	srv_stop(&t);
	rtlab_buf_free(&r);
}

/* A family that fails: still 200, family_up 0, its samples left out. */
Test(serve, failing_family)
{
	struct rtlab_buf r = { 0 };
	char root[PATH_MAX];
	struct srv t;

	tree_new(root, sizeof(root));
	cr_assert_eq(srv_start(&t, "127.0.0.1:0", root, LOAD, 0), 0);
	cr_assert_eq(http_request(t.port, "GET", "/metrics", &r), 200);
	cr_assert_eq(metric_value(&r, "rtlab_probe_family_up{family=\"load\"}"), 0);
	cr_assert(isnan(metric_value(&r, "node_load1")));
	srv_stop(&t);
	tree_free(root);
	rtlab_buf_free(&r);
}

/* A port in use: -EADDRINUSE, and the message names the address. */
Test(serve, port_in_use)
{
	struct srv a, b;
	char addr[64];

	srv_fixture(&a, 0);
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", a.port);
	cr_assert_eq(srv_start(&b, addr, "/", LOAD, 0), -EADDRINUSE);
	cr_assert(strstr(b.log.msg, addr) != NULL, "%s", b.log.msg);
	cr_assert(strstr(b.log.msg, "in use") != NULL, "%s", b.log.msg);
	rtlab_ctx_free(b.ctx);
	srv_stop(&a);
}

/* A bad address: -EINVAL naming it; nothing started. */
Test(serve, bad_address)
{
	struct srv t;

	cr_assert_eq(srv_start(&t, "localhost", "/", LOAD, 0), -EINVAL);
	cr_assert(strstr(t.log.msg, "'localhost'") != NULL, "%s", t.log.msg);
	rtlab_ctx_free(t.ctx);
}

/* IPv6 loopback, where the machine has it. */
Test(serve, ipv6_loopback)
{
	struct srv t;
	int r = srv_start(&t, "[::1]:0", "/", LOAD, 0);

	if (r == -EAFNOSUPPORT || r == -EADDRNOTAVAIL) {
		rtlab_ctx_free(t.ctx);
		cr_skip_test("no IPv6 loopback here: %s", strerror(-r));
	}
	cr_assert_eq(r, 0, "%s", t.log.msg);
	cr_assert_eq(strncmp(rtlab_probe_server_addr(t.s), "[::1]:", 6), 0);
	srv_stop(&t);
}

/* Default options: loopback 9464 (skipped if something already listens there). */
Test(serve, defaults_are_loopback)
{
	struct rtlab_ctx *ctx = rtlab_ctx_new();
	struct rtlab_probe_server *s = NULL;
	int r = rtlab_probe_server_start(ctx, NULL, &s);

	if (r == -EADDRINUSE) {
		rtlab_ctx_free(ctx);
		cr_skip_test("127.0.0.1:9464 is in use on this machine");
	}
	cr_assert_eq(r, 0);
	cr_assert_str_eq(rtlab_probe_server_addr(s), "127.0.0.1:9464");
	rtlab_probe_server_stop(s);
	rtlab_ctx_free(ctx);
}
