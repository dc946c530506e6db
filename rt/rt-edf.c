/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rt-edf.c - SCHED_DEADLINE tasks: EDF on one CPU, and global EDF.
 *
 * One CPU (tasks pinned to it, which Linux allows inside an exclusive
 * cpuset, its own root domain):
 * - deadlines equal to periods: U <= 1 is exact (Liu & Layland 1973);
 * - shorter deadlines: the processor-demand test (Baruah, Rosier, Howell
 *   1990): at every absolute deadline t up to a horizon L, the demand of the
 *   jobs due by t, dbf(t) = sum (floor((t - D) / T) + 1) * C, must not
 *   exceed t.  L is the synchronous busy period (w = sum ceil(w / T) * C
 *   iterated to its fixed point), or the bound max(Dmax, sum (T - D) * C/T
 *   / (1 - U)) when U < 1 and it is shorter.  At most
 *   RTLAB_AN_DBF_MAX_POINTS deadlines are checked; past that the test gives
 *   up and says so (the density test, sum C/D <= 1, may still decide).
 * Several CPUs: the Goossens-Funk-Baruah bound with densities,
 * sum C/D <= m - (m - 1) max C/D, a sufficient test only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <rtlab/analysis.h>

#include "rt-analysis-internal.h"

/* Where the demand test stopped. */
struct demand {
	uint64_t horizon;	/* deadlines checked up to here */
	const char *horizon_what;	/* how the horizon was found */
	uint64_t points;	/* deadlines checked */
	uint64_t fail_at;	/* first deadline where the demand exceeds the time, 0: none */
	uint64_t need;		/* the demand there */
	int due;		/* a task with a deadline there */
	bool gave_up;
};

/* in_cpu - a DEADLINE task pinned to @cpu. */
static bool in_cpu(const struct rtlab_an_task *t, int cpu)
{
	return an_is_dl(t) && t->cpu == cpu;
}

/* busy_period - the synchronous busy period on @cpu; false if the iteration gave up. */
static bool busy_period(const struct rtlab_an_set *s, int cpu, uint64_t *ret)
{
	uint64_t w = 0, next;

	for (size_t i = 0; i < s->ntasks; i++)
		if (in_cpu(&s->tasks[i], cpu))
			w = an_sat_add(w, s->tasks[i].wcet_ns);
	for (unsigned it = 0; it < RTLAB_AN_RTA_MAX_ITER; it++) {
		next = 0;
		for (size_t i = 0; i < s->ntasks; i++) {
			const struct rtlab_an_task *t = &s->tasks[i];

			if (in_cpu(t, cpu))
				next = an_sat_add(next, an_sat_mul(an_ceil_div(w, t->period_ns),
								   t->wcet_ns));
		}
		if (next == w) {
			*ret = w;
			return true;
		}
		w = next;
	}
	return false;
}

/* la_bound - max(Dmax, sum (T - D) C/T / (1 - U)) for an exact U < 1, rounded up; 0 if none. */
static uint64_t la_bound(const struct rtlab_an_set *s, int cpu, const struct an_sums *sm)
{
	long double sum = 0, v;
	uint64_t dmax = 0;

	if (sm->util.inexact || an_ratio_cmp(&sm->util, 1) >= 0)
		return 0;
	for (size_t i = 0; i < s->ntasks; i++) {
		const struct rtlab_an_task *t = &s->tasks[i];

		if (!in_cpu(t, cpu))
			continue;
		sum += (long double)(t->period_ns - an_deadline(t)) * t->wcet_ns / t->period_ns;
		if (an_deadline(t) > dmax)
			dmax = an_deadline(t);
	}
	/* 1 - U = (den - num) / den, exactly. */
	v = sum * (long double)sm->util.den / (long double)(sm->util.den - sm->util.num);
	if (v >= 1.8e19L)
		return UINT64_MAX;
	return (uint64_t)v + 1 > dmax ? (uint64_t)v + 1 : dmax;
}

/* horizon - how far the demand test looks (at least the longest deadline); false: no bound. */
static bool horizon(const struct rtlab_an_set *s, int cpu, const struct an_sums *sm,
		    struct demand *dm)
{
	uint64_t la = la_bound(s, cpu, sm), busy, dmax = 0;
	bool have_busy = busy_period(s, cpu, &busy);

	for (size_t i = 0; i < s->ntasks; i++)
		if (in_cpu(&s->tasks[i], cpu) && an_deadline(&s->tasks[i]) > dmax)
			dmax = an_deadline(&s->tasks[i]);
	if (have_busy && (!la || busy <= la)) {
		dm->horizon = busy;
		dm->horizon_what = "the busy period";
	} else if (la) {
		dm->horizon = la;
		dm->horizon_what = "the bound max(Dmax, sum (T - D) U / (1 - U))";
	} else {
		return false;
	}
	if (dm->horizon < dmax) {
		dm->horizon = dmax;
		dm->horizon_what = "the longest deadline, after the busy period";
	}
	return true;
}

/* demand_walk - check dbf(t) <= t at every absolute deadline t up to the horizon, in order. */
static int demand_walk(const struct rtlab_an_set *s, int cpu, struct demand *dm)
{
	uint64_t *next = malloc(s->ntasks * sizeof(*next)), t, need = 0;

	if (!next)
		return -ENOMEM;
	for (size_t i = 0; i < s->ntasks; i++)
		next[i] = in_cpu(&s->tasks[i], cpu) ? an_deadline(&s->tasks[i]) : UINT64_MAX;
	for (;;) {
		t = UINT64_MAX;
		for (size_t i = 0; i < s->ntasks; i++)
			if (next[i] < t)
				t = next[i];
		if (t == UINT64_MAX || t > dm->horizon)
			break;
		if (dm->points >= RTLAB_AN_DBF_MAX_POINTS) {
			dm->gave_up = true;
			break;
		}
		dm->due = -1;
		for (size_t i = 0; i < s->ntasks; i++) {
			if (next[i] != t)
				continue;
			need = an_sat_add(need, s->tasks[i].wcet_ns);
			next[i] = an_sat_add(next[i], s->tasks[i].period_ns);
			if (dm->due < 0)
				dm->due = (int)i;
		}
		dm->points++;
		if (need > t) {
			dm->fail_at = t;
			dm->need = need;
			break;
		}
	}
	free(next);
	return 0;
}

/* demand_verdict - the verdict and reason of the demand test. */
static void demand_verdict(const struct rtlab_an_set *s, struct rtlab_an_cpu *c,
			   const struct an_sums *sm, const struct demand *dm)
{
	double u = an_ratio_value(&sm->util), dens = an_ratio_value(&sm->density);
	bool dens_ok = an_ratio_cmp(&sm->density, 1) <= 0;

	if (dm->fail_at) {
		c->edf = RTLAB_AN_MISS;
		an_say(c->edf_reason, sizeof(c->edf_reason), "processor demand exceeds the time "
		       "at t = %s (a deadline of %s): the jobs due by then need %s of CPU > %s, so "
		       "one of them misses, although U = %.3f <= 1", AN_NS(dm->fail_at),
		       s->tasks[dm->due].name, AN_NS(dm->need), AN_NS(dm->fail_at), u);
		return;
	}
	if (dm->gave_up) {
		c->edf = dens_ok ? RTLAB_AN_SCHEDULABLE : RTLAB_AN_UNKNOWN;
		an_say(c->edf_reason, sizeof(c->edf_reason), "the demand test gave up after %"
		       PRIu64 " deadlines (up to %s to check); the density test %s (sum of "
		       "wcet/deadline %.3f %s 1, a sufficient test)", dm->points,
		       AN_NS(dm->horizon), dens_ok ? "passes" : "fails", dens,
		       dens_ok ? "<=" : ">");
		return;
	}
	c->edf = RTLAB_AN_SCHEDULABLE;
	an_say(c->edf_reason, sizeof(c->edf_reason), "processor demand <= time at every deadline "
	       "up to %s (%s; %" PRIu64 " checked): EDF meets every deadline (exact test); U = "
	       "%.3f, sum of densities %.3f", AN_NS(dm->horizon), dm->horizon_what, dm->points, u,
	       dens);
}

/* edf_demand - the processor-demand test of the DEADLINE tasks on one CPU; 0 or -ENOMEM. */
static int edf_demand(const struct rtlab_an_set *s, struct rtlab_an_cpu *c,
		      const struct an_sums *sm, int *ret_due)
{
	struct demand dm = { .due = -1 };
	int r;

	c->edf_test = RTLAB_AN_TEST_EDF_DEMAND;
	if (!horizon(s, c->cpu, sm, &dm)) {
		c->edf = RTLAB_AN_UNKNOWN;
		an_say(c->edf_reason, sizeof(c->edf_reason), "U = %.3f: the busy period did not "
		       "converge in %u iterations and no other horizon applies, so the demand "
		       "test cannot run", an_ratio_value(&sm->util), RTLAB_AN_RTA_MAX_ITER);
		return 0;
	}
	r = demand_walk(s, c->cpu, &dm);
	if (r < 0)
		return r;
	c->edf_horizon_ns = dm.horizon;
	c->edf_points = dm.points;
	demand_verdict(s, c, sm, &dm);
	*ret_due = dm.fail_at ? dm.due : -1;
	return 0;
}

/* an_edf_cpu - EDF on the DEADLINE tasks pinned to one CPU. */
int an_edf_cpu(const struct rtlab_an_set *s, struct rtlab_an_cpu *c, struct rtlab_analysis *a)
{
	struct an_sums sm;
	int due = -1, r;

	if (c->ndl == 0) {
		an_say(c->edf_reason, sizeof(c->edf_reason), "no DEADLINE task pinned here");
		return 0;
	}
	an_sums_collect(s, c->cpu, true, &sm);
	c->edf_test = RTLAB_AN_TEST_EDF_UTIL;
	if (an_ratio_cmp(&sm.util, 1) > 0) {
		c->edf = RTLAB_AN_MISS;
		an_say(c->edf_reason, sizeof(c->edf_reason), "U = %.3f > 1: the DEADLINE tasks "
		       "need more than the whole CPU, so some jobs miss", an_ratio_value(&sm.util));
	} else if (sm.implicit && !sm.util.inexact) {
		c->edf = RTLAB_AN_SCHEDULABLE;
		an_say(c->edf_reason, sizeof(c->edf_reason), "U = %.3f <= 1 with deadlines equal "
		       "to periods: EDF meets every deadline (exact test)",
		       an_ratio_value(&sm.util));
	} else {
		r = edf_demand(s, c, &sm, &due);
		if (r < 0)
			return r;
	}
	an_fill_group(s, a, c->cpu, true, c->edf, c->edf_test, c->edf_reason);
	if (due >= 0)
		an_say(a->tasks[due].reason, sizeof(a->tasks[due].reason), "; the demand is first "
		       "exceeded at this task's deadline");
	return 0;
}

/* an_global_edf - the Goossens-Funk-Baruah density test for global EDF. */
void an_global_edf(const struct rtlab_an_set *s, struct rtlab_an_cpu *c, struct rtlab_analysis *a)
{
	const struct an_global gfb = {
		.dl = true,
		.ka = 1,
		.kb = s->global_cpus - 1,
		.test = RTLAB_AN_TEST_GLOBAL_EDF,
		.name = "global EDF density (Goossens-Funk-Baruah)",
		.bound = "m - (m - 1) max density",
	};

	an_global_test(s, c, a, &gfb);
	if (c->ndl)
		an_say(c->note, sizeof(c->note), "Linux schedules DEADLINE tasks on several CPUs "
		       "with global EDF; its admission control (utilization within the CPUs' "
		       "capacity) bounds how late jobs can be, not that they meet their "
		       "deadlines. ");
}
