/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-pi.c - priority inversion, shown and then prevented.
 *
 * Three SCHED_FIFO threads share CPU 0:
 *   low  (prio 10) takes the lock and runs a critical section of
 *        LOW_CS_NS of its own CPU time;
 *   high (prio 30) then wants the lock;
 *   mid  (prio 20) does not touch the lock and spins MID_SPIN_NS of wall time.
 * The test thread coordinates from CPU 1 at SCHED_FIFO 40 (it only sleeps).
 *
 * Without a protocol, mid preempts low while high waits: high waits at least
 * as long as mid spins (unbounded inversion).  With priority inheritance, low
 * runs at 30 while high waits, and with a ceiling of 30 low runs at 30 from
 * the moment it takes the lock: high waits for the rest of the critical
 * section only.  high's wait is measured from the moment it is ready to run
 * on CPU 0 (just before it moves there) to the moment it holds the lock, so
 * that it also covers PROTECT, where high waits in CPU 0's run queue behind
 * low (same priority) rather than on the lock.
 *
 * RT busy time on CPU 0 per run: LOW_CS_NS + MID_SPIN_NS (~170 ms), far from
 * the 950 ms/s RT throttling budget.  Every busy loop has a wall-clock cap,
 * and every thread is joined before anything is asserted.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rtlab/mutex.h>
#include <rtlab/sched.h>

#define MSEC RTLAB_NSEC_PER_MSEC
#define RT_CPU 0
#define COORD_CPU 1
#define PRIO_LOW 10
#define PRIO_MID 20
#define PRIO_HIGH 30
#define PRIO_COORD 40
#define LOW_CS_NS (20 * MSEC)
#define MID_SPIN_NS (150 * MSEC)
#define SPIN_CAP_NS (2000 * MSEC)
#define FLAG_WAIT_NS (5000 * MSEC)
#define MAX_ATTEMPTS 3

/* Everything one run shares; the flags and times are read with atomics. */
struct pi_run {
	struct rtlab_ctx *ctx;
	struct rtlab_mutex *m;
	int low_locked, high_ready, mid_ready;
	pid_t high_tid;
	int low_err, high_err, mid_err;
	uint64_t low_lock_ns, low_unlock_ns, low_cs_cpu_ns;
	uint64_t high_ready_ns, high_locked_ns;
	uint64_t mid_ready_ns, mid_start_ns, mid_end_ns;
};

/* store_flag / load_flag - release/acquire flag accessors. */
static void store_flag(int *flag, int v)
{
	__atomic_store_n(flag, v, __ATOMIC_RELEASE);
}

static int load_flag(const int *flag)
{
	return __atomic_load_n(flag, __ATOMIC_ACQUIRE);
}

/* sleep_ns - relative CLOCK_MONOTONIC sleep. */
static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / RTLAB_NSEC_PER_SEC),
			       .tv_nsec = (long)(ns % RTLAB_NSEC_PER_SEC) };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

/* wait_flag - poll (sleeping 100 us) until *@flag is set; false after FLAG_WAIT_NS. */
static bool wait_flag(const int *flag)
{
	uint64_t end = rtlab_now_ns() + FLAG_WAIT_NS;

	while (!load_flag(flag)) {
		if (rtlab_now_ns() > end)
			return false;
		sleep_ns(100 * RTLAB_NSEC_PER_USEC);
	}
	return true;
}

/* thread_cpu_ns - CPU time of the calling thread. */
static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * RTLAB_NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* spin_cpu - burn @cpu_ns of this thread's CPU time, for at most @cap_ns of wall time. */
static uint64_t spin_cpu(uint64_t cpu_ns, uint64_t cap_ns)
{
	uint64_t c0 = thread_cpu_ns(), w0 = rtlab_now_ns(), c;

	do
		c = thread_cpu_ns() - c0;
	while (c < cpu_ns && rtlab_now_ns() - w0 < cap_ns);
	return c;
}

/* spin_wall - busy-wait @ns of wall time. */
static void spin_wall(uint64_t ns)
{
	uint64_t end = rtlab_now_ns() + ns;

	while (rtlab_now_ns() < end)
		;
}

/* fifo_on - become SCHED_FIFO @prio, then move to @cpu (in that order: see mid). */
static int fifo_on(struct rtlab_ctx *ctx, int prio, int cpu)
{
	struct rtlab_sched_attr a = { .policy = RTLAB_POLICY_FIFO, .priority = prio };
	cpu_set_t set;
	int r;

	r = rtlab_sched_set(ctx, 0, &a);
	if (r < 0)
		return r;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return rtlab_affinity_set(ctx, 0, &set);
}

/* fifo_prio - become SCHED_FIFO @prio without moving. */
static int fifo_prio(struct rtlab_ctx *ctx, int prio)
{
	struct rtlab_sched_attr a = { .policy = RTLAB_POLICY_FIFO, .priority = prio };

	return rtlab_sched_set(ctx, 0, &a);
}

/* pin - move the calling thread to @cpu. */
static int pin(struct rtlab_ctx *ctx, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return rtlab_affinity_set(ctx, 0, &set);
}

/* low_main - take the lock, run the critical section on CPU 0, unlock. */
static void *low_main(void *arg)
{
	struct pi_run *run = arg;
	int r;

	r = fifo_on(run->ctx, PRIO_LOW, RT_CPU);
	if (r == 0)
		r = rtlab_mutex_lock(run->m);
	if (r < 0) {
		run->low_err = r;
		store_flag(&run->low_locked, 1);
		return NULL;
	}
	run->low_lock_ns = rtlab_now_ns();
	store_flag(&run->low_locked, 1);
	run->low_cs_cpu_ns = spin_cpu(LOW_CS_NS, SPIN_CAP_NS);
	__atomic_store_n(&run->low_unlock_ns, rtlab_now_ns(), __ATOMIC_RELEASE);
	run->low_err = rtlab_mutex_unlock(run->m);
	return NULL;
}

/* high_main - become FIFO 30 (on CPU 1), say so, move to CPU 0 and take the lock. */
static void *high_main(void *arg)
{
	struct pi_run *run = arg;
	int r;

	__atomic_store_n(&run->high_tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELAXED);
	r = fifo_prio(run->ctx, PRIO_HIGH);
	run->high_ready_ns = rtlab_now_ns();
	store_flag(&run->high_ready, 1);
	if (r == 0)
		r = pin(run->ctx, RT_CPU);
	if (r == 0)
		r = rtlab_mutex_lock(run->m);
	if (r < 0) {
		run->high_err = r;
		return NULL;
	}
	run->high_locked_ns = rtlab_now_ns();
	run->high_err = rtlab_mutex_unlock(run->m);
	return NULL;
}

/*
 * mid_main - become FIFO 20 first (on CPU 1: as SCHED_OTHER it could not
 * run on CPU 0 next to low), then move to CPU 0 and spin.
 */
static void *mid_main(void *arg)
{
	struct pi_run *run = arg;
	int r;

	r = fifo_prio(run->ctx, PRIO_MID);
	run->mid_ready_ns = rtlab_now_ns();
	store_flag(&run->mid_ready, 1);
	if (r == 0)
		r = pin(run->ctx, RT_CPU);
	if (r < 0) {
		run->mid_err = r;
		return NULL;
	}
	run->mid_start_ns = rtlab_now_ns();
	spin_wall(MID_SPIN_NS);
	run->mid_end_ns = rtlab_now_ns();
	return NULL;
}

/*
 * high_waiting - whether thread @tid is blocked (state S) or queued on
 * RT_CPU (last CPU, field 39 of /proc/.../stat).
 */
static bool high_waiting(pid_t tid)
{
	char path[64], buf[1024], state;
	const char *p;
	int cpu = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return false;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	if (!p || sscanf(p + 1, " %c", &state) != 1)
		return false;
	/* Field 3 is the state; skip to field 39, the CPU. */
	for (int field = 3; field <= 39 && p; field++)
		p = strchr(p + 1, ' ');
	if (p)
		cpu = (int)strtol(p + 1, NULL, 10);
	return state == 'S' || cpu == RT_CPU;
}

/* wait_high_waiting - let high reach the lock (or CPU 0's queue): 2 ms, then poll. */
static void wait_high_waiting(struct pi_run *run)
{
	uint64_t end;
	pid_t tid;

	sleep_ns(2 * MSEC);
	tid = __atomic_load_n(&run->high_tid, __ATOMIC_RELAXED);
	end = rtlab_now_ns() + 200 * MSEC;
	while (!high_waiting(tid) && rtlab_now_ns() < end)
		sleep_ns(100 * RTLAB_NSEC_PER_USEC);
}

/* run_threads - start low, then high, then mid, and join them all; false on a set-up failure. */
static bool run_threads(struct pi_run *run)
{
	pthread_t low, high, mid;
	bool ok = false;

	if (pthread_create(&low, NULL, low_main, run))
		return false;
	if (!wait_flag(&run->low_locked) || run->low_err)
		goto out_low;
	if (pthread_create(&high, NULL, high_main, run))
		goto out_low;
	if (!wait_flag(&run->high_ready))
		goto out_high;
	wait_high_waiting(run);
	if (pthread_create(&mid, NULL, mid_main, run))
		goto out_high;
	ok = wait_flag(&run->mid_ready);
	(void)pthread_join(mid, NULL);
out_high:
	(void)pthread_join(high, NULL);
out_low:
	(void)pthread_join(low, NULL);
	return ok && !run->low_err && !run->high_err && !run->mid_err;
}

/* skip_unless_able - skip without CAP_SYS_NICE or without CPUs 0 and 1. */
static void skip_unless_able(struct rtlab_ctx *ctx)
{
	cpu_set_t online;

	if (rtlab_cap_have(RTLAB_CAP_SYS_NICE) != 1) {
		fprintf(stderr, "skipped: needs CAP_SYS_NICE for SCHED_FIFO (%s)\n",
			rtlab_cap_grant_hint(RTLAB_CAP_SYS_NICE));
		cr_skip_test("needs CAP_SYS_NICE for SCHED_FIFO");
	}
	if (rtlab_cpus_online(ctx, &online) < 0 || CPU_COUNT(&online) < 2 ||
	    !CPU_ISSET(RT_CPU, &online) || !CPU_ISSET(COORD_CPU, &online)) {
		fprintf(stderr, "skipped: needs CPUs %d and %d online\n", RT_CPU, COORD_CPU);
		cr_skip_test("needs CPUs %d and %d online", RT_CPU, COORD_CPU);
	}
}

/* log_stderr - the library's messages, for the test log. */
static void log_stderr(enum rtlab_log_level level, const char *msg, void *userdata)
{
	(void)userdata;
	fprintf(stderr, "rtlab %s: %s\n", rtlab_log_level_name(level), msg);
}

/* new_ctx - a context that logs to stderr, after the skip checks. */
static struct rtlab_ctx *new_ctx(void)
{
	struct rtlab_ctx *ctx = rtlab_ctx_new();

	cr_assert_not_null(ctx);
	rtlab_ctx_set_log_fn(ctx, log_stderr, NULL, RTLAB_LOG_WARN);
	skip_unless_able(ctx);
	return ctx;
}

/*
 * measure - one valid run with @protocol: mid was ready (on CPU 1, about to
 * move) and high was ready before low unlocked, so that the run shows what
 * it should.  A run where the sequencing came too late (host preemption of
 * the coordinator) is retried, at most MAX_ATTEMPTS times.
 */
static void measure(enum rtlab_mutex_protocol protocol, struct pi_run *ret)
{
	struct rtlab_ctx *ctx = new_ctx();
	bool ok = false, valid = false;
	int attempt;

	cr_assert_eq(fifo_on(ctx, PRIO_COORD, COORD_CPU), 0, "coordinator set-up failed");
	for (attempt = 1; attempt <= MAX_ATTEMPTS && !valid; attempt++) {
		*ret = (struct pi_run){ .ctx = ctx };
		ret->m = rtlab_mutex_new(ctx, protocol, PRIO_HIGH);
		cr_assert_not_null(ret->m);
		ok = run_threads(ret);
		rtlab_mutex_free(ret->m);
		ret->m = NULL;
		if (!ok)
			break;
		valid = ret->mid_ready_ns < ret->low_unlock_ns &&
			ret->high_ready_ns < ret->low_unlock_ns;
		if (!valid)
			fprintf(stderr, "%s attempt %d: sequencing too late (high ready at +%.3f "
				"ms, mid at +%.3f ms, low unlocked at +%.3f ms), retrying\n",
				rtlab_mutex_protocol_name(protocol), attempt,
				(double)(ret->high_ready_ns - ret->low_lock_ns) / 1e6,
				(double)(ret->mid_ready_ns - ret->low_lock_ns) / 1e6,
				(double)(ret->low_unlock_ns - ret->low_lock_ns) / 1e6);
		sleep_ns(50 * MSEC);
	}
	cr_assert(ok, "set-up failed: low %s, high %s, mid %s", strerror(-ret->low_err),
		  strerror(-ret->high_err), strerror(-ret->mid_err));
	cr_assert(valid, "could not sequence the threads in %d attempts", MAX_ATTEMPTS);
	fprintf(stderr, "%-7s: high waited %7.3f ms | low critical section %6.3f ms CPU, "
		"%7.3f ms wall | mid spun %7.3f ms | attempts %d\n",
		rtlab_mutex_protocol_name(protocol),
		(double)(ret->high_locked_ns - ret->high_ready_ns) / 1e6,
		(double)ret->low_cs_cpu_ns / 1e6,
		(double)(ret->low_unlock_ns - ret->low_lock_ns) / 1e6,
		(double)(ret->mid_end_ns - ret->mid_start_ns) / 1e6, attempt - 1);
	rtlab_ctx_free(ctx);
}

/* check_bounded - high waited for the rest of low's critical section only. */
static void check_bounded(const struct pi_run *run)
{
	uint64_t wait = run->high_locked_ns - run->high_ready_ns;
	uint64_t spin = run->mid_end_ns - run->mid_start_ns;

	cr_assert_geq(run->low_cs_cpu_ns, LOW_CS_NS, "the critical section was cut short");
	cr_assert_lt(wait, LOW_CS_NS + 30 * MSEC, "high waited %.3f ms (critical section %.0f "
		     "ms + 30 ms margin)", (double)wait / 1e6, (double)LOW_CS_NS / 1e6);
	cr_assert_lt(wait, spin / 2, "high waited %.3f ms, mid spun %.3f ms", (double)wait / 1e6,
		     (double)spin / 1e6);
	/* mid could not run on CPU 0 before high had the lock. */
	cr_assert_geq(run->mid_start_ns, run->high_locked_ns, "mid ran before high got the lock");
}

Test(pi, none_shows_unbounded_inversion, .timeout = 60)
{
	struct pi_run run;
	uint64_t wait, spin;

	measure(RTLAB_MUTEX_NONE, &run);
	wait = run.high_locked_ns - run.high_ready_ns;
	spin = run.mid_end_ns - run.mid_start_ns;
	cr_assert_geq(spin, MID_SPIN_NS);
	cr_assert_geq(wait * 10, spin * 9, "no inversion: high waited %.3f ms, mid spun %.3f ms",
		      (double)wait / 1e6, (double)spin / 1e6);
	/* high got the lock only after mid had finished. */
	cr_assert_geq(run.high_locked_ns, run.mid_end_ns);
}

Test(pi, inherit_bounds_the_wait, .timeout = 60)
{
	struct pi_run run;

	measure(RTLAB_MUTEX_INHERIT, &run);
	check_bounded(&run);
}

Test(pi, protect_bounds_the_wait, .timeout = 60)
{
	struct pi_run run;

	measure(RTLAB_MUTEX_PROTECT, &run);
	check_bounded(&run);
}

/* A PROTECT holder that locks, reports its priority, and unlocks when told. */
struct ceiling_holder {
	struct rtlab_ctx *ctx;
	struct rtlab_mutex *m;
	int locked, release;
	int err;
	int prio_locked, prio_unlocked;
};

/* own_prio - the calling thread's priority per the kernel, or -1. */
static int own_prio(struct rtlab_ctx *ctx)
{
	struct rtlab_sched_attr a;

	return rtlab_sched_get(ctx, 0, &a) < 0 ? -1 : a.priority;
}

/* ceiling_holder_main - FIFO 10, lock the PROTECT mutex, wait, unlock. */
static void *ceiling_holder_main(void *arg)
{
	struct ceiling_holder *h = arg;

	h->err = fifo_prio(h->ctx, PRIO_LOW);
	if (h->err == 0)
		h->err = rtlab_mutex_lock(h->m);
	h->prio_locked = own_prio(h->ctx);
	store_flag(&h->locked, 1);
	if (h->err < 0)
		return NULL;
	(void)wait_flag(&h->release);
	h->err = rtlab_mutex_unlock(h->m);
	h->prio_unlocked = own_prio(h->ctx);
	return NULL;
}

/*
 * glibc 2.36 leaves a thread at the ceiling when a timed lock of a
 * PTHREAD_PRIO_PROTECT mutex times out; rtlab_mutex_timedlock must not.
 */
Test(pi, protect_ceiling_and_timeout_restore_priority, .timeout = 60)
{
	struct rtlab_ctx *ctx = new_ctx();
	struct ceiling_holder h = { .ctx = ctx };
	struct rtlab_mutex_stats st;
	int r, prio_after, prio_own_lock, prio_own_unlock;
	uint64_t deadline, t1;
	pthread_t thread;

	cr_assert_eq(fifo_prio(ctx, PRIO_LOW), 0);
	h.m = rtlab_mutex_new(ctx, RTLAB_MUTEX_PROTECT, PRIO_HIGH);
	cr_assert_not_null(h.m);
	cr_assert_eq(pthread_create(&thread, NULL, ceiling_holder_main, &h), 0);
	(void)wait_flag(&h.locked);
	deadline = rtlab_now_ns() + 30 * MSEC;
	r = h.err ? h.err : rtlab_mutex_timedlock(h.m, deadline);
	t1 = rtlab_now_ns();
	prio_after = own_prio(ctx);
	store_flag(&h.release, 1);
	(void)pthread_join(thread, NULL);
	prio_own_lock = rtlab_mutex_lock(h.m) == 0 ? own_prio(ctx) : -1;
	prio_own_unlock = rtlab_mutex_unlock(h.m) == 0 ? own_prio(ctx) : -1;
	rtlab_mutex_stats(h.m, &st);
	rtlab_mutex_free(h.m);
	rtlab_ctx_free(ctx);

	cr_assert_eq(h.err, 0, "holder: %s", strerror(-h.err));
	cr_assert_eq(h.prio_locked, PRIO_HIGH, "the holder runs at the ceiling");
	cr_assert_eq(h.prio_unlocked, PRIO_LOW, "and goes back after the unlock");
	cr_assert_eq(r, -ETIMEDOUT, "timedlock: %s", strerror(-r));
	cr_assert_geq(t1, deadline);
	cr_assert_lt(t1 - deadline, 500 * MSEC);
	cr_assert_eq(prio_after, PRIO_LOW, "priority %d after a timed-out lock", prio_after);
	cr_assert_eq(prio_own_lock, PRIO_HIGH);
	cr_assert_eq(prio_own_unlock, PRIO_LOW);
	cr_assert_eq(st.timeouts, 1);
	cr_assert_eq(st.acquisitions, 2);
}

/*
 * A PROTECT lock refused for a SCHED_OTHER caller must not poison glibc's
 * ceiling bookkeeping, and a later switch to SCHED_FIFO with sched_setattr
 * (behind glibc's cached view) must give a working ceiling.
 */
Test(pi, protect_after_policy_change, .timeout = 60)
{
	struct rtlab_ctx *ctx = new_ctx();
	struct rtlab_mutex *m = rtlab_mutex_new(ctx, RTLAB_MUTEX_PROTECT, PRIO_HIGH);
	struct rtlab_sched_attr other = { .policy = RTLAB_POLICY_OTHER };
	int r_other, r_fifo, prio_locked = -1, prio_unlocked, policy;
	struct sched_param sp;

	cr_assert_not_null(m);
	cr_assert_eq(rtlab_sched_set(ctx, 0, &other), 0);
	/* Let glibc cache "SCHED_OTHER" for this thread. */
	cr_assert_eq(pthread_getschedparam(pthread_self(), &policy, &sp), 0);
	r_other = rtlab_mutex_lock(m);
	cr_assert_eq(fifo_prio(ctx, PRIO_LOW), 0);
	r_fifo = rtlab_mutex_lock(m);
	if (r_fifo == 0) {
		prio_locked = own_prio(ctx);
		(void)rtlab_mutex_unlock(m);
	}
	prio_unlocked = own_prio(ctx);
	rtlab_mutex_free(m);
	rtlab_ctx_free(ctx);

	cr_assert_eq(policy, SCHED_OTHER);
	cr_assert_eq(r_other, -EINVAL, "SCHED_OTHER caller: %s", strerror(-r_other));
	cr_assert_eq(r_fifo, 0, "SCHED_FIFO caller: %s", strerror(-r_fifo));
	cr_assert_eq(prio_locked, PRIO_HIGH, "priority %d while holding", prio_locked);
	cr_assert_eq(prio_unlocked, PRIO_LOW, "priority %d after the unlock", prio_unlocked);
}
