/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rt-task.c - periodic real-time tasks: absolute sleeps, latency, misses, overruns. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rtlab/task.h>

#include "rt-internal.h"

#define TASK_DEFAULT_PREFAULT (64u << 10)
#define TASK_DEFAULT_STACK (256u << 10)
#define TASK_MAX_LINEAR_US (10u << 20)

/* Counters written by the task thread only, read by others with relaxed loads. */
struct task_counters {
	uint64_t jobs, overruns, misses, last_miss_ns, act_ns;
	uint64_t min_ns, max_ns, sum_ns, max_job_index, last_job_end_ns;
	uint64_t linear_overflow, broke_at_ns;
	int tid, cpu, running, broke, error;
	unsigned int outliers_n;
};

struct rtlab_task {
	struct rtlab_ctx *ctx;
	struct rtlab_task_config cfg;
	char name[64];
	cpu_set_t affinity;
	struct rtlab_hist *hist;
	uint64_t *linear;
	uint64_t *outliers;
	struct task_counters c;
	int stop;

	pthread_t thread;
	bool started, joined;
	pthread_mutex_t lock;		/* start handshake only */
	pthread_cond_t cond;
	int setup;			/* 0 pending, 1 done, < 0 error */
};

/* validate - check a task configuration, naming the bad field. */
static int validate(struct rtlab_ctx *ctx, const struct rtlab_task_config *cfg)
{
	uint64_t deadline = cfg->deadline_ns ? cfg->deadline_ns : cfg->period_ns;
	int r;

	if (cfg->period_ns == 0)
		return rtlab_err(ctx, -EINVAL, "task %s: period must be > 0", cfg->name ?: "?");
	if (deadline > cfg->period_ns)
		return rtlab_err(ctx, -EINVAL, "task %s: deadline %llu ns > period %llu ns",
				 cfg->name ?: "?", (unsigned long long)deadline,
				 (unsigned long long)cfg->period_ns);
	if (cfg->linear_us > TASK_MAX_LINEAR_US)
		return rtlab_err(ctx, -EINVAL, "task %s: histogram of %u us is too large (max %u)",
				 cfg->name ?: "?", cfg->linear_us, TASK_MAX_LINEAR_US);
	r = rtlab_sched_validate(ctx, &cfg->sched);
	if (r < 0)
		return r;
	if (cfg->affinity && cfg->sched.policy == RTLAB_POLICY_DEADLINE)
		return rtlab_err(ctx, -EINVAL, "task %s: a SCHED_DEADLINE thread cannot be pinned "
				 "(the kernel requires its affinity to span the root domain; "
				 "use an exclusive cpuset instead)", cfg->name ?: "?");
	if (cfg->sched.policy == RTLAB_POLICY_DEADLINE && cfg->sched.period_ns != cfg->period_ns)
		return rtlab_err(ctx, -EINVAL, "task %s: SCHED_DEADLINE period %llu ns differs from "
				 "the task period %llu ns", cfg->name ?: "?",
				 (unsigned long long)cfg->sched.period_ns,
				 (unsigned long long)cfg->period_ns);
	return 0;
}

/* alloc_buffers - histogram, linear histogram and outlier list. */
static int alloc_buffers(struct rtlab_task *t)
{
	t->hist = rtlab_hist_new();
	if (!t->hist)
		return -ENOMEM;
	if (t->cfg.linear_us) {
		t->linear = calloc(t->cfg.linear_us, sizeof(*t->linear));
		if (!t->linear)
			return -ENOMEM;
	}
	if (t->cfg.outliers_max) {
		t->outliers = calloc(t->cfg.outliers_max, sizeof(*t->outliers));
		if (!t->outliers)
			return -ENOMEM;
	}
	return 0;
}

/* rtlab_task_new - validate and allocate a task. */
struct rtlab_task *rtlab_task_new(struct rtlab_ctx *ctx, const struct rtlab_task_config *cfg)
{
	struct rtlab_task *t;
	int r;

	r = validate(ctx, cfg);
	if (r < 0) {
		errno = -r;
		return NULL;
	}
	if (cfg->affinity) {
		cpu_set_t online;

		r = rtlab_cpus_online(ctx, &online);
		for (int c = 0; r == 0 && c < CPU_SETSIZE; c++)
			if (CPU_ISSET(c, cfg->affinity) && !CPU_ISSET(c, &online))
				r = rtlab_err(ctx, -EINVAL, "task %s: affinity CPU %d is not online",
					      cfg->name ?: "?", c);
		if (r == 0 && CPU_COUNT(cfg->affinity) == 0)
			r = rtlab_err(ctx, -EINVAL, "task %s: empty affinity", cfg->name ?: "?");
		if (r < 0) {
			errno = -r;
			return NULL;
		}
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->ctx = ctx;
	t->cfg = *cfg;
	rtlab_strlcpy(t->name, cfg->name ?: "task", sizeof(t->name));
	t->cfg.name = t->name;
	if (cfg->affinity) {
		t->affinity = *cfg->affinity;
		t->cfg.affinity = &t->affinity;
	}
	t->c.min_ns = UINT64_MAX;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->cond, NULL);
	r = alloc_buffers(t);
	if (r < 0) {
		rtlab_task_free(t);
		errno = -r;
		return NULL;
	}
	return t;
}

/* setup_done - report the thread's set-up result to rtlab_task_start(). */
static void setup_done(struct rtlab_task *t, int r)
{
	pthread_mutex_lock(&t->lock);
	t->setup = r < 0 ? r : 1;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
}

/* thread_setup - in the new thread: name, affinity, policy, stack. */
static int thread_setup(struct rtlab_task *t)
{
	char comm[16];
	int r;

	__atomic_store_n(&t->c.tid, rt_gettid(), __ATOMIC_RELAXED);
	rtlab_strlcpy(comm, t->name, sizeof(comm));
	(void)pthread_setname_np(pthread_self(), comm);
	if (t->cfg.affinity) {
		r = rtlab_affinity_set(t->ctx, 0, t->cfg.affinity);
		if (r < 0)
			return r;
	}
	r = rtlab_sched_set(t->ctx, 0, &t->cfg.sched);
	if (r < 0)
		return r;
	rtlab_stack_prefault(t->cfg.stack_prefault ?: TASK_DEFAULT_PREFAULT);
	return 0;
}

/* record - account one wake-up latency (hot path: no syscall, no allocation). */
static void record(struct rtlab_task *t, uint64_t lat, uint64_t index)
{
	struct task_counters *c = &t->c;

	rtlab_hist_add(t->hist, lat);
	rtlab_store_u64(&c->act_ns, lat);
	rtlab_store_u64(&c->sum_ns, c->sum_ns + lat);
	if (lat < c->min_ns)
		rtlab_store_u64(&c->min_ns, lat);
	if (lat > c->max_ns) {
		rtlab_store_u64(&c->max_ns, lat);
		rtlab_store_u64(&c->max_job_index, index);
	}
	if (t->linear) {
		uint64_t us = lat / RTLAB_NSEC_PER_USEC;

		if (us < t->cfg.linear_us) {
			rtlab_store_u64(&t->linear[us], t->linear[us] + 1);
		} else {
			if (c->outliers_n < t->cfg.outliers_max) {
				t->outliers[c->outliers_n] = index;
				__atomic_store_n(&c->outliers_n, c->outliers_n + 1,
						 __ATOMIC_RELEASE);
			}
			rtlab_store_u64(&c->linear_overflow, c->linear_overflow + 1);
		}
	}
}

/* finish_job - deadline check, overrun skipping; returns the next wake time. */
static uint64_t finish_job(struct rtlab_task *t, uint64_t wake, uint64_t end)
{
	uint64_t period = t->cfg.period_ns;
	uint64_t deadline = t->cfg.deadline_ns ?: period;
	uint64_t next = wake + period;

	if (end > wake + deadline) {
		rtlab_store_u64(&t->c.misses, t->c.misses + 1);
		rtlab_store_u64(&t->c.last_miss_ns, end);
	}
	rtlab_store_u64(&t->c.jobs, t->c.jobs + 1);
	rtlab_store_u64(&t->c.last_job_end_ns, end);
	if (end > next) {
		uint64_t skip = (end - next) / period + 1;

		next += skip * period;
		rtlab_store_u64(&t->c.overruns, t->c.overruns + skip);
	}
	return next;
}

/* first_wake - the configured start, moved past now by whole periods. */
static uint64_t first_wake(const struct rtlab_task *t)
{
	uint64_t now = rtlab_now_ns();
	uint64_t start = t->cfg.start_ns ?: now + t->cfg.period_ns;

	if (start <= now)
		start += ((now - start) / t->cfg.period_ns + 1) * t->cfg.period_ns;
	return start;
}

/* run_job - call the job body; returns > 0 to stop. */
static int run_job(struct rtlab_task *t, uint64_t wake, uint64_t now, uint64_t index,
		   uint64_t *ret_end)
{
	struct rtlab_job job = {
		.index = index,
		.wake_ns = wake,
		.actual_ns = now,
		.latency_ns = now - wake,
		.deadline_ns = wake + (t->cfg.deadline_ns ?: t->cfg.period_ns),
	};
	int r = t->cfg.fn(t, &job, t->cfg.userdata);

	*ret_end = rtlab_now_ns();
	return r;
}

/* task_loop - the periodic loop. */
static void task_loop(struct rtlab_task *t)
{
	uint64_t wake = first_wake(t), index = 0;

	while (!__atomic_load_n(&t->stop, __ATOMIC_RELAXED)) {
		struct timespec ts = rtlab_ts_from_ns(wake);
		uint64_t now, end, lat;
		int r;

		r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		if (r == EINTR)
			continue;
		now = rtlab_now_ns();
		lat = now > wake ? now - wake : 0;
		record(t, lat, index);
		__atomic_store_n(&t->c.cpu, sched_getcpu(), __ATOMIC_RELAXED);
		end = now;
		r = t->cfg.fn ? run_job(t, wake, now, index, &end) : 0;
		wake = finish_job(t, wake, end);
		index++;
		if (t->cfg.break_ns && lat > t->cfg.break_ns) {
			__atomic_store_n(&t->c.broke_at_ns, now, __ATOMIC_RELAXED);
			__atomic_store_n(&t->c.broke, 1, __ATOMIC_RELEASE);
			break;
		}
		if (r > 0 || (t->cfg.loops && index >= t->cfg.loops))
			break;
	}
}

/* task_main - thread entry. */
static void *task_main(void *arg)
{
	struct rtlab_task *t = arg;
	int r;

	r = thread_setup(t);
	if (r < 0) {
		__atomic_store_n(&t->c.error, r, __ATOMIC_RELAXED);
		setup_done(t, r);
		return NULL;
	}
	__atomic_store_n(&t->c.running, 1, __ATOMIC_RELAXED);
	setup_done(t, 0);
	task_loop(t);
	__atomic_store_n(&t->c.running, 0, __ATOMIC_RELEASE);
	if (t->cfg.on_exit)
		t->cfg.on_exit(t, t->cfg.userdata);
	return NULL;
}

/* rtlab_task_start - create the thread and wait for its set-up. */
int rtlab_task_start(struct rtlab_task *t)
{
	pthread_attr_t attr;
	int r;

	if (t->started)
		return rtlab_err(t->ctx, -EALREADY, "task %s: already started", t->name);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, t->cfg.stack_size ?: TASK_DEFAULT_STACK);
	r = -pthread_create(&t->thread, &attr, task_main, t);
	pthread_attr_destroy(&attr);
	if (r < 0)
		return rtlab_err(t->ctx, r, "task %s: cannot create its thread: %s", t->name,
				 strerror(-r));
	t->started = true;
	pthread_mutex_lock(&t->lock);
	while (t->setup == 0)
		pthread_cond_wait(&t->cond, &t->lock);
	r = t->setup < 0 ? t->setup : 0;
	pthread_mutex_unlock(&t->lock);
	if (r < 0)
		rtlab_task_join(t);
	return r;
}

/* rtlab_task_set_start - first wake time, before start. */
int rtlab_task_set_start(struct rtlab_task *t, uint64_t start_ns)
{
	if (t->started)
		return -EBUSY;
	t->cfg.start_ns = start_ns;
	return 0;
}

/* rtlab_task_stop - ask the loop to end. */
void rtlab_task_stop(struct rtlab_task *t)
{
	__atomic_store_n(&t->stop, 1, __ATOMIC_RELAXED);
}

/* rtlab_task_join - wait for the thread. */
int rtlab_task_join(struct rtlab_task *t)
{
	if (t->started && !t->joined) {
		pthread_join(t->thread, NULL);
		t->joined = true;
	}
	return __atomic_load_n(&t->c.error, __ATOMIC_RELAXED);
}

/* rtlab_task_free - stop, join, free. */
struct rtlab_task *rtlab_task_free(struct rtlab_task *t)
{
	if (!t)
		return NULL;
	rtlab_task_stop(t);
	rtlab_task_join(t);
	pthread_cond_destroy(&t->cond);
	pthread_mutex_destroy(&t->lock);
	rtlab_hist_free(t->hist);
	free(t->linear);
	free(t->outliers);
	free(t);
	return NULL;
}

/* rtlab_task_stats - snapshot. */
void rtlab_task_stats(const struct rtlab_task *t, struct rtlab_task_stats *ret)
{
	const struct task_counters *c = &t->c;
	uint64_t min = rtlab_load_u64(&c->min_ns);

	*ret = (struct rtlab_task_stats){
		.tid = __atomic_load_n(&c->tid, __ATOMIC_RELAXED),
		.cpu = __atomic_load_n(&c->cpu, __ATOMIC_RELAXED),
		.jobs = rtlab_load_u64(&c->jobs),
		.overruns = rtlab_load_u64(&c->overruns),
		.misses = rtlab_load_u64(&c->misses),
		.last_miss_ns = rtlab_load_u64(&c->last_miss_ns),
		.act_ns = rtlab_load_u64(&c->act_ns),
		.min_ns = min == UINT64_MAX ? 0 : min,
		.max_ns = rtlab_load_u64(&c->max_ns),
		.sum_ns = rtlab_load_u64(&c->sum_ns),
		.max_job_index = rtlab_load_u64(&c->max_job_index),
		.last_job_end_ns = rtlab_load_u64(&c->last_job_end_ns),
		.running = __atomic_load_n(&c->running, __ATOMIC_ACQUIRE),
		.broke = __atomic_load_n(&c->broke, __ATOMIC_ACQUIRE),
		.broke_at_ns = rtlab_load_u64(&c->broke_at_ns),
		.error = __atomic_load_n(&c->error, __ATOMIC_RELAXED),
	};
}

/* rtlab_task_hist - the latency histogram. */
const struct rtlab_hist *rtlab_task_hist(const struct rtlab_task *t)
{
	return t->hist;
}

/* rtlab_task_linear - the 1 us histogram. */
const uint64_t *rtlab_task_linear(const struct rtlab_task *t, unsigned int *ret_n,
				  uint64_t *ret_overflow)
{
	if (ret_n)
		*ret_n = t->cfg.linear_us;
	if (ret_overflow)
		*ret_overflow = rtlab_load_u64(&t->c.linear_overflow);
	return t->linear;
}

/* rtlab_task_outliers - job indexes of linear-histogram overflows. */
const uint64_t *rtlab_task_outliers(const struct rtlab_task *t, unsigned int *ret_n)
{
	*ret_n = __atomic_load_n(&t->c.outliers_n, __ATOMIC_ACQUIRE);
	return t->outliers;
}

/* rtlab_task_name - the task's name. */
const char *rtlab_task_name(const struct rtlab_task *t)
{
	return t->name;
}

/* rtlab_task_config - the task's configuration. */
const struct rtlab_task_config *rtlab_task_config(const struct rtlab_task *t)
{
	return &t->cfg;
}
