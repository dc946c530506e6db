/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* corr-line.c - a spike's cause and its verdict in one line, figures in µs. */
#include <stdio.h>

#include "correlate/correlate-internal.h"

/* us - @ns as microseconds: one decimal below 10 µs, none above. */
static const char *us(uint64_t ns, char *buf, size_t size)
{
	if (ns < 10 * RTLAB_NSEC_PER_USEC)
		snprintf(buf, size, "%.1f", (double)ns / 1e3);
	else
		snprintf(buf, size, "%.0f", (double)ns / 1e3);
	return buf;
}

/* who - "comm (pid, RT 90)": the kernel priority as a user sees it. */
static const char *who(const struct rtlab_corr_occupant *o, char *buf, size_t size)
{
	if (o->prio == RTLAB_CORR_PRIO_NONE)
		snprintf(buf, size, "%s (%d)", o->name, o->id);
	else if (o->prio < 0)
		snprintf(buf, size, "%s (%d, deadline)", o->name, o->id);
	else if (o->prio < 100)
		snprintf(buf, size, "%s (%d, RT %d)", o->name, o->id, 99 - o->prio);
	else
		snprintf(buf, size, "%s (%d, nice %d)", o->name, o->id, o->prio - 120);
	return buf;
}

/* steal - "steal +N µs on CPU k", "no steal on CPU k" or "steal not recorded for CPU k". */
static const char *steal(const struct rtlab_corr_spike *s, char *buf, size_t size)
{
	const struct rtlab_corr_delta *d = &s->counters[RTLAB_CORR_STEAL];
	char n[32];

	if (!d->known)
		snprintf(buf, size, "steal not recorded for CPU %d", s->cpu);
	else if (d->delta_ns > 0)
		snprintf(buf, size, "steal +%s µs on CPU %d", us((uint64_t)d->delta_ns, n,
								  sizeof(n)), s->cpu);
	else
		snprintf(buf, size, "no steal on CPU %d", s->cpu);
	return buf;
}

/* task_line - another task held the CPU: preempted, waited behind it, or held off by it. */
static void task_line(struct rtlab_corr_spike *s, const struct rtlab_corr_occupant *o)
{
	bool higher = o->prio != RTLAB_CORR_PRIO_NONE && s->task_prio != RTLAB_CORR_PRIO_NONE &&
		      o->prio < s->task_prio;
	bool rt = s->task_prio != RTLAB_CORR_PRIO_NONE && s->task_prio < 100;
	char w[RTLAB_CORR_NAME + 32], a[32], b[32], c[32], st[96];

	who(o, w, sizeof(w));
	us(o->total_ns, a, sizeof(a));
	if (higher)
		snprintf(s->verdict, sizeof(s->verdict), "preempted by %s for %s µs", w, a);
	else if (!rt && s->has_wakeup)
		snprintf(s->verdict, sizeof(s->verdict), "woken %s µs late, then waited %s µs for "
			 "CPU (%s ran %s µs)", us(s->part_ns[RTLAB_CORR_DELAY], b, sizeof(b)),
			 us(s->part_ns[RTLAB_CORR_WAIT], c, sizeof(c)), w, a);
	else if (!rt)
		snprintf(s->verdict, sizeof(s->verdict), "waited for CPU: %s ran %s µs (wake-up "
			 "not traced)", w, a);
	else
		snprintf(s->verdict, sizeof(s->verdict), "%.72s held the CPU %s µs at a lower "
			 "priority: a section it could not be preempted in, or the host (%.40s)",
			 w, a, steal(s, st, sizeof(st)));
}

/* part_phrase - what part @s->cause_part of the gap was, with its length. */
static const char *part_phrase(const struct rtlab_corr_spike *s, char *buf, size_t size)
{
	static const char *const what[] = {
		[RTLAB_CORR_DELAY] = "late wake-up",
		[RTLAB_CORR_WAIT] = "from the wake-up to the switch-in",
		[RTLAB_CORR_ENTRY] = "from the switch-in to the clock read",
	};
	char n[32];

	snprintf(buf, size, "%s µs %s", us(s->part_ns[s->cause_part], n, sizeof(n)),
		 what[s->cause_part]);
	return buf;
}

/* unexplained_line - no occupant: host when steal rose, else unexplained. */
static void unexplained_line(struct rtlab_corr_spike *s)
{
	const struct rtlab_corr_delta *d = &s->counters[RTLAB_CORR_STEAL];
	char st[96], part[96];

	steal(s, st, sizeof(st));
	if (!s->traced) {
		s->cause = RTLAB_CAUSE_NO_TRACE;
		snprintf(s->verdict, sizeof(s->verdict), "%s; %s across the spike",
			 s->run_traced ? "the trace kept no events for this spike" :
					 "tracing was not recorded", st);
	} else if (d->known && d->delta_ns > 0) {
		s->cause = RTLAB_CAUSE_HOST;
		snprintf(s->verdict, sizeof(s->verdict), "host / hypervisor preemption: %s, no "
			 "guest event in the gap", st);
	} else {
		s->cause = RTLAB_CAUSE_UNEXPLAINED;
		snprintf(s->verdict, sizeof(s->verdict), "unexplained: %s, no guest event in it, "
			 "%s", part_phrase(s, part, sizeof(part)), st);
	}
}

/*
 * late_timer_line - the wake-up itself came late while @o ran.  A running
 * task does not hold back the timer interrupt that wakes the thread (a
 * higher-priority one delays the switch-in, not the wake-up): interrupts
 * disabled in the kernel on its behalf, or the host not running the vCPU,
 * did.  Steal decides which is said; the task is named as the context only.
 */
static void late_timer_line(struct rtlab_corr_spike *s, const struct rtlab_corr_occupant *o)
{
	const struct rtlab_corr_delta *d = &s->counters[RTLAB_CORR_STEAL];
	char w[RTLAB_CORR_NAME + 32], n[32], st[96];

	who(o, w, sizeof(w));
	us(s->part_ns[RTLAB_CORR_DELAY], n, sizeof(n));
	steal(s, st, sizeof(st));
	if (d->known && d->delta_ns > 0) {
		s->cause = RTLAB_CAUSE_HOST;
		snprintf(s->verdict, sizeof(s->verdict), "host / hypervisor preemption: woken %s µs "
			 "late while %.72s ran, %.40s", n, w, st);
	} else {
		s->cause = RTLAB_CAUSE_UNEXPLAINED;
		snprintf(s->verdict, sizeof(s->verdict), "woken %s µs late: the timer interrupt "
			 "came late while %.72s ran (interrupts off in the kernel, or the host), "
			 "%.40s", n, w, st);
	}
}

/* corr_verdict_line - by the kind of @o, or without it. */
int corr_verdict_line(struct rtlab_corr_spike *s, const struct rtlab_corr_occupant *o)
{
	char n[32];

	if (!o) {
		unexplained_line(s);
		return 0;
	}
	us(o->total_ns, n, sizeof(n));
	if (o->kind == RTLAB_CORR_RUN && s->cause_part == RTLAB_CORR_DELAY) {
		late_timer_line(s, o);
	} else if (o->kind == RTLAB_CORR_RUN) {
		s->cause = RTLAB_CAUSE_TASK;
		task_line(s, o);
	} else if (o->kind == RTLAB_CORR_IRQ) {
		s->cause = RTLAB_CAUSE_IRQ;
		snprintf(s->verdict, sizeof(s->verdict), "IRQ %d%s%s %s µs", o->id,
			 o->name[0] ? " " : "", o->name, n);
	} else {
		s->cause = RTLAB_CAUSE_SOFTIRQ;
		if (o->name[0])
			snprintf(s->verdict, sizeof(s->verdict), "softirq %s %s µs", o->name, n);
		else
			snprintf(s->verdict, sizeof(s->verdict), "softirq vector %d %s µs", o->id,
				 n);
	}
	return 0;
}
