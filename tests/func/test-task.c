/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-task.c - periodic tasks: latency definition, misses, overruns, stop, policies. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include <rtlab/rtlab.h>

static struct rtlab_ctx *ctx;

/* need_rt - skip, saying why, without the privilege to run RT threads. */
static void need_rt(void)
{
	if (rtlab_cap_have(RTLAB_CAP_SYS_NICE) != 1)
		cr_skip_test("CAP_SYS_NICE is missing: RT scheduling cannot be tested (%s)",
			     rtlab_cap_grant_hint(RTLAB_CAP_SYS_NICE));
}

static void setup(void)
{
	ctx = rtlab_ctx_new();
}

static void teardown(void)
{
	rtlab_ctx_free(ctx);
}

TestSuite(task, .init = setup, .fini = teardown, .timeout = 60);

/* spin_ns - busy-wait @ns of wall time. */
static void spin_ns(uint64_t ns)
{
	uint64_t end = rtlab_now_ns() + ns;

	while (rtlab_now_ns() < end)
		;
}

struct job_log {
	uint64_t wake[64], actual[64], latency[64];
	uint64_t n;
	int policy_seen;
	struct rtlab_sched_attr attr;
};

/* log_job - record what the task reports about each job. */
static int log_job(struct rtlab_task *t, const struct rtlab_job *job, void *userdata)
{
	struct job_log *l = userdata;

	(void)t;
	if (job->index < 64) {
		l->wake[job->index] = job->wake_ns;
		l->actual[job->index] = job->actual_ns;
		l->latency[job->index] = job->latency_ns;
	}
	if (job->index == 0)
		l->policy_seen = rtlab_sched_get(NULL, 0, &l->attr);
	l->n++;
	return 0;
}

Test(task, latency_is_actual_minus_programmed)
{
	struct job_log l = { 0 };
	struct rtlab_task_config cfg = {
		.name = "lat",
		.sched = { .policy = RTLAB_POLICY_FIFO, .priority = 80 },
		.period_ns = 1000000,
		.loops = 50,
		.fn = log_job,
		.userdata = &l,
	};
	struct rtlab_task_stats st;
	struct rtlab_task *t;

	need_rt();
	t = rtlab_task_new(ctx, &cfg);
	cr_assert_not_null(t);
	cr_assert_eq(rtlab_task_start(t), 0);
	cr_assert_eq(rtlab_task_join(t), 0);
	rtlab_task_stats(t, &st);
	cr_expect_eq(st.jobs, 50);
	cr_expect_eq(l.n, 50);
	cr_expect_eq(l.policy_seen, 0);
	cr_expect_eq(l.attr.policy, RTLAB_POLICY_FIFO, "the thread runs SCHED_FIFO");
	cr_expect_eq(l.attr.priority, 80);
	for (int i = 0; i < 50; i++) {
		cr_expect_eq(l.latency[i], l.actual[i] - l.wake[i]);
		cr_expect_geq(l.actual[i], l.wake[i], "woke before the programmed time");
		if (i > 0)
			cr_expect_eq((l.wake[i] - l.wake[0]) % cfg.period_ns, 0,
				     "programmed wake times are on the period grid");
	}
	cr_expect_eq(rtlab_hist_count(rtlab_task_hist(t)), 50);
	cr_expect_eq(rtlab_hist_min(rtlab_task_hist(t)), st.min_ns);
	cr_expect_eq(rtlab_hist_max(rtlab_task_hist(t)), st.max_ns);
	cr_expect_eq(st.misses, 0);
	rtlab_task_free(t);
}

/* miss_job - job 3 and 7 run past the deadline (300 us of a 2 ms period, deadline 1 ms). */
static int miss_job(struct rtlab_task *t, const struct rtlab_job *job, void *userdata)
{
	(void)t;
	(void)userdata;
	if (job->index == 3 || job->index == 7)
		spin_ns(1300000);
	return 0;
}

Test(task, deadline_miss_is_exact)
{
	struct rtlab_task_config cfg = {
		.name = "miss",
		.sched = { .policy = RTLAB_POLICY_FIFO, .priority = 70 },
		.period_ns = 2000000,
		.deadline_ns = 1000000,
		.loops = 10,
		.fn = miss_job,
	};
	struct rtlab_task_stats st;
	struct rtlab_task *t;

	need_rt();
	t = rtlab_task_new(ctx, &cfg);
	cr_assert_not_null(t);
	cr_assert_eq(rtlab_task_start(t), 0);
	rtlab_task_join(t);
	rtlab_task_stats(t, &st);
	cr_expect_eq(st.jobs, 10);
	cr_expect_eq(st.misses, 2, "exactly the two long jobs miss (got %llu)",
		     (unsigned long long)st.misses);
	cr_expect_eq(st.overruns, 0, "1.3 ms jobs in 2 ms periods do not overrun");
	rtlab_task_free(t);
}

/* overrun_job - job 2 runs 3.5 periods long. */
static int overrun_job(struct rtlab_task *t, const struct rtlab_job *job, void *userdata)
{
	struct job_log *l = userdata;

	(void)t;
	if (job->index < 64)
		l->wake[job->index] = job->wake_ns;
	if (job->index == 2)
		spin_ns(3500000);
	return 0;
}

Test(task, overrun_skips_started_periods)
{
	struct job_log l = { 0 };
	struct rtlab_task_config cfg = {
		.name = "ovr",
		.sched = { .policy = RTLAB_POLICY_FIFO, .priority = 70 },
		.period_ns = 1000000,
		.loops = 6,
		.fn = overrun_job,
		.userdata = &l,
	};
	struct rtlab_task_stats st;
	struct rtlab_task *t;

	need_rt();
	t = rtlab_task_new(ctx, &cfg);
	cr_assert_not_null(t);
	cr_assert_eq(rtlab_task_start(t), 0);
	rtlab_task_join(t);
	rtlab_task_stats(t, &st);
	cr_expect_eq(st.jobs, 6);
	cr_expect_geq(st.overruns, 3, "periods 3, 4, 5 had started: %llu",
		      (unsigned long long)st.overruns);
	cr_expect_eq(st.misses, 1);
	cr_expect_eq((l.wake[3] - l.wake[2]) % cfg.period_ns, 0, "resumes on the period grid");
	cr_expect_geq(l.wake[3] - l.wake[2], 4 * cfg.period_ns, "the started periods are skipped");
	rtlab_task_free(t);
}

/* stop_at_5 - the job asks to stop. */
static int stop_at_5(struct rtlab_task *t, const struct rtlab_job *job, void *userdata)
{
	(void)t;
	(void)userdata;
	return job->index == 4;
}

Test(task, callback_and_external_stop)
{
	struct rtlab_task_config cfg = {
		.name = "stop",
		.sched = { .policy = RTLAB_POLICY_OTHER },
		.period_ns = 1000000,
		.fn = stop_at_5,
	};
	struct rtlab_task_stats st;
	struct rtlab_task *t;
	uint64_t t0;

	t = rtlab_task_new(ctx, &cfg);
	cr_assert_not_null(t);
	cr_assert_eq(rtlab_task_start(t), 0);
	rtlab_task_join(t);
	rtlab_task_stats(t, &st);
	cr_expect_eq(st.jobs, 5, "the job's return value stops the task");
	rtlab_task_free(t);

	cfg.fn = NULL;
	cfg.period_ns = 10000000;
	t = rtlab_task_new(ctx, &cfg);
	cr_assert_not_null(t);
	cr_assert_eq(rtlab_task_start(t), 0);
	spin_ns(25000000);
	t0 = rtlab_now_ns();
	rtlab_task_stop(t);
	rtlab_task_join(t);
	cr_expect_leq(rtlab_now_ns() - t0, 3 * cfg.period_ns, "stop takes at most ~one period");
	rtlab_task_stats(t, &st);
	cr_expect_geq(st.jobs, 1);
	cr_expect_not(st.running);
	rtlab_task_free(t);
}

Test(task, deadline_policy_is_really_applied)
{
	struct job_log l = { 0 };
	struct rtlab_task_config cfg = {
		.name = "dl",
		.sched = { .policy = RTLAB_POLICY_DEADLINE, .runtime_ns = 200000,
			   .deadline_ns = 1000000, .period_ns = 1000000 },
		.period_ns = 1000000,
		.loops = 20,
		.fn = log_job,
		.userdata = &l,
	};
	struct rtlab_task *t;
	int r;

	need_rt();
	t = rtlab_task_new(ctx, &cfg);
	cr_assert_not_null(t);
	r = rtlab_task_start(t);
	if (r == -EBUSY || r == -EPERM) {
		rtlab_task_free(t);
		cr_skip_test("SCHED_DEADLINE refused here (%s)", strerror(-r));
	}
	cr_assert_eq(r, 0);
	rtlab_task_join(t);
	cr_expect_eq(l.n, 20);
	cr_expect_eq(l.attr.policy, RTLAB_POLICY_DEADLINE, "policy seen inside: %d", l.attr.policy);
	cr_expect_eq(l.attr.runtime_ns, 200000);
	cr_expect_eq(l.attr.period_ns, 1000000);
	rtlab_task_free(t);
}

Test(task, invalid_configurations)
{
	cpu_set_t one;
	struct rtlab_task_config cfg = {
		.name = "bad",
		.sched = { .policy = RTLAB_POLICY_FIFO, .priority = 0 },
		.period_ns = 1000000,
	};

	errno = 0;
	cr_expect_null(rtlab_task_new(ctx, &cfg), "FIFO priority 0");
	cr_expect_eq(errno, EINVAL);
	cfg.sched.priority = 10;
	cfg.period_ns = 0;
	cr_expect_null(rtlab_task_new(ctx, &cfg), "period 0");
	cfg.period_ns = 1000000;
	cfg.deadline_ns = 2000000;
	cr_expect_null(rtlab_task_new(ctx, &cfg), "deadline > period");
	cfg.deadline_ns = 0;
	CPU_ZERO(&one);
	CPU_SET(CPU_SETSIZE - 1, &one);
	cfg.affinity = &one;
	cr_expect_null(rtlab_task_new(ctx, &cfg), "offline CPU");
	cr_expect_eq(errno, EINVAL);
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	cfg.sched = (struct rtlab_sched_attr){ .policy = RTLAB_POLICY_DEADLINE, .runtime_ns = 100000,
					       .period_ns = 1000000 };
	cr_expect_null(rtlab_task_new(ctx, &cfg), "pinned SCHED_DEADLINE");
}

/* nth_online - the @i-th CPU of @set. */
static int nth_online(const cpu_set_t *set, unsigned int i)
{
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, set) && i-- == 0)
			return c;
	return -1;
}

Test(task, cyclic_threads_pinned_round_robin)
{
	struct rtlab_cyclic_config cfg = {
		.threads = 2,
		.pin = true,
		.interval_ns = 1000000,
		.distance_ns = 500000,
		.loops = 100,
		.sched = { .policy = RTLAB_POLICY_FIFO, .priority = 60 },
		.hist_us = 100,
	};
	struct rtlab_cyclic *c;
	cpu_set_t online;

	need_rt();
	cr_assert_eq(rtlab_cpus_online(ctx, &online), 0);
	if (CPU_COUNT(&online) < 2)
		cr_skip_test("needs 2 online CPUs, this machine has %d", CPU_COUNT(&online));
	cfg.affinity = online;
	c = rtlab_cyclic_new(ctx, &cfg);
	cr_assert_not_null(c);
	cr_assert_eq(rtlab_cyclic_start(c), 0);
	cr_assert_eq(rtlab_cyclic_wait(c, 10ULL * RTLAB_NSEC_PER_SEC), 1);
	cr_assert_eq(rtlab_cyclic_join(c), 0);
	for (unsigned int i = 0; i < 2; i++) {
		struct rtlab_task_stats st;
		uint64_t ovf, sum = 0;
		unsigned int nb;
		const uint64_t *lin = rtlab_task_linear(rtlab_cyclic_task(c, i), &nb, &ovf);

		rtlab_task_stats(rtlab_cyclic_task(c, i), &st);
		cr_expect_eq(st.jobs, 100);
		cr_expect_eq(rtlab_task_config(rtlab_cyclic_task(c, i))->period_ns,
			     1000000 + i * 500000);
		cr_expect_eq(st.cpu, nth_online(&online, i));
		cr_assert_eq(nb, 100);
		for (unsigned int b = 0; b < nb; b++)
			sum += lin[b];
		cr_expect_eq(sum + ovf, 100, "histogram + overflows = cycles");
	}
	cr_expect_eq(rtlab_cyclic_count(c), 200);
	{
		struct rtlab_hist *m = rtlab_hist_new();

		rtlab_hist_merge(m, rtlab_task_hist(rtlab_cyclic_task(c, 0)));
		rtlab_hist_merge(m, rtlab_task_hist(rtlab_cyclic_task(c, 1)));
		for (double q = 1; q <= 100; q += 0.5)
			cr_expect_eq(rtlab_cyclic_percentile(c, q), rtlab_hist_percentile(m, q),
				     "merged percentile %.1f", q);
		rtlab_hist_free(m);
	}
	rtlab_cyclic_free(c);
}
