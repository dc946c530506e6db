/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* corr-names.c - the names of causes, parts, kinds, counters and softirq vectors. */
#include <stdio.h>

#include "correlate/correlate-internal.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const cause_names[] = {
	[RTLAB_CAUSE_TASK] = "task",
	[RTLAB_CAUSE_IRQ] = "irq",
	[RTLAB_CAUSE_SOFTIRQ] = "softirq",
	[RTLAB_CAUSE_HOST] = "host",
	[RTLAB_CAUSE_UNEXPLAINED] = "unexplained",
	[RTLAB_CAUSE_NO_TRACE] = "no trace",
};

static const char *const part_names[] = {
	[RTLAB_CORR_DELAY] = "delay",
	[RTLAB_CORR_WAIT] = "wait",
	[RTLAB_CORR_ENTRY] = "entry",
};

static const char *const kind_names[] = {
	[RTLAB_CORR_RUN] = "run",
	[RTLAB_CORR_WAKE] = "wake",
	[RTLAB_CORR_IRQ] = "irq",
	[RTLAB_CORR_SOFTIRQ] = "softirq",
	[RTLAB_CORR_SYSCALL] = "syscall",
};

static const char *const counter_names[] = {
	[RTLAB_CORR_STEAL] = "steal",
	[RTLAB_CORR_IRQ_TIME] = "irq",
	[RTLAB_CORR_SOFTIRQ_TIME] = "softirq",
	[RTLAB_CORR_SYSTEM] = "system",
	[RTLAB_CORR_USER] = "user",
	[RTLAB_CORR_IDLE] = "idle",
};

/* The kernel's softirq vectors (include/linux/interrupt.h), as its trace output names them. */
static const char *const softirq_names[] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER",
	"RCU",
};

_Static_assert(NELEM(cause_names) == _RTLAB_CORR_CAUSE_MAX, "a name per cause");
_Static_assert(NELEM(part_names) == _RTLAB_CORR_PART_MAX, "a name per part");
_Static_assert(NELEM(kind_names) == _RTLAB_CORR_KIND_MAX, "a name per kind");
_Static_assert(NELEM(counter_names) == _RTLAB_CORR_COUNTER_MAX, "a name per counter");

/* rtlab_corr_cause_name - from the table. */
const char *rtlab_corr_cause_name(enum rtlab_corr_cause c)
{
	return (unsigned)c < NELEM(cause_names) ? cause_names[c] : NULL;
}

/* rtlab_corr_part_name - from the table. */
const char *rtlab_corr_part_name(enum rtlab_corr_part p)
{
	return (unsigned)p < NELEM(part_names) ? part_names[p] : NULL;
}

/* rtlab_corr_kind_name - from the table. */
const char *rtlab_corr_kind_name(enum rtlab_corr_kind k)
{
	return (unsigned)k < NELEM(kind_names) ? kind_names[k] : NULL;
}

/* rtlab_corr_counter_name - from the table (the node_cpu_seconds_total mode). */
const char *rtlab_corr_counter_name(enum rtlab_corr_counter c)
{
	return (unsigned)c < NELEM(counter_names) ? counter_names[c] : NULL;
}

/* corr_softirq_name - from the table. */
const char *corr_softirq_name(int vec)
{
	return vec >= 0 && (size_t)vec < NELEM(softirq_names) ? softirq_names[vec] : NULL;
}

/* corr_copy - snprintf of a string that may be NULL. */
void corr_copy(char *buf, size_t size, const char *s)
{
	snprintf(buf, size, "%s", s ? s : "");
}

