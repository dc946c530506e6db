/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rt-rta.c - fixed priorities (SCHED_FIFO/RR): blocking terms from mutexes,
 * the exact response-time analysis of the tasks pinned to one CPU, and the
 * global deadline-monotonic density test for those that may run on several.
 *
 * Response time (Joseph & Pandya 1986; Audsley et al. 1993): the smallest
 * R = C + B + W(R) + sum over the tasks j that can preempt it of
 * ceil((R + J_j) / T_j) * C_j, found by iterating from R = C + B; the
 * iteration stops as soon as R passes the deadline (a miss) or after
 * RTLAB_AN_RTA_MAX_ITER steps (unknown).  Tasks of equal priority count as
 * preempting (FIFO order is not known in advance).  Release jitter J: 0 for
 * the tasks pinned here; deadline - wcet for FIFO/RR tasks that may run on
 * any CPU (they may run late elsewhere, then early here); period - runtime
 * for DEADLINE tasks, which the kernel throttles to runtime per period.
 *
 * Blocking B, by lower-priority tasks that may run on the same CPU (one
 * critical section per job, at most one mutex per task):
 * - a task blocks when its mutex's ceiling is >= our priority: with
 *   inheritance the ceiling is the highest priority of the mutex's users
 *   (anywhere), with protect it is the configured ceiling;
 * - inheritance: the smaller of the two classic bounds (one section per
 *   lower task, one per mutex); protect only: the single longest section;
 * - a plain mutex (protocol none) blocks only the tasks that take it, and
 *   without any bound when a task of medium priority can preempt the holder.
 * W(R): waiting for our mutex while tasks pinned to other CPUs hold it:
 * (ceil(R/T) + 1) sections of each higher-priority one, plus the longest of
 * the lower-priority ones.  It assumes a holder on another CPU is not
 * preempted inside its critical section.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rtlab/analysis.h>

#include "rt-analysis-internal.h"

/* What lower-priority tasks can add to a task's response time through mutexes. */
struct block {
	uint64_t per_task;	/* one critical section per lower-priority task */
	uint64_t per_mutex;	/* the longest one per mutex */
	uint64_t longest;	/* the longest one of all */
	int longest_task;
	bool any;
	bool all_ceiling;	/* every blocking mutex uses the ceiling protocol */
	int holder, medium;	/* unbounded inversion: holder, who preempts it (-1: any) */
};

/* ceiling_of - the priority a holder of mutex @m can run at (inherited or protected). */
static int ceiling_of(const struct rtlab_an_set *s, int m)
{
	int top = 0;

	if (s->mutexes[m].protocol == RTLAB_MUTEX_PROTECT)
		return s->mutexes[m].ceiling;
	for (size_t i = 0; i < s->ntasks; i++)
		if (s->tasks[i].mutex == m && an_prio(&s->tasks[i]) > top)
			top = an_prio(&s->tasks[i]);
	return top;
}

/* near - whether @j may run on the CPU @i is pinned to. */
static bool near(const struct rtlab_an_task *i, const struct rtlab_an_task *j)
{
	return j->cpu == i->cpu || j->cpu == -1;
}

/* blocks_locally - whether lower-priority @j, on @i's CPU, can block @i holding its mutex. */
static bool blocks_locally(const struct rtlab_an_set *s, size_t i, size_t j)
{
	const struct rtlab_an_task *ti = &s->tasks[i], *tj = &s->tasks[j];

	if (j == i || tj->mutex < 0 || tj->hold_ns == 0 || an_prio(tj) >= an_prio(ti) ||
	    !near(ti, tj))
		return false;
	if (s->mutexes[tj->mutex].protocol == RTLAB_MUTEX_NONE)
		return tj->mutex == ti->mutex;
	return ceiling_of(s, tj->mutex) >= an_prio(ti);
}

/* medium_task - a task of priority between @j's and @i's that can preempt @j, or -1. */
static int medium_task(const struct rtlab_an_set *s, size_t i, size_t j)
{
	const struct rtlab_an_task *ti = &s->tasks[i], *tj = &s->tasks[j];

	for (size_t k = 0; k < s->ntasks; k++) {
		const struct rtlab_an_task *tk = &s->tasks[k];

		if (k == i || k == j || (!an_is_fp(tk) && !an_is_dl(tk)))
			continue;
		if (tk->cpu != tj->cpu && tk->cpu != -1 && tj->cpu != -1)
			continue;
		if (an_prio(tk) > an_prio(tj) && an_prio(tk) < an_prio(ti))
			return (int)k;
	}
	return -1;
}

/* find_inversion - a holder of @i's plain mutex that can be delayed without bound. */
static bool find_inversion(const struct rtlab_an_set *s, size_t i, struct block *b)
{
	const struct rtlab_an_task *ti = &s->tasks[i];

	if (ti->mutex < 0 || s->mutexes[ti->mutex].protocol != RTLAB_MUTEX_NONE)
		return false;
	for (size_t j = 0; j < s->ntasks; j++) {
		const struct rtlab_an_task *tj = &s->tasks[j];

		if (j == i || tj->mutex != ti->mutex || tj->hold_ns == 0 ||
		    an_prio(tj) >= an_prio(ti))
			continue;
		b->holder = (int)j;
		b->medium = medium_task(s, i, j);
		if (b->medium >= 0 || (!an_is_fp(tj) && !an_is_dl(tj)))
			return true;
	}
	return false;
}

/* local_blocking - the critical sections of lower-priority tasks on @i's CPU. */
static void local_blocking(const struct rtlab_an_set *s, size_t i, struct block *b)
{
	for (size_t j = 0; j < s->ntasks; j++) {
		const struct rtlab_an_task *tj = &s->tasks[j];

		if (!blocks_locally(s, i, j))
			continue;
		b->any = true;
		b->per_task = an_sat_add(b->per_task, tj->hold_ns);
		if (tj->hold_ns > b->longest) {
			b->longest = tj->hold_ns;
			b->longest_task = (int)j;
		}
		if (s->mutexes[tj->mutex].protocol != RTLAB_MUTEX_PROTECT)
			b->all_ceiling = false;
	}
	for (size_t m = 0; m < s->nmutexes; m++) {
		uint64_t top = 0;

		for (size_t j = 0; j < s->ntasks; j++)
			if (s->tasks[j].mutex == (int)m && blocks_locally(s, i, j) &&
			    s->tasks[j].hold_ns > top)
				top = s->tasks[j].hold_ns;
		b->per_mutex = an_sat_add(b->per_mutex, top);
	}
}

/* choose_blocking - the bound B that applies. */
static void choose_blocking(const struct block *b, struct rtlab_an_task_result *r)
{
	r->blocker = b->longest_task;
	if (!b->any) {
		r->blocking = RTLAB_AN_BLOCK_NONE;
		r->blocking_ns = 0;
	} else if (b->all_ceiling) {
		r->blocking = RTLAB_AN_BLOCK_CEILING;
		r->blocking_ns = b->longest;
	} else if (b->per_mutex <= b->per_task) {
		r->blocking = RTLAB_AN_BLOCK_PER_MUTEX;
		r->blocking_ns = b->per_mutex;
	} else {
		r->blocking = RTLAB_AN_BLOCK_PER_TASK;
		r->blocking_ns = b->per_task;
	}
}

/* remote_wait - @i's wait in a window @r for its mutex held on other CPUs. */
static uint64_t remote_wait(const struct rtlab_an_set *s, size_t i, uint64_t r)
{
	const struct rtlab_an_task *ti = &s->tasks[i];
	uint64_t sum = 0, lower = 0;

	if (ti->mutex < 0)
		return 0;
	for (size_t j = 0; j < s->ntasks; j++) {
		const struct rtlab_an_task *tj = &s->tasks[j];

		if (j == i || tj->mutex != ti->mutex || tj->cpu < 0 || tj->cpu == ti->cpu)
			continue;
		if (an_prio(tj) >= an_prio(ti))
			sum = an_sat_add(sum, an_sat_mul(an_ceil_div(r, tj->period_ns) + 1,
							 tj->hold_ns));
		else if (tj->hold_ns > lower)
			lower = tj->hold_ns;
	}
	return an_sat_add(sum, lower);
}

/* preempts - whether @j can preempt @i on @i's CPU, and its release jitter there. */
static bool preempts(const struct rtlab_an_set *s, size_t i, size_t j, uint64_t *ret_jitter)
{
	const struct rtlab_an_task *ti = &s->tasks[i], *tj = &s->tasks[j];

	if (j == i || !near(ti, tj))
		return false;
	if (an_is_dl(tj)) {
		*ret_jitter = tj->period_ns - tj->wcet_ns;
		return true;
	}
	if (!an_is_fp(tj) || tj->priority < ti->priority)
		return false;
	*ret_jitter = tj->cpu == -1 ? an_deadline(tj) - tj->wcet_ns : 0;
	return true;
}

/* preemption - the time tasks that preempt @i take in a window @r; with @why, the list of them. */
static uint64_t preemption(const struct rtlab_an_set *s, size_t i, uint64_t r, char *why,
			   size_t size)
{
	uint64_t sum = 0, jitter, jobs;

	for (size_t j = 0; j < s->ntasks; j++) {
		if (!preempts(s, i, j, &jitter))
			continue;
		jobs = an_ceil_div(an_sat_add(r, jitter), s->tasks[j].period_ns);
		sum = an_sat_add(sum, an_sat_mul(jobs, s->tasks[j].wcet_ns));
		if (why && jobs)
			an_say(why, size, "%s%s %s (%" PRIu64 " job%s)", why[0] ? ", " : "",
			       s->tasks[j].name, AN_NS(an_sat_mul(jobs, s->tasks[j].wcet_ns)), jobs,
			       jobs == 1 ? "" : "s");
	}
	return sum;
}

/* step - one iteration of the response-time equation. */
static uint64_t step(const struct rtlab_an_set *s, size_t i, const struct rtlab_an_task_result *r,
		     uint64_t resp)
{
	uint64_t next = an_sat_add(s->tasks[i].wcet_ns, r->blocking_ns);

	next = an_sat_add(next, remote_wait(s, i, resp));
	return an_sat_add(next, preemption(s, i, resp, NULL, 0));
}

/* explain_parts - what the response time is made of, counted over the window @resp that gave it. */
static void explain_parts(const struct rtlab_an_set *s, size_t i, struct rtlab_an_task_result *r,
			  uint64_t resp)
{
	static const char *const bounds[_RTLAB_AN_BLOCK_MAX] = {
		[RTLAB_AN_BLOCK_PER_TASK] = "one critical section per lower-priority task",
		[RTLAB_AN_BLOCK_PER_MUTEX] = "one critical section per mutex",
		[RTLAB_AN_BLOCK_CEILING] = "priority ceiling, at most one critical section",
	};
	const struct rtlab_an_task *t = &s->tasks[i];
	char who[RTLAB_AN_REASON_MAX] = "";

	an_say(r->reason, sizeof(r->reason), ": its own %s", AN_NS(t->wcet_ns));
	if (r->blocking_ns) {
		const struct rtlab_an_task *b = &s->tasks[r->blocker];

		an_say(r->reason, sizeof(r->reason), " + blocked %s by lower-priority tasks "
		       "holding mutexes (longest: %s holding %s for %s; bound: %s)",
		       AN_NS(r->blocking_ns), b->name, s->mutexes[b->mutex].name, AN_NS(b->hold_ns),
		       bounds[r->blocking]);
	}
	if (r->remote_ns)
		an_say(r->reason, sizeof(r->reason), " + waits %s for %s held on other CPUs",
		       AN_NS(r->remote_ns), s->mutexes[t->mutex].name);
	preemption(s, i, resp, who, sizeof(who));
	if (who[0])
		an_say(r->reason, sizeof(r->reason), " + preempted by %s", who);
}

/* unbounded - the verdict of a task exposed to unbounded priority inversion. */
static void unbounded(const struct rtlab_an_set *s, size_t i, const struct block *b,
		      struct rtlab_an_task_result *r)
{
	const struct rtlab_an_task *h = &s->tasks[b->holder];
	const char *m = s->mutexes[h->mutex].name;

	r->verdict = RTLAB_AN_MISS;
	r->blocking = RTLAB_AN_BLOCK_UNBOUNDED;
	r->blocking_ns = UINT64_MAX;
	r->response_ns = UINT64_MAX;
	r->blocker = b->holder;
	if (b->medium >= 0)
		an_say(r->reason, sizeof(r->reason), "unbounded priority inversion possible: %s "
		       "holds %s while %s can preempt", h->name, m, s->tasks[b->medium].name);
	else
		an_say(r->reason, sizeof(r->reason), "unbounded priority inversion possible: %s "
		       "holds %s and runs as %s, where any other process can delay it", h->name, m,
		       rtlab_policy_name(h->policy));
	an_say(r->reason, sizeof(r->reason), " (%s uses no priority protocol: protocol = inherit "
	       "or protect bounds the wait of %s)", m, s->tasks[i].name);
}

/* rta_task - the response-time analysis of FIFO/RR task @i pinned to a CPU. */
static void rta_task(const struct rtlab_an_set *s, size_t i, struct rtlab_an_task_result *r)
{
	struct block b = { .longest_task = -1, .all_ceiling = true, .holder = -1, .medium = -1 };
	uint64_t d = an_deadline(&s->tasks[i]), resp, next;

	r->test = RTLAB_AN_TEST_RTA;
	if (find_inversion(s, i, &b)) {
		unbounded(s, i, &b, r);
		return;
	}
	local_blocking(s, i, &b);
	choose_blocking(&b, r);
	resp = an_sat_add(s->tasks[i].wcet_ns, r->blocking_ns);
	if (resp == 0)
		resp = 1;	/* a job that does nothing still waits for the ones before it */
	for (r->iterations = 1;; r->iterations++) {
		next = step(s, i, r, resp);
		if (next > d || next == UINT64_MAX || next == resp ||
		    r->iterations >= RTLAB_AN_RTA_MAX_ITER)
			break;
		resp = next;
	}
	r->response_ns = next;
	r->remote_ns = remote_wait(s, i, resp);
	if (next > d || next == UINT64_MAX) {	/* UINT64_MAX: it overflowed */
		r->verdict = RTLAB_AN_MISS;
		an_say(r->reason, sizeof(r->reason), "can miss its deadline: the response time "
		       "reaches %s > deadline %s", AN_NS(next), AN_NS(d));
	} else if (next == resp) {
		r->verdict = RTLAB_AN_SCHEDULABLE;
		an_say(r->reason, sizeof(r->reason), "worst-case response time %s <= deadline %s",
		       AN_NS(next), AN_NS(d));
	} else {
		r->verdict = RTLAB_AN_UNKNOWN;
		an_say(r->reason, sizeof(r->reason), "not proven: the analysis gave up after %u "
		       "iterations at %s (deadline %s)", r->iterations, AN_NS(next), AN_NS(d));
	}
	explain_parts(s, i, r, resp);
}

/* an_rta_cpu - every FIFO/RR task pinned to the CPU, then the CPU's summary. */
void an_rta_cpu(const struct rtlab_an_set *s, struct rtlab_an_cpu *c, struct rtlab_analysis *a)
{
	char bad[RTLAB_AN_REASON_MAX] = "";
	unsigned nbad = 0;

	if (c->nfp == 0) {
		an_say(c->fp_reason, sizeof(c->fp_reason), "no FIFO/RR task pinned here");
		return;
	}
	c->fp_test = RTLAB_AN_TEST_RTA;
	c->fp = RTLAB_AN_SCHEDULABLE;
	for (size_t i = 0; i < s->ntasks; i++) {
		if (s->tasks[i].cpu != c->cpu || !an_is_fp(&s->tasks[i]))
			continue;
		rta_task(s, i, &a->tasks[i]);
		c->fp = an_worse(c->fp, a->tasks[i].verdict);
		if (a->tasks[i].verdict == RTLAB_AN_SCHEDULABLE)
			continue;
		an_say(bad, sizeof(bad), "%s%s (%s)", nbad ? ", " : "", s->tasks[i].name,
		       rtlab_an_verdict_name(a->tasks[i].verdict));
		nbad++;
	}
	if (nbad)
		an_say(c->fp_reason, sizeof(c->fp_reason), "%u of %u FIFO/RR tasks not proven to "
		       "meet their deadlines: %s (response-time analysis)", nbad, c->nfp, bad);
	else if (c->nfp == 1)
		an_say(c->fp_reason, sizeof(c->fp_reason), "the FIFO/RR task meets its deadlines "
		       "(exact response-time analysis)");
	else
		an_say(c->fp_reason, sizeof(c->fp_reason), "all %u FIFO/RR tasks meet their "
		       "deadlines (exact response-time analysis)", c->nfp);
}

/* global_fp_obstacle - what the global density test does not cover, or NULL. */
static const char *global_fp_obstacle(const struct rtlab_an_set *s, const struct rtlab_an_cpu *c,
				      char *buf, size_t size)
{
	int lowest = 100;

	if (!c->dm_ordered)
		return "the priorities are not deadline-monotonic, which the test assumes";
	for (size_t i = 0; i < s->ntasks; i++)
		if (s->tasks[i].cpu == -1 && an_is_fp(&s->tasks[i]) &&
		    s->tasks[i].priority < lowest)
			lowest = s->tasks[i].priority;
	for (size_t i = 0; i < s->ntasks; i++) {
		const struct rtlab_an_task *t = &s->tasks[i];

		if (an_is_dl(t))
			return "DEADLINE tasks can preempt them and the test does not count them";
		if (an_is_fp(t) && t->cpu == -1 && t->mutex >= 0)
			return "they share mutexes and the test does not count blocking";
		if (an_is_fp(t) && t->cpu >= 0 && t->priority >= lowest) {
			snprintf(buf, size, "%s, pinned to CPU %d with priority %d, can preempt "
				 "them there and the test does not count it", t->name, t->cpu,
				 t->priority);
			return buf;
		}
	}
	return NULL;
}

/* an_global_fp - the global deadline-monotonic density test (Bertogna, Cirinei, Lipari 2005). */
void an_global_fp(const struct rtlab_an_set *s, struct rtlab_an_cpu *c, struct rtlab_analysis *a)
{
	char why[RTLAB_AN_REASON_MAX];
	const struct an_global bcl = {
		.dl = false,
		.ka = 2,
		.kb = s->global_cpus - 2,
		.test = RTLAB_AN_TEST_GLOBAL_DM,
		.name = "global deadline-monotonic density (Bertogna-Cirinei-Lipari)",
		.bound = "(m/2)(1 - max density) + max density",
		.obstacle = global_fp_obstacle(s, c, why, sizeof(why)),
	};

	an_global_test(s, c, a, &bcl);
}
