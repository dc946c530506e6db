/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* correlate-internal.h - what the spike correlation's files share. */
#ifndef RTLAB_CORRELATE_INTERNAL_H
#define RTLAB_CORRELATE_INTERNAL_H

#include <sqlite3.h>

#include <rtlab/correlate.h>
#include <rtlab/store.h>

/* ---- corr-names.c ---- */

/* corr_softirq_name - the kernel's name of softirq vector @vec ("NET_RX"), or NULL. */
const char *corr_softirq_name(int vec);

/* corr_copy - @s (NULL: "") into @buf, truncated to fit. */
void corr_copy(char *buf, size_t size, const char *s);

/* ---- corr-events.c ---- */

/*
 * corr_events_read - the time line of @s's CPU in its window from the
 * trace_event rows, the wake-ups of its thread on every CPU up to @max_cpu,
 * its switch-in; 0, -ENOMEM or -EIO.
 */
int corr_events_read(sqlite3 *db, struct rtlab_corr_spike *s, int max_cpu);

/* ---- corr-probe.c ---- */

/* corr_counters_read - @s's per-CPU counters before and after its gap; 0 or -EIO. */
int corr_counters_read(sqlite3 *db, struct rtlab_corr_spike *s);

/* ---- corr-verdict.c ---- */

/*
 * corr_verdict - the parts of @s's gap, its occupants, the cause and the
 * verdict line, from its time line and counters; 0 or -ENOMEM.
 */
int corr_verdict(struct rtlab_corr_spike *s);

/* ---- corr-line.c ---- */

/*
 * corr_verdict_line - @s's cause and verdict line: @o (NULL: none) is the
 * occupant that explains its largest part; without one, steal decides
 * between host preemption and "unexplained".  Returns 0.
 */
int corr_verdict_line(struct rtlab_corr_spike *s, const struct rtlab_corr_occupant *o);

#endif /* RTLAB_CORRELATE_INTERNAL_H */
