/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-select.c - which spikes are explained: the largest, one per task per window. */
#include "corr-fixture.h"

#define MS_NS 1000000ULL

/*
 * stall_run - task "a": a 10 ms stall ending at 600 ms whose catch-up jobs have
 * 10, 9 and 8 ms, then a 5 ms spike at 900 ms; task "b": 7 ms at 600 ms.
 * Every other job: 10 us.
 */
static void stall_run(const char *dir)
{
	struct rtlab_store *st = run_new(dir, "stall", "[scenario]\nname = stall\n");
	uint32_t a = task_new(st, "a"), b = task_new(st, "b");
	struct sample sa[54], sb[50];

	for (unsigned k = 0; k < 50; k++) {
		sa[k] = (struct sample){ T0_NS + (20 * k + 1) * MS_NS, 0, 10 * US_NS };
		sb[k] = (struct sample){ T0_NS + (20 * k + 2) * MS_NS, 1, 10 * US_NS };
	}
	sa[50] = (struct sample){ T0_NS + 600 * MS_NS, 0, 10 * MS_NS };
	sa[51] = (struct sample){ T0_NS + 600 * MS_NS + 10 * US_NS, 0, 9 * MS_NS };
	sa[52] = (struct sample){ T0_NS + 600 * MS_NS + 20 * US_NS, 0, 8 * MS_NS };
	sa[53] = (struct sample){ T0_NS + 900 * MS_NS, 0, 5 * MS_NS };
	sb[30] = (struct sample){ T0_NS + 600 * MS_NS, 1, 7 * MS_NS };
	samples_put(st, a, sa, 54, NULL, 0);
	samples_put(st, b, sb, 50, NULL, 0);
	run_end(st, dir, RTLAB_RUN_COMPLETE, 2 * SEC_NS);
}

/* read_corr - the run in @dir explained with @spikes and @window_ns. */
static struct rtlab_corr *read_corr(const char *dir, unsigned spikes, uint64_t window_ns)
{
	struct rtlab_corr_opts o = { spikes, window_ns };
	struct rtlab_corr *c = NULL;
	char err[256] = "";

	cr_assert_eq(rtlab_corr_run(dir, &o, &c, err, sizeof(err)), 0, "%s", err);
	return c;
}

/* One long stall is one spike; another task's spike at the same time is its own. */
Test(select, one_per_task_per_window)
{
	static const struct {
		const char *task;
		uint64_t lat_ms;
	} want[] = { { "a", 10 }, { "b", 7 }, { "a", 5 } };
	char dir[64];
	struct rtlab_corr *c;

	tmp_dir(dir, sizeof(dir));
	stall_run(dir);
	c = read_corr(dir, 5, 0);
	cr_assert_eq(c->n, 5);
	for (size_t i = 0; i < 3; i++) {
		cr_assert_str_eq(c->spikes[i].task_name, want[i].task, "spike %zu", i);
		cr_assert_eq(c->spikes[i].latency_ns, want[i].lat_ms * MS_NS, "spike %zu", i);
	}
	for (size_t i = 3; i < 5; i++)
		cr_assert_eq(c->spikes[i].latency_ns, 10 * US_NS,
			     "the 9 and 8 ms jobs are left out");
	cr_assert_eq(c->spikes[0].window_ns, 20 * MS_NS, "2 x the latency");
	cr_assert_eq(c->spikes[3].window_ns, 2 * MS_NS, "at least 2 ms");
	cr_assert_eq(c->spikes[0].programmed_ns, T0_NS + 590 * MS_NS);
	cr_assert_not(c->traced);
	rtlab_corr_free(c);
	rm_tree(dir);
}

/* The window option: used as given, but never shorter than the gap. */
Test(select, window_option)
{
	char dir[64];
	struct rtlab_corr *c;

	tmp_dir(dir, sizeof(dir));
	stall_run(dir);
	c = read_corr(dir, 3, 6 * MS_NS);
	cr_assert_eq(c->n, 3);
	cr_assert_eq(c->spikes[0].window_ns, 10 * MS_NS, "the 10 ms gap is kept whole");
	cr_assert_eq(c->spikes[1].window_ns, 7 * MS_NS);
	cr_assert_eq(c->spikes[2].window_ns, 6 * MS_NS);
	rtlab_corr_free(c);
	rm_tree(dir);
}

/* A run without samples: no spike; a folder that is no run: -ENOENT with a message. */
Test(select, empty_and_missing)
{
	char dir[64], err[256] = "";
	struct rtlab_corr *c = NULL;
	struct rtlab_store *st;

	tmp_dir(dir, sizeof(dir));
	st = run_new(dir, "empty", "");
	task_new(st, "a");
	run_end(st, dir, RTLAB_RUN_COMPLETE, SEC_NS);
	c = read_corr(dir, 5, 0);
	cr_assert_eq(c->n, 0);
	rtlab_corr_free(c);
	c = NULL;
	cr_assert_eq(rtlab_corr_run("/nonexistent/rtlab-run", NULL, &c, err, sizeof(err)),
		     -ENOENT);
	cr_assert_null(c);
	cr_assert(strstr(err, "/nonexistent/rtlab-run: "), "%s", err);
	rm_tree(dir);
}

/* The names of the enums, and NULL past them. */
Test(select, names)
{
	cr_assert_str_eq(rtlab_corr_cause_name(RTLAB_CAUSE_HOST), "host");
	cr_assert_str_eq(rtlab_corr_part_name(RTLAB_CORR_WAIT), "wait");
	cr_assert_str_eq(rtlab_corr_kind_name(RTLAB_CORR_SOFTIRQ), "softirq");
	cr_assert_str_eq(rtlab_corr_counter_name(RTLAB_CORR_STEAL), "steal");
	cr_assert_null(rtlab_corr_cause_name(_RTLAB_CORR_CAUSE_MAX));
	cr_assert_null(rtlab_corr_part_name(_RTLAB_CORR_PART_MAX));
	cr_assert_null(rtlab_corr_kind_name(_RTLAB_CORR_KIND_MAX));
	cr_assert_null(rtlab_corr_counter_name(_RTLAB_CORR_COUNTER_MAX));
}
