/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe-scrape.c - /metrics scrape time and RSS of `rtlab probe serve` next
 * to node_exporter, scraped alternately so that both see the same noise.
 *
 *	bench-probe-scrape RTLAB NODE_EXPORTER [--rounds N]
 *
 * Both servers listen on loopback ports of their own; each round GETs
 * /metrics from one then the other over a new connection and reads the whole
 * body.  Prints the median and 90th percentile times, their ratio, body sizes,
 * and VmRSS / VmHWM of both processes after the scrapes.  Both are killed at
 * the end, also on failure.  Then as many rounds again, untimed, keep
 * rtlab's bodies: from its own metrics, the medians of its server-side time
 * split into the collection (the sum of rtlab_probe_family_collect_seconds)
 * and the rest of rtlab_probe_scrape_duration_seconds (the rendering).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct server {
	const char *name;
	pid_t pid;
	int port;
	uint64_t *t;
	uint64_t *collect, *render;	/* rtlab's own figures of its scrapes, in ns */
	size_t body;
};

/* A response as read: the body is kept for rtlab's own metrics. */
struct resp {
	char *data;
	size_t len, cap;
};

/* now_ns - CLOCK_MONOTONIC in ns. */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* scrape - GET /metrics from 127.0.0.1:@port into @r (NULL: not kept); the size, or -1. */
static long scrape(int port, struct resp *r)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	static const char req[] = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				  "Connection: close\r\n\r\n";
	char buf[65536];
	long total = 0;
	bool ok = false;
	int fd;

	if (r)
		r->len = 0;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0)
			break;
		if (total == 0 && n > 12 && memcmp(buf + 9, "200", 3) == 0)
			ok = true;
		total += n;
		if (r && r->len + (size_t)n + 1 > r->cap) {
			size_t cap = (r->len + (size_t)n + 1) * 2;
			char *p = realloc(r->data, cap);

			if (!p) {
				close(fd);
				return -1;
			}
			r->data = p;
			r->cap = cap;
		}
		if (r) {
			memcpy(r->data + r->len, buf, (size_t)n);
			r->len += (size_t)n;
			r->data[r->len] = '\0';
		}
	}
	close(fd);
	return ok ? total : -1;
}

/* self_split - from rtlab's body: collection and rendering time of its scrape, in ns. */
static void self_split(const struct resp *r, uint64_t *collect, uint64_t *render)
{
	static const char dur[] = "\nrtlab_probe_scrape_duration_seconds ";
	static const char fam[] = "\nrtlab_probe_family_collect_seconds{";
	const char *p = r->data ? strstr(r->data, dur) : NULL;
	double total = p ? strtod(p + sizeof(dur) - 1, NULL) : 0, c = 0;

	for (const char *q = r->data; q && (q = strstr(q, fam)); q++) {
		const char *sp = strchr(q + 1, ' ');

		if (sp && sp < strchr(q + 1, '\n'))
			c += strtod(sp + 1, NULL);
	}
	*collect = (uint64_t)(c * 1e9);
	*render = total > c ? (uint64_t)((total - c) * 1e9) : 0;
}

/* start - run @argv in the background. */
static pid_t start(char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* wait_ready - until @port answers /metrics with 200 (10 s at most). */
static bool wait_ready(int port)
{
	for (int i = 0; i < 200; i++) {
		if (scrape(port, NULL) > 0)
			return true;
		usleep(50000);
	}
	return false;
}

/* status_kb - a "Key:  N kB" line of /proc/@pid/status. */
static long status_kb(pid_t pid, const char *key)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtol(line + strlen(key), NULL, 10);
	fclose(f);
	return v;
}

/* cmp_u64 - qsort order. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* stop - SIGTERM then reap. */
static void stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
}

int main(int argc, char **argv)
{
	struct server s[2] = { { .name = "rtlab probe serve", .port = 19464 },
			       { .name = "node_exporter", .port = 19100 } };
	char listen0[64], listen1[64];
	struct resp body = { 0 };
	size_t rounds = 200;
	int rc = 1;

	if (argc == 5 && strcmp(argv[3], "--rounds") == 0)
		rounds = strtoul(argv[4], NULL, 10);
	else if (argc != 3) {
		fprintf(stderr, "usage: %s RTLAB NODE_EXPORTER [--rounds N]\n", argv[0]);
		return 2;
	}
	snprintf(listen0, sizeof(listen0), "127.0.0.1:%d", s[0].port);
	snprintf(listen1, sizeof(listen1), "--web.listen-address=127.0.0.1:%d", s[1].port);
	s[0].pid = start((char *const[]){ argv[1], "probe", "serve", "--listen", listen0, NULL });
	s[1].pid = start((char *const[]){ argv[2], listen1, NULL });
	for (int k = 0; k < 2; k++) {
		s[k].t = calloc(rounds, sizeof(uint64_t));
		s[k].collect = calloc(rounds, sizeof(uint64_t));
		s[k].render = calloc(rounds, sizeof(uint64_t));
		if (!s[k].t || !s[k].collect || !s[k].render) {
			fprintf(stderr, "bench: out of memory\n");
			goto out;
		}
		if (!wait_ready(s[k].port)) {
			fprintf(stderr, "bench: %s did not answer on port %d\n", s[k].name,
				s[k].port);
			goto out;
		}
	}
	for (int w = 0; w < 10; w++)
		for (int k = 0; k < 2; k++)
			scrape(s[k].port, NULL);
	for (size_t i = 0; i < rounds; i++) {
		for (int k = 0; k < 2; k++) {
			int kk = (int)((i + (size_t)k) % 2);
			uint64_t t0 = now_ns();
			long n = scrape(s[kk].port, NULL);

			s[kk].t[i] = now_ns() - t0;
			if (n < 0) {
				fprintf(stderr, "bench: scrape of %s failed\n", s[kk].name);
				goto out;
			}
			s[kk].body = (size_t)n;
		}
	}
	printf("%-20s %12s %12s %10s %10s %10s\n", "server", "median_ms", "p90_ms", "bytes",
	       "rss_kb", "hwm_kb");
	for (int k = 0; k < 2; k++) {
		qsort(s[k].t, rounds, sizeof(uint64_t), cmp_u64);
		printf("%-20s %12.3f %12.3f %10zu %10ld %10ld\n", s[k].name,
		       (double)s[k].t[rounds / 2] / 1e6, (double)s[k].t[rounds * 9 / 10] / 1e6,
		       s[k].body, status_kb(s[k].pid, "VmRSS:"), status_kb(s[k].pid, "VmHWM:"));
	}
	printf("scrape time ratio node_exporter/rtlab (median): %.1f x\n",
	       (double)s[1].t[rounds / 2] / (double)s[0].t[rounds / 2]);
	printf("RSS ratio rtlab/node_exporter: %.2f\n",
	       (double)status_kb(s[0].pid, "VmRSS:") / (double)status_kb(s[1].pid, "VmRSS:"));
	/* The same alternation, untimed, keeping rtlab's bodies. */
	for (size_t i = 0; i < rounds; i++) {
		for (int k = 0; k < 2; k++) {
			int kk = (int)((i + (size_t)k) % 2);

			if (scrape(s[kk].port, &body) < 0) {
				fprintf(stderr, "bench: scrape of %s failed\n", s[kk].name);
				goto out;
			}
			if (kk == 0)
				self_split(&body, &s[0].collect[i], &s[0].render[i]);
		}
	}
	qsort(s[0].collect, rounds, sizeof(uint64_t), cmp_u64);
	qsort(s[0].render, rounds, sizeof(uint64_t), cmp_u64);
	printf("rtlab server side (its own metrics, median): collect %.3f ms, render %.3f ms\n",
	       (double)s[0].collect[rounds / 2] / 1e6, (double)s[0].render[rounds / 2] / 1e6);
	rc = 0;
out:
	stop(s[0].pid);
	stop(s[1].pid);
	for (int k = 0; k < 2; k++) {
		free(s[k].t);
		free(s[k].collect);
		free(s[k].render);
	}
	free(body.data);
	return rc;
}
