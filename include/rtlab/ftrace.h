/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtlab ftrace: a private tracefs instance per run ("rtlab-<pid>-<n>",
 * trace_clock "mono", so ring-buffer time stamps are CLOCK_MONOTONIC ns),
 * tracepoint events only.  The per-CPU raw buffers are read page by page by
 * a recorder thread at normal priority; the pages are kept aside (memory,
 * then an unnamed temporary file).  At stop they are stored raw, as
 * trace-cmd stores them, with what parsing them needs:
 *
 *	trace_page(cpu, seq, data)	one ring-buffer sub-buffer per row, as read;
 *					seq orders the pages of all CPUs as they were
 *					read (per CPU: in time order)
 *	trace_format(system, name, id, format)	events/<system>/<name>/format of
 *					each recorded event
 *	trace_meta(key, value)		'header_page' (events/header_page),
 *					'long_size', 'big_endian' (0/1), 'page_size'
 *					(sub-buffer bytes), 'ncpus', 'keep_ns',
 *					'saved_cmdlines', and 'materialized' (the
 *					trace_event rows written) once parsed
 *	trace_lost(cpu, source, count)	'ftrace overrun', 'ftrace dropped'
 *	trace_window(start_ns, end_ns, reason)	breaktrace: the kept spans
 *
 * rtlab_ftrace_materialize() parses the pages with libtraceevent into
 *
 *	trace_event(t_ns, cpu, pid, comm, event, fields)  fields: a JSON object
 *	trace_lost(cpu, 'ftrace unparsed', count)  events of no stored format
 *
 * once per run: at stop unless rtlab_ftrace_opts.defer_parse.
 *
 * The instance is disabled and removed by rtlab_ftrace_close() on every
 * path, also after a failed open; what a crash leaves behind is found by
 * rtlab_ftrace_leftovers() and removed by rtlab_ftrace_leftover_remove().
 * tracefs is mounted at /sys/kernel/tracing when nothing is mounted, and
 * unmounted again at close when this recorder mounted it.
 * Never touched: ftrace_enabled, set_ftrace_filter, set_ftrace_pid, the top
 * instance's tracer and events.  Needs CAP_SYS_ADMIN (root).  @ctx may be
 * NULL everywhere (no log).
 */
#ifndef RTLAB_FTRACE_H
#define RTLAB_FTRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <rtlab/core.h>

struct rtlab_ftrace;

/* What to record. */
struct rtlab_ftrace_opts {
	/*
	 * Events: "system:event", "event" (any system) or globs of either
	 * ("sched:*", "irq:softirq_*", "timer:hrtimer_*").  Each must match
	 * at least one event of this kernel.
	 */
	const char *const *events;
	size_t nevents;
	/*
	 * Optional filters, one per entry of @events (NULL, or a NULL entry:
	 * none), in the kernel's event filter syntax ("prev_pid == 12").
	 */
	const char *const *filters;
	/*
	 * Only events whose current task (common_pid) is one of these; none:
	 * every task.  Added to each event's filter ("(f) && (common_pid ==
	 * 1 || ...)"); at most RTLAB_FTRACE_MAX_PIDS.
	 */
	const pid_t *pids;
	size_t npids;
	unsigned int buffer_kb;	/* per-CPU ring buffer, KiB; 0: the kernel's default */
	/*
	 * Breaktrace: 0 keeps every event; otherwise only the events within
	 * [t - keep_ns, t + keep_ns] of a spike t (rtlab_ftrace_spike()) are
	 * kept, and each kept span is a trace_window row.
	 */
	uint64_t keep_ns;
	const char *reason;	/* trace_window.reason; NULL: "spike" */
	/*
	 * false: rtlab_ftrace_stop() also parses the stored pages into
	 * trace_event (rtlab_ftrace_materialize()), as before raw pages were
	 * stored.  true: the parse waits until a reader asks for it, as
	 * trace-cmd's report does (`rtlab ftrace record`).
	 */
	bool defer_parse;
};

#define RTLAB_FTRACE_MAX_PIDS 64

/* What a recording did (rtlab_ftrace_stats()). */
struct rtlab_ftrace_stats {
	uint64_t events_read;	/* events in the pages stored (breaktrace: also outside windows) */
	uint64_t events_stored;	/* trace_event rows written at stop (0 with defer_parse) */
	uint64_t events_lost;	/* overrun + dropped + events of an unknown type */
	uint64_t bytes_read;	/* raw buffer bytes read (page payloads) */
	uint64_t pages_read;
	uint64_t spikes;	/* rtlab_ftrace_spike() calls */
	uint64_t windows;	/* trace_window rows written */
	uint64_t reader_cpu_ns;	/* CPU time of the recorder thread (user + system) */
	uint64_t stop_cpu_ns;	/* CPU time of rtlab_ftrace_stop(): storing (and parsing) */
};

/* One event's count, for summaries (rtlab_ftrace_event_counts()). */
struct rtlab_ftrace_count {
	char event[96];		/* "system:name" */
	uint64_t count;
};

/* A leftover instance of a recorder that is gone. */
struct rtlab_ftrace_leftover {
	char name[64];		/* "rtlab-<pid>-<n>" */
	pid_t pid;		/* the recorder that made it */
	bool alive;		/* its pid still runs: not a leftover, listed for information */
};

/**
 * rtlab_ftrace_usable - whether tracefs can be used for recording here
 * (root / CAP_SYS_ADMIN, tracefs mounted or mountable, instances creatable,
 * an events directory).  Mounts nothing.  Returns 0 when usable, or -errno
 * with the reason and the way to fix it in @why (may be NULL).
 */
RTLAB_API int rtlab_ftrace_usable(struct rtlab_ctx *ctx, char *why, size_t why_size);

/**
 * rtlab_ftrace_open - create the instance for a run stored in @db_path (a
 * run.db, which must exist: rtlab_store_create() first; the trace tables are
 * created on a connection of this recorder), set the clock and buffer size,
 * resolve and check the events and filters, open the per-CPU raw buffers.
 * Nothing is enabled yet.  On failure everything done is undone (the
 * instance removed) and the reason logged.  Free with rtlab_ftrace_close().
 * Returns 0, -EINVAL (unknown event, bad filter, bad options), -EPERM /
 * -EACCES (not allowed), -ENODEV (no tracefs) or another -errno.
 */
RTLAB_API int rtlab_ftrace_open(struct rtlab_ctx *ctx, const char *db_path,
				const struct rtlab_ftrace_opts *opts, struct rtlab_ftrace **ret);

/**
 * rtlab_ftrace_start - enable the events, turn the instance on and start
 * the recorder thread (normal priority; on @cpu when >= 0).  Returns 0 or
 * -errno (then nothing stays enabled).
 */
RTLAB_API int rtlab_ftrace_start(struct rtlab_ftrace *f, int cpu);

/**
 * rtlab_ftrace_spike - mark a latency spike at @t_ns (CLOCK_MONOTONIC) for
 * breaktrace.  RT-safe: atomic operations only, no lock, no system call, no
 * allocation; callable from several threads.  Spikes past the capacity
 * (RTLAB_FTRACE_MAX_SPIKES pending) widen the last window instead of being
 * dropped.  Without keep_ns it only counts.
 */
RTLAB_API void rtlab_ftrace_spike(struct rtlab_ftrace *f, uint64_t t_ns);

#define RTLAB_FTRACE_MAX_SPIKES 4096

/**
 * rtlab_ftrace_stop - disable the events, stop the recorder after it read
 * every buffer, and write trace_lost (per_cpu/cpuN/stats), trace_window,
 * trace_meta, trace_format and the pages (breaktrace: only pages that meet
 * a window) into trace_page; then, unless defer_parse,
 * rtlab_ftrace_materialize().  Safe to call twice.  Returns 0 or the first
 * -errno met (what could be stored is stored).
 */
RTLAB_API int rtlab_ftrace_stop(struct rtlab_ftrace *f);

/**
 * rtlab_ftrace_materialize - parse the pages stored in run.db @db_path by
 * rtlab_ftrace_stop() into trace_event rows (breaktrace: only events within
 * a trace_window), plus trace_lost 'ftrace unparsed' rows, in one
 * transaction: all or nothing.  Once per run: it marks trace_meta
 * 'materialized', and a later call does nothing.  Needs no tracefs and no
 * root.  *@ret_events (may be NULL) gets the rows written by this call.
 * Returns 0 (also when the run holds no recording, or it was done before),
 * -EBADMSG when a stored page, format or meta row is unusable (logged,
 * naming the row; nothing written), -ENOENT (no such store) or another -errno.
 */
RTLAB_API int rtlab_ftrace_materialize(const char *db_path, struct rtlab_ctx *ctx,
				       uint64_t *ret_events);

/**
 * rtlab_ftrace_close - stop if started and not stopped, disable everything,
 * remove the instance, unmount tracefs if this recorder mounted it, free.
 * NULL is fine; returns NULL.
 */
RTLAB_API struct rtlab_ftrace *rtlab_ftrace_close(struct rtlab_ftrace *f);

/** rtlab_ftrace_stats - the counters so far into @ret. */
RTLAB_API void rtlab_ftrace_stats(const struct rtlab_ftrace *f, struct rtlab_ftrace_stats *ret);

/** rtlab_ftrace_instance - the instance name ("rtlab-<pid>-<n>"). */
RTLAB_API const char *rtlab_ftrace_instance(const struct rtlab_ftrace *f);

/**
 * rtlab_ftrace_event_counts - after stop: the events per type that the
 * stored pages hold (breaktrace: those within a window), which are the
 * trace_event rows rtlab_ftrace_materialize() writes, counted at stop from
 * the event ids without parsing; into @ret (up to @max); *@ret_n gets the
 * number of types (may exceed @max).
 */
RTLAB_API int rtlab_ftrace_event_counts(const struct rtlab_ftrace *f,
					struct rtlab_ftrace_count *ret, size_t max,
					size_t *ret_n);

/**
 * rtlab_ftrace_leftovers - the rtlab instances in tracefs into @ret (up to
 * @max; *@ret_n gets how many there are, may exceed @max), with whether the
 * pid that made each still runs.  Returns 0 (none when tracefs is not
 * mounted) or -errno.
 */
RTLAB_API int rtlab_ftrace_leftovers(struct rtlab_ctx *ctx, struct rtlab_ftrace_leftover *ret,
				     size_t max, size_t *ret_n);

/**
 * rtlab_ftrace_leftover_remove - disable the events of instance @name (an
 * "rtlab-<pid>-<n>" whose pid is gone) and remove it.  Returns 0, -EBUSY
 * (its pid still runs), -EINVAL (not an rtlab instance name), -ENOENT or
 * another -errno.
 */
RTLAB_API int rtlab_ftrace_leftover_remove(struct rtlab_ctx *ctx, const char *name);

#endif /* RTLAB_FTRACE_H */
