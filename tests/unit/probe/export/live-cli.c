/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * live-cli.c - "rtlab probe" end to end: the formats, --watch, exit statuses,
 * one-line errors for bad input, and its Prometheus text checked by promtool
 * where it is installed.
 */
#include <jansson.h>

#include "prom-parse.h"
#include "spawn-util.h"

#define PROMTOOL "/usr/bin/promtool"

TestSuite(cli_live, .fini = children_kill, .timeout = 120);

struct run {
	int status;
	struct rtlab_buf out, err;
};

/* run_prog - @argv (NULL-ended), its status and output; SIGTERM after @term_ms if > 0. */
static void run_prog(struct run *r, long long term_ms, char *const *argv)
{
	int out, err;
	pid_t pid = spawn(argv, &out, &err, NULL);

	if (term_ms > 0) {
		usleep((useconds_t)term_ms * 1000);
		kill(pid, SIGTERM);
	}
	read_all(out, &r->out, 60000);
	read_all(err, &r->err, 5000);
	close(out);
	close(err);
	r->status = wait_ms(pid, 10000);
}

/* run - "rtlab ARGS..." (NULL-ended) as run_prog(). */
static void run(struct run *r, long long term_ms, char *const *args)
{
	char *argv[32] = { (char *)rtlab_bin() };
	int n = 1;

	while (*args && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	run_prog(r, term_ms, argv);
}

/* run_free - the output buffers. */
static void run_free(struct run *r)
{
	rtlab_buf_free(&r->out);
	rtlab_buf_free(&r->err);
}

#define RUN(r, ...) run((r), 0, (char *[]){ __VA_ARGS__, NULL })

/* fixture_vm - the vm fixture tree's path. */
static const char *fixture_vm(void)
{
	static char root[PATH_MAX];

	snprintf(root, sizeof(root), "%s/probe/vm", FIXTURES_DIR);
	return root;
}

/* Bad input: exit 2, one line on stderr naming the problem, nothing on stdout. */
Test(cli_live, bad_input_is_one_line_exit_2)
{
	static const struct {
		const char *args[4];
		const char *says;
	} cases[] = {
		{ { "probe", "--family", "bogus,load" },
		  "unknown family 'bogus'; families: cpu, cpuidle, load" },
		{ { "probe", "--family", "" }, "--family" },
		{ { "probe", "--watch", "0" }, "--watch: '0'" },
		{ { "probe", "--watch", "xyz" }, "--watch: 'xyz' is not a duration" },
		{ { "probe", "--count", "3" }, "--count needs --watch" },
		{ { "probe", "--json", "--prom" }, "exclude each other" },
		{ { "probe", "--zzz" }, "unknown option '--zzz'" },
		{ { "probe", "--root", "/etc/passwd" }, "is not a directory" },
		{ { "probe", "--root", "/nonexistent-rtlab" }, "No such file" },
		{ { "probe", "nope" }, "'nope'" },
		{ { "probe", "--watch" }, "needs a value" },
		{ { "probe", "serve", "--listen", "bogus" }, "--listen: 'bogus'" },
		{ { "probe", "serve", "--cache", "1x" }, "--cache: '1x'" },
		{ { "probe", "families", "x" }, "unexpected argument 'x'" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *args[5] = { NULL };
		struct run r = { 0 };

		memcpy(args, cases[i].args, sizeof(cases[i].args));
		run(&r, 0, args);
		cr_expect_eq(r.status, 2, "case %zu: status %d", i, r.status);
		cr_expect(strstr(r.err.data, cases[i].says) != NULL, "case %zu: %s", i, r.err.data);
		cr_expect_eq(strchr(r.err.data, '\n'), r.err.data + r.err.len - 1,
			     "case %zu: one line: %s", i, r.err.data);
		cr_expect_eq(r.out.len, 0, "case %zu", i);
		run_free(&r);
	}
}

/* --json: one object per line, the family's values in it. */
Test(cli_live, json_once_and_watched)
{
	struct run r = { 0 };
	json_error_t e;
	json_t *j;
	const char *line;
	int lines = 0;

	RUN(&r, "probe", "--json", "--family", "load", "--watch", "100ms", "--count", "3");
	cr_assert_eq(r.status, 0, "%s", r.err.data);
	for (line = r.out.data; *line; line = strchr(line, '\n') + 1) {
		j = json_loadb(line, strcspn(line, "\n"), 0, &e);
		cr_assert_not_null(j, "line %d: %s", lines, e.text);
		cr_assert_not_null(json_object_get(json_object_get(json_object_get(
			json_object_get(json_object_get(j, "families"), "load"), "metrics"),
			"node_load1"), "samples"));
		json_decref(j);
		lines++;
	}
	cr_assert_eq(lines, 3);
	run_free(&r);
}

/* --prom with --watch: blocks separated by a blank line, each parseable. */
Test(cli_live, prom_blocks)
{
	struct run r = { 0 };
	struct pp_set set;
	char *sep;

	RUN(&r, "probe", "--prom", "--family", "load", "--watch", "50ms", "--count", "2");
	cr_assert_eq(r.status, 0, "%s", r.err.data);
	sep = strstr(r.out.data, "\n\n");
	cr_assert_not_null(sep);
	cr_assert_null(strstr(sep + 2, "\n\n"));
	sep[1] = '\0';
	cr_assert(pp_parse(r.out.data, &set), "%s", set.err);
	cr_assert_not_null(pp_find(&set, "node_load1"));
	pp_free(&set);
	cr_assert(pp_parse(sep + 2, &set), "%s", set.err);
	cr_assert_not_null(pp_find(&set, "node_load15"));
	pp_free(&set);
	run_free(&r);
}

/* The table on a fixture tree; nothing collectable is status 1 with the reason shown. */
Test(cli_live, table_and_statuses)
{
	char empty[] = "/tmp/rtlab-cli-empty-XXXXXX";
	struct run r = { 0 };

	RUN(&r, "probe", "--root", (char *)fixture_vm(), "--family", "load");
	cr_assert_eq(r.status, 0, "%s", r.err.data);
	cr_assert(strstr(r.out.data, "load  (collected)\n  node_load1 ") == r.out.data, "%s",
		  r.out.data);
	run_free(&r);
	cr_assert_not_null(mkdtemp(empty));
	RUN(&r, "probe", "--root", empty, "--family", "load", "--table");
	rmdir(empty);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.out.data, "load  (error: No such file or directory: ") != NULL, "%s",
		  r.out.data);
	run_free(&r);
	RUN(&r, "probe", "families");
	cr_assert_eq(r.status, 0);
	for (unsigned f = 0; f < RTLAB_PF__COUNT; f++)
		cr_assert(strstr(r.out.data, rtlab_probe_family_name(f)) != NULL);
	run_free(&r);
	RUN(&r, "probe", "--help");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out.data, "usage: rtlab probe") != NULL);
	run_free(&r);
}

/* --watch runs until SIGTERM, then ends with status 0. */
Test(cli_live, watch_stops_on_sigterm)
{
	struct run r = { 0 };
	long long t0 = ms_now();

	run(&r, 300, (char *[]){ "probe", "--family", "load", "--json", "--watch", "10s", NULL });
	cr_assert_eq(r.status, 0, "%s", r.err.data);
	cr_assert_lt(ms_now() - t0, 3000);
	cr_assert_not_null(strstr(r.out.data, "\"node_load1\""));
	run_free(&r);
}

/* promtool finds no format error in everything rtlab exports (its lint advice is logged). */
Test(cli_live, promtool_accepts_everything)
{
	struct run r = { 0 };

	if (access(PROMTOOL, X_OK) != 0)
		cr_skip_test("%s is not installed (apt-get install prometheus)", PROMTOOL);
	run_prog(&r, 0, (char *[]){ "/bin/sh", "-c",
				    "\"$0\" probe --prom --all | " PROMTOOL " check metrics 2>&1",
				    (char *)rtlab_bin(), NULL });
	cr_assert(strstr(r.out.data, "parsing error") == NULL, "%s", r.out.data);
	cr_assert(strstr(r.out.data, "error while linting") == NULL, "%s", r.out.data);
	if (r.out.len)
		cr_log_info("promtool lint advice: %.3000s", r.out.data);
	run_free(&r);
}

/* --watch reads slow families afresh too: each line has its own collection time. */
Test(cli_live, watch_reads_slow_families_each_time)
{
	struct run r = { 0 };
	json_error_t e;
	json_int_t t[2] = { 0 };
	const char *line;
	int lines = 0;

	cr_assert(rtlab_probe_family_is_slow(RTLAB_PF_VMSTAT));
	RUN(&r, "probe", "--json", "--family", "vmstat", "--watch", "100ms", "--count", "2");
	cr_assert_eq(r.status, 0, "%s", r.err.data);
	for (line = r.out.data; *line && lines < 2; line = strchr(line, '\n') + 1) {
		json_t *j = json_loadb(line, strcspn(line, "\n"), 0, &e);

		cr_assert_not_null(j, "line %d: %s", lines, e.text);
		t[lines++] = json_integer_value(json_object_get(
			json_object_get(json_object_get(j, "families"), "vmstat"), "collected_ns"));
		json_decref(j);
	}
	cr_assert_eq(lines, 2);
	cr_assert_gt(t[1] - t[0], 50 * 1000 * 1000, "the second line shows the first collection");
	run_free(&r);
}
