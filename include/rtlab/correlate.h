/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * correlate.h - why a latency spike happened, from the kernel events and
 * probe samples recorded in the same run store, on the same clock.
 *
 * For each of the largest spikes of a run: the time line of its CPU in a
 * window before it (who ran, IRQs, softirqs, syscalls in flight, when the
 * measured thread was woken), the change of that CPU's time counters across
 * it (steal above all), and a verdict decided from them by fixed rules (see
 * docs/report.md, "Spike verdicts"):
 *
 *	the gap [programmed wake-up, actual wake] is cut into three parts:
 *	  delay  programmed wake-up -> the thread is woken (sched_waking)
 *	  wait   woken -> switched in on its CPU (sched_switch)
 *	  entry  switched in -> it read the clock (the latency row's t_ns)
 *	each instant of the gap on the spike's CPU goes to one occupant: a hard
 *	IRQ handler if one runs, else a softirq, else the task running (idle
 *	and the measured thread are no occupant);
 *	the largest part names the cause: its largest occupant when occupants
 *	fill at least half of that part; otherwise host preemption when the
 *	CPU's steal time rose across the spike, else "unexplained".
 *
 * Names in the structures (comm, IRQ names) are raw bytes from the system:
 * whoever shows them escapes them.
 */
#ifndef RTLAB_CORRELATE_H
#define RTLAB_CORRELATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <rtlab/core.h>

struct rtlab_store;

/* The parts of a spike's gap. */
enum rtlab_corr_part {
	RTLAB_CORR_DELAY,	/* programmed wake-up -> woken */
	RTLAB_CORR_WAIT,	/* woken -> switched in */
	RTLAB_CORR_ENTRY,	/* switched in -> the clock read */
	_RTLAB_CORR_PART_MAX,
};

/* What a time-line entry is. */
enum rtlab_corr_kind {
	RTLAB_CORR_RUN,		/* a task ran on the CPU (pid 0: idle) */
	RTLAB_CORR_WAKE,	/* the measured thread was woken (an instant) */
	RTLAB_CORR_IRQ,		/* a hard IRQ handler */
	RTLAB_CORR_SOFTIRQ,	/* a softirq */
	RTLAB_CORR_SYSCALL,	/* a syscall in flight during the gap */
	_RTLAB_CORR_KIND_MAX,
};

/* What a verdict blames. */
enum rtlab_corr_cause {
	RTLAB_CAUSE_TASK,		/* another task held the CPU */
	RTLAB_CAUSE_IRQ,		/* a hard IRQ handler */
	RTLAB_CAUSE_SOFTIRQ,		/* a softirq */
	RTLAB_CAUSE_HOST,		/* no guest event, steal rose: host / hypervisor */
	RTLAB_CAUSE_UNEXPLAINED,	/* no guest event, no steal */
	RTLAB_CAUSE_NO_TRACE,		/* no trace events for this spike: steal only */
	_RTLAB_CORR_CAUSE_MAX,
};

/* The per-CPU time counters compared across a spike (node_cpu_seconds_total modes). */
enum rtlab_corr_counter {
	RTLAB_CORR_STEAL,
	RTLAB_CORR_IRQ_TIME,
	RTLAB_CORR_SOFTIRQ_TIME,
	RTLAB_CORR_SYSTEM,
	RTLAB_CORR_USER,
	RTLAB_CORR_IDLE,
	_RTLAB_CORR_COUNTER_MAX,
};

#define RTLAB_CORR_NAME 64	/* bytes of a name, with its NUL */
#define RTLAB_CORR_PRIO_NONE (-1000)	/* a priority not known */
#define RTLAB_CORR_OCCUPANTS 4	/* occupants of a gap kept, the largest first */

/* One entry of a CPU's time line. */
struct rtlab_corr_item {
	enum rtlab_corr_kind kind;
	uint64_t start_ns, end_ns;	/* end == start for an instant */
	bool open_start;		/* began before the window (start_ns is its start) */
	bool open_end;			/* still going at the spike (end_ns is the spike) */
	bool inferred;			/* RUN: its switch-in was not in the trace (some
					 * kernels do not report a switch out of idle): it
					 * began after start_ns, the last sign of the task
					 * before it, and ran until end_ns */
	int cpu;			/* where it happened (WAKE: the waking CPU) */
	int pid;			/* RUN, SYSCALL: the task; -1 otherwise */
	int prio;			/* RUN: kernel priority (0-99 RT, 100-139 normal,
					 * -1 deadline), or RTLAB_CORR_PRIO_NONE */
	int num;			/* IRQ number, softirq vector, syscall number;
					 * WAKE: 1 sched_waking, 0 sched_wakeup; else -1 */
	char name[RTLAB_CORR_NAME];	/* comm, IRQ name, softirq vector name */
};

/* Something that held the spike's CPU during the gap, and for how long in each part. */
struct rtlab_corr_occupant {
	enum rtlab_corr_kind kind;	/* RUN, IRQ or SOFTIRQ */
	int id;				/* pid, IRQ number or softirq vector */
	int prio;			/* RUN: kernel priority, or RTLAB_CORR_PRIO_NONE */
	char name[RTLAB_CORR_NAME];
	uint64_t part_ns[_RTLAB_CORR_PART_MAX];
	uint64_t total_ns;
};

/* How a per-CPU counter changed from the last sample before the gap to the first after. */
struct rtlab_corr_delta {
	bool known;			/* both samples exist */
	int64_t delta_ns;		/* the counter's rise, in ns of CPU time */
	uint64_t before_ns, after_ns;	/* the samples' times */
};

/* One spike, explained. */
struct rtlab_corr_spike {
	uint32_t task;			/* task id */
	char task_name[RTLAB_CORR_NAME];
	pid_t tid;			/* its thread (0: not stored) */
	int task_prio;			/* its kernel priority, or RTLAB_CORR_PRIO_NONE */
	int cpu;
	uint64_t t_ns;			/* when it ran (the latency row) */
	uint64_t latency_ns;
	uint64_t programmed_ns;		/* t_ns - latency_ns */
	uint64_t window_ns;		/* the time line covers [t_ns - window_ns, t_ns] */

	bool run_traced;		/* the run has trace events at all */
	bool traced;			/* and they cover this spike (breaktrace keeps windows) */
	uint64_t lost_events;		/* events the trace lost on this CPU (whole run) */
	bool has_wakeup, has_switch_in;
	uint64_t wakeup_ns, switch_in_ns;	/* within [programmed_ns, t_ns] */
	uint64_t part_ns[_RTLAB_CORR_PART_MAX];

	struct rtlab_corr_occupant occupants[RTLAB_CORR_OCCUPANTS];
	size_t noccupants;		/* the largest first */
	uint64_t occupied_ns[_RTLAB_CORR_PART_MAX];	/* by any occupant, per part */

	struct rtlab_corr_delta counters[_RTLAB_CORR_COUNTER_MAX];

	enum rtlab_corr_cause cause;
	enum rtlab_corr_part cause_part;	/* the largest part */
	char verdict[256];		/* one line, raw names (escape to show) */

	struct rtlab_corr_item *items;	/* the time line, by start time */
	size_t nitems;
};

/* The spikes of a run. */
struct rtlab_corr {
	bool traced;			/* the run has trace events at all */
	size_t n;
	struct rtlab_corr_spike *spikes;	/* the largest first */
};

/* How to choose and explain spikes. */
struct rtlab_corr_opts {
	unsigned spikes;		/* how many; 0: 5 */
	uint64_t window_ns;		/* time line before each spike; 0: max(2 ms, 2 x latency) */
};

/**
 * rtlab_corr_read - the largest @opts->spikes latency spikes of the run in
 * @st, each explained.  A spike of a task is left out when its window
 * overlaps the window of a larger spike of the same task (one long stall
 * gives one spike, not N).  A run without trace events gives verdicts from
 * steal alone (RTLAB_CAUSE_NO_TRACE).  @opts may be NULL.
 * *@ret: free it with rtlab_corr_free().  Returns 0, -ENOMEM or -EIO (a
 * query failed).
 */
RTLAB_API int rtlab_corr_read(struct rtlab_store *st, const struct rtlab_corr_opts *opts,
			      struct rtlab_corr **ret);

/**
 * rtlab_corr_run - rtlab_corr_read() on the run folder (or run.db) @run,
 * opened read-only and closed again.  Errors, with a message in @err:
 * -ENOENT, -EPROTO (not a run store), -ENOMEM, -EIO.
 */
RTLAB_API int rtlab_corr_run(const char *run, const struct rtlab_corr_opts *opts,
			     struct rtlab_corr **ret, char *err, size_t err_size);

/** rtlab_corr_free - free @c (NULL is fine); returns NULL. */
RTLAB_API struct rtlab_corr *rtlab_corr_free(struct rtlab_corr *c);

/**
 * rtlab_corr_json - @c as JSON text (malloc'ed, free() it) in *@ret: names
 * with invalid UTF-8 get "\xHH" for each bad byte, control characters are
 * JSON escapes, '/' is escaped so that the text can sit in an HTML page.
 * Returns 0 or -ENOMEM.
 */
RTLAB_API int rtlab_corr_json(const struct rtlab_corr *c, char **ret);

/** rtlab_corr_cause_name - "task", "irq", "softirq", "host", "unexplained", "no trace". */
RTLAB_API const char *rtlab_corr_cause_name(enum rtlab_corr_cause c);

/** rtlab_corr_part_name - "delay", "wait", "entry", or NULL. */
RTLAB_API const char *rtlab_corr_part_name(enum rtlab_corr_part p);

/** rtlab_corr_kind_name - "run", "wake", "irq", "softirq", "syscall", or NULL. */
RTLAB_API const char *rtlab_corr_kind_name(enum rtlab_corr_kind k);

/** rtlab_corr_counter_name - "steal", "irq", "softirq", "system", "user", "idle", or NULL. */
RTLAB_API const char *rtlab_corr_counter_name(enum rtlab_corr_counter c);

#endif /* RTLAB_CORRELATE_H */
