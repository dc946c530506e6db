/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * live-proc.c - the process walk, ProcessFull and the procs family against
 * independent sources on this machine: ps, /proc/self/status, node_exporter,
 * and the rtlab binary's proc and top views.
 *
 * Tolerances: process counts within +-5 of the range of two readings taken
 * just before and just after the other tool's (processes come and go), threads
 * +-10; RSS within 10% (memory moves between the readings); limits exact.
 */
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../test-probe.h"

/* run - the first line of @cmd's output as a number; false if it failed. */
static bool run_number(const char *cmd, double *ret)
{
	char line[256];
	FILE *f = popen(cmd, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(line, sizeof(line), f) != NULL && sscanf(line, "%lf", ret) == 1;
	return pclose(f) == 0 && ok;
}

/* have - true if @tool runs. */
static bool have(const char *tool)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* status_value - a number from /proc/self/status ("Threads"). */
static long status_value(const char *key)
{
	char line[256];
	size_t kl = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, kl) == 0 && line[kl] == ':')
			v = strtol(line + kl + 1, NULL, 10);
	fclose(f);
	return v;
}

/* within - @v between @a and @b (read before and after it), give or take @tol. */
static bool within(double v, uint64_t a, uint64_t b, double tol)
{
	double lo = (double)(a < b ? a : b), hi = (double)(a < b ? b : a);

	return v >= lo - tol && v <= hi + tol;
}

/* The walk counts what ps counts (walks just before and just after ps). */
Test(proc_live, process_count_matches_ps)
{
	struct rtlab_probe *p = probe_at("", NULL);
	struct rtlab_proc_walker *w;
	struct rtlab_proc_table t = { 0 };
	size_t before;
	double ps;

	if (!have("ps"))
		cr_skip_test("ps is not installed");
	cr_assert_eq(rtlab_proc_walker_new(p, &w), 0);
	cr_assert_eq(rtlab_proc_walk(w, 0, &t), 0);
	before = t.count;
	cr_assert(run_number("ps -e --no-headers | wc -l", &ps));
	cr_assert_eq(rtlab_proc_walk(w, 0, &t), 0);
	/* ps itself, its shell and wc are there for ps only. */
	cr_assert(within(ps, before, t.count, 5), "walks %zu and %zu, ps %.0f", before, t.count,
		  ps);
	rtlab_proc_table_release(&t);
	rtlab_proc_walker_free(w);
	rtlab_probe_free(p);
}

/* Our own RSS as ps sees it, our threads as status says. */
Test(proc_live, own_rss_and_threads)
{
	struct rtlab_probe *p = probe_at("", NULL);
	struct rtlab_proc_full f = { 0 };
	char cmd[64];
	double rss_kb;

	if (!have("ps"))
		cr_skip_test("ps is not installed");
	cr_assert_eq(rtlab_proc_full_read(p, getpid(), 0, &f), 0);
	snprintf(cmd, sizeof(cmd), "ps -o rss= -p %d", (int)getpid());
	cr_assert(run_number(cmd, &rss_kb));
	cr_assert(fabs((double)f.mem.rss_bytes.v / 1024 - rss_kb) <= rss_kb * 0.10,
		  "rss %llu B, ps %.0f kB", (unsigned long long)f.mem.rss_bytes.v, rss_kb);
	cr_assert_eq((long)f.stat.num_threads.v, status_value("Threads"));
	cr_assert_eq((long)f.n_threads, status_value("Threads"));
	rtlab_proc_full_release(&f);
	rtlab_probe_free(p);
}

/* metric - the value of the first line "NAME VALUE" in node_exporter's text. */
static bool metric(const char *text, const char *name, double *ret)
{
	size_t n = strlen(name);

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, name, n) == 0 && l[n] == ' ')
			return sscanf(l + n + 1, "%lf", ret) == 1;
	return false;
}

/* scrape - node_exporter's text into @text; its length, 0 if it did not answer. */
static size_t scrape(char *text, size_t size)
{
	FILE *f = popen("curl -sf 127.0.0.1:9131/metrics", "r");
	size_t n = f ? fread(text, 1, size - 1, f) : 0;

	if (f && pclose(f) != 0)
		n = 0;
	text[n] = '\0';
	return n;
}

/* start_node_exporter - its processes collector alone on 127.0.0.1:9131, silent. */
static pid_t start_node_exporter(void)
{
	pid_t ne = fork();

	cr_assert_geq(ne, 0);
	if (ne == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execlp("prometheus-node-exporter", "prometheus-node-exporter",
		       "--web.listen-address=127.0.0.1:9131", "--collector.disable-defaults",
		       "--collector.processes", (char *)NULL);
		_exit(127);
	}
	return ne;
}

/* The procs family against node_exporter's processes collector, by name (read around it). */
Test(proc_live, family_matches_node_exporter)
{
	struct rtlab_probe_opts o = { .ttl_slow_ns = 1 };
	struct rtlab_probe *p = probe_at("", &o);
	struct rtlab_probe_data *a = rtlab_probe_data_new(), *b = rtlab_probe_data_new();
	static char text[1 << 16];
	size_t n = 0;
	double v;
	pid_t ne;

	if (!have("prometheus-node-exporter") || !have("curl"))
		cr_skip_test("prometheus-node-exporter or curl is not installed");
	ne = start_node_exporter();
	for (int i = 0; i < 50 && n == 0; i++) {
		usleep(100000);
		n = scrape(text, sizeof(text));
	}
	if (n) {
		cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_PROCS), a), 0);
		n = scrape(text, sizeof(text));
		cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_PROCS), b), 0);
	}
	kill(ne, SIGTERM);
	waitpid(ne, NULL, 0);
	if (n == 0)
		cr_skip_test("node_exporter did not answer on 127.0.0.1:9131");
	cr_assert(metric(text, "node_processes_max_processes", &v));
	cr_assert_eq(b->procs.pid_max.v, (uint64_t)v);
	cr_assert(metric(text, "node_processes_max_threads", &v));
	cr_assert_eq(b->procs.threads_max.v, (uint64_t)v);
	cr_assert(metric(text, "node_processes_pids", &v));
	cr_assert(within(v, a->procs.pids.v, b->procs.pids.v, 5), "%llu, %llu vs %.0f",
		  (unsigned long long)a->procs.pids.v, (unsigned long long)b->procs.pids.v, v);
	cr_assert(metric(text, "node_processes_threads", &v));
	cr_assert(within(v, a->procs.threads.v, b->procs.threads.v, 10), "%llu, %llu vs %.0f",
		  (unsigned long long)a->procs.threads.v, (unsigned long long)b->procs.threads.v,
		  v);
	rtlab_probe_data_free(a);
	rtlab_probe_data_free(b);
	rtlab_probe_free(p);
}

/* rtlab_run - run "$RTLAB_BIN probe ARGS" with stdout into @out; its exit status, or -1. */
static int rtlab_run(const char *args, char *out, size_t size)
{
	const char *bin = getenv("RTLAB_BIN");
	char cmd[1024];
	size_t n;
	FILE *f;
	int st;

	if (!bin)
		return -1;
	snprintf(cmd, sizeof(cmd), "'%s' probe %s 2>&1", bin, args);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	n = fread(out, 1, size - 1, f);
	out[n] = '\0';
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* skip_without_views - the probe views are in this build of rtlab. */
static void skip_without_views(void)
{
	static char out[4096];

	if (!getenv("RTLAB_BIN"))
		cr_skip_test("RTLAB_BIN is not set");
	if (rtlab_run("proc --help", out, sizeof(out)) != 0)
		cr_skip_test("this rtlab has no 'probe proc' view: %s", out);
}

/* "rtlab probe proc PID --json" of this process, its exit statuses. */
Test(proc_live, proc_view_json_and_errors)
{
	static char out[1 << 20];
	char args[64];
	json_error_t err;
	json_t *j;

	skip_without_views();
	snprintf(args, sizeof(args), "proc %d --json", (int)getpid());
	cr_assert_eq(rtlab_run(args, out, sizeof(out)), 0, "%s", out);
	j = json_loads(out, 0, &err);
	cr_assert_not_null(j, "%s: %s", err.text, out);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "identity"), "pid")),
		     getpid());
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "identity"), "ppid")),
		     getppid());
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(j, "credentials"),
							 "uid_real")),
		     getuid());
	json_decref(j);
	cr_assert_eq(rtlab_run("proc 12abc", out, sizeof(out)), 2, "%s", out);
	cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "one line: %s", out);
	cr_assert_eq(rtlab_run("proc 2147483647", out, sizeof(out)), 1, "%s", out);
	cr_assert(strstr(out, "rtlab probe: no process 2147483647") != NULL, "%s", out);
}

/* The hostile fixture: valid JSON (bytes escaped as \xHH), a terminal view without escapes. */
Test(proc_live, proc_view_hostile_names)
{
	static char out[1 << 20];
	char args[PATH_MAX + 64];
	json_error_t err;
	json_t *j;
	const char *comm;

	skip_without_views();
	snprintf(args, sizeof(args), "proc 4242 --json --env --root '%s/probe/vm'", FIXTURES_DIR);
	cr_assert_eq(rtlab_run(args, out, sizeof(out)), 0, "%s", out);
	j = json_loads(out, 0, &err);
	cr_assert_not_null(j, "%s", err.text);
	comm = json_string_value(json_object_get(json_object_get(j, "names"), "comm"));
	cr_assert_str_eq(comm, "(a) b)\n\x1b[31m\\xff");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "environment"), 1)),
			 "B=\\xed\\xa0\\x80");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "cmdline"), 3)),
			 "a\\x5cb");
	json_decref(j);
	snprintf(args, sizeof(args), "proc 4242 --root '%s/probe/vm'", FIXTURES_DIR);
	cr_assert_eq(rtlab_run(args, out, sizeof(out)), 0, "%s", out);
	cr_assert_null(strchr(out, '\x1b'), "no escape reaches the terminal");
	cr_assert(strstr(out, "(a) b)\\x0a\\x1b[31m\\xff") != NULL, "%s", out);
}

/* "rtlab probe top -n 2": two plain frames, CPU % not ready in the first only. */
Test(proc_live, top_plain_frames)
{
	static char out[1 << 20];
	char *second;

	skip_without_views();
	cr_assert_eq(rtlab_run("top -n 2 -d 0.3 -s pid", out, sizeof(out)), 0, "%s", out);
	cr_assert_null(strchr(out, '\x1b'), "no cursor control in plain frames");
	second = strstr(out + 1, "rtlab probe top - ");
	cr_assert_not_null(second, "%s", out);
	cr_assert(strstr(out, "%CPU") != NULL);
	cr_assert(strstr(out, "%Cpu(s):     - us") != NULL, "first frame not ready: %s", out);
	cr_assert(strstr(second, "%Cpu(s):     - us") == NULL, "second frame ready: %s", second);
	cr_assert_eq(rtlab_run("top -s foo", out, sizeof(out)), 2, "%s", out);
}
