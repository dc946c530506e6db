/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The run store: one SQLite file, run.db, per run (runs/<name>-<UTC time>/),
 * the single source of reports and gates.  WAL journal, a schema version.
 * Every timestamp is CLOCK_MONOTONIC ns.  Schema (version 2; 1 lacks task.tid):
 *
 *	schema_version(version)
 *	run(id = 1, name, scenario, scenario_hash, rtlab_version, hostname, kernel,
 *	    kernel_version, preempt, cpu_model, ncpus, governor, cmdline, seed,
 *	    duration_ns, start_ns, end_ns, start_utc, end_utc, status)
 *		status: 'incomplete' from the start (what a crash leaves), then
 *		'complete' or 'interrupted' (SIGINT/SIGTERM) when the run ends
 *	task(id, name, policy, priority, period_ns, deadline_ns, runtime_ns, cpus,
 *	     jobs, overruns, misses, min_ns, max_ns, sum_ns, lost, tid)
 *		tid: the kernel thread id the task ran as (NULL if it never
 *		started), to find it in trace events (schema 2)
 *	latency(t_ns, task, cpu, latency_ns, response_ns)
 *		one row per job: its wake-up latency, t_ns the actual wake time;
 *		response_ns from the programmed wake-up to the end of the job
 *		(NULL when not measured)
 *	miss(t_ns, task, job, deadline_ns, end_ns)	a job that ended after its deadline
 *	hist(task, lo_ns, hi_ns, count)		each task's histogram (non-empty buckets)
 *	lost(task, kind, count)			records a full ring could not take
 *	load(id, name, kind, threads, intensity, cpus, ops, work_ns, elapsed_ns)
 *	event(t_ns, kind, text)			what happened to the run (start, signal,
 *						watchdog action, end)
 *	probe_metric, probe_sample, probe_problem	see probe-record.h
 *
 * Real-time threads never touch SQLite: they push fixed-size records into a
 * ring of their own (single producer, single consumer, no lock, no
 * allocation); one writer thread at normal priority drains every ring into
 * the database.  A full ring counts the record as lost (per producer and
 * kind), and the count is stored: never a silent drop.
 */
#ifndef RTLAB_STORE_H
#define RTLAB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <rtlab/core.h>

#define RTLAB_STORE_SCHEMA_VERSION 2

struct rtlab_store;
struct rtlab_ring;
struct rtlab_writer;

/* What the run table holds about the run and the machine it ran on. */
struct rtlab_run_info {
	const char *name;		/* the scenario's name */
	const char *scenario;		/* the scenario file's text */
	size_t scenario_len;
	uint64_t seed;
	uint64_t duration_ns;		/* as asked */
};

enum rtlab_run_status {
	RTLAB_RUN_INCOMPLETE,		/* started, not ended (a crash leaves this) */
	RTLAB_RUN_COMPLETE,
	RTLAB_RUN_INTERRUPTED,		/* ended early by SIGINT/SIGTERM */
};

/* A task as the task table describes it (its counters come at the end). */
struct rtlab_store_task {
	const char *name;
	const char *policy;		/* "fifo", "deadline", ... */
	int priority;
	uint64_t period_ns, deadline_ns, runtime_ns;
	const char *cpus;		/* "0-3", "" for any */
};

/* The counters of a task at the end of the run. */
struct rtlab_store_task_end {
	uint64_t jobs, overruns, misses, min_ns, max_ns, sum_ns;
	pid_t tid;			/* its kernel thread id; 0: never started */
};

/* A load at the end of the run. */
struct rtlab_store_load {
	const char *name, *kind, *cpus;
	unsigned threads, intensity_pct;
	uint64_t ops, work_ns, elapsed_ns;
};

/**
 * rtlab_store_create - create @dir/run.db (the folder must exist, the file
 * must not) with the schema, WAL journal.  Returns 0 or -errno (-EEXIST).
 */
RTLAB_API int rtlab_store_create(const char *dir, struct rtlab_store **ret);

/**
 * rtlab_store_open - open an existing run: @path is a run folder or a run.db.
 * Read-only unless @writable.  -ENOENT, -EPROTO (not a run store, or a newer
 * schema than this rtlab knows), or another -errno.
 */
RTLAB_API int rtlab_store_open(const char *path, bool writable, struct rtlab_store **ret);

/** rtlab_store_close - close it (NULL is fine); returns NULL. */
RTLAB_API struct rtlab_store *rtlab_store_close(struct rtlab_store *st);

/**
 * rtlab_run_dir_make - create a new run folder <@runs>/<@name>-<UTC time>,
 * or with "-2", "-3"... when one of that second exists (never an existing
 * one), into @dir.  @runs (NULL: "runs") and its parents are created;
 * characters of @name that a folder name should not hold become '_'.
 * Returns 0, -EEXIST (too many in one second), -ENAMETOOLONG or -errno.
 */
RTLAB_API int rtlab_run_dir_make(const char *runs, const char *name, char *dir, size_t size);

/** rtlab_store_path - the run.db path. */
RTLAB_API const char *rtlab_store_path(const struct rtlab_store *st);

/**
 * rtlab_store_begin - write the run row: @info, the machine facts (kernel,
 * preemption model, CPU model, governor, command line...), start times, and
 * status 'incomplete'.  Returns 0 or -errno.
 */
RTLAB_API int rtlab_store_begin(struct rtlab_store *st, const struct rtlab_run_info *info);

/** rtlab_store_end - end times and @status; 0 or -errno. */
RTLAB_API int rtlab_store_end(struct rtlab_store *st, enum rtlab_run_status status);

/** rtlab_store_add_task - a task row; its id (for rings and results) in *@ret_id. */
RTLAB_API int rtlab_store_add_task(struct rtlab_store *st, const struct rtlab_store_task *t,
				   uint32_t *ret_id);

/** rtlab_store_end_task - the counters of task @id. */
RTLAB_API int rtlab_store_end_task(struct rtlab_store *st, uint32_t id,
				   const struct rtlab_store_task_end *e);

/**
 * rtlab_store_hist - task @id's histogram: @n buckets [lo[i], hi[i]) with
 * count[i] (empty ones are skipped).
 */
RTLAB_API int rtlab_store_hist(struct rtlab_store *st, uint32_t id, const uint64_t *lo,
			       const uint64_t *hi, const uint64_t *count, size_t n);

/** rtlab_store_add_load - a load row. */
RTLAB_API int rtlab_store_add_load(struct rtlab_store *st, const struct rtlab_store_load *l);

/** rtlab_store_event - an event row at @t_ns (0: now); @kind and @text are copied. */
RTLAB_API int rtlab_store_event(struct rtlab_store *st, uint64_t t_ns, const char *kind,
				const char *text);

/** rtlab_run_status_name - "incomplete", "complete", "interrupted", or NULL. */
RTLAB_API const char *rtlab_run_status_name(enum rtlab_run_status s);

/* ---- records from real-time threads ---- */

/**
 * rtlab_writer_new - a writer into @st (not started): it drains rings every
 * @flush_ns (0: 20 ms) in one transaction.
 */
RTLAB_API int rtlab_writer_new(struct rtlab_store *st, uint64_t flush_ns,
			       struct rtlab_writer **ret);

/**
 * rtlab_writer_ring - a ring of @records records (rounded up to a power of
 * two, at least 1024) for producer @task (a task id), allocated and
 * prefaulted now.  Before rtlab_writer_start() only.
 */
RTLAB_API int rtlab_writer_ring(struct rtlab_writer *w, uint32_t task, size_t records,
				struct rtlab_ring **ret);

/** rtlab_writer_start - the writer thread (normal priority; on @cpu if >= 0). */
RTLAB_API int rtlab_writer_start(struct rtlab_writer *w, int cpu);

/**
 * rtlab_writer_stop - stop the thread after it drained every ring, store the
 * lost counts.  Returns 0 or the first error the writer met.
 */
RTLAB_API int rtlab_writer_stop(struct rtlab_writer *w);

/** rtlab_writer_written - records written to the database so far. */
RTLAB_API uint64_t rtlab_writer_written(const struct rtlab_writer *w);

/** rtlab_writer_free - stop if needed, free the rings.  Returns NULL. */
RTLAB_API struct rtlab_writer *rtlab_writer_free(struct rtlab_writer *w);

/**
 * rtlab_ring_latency - a job's wake-up latency (RT-safe: no lock, no
 * allocation, no system call).  False if the ring was full (counted as lost).
 */
RTLAB_API bool rtlab_ring_latency(struct rtlab_ring *r, uint64_t t_ns, int cpu,
				  uint64_t latency_ns);

/**
 * rtlab_ring_job - a job's wake-up latency and response time (from the
 * programmed wake-up to its end), RT-safe.  False if the ring was full.
 */
RTLAB_API bool rtlab_ring_job(struct rtlab_ring *r, uint64_t t_ns, int cpu, uint64_t latency_ns,
			      uint64_t response_ns);

/** rtlab_ring_miss - a missed deadline (RT-safe).  False if the ring was full (lost). */
RTLAB_API bool rtlab_ring_miss(struct rtlab_ring *r, uint64_t end_ns, uint64_t job,
			       uint64_t deadline_ns);

/** rtlab_ring_lost - records this ring could not take so far. */
RTLAB_API uint64_t rtlab_ring_lost(const struct rtlab_ring *r);

/* ---- reading a run back ---- */

/* The latency figures of one task (or of all: name "all"), exact from the samples. */
struct rtlab_task_summary {
	uint32_t id;			/* 0 for "all" */
	char name[64];
	char policy[16];
	int priority;
	uint64_t period_ns;
	uint64_t samples;		/* latency rows */
	uint64_t min_ns, max_ns;
	double mean_ns;
	uint64_t p50_ns, p90_ns, p99_ns, p999_ns, p9999_ns;	/* nearest rank */
	uint64_t jobs, overruns, misses;	/* task counters (all: sums) */
	uint64_t lost;			/* records lost, all kinds */
	/* Response times (programmed wake-up to the end of the job), where measured. */
	uint64_t responses;		/* rows with a response time */
	double resp_mean_ns;
	uint64_t resp_p50_ns, resp_p99_ns, resp_max_ns;
};

/* What a run was and how it went. */
struct rtlab_run_summary {
	char name[64];
	char status[16];
	char hostname[64], kernel[64], kernel_version[128], preempt[32], cpu_model[128];
	char governor[32], rtlab_version[32], start_utc[32], scenario_hash[32];
	char cmdline[1024];
	int ncpus;
	uint64_t seed;
	uint64_t start_ns, end_ns, duration_ns;
	struct rtlab_task_summary *tasks;	/* each task, then "all" */
	size_t ntasks;				/* with "all" */
};

/**
 * rtlab_run_summary_read - the run row and every task's figures (percentiles
 * exact, from the latency rows).  Returns 0 or -errno (-EPROTO: not a run).
 */
RTLAB_API int rtlab_run_summary_read(struct rtlab_store *st, struct rtlab_run_summary *ret);

/** rtlab_run_summary_free - what _read allocated. */
RTLAB_API void rtlab_run_summary_free(struct rtlab_run_summary *s);

/** rtlab_store_db - the SQLite handle, for reading (reports, compare). */
RTLAB_API struct sqlite3 *rtlab_store_db(struct rtlab_store *st);

#endif /* RTLAB_STORE_H */
