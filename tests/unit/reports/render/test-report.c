/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-report.c - whole reports: files, escaping, empty and unfinished runs, bad input. */
#include <dirent.h>

#include "test-run.h"

#define MS_NS 1000000ULL

/* A task name, a host name and a scenario text made to break the page. */
#define EVIL_TASK "<script>alert(1)</script>"
#define EVIL_SCENARIO "[scenario]\nname = x\n# </pre><script>alert(2)</script> & 'q'\n"

/* need_gnuplot - skip the test without gnuplot. */
static void need_gnuplot(void)
{
	if (!have_gnuplot())
		cr_skip_test("gnuplot is not installed (package gnuplot-nox)");
}

/*
 * full_run - two tasks with @n samples each over 1 s (one with a stored
 * histogram, one named EVIL_TASK), misses, events and probe samples.
 */
static void full_run(const char *dir, size_t n)
{
	struct sample *s = calloc(n, sizeof(*s));
	const uint64_t miss_t[] = { T0_NS + 300 * MS_NS, T0_NS + 310 * MS_NS };
	const uint64_t lo[] = { 10000, 20000, 400000 }, hi[] = { 11000, 21000, 410000 };
	const uint64_t cnt[] = { 50, 40, 1 };
	struct rtlab_store *st = run_new(dir, "full", EVIL_SCENARIO);
	uint32_t a = task_new(st, "plain"), b = task_new(st, EVIL_TASK);

	cr_assert_not_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = (struct sample){ T0_NS + i * SEC_NS / n, (int)(i % 2),
					(10 + i % 17) * US_NS + (i == n / 2 ? 400 * US_NS : 0) };
	samples_put(st, a, s, n, NULL, 0);
	samples_put(st, b, s, n, miss_t, 2);
	cr_assert_eq(rtlab_store_hist(st, a, lo, hi, cnt, 3), 0);
	task_end(st, a, n, 0);
	task_end(st, b, n, 2);
	cr_assert_eq(rtlab_store_event(st, T0_NS + 500 * MS_NS, "watchdog", "<b>late</b>"), 0);
	run_end(st, dir, RTLAB_RUN_COMPLETE, SEC_NS);
	exec_sql(dir, "UPDATE run SET hostname = 'h<o>st&\"''', kernel = '6.1<i>'");
	probe_tables(dir);
	for (unsigned i = 0; i < 5; i++) {
		probe_put(dir, "node_load1", "", T0_NS + i * SEC_NS / 4, 0.5 + i, 0);
		probe_put(dir, "rtlab_pressure_avg_ratio",
			  "resource=\"io\",kind=\"some\",window=\"10s\"", T0_NS + i * SEC_NS / 4,
			  0.01 * i, 0);
	}
	free(s);
}

/* has_file - @dir/@name exists. */
static bool has_file(const char *dir, const char *name)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* assert_png - @dir/@name is a PNG file. */
static void assert_png(const char *dir, const char *name)
{
	char path[PATH_MAX + 64], head[8];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "%s is missing", path);
	cr_assert_eq(fread(head, 1, 8, f), 8);
	fclose(f);
	cr_assert(memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0, "%s is not a PNG", path);
}

/* assert_no_leftovers - no temporary file or folder left in @dir. */
static void assert_no_leftovers(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		cr_assert(strncmp(e->d_name, ".rtlab-report", 13) != 0 &&
			  !strstr(e->d_name, ".tmp"), "left over: %s", e->d_name);
	closedir(d);
}

/* Every file, every plot in the page and as PNG, and the files listed in order. */
Test(report, writes_every_file)
{
	static const char *const pngs[] = { "hist-task1.png", "time-task1.png", "hist-task2.png",
					    "time-task2.png", "percentiles.png", "misses.png",
					    "probe-load1.png", "probe-psi-io.png" };
	struct rtlab_report *rep;
	char dir[64], err[512], path[PATH_MAX];
	char *html;

	need_gnuplot();
	tmp_dir(dir, sizeof(dir));
	full_run(dir, 400);
	cr_assert_eq(rtlab_report_open(dir, &rep, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rtlab_report_write(rep, NULL, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rtlab_report_nfiles(rep), 2 + sizeof(pngs) / sizeof(pngs[0]));
	snprintf(path, sizeof(path), "%s/report.html", dir);
	cr_assert_str_eq(rtlab_report_file(rep, 0), path);
	snprintf(path, sizeof(path), "%s/summary.txt", dir);
	cr_assert_str_eq(rtlab_report_file(rep, 1), path);
	cr_assert_null(rtlab_report_file(rep, 99));
	for (size_t i = 0; i < sizeof(pngs) / sizeof(pngs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, pngs[i]);
		cr_assert_str_eq(rtlab_report_file(rep, 2 + i), path);
		assert_png(dir, pngs[i]);
	}
	rtlab_report_free(rep);
	html = slurp_in(dir, "report.html");
	assert_html(html);
	cr_assert_eq(count_str(html, "<svg"), sizeof(pngs) / sizeof(pngs[0]));
	cr_assert(strstr(html, "<h2>Top 10 latency spikes</h2>"));
	cr_assert(strstr(html, "the task&#39;s HDR histogram"), "task 1 uses its stored buckets");
	cr_assert(strstr(html, "µs bins, from the samples"), "task 2 has no stored histogram");
	cr_assert(strstr(html, "latency of each job over time"), "400 samples: not reduced");
	cr_assert_null(strstr(html, "No deadline misses"));
	assert_no_leftovers(dir);
	free(html);
	rm_tree(dir);
}

/* Nothing from the run reaches the page unescaped: names, host, kernel, scenario, events. */
Test(report, run_text_is_escaped)
{
	char dir[64], err[512];
	char *html, *txt;

	need_gnuplot();
	tmp_dir(dir, sizeof(dir));
	full_run(dir, 50);
	cr_assert_eq(report_make(dir, NULL, 0, err, sizeof(err)), 0, "%s", err);
	html = slurp_in(dir, "report.html");
	assert_html(html);
	cr_assert_null(strstr(html, "<script"), "a script element in the page");
	cr_assert_null(strstr(html, "<b>late"));
	cr_assert_null(strstr(html, "<i>"));
	cr_assert(strstr(html, "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
	cr_assert(strstr(html, "<td>h&lt;o&gt;st&amp;&quot;&#39;</td>"));
	cr_assert(strstr(html, "&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt; &amp; "
			       "&#39;q&#39;"));
	cr_assert(strstr(html, "&lt;b&gt;late&lt;/b&gt;"));
	/* In the SVG, gnuplot wrote the name from an escaped gnuplot string. */
	cr_assert(strstr(html, "&lt;script>alert(1)&lt;/script>"), "the legend of a plot");
	txt = slurp_in(dir, "summary.txt");
	cr_assert(strstr(txt, "h<o>st&\"'"), "plain text stays plain");
	free(txt);
	free(html);
	rm_tree(dir);
}

/* A run without samples still makes a valid page that says so, without plots. */
Test(report, empty_run)
{
	struct rtlab_store *st;
	char dir[64], err[512];
	char *html;

	need_gnuplot();
	tmp_dir(dir, sizeof(dir));
	st = run_new(dir, "empty", "[scenario]\nname = empty\n");
	task_new(st, "lonely");
	run_end(st, dir, RTLAB_RUN_COMPLETE, SEC_NS);
	cr_assert_eq(report_make(dir, NULL, 0, err, sizeof(err)), 0, "%s", err);
	html = slurp_in(dir, "report.html");
	assert_html(html);
	cr_assert(strstr(html, "There are no latency samples in this run."));
	cr_assert(strstr(html, "No latency samples for this task."));
	cr_assert(strstr(html, "No deadline misses were recorded."));
	cr_assert(strstr(html, "No probe samples were recorded in this run."));
	cr_assert_eq(count_str(html, "<svg"), 0);
	cr_assert_null(strstr(html, "class=\"warn\""), "a complete run has no warning");
	cr_assert(has_file(dir, "summary.txt"));
	cr_assert_not(has_file(dir, "percentiles.png"));
	free(html);
	rm_tree(dir);
}

/* An interrupted run and an incomplete one say so at the top of the page. */
Test(report, unfinished_runs_are_flagged)
{
	static const struct {
		enum rtlab_run_status status;
		const char *says;
	} cases[] = { { RTLAB_RUN_INTERRUPTED, "This run was interrupted" },
		      { RTLAB_RUN_INCOMPLETE, "This run is incomplete" } };

	need_gnuplot();
	for (size_t i = 0; i < 2; i++) {
		struct rtlab_store *st;
		char dir[64], err[512], *html, *h1;
		struct sample s = { T0_NS + 1000, 0, 5 * US_NS };

		tmp_dir(dir, sizeof(dir));
		st = run_new(dir, "cut", "");
		samples_put(st, task_new(st, "t"), &s, 1, NULL, 0);
		run_end(st, dir, cases[i].status, SEC_NS);
		cr_assert_eq(report_make(dir, NULL, 0, err, sizeof(err)), 0, "%s", err);
		html = slurp_in(dir, "report.html");
		assert_html(html);
		h1 = strstr(html, "</h1>\n");
		cr_assert_not_null(h1);
		cr_assert(strncmp(h1 + 6, "<p class=\"warn\" id=\"status\">", 28) == 0,
			  "the warning right under the title");
		cr_assert(strstr(h1, cases[i].says), "%s", cases[i].says);
		free(html);
		rm_tree(dir);
	}
}

/* Beyond max_points a time plot is reduced per bucket, and says so; -o makes the folder. */
Test(report, large_runs_are_reduced_honestly)
{
	char dir[64], out[128], err[512];
	char *html;

	need_gnuplot();
	tmp_dir(dir, sizeof(dir));
	full_run(dir, 3000);
	snprintf(out, sizeof(out), "%s/elsewhere", dir);
	cr_assert_eq(report_make(dir, out, 1000, err, sizeof(err)), 0, "%s", err);
	cr_assert_not(has_file(dir, "report.html"), "-o: nothing in the run folder");
	html = slurp_in(out, "report.html");
	assert_html(html);
	cr_assert(strstr(html, "latency over time, reduced to min, p99 and max per 0.001 s "
			       "(3000 samples in 1000 buckets)"), "caption");
	cr_assert(strstr(html, "latency over time, reduced: min, p99, max per 0.001 s"),
		  "the plot's own title");
	cr_assert(has_file(out, "time-task2.png"));
	free(html);
	rm_tree(dir);
}

/* Without gnuplot: an error naming the package, and nothing written. */
Test(report, gnuplot_missing)
{
	struct rtlab_report_opts o = { .gnuplot = "rtlab-no-such-gnuplot" };
	struct rtlab_report *rep;
	char dir[64], err[512];

	tmp_dir(dir, sizeof(dir));
	full_run(dir, 10);
	cr_assert_eq(rtlab_report_open(dir, &rep, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rtlab_report_write(rep, &o, err, sizeof(err)), -ENOENT);
	cr_assert(strstr(err, "gnuplot-nox"), "%s", err);
	cr_assert_eq(rtlab_report_nfiles(rep), 0);
	rtlab_report_free(rep);
	cr_assert_not(has_file(dir, "report.html"));
	cr_assert_not(has_file(dir, "summary.txt"));
	assert_no_leftovers(dir);
	rm_tree(dir);
}

/* Not a run: a folder without run.db, a missing path, a run.db that is not one. */
Test(report, not_a_run)
{
	struct rtlab_report *rep = NULL;
	char dir[64], err[512], want[128], path[128];
	FILE *f;

	tmp_dir(dir, sizeof(dir));
	cr_assert_eq(rtlab_report_open(dir, &rep, err, sizeof(err)), -ENOENT);
	snprintf(want, sizeof(want), "%s: not a run (no run.db)", dir);
	cr_assert_str_eq(err, want);
	snprintf(path, sizeof(path), "%s/nowhere", dir);
	cr_assert_eq(rtlab_report_open(path, &rep, err, sizeof(err)), -ENOENT);
	cr_assert(strstr(err, "no such file or folder"), "%s", err);
	snprintf(path, sizeof(path), "%s/run.db", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("this is not a database, not even a small one, just text\n", f);
	fclose(f);
	cr_assert_eq(rtlab_report_open(dir, &rep, err, sizeof(err)), -EPROTO);
	cr_assert(strstr(err, "not a run"), "%s", err);
	cr_assert_null(rep);
	rm_tree(dir);
}
