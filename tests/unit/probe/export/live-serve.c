/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * live-serve.c - "rtlab probe serve" as a process on this machine: 8 threads
 * x 50 scrapes all answered and parseable; bad requests answered 4xx (or the
 * connection closed) with the server alive after them; slow connections that
 * never finish their request do not hold up scrapes; SIGTERM and SIGINT end
 * it with status 0 within 2 s; a port in use is a clear error (status 1).
 */
#include <pthread.h>

#include "http-util.h"
#include "prom-parse.h"
#include "spawn-util.h"

#define THREADS 8
#define SCRAPES 50

TestSuite(serve_live, .fini = children_kill, .timeout = 240);

struct scraper {
	int port;
	int ok;
	char err[256];
};

/* scrape_loop - SCRAPES sequential scrapes; counts those answered 200 that parse. */
static void *scrape_loop(void *arg)
{
	struct scraper *s = arg;
	struct rtlab_buf r = { 0 };

	for (int i = 0; i < SCRAPES; i++) {
		struct pp_set set;
		int st = http_request(s->port, "GET", "/metrics", &r);

		if (st != 200) {
			snprintf(s->err, sizeof(s->err), "status %d", st);
			continue;
		}
		if (!pp_parse(http_body(&r), &set)) {
			snprintf(s->err, sizeof(s->err), "%s", set.err);
			continue;
		}
		s->ok += pp_find(&set, "rtlab_probe_scrape_duration_seconds") != NULL;
		pp_free(&set);
	}
	rtlab_buf_free(&r);
	return NULL;
}

/* Concurrent scrapes from 8 threads: every one answered with a parseable text. */
Test(serve_live, concurrent_scrapes)
{
	struct scraper sc[THREADS];
	pthread_t th[THREADS];
	int port, errfd, total = 0;
	pid_t pid = serve_start(NULL, &port, &errfd);

	for (int i = 0; i < THREADS; i++) {
		sc[i] = (struct scraper){ .port = port };
		cr_assert_eq(pthread_create(&th[i], NULL, scrape_loop, &sc[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		cr_expect_eq(sc[i].ok, SCRAPES, "thread %d: %d good scrapes; last problem: %s", i,
			     sc[i].ok, sc[i].err);
		total += sc[i].ok;
	}
	cr_log_info("%d of %d concurrent scrapes good", total, THREADS * SCRAPES);
	cr_assert_eq(stop(pid, 2000), 0);
	close(errfd);
}

/* bad_requests - each answered 4xx, or its connection closed. */
static void bad_requests(int port)
{
	static const char garbage[] = "\x00\x01\x02\x03\xff\xfe\r\n\r\n";
	static const char body[] = "GET /metrics HTTP/1.1\r\nHost: x\r\n"
				   "Content-Length: 99999999\r\n\r\n";
	struct rtlab_buf r = { 0 }, big = { 0 };
	int st;

	cr_assert_eq(http_request(port, "POST", "/metrics", &r), 405);
	cr_assert(http_header(&r, "Allow: GET, HEAD"));
	cr_assert_eq(http_request(port, "GET", "/nope", &r), 404);
	cr_assert_eq(http_request(port, "OPTIONS", "/", &r), 405);
	/* A request line of 100 KB. */
	rtlab_buf_puts(&big, "GET /");
	for (int i = 0; i < 100 * 1024; i++)
		rtlab_buf_append(&big, "a", 1);
	rtlab_buf_puts(&big, " HTTP/1.1\r\nHost: x\r\n\r\n");
	st = http_raw(port, big.data, big.len, &r);
	cr_assert(st == 0 || (st >= 400 && st < 500), "100 KB request line: %d", st);
	st = http_raw(port, garbage, sizeof(garbage) - 1, &r);
	cr_assert(st == 0 || st == 400, "garbage: %d", st);
	st = http_raw(port, body, sizeof(body) - 1, &r);
	cr_assert(st == 413 || st == 0, "announced body: %d", st);
	rtlab_buf_free(&big);
	rtlab_buf_free(&r);
}

/* Bad requests are refused and the server keeps serving. */
Test(serve_live, bad_requests_refused)
{
	struct rtlab_buf r = { 0 };
	int port, errfd;
	pid_t pid = serve_start(NULL, &port, &errfd);

	bad_requests(port);
	cr_assert_eq(http_request(port, "GET", "/metrics", &r), 200, "alive after bad requests");
	cr_assert_eq(wait_ms(pid, 0), -1, "still running");
	cr_assert_eq(stop(pid, 2000), 0);
	close(errfd);
	rtlab_buf_free(&r);
}

/* Slow connections that never finish a request do not hold up scrapes. */
Test(serve_live, slowloris_does_not_block)
{
	struct rtlab_buf r = { 0 };
	static const char slow_start[] = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ";
	int port, errfd, slow[10];
	pid_t pid = serve_start(NULL, &port, &errfd);

	for (int i = 0; i < 10; i++) {
		slow[i] = http_connect(port);
		cr_assert_geq(slow[i], 0);
		cr_assert(http_send_all(slow[i], slow_start, sizeof(slow_start) - 1));
	}
	for (int i = 0; i < 5; i++) {
		long long t0 = ms_now();

		cr_assert_eq(http_request(port, "GET", "/metrics", &r), 200);
		cr_assert_lt(ms_now() - t0, 2000, "a scrape took %lld ms beside slow connections",
			     ms_now() - t0);
	}
	for (int i = 0; i < 10; i++)
		close(slow[i]);
	cr_assert_eq(stop(pid, 2000), 0);
	close(errfd);
	rtlab_buf_free(&r);
}

/* SIGTERM and SIGINT: a clean stop, status 0, within 2 s, even right after scrapes. */
Test(serve_live, signals_stop_cleanly)
{
	static const int sigs[] = { SIGTERM, SIGINT };
	struct rtlab_buf r = { 0 };

	for (size_t i = 0; i < 2; i++) {
		int port, errfd, st;
		pid_t pid = serve_start(NULL, &port, &errfd);
		long long t0;

		cr_assert_eq(http_request(port, "GET", "/metrics", &r), 200);
		t0 = ms_now();
		kill(pid, sigs[i]);
		st = wait_ms(pid, 2000);
		cr_assert_eq(st, 0, "signal %d: status %d after %lld ms", sigs[i], st,
			     ms_now() - t0);
		close(errfd);
	}
	rtlab_buf_free(&r);
}

/* A port in use: status 1 and a message naming the address. */
Test(serve_live, port_in_use)
{
	char addr[64], line[512];
	int port, errfd, fd;
	pid_t pid = serve_start(NULL, &port, &errfd), second;
	char *argv[] = { (char *)rtlab_bin(), "probe", "serve", "--listen", addr, NULL };

	snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
	second = spawn(argv, NULL, &fd, NULL);
	cr_assert_eq(wait_ms(second, 5000), 1);
	cr_assert(read_line(fd, line, sizeof(line), 1000));
	cr_assert(strstr(line, addr) != NULL && strstr(line, "in use") != NULL, "%s", line);
	close(fd);
	cr_assert_eq(stop(pid, 2000), 0);
	close(errfd);
}
