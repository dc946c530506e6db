/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-watchdog.c - the watchdog against misbehaving tasks: a runaway
 * SCHED_FIFO job (demoted), a runaway plain thread (demoted), deadline misses
 * (reported with the right counts), a stalled task (reported once), and a
 * well-behaved task (left alone).
 *
 * The RT threads run on CPU 0; the test thread and the watchdog on CPU 1.
 * Every spin has a wall-clock cap (SPIN_CAP_NS) and every thread is joined
 * before anything is asserted, so a failing test leaves nothing running.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rtlab/sched.h>
#include <rtlab/task.h>
#include <rtlab/watchdog.h>

#define MSEC RTLAB_NSEC_PER_MSEC
#define RT_CPU 0
#define TEST_CPU 1
#define SPIN_CAP_NS (2500 * MSEC)

/* What the callbacks saw; written in the watchdog thread, read after it stopped. */
struct seen {
	int miss_calls, stall_calls, demote_calls;	/* atomic */
	uint64_t new_misses_sum;
	uint64_t last_misses;
	bool misses_consistent;
	struct rtlab_watchdog_event last_stall, last_demote;
	uint64_t demote_at_ns;
};

/* on_miss - add up the new misses and check the running total. */
static void on_miss(const struct rtlab_watchdog_event *ev, void *userdata)
{
	struct seen *s = userdata;

	if (ev->misses != s->last_misses + ev->new_misses || ev->new_misses == 0)
		s->misses_consistent = false;
	s->last_misses = ev->misses;
	s->new_misses_sum += ev->new_misses;
	__atomic_add_fetch(&s->miss_calls, 1, __ATOMIC_RELEASE);
}

/* on_stall - keep the event. */
static void on_stall(const struct rtlab_watchdog_event *ev, void *userdata)
{
	struct seen *s = userdata;

	s->last_stall = *ev;
	__atomic_add_fetch(&s->stall_calls, 1, __ATOMIC_RELEASE);
}

/* on_demote - keep the event and the time. */
static void on_demote(const struct rtlab_watchdog_event *ev, void *userdata)
{
	struct seen *s = userdata;

	s->last_demote = *ev;
	s->demote_at_ns = rtlab_now_ns();
	__atomic_add_fetch(&s->demote_calls, 1, __ATOMIC_RELEASE);
}

/* log_stderr - the library's messages, for the test log. */
static void log_stderr(enum rtlab_log_level level, const char *msg, void *userdata)
{
	(void)userdata;
	fprintf(stderr, "rtlab %s: %s\n", rtlab_log_level_name(level), msg);
}

/* setup - skip without CAP_SYS_NICE or two CPUs; move the test thread to TEST_CPU. */
static struct rtlab_ctx *setup(void)
{
	struct rtlab_ctx *ctx;
	cpu_set_t online, set;

	if (rtlab_cap_have(RTLAB_CAP_SYS_NICE) != 1) {
		fprintf(stderr, "skipped: needs CAP_SYS_NICE for SCHED_FIFO (%s)\n",
			rtlab_cap_grant_hint(RTLAB_CAP_SYS_NICE));
		cr_skip_test("needs CAP_SYS_NICE for SCHED_FIFO");
	}
	ctx = rtlab_ctx_new();
	cr_assert_not_null(ctx);
	rtlab_ctx_set_log_fn(ctx, log_stderr, NULL, RTLAB_LOG_INFO);
	if (rtlab_cpus_online(ctx, &online) < 0 || !CPU_ISSET(RT_CPU, &online) ||
	    !CPU_ISSET(TEST_CPU, &online)) {
		rtlab_ctx_free(ctx);
		fprintf(stderr, "skipped: needs CPUs %d and %d online\n", RT_CPU, TEST_CPU);
		cr_skip_test("needs CPUs %d and %d online", RT_CPU, TEST_CPU);
	}
	CPU_ZERO(&set);
	CPU_SET(TEST_CPU, &set);
	cr_assert_eq(rtlab_affinity_set(ctx, 0, &set), 0);
	return ctx;
}

/* sleep_ns - relative sleep. */
static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / RTLAB_NSEC_PER_SEC),
			       .tv_nsec = (long)(ns % RTLAB_NSEC_PER_SEC) };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

/* wait_count - poll *@count until it reaches @n or @timeout_ns passes. */
static bool wait_count(const int *count, int n, uint64_t timeout_ns)
{
	uint64_t end = rtlab_now_ns() + timeout_ns;

	while (__atomic_load_n(count, __ATOMIC_ACQUIRE) < n) {
		if (rtlab_now_ns() > end)
			return false;
		sleep_ns(MSEC);
	}
	return true;
}

/* new_watchdog - a watchdog with the seen callbacks, checking every 10 ms. */
static struct rtlab_watchdog *new_watchdog(struct rtlab_ctx *ctx, struct seen *s,
					   uint64_t stall_ns, uint64_t runaway_ns)
{
	struct rtlab_watchdog_config cfg = {
		.check_interval_ns = 10 * MSEC,
		.stall_ns = stall_ns,
		.runaway_ns = runaway_ns,
		.on_miss = on_miss,
		.on_stall = on_stall,
		.on_demote = on_demote,
		.userdata = s,
	};
	struct rtlab_watchdog *wd;

	*s = (struct seen){ .misses_consistent = true };
	wd = rtlab_watchdog_new(ctx, &cfg);
	cr_assert_not_null(wd);
	return wd;
}

/* fifo_task_config - FIFO 50 on RT_CPU, with @period_ns and @fn. */
static struct rtlab_task_config fifo_task_config(const char *name, const cpu_set_t *cpus,
						 uint64_t period_ns, rtlab_job_fn fn, void *data)
{
	return (struct rtlab_task_config){
		.name = name,
		.sched = { .policy = RTLAB_POLICY_FIFO, .priority = 50 },
		.affinity = cpus,
		.period_ns = period_ns,
		.fn = fn,
		.userdata = data,
	};
}

/* policy_of - the policy of @tid, or -1. */
static int policy_of(struct rtlab_ctx *ctx, pid_t tid)
{
	struct rtlab_sched_attr a;

	return rtlab_sched_get(ctx, tid, &a) < 0 ? -1 : (int)a.policy;
}

/* The runaway job: spins until released (or SPIN_CAP_NS), then stops the task. */
struct runaway {
	int release;		/* atomic */
	uint64_t spin_start_ns;	/* atomic */
	uint64_t spun_ns;
};

/* runaway_job - job 0 spins; the task stops after it. */
static int runaway_job(struct rtlab_task *task, const struct rtlab_job *job, void *userdata)
{
	struct runaway *ra = userdata;
	uint64_t t0 = rtlab_now_ns();

	(void)task;
	(void)job;
	__atomic_store_n(&ra->spin_start_ns, t0, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&ra->release, __ATOMIC_ACQUIRE) &&
	       rtlab_now_ns() - t0 < SPIN_CAP_NS)
		;
	ra->spun_ns = rtlab_now_ns() - t0;
	return 1;
}

Test(watchdog, runaway_task_is_demoted, .timeout = 60)
{
	struct rtlab_ctx *ctx = setup();
	struct runaway ra = { 0 };
	struct rtlab_task_config cfg;
	struct rtlab_task_stats st;
	struct rtlab_watchdog_stats ws;
	struct rtlab_watchdog *wd;
	struct rtlab_task *task;
	int policy = -1, start_r, add_r;
	bool demoted;
	cpu_set_t cpus;
	struct seen s;

	CPU_ZERO(&cpus);
	CPU_SET(RT_CPU, &cpus);
	cfg = fifo_task_config("runaway", &cpus, 10 * MSEC, runaway_job, &ra);
	task = rtlab_task_new(ctx, &cfg);
	cr_assert_not_null(task);
	wd = new_watchdog(ctx, &s, 0, 200 * MSEC);
	add_r = rtlab_watchdog_add_task(wd, task);
	cr_assert_eq(rtlab_watchdog_start(wd), 0);
	start_r = rtlab_task_start(task);
	/* 200 ms of runaway + the window's slack: well within 1.5 s. */
	demoted = start_r == 0 && wait_count(&s.demote_calls, 1, 1500 * MSEC);
	rtlab_task_stats(task, &st);
	if (demoted)
		policy = policy_of(ctx, st.tid);
	__atomic_store_n(&ra.release, 1, __ATOMIC_RELEASE);
	rtlab_task_join(task);
	rtlab_watchdog_stop(wd);
	rtlab_watchdog_stats(wd, &ws);

	cr_assert_eq(add_r, 0);
	cr_assert_eq(start_r, 0, "task start: %s", strerror(-start_r));
	cr_assert(demoted, "on_demote not called within 1.5 s (spun %.0f ms)",
		  (double)ra.spun_ns / 1e6);
	cr_assert_eq(policy, RTLAB_POLICY_OTHER, "policy after demotion: %d", policy);
	cr_assert_eq(s.demote_calls, 1);
	cr_assert_eq(ws.demotions, 1);
	cr_assert_eq(s.last_demote.task, task);
	cr_assert_eq(s.last_demote.tid, st.tid);
	cr_assert_str_eq(s.last_demote.name, "runaway");
	cr_assert_geq(s.last_demote.idle_ns, 200 * MSEC);
	cr_assert_geq(s.demote_at_ns - ra.spin_start_ns, 200 * MSEC, "demoted too early");
	cr_assert_lt(s.demote_at_ns - ra.spin_start_ns, 1000 * MSEC, "demoted after %.0f ms",
		     (double)(s.demote_at_ns - ra.spin_start_ns) / 1e6);
	fprintf(stderr, "runaway task demoted %.1f ms after its job started spinning\n",
		(double)(s.demote_at_ns - ra.spin_start_ns) / 1e6);
	cr_assert_lt(ra.spun_ns, SPIN_CAP_NS, "released by the test, not by the cap");
	rtlab_watchdog_free(wd);
	rtlab_task_free(task);
	rtlab_ctx_free(ctx);
}

/* A plain thread that becomes FIFO 50 on RT_CPU and spins until released. */
struct spinner {
	struct rtlab_ctx *ctx;
	pid_t tid;		/* atomic */
	int ready;		/* atomic: 1 spinning, < 0 set-up error */
	int release;		/* atomic */
	uint64_t spin_start_ns;
};

/* spinner_main - FIFO 50 first (so it can run next to nothing else), then CPU 0, spin. */
static void *spinner_main(void *arg)
{
	struct rtlab_sched_attr a = { .policy = RTLAB_POLICY_FIFO, .priority = 50 };
	struct spinner *sp = arg;
	cpu_set_t set;
	int r;

	__atomic_store_n(&sp->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	CPU_ZERO(&set);
	CPU_SET(RT_CPU, &set);
	r = rtlab_sched_set(sp->ctx, 0, &a);
	if (r == 0)
		r = rtlab_affinity_set(sp->ctx, 0, &set);
	sp->spin_start_ns = rtlab_now_ns();
	__atomic_store_n(&sp->ready, r < 0 ? r : 1, __ATOMIC_RELEASE);
	if (r < 0)
		return NULL;
	while (!__atomic_load_n(&sp->release, __ATOMIC_ACQUIRE) &&
	       rtlab_now_ns() - sp->spin_start_ns < SPIN_CAP_NS)
		;
	return NULL;
}

Test(watchdog, runaway_thread_is_demoted, .timeout = 60)
{
	struct rtlab_ctx *ctx = setup();
	struct spinner sp = { .ctx = ctx };
	struct rtlab_watchdog_stats ws;
	struct rtlab_watchdog *wd;
	int policy = -1, add_r = -1;
	bool demoted = false;
	pthread_t thread;
	struct seen s;

	wd = new_watchdog(ctx, &s, 0, 200 * MSEC);
	cr_assert_eq(rtlab_watchdog_start(wd), 0);
	cr_assert_eq(pthread_create(&thread, NULL, spinner_main, &sp), 0);
	while (__atomic_load_n(&sp.ready, __ATOMIC_ACQUIRE) == 0)
		sleep_ns(MSEC);
	if (sp.ready > 0) {
		add_r = rtlab_watchdog_add_tid(wd, sp.tid);
		demoted = add_r == 0 && wait_count(&s.demote_calls, 1, 1500 * MSEC);
		policy = policy_of(ctx, sp.tid);
	}
	__atomic_store_n(&sp.release, 1, __ATOMIC_RELEASE);
	pthread_join(thread, NULL);
	rtlab_watchdog_stop(wd);
	rtlab_watchdog_stats(wd, &ws);

	cr_assert_gt(sp.ready, 0, "spinner set-up: %s", strerror(-sp.ready));
	cr_assert_eq(add_r, 0);
	cr_assert(demoted, "on_demote not called within 1.5 s");
	cr_assert_eq(policy, RTLAB_POLICY_OTHER);
	cr_assert_eq(ws.demotions, 1);
	cr_assert_null(s.last_demote.task);
	cr_assert_eq(s.last_demote.tid, sp.tid);
	cr_assert_geq(s.last_demote.idle_ns, 200 * MSEC);
	cr_assert_lt(s.demote_at_ns - sp.spin_start_ns, 1000 * MSEC, "demoted after %.0f ms",
		     (double)(s.demote_at_ns - sp.spin_start_ns) / 1e6);
	rtlab_watchdog_free(wd);
	rtlab_ctx_free(ctx);
}

#define MISS_PERIOD_NS (20 * MSEC)
#define MISS_DEADLINE_NS (10 * MSEC)
#define MISS_JOBS 20

/* late_job - every 4th job (1, 5, 9, ...) ends 14 ms after its wake time: a miss. */
static int late_job(struct rtlab_task *task, const struct rtlab_job *job, void *userdata)
{
	(void)task;
	(void)userdata;
	if (job->index % 4 == 1)
		while (rtlab_now_ns() < job->wake_ns + 14 * MSEC)
			;
	return 0;
}

Test(watchdog, misses_are_reported, .timeout = 60)
{
	struct rtlab_ctx *ctx = setup();
	struct rtlab_task_config cfg;
	struct rtlab_task_stats st;
	struct rtlab_watchdog_stats ws;
	struct rtlab_watchdog *wd;
	struct rtlab_task *task;
	cpu_set_t cpus;
	struct seen s;
	int start_r;

	CPU_ZERO(&cpus);
	CPU_SET(RT_CPU, &cpus);
	cfg = fifo_task_config("misses", &cpus, MISS_PERIOD_NS, late_job, NULL);
	cfg.deadline_ns = MISS_DEADLINE_NS;
	cfg.loops = MISS_JOBS;
	task = rtlab_task_new(ctx, &cfg);
	cr_assert_not_null(task);
	wd = new_watchdog(ctx, &s, 0, 200 * MSEC);
	cr_assert_eq(rtlab_watchdog_add_task(wd, task), 0);
	cr_assert_eq(rtlab_watchdog_start(wd), 0);
	start_r = rtlab_task_start(task);
	rtlab_task_join(task);
	rtlab_task_stats(task, &st);
	/* Let the watchdog (every 10 ms) see the last misses. */
	sleep_ns(50 * MSEC);
	rtlab_watchdog_stop(wd);
	rtlab_watchdog_stats(wd, &ws);

	cr_assert_eq(start_r, 0, "task start: %s", strerror(-start_r));
	cr_assert_eq(st.jobs, MISS_JOBS);
	cr_assert_eq(st.misses, MISS_JOBS / 4, "the task counted %llu misses",
		     (unsigned long long)st.misses);
	cr_assert_geq(s.miss_calls, 1);
	cr_assert_leq(s.miss_calls, MISS_JOBS / 4, "at most one report per miss");
	cr_assert(s.misses_consistent, "ev.misses != previous total + ev.new_misses");
	cr_assert_eq(s.new_misses_sum, st.misses);
	cr_assert_eq(s.last_misses, st.misses);
	cr_assert_eq(ws.misses_reported, st.misses);
	cr_assert_eq(ws.demotions, 0, "5-14 ms jobs are no runaway");
	cr_assert_eq(ws.stalls, 0);
	fprintf(stderr, "misses: %llu misses reported in %d calls\n",
		(unsigned long long)s.new_misses_sum, s.miss_calls);
	rtlab_watchdog_free(wd);
	rtlab_task_free(task);
	rtlab_ctx_free(ctx);
}

/* sleepy_job - job 3 sleeps 300 ms (blocks), the others return at once. */
static int sleepy_job(struct rtlab_task *task, const struct rtlab_job *job, void *userdata)
{
	(void)task;
	(void)userdata;
	if (job->index == 3)
		sleep_ns(300 * MSEC);
	return 0;
}

Test(watchdog, stall_is_reported_once, .timeout = 60)
{
	struct rtlab_ctx *ctx = setup();
	struct rtlab_task_config cfg;
	struct rtlab_task_stats st;
	struct rtlab_watchdog_stats ws;
	struct rtlab_watchdog *wd;
	struct rtlab_task *task;
	cpu_set_t cpus;
	struct seen s;
	int start_r;

	CPU_ZERO(&cpus);
	CPU_SET(RT_CPU, &cpus);
	cfg = fifo_task_config("sleepy", &cpus, 10 * MSEC, sleepy_job, NULL);
	cfg.loops = 30;
	task = rtlab_task_new(ctx, &cfg);
	cr_assert_not_null(task);
	wd = new_watchdog(ctx, &s, 150 * MSEC, 100 * MSEC);
	cr_assert_eq(rtlab_watchdog_add_task(wd, task), 0);
	cr_assert_eq(rtlab_watchdog_start(wd), 0);
	start_r = rtlab_task_start(task);
	rtlab_task_join(task);
	rtlab_task_stats(task, &st);
	sleep_ns(50 * MSEC);
	rtlab_watchdog_stop(wd);
	rtlab_watchdog_stats(wd, &ws);

	cr_assert_eq(start_r, 0, "task start: %s", strerror(-start_r));
	cr_assert_eq(st.jobs, 30);
	cr_assert_eq(s.stall_calls, 1, "on_stall called %d times", s.stall_calls);
	cr_assert_eq(ws.stalls, 1);
	cr_assert_eq(s.last_stall.task, task);
	cr_assert_eq(s.last_stall.tid, st.tid);
	cr_assert_str_eq(s.last_stall.name, "sleepy");
	cr_assert_geq(s.last_stall.idle_ns, 150 * MSEC);
	cr_assert_lt(s.last_stall.idle_ns, 300 * MSEC, "reported after the job had resumed");
	cr_assert_eq(ws.demotions, 0, "a sleeping job is no runaway");
	rtlab_watchdog_free(wd);
	rtlab_task_free(task);
	rtlab_ctx_free(ctx);
}

/* busy_job - 0.5 ms of work per 2 ms period. */
static int busy_job(struct rtlab_task *task, const struct rtlab_job *job, void *userdata)
{
	(void)task;
	(void)userdata;
	while (rtlab_now_ns() < job->actual_ns + MSEC / 2)
		;
	return 0;
}

/* sleeper_main - a FIFO 50 thread that wakes every 1 ms until released. */
static void *sleeper_main(void *arg)
{
	struct rtlab_sched_attr a = { .policy = RTLAB_POLICY_FIFO, .priority = 50 };
	struct spinner *sp = arg;
	uint64_t t0;
	int r;

	__atomic_store_n(&sp->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	r = rtlab_sched_set(sp->ctx, 0, &a);
	__atomic_store_n(&sp->ready, r < 0 ? r : 1, __ATOMIC_RELEASE);
	t0 = rtlab_now_ns();
	while (r == 0 && !__atomic_load_n(&sp->release, __ATOMIC_ACQUIRE) &&
	       rtlab_now_ns() - t0 < SPIN_CAP_NS) {
		while (rtlab_now_ns() < t0 + MSEC / 2)
			;
		sleep_ns(MSEC);
		t0 = rtlab_now_ns();
	}
	return NULL;
}

Test(watchdog, healthy_threads_are_left_alone, .timeout = 60)
{
	struct rtlab_ctx *ctx = setup();
	struct spinner sp = { .ctx = ctx };
	struct rtlab_task_config cfg;
	struct rtlab_task_stats st;
	struct rtlab_watchdog_stats ws;
	struct rtlab_watchdog *wd;
	struct rtlab_task *task;
	int start_r, add_r = -1;
	pthread_t thread;
	cpu_set_t cpus;
	struct seen s;

	CPU_ZERO(&cpus);
	CPU_SET(RT_CPU, &cpus);
	cfg = fifo_task_config("healthy", &cpus, 2 * MSEC, busy_job, NULL);
	cfg.loops = 250;
	task = rtlab_task_new(ctx, &cfg);
	cr_assert_not_null(task);
	wd = new_watchdog(ctx, &s, 100 * MSEC, 50 * MSEC);
	cr_assert_eq(rtlab_watchdog_add_task(wd, task), 0);
	cr_assert_eq(rtlab_watchdog_start(wd), 0);
	cr_assert_eq(pthread_create(&thread, NULL, sleeper_main, &sp), 0);
	while (__atomic_load_n(&sp.ready, __ATOMIC_ACQUIRE) == 0)
		sleep_ns(MSEC);
	if (sp.ready > 0)
		add_r = rtlab_watchdog_add_tid(wd, sp.tid);
	start_r = rtlab_task_start(task);
	rtlab_task_join(task);
	__atomic_store_n(&sp.release, 1, __ATOMIC_RELEASE);
	pthread_join(thread, NULL);
	rtlab_task_stats(task, &st);
	rtlab_watchdog_stop(wd);
	rtlab_watchdog_stats(wd, &ws);

	cr_assert_eq(start_r, 0, "task start: %s", strerror(-start_r));
	cr_assert_eq(add_r, 0);
	cr_assert_eq(st.jobs, 250);
	cr_assert_eq(ws.demotions, 0);
	cr_assert_eq(ws.stalls, 0);
	cr_assert_eq(s.demote_calls, 0);
	cr_assert_gt(ws.checks, 20, "the watchdog ran (%llu checks)",
		     (unsigned long long)ws.checks);
	rtlab_watchdog_free(wd);
	rtlab_task_free(task);
	rtlab_ctx_free(ctx);
}

Test(watchdog, api_errors)
{
	struct rtlab_watchdog_config cfg = { 0 };
	struct rtlab_watchdog *wd;
	struct rtlab_ctx *ctx = rtlab_ctx_new();

	cr_assert_not_null(ctx);
	errno = 0;
	cr_assert_null(rtlab_watchdog_new(ctx, NULL));
	cr_assert_eq(errno, EINVAL);
	wd = rtlab_watchdog_new(ctx, &cfg);
	cr_assert_not_null(wd);
	cr_assert_eq(rtlab_watchdog_add_tid(wd, 0), -EINVAL);
	cr_assert_eq(rtlab_watchdog_add_tid(wd, (pid_t)syscall(SYS_gettid)), 0);
	cr_assert_eq(rtlab_watchdog_add_tid(wd, (pid_t)syscall(SYS_gettid)), -EEXIST);
	cr_assert_eq(rtlab_watchdog_add_task(wd, NULL), -EINVAL);
	cr_assert_eq(rtlab_watchdog_stop(wd), 0, "stopping a stopped watchdog is fine");
	cr_assert_eq(rtlab_watchdog_start(wd), 0);
	cr_assert_eq(rtlab_watchdog_start(wd), -EALREADY);
	cr_assert_eq(rtlab_watchdog_stop(wd), 0);
	cr_assert_null(rtlab_watchdog_free(wd));
	cr_assert_null(rtlab_watchdog_free(NULL));
	rtlab_ctx_free(ctx);
}
