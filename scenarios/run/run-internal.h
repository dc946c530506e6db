/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* run-internal.h - what the runner's files share. */
#ifndef RTLAB_RUN_INTERNAL_H
#define RTLAB_RUN_INTERNAL_H

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>

#include <rtlab/bpf.h>
#include <rtlab/ftrace.h>
#include <rtlab/load.h>
#include <rtlab/probe-record.h>
#include <rtlab/run.h>
#include <rtlab/sysinfo.h>
#include <rtlab/task.h>
#include <rtlab/watchdog.h>

/* A task of the run and what its job uses. */
struct run_task {
	const struct rtlab_scenario_task *def;
	char name[RTLAB_SCENARIO_NAME_MAX + 16];	/* the def's, "/cpuN" added per CPU */
	cpu_set_t cpus;			/* its affinity (empty: any) */
	struct rtlab_task *task;
	struct rtlab_ring *ring;
	uint32_t id;			/* in the task table */
	struct rtlab_mutex *mutex;	/* the run's, or NULL */
	struct rtlab_workload *work;	/* RTLAB_WORK_WORKLOAD */
	struct rtlab_workload *callback;
	_Atomic uint64_t workload_errors;
	struct rtlab_ftrace *ftrace;	/* the run's, told of spikes (breaktrace), or NULL */
	uint64_t breaktrace_ns;		/* a latency at or above this is a spike; 0: none */
};

/* Something that happened during the run (stored at its end). */
struct run_event {
	uint64_t t_ns;
	char kind[16];
	char text[128];
};

struct rtlab_run {
	struct rtlab_ctx *ctx;
	const struct rtlab_scenario *sc;
	struct rtlab_run_opts opts;
	uint64_t duration_ns;
	char dir[PATH_MAX];
	struct rtlab_store *store;
	struct rtlab_writer *writer;
	struct rtlab_mutex **mutexes;
	struct run_task *tasks;
	size_t ntasks;			/* per_cpu tasks count once per CPU */
	struct rtlab_load **loads;
	struct rtlab_probe *probe;
	struct rtlab_probe_recorder *recorder;
	struct rtlab_ftrace *ftrace;	/* [record] ftrace, or NULL */
	struct rtlab_bpf *bpf;		/* [record] bpf, or NULL */
	struct rtlab_watchdog *watchdog;
	struct rtlab_dma_latency *dma;
	bool locked;			/* mlockall done */
	_Atomic bool stop;
	enum rtlab_run_status status;
	pthread_mutex_t ev_lock;
	struct run_event *events;
	size_t nevents, cap_events;
};

/* run_tasks_new - the tasks, their rings and workloads; 0 or -errno (reason in @err). */
int run_tasks_new(struct rtlab_run *run, char *err, size_t errsize);

/* run_tasks_start - start every task, the first wake-ups aligned at @start_ns. */
int run_tasks_start(struct rtlab_run *run, uint64_t start_ns, char *err, size_t errsize);

/* run_tasks_stop - stop and join every task. */
void run_tasks_stop(struct rtlab_run *run);

/* run_tasks_free - free the tasks and their workloads. */
void run_tasks_free(struct rtlab_run *run);

/* run_trace_new - the ftrace and eBPF recorders [record] asks for; 0 or -errno (@err). */
int run_trace_new(struct rtlab_run *run, char *err, size_t errsize);

/* run_trace_start - enable the trace recorders; 0 or -errno (@err). */
int run_trace_start(struct rtlab_run *run, char *err, size_t errsize);

/* run_trace_stop - disable them and store what they recorded; 0 or -errno. */
int run_trace_stop(struct rtlab_run *run);

/* run_trace_free - close them (the tracefs instance is removed). */
void run_trace_free(struct rtlab_run *run);

/* run_store_results - counters, histograms, loads and events into run.db. */
int run_store_results(struct rtlab_run *run);

/* run_event - remember an event (any thread but the RT ones). */
void run_event(struct rtlab_run *run, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* RTLAB_RUN_INTERNAL_H */
