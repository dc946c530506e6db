/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rt-analysis.c - schedulability analysis: input checks, the per-CPU view
 * (utilization, rate/deadline-monotonic order, Liu-Layland), the shared
 * arithmetic (exact sums of fractions, density tests) and the public API.
 * The fixed-priority tests live in rt-rta.c, the EDF tests in rt-edf.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rtlab/analysis.h>

#include "rt-analysis-internal.h"

/* Above this share of a CPU the kernel's default RT throttling steps in. */
#define RT_THROTTLE_SHARE 0.95

static const char *const verdict_names[_RTLAB_AN_VERDICT_MAX] = {
	[RTLAB_AN_SCHEDULABLE] = "schedulable",
	[RTLAB_AN_UNKNOWN] = "unknown",
	[RTLAB_AN_MISS] = "can miss",
	[RTLAB_AN_NOT_ANALYSED] = "not analysed",
};

static const char *const test_names[_RTLAB_AN_TEST_MAX] = {
	[RTLAB_AN_TEST_NONE] = "none",
	[RTLAB_AN_TEST_RTA] = "response time",
	[RTLAB_AN_TEST_EDF_UTIL] = "EDF utilization",
	[RTLAB_AN_TEST_EDF_DEMAND] = "EDF demand",
	[RTLAB_AN_TEST_GLOBAL_EDF] = "global EDF density",
	[RTLAB_AN_TEST_GLOBAL_DM] = "global DM density",
};

static const char *const blocking_names[_RTLAB_AN_BLOCK_MAX] = {
	[RTLAB_AN_BLOCK_NONE] = "none",
	[RTLAB_AN_BLOCK_PER_TASK] = "per task",
	[RTLAB_AN_BLOCK_PER_MUTEX] = "per mutex",
	[RTLAB_AN_BLOCK_CEILING] = "ceiling",
	[RTLAB_AN_BLOCK_UNBOUNDED] = "unbounded",
};

/* rtlab_an_verdict_name - the name of a verdict. */
const char *rtlab_an_verdict_name(enum rtlab_an_verdict v)
{
	return (unsigned int)v < _RTLAB_AN_VERDICT_MAX ? verdict_names[v] : NULL;
}

/* rtlab_an_test_name - the name of a test. */
const char *rtlab_an_test_name(enum rtlab_an_test t)
{
	return (unsigned int)t < _RTLAB_AN_TEST_MAX ? test_names[t] : NULL;
}

/* rtlab_an_blocking_name - the name of a blocking bound. */
const char *rtlab_an_blocking_name(enum rtlab_an_blocking b)
{
	return (unsigned int)b < _RTLAB_AN_BLOCK_MAX ? blocking_names[b] : NULL;
}

/* rtlab_an_format_ns - @ns in the largest unit it reaches, digits exact. */
const char *rtlab_an_format_ns(uint64_t ns, char *buf, size_t size)
{
	static const struct {
		uint64_t ns;
		const char *name;
		int digits;
	} units[] = {
		{ RTLAB_NSEC_PER_SEC, "s", 9 },
		{ RTLAB_NSEC_PER_MSEC, "ms", 6 },
		{ RTLAB_NSEC_PER_USEC, "us", 3 },
	};
	uint64_t frac;
	int digits;

	for (size_t i = 0; i < RTLAB_ARRAY_SIZE(units); i++) {
		if (ns < units[i].ns)
			continue;
		frac = ns % units[i].ns;
		digits = units[i].digits;
		while (frac && frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		if (frac)
			snprintf(buf, size, "%" PRIu64 ".%0*" PRIu64 " %s", ns / units[i].ns,
				 digits, frac, units[i].name);
		else
			snprintf(buf, size, "%" PRIu64 " %s", ns / units[i].ns, units[i].name);
		return buf;
	}
	snprintf(buf, size, "%" PRIu64 " ns", ns);
	return buf;
}

/* gcd128 - greatest common divisor (gcd(0, b) = b). */
static unsigned __int128 gcd128(unsigned __int128 a, unsigned __int128 b)
{
	while (b) {
		unsigned __int128 t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* an_ratio_init - 0/1, exact. */
void an_ratio_init(struct an_ratio *r)
{
	r->num = 0;
	r->den = 1;
	r->approx = 0;
	r->inexact = false;
}

/* an_ratio_add - num/den + k*c/t, reduced; falls back to the approximation on overflow. */
void an_ratio_add(struct an_ratio *r, uint64_t k, uint64_t c, uint64_t t)
{
	unsigned __int128 g, den, num, kc = (unsigned __int128)k * c;

	r->approx += (long double)kc / (long double)t;
	if (r->inexact)
		return;
	g = gcd128(r->den, t);
	if (__builtin_mul_overflow(r->den / g, (unsigned __int128)t, &den) ||
	    __builtin_mul_overflow(r->num, (unsigned __int128)(t / g), &num) ||
	    __builtin_mul_overflow(kc, r->den / g, &kc) || __builtin_add_overflow(num, kc, &num)) {
		r->inexact = true;
		return;
	}
	g = gcd128(num, den);
	r->num = num / g;
	r->den = den / g;
}

/* an_ratio_cmp - compare with an integer, exactly when possible. */
int an_ratio_cmp(const struct an_ratio *r, uint64_t m)
{
	unsigned __int128 rhs;

	if (r->inexact)
		return r->approx < (long double)m ? -1 : r->approx > (long double)m;
	if (__builtin_mul_overflow((unsigned __int128)m, r->den, &rhs))
		return -1;	/* m * den >= 2^128 > num */
	return r->num < rhs ? -1 : r->num > rhs;
}

/* an_ratio_value - for display. */
double an_ratio_value(const struct an_ratio *r)
{
	if (r->inexact)
		return (double)r->approx;
	return (double)((long double)r->num / (long double)r->den);
}

/* an_say - append to a reason, marking truncation with "...". */
void an_say(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strnlen(buf, size);
	va_list ap;
	int n;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= size - len && size >= 4)
		memcpy(buf + size - 4, "...", 4);
}

/* an_worse - order: schedulable < unknown < can miss; not analysed is neutral. */
enum rtlab_an_verdict an_worse(enum rtlab_an_verdict x, enum rtlab_an_verdict y)
{
	if (x == RTLAB_AN_NOT_ANALYSED)
		return y;
	if (y == RTLAB_AN_NOT_ANALYSED)
		return x;
	return x > y ? x : y;
}

/* in_group - @t is of the kind (@dl or FIFO/RR) and placement (@cpu) of a group. */
static bool in_group(const struct rtlab_an_task *t, int cpu, bool dl)
{
	return t->cpu == cpu && (dl ? an_is_dl(t) : an_is_fp(t));
}

/* denser - whether c1/d1 > c2/d2. */
static bool denser(uint64_t c1, uint64_t d1, uint64_t c2, uint64_t d2)
{
	return (unsigned __int128)c1 * d2 > (unsigned __int128)c2 * d1;
}

/* an_sums_collect - sums over one group of tasks. */
void an_sums_collect(const struct rtlab_an_set *s, int cpu, bool dl, struct an_sums *ret)
{
	an_ratio_init(&ret->util);
	an_ratio_init(&ret->density);
	ret->n = 0;
	ret->densest = -1;
	ret->implicit = true;
	for (size_t i = 0; i < s->ntasks; i++) {
		const struct rtlab_an_task *t = &s->tasks[i];

		if (!in_group(t, cpu, dl))
			continue;
		ret->n++;
		an_ratio_add(&ret->util, 1, t->wcet_ns, t->period_ns);
		an_ratio_add(&ret->density, 1, t->wcet_ns, an_deadline(t));
		if (an_deadline(t) != t->period_ns)
			ret->implicit = false;
		if (ret->densest < 0 ||
		    denser(t->wcet_ns, an_deadline(t), s->tasks[ret->densest].wcet_ns,
			   an_deadline(&s->tasks[ret->densest])))
			ret->densest = (int)i;
	}
}

/* an_fill_group - one verdict for every task of a group. */
void an_fill_group(const struct rtlab_an_set *s, struct rtlab_analysis *a, int cpu, bool dl,
		   enum rtlab_an_verdict v, enum rtlab_an_test test, const char *reason)
{
	for (size_t i = 0; i < s->ntasks; i++) {
		if (!in_group(&s->tasks[i], cpu, dl))
			continue;
		a->tasks[i].verdict = v;
		a->tasks[i].test = test;
		rtlab_strlcpy(a->tasks[i].reason, reason, sizeof(a->tasks[i].reason));
	}
}

/* density_test - ka * sum(density) + kb * max(density) <= m, as a sufficient test. */
static enum rtlab_an_verdict density_test(const struct rtlab_an_set *s, const struct an_global *g,
					  char *reason, size_t size)
{
	const struct rtlab_an_task *top;
	unsigned m = s->global_cpus;
	struct an_ratio lhs;
	struct an_sums sm;
	double lmax;
	bool pass;

	an_sums_collect(s, -1, g->dl, &sm);
	top = &s->tasks[sm.densest];
	lmax = (double)top->wcet_ns / (double)an_deadline(top);
	if (an_ratio_cmp(&sm.util, m) > 0) {
		an_say(reason, size, "total utilization %.3f > %u CPUs: they need more than the "
		       "CPUs they may run on, so some job must miss", an_ratio_value(&sm.util), m);
		return RTLAB_AN_MISS;
	}
	an_ratio_init(&lhs);
	for (size_t i = 0; i < s->ntasks; i++)
		if (in_group(&s->tasks[i], -1, g->dl))
			an_ratio_add(&lhs, g->ka, s->tasks[i].wcet_ns, an_deadline(&s->tasks[i]));
	an_ratio_add(&lhs, g->kb, top->wcet_ns, an_deadline(top));
	pass = an_ratio_cmp(&lhs, m) <= 0;
	an_say(reason, size, "sum of densities (wcet/deadline) %.3f %s %.3f = %s with m = %u CPUs "
	       "and the largest density %.3f (%s): ", an_ratio_value(&sm.density),
	       pass ? "<=" : ">", ((double)m - g->kb * lmax) / g->ka, g->bound, m, lmax,
	       top->name);
	if (pass && g->obstacle) {
		an_say(reason, size, "the %s test would pass, but it does not apply here: %s",
		       g->name, g->obstacle);
		return RTLAB_AN_UNKNOWN;
	}
	if (pass) {
		an_say(reason, size, "schedulable by the %s test (a sufficient test)", g->name);
		return RTLAB_AN_SCHEDULABLE;
	}
	an_say(reason, size, "the %s test fails; it is only sufficient, so this does not prove a "
	       "miss either", g->name);
	return RTLAB_AN_UNKNOWN;
}

/* an_global_test - a density test on the FIFO/RR or DEADLINE tasks that may run anywhere. */
void an_global_test(const struct rtlab_an_set *s, struct rtlab_an_cpu *c,
		    struct rtlab_analysis *a, const struct an_global *g)
{
	char *reason = g->dl ? c->edf_reason : c->fp_reason;
	enum rtlab_an_verdict *v = g->dl ? &c->edf : &c->fp;

	if ((g->dl ? c->ndl : c->nfp) == 0) {
		an_say(reason, RTLAB_AN_REASON_MAX, "no %s task may run on several CPUs",
		       g->dl ? "DEADLINE" : "FIFO/RR");
		return;
	}
	*(g->dl ? &c->edf_test : &c->fp_test) = g->test;
	*v = density_test(s, g, reason, RTLAB_AN_REASON_MAX);
	an_fill_group(s, a, -1, g->dl, *v, g->test, reason);
}

/* bad - write the reason of a refusal into @err; returns -EINVAL. */
RTLAB_PRINTF(3, 4) static int bad(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* check_mutex - protocol known, ceiling 1..99 for PROTECT. */
static int check_mutex(const struct rtlab_an_mutex *m, char *err, size_t errsize)
{
	if (!m->name[0] || !memchr(m->name, '\0', sizeof(m->name)))
		return bad(err, errsize, "a mutex needs a name");
	if ((unsigned int)m->protocol >= _RTLAB_MUTEX_PROTOCOL_MAX)
		return bad(err, errsize, "unknown protocol %d", (int)m->protocol);
	if (m->protocol == RTLAB_MUTEX_PROTECT && (m->ceiling < 1 || m->ceiling > 99))
		return bad(err, errsize, "ceiling %d is not in 1..99", m->ceiling);
	return 0;
}

/* check_task_mutex - the mutex index, the hold time and the ceiling rules. */
static int check_task_mutex(const struct rtlab_an_task *t, const struct rtlab_an_mutex *mutexes,
			    size_t nmutexes, char *err, size_t errsize)
{
	const struct rtlab_an_mutex *m;

	if (t->mutex < -1 || (t->mutex >= 0 && (size_t)t->mutex >= nmutexes))
		return bad(err, errsize, "mutex index %d is not one of the %zu mutexes",
			   t->mutex, nmutexes);
	if (t->mutex < 0)
		return 0;
	m = &mutexes[t->mutex];
	if (t->hold_ns > t->wcet_ns)
		return bad(err, errsize, "holds mutex '%s' for %s, longer than its WCET %s",
			   m->name, AN_NS(t->hold_ns), AN_NS(t->wcet_ns));
	if (m->protocol != RTLAB_MUTEX_PROTECT)
		return 0;
	if (!an_is_fp(t))
		return bad(err, errsize, "uses mutex '%s' (protect) but is %s: the priority "
			   "ceiling protocol applies to fifo/rr tasks only", m->name,
			   rtlab_policy_name(t->policy));
	if (t->priority > m->ceiling)
		return bad(err, errsize, "priority %d is above the ceiling %d of mutex '%s'",
			   t->priority, m->ceiling, m->name);
	return 0;
}

/* rtlab_an_task_check - one task against the model. */
int rtlab_an_task_check(const struct rtlab_an_task *t, const struct rtlab_an_mutex *mutexes,
			size_t nmutexes, char *err, size_t errsize)
{
	bool rt = an_is_fp(t) || an_is_dl(t);

	if (!t->name[0] || !memchr(t->name, '\0', sizeof(t->name)))
		return bad(err, errsize, "a task needs a name (1..%d bytes)",
			   RTLAB_AN_NAME_MAX - 1);
	if ((unsigned int)t->policy >= _RTLAB_POLICY_MAX)
		return bad(err, errsize, "unknown policy %d", (int)t->policy);
	if (an_is_fp(t) && (t->priority < 1 || t->priority > 99))
		return bad(err, errsize, "priority %d is not in 1..99", t->priority);
	if (t->period_ns == 0)
		return bad(err, errsize, "period is zero");
	if (t->deadline_ns > t->period_ns)
		return bad(err, errsize, "deadline %s is longer than its period %s (only "
			   "deadlines <= periods are analysed)", AN_NS(t->deadline_ns),
			   AN_NS(t->period_ns));
	if (rt && t->wcet_ns > an_deadline(t))
		return bad(err, errsize, "WCET %s is longer than its deadline %s: it misses "
			   "even alone on a CPU", AN_NS(t->wcet_ns),
			   AN_NS(an_deadline(t)));
	if (t->cpu < -1)
		return bad(err, errsize, "cpu %d is neither a CPU number nor -1", t->cpu);
	return check_task_mutex(t, mutexes, nmutexes, err, errsize);
}

/* check_set - every mutex and task, the set as a whole. */
static int check_set(const struct rtlab_an_set *s, char *err, size_t errsize)
{
	char why[512];
	bool global = false;

	if (s->ntasks == 0 || !s->tasks)
		return bad(err, errsize, "no task to analyse");
	if (s->nmutexes && !s->mutexes)
		return bad(err, errsize, "%zu mutexes but no mutex array", s->nmutexes);
	for (size_t i = 0; i < s->nmutexes; i++)
		if (check_mutex(&s->mutexes[i], why, sizeof(why)) < 0)
			return bad(err, errsize, "mutex %zu '%.63s': %s", i,
				   s->mutexes[i].name, why);
	for (size_t i = 0; i < s->ntasks; i++) {
		const struct rtlab_an_task *t = &s->tasks[i];

		if (rtlab_an_task_check(t, s->mutexes, s->nmutexes, why, sizeof(why)) < 0)
			return bad(err, errsize, "task %zu '%.63s': %s", i, t->name, why);
		global |= t->cpu == -1 && (an_is_fp(t) || an_is_dl(t));
	}
	if (global && s->global_cpus < 2)
		return bad(err, errsize, "tasks may run on several CPUs (cpu = -1) but the set "
			   "says they share %u: give the CPU count (>= 2), or pin each task "
			   "that can only run on one CPU to it", s->global_cpus);
	return 0;
}

/* cmp_int - qsort order of CPU numbers. */
static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* list_cpus - the distinct CPUs of the real-time tasks, ascending, -1 last; their count. */
static size_t list_cpus(const struct rtlab_an_set *s, int *cpus)
{
	size_t n = 0, k = 0;
	bool global = false;

	for (size_t i = 0; i < s->ntasks; i++) {
		const struct rtlab_an_task *t = &s->tasks[i];

		if (!an_is_fp(t) && !an_is_dl(t))
			continue;
		if (t->cpu < 0)
			global = true;
		else
			cpus[n++] = t->cpu;
	}
	qsort(cpus, n, sizeof(*cpus), cmp_int);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || cpus[k - 1] != cpus[i])
			cpus[k++] = cpus[i];
	if (global)
		cpus[k++] = -1;
	return k;
}

/* order_violation - find a pair whose priorities go against their periods (or deadlines). */
static bool order_violation(const struct rtlab_an_set *s, int cpu, bool by_deadline,
			    size_t *ret_short, size_t *ret_long)
{
	for (size_t i = 0; i < s->ntasks; i++) {
		const struct rtlab_an_task *a = &s->tasks[i];

		if (!in_group(a, cpu, false))
			continue;
		for (size_t j = 0; j < s->ntasks; j++) {
			const struct rtlab_an_task *b = &s->tasks[j];
			uint64_t ka = by_deadline ? an_deadline(a) : a->period_ns;
			uint64_t kb = by_deadline ? an_deadline(b) : b->period_ns;

			if (in_group(b, cpu, false) && ka < kb && a->priority <= b->priority) {
				*ret_short = i;
				*ret_long = j;
				return true;
			}
		}
	}
	return false;
}

/* expm1_series - e^y - 1 for 0 < y < 1 (Taylor series: no libm needed). */
static long double expm1_series(long double y)
{
	long double term = y, sum = 0;

	for (int k = 2; k < 40 && term != 0; k++) {
		sum += term;
		term = term * y / k;
	}
	return sum;
}

/* interfered - what besides independent FIFO/RR tasks of @cpu can delay them, or NULL. */
static const char *interfered(const struct rtlab_an_set *s, int cpu)
{
	for (size_t i = 0; i < s->ntasks; i++) {
		const struct rtlab_an_task *t = &s->tasks[i];

		if (an_is_dl(t) && (t->cpu == cpu || t->cpu == -1))
			return "DEADLINE tasks can preempt the FIFO/RR tasks here";
		if (an_is_fp(t) && t->cpu == -1)
			return "tasks that may run on any CPU can preempt the ones pinned here";
		if (an_is_fp(t) && t->cpu == cpu && t->mutex >= 0)
			return "tasks here share mutexes, and it assumes independent tasks";
	}
	return NULL;
}

/* ll_not_applicable - why Liu-Layland does not apply to a CPU's FIFO/RR tasks, or NULL. */
static const char *ll_not_applicable(const struct rtlab_an_set *s, const struct rtlab_an_cpu *c,
				     const struct an_sums *fp, char *buf, size_t size)
{
	const char *other = interfered(s, c->cpu);
	size_t sh, lo;

	if (c->nfp == 0)
		return "no FIFO/RR task";
	if (c->cpu < 0)
		return "a one-CPU test: it does not apply to tasks that may run on several CPUs";
	if (!fp->implicit)
		return "does not apply: it assumes deadlines equal to periods";
	if (order_violation(s, c->cpu, false, &sh, &lo)) {
		snprintf(buf, size, "does not apply: priorities are not rate-monotonic (%s has a "
			 "shorter period than %s but not a higher priority)", s->tasks[sh].name,
			 s->tasks[lo].name);
		return buf;
	}
	if (other) {
		snprintf(buf, size, "does not apply: %s", other);
		return buf;
	}
	return NULL;
}

/* cpu_liu_layland - the Liu-Layland verdict of a CPU's FIFO/RR tasks. */
static void cpu_liu_layland(const struct rtlab_an_set *s, struct rtlab_an_cpu *c,
			    const struct an_sums *fp)
{
	char why[RTLAB_AN_REASON_MAX];
	const char *na;

	c->ll = RTLAB_AN_NOT_ANALYSED;
	if (c->nfp && c->cpu >= 0)
		c->ll_bound = (double)(c->nfp * expm1_series(M_LN2 / c->nfp));
	if (c->nfp && c->cpu >= 0 && an_ratio_cmp(&fp->util, 1) > 0) {
		c->ll = RTLAB_AN_MISS;
		an_say(c->ll_reason, sizeof(c->ll_reason), "U = %.3f > 1: the FIFO/RR tasks need "
		       "more than the whole CPU", c->util_fp);
		return;
	}
	na = ll_not_applicable(s, c, fp, why, sizeof(why));
	if (na) {
		an_say(c->ll_reason, sizeof(c->ll_reason), "%s", na);
		return;
	}
	c->ll = c->util_fp <= c->ll_bound ? RTLAB_AN_SCHEDULABLE : RTLAB_AN_UNKNOWN;
	an_say(c->ll_reason, sizeof(c->ll_reason), "U = %.3f %s %.3f = n(2^(1/n) - 1) for n = %u: ",
	       c->util_fp, c->ll == RTLAB_AN_SCHEDULABLE ? "<=" : ">", c->ll_bound, c->nfp);
	an_say(c->ll_reason, sizeof(c->ll_reason), "%s", c->ll == RTLAB_AN_SCHEDULABLE ?
	       "schedulable under rate-monotonic priorities (a sufficient test)" :
	       "inconclusive, the test is only sufficient; the response-time analysis decides");
}

/* cpu_note - assumptions worth knowing about a CPU. */
static void cpu_note(const struct rtlab_an_set *s, struct rtlab_an_cpu *c)
{
	bool global = false;

	for (size_t i = 0; i < s->ntasks; i++) {
		const struct rtlab_an_task *t = &s->tasks[i];

		global |= t->cpu == -1 && (an_is_fp(t) || an_is_dl(t));
	}
	if (c->cpu >= 0 && global)
		an_say(c->note, sizeof(c->note), "tasks that may run on any CPU count here as "
		       "preempting whenever their priority allows (pessimistic). ");
	if (c->cpu >= 0 && c->util_fp + c->util_dl > RT_THROTTLE_SHARE)
		an_say(c->note, sizeof(c->note), "FIFO/RR and DEADLINE tasks use %.1f%% of this "
		       "CPU: the kernel's default limit (kernel.sched_rt_runtime_us = 950000 per "
		       "1000000) stalls FIFO/RR tasks and refuses DEADLINE tasks above 95%%. ",
		       100 * (c->util_fp + c->util_dl));
	if (c->cpu < 0)
		an_say(c->note, sizeof(c->note), "these tasks may run on any of %u CPUs: the exact "
		       "one-CPU tests do not apply, only sufficient global tests. ", c->ncpus);
}

/* cpu_stats - utilization, order and Liu-Layland of one CPU (or of the global group). */
static void cpu_stats(const struct rtlab_an_set *s, struct rtlab_an_cpu *c)
{
	struct an_sums fp, dl;
	size_t a, b;

	an_sums_collect(s, c->cpu, false, &fp);
	an_sums_collect(s, c->cpu, true, &dl);
	c->ncpus = c->cpu < 0 ? s->global_cpus : 1;
	c->nfp = fp.n;
	c->ndl = dl.n;
	c->util_fp = an_ratio_value(&fp.util);
	c->util_dl = an_ratio_value(&dl.util);
	c->rm_ordered = !order_violation(s, c->cpu, false, &a, &b);
	c->dm_ordered = !order_violation(s, c->cpu, true, &a, &b);
	c->fp = c->edf = RTLAB_AN_NOT_ANALYSED;
	cpu_liu_layland(s, c, &fp);
	cpu_note(s, c);
}

/* analyse_cpu - every test of one CPU; 0 or -ENOMEM. */
static int analyse_cpu(const struct rtlab_an_set *s, struct rtlab_an_cpu *c,
		       struct rtlab_analysis *a)
{
	int r = 0;

	cpu_stats(s, c);
	if (c->cpu >= 0) {
		an_rta_cpu(s, c, a);
		r = an_edf_cpu(s, c, a);
	} else {
		an_global_fp(s, c, a);
		an_global_edf(s, c, a);
	}
	c->verdict = an_worse(c->fp, c->edf);
	for (size_t n = strlen(c->note); n && c->note[n - 1] == ' '; n--)
		c->note[n - 1] = '\0';
	return r;
}

/* summarize - the overall verdict and counts; the tasks not analysed say why. */
static void summarize(const struct rtlab_an_set *s, struct rtlab_analysis *a)
{
	a->verdict = RTLAB_AN_NOT_ANALYSED;
	for (size_t i = 0; i < s->ntasks; i++) {
		struct rtlab_an_task_result *t = &a->tasks[i];

		if (!an_is_fp(&s->tasks[i]) && !an_is_dl(&s->tasks[i])) {
			t->verdict = RTLAB_AN_NOT_ANALYSED;
			snprintf(t->reason, sizeof(t->reason), "policy %s has no real-time "
				 "guarantee to check", rtlab_policy_name(s->tasks[i].policy));
			continue;
		}
		a->analysed++;
		if (t->verdict != RTLAB_AN_SCHEDULABLE)
			a->missing++;
		a->verdict = an_worse(a->verdict, t->verdict);
	}
}

/* rtlab_analysis_free - free the results. */
struct rtlab_analysis *rtlab_analysis_free(struct rtlab_analysis *a)
{
	if (a) {
		free(a->tasks);
		free(a->cpus);
		free(a);
	}
	return NULL;
}

/* rtlab_analyze - check, group by CPU, run every test. */
int rtlab_analyze(const struct rtlab_an_set *set, struct rtlab_analysis **ret, char *err,
		  size_t errsize)
{
	struct rtlab_analysis *a;
	int *cpus, r;

	if (!set || !ret)
		return bad(err, errsize, "no task set");
	r = check_set(set, err, errsize);
	if (r < 0)
		return r;
	a = calloc(1, sizeof(*a));
	cpus = calloc(set->ntasks + 1, sizeof(*cpus));
	if (!a || !cpus)
		goto out_nomem;
	a->ntasks = set->ntasks;
	a->ncpus = list_cpus(set, cpus);
	a->tasks = calloc(a->ntasks, sizeof(*a->tasks));
	a->cpus = calloc(a->ncpus ? a->ncpus : 1, sizeof(*a->cpus));
	if (!a->tasks || !a->cpus)
		goto out_nomem;
	for (size_t i = 0; i < a->ntasks; i++)
		a->tasks[i].blocker = -1;
	for (size_t i = 0; i < a->ncpus; i++) {
		a->cpus[i].cpu = cpus[i];
		if (analyse_cpu(set, &a->cpus[i], a) < 0)
			goto out_nomem;
	}
	summarize(set, a);
	free(cpus);
	*ret = a;
	return 0;
out_nomem:
	free(cpus);
	rtlab_analysis_free(a);
	snprintf(err, errsize, "out of memory");
	return -ENOMEM;
}
