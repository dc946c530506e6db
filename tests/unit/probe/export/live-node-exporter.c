/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * live-node-exporter.c - rtlab against node_exporter on this machine.
 *
 * node_exporter's /metrics is fetched, then "rtlab probe --prom --all" run
 * right after; every sample whose name and label set both have is compared.
 * Tolerances (first rule that matches the name wins):
 *   *_info, *_up, *_carrier, *_readonly, *_device_error   exact (boolean/info)
 *   node_memory_*                 2 % of MemTotal (absolute)
 *   node_filesystem_*             1 % relative, +64 (file counts)
 *   node_load*                    0.5
 *   *_celsius                     2 °C
 *   node_procs_*                  8 (processes come and go)
 *   node_sockstat_*, node_netstat_Tcp_CurrEstab
 *                                 10 % relative + 32 (this test's own sockets)
 *   node_time_seconds             5 s; node_boot_time_seconds 2 s
 *   node_entropy_*                512 bits
 *   node_timex_*                  10 % relative + 0.01
 *   counters (TYPE counter in rtlab's text): 5 % relative, or an absolute slack
 *     for what happens between the two reads: *_bytes_total 4 MiB (the
 *     scrape itself crosses the loopback), *_packets_total 2000, others 100
 *   any other gauge               5 % relative + 1
 * It fails on any difference beyond those, and if fewer than 20 samples could
 * be compared.  The names node_exporter has and rtlab lacks are listed (not
 * a failure: a map of what is left to do).
 */
#include "http-util.h"
#include "prom-parse.h"
#include "spawn-util.h"

#define NODE_EXPORTER "/usr/bin/prometheus-node-exporter"
#define MIN_COMPARED 20
#define LIST_MAX 60

TestSuite(node_exporter_live, .fini = children_kill, .timeout = 180);

struct rule {
	const char *pat;	/* a prefix, or with a leading '*' a suffix */
	double rel, abs;
	bool memtotal;		/* abs is a fraction of MemTotal */
};

static const struct rule rules[] = {
	{ "*_info", 0, 0, false },
	{ "*_up", 0, 0, false },
	{ "*_carrier", 0, 0, false },
	{ "*_readonly", 0, 0, false },
	{ "*_device_error", 0, 0, false },
	{ "node_memory_", 0, 0.02, true },
	{ "node_filesystem_", 0.01, 64, false },
	{ "node_load", 0, 0.5, false },
	{ "*_celsius", 0, 2, false },
	{ "node_procs_", 0, 8, false },
	{ "node_sockstat_", 0.10, 32, false },
	{ "node_netstat_Tcp_CurrEstab", 0.10, 32, false },
	{ "node_time_seconds", 0, 5, false },
	{ "node_boot_time_seconds", 0, 2, false },
	{ "node_entropy_", 0, 512, false },
	{ "node_timex_", 0.10, 0.01, false },
};

/* matches - @name against a rule's prefix or *suffix. */
static bool matches(const char *name, const char *pat)
{
	size_t n = strlen(name), p = strlen(pat);

	if (pat[0] == '*')
		return n >= p - 1 && strcmp(name + n - (p - 1), pat + 1) == 0;
	return strncmp(name, pat, p) == 0;
}

/* tolerance - how far rtlab's value may be from node_exporter's for this sample. */
static double tolerance(const struct pp_sample *s, double a, double b, double memtotal)
{
	double big = fabs(a) > fabs(b) ? fabs(a) : fabs(b);

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (matches(s->name, rules[i].pat))
			return rules[i].rel * big + (rules[i].memtotal ? rules[i].abs * memtotal :
								       rules[i].abs);
	if (strcmp(s->type, "counter") == 0) {
		double slack = matches(s->name, "*_bytes_total") ? 4 << 20 :
			       matches(s->name, "*_packets_total") ? 2000 : 100;

		return 0.05 * big > slack ? 0.05 * big : slack;
	}
	return 0.05 * big + 1;
}

/* cmp_key - samples by key. */
static int cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct pp_sample *)a)->key, ((const struct pp_sample *)b)->key);
}

/* node_fetch - node_exporter's text into @set. */
static void node_fetch(int port, struct pp_set *set)
{
	struct rtlab_buf r = { 0 };
	long long end = ms_now() + 15000;
	int st;

	/* It takes a moment to listen. */
	while ((st = http_get10(port, "/metrics", &r)) != 200 && ms_now() < end)
		usleep(100000);
	cr_assert_eq(st, 200, "node_exporter did not answer on port %d", port);
	cr_assert(pp_parse(http_body(&r), set), "node_exporter's text: %s", set->err);
	rtlab_buf_free(&r);
}

/* rtlab_fetch - "rtlab probe --prom --all" into @set. */
static void rtlab_fetch(struct pp_set *set)
{
	char *argv[] = { (char *)rtlab_bin(), "probe", "--prom", "--all", NULL };
	struct rtlab_buf out = { 0 };
	int fd;
	pid_t pid = spawn(argv, &fd, NULL, NULL);

	read_all(fd, &out, 60000);
	close(fd);
	cr_assert_eq(wait_ms(pid, 10000), 0, "rtlab probe --prom --all failed");
	cr_assert(pp_parse(out.data, set), "rtlab's text: %s", set->err);
	rtlab_buf_free(&out);
}

/* log_missing - names node_exporter has and rtlab lacks (its own metrics left out). */
static void log_missing(const struct pp_set *node, const struct pp_set *rt)
{
	static const char *const own[] = { "go_", "process_", "promhttp_", "node_scrape_",
					   "node_exporter_", "node_textfile_" };
	char line[4096] = "";
	size_t len = 0, n = 0;

	for (size_t i = 0; i < node->n; i++) {
		const char *name = node->s[i].name;
		bool skip = i && strcmp(name, node->s[i - 1].name) == 0;

		for (size_t k = 0; !skip && k < sizeof(own) / sizeof(own[0]); k++)
			skip = matches(name, own[k]);
		for (size_t k = 0; !skip && k < rt->n; k++)
			skip = strcmp(rt->s[k].name, name) == 0;
		if (skip)
			continue;
		n++;
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s ", name);
		if (len > 200) {
			cr_log_info("node_exporter has, rtlab lacks: %s", line);
			line[0] = '\0';
			len = 0;
		}
	}
	if (len)
		cr_log_info("node_exporter has, rtlab lacks: %s", line);
	cr_log_info("%zu metric names of node_exporter are not in rtlab", n);
}

/* Every sample both have agrees within the stated tolerances. */
Test(node_exporter_live, same_samples_agree)
{
	char flag[64];
	struct pp_set node, rt;
	const struct pp_sample *mt;
	double memtotal;
	size_t compared = 0, bad = 0;
	int port;
	pid_t pid;

	if (access(NODE_EXPORTER, X_OK) != 0)
		cr_skip_test("%s is not installed (apt-get install prometheus-node-exporter)",
			     NODE_EXPORTER);
	port = free_port();
	snprintf(flag, sizeof(flag), "--web.listen-address=127.0.0.1:%d", port);
	{
		char *argv[] = { NODE_EXPORTER, flag, NULL };

		pid = spawn(argv, NULL, NULL, NULL);
	}
	node_fetch(port, &node);
	rtlab_fetch(&rt);
	stop(pid, 5000);

	mt = pp_find(&node, "node_memory_MemTotal_bytes");
	memtotal = mt ? mt->value : 0;
	log_missing(&node, &rt);
	qsort(node.s, node.n, sizeof(node.s[0]), cmp_key);
	for (size_t i = 0; i < rt.n; i++) {
		const struct pp_sample *a = &rt.s[i];
		const struct pp_sample *b = bsearch(a, node.s, node.n, sizeof(node.s[0]), cmp_key);
		double tol;

		if (!b)
			continue;
		compared++;
		if (isnan(a->value) && isnan(b->value))
			continue;
		tol = tolerance(a, a->value, b->value, memtotal);
		if (fabs(a->value - b->value) <= tol)
			continue;
		if (bad++ < LIST_MAX)
			cr_log_warn("mismatch %s: rtlab %.17g, node_exporter %.17g (tolerance %g)",
				    a->key, a->value, b->value, tol);
	}
	cr_log_info("%zu samples compared with node_exporter, %zu beyond tolerance (of %zu rtlab "
		    "and %zu node_exporter samples)", compared, bad, rt.n, node.n);
	cr_expect_eq(bad, 0, "%zu samples differ from node_exporter's beyond tolerance", bad);
	cr_expect_geq(compared, MIN_COMPARED, "only %zu samples could be compared", compared);
	pp_free(&node);
	pp_free(&rt);
}
