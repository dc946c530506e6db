/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-cli.c - the rtlab binary end to end: cyclic's JSON, text, signals, bad input. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sqlite3.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pty.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rtlab/rtlab.h>

#define OUT_MAX (256 * 1024)

struct result {
	int status;		/* exit status, or 128 + signal */
	char out[OUT_MAX];
	char err[16384];
};

static char tmpdir[] = "/tmp/rtlab-cli-XXXXXX";

static void setup(void)
{
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(cli, .init = setup, .fini = teardown, .timeout = 120);

/* bin - the rtlab binary under test. */
static const char *bin(void)
{
	const char *b = getenv("RTLAB_BIN");

	cr_assert_not_null(b, "RTLAB_BIN is not set (run through meson test)");
	return b;
}

/* slurp - read a whole fd into @buf. */
static void slurp(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
}

/*
 * run - run rtlab with @argv (NULL-terminated, without argv[0]); if
 * @signal_after_ms > 0, send SIGTERM after that long.
 */
static void run(struct result *res, char *const *args, int signal_after_ms)
{
	char *argv[64];
	int outfd, errfd, n = 0, status;
	char outp[256], errp[256];
	pid_t pid;

	argv[n++] = (char *)bin();
	while (*args && n < 63)
		argv[n++] = *args++;
	argv[n] = NULL;
	snprintf(outp, sizeof(outp), "%s/stdout", tmpdir);
	snprintf(errp, sizeof(errp), "%s/stderr", tmpdir);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(o, 1);
		dup2(e, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (signal_after_ms > 0) {
		usleep((useconds_t)signal_after_ms * 1000);
		kill(pid, SIGTERM);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	res->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	outfd = open(outp, O_RDONLY);
	errfd = open(errp, O_RDONLY);
	slurp(outfd, res->out, sizeof(res->out));
	slurp(errfd, res->err, sizeof(res->err));
	close(outfd);
	close(errfd);
}

/* need_rt - skip, saying why, when SCHED_FIFO cannot be used. */
static void need_rt(void)
{
	if (rtlab_cap_have(RTLAB_CAP_SYS_NICE) != 1 || rtlab_cap_have(RTLAB_CAP_IPC_LOCK) != 1)
		cr_skip_test("CAP_SYS_NICE and CAP_IPC_LOCK are needed for 'rtlab cyclic -m -p 80'");
}

/* count_lines - lines of @s starting with @prefix. */
static int count_lines(const char *s, const char *prefix)
{
	size_t plen = strlen(prefix);
	int n = 0;

	for (const char *p = s; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, prefix, plen) == 0)
			n++;
	return n;
}

Test(cli, cyclic_json_as_the_issue_runs_it)
{
	struct result *res = calloc(1, sizeof(*res));
	char json_path[256];
	json_error_t jerr;
	json_t *root, *t0, *pct;
	double min, avg, max, p50, p99;

	need_rt();
	snprintf(json_path, sizeof(json_path), "%s/F.json", tmpdir);
	run(res, (char *[]){ "cyclic", "-m", "-p", "80", "-i", "1000", "-l", "2000", "-q",
			     "--json", json_path, NULL }, 0);
	cr_assert_eq(res->status, 0, "exit %d: %s", res->status, res->err);
	cr_expect_eq(count_lines(res->out, "T: 0 "), 1, "one T: summary line:\n%s", res->out);
	cr_expect_not_null(strstr(res->out, "P:80 I:1000 C:   2000 Min:"), "%s", res->out);
	root = json_load_file(json_path, 0, &jerr);
	cr_assert_not_null(root, "%s: %s", json_path, jerr.text);
	cr_expect_eq(json_integer_value(json_object_get(root, "file_version")), 1);
	cr_expect_eq(json_integer_value(json_object_get(root, "num_threads")), 1);
	cr_expect_eq(json_integer_value(json_object_get(root, "return_code")), 0);
	cr_expect_not_null(json_object_get(root, "sysinfo"));
	cr_expect(json_is_string(json_object_get(root, "cmdline")));
	cr_expect(json_is_string(json_object_get(root, "rtlab_version")));
	cr_expect(json_is_object(json_object_get(root, "steal")));
	t0 = json_object_get(json_object_get(root, "thread"), "0");
	cr_assert_not_null(t0);
	cr_expect_eq(json_integer_value(json_object_get(t0, "cycles")), 2000);
	cr_expect(json_is_object(json_object_get(t0, "histogram")));
	cr_expect_eq(json_integer_value(json_object_get(t0, "priority")), 80);
	cr_expect_str_eq(json_string_value(json_object_get(t0, "policy")), "fifo");
	min = json_number_value(json_object_get(t0, "min"));
	avg = json_number_value(json_object_get(t0, "avg"));
	max = json_number_value(json_object_get(t0, "max"));
	pct = json_object_get(t0, "percentiles");
	p50 = json_number_value(json_object_get(pct, "p50"));
	p99 = json_number_value(json_object_get(pct, "p99"));
	cr_expect(min > 0 && min <= p50 && p50 <= p99 && p99 <= max,
		  "min %.1f <= p50 %.1f <= p99 %.1f <= max %.1f", min, p50, p99, max);
	cr_expect(min <= avg && avg <= max, "min %.1f <= avg %.1f <= max %.1f", min, avg, max);
	cr_expect(json_is_integer(json_object_get(t0, "overflows")));
	json_decref(root);
	free(res);
}

Test(cli, histogram_text_layout)
{
	struct result *res = calloc(1, sizeof(*res));
	long total = 0, ovf = -1, b0 = -1;
	unsigned int rows = 0;
	const char *p;

	need_rt();
	run(res, (char *[]){ "cyclic", "-p", "80", "-t", "2", "-l", "300", "-q", "-h", "100",
			     NULL }, 0);
	cr_assert_eq(res->status, 0, "%s", res->err);
	cr_expect_eq(count_lines(res->out, "T:"), 0, "-q -h prints only the histogram, as cyclictest");
	p = strstr(res->out, "# Histogram\n");
	cr_assert_not_null(p, "%s", res->out);
	for (p = strchr(p, '\n') + 1; *p >= '0' && *p <= '9'; p = strchr(p, '\n') + 1) {
		long a, b;
		unsigned int bucket;

		cr_assert_eq(sscanf(p, "%06u %06ld\t%06ld", &bucket, &a, &b), 3, "row: %.40s", p);
		cr_expect_eq(bucket, rows);
		cr_expect_eq(p[6], ' ', "bucket and thread 0 are separated by a space");
		total += a;
		rows++;
	}
	cr_expect_eq(rows, 100, "every bucket is printed");
	cr_assert_eq(sscanf(strstr(res->out, "# Total:"), "# Total: %09ld", &b0), 1);
	cr_assert_eq(sscanf(strstr(res->out, "# Histogram Overflows:"), "# Histogram Overflows: %05ld",
			    &ovf), 1);
	cr_expect_eq(total, b0, "# Total is the sum of thread 0's buckets");
	cr_expect_eq(total + ovf, 300, "buckets + overflows = cycles");
	cr_expect_not_null(strstr(res->out, "# Min Latencies:"));
	cr_expect_not_null(strstr(res->out, "# Avg Latencies:"));
	cr_expect_not_null(strstr(res->out, "# Max Latencies:"));
	cr_expect_not_null(strstr(res->out, "# Histogram Overflow at cycle number:\n# Thread 0:"));
	free(res);
}

Test(cli, sigterm_still_reports)
{
	struct result *res = calloc(1, sizeof(*res));
	char json_path[256];
	json_t *root;
	json_error_t jerr;

	need_rt();
	snprintf(json_path, sizeof(json_path), "%s/int.json", tmpdir);
	run(res, (char *[]){ "cyclic", "-m", "-p", "80", "-q", "--json", json_path, NULL }, 1500);
	cr_assert_eq(res->status, 0, "exit %d after SIGTERM: %s", res->status, res->err);
	cr_expect_eq(count_lines(res->out, "T: 0 "), 1, "%s", res->out);
	cr_expect_not_null(strstr(res->out, "# rtlab: interrupted after"), "%s", res->out);
	root = json_load_file(json_path, 0, &jerr);
	cr_assert_not_null(root, "no JSON after SIGTERM: %s", jerr.text);
	cr_expect(json_is_true(json_object_get(root, "interrupted")));
	cr_expect_gt(json_integer_value(json_object_get(json_object_get(json_object_get(root,
		     "thread"), "0"), "cycles")), 500);
	json_decref(root);
	free(res);
}

/* db_count - the first column of @sql on @db_path (-1: unreadable). */
static int64_t db_count(const char *db_path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t n = -1;

	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return n;
}

/*
 * -b stops at the first latency above the threshold, names the thread and CPU,
 * and keeps the kernel trace around the break in a run folder: the break's
 * latency row inside a trace window, the thread's id, events on the spike's
 * clock, and a report that explains it.
 */
Test(cli, breaktrace_names_thread_and_cpu)
{
	struct result *res = calloc(1, sizeof(*res));
	char dir[256], db[300], why[256];
	bool traced = rtlab_ftrace_usable(NULL, why, sizeof(why)) == 0;

	need_rt();
	snprintf(dir, sizeof(dir), "%s/bt", tmpdir);
	snprintf(db, sizeof(db), "%s/run.db", dir);
	run(res, (char *[]){ "cyclic", "-p", "80", "-t", "2", "-D", "5", "-q", "-b", "1",
			     "--trace-dir", dir, "--trace-window", "3ms", NULL }, 0);
	cr_assert_eq(res->status, 0, "%s", res->err);
	cr_expect_not_null(strstr(res->out, "# Break thread: "), "%s", res->out);
	cr_expect_not_null(strstr(res->out, "# Break value: "), "%s", res->out);
	cr_expect_not_null(strstr(res->out, "# rtlab: break on thread "), "%s", res->out);
	cr_expect_not_null(strstr(res->out, " on CPU "), "%s", res->out);
	if (!traced) {
		cr_expect_not_null(strstr(res->err, "-b without a trace"), "%s", res->err);
		free(res);
		cr_skip_test("tracefs cannot be used here (%s): the trace part is not checked", why);
	}
	cr_expect_not_null(strstr(res->out, "# breaktrace: "), "%s", res->out);
	cr_assert_eq(db_count(db, "SELECT count(*) FROM latency l JOIN trace_window w ON "
			      "l.t_ns BETWEEN w.start_ns AND w.end_ns"), 1);
	cr_expect_eq(db_count(db, "SELECT count(*) FROM task WHERE tid > 0"), 2);
	cr_expect_gt(db_count(db, "SELECT count(*) FROM trace_event"), 0);
	cr_expect_eq(db_count(db, "SELECT count(*) FROM trace_event e, trace_window w WHERE "
			      "e.t_ns < w.start_ns OR e.t_ns > w.end_ns"), 0);
	cr_expect_leq(db_count(db, "SELECT max(end_ns - start_ns) FROM trace_window"), 6000000);
	run(res, (char *[]){ "report", dir, NULL }, 0);
	cr_expect_eq(res->status, 0, "%s", res->err);
	free(res);
}

Test(cli, deadline_policy_runs_or_says_why)
{
	struct result *res = calloc(1, sizeof(*res));
	char json_path[256];
	json_t *root;
	json_error_t jerr;

	need_rt();
	snprintf(json_path, sizeof(json_path), "%s/dl.json", tmpdir);
	run(res, (char *[]){ "cyclic", "--policy", "deadline", "-i", "2000", "-l", "200", "-q",
			     "--json", json_path, NULL }, 0);
	if (res->status != 0) {
		cr_expect_eq(res->status, 1);
		cr_expect_not_null(strstr(res->err, "SCHED_DEADLINE"), "refusal without reason: %s",
				   res->err);
		free(res);
		return;
	}
	root = json_load_file(json_path, 0, &jerr);
	cr_assert_not_null(root, "%s", jerr.text);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(root,
			 "thread"), "0"), "policy")), "deadline");
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(json_object_get(root,
		     "thread"), "0"), "cycles")), 200);
	json_decref(root);
	free(res);
}

struct bad {
	char args[4][16];
	char needle[32];
};

static const struct bad bads[] = {
	{ { "-i", "0" }, "-i/--interval" },
	{ { "-p", "100" }, "-p/--priority" },
	{ { "-l", "-3" }, "-l/--loops" },
	{ { "-a", "1000" }, "CPU 1000 is not online" },
	{ { "-a", "4095" }, "names a CPU above" },
	{ { "--nope" }, "unknown option" },
	{ { "-D", "3q" }, "-D/--duration" },
};

Test(cli, bad_input_exits_2_and_starts_nothing)
{
	struct result *res = calloc(1, sizeof(*res));

	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		char *args[8] = { "cyclic" };
		int n = 1;

		for (int k = 0; k < 4 && bads[i].args[k][0]; k++)
			args[n++] = (char *)bads[i].args[k];
		args[n] = NULL;
		run(res, args, 0);
		cr_expect_eq(res->status, 2, "%s %s: exit %d", args[1], args[2] ?: "", res->status);
		cr_expect_not_null(strstr(res->err, bads[i].needle), "'%s' not in: %s",
				   bads[i].needle, res->err);
		cr_expect_eq(count_lines(res->err, "rtlab"), 1, "one line: %s", res->err);
		cr_expect_eq(res->out[0], '\0', "nothing started, nothing printed: %s", res->out);
	}
	free(res);
}

Test(cli, help_and_version)
{
	struct result *res = calloc(1, sizeof(*res));

	run(res, (char *[]){ "--version", NULL }, 0);
	cr_expect_eq(res->status, 0);
	cr_expect_not_null(strstr(res->out, rtlab_version()));
	run(res, (char *[]){ "help", NULL }, 0);
	cr_expect_eq(res->status, 0);
	cr_expect_not_null(strstr(res->out, "cyclic"));
	cr_expect_not_null(strstr(res->out, "doctor"));
	run(res, (char *[]){ "cyclic", "--help", NULL }, 0);
	cr_expect_eq(res->status, 0);
	cr_expect_not_null(strstr(res->out, "--histogram"));
	run(res, (char *[]){ "help", "cyclic", NULL }, 0);
	cr_expect_eq(res->status, 0);
	cr_expect_not_null(strstr(res->out, "--breaktrace"));
	run(res, (char *[]){ "frobnicate", NULL }, 0);
	cr_expect_eq(res->status, 2);
	run(res, (char *[]){ NULL }, 0);
	cr_expect_eq(res->status, 2);
	free(res);
}

Test(cli, doctor_table_and_json)
{
	struct result *res = calloc(1, sizeof(*res));
	json_error_t jerr;
	json_t *root, *findings, *summary;
	char tuned[512];
	size_t i;
	json_t *f;
	bool saw_rt = false;

	run(res, (char *[]){ "doctor", NULL }, 0);
	cr_expect_eq(res->status, 0, "%s", res->err);
	cr_expect_not_null(strstr(res->out, "PREEMPT_RT"), "%s", res->out);
	cr_expect(strstr(res->out, " ok, ") && strstr(res->out, " warn, "), "%s", res->out);

	snprintf(tuned, sizeof(tuned), "%s/rt-tuned", FIXTURES_DIR);
	run(res, (char *[]){ "doctor", "--json", "--root", tuned, NULL }, 0);
	cr_assert_eq(res->status, 0, "%s", res->err);
	root = json_loads(res->out, 0, &jerr);
	cr_assert_not_null(root, "doctor --json is not JSON: %s", jerr.text);
	findings = json_object_get(root, "findings");
	summary = json_object_get(root, "summary");
	cr_assert(json_is_array(findings) && json_array_size(findings) > 10);
	cr_expect(json_is_integer(json_object_get(summary, "ok")));
	json_array_foreach(findings, i, f) {
		cr_expect(json_is_string(json_object_get(f, "why")));
		if (strcmp(json_string_value(json_object_get(f, "id")), "preempt-rt") == 0) {
			saw_rt = true;
			cr_expect_str_eq(json_string_value(json_object_get(f, "verdict")), "ok",
					 "the tuned PREEMPT_RT tree passes");
		}
	}
	cr_expect(saw_rt);
	json_decref(root);

	run(res, (char *[]){ "doctor", "--bogus", NULL }, 0);
	cr_expect_eq(res->status, 2);
	free(res);
}

Test(cli, live_lines_and_progress_on_a_tty)
{
	char buf[65536], *argv[] = { (char *)bin(), "cyclic", "-p", "80", "-t", "2", "-D", "1",
				     NULL };
	size_t len = 0;
	int master, status;
	pid_t pid;

	need_rt();
	pid = forkpty(&master, NULL, NULL, NULL);
	cr_assert_geq(pid, 0, "forkpty: %s", strerror(errno));
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	for (;;) {
		ssize_t n = read(master, buf + len, sizeof(buf) - 1 - len);

		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(master);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	cr_expect_not_null(strstr(buf, "\033[2KT: 0 ("), "no live T: line:\n%s", buf);
	cr_expect_not_null(strstr(buf, "\033[2KT: 1 ("), "no live T: line for thread 1");
	cr_expect_not_null(strstr(buf, "\033[1A\033[2A"), "the lines are not redrawn in place");
	cr_expect_not_null(strstr(buf, "progress: "), "no progress line with -D");
	cr_expect_not_null(strstr(buf, "/ 1.0 s"), "progress does not show the duration");
	cr_expect_not_null(strstr(buf, "# rtlab: T: 1 "), "no final summary");
}

/* sample_times - distinct sample times in the probe_sample table of @db (-1: unreadable). */
static int64_t sample_times(const char *db_path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t n = -1;

	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT count(DISTINCT t_ns) FROM probe_sample", -1, &st,
			       NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return n;
}

/* probe record: a duration ends it, SIGTERM ends it and keeps what was sampled. */
Test(cli, probe_record_until_duration_or_sigterm)
{
	struct result *res = calloc(1, sizeof(*res));
	char db[256], db2[256];

	snprintf(db, sizeof(db), "%s/run.db", tmpdir);
	run(res, (char *[]){ "probe", "record", db, "--family", "load,mem", "--interval", "50ms",
			     "--duration", "500ms", NULL }, 0);
	cr_assert_eq(res->status, 0, "%s", res->err);
	cr_expect_geq(sample_times(db), 5, "%s", res->err);
	cr_expect_leq(sample_times(db), 12, "%s", res->err);

	snprintf(db2, sizeof(db2), "%s/run2.db", tmpdir);
	run(res, (char *[]){ "probe", "record", db2, "--interval", "50ms", NULL }, 600);
	cr_assert_eq(res->status, 0, "exit %d after SIGTERM: %s", res->status, res->err);
	cr_expect_geq(sample_times(db2), 3, "%s", res->err);
	cr_expect_not_null(strstr(res->err, "samples recorded into"), "%s", res->err);

	run(res, (char *[]){ "probe", "record", "/nonexistent-dir/run.db", "-D", "1s", NULL }, 0);
	cr_expect_eq(res->status, 1, "%s", res->err);
	cr_expect_not_null(strstr(res->err, "/nonexistent-dir/run.db"), "%s", res->err);
	run(res, (char *[]){ "probe", "record", db, "--interval", "soon", NULL }, 0);
	cr_expect_eq(res->status, 2, "%s", res->err);
	cr_expect_not_null(strstr(res->err, "--interval"), "%s", res->err);
	free(res);
}

/* run_status - the status of the run in @dir/run.db, into @buf ("" if unreadable). */
static const char *run_status(const char *dir, char *buf, size_t size)
{
	char path[1024];
	sqlite3 *db;
	sqlite3_stmt *st;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/run.db", dir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return buf;
	if (sqlite3_prepare_v2(db, "SELECT status FROM run", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return buf;
}

/* rtlab run: a bad file is FILE:LINE and exit 2; SIGTERM ends a run interrupted, stored. */
Test(cli, run_bad_file_then_sigterm)
{
	struct result *res = calloc(1, sizeof(*res));
	char ini[256], runs[256], dir[512], status[32];
	const char *line;
	FILE *f;

	snprintf(ini, sizeof(ini), "%s/bad.ini", tmpdir);
	f = fopen(ini, "w");
	cr_assert_not_null(f);
	fprintf(f, "[scenario]\nduration = 1s\n[task t]\nperiod = 1ms\npriority = 120\n");
	fclose(f);
	snprintf(runs, sizeof(runs), "%s/runs", tmpdir);
	run(res, (char *[]){ "run", ini, "-o", runs, NULL }, 0);
	cr_assert_eq(res->status, 2, "%s", res->err);
	cr_expect_not_null(strstr(res->err, "bad.ini:5:"), "%s", res->err);
	cr_expect_eq(access(runs, F_OK), -1, "a runs folder was made for a bad file");

	need_rt();
	snprintf(ini, sizeof(ini), "%s/long.ini", tmpdir);
	f = fopen(ini, "w");
	cr_assert_not_null(f);
	fprintf(f, "[scenario]\nname = long\nduration = 1m\n[task t]\nperiod = 1ms\n");
	fclose(f);
	run(res, (char *[]){ "run", ini, "-o", runs, NULL }, 800);
	cr_assert_eq(res->status, 0, "exit %d after SIGTERM: %s", res->status, res->err);
	line = strstr(res->out, "run folder: ");
	cr_assert_not_null(line, "%s", res->out);
	snprintf(dir, sizeof(dir), "%.*s", (int)strcspn(line + 12, "\n"), line + 12);
	cr_expect_not_null(strstr(res->out, "run interrupted by"), "%s", res->out);
	cr_expect_str_eq(run_status(dir, status, sizeof(status)), "interrupted");
	free(res);
}

/* own_instances - tracefs instances whose name carries @pid ("rtlab-<pid>-"). */
static int own_instances(pid_t pid)
{
	char prefix[32];
	DIR *d = opendir("/sys/kernel/tracing/instances");
	struct dirent *e;
	int n = 0;

	snprintf(prefix, sizeof(prefix), "rtlab-%d-", (int)pid);
	while (d && (e = readdir(d)))
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	if (d)
		closedir(d);
	return n;
}

/*
 * ftrace record: an unknown event is exit 2 and leaves nothing; SIGTERM ends a
 * recording with the events stored, status 'interrupted', no instance left;
 * the report parses them.
 */
Test(cli, ftrace_record_bad_event_then_sigterm)
{
	struct result *res = calloc(1, sizeof(*res));
	char dir[256], db[300], why[256];

	if (rtlab_ftrace_usable(NULL, why, sizeof(why)) < 0) {
		free(res);
		cr_skip_test("tracefs cannot be used here: %s", why);
	}
	snprintf(dir, sizeof(dir), "%s/ft", tmpdir);
	snprintf(db, sizeof(db), "%s/run.db", dir);
	run(res, (char *[]){ "ftrace", "record", "-e", "sched:no_such_event", "-o", dir, NULL }, 0);
	cr_assert_eq(res->status, 2, "%s", res->err);
	cr_expect_not_null(strstr(res->err, "no_such_event"), "%s", res->err);
	cr_expect_neq(access(db, F_OK), 0, "a run.db was left for a refused recording");
	run(res, (char *[]){ "ftrace", "record", "-e", "sched:sched_switch", "-e",
			     "sched:sched_wakeup", "-o", dir, NULL }, 1000);
	cr_assert_eq(res->status, 0, "exit %d after SIGTERM: %s", res->status, res->err);
	cr_expect_eq(db_count(db, "SELECT count(*) FROM run WHERE status = 'interrupted'"), 1);
	cr_expect_gt(db_count(db, "SELECT count(*) FROM trace_page"), 0);
	cr_expect_eq(db_count(db, "SELECT sum(count) FROM trace_lost"), 0);
	cr_expect_eq(own_instances(getpid()), 0);
	run(res, (char *[]){ "ftrace", "report", "--stat", dir, NULL }, 0);
	cr_expect_eq(res->status, 0, "%s", res->err);
	cr_expect_gt(db_count(db, "SELECT count(*) FROM trace_event WHERE event = "
			      "'sched:sched_switch'"), 0);
	/* -- CMD with -c: only the command's own events (a common_pid filter). */
	snprintf(dir, sizeof(dir), "%s/ft-cmd", tmpdir);
	snprintf(db, sizeof(db), "%s/run.db", dir);
	run(res, (char *[]){ "ftrace", "record", "-e", "raw_syscalls:sys_enter", "-c", "-o", dir,
			     "--", "/bin/true", NULL }, 0);
	cr_assert_eq(res->status, 0, "%s", res->err);
	run(res, (char *[]){ "ftrace", "report", dir, NULL }, 0);
	cr_expect_eq(res->status, 0, "%s", res->err);
	cr_expect_gt(db_count(db, "SELECT count(*) FROM trace_event WHERE comm = 'true'"), 5);
	cr_expect_eq(db_count(db, "SELECT count(DISTINCT pid) FROM trace_event"), 1);
	/* Before its execve, the child is still called rtlab. */
	cr_expect_eq(db_count(db, "SELECT count(*) FROM trace_event WHERE comm NOT IN "
			      "('true', 'rtlab')"), 0);
	free(res);
}

/* doctor lists an instance left by a dead rtlab, and --fix removes it. */
Test(cli, doctor_fix_removes_a_leftover_instance)
{
	struct result *res = calloc(1, sizeof(*res));
	char path[128], why[256];
	pid_t dead = fork();

	if (rtlab_ftrace_usable(NULL, why, sizeof(why)) < 0 ||
	    access("/sys/kernel/tracing/instances", W_OK) != 0) {
		if (dead == 0)
			_exit(0);
		waitpid(dead, NULL, 0);
		free(res);
		cr_skip_test("tracefs instances cannot be made here: %s", why);
	}
	if (dead == 0)
		_exit(0);
	cr_assert_eq(waitpid(dead, NULL, 0), dead);
	/* A pid that has exited: what a crashed recorder leaves. */
	snprintf(path, sizeof(path), "/sys/kernel/tracing/instances/rtlab-%d-0", (int)dead);
	cr_assert_eq(mkdir(path, 0755), 0, "%s: %s", path, strerror(errno));
	run(res, (char *[]){ "doctor", NULL }, 0);
	cr_expect_not_null(strstr(res->out, path + strlen("/sys/kernel/tracing/instances/")),
			   "%s", res->out);
	run(res, (char *[]){ "doctor", "--fix", NULL }, 0);
	cr_expect_eq(own_instances(dead), 0, "%s %s", res->out, res->err);
	if (own_instances(dead))
		rmdir(path);
	free(res);
}
