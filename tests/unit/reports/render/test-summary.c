/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-summary.c - summary.txt against a run whose figures are known. */
#include "render/render-internal.h"

#include "test-run.h"

/*
 * known_run - task "steady": latencies 1..1000 us, one per ms (the largest, 1000 us, at
 * 1 s), 3 misses; task "idle": no sample.  The host name carries an escape
 * sequence.
 */
static void known_run(const char *dir, enum rtlab_run_status status)
{
	static struct sample s[1000];
	const uint64_t miss_t[] = { T0_NS + SEC_NS / 10, T0_NS + SEC_NS / 5, T0_NS + SEC_NS / 2 };
	struct rtlab_store *st = run_new(dir, "known", "[scenario]\nname = known\n");
	uint32_t id = task_new(st, "steady");

	task_new(st, "idle");
	/* Written in a shuffled order: the figures must not depend on it. */
	for (unsigned i = 0; i < 1000; i++) {
		unsigned k = (i * 7919) % 1000 + 1;

		s[i] = (struct sample){ T0_NS + k * 1000000ULL, 0, k * US_NS };
	}
	samples_put(st, id, s, 1000, miss_t, 3);
	task_end(st, id, 1000, 3);
	run_end(st, dir, status, 2 * SEC_NS);
	exec_sql(dir, "UPDATE run SET hostname = 'box' || char(27) || '[2J',"
		      " governor = 'performance'");
}

/* summary - summary.txt of the run in @dir, made in memory (malloc'ed). */
static char *summary(const char *dir)
{
	struct render_run run = { 0 };
	struct rtlab_spike *sp;
	size_t nsp, len;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(rtlab_store_open(dir, false, &run.st), 0);
	cr_assert_eq(render_run_read(&run), 0);
	cr_assert_eq(rtlab_spikes_read(run.st, 3, &sp, &nsp), 0);
	cr_assert_eq(render_summary_text(f, &run, sp, nsp), 0);
	fclose(f);
	free(sp);
	render_run_free(&run);
	rtlab_store_close(run.st);
	return buf;
}

/* line_of - a copy of the line of @text that starts with @start (static buffer). */
static const char *line_of(const char *text, const char *start)
{
	static char line[512];
	const char *p = text;

	while (p && strncmp(p, start, strlen(start)) != 0)
		p = (p = strchr(p, '\n')) ? p + 1 : NULL;
	cr_assert_not_null(p, "no line starting with '%s' in:\n%s", start, text);
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(p, "\n"), p);
	return line;
}

/* assert_row - the words of @line are @want (@n of them). */
static void assert_row(const char *line, const char *const *want, size_t n)
{
	char copy[512], *save = NULL, *w;
	size_t i = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save), i++) {
		cr_assert_lt(i, n, "too many words in '%s'", line);
		cr_assert_str_eq(w, want[i], "word %zu of '%s'", i, line);
	}
	cr_assert_eq(i, n, "too few words in '%s'", line);
}

/* Each task's figures: exact nearest-rank percentiles in us, counters, "-" without samples. */
Test(summary, task_figures)
{
	static const char *const steady[] = { "steady", "1000", "1.000", "500.500", "500.000",
					      "990.000", "999.000", "1000.000", "1000", "3", "0" };
	static const char *const idle[] = { "idle", "0", "-", "-", "-", "-", "-", "-", "0", "0",
					    "0" };
	static const char *const all[] = { "all", "1000", "1.000", "500.500", "500.000",
					   "990.000", "999.000", "1000.000", "1000", "3", "0" };
	char dir[64], *s;

	tmp_dir(dir, sizeof(dir));
	known_run(dir, RTLAB_RUN_COMPLETE);
	s = summary(dir);
	assert_row(line_of(s, "steady "), steady, 11);
	assert_row(line_of(s, "idle "), idle, 11);
	assert_row(line_of(s, "all "), all, 11);
	cr_assert(strstr(s, "\ntask "), "a header row");
	cr_assert_null(strstr(s, "no latency samples"));
	free(s);
	rm_tree(dir);
}

/* The facts, with what came from the system escaped, and the top spikes with their times. */
Test(summary, facts_and_spikes)
{
	char dir[64], *s;

	tmp_dir(dir, sizeof(dir));
	known_run(dir, RTLAB_RUN_COMPLETE);
	s = summary(dir);
	cr_assert_str_eq(line_of(s, "rtlab run summary"), "rtlab run summary: known");
	cr_assert_str_eq(line_of(s, "status"), "status      complete");
	cr_assert_str_eq(line_of(s, "host"), "host        box\\x1b[2J");
	cr_assert_null(strchr(s, '\x1b'), "a raw escape character in summary.txt");
	cr_assert_str_eq(line_of(s, "ran"), "ran         2.000 s (asked 10.000 s)");
	cr_assert_str_eq(line_of(s, "seed"), "seed        42");
	cr_assert(strstr(line_of(s, "cpu"), "governor performance"));
	cr_assert(strstr(s, "top 3 latency spikes"));
	assert_row(line_of(s, "  1 "), (const char *const[]){ "1", "1.000", "steady", "0",
							       "1000.000" }, 5);
	assert_row(line_of(s, "  2 "), (const char *const[]){ "2", "0.999", "steady", "0",
							       "999.000" }, 5);
	cr_assert_null(strstr(s, "WARNING"), "a complete run without loss has no warning");
	free(s);
	rm_tree(dir);
}

/* An interrupted run says so at the top; an incomplete one too, and that it never ended. */
Test(summary, unfinished_runs_are_flagged)
{
	char dir[64], *s;

	tmp_dir(dir, sizeof(dir));
	known_run(dir, RTLAB_RUN_INTERRUPTED);
	s = summary(dir);
	cr_assert(strncmp(strchr(s, '\n') + 1, "WARNING: This run was interrupted", 33) == 0,
		  "%s", s);
	free(s);
	rm_tree(dir);

	tmp_dir(dir, sizeof(dir));
	known_run(dir, RTLAB_RUN_INCOMPLETE);
	s = summary(dir);
	cr_assert(strncmp(strchr(s, '\n') + 1, "WARNING: This run is incomplete", 31) == 0,
		  "%s", s);
	cr_assert_str_eq(line_of(s, "ended"), "ended       (never: the run did not end)");
	free(s);
	rm_tree(dir);
}

/* Lost records are a warning: the samples are not all there. */
Test(summary, lost_records_warn)
{
	char dir[64], *s;

	tmp_dir(dir, sizeof(dir));
	known_run(dir, RTLAB_RUN_COMPLETE);
	exec_sql(dir, "UPDATE task SET lost = 7 WHERE name = 'steady'");
	s = summary(dir);
	cr_assert(strstr(s, "WARNING: 7 records were lost"), "%s", s);
	free(s);
	rm_tree(dir);
}

/* Response times, where measured: their own table; none without them. */
Test(summary, response_times)
{
	static const char *const row[] = { "worker", "100", "150.500", "150.000", "199.000",
					   "200.000" };
	struct rtlab_store *st;
	struct rtlab_writer *w;
	struct rtlab_ring *ring;
	char dir[64], *s, *resp;
	uint32_t id;

	tmp_dir(dir, sizeof(dir));
	st = run_new(dir, "resp", "");
	id = task_new(st, "worker");
	cr_assert_eq(rtlab_writer_new(st, 0, &w), 0);
	cr_assert_eq(rtlab_writer_ring(w, id, 128, &ring), 0);
	/* Latency k us, response 100 + k us, k = 1..100. */
	for (uint64_t k = 1; k <= 100; k++)
		cr_assert(rtlab_ring_job(ring, T0_NS + k * SEC_NS / 100, 0, k * US_NS,
					 (100 + k) * US_NS));
	cr_assert_eq(rtlab_writer_start(w, -1), 0);
	cr_assert_eq(rtlab_writer_stop(w), 0);
	rtlab_writer_free(w);
	run_end(st, dir, RTLAB_RUN_COMPLETE, SEC_NS);
	s = summary(dir);
	resp = strstr(s, "\nresponse time per task");
	cr_assert_not_null(resp, "%s", s);
	assert_row(line_of(s, "worker "), (const char *const[]){ "worker", "100", "1.000", "50.500",
								 "50.000", "99.000", "100.000",
								 "100.000", "0", "0", "0" }, 11);
	assert_row(line_of(resp + 1, "worker "), row, 6);
	free(s);
	rm_tree(dir);

	tmp_dir(dir, sizeof(dir));
	known_run(dir, RTLAB_RUN_COMPLETE);
	s = summary(dir);
	cr_assert_null(strstr(s, "response time"), "no response time measured");
	free(s);
	rm_tree(dir);
}

/* A run without samples: dashes, a sentence, and no spike. */
Test(summary, no_samples)
{
	char dir[64], *s;
	struct rtlab_store *st;

	tmp_dir(dir, sizeof(dir));
	st = run_new(dir, "empty", "");
	task_new(st, "lonely");
	run_end(st, dir, RTLAB_RUN_COMPLETE, SEC_NS);
	s = summary(dir);
	cr_assert(strstr(s, "(no latency samples in this run)"), "%s", s);
	cr_assert(strstr(s, "\ntop latency spikes: none (no latency samples)\n"), "%s", s);
	free(s);
	rm_tree(dir);
}
