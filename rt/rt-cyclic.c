/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rt-cyclic.c - cyclictest's measurement: N periodic tasks with no job body. */
#include <errno.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rtlab/cyclic.h>

#include "rt-internal.h"

#define CYCLIC_MAX_THREADS 4096
#define CYCLIC_START_DELAY_NS (10 * RTLAB_NSEC_PER_MSEC)
#define CYCLIC_OUTLIERS_MAX 1024u
/* The measuring loop has no job body: a small stack, all of it prefaulted (and locked by -m). */
#define CYCLIC_STACK_SIZE (64u << 10)
#define CYCLIC_STACK_PREFAULT (32u << 10)

struct rtlab_cyclic {
	struct rtlab_ctx *ctx;
	struct rtlab_cyclic_config cfg;
	unsigned int n;
	struct rtlab_task **tasks;
	cpu_set_t *cpus;		/* per thread, when pinned */
	const struct rtlab_hist **hists;	/* every thread's, for merged percentiles */
	sem_t exited;			/* posted by each task as it ends */
	unsigned int nexited;
	bool started, stopped;
	struct rtlab_cyclic_break brk;
};

/* nth_cpu - the @i-th CPU of @set, round-robin. */
static int nth_cpu(const cpu_set_t *set, unsigned int i)
{
	unsigned int k = i % (unsigned int)CPU_COUNT(set);

	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, set) && k-- == 0)
			return c;
	return -1;
}

/* validate - the cyclic-level fields. */
static int validate(struct rtlab_ctx *ctx, const struct rtlab_cyclic_config *cfg)
{
	if (cfg->threads < 1 || cfg->threads > CYCLIC_MAX_THREADS)
		return rtlab_err(ctx, -EINVAL, "threads: %u is out of range (1..%u)", cfg->threads,
				 CYCLIC_MAX_THREADS);
	if (cfg->interval_ns == 0)
		return rtlab_err(ctx, -EINVAL, "interval: must be > 0");
	if (cfg->pin && CPU_COUNT(&cfg->affinity) == 0)
		return rtlab_err(ctx, -EINVAL, "affinity: the CPU list is empty");
	if (cfg->pin && cfg->sched.policy == RTLAB_POLICY_DEADLINE)
		return rtlab_err(ctx, -EINVAL, "affinity: SCHED_DEADLINE threads cannot be pinned "
				 "to CPUs (the kernel requires their affinity to span the root "
				 "domain); drop -a, or isolate CPUs with an exclusive cpuset");
	return 0;
}

/* on_task_exit - runs in each task thread as it ends. */
static void on_task_exit(struct rtlab_task *task, void *userdata)
{
	struct rtlab_cyclic *c = userdata;

	(void)task;
	sem_post(&c->exited);
}

/* thread_config - the task configuration of thread @i. */
static struct rtlab_task_config thread_config(struct rtlab_cyclic *c, unsigned int i,
					      char *name, size_t size)
{
	const struct rtlab_cyclic_config *cfg = &c->cfg;
	struct rtlab_task_config tc = {
		.name = name,
		.sched = cfg->sched,
		.period_ns = cfg->interval_ns + i * cfg->distance_ns,
		.loops = cfg->loops,
		.break_ns = cfg->break_ns,
		.linear_us = cfg->hist_us,
		.outliers_max = cfg->hist_us ? (cfg->hist_us < CYCLIC_OUTLIERS_MAX ?
						cfg->hist_us : CYCLIC_OUTLIERS_MAX) : 0,
		.on_exit = on_task_exit,
		.userdata = c,
		.stack_size = CYCLIC_STACK_SIZE,
		.stack_prefault = CYCLIC_STACK_PREFAULT,
	};

	snprintf(name, size, "rtlab-cyc%u", i);
	if (cfg->priospread && rtlab_policy_is_rt(cfg->sched.policy) &&
	    cfg->sched.policy != RTLAB_POLICY_DEADLINE)
		tc.sched.priority = cfg->sched.priority - (int)i > 1 ? cfg->sched.priority - (int)i : 1;
	if (cfg->sched.policy == RTLAB_POLICY_DEADLINE) {
		tc.sched.period_ns = tc.period_ns;
		tc.sched.deadline_ns = tc.period_ns;
	}
	if (cfg->pin) {
		CPU_ZERO(&c->cpus[i]);
		CPU_SET(nth_cpu(&cfg->affinity, i), &c->cpus[i]);
		tc.affinity = &c->cpus[i];
	}
	return tc;
}

/* rtlab_cyclic_new - validate and create the tasks. */
struct rtlab_cyclic *rtlab_cyclic_new(struct rtlab_ctx *ctx, const struct rtlab_cyclic_config *cfg)
{
	struct rtlab_cyclic *c;
	int r = validate(ctx, cfg);

	if (r < 0) {
		errno = -r;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->ctx = ctx;
	c->cfg = *cfg;
	sem_init(&c->exited, 0, 0);
	c->tasks = calloc(cfg->threads, sizeof(*c->tasks));
	c->cpus = calloc(cfg->threads, sizeof(*c->cpus));
	c->hists = calloc(cfg->threads, sizeof(*c->hists));
	if (!c->tasks || !c->cpus || !c->hists) {
		r = -ENOMEM;
		goto fail;
	}
	for (c->n = 0; c->n < cfg->threads; c->n++) {
		char name[32];
		struct rtlab_task_config tc = thread_config(c, c->n, name, sizeof(name));

		c->tasks[c->n] = rtlab_task_new(ctx, &tc);
		if (!c->tasks[c->n]) {
			r = -errno;
			goto fail;
		}
		c->hists[c->n] = rtlab_task_hist(c->tasks[c->n]);
	}
	return c;
fail:
	rtlab_cyclic_free(c);
	errno = -r;
	return NULL;
}

/* rtlab_cyclic_start - start every task with one aligned first wake time. */
int rtlab_cyclic_start(struct rtlab_cyclic *c)
{
	uint64_t start = rtlab_now_ns() + CYCLIC_START_DELAY_NS + c->n * RTLAB_NSEC_PER_MSEC;
	int r = 0;

	for (unsigned int i = 0; i < c->n; i++)
		(void)rtlab_task_set_start(c->tasks[i], start);
	c->started = true;
	for (unsigned int i = 0; i < c->n && r == 0; i++)
		r = rtlab_task_start(c->tasks[i]);
	if (r < 0) {
		rtlab_cyclic_stop(c);
		rtlab_cyclic_join(c);
	}
	return r;
}

/* rtlab_cyclic_stop - ask every thread to stop. */
void rtlab_cyclic_stop(struct rtlab_cyclic *c)
{
	for (unsigned int i = 0; i < c->n; i++)
		rtlab_task_stop(c->tasks[i]);
}

/* check_break - note the first thread that broke and stop the others. */
static void check_break(struct rtlab_cyclic *c)
{
	if (!c->cfg.break_ns || c->brk.hit)
		return;
	for (unsigned int i = 0; i < c->n; i++) {
		struct rtlab_task_stats st;

		rtlab_task_stats(c->tasks[i], &st);
		if (!st.broke)
			continue;
		c->brk = (struct rtlab_cyclic_break){
			.hit = true,
			.thread = i,
			.tid = st.tid,
			.cpu = st.cpu,
			.latency_ns = st.act_ns,
			.job_index = st.jobs ? st.jobs - 1 : 0,
			.at_ns = st.broke_at_ns,
		};
		rtlab_cyclic_stop(c);
		return;
	}
}

/* rtlab_cyclic_wait - wait for every task to end, or @timeout_ns. */
int rtlab_cyclic_wait(struct rtlab_cyclic *c, uint64_t timeout_ns)
{
	uint64_t deadline = rtlab_now_ns() + timeout_ns;

	if (!c->started)
		return 1;
	while (c->nexited < c->n) {
		struct timespec ts = rtlab_ts_from_ns(deadline);

		if (sem_clockwait(&c->exited, CLOCK_MONOTONIC, &ts) == 0) {
			c->nexited++;
			check_break(c);
			continue;
		}
		if (errno == EINTR)
			return 0;
		if (errno == ETIMEDOUT)
			return 0;
	}
	return 1;
}

/* rtlab_cyclic_join - join every thread. */
int rtlab_cyclic_join(struct rtlab_cyclic *c)
{
	int first = 0;

	for (unsigned int i = 0; i < c->n; i++) {
		int r = rtlab_task_join(c->tasks[i]);

		if (r < 0 && first == 0)
			first = r;
	}
	check_break(c);
	return first;
}

/* rtlab_cyclic_free - stop, join and free everything. */
struct rtlab_cyclic *rtlab_cyclic_free(struct rtlab_cyclic *c)
{
	if (!c)
		return NULL;
	for (unsigned int i = 0; i < c->n; i++)
		rtlab_task_stop(c->tasks[i]);
	for (unsigned int i = 0; i < c->n; i++)
		rtlab_task_free(c->tasks[i]);
	sem_destroy(&c->exited);
	free(c->hists);
	free(c->tasks);
	free(c->cpus);
	free(c);
	return NULL;
}

/* rtlab_cyclic_nthreads - thread count. */
unsigned int rtlab_cyclic_nthreads(const struct rtlab_cyclic *c)
{
	return c->n;
}

/* rtlab_cyclic_task - thread @i. */
struct rtlab_task *rtlab_cyclic_task(const struct rtlab_cyclic *c, unsigned int i)
{
	return i < c->n ? c->tasks[i] : NULL;
}

/* rtlab_cyclic_break_info - the break, if any. */
void rtlab_cyclic_break_info(const struct rtlab_cyclic *c, struct rtlab_cyclic_break *ret)
{
	*ret = c->brk;
}

/* rtlab_cyclic_cpus - CPUs in use. */
void rtlab_cyclic_cpus(const struct rtlab_cyclic *c, cpu_set_t *ret)
{
	CPU_ZERO(ret);
	if (!c->cfg.pin) {
		if (rtlab_cpus_online(c->ctx, ret) < 0)
			CPU_ZERO(ret);
		return;
	}
	for (unsigned int i = 0; i < c->n; i++)
		CPU_OR(ret, ret, &c->cpus[i]);
}

/* rtlab_cyclic_percentile - percentile over every thread. */
uint64_t rtlab_cyclic_percentile(const struct rtlab_cyclic *c, double q)
{
	return rtlab_hist_percentile_multi(c->hists, c->n, q);
}

/* rtlab_cyclic_count - samples over every thread. */
uint64_t rtlab_cyclic_count(const struct rtlab_cyclic *c)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < c->n; i++)
		n += rtlab_hist_count(c->hists[i]);
	return n;
}
