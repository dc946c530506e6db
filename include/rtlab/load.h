/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Loads and named workloads.
 *
 * A load is real work done by rtlab's own threads (and, for hackbench and
 * fork, their child processes) while a scenario measures latency: no
 * external stress tool is run.  Each worker works for intensity_pct of every
 * 10 ms window and sleeps, with an absolute sleep, for the rest (100: no
 * sleep).  Workers always run SCHED_OTHER, whatever the policy of the thread
 * that starts them, and are pinned to @cpus when a set is given.  Every
 * random choice (memory pattern, data written, message contents) comes from
 * a per-worker generator seeded with seed + worker index, so a scenario
 * reproduces.  Child processes get a parent-death signal (SIGKILL) and are
 * reaped before rtlab_load_join() returns; none is ever left behind.
 *
 * A named workload is one unit of work run inside an RT task's job
 * ("work = memory:64KiB", "callback = syscall"): its buffers and files are
 * set up by rtlab_workload_new(), so rtlab_workload_run() allocates nothing
 * and takes no lock (the io workload writes a file: it is not RT-safe).
 *
 * docs/loads.md describes each kind, what it stresses and its defaults.
 */
#ifndef RTLAB_LOAD_H
#define RTLAB_LOAD_H

#include <sched.h>
#include <stdint.h>

#include <rtlab/core.h>
#include <rtlab/scenario.h>

#define RTLAB_LOAD_THREADS_MAX 1024	/* workers of one load (hackbench: groups, 64) */
#define RTLAB_LOAD_HACKBENCH_FDS 20	/* senders and receivers of one hackbench group */
#define RTLAB_LOAD_HACKBENCH_GROUPS_MAX 64
#define RTLAB_LOAD_MESSAGE_BYTES 100	/* one hackbench message */

struct rtlab_load;
struct rtlab_workload;

struct rtlab_load_config {
	const char *name;		/* copied; NULL: the kind's name.  Names the workers
					 * (first 15 bytes) and the load in messages */
	enum rtlab_load_kind kind;
	unsigned threads;		/* workers, 1..RTLAB_LOAD_THREADS_MAX; hackbench: groups
					 * of RTLAB_LOAD_HACKBENCH_FDS senders and as many
					 * receivers, 1..RTLAB_LOAD_HACKBENCH_GROUPS_MAX */
	const cpu_set_t *cpus;		/* NULL or empty: any CPU; otherwise every CPU online */
	unsigned intensity_pct;		/* 1..100: share of each 10 ms window spent working */
	uint64_t size_bytes;		/* memory (per worker, default 64 MiB) and io (per file,
					 * default 16 MiB) only; 0: the default; at least 4 KiB */
	uint64_t seed;			/* worker i uses a generator seeded with seed + i */
	const char *dir;		/* io: directory of the temporary files; NULL: $TMPDIR,
					 * or /tmp */
};

/** Counters of a load, summed over its workers. */
struct rtlab_load_stats {
	uint64_t ops;			/* units of work done (docs/loads.md: one per kind) */
	uint64_t work_ns;		/* time spent in the working part of the windows */
	uint64_t cpu_ns;		/* CPU time used by the workers (threads or processes) */
	uint64_t elapsed_ns;		/* since the start, until now or until the join */
	unsigned workers;		/* threads or processes doing the work */
	int error;			/* first -errno a worker failed with, 0 if none */
};

/**
 * rtlab_load_new - check @cfg and create a load (nothing is started).
 * Returns 0 with *@ret set, -EINVAL (a message names the bad field: threads,
 * intensity, kind, size, an offline CPU), -ENOTDIR (io: @dir is not a
 * directory), or -ENOMEM.  Free with rtlab_load_free().
 */
RTLAB_API int rtlab_load_new(struct rtlab_ctx *ctx, const struct rtlab_load_config *cfg,
			     struct rtlab_load **ret);

/**
 * rtlab_load_start - start the workers.  Returns 0 once every worker has set
 * itself up (buffers, files, child processes), or the first set-up error
 * (logged), with everything already started stopped and reaped.  A load is
 * started once: -EALREADY after that.
 */
RTLAB_API int rtlab_load_start(struct rtlab_load *load);

/**
 * rtlab_load_stop - ask every worker to stop (async-signal-safe: sets a flag
 * and signals an eventfd).  Workers see it within one window (10 ms).
 */
RTLAB_API void rtlab_load_stop(struct rtlab_load *load);

/**
 * rtlab_load_join - stop the load if that was not asked yet, and wait for
 * every worker; child processes that have not exited 50 ms after the stop
 * are killed (SIGKILL); all are reaped.  Returns 0 or the first worker error.
 */
RTLAB_API int rtlab_load_join(struct rtlab_load *load);

/** rtlab_load_stats - the counters now (any thread; live while it runs). */
RTLAB_API void rtlab_load_stats(const struct rtlab_load *load, struct rtlab_load_stats *ret);

/** rtlab_load_name - the name of the load. */
RTLAB_API const char *rtlab_load_name(const struct rtlab_load *load);

/** rtlab_load_free - join (stopping it) and free @load (NULL is fine); returns NULL. */
RTLAB_API struct rtlab_load *rtlab_load_free(struct rtlab_load *load);

/**
 * rtlab_workload_new - set up a named workload of @kind:
 * - RTLAB_LOAD_CPU: @size arithmetic iterations (0: 1000);
 * - RTLAB_LOAD_MEMORY: @size bytes touched, one half read and the other
 *   written, the halves swapping each run (0: 64 KiB; at least 16 bytes,
 *   rounded down to a multiple of 16, at most 1 GiB); the buffer is
 *   allocated and prefaulted here;
 * - RTLAB_LOAD_SYSCALL: @size system calls (0: 10);
 * - RTLAB_LOAD_IO: @size bytes (0: 4 KiB, at most 64 MiB) written with
 *   pwrite() at offset 0 of a temporary file opened here in $TMPDIR or /tmp
 *   (removed from the directory at once): not RT-safe.
 * @seed seeds its data and arithmetic.  Returns 0 with *@ret set, -EINVAL
 * (another kind, a size out of range), -ENOMEM or the -errno of opening the
 * file.  Free with rtlab_workload_free().
 */
RTLAB_API int rtlab_workload_new(enum rtlab_load_kind kind, uint64_t size, uint64_t seed,
				 struct rtlab_workload **ret);

/**
 * rtlab_workload_run - one unit of @w: no allocation, no lock.  To be used by
 * one thread at a time.  Returns 0, or the -errno of a failed write (io).
 */
RTLAB_API int rtlab_workload_run(struct rtlab_workload *w);

/**
 * rtlab_workload_digest - a value folding every result computed so far: the
 * same for the same kind, size, seed and number of runs (io and syscall:
 * bytes written and calls made).
 */
RTLAB_API uint64_t rtlab_workload_digest(const struct rtlab_workload *w);

/** rtlab_workload_free - close and free @w (NULL is fine); returns NULL. */
RTLAB_API struct rtlab_workload *rtlab_workload_free(struct rtlab_workload *w);

#endif /* RTLAB_LOAD_H */
