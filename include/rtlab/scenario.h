/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Scenario files: what a run does, as an INI file (parsed with libinih).
 *
 *	[scenario]      name, description, duration, seed
 *	[task NAME]     policy, priority, nice, period, runtime, deadline, cpu,
 *	                work, mutex, hold, callback
 *	[mutex NAME]    protocol = inherit | protect | none, ceiling
 *	[load NAME]     kind = cpu | hackbench | memory | io | timer | syscall | fork,
 *	                threads, cpu, intensity, size
 *	[record]        latency, probe, families, ftrace, ftrace_buffer, breaktrace,
 *	                breaktrace_window, bpf
 *	[gate]          max, p99, p99.9, mean, misses, lost
 *
 * docs/scenarios.md documents every key.  Parsing checks each value as it
 * comes (syntax, ranges); validation then checks the scenario as a whole
 * against this machine (online CPUs, defined mutexes, DEADLINE parameters
 * and utilization).  Both report "file:line: message" for the first problem
 * and leave nothing started.  Durations take a unit (ns, us, ms, s, m, h);
 * sizes take one too (B, KiB, MiB, GiB).
 */
#ifndef RTLAB_SCENARIO_H
#define RTLAB_SCENARIO_H

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>

#include <rtlab/core.h>
#include <rtlab/mutex.h>
#include <rtlab/sched.h>

#define RTLAB_SCENARIO_NAME_MAX 64	/* section names and [scenario] name, bytes with NUL */
#define RTLAB_SCENARIO_TEXT_MAX 512	/* description */
#define RTLAB_SCENARIO_ERR_MAX 512	/* an error message "file:line: ..." */

/* A task's job body besides the latency measurement ("work = 200us" or "work = memory:64KiB"). */
enum rtlab_work_kind {
	RTLAB_WORK_NONE,	/* measure latency only */
	RTLAB_WORK_BUSY,	/* spin for work_ns of CPU time */
	RTLAB_WORK_WORKLOAD,	/* one unit of a named workload (work_load, work_size) */
};

/* What a load does (each one real work done by rtlab's own threads or processes). */
enum rtlab_load_kind {
	RTLAB_LOAD_CPU,		/* arithmetic on registers and L1 */
	RTLAB_LOAD_HACKBENCH,	/* groups of processes messaging over socket pairs */
	RTLAB_LOAD_MEMORY,	/* streaming writes and reads over a buffer of @size_bytes */
	RTLAB_LOAD_IO,		/* writes of a file of @size_bytes then fdatasync */
	RTLAB_LOAD_TIMER,	/* many short absolute sleeps (timer interrupts, wake-ups) */
	RTLAB_LOAD_SYSCALL,	/* cheap system calls in a loop */
	RTLAB_LOAD_FORK,	/* fork + exit + wait */
	RTLAB_LOAD__COUNT,
};

/* Where a value was given, for "file:line: message" after parsing. */
struct rtlab_scenario_where {
	unsigned line;		/* 0: not given (default) */
};

struct rtlab_scenario_task {
	char name[RTLAB_SCENARIO_NAME_MAX];
	struct rtlab_sched_attr sched;	/* policy, priority, nice; DEADLINE runtime/deadline/period */
	uint64_t period_ns;		/* required */
	uint64_t deadline_ns;		/* relative; 0: = period */
	cpu_set_t cpus;			/* empty (CPU_COUNT 0): any CPU */
	bool per_cpu;			/* one copy of the task per CPU of @cpus (all online
					 * CPUs if empty), each pinned: "NAME/cpuN" */
	enum rtlab_work_kind work;
	uint64_t work_ns;		/* busy CPU time per job (RTLAB_WORK_BUSY) */
	enum rtlab_load_kind work_load;	/* RTLAB_WORK_WORKLOAD: which one (cpu, memory, io, syscall) */
	uint64_t work_size;		/* its size: bytes (memory, io) or a count (cpu, syscall);
					 * 0: the kind's default */
	int mutex;			/* index in mutexes[], -1: none or not defined */
	char mutex_name[RTLAB_SCENARIO_NAME_MAX];	/* as given, "": none (validation
							 * checks that it is defined) */
	uint64_t hold_ns;		/* BUSY: of work_ns, the part done holding the mutex
					 * (default: all of it); WORKLOAD: held around it */
	int callback;			/* a named workload run each job after the work, outside
					 * the mutex (enum rtlab_load_kind), -1: none */
	uint64_t callback_size;		/* its size, as work_size */
	uint64_t runtime_ns;		/* worst-case execution time per job: DEADLINE's
					 * runtime, else the given runtime, else work_ns
					 * for busy work; 0: not known */
	unsigned line;			/* the [task NAME] line */
	struct rtlab_scenario_where at_priority, at_period, at_runtime, at_deadline, at_cpu,
		at_work, at_mutex, at_hold;
};

struct rtlab_scenario_mutex {
	char name[RTLAB_SCENARIO_NAME_MAX];
	enum rtlab_mutex_protocol protocol;
	int ceiling;			/* RTLAB_MUTEX_PROTECT: 1..99 */
	unsigned line;
	struct rtlab_scenario_where at_ceiling;
};

struct rtlab_scenario_load {
	char name[RTLAB_SCENARIO_NAME_MAX];
	enum rtlab_load_kind kind;
	unsigned threads;		/* workers (processes for hackbench/fork groups); >= 1 */
	cpu_set_t cpus;			/* empty: any CPU */
	unsigned intensity_pct;		/* 1..100: share of each worker's time spent working */
	uint64_t size_bytes;		/* memory/io: buffer or file size; 0: the kind's default */
	unsigned line;
	struct rtlab_scenario_where at_cpu;
};

#define RTLAB_SCENARIO_EVENTS_MAX 64	/* ftrace events (or globs) of [record] */
#define RTLAB_SCENARIO_EVENT_MAX 96	/* bytes of one, NUL included */

struct rtlab_scenario_record {
	uint64_t probe_interval_ns;	/* 0: no probe samples */
	uint64_t probe_families;	/* RTLAB_PF_BIT mask; 0 with an interval: the default set */
	/* ftrace events, "system:event", "event" or globs ("irq:*"); none: no ftrace */
	char ftrace_events[RTLAB_SCENARIO_EVENTS_MAX][RTLAB_SCENARIO_EVENT_MAX];
	size_t nftrace_events;
	unsigned ftrace_buffer_kb;	/* per-CPU trace buffer; 0: the kernel's default */
	uint64_t breaktrace_ns;		/* 0: keep every event; else a job latency at or above
					   this is a spike, and only the trace around spikes is kept */
	uint64_t breaktrace_window_ns;	/* kept before and after each spike */
	unsigned bpf_tools;		/* eBPF tools recorded (1u << RTLAB_BPF_*), 0: none */
	unsigned line;			/* the [record] line, 0 if none */
	unsigned ftrace_line, bpf_line;	/* where ftrace / bpf were given */
};

/* Absolute thresholds a run must meet ([gate]); a field not given is not checked. */
struct rtlab_scenario_gate {
	bool has_max, has_p99, has_p999, has_mean, has_misses, has_lost;
	uint64_t max_ns, p99_ns, p999_ns, mean_ns;
	uint64_t misses, lost;
	unsigned line;
};

struct rtlab_scenario {
	char path[4096];		/* the file, as given (messages name it) */
	char *text;			/* the whole file (stored with each run) */
	size_t text_len;
	char name[RTLAB_SCENARIO_NAME_MAX];
	char description[RTLAB_SCENARIO_TEXT_MAX];
	uint64_t duration_ns;		/* required, > 0 */
	uint64_t seed;			/* for every random choice of the loads; default 1 */
	unsigned line;			/* the [scenario] line */
	struct rtlab_scenario_task *tasks;
	size_t ntasks;
	struct rtlab_scenario_mutex *mutexes;
	size_t nmutexes;
	struct rtlab_scenario_load *loads;
	size_t nloads;
	struct rtlab_scenario_record record;
	struct rtlab_scenario_gate gate;
};

/**
 * rtlab_scenario_parse_file - read and parse @path (syntax and ranges only).
 * Returns 0 with *@ret filled, -EINVAL with "file:line: message" in @err, or
 * another -errno (the file cannot be read: named in @err); *@ret is NULL on
 * failure.  Free the scenario with rtlab_scenario_free().
 */
RTLAB_API int rtlab_scenario_parse_file(const char *path, struct rtlab_scenario **ret, char *err,
					size_t errsize);

/**
 * rtlab_scenario_parse_text - the same on @len bytes of @text; messages name
 * @name as the file.
 */
RTLAB_API int rtlab_scenario_parse_text(const char *name, const char *text, size_t len,
					struct rtlab_scenario **ret, char *err, size_t errsize);

/**
 * rtlab_scenario_validate - the scenario as a whole, on this machine: every
 * CPU online, every mutex defined, DEADLINE runtime <= deadline <= period
 * and total DEADLINE utilization <= 1 on each CPU, hold <= work, a ceiling
 * not below the priority of a task that takes the mutex.  Returns 0 or
 * -EINVAL with "file:line: message" in @err, or the -errno of reading the
 * online CPUs (named in @err).  docs/scenarios.md lists every rule.
 */
RTLAB_API int rtlab_scenario_validate(const struct rtlab_scenario *sc, char *err, size_t errsize);

/* The facts of one machine that validation checks a scenario against. */
struct rtlab_scenario_machine {
	cpu_set_t online;		/* /sys/devices/system/cpu/online */
	int64_t rt_runtime_us;		/* /proc/sys/kernel/sched_rt_runtime_us; -1: no
					 * DEADLINE bandwidth control (or not readable) */
	int64_t rt_period_us;		/* /proc/sys/kernel/sched_rt_period_us */
	uint64_t dl_period_min_us;	/* .../sched_deadline_period_min_us, 0: unknown */
	uint64_t dl_period_max_us;	/* .../sched_deadline_period_max_us, 0: unknown */
};

/**
 * rtlab_scenario_machine_read - read the facts above below the root of @ctx.
 * Returns 0, or -errno when the online CPUs cannot be read (logged); the
 * other facts are optional.
 */
RTLAB_API int rtlab_scenario_machine_read(struct rtlab_ctx *ctx,
					  struct rtlab_scenario_machine *ret);

/**
 * rtlab_scenario_check - rtlab_scenario_validate() against the facts in @m
 * instead of this machine's (no file is read).  Returns 0 or -EINVAL with
 * "file:line: message" in @err.
 */
RTLAB_API int rtlab_scenario_check(const struct rtlab_scenario *sc,
				   const struct rtlab_scenario_machine *m, char *err,
				   size_t errsize);

/** rtlab_scenario_free - free it; returns NULL. */
RTLAB_API struct rtlab_scenario *rtlab_scenario_free(struct rtlab_scenario *sc);

/** rtlab_load_kind_name - "cpu", "hackbench", ..., or NULL. */
RTLAB_API const char *rtlab_load_kind_name(enum rtlab_load_kind kind);

/** rtlab_load_kind_from_name - parse a load kind; 0 or -EINVAL. */
RTLAB_API int rtlab_load_kind_from_name(const char *name, enum rtlab_load_kind *ret);

#endif /* RTLAB_SCENARIO_H */
