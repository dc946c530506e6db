/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rt-analysis-internal.h - what the schedulability analysis files share (not installed). */
#ifndef RTLAB_RT_ANALYSIS_INTERNAL_H
#define RTLAB_RT_ANALYSIS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <rtlab/analysis.h>

#include "core-internal.h"

/* The effective priority of a DEADLINE task: above every FIFO/RR priority. */
#define AN_PRIO_DEADLINE 100

/* AN_NS - @ns formatted into a buffer that lives until the end of the enclosing block. */
#define AN_NS(ns) rtlab_an_format_ns((ns), (char[32]){ 0 }, 32)

/*
 * A sum of fractions c/t, exact while it fits in 128 bits (then @approx,
 * always kept, is used instead).
 */
struct an_ratio {
	unsigned __int128 num, den;
	long double approx;
	bool inexact;
};

/* Utilization and density of one group of tasks (a kind on a CPU). */
struct an_sums {
	struct an_ratio util;		/* sum of wcet/period */
	struct an_ratio density;	/* sum of wcet/deadline */
	unsigned n;
	int densest;			/* the task of the largest wcet/deadline, -1: none */
	bool implicit;			/* every deadline equals its period */
};

/* an_deadline - the relative deadline of @t (its period when 0). */
static inline uint64_t an_deadline(const struct rtlab_an_task *t)
{
	return t->deadline_ns ? t->deadline_ns : t->period_ns;
}

/* an_is_fp - a fixed-priority (FIFO/RR) task. */
static inline bool an_is_fp(const struct rtlab_an_task *t)
{
	return t->policy == RTLAB_POLICY_FIFO || t->policy == RTLAB_POLICY_RR;
}

/* an_is_dl - a SCHED_DEADLINE task. */
static inline bool an_is_dl(const struct rtlab_an_task *t)
{
	return t->policy == RTLAB_POLICY_DEADLINE;
}

/* an_prio - the priority that orders @t against others: DEADLINE > FIFO/RR 1..99 > others 0. */
static inline int an_prio(const struct rtlab_an_task *t)
{
	if (an_is_dl(t))
		return AN_PRIO_DEADLINE;
	return an_is_fp(t) ? t->priority : 0;
}

/* an_sat_add - a + b, saturating at UINT64_MAX. */
static inline uint64_t an_sat_add(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

/* an_sat_mul - a * b, saturating at UINT64_MAX. */
static inline uint64_t an_sat_mul(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

/* an_ceil_div - ceil(a / b) for b > 0. */
static inline uint64_t an_ceil_div(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

/* an_ratio_init - an empty sum (0/1). */
void an_ratio_init(struct an_ratio *r);

/* an_ratio_add - add @k * @c / @t (t > 0) to @r. */
void an_ratio_add(struct an_ratio *r, uint64_t k, uint64_t c, uint64_t t);

/* an_ratio_cmp - the sign of @r - @m (-1, 0, 1). */
int an_ratio_cmp(const struct an_ratio *r, uint64_t m);

/* an_ratio_value - @r as a double, for display. */
double an_ratio_value(const struct an_ratio *r);

/*
 * an_sums_collect - utilization and density of the tasks pinned to @cpu
 * (-1: those that may run on several CPUs) that are DEADLINE (@dl) or FIFO/RR.
 */
void an_sums_collect(const struct rtlab_an_set *s, int cpu, bool dl, struct an_sums *ret);

/*
 * A global density test: "ka * sum(density) + kb * max(density) <= m" over the
 * FIFO/RR (or DEADLINE: @dl) tasks that may run on several CPUs, m = global_cpus,
 * after the necessary check sum(util) <= m.
 */
struct an_global {
	bool dl;
	unsigned ka, kb;
	enum rtlab_an_test test;
	const char *name;	/* of the test, for the reason */
	const char *bound;	/* the right-hand side, in words */
	const char *obstacle;	/* why the test does not apply (a pass is then unknown), or NULL */
};

/* an_global_test - run @g; the verdict, test and reason go to @c and to every task of the group. */
void an_global_test(const struct rtlab_an_set *s, struct rtlab_an_cpu *c,
		    struct rtlab_analysis *a, const struct an_global *g);

/* an_fill_group - give every task of the group (@cpu, @dl) the same verdict, test and reason. */
void an_fill_group(const struct rtlab_an_set *s, struct rtlab_analysis *a, int cpu, bool dl,
		   enum rtlab_an_verdict v, enum rtlab_an_test test, const char *reason);

/* an_worse - the worse of two verdicts (NOT_ANALYSED counts as nothing). */
enum rtlab_an_verdict an_worse(enum rtlab_an_verdict x, enum rtlab_an_verdict y);

/* an_say - append formatted text to @buf (of @size), ending in "..." if it does not fit. */
void an_say(char *buf, size_t size, const char *fmt, ...) RTLAB_PRINTF(3, 4);

/* an_rta_cpu - response-time analysis of every FIFO/RR task pinned to @c->cpu. */
void an_rta_cpu(const struct rtlab_an_set *s, struct rtlab_an_cpu *c, struct rtlab_analysis *a);

/* an_global_fp - the FIFO/RR tasks that may run on several CPUs (@c->cpu == -1). */
void an_global_fp(const struct rtlab_an_set *s, struct rtlab_an_cpu *c, struct rtlab_analysis *a);

/* an_edf_cpu - EDF on the DEADLINE tasks pinned to @c->cpu; 0 or -ENOMEM. */
int an_edf_cpu(const struct rtlab_an_set *s, struct rtlab_an_cpu *c, struct rtlab_analysis *a);

/* an_global_edf - the DEADLINE tasks that may run on several CPUs (@c->cpu == -1). */
void an_global_edf(const struct rtlab_an_set *s, struct rtlab_an_cpu *c, struct rtlab_analysis *a);

#endif /* RTLAB_RT_ANALYSIS_INTERNAL_H */
