/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-mutex.c - rtlab_mutex: names, validation, lock/trylock/timedlock/unlock
 * and contention statistics.  No privilege needed; timing checks have strict
 * lower bounds and generous upper bounds (noisy VMs).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <rtlab/mutex.h>
#include <rtlab/sched.h>

#include "test-log.h"

#define MSEC RTLAB_NSEC_PER_MSEC
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* sleep_ns - relative nanosleep, restarted on signals. */
static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / RTLAB_NSEC_PER_SEC),
			       .tv_nsec = (long)(ns % RTLAB_NSEC_PER_SEC) };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

/* wait_flag - spin-sleep until *@flag is set, for at most 5 s. */
static bool wait_flag(int *flag)
{
	uint64_t end = rtlab_now_ns() + 5 * RTLAB_NSEC_PER_SEC;

	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		if (rtlab_now_ns() > end)
			return false;
		sleep_ns(100 * RTLAB_NSEC_PER_USEC);
	}
	return true;
}

/*
 * A helper thread that locks the mutex, raises "locked", waits for "go"
 * (set by the test thread right before it blocks), holds the lock for
 * hold_ns more, and unlocks.
 */
struct holder {
	struct rtlab_mutex *m;
	uint64_t hold_ns;
	int locked;
	int go;
	int lock_r;
	int unlock_r;
	pthread_t thread;
};

/* holder_main - body of the helper thread. */
static void *holder_main(void *arg)
{
	struct holder *h = arg;

	h->lock_r = rtlab_mutex_lock(h->m);
	__atomic_store_n(&h->locked, 1, __ATOMIC_RELEASE);
	if (h->lock_r < 0)
		return NULL;
	(void)wait_flag(&h->go);
	sleep_ns(h->hold_ns);
	h->unlock_r = rtlab_mutex_unlock(h->m);
	return NULL;
}

/* holder_start - start a holder and wait until it holds @m. */
static void holder_start(struct holder *h, struct rtlab_mutex *m, uint64_t hold_ns)
{
	*h = (struct holder){ .m = m, .hold_ns = hold_ns };
	cr_assert_eq(pthread_create(&h->thread, NULL, holder_main, h), 0);
	cr_assert(wait_flag(&h->locked), "the holder thread did not start");
	cr_assert_eq(h->lock_r, 0, "holder lock: %s", strerror(-h->lock_r));
}

/* holder_release - let the holder go on (it unlocks after hold_ns) and join it. */
static void holder_release(struct holder *h)
{
	__atomic_store_n(&h->go, 1, __ATOMIC_RELEASE);
	cr_assert_eq(pthread_join(h->thread, NULL), 0);
	cr_assert_eq(h->unlock_r, 0, "holder unlock: %s", strerror(-h->unlock_r));
}

Test(mutex, names)
{
	cr_assert_str_eq(rtlab_mutex_protocol_name(RTLAB_MUTEX_NONE), "none");
	cr_assert_str_eq(rtlab_mutex_protocol_name(RTLAB_MUTEX_INHERIT), "inherit");
	cr_assert_str_eq(rtlab_mutex_protocol_name(RTLAB_MUTEX_PROTECT), "protect");
	cr_assert_null(rtlab_mutex_protocol_name(_RTLAB_MUTEX_PROTOCOL_MAX));
	cr_assert_null(rtlab_mutex_protocol_name((enum rtlab_mutex_protocol)-1));
}

Test(mutex, name_round_trip)
{
	for (int i = 0; i < _RTLAB_MUTEX_PROTOCOL_MAX; i++) {
		enum rtlab_mutex_protocol p = _RTLAB_MUTEX_PROTOCOL_MAX;
		const char *name = rtlab_mutex_protocol_name((enum rtlab_mutex_protocol)i);

		cr_assert_eq(rtlab_mutex_protocol_from_name(name, &p), 0, "%s", name);
		cr_assert_eq((int)p, i, "%s", name);
	}
}

Test(mutex, name_parsing)
{
	enum rtlab_mutex_protocol p = RTLAB_MUTEX_NONE;

	cr_assert_eq(rtlab_mutex_protocol_from_name("INHERIT", &p), 0);
	cr_assert_eq(p, RTLAB_MUTEX_INHERIT);
	cr_assert_eq(rtlab_mutex_protocol_from_name("Protect", &p), 0);
	cr_assert_eq(p, RTLAB_MUTEX_PROTECT);
	p = RTLAB_MUTEX_INHERIT;
	cr_assert_eq(rtlab_mutex_protocol_from_name("", &p), -EINVAL);
	cr_assert_eq(rtlab_mutex_protocol_from_name("pi", &p), -EINVAL);
	cr_assert_eq(rtlab_mutex_protocol_from_name("inherit ", &p), -EINVAL);
	cr_assert_eq(rtlab_mutex_protocol_from_name("nonex", &p), -EINVAL);
	cr_assert_eq(rtlab_mutex_protocol_from_name(NULL, &p), -EINVAL);
	cr_assert_eq(p, RTLAB_MUTEX_INHERIT, "a failed parse must not write the result");
}

Test(mutex, bad_protocol)
{
	struct log_capture lc = { 0 };
	struct rtlab_ctx *ctx = new_ctx(&lc);

	errno = 0;
	cr_assert_null(rtlab_mutex_new(ctx, _RTLAB_MUTEX_PROTOCOL_MAX, 0));
	cr_assert_eq(errno, EINVAL);
	cr_assert_not_null(strstr(lc.msg, "protocol"), "message: %s", lc.msg);
	errno = 0;
	cr_assert_null(rtlab_mutex_new(ctx, (enum rtlab_mutex_protocol)-1, 0));
	cr_assert_eq(errno, EINVAL);
	rtlab_ctx_free(ctx);
}

struct ceiling_case {
	int ceiling;
};

ParameterizedTestParameters(mutex, bad_ceiling)
{
	static struct ceiling_case cases[] = { { 0 }, { 100 }, { -1 }, { 1000 } };

	return cr_make_param_array(struct ceiling_case, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct ceiling_case *c, mutex, bad_ceiling)
{
	struct log_capture lc = { 0 };
	struct rtlab_ctx *ctx = new_ctx(&lc);

	errno = 0;
	cr_assert_null(rtlab_mutex_new(ctx, RTLAB_MUTEX_PROTECT, c->ceiling));
	cr_assert_eq(errno, EINVAL);
	cr_assert_not_null(strstr(lc.msg, "ceiling"), "message: %s", lc.msg);
	rtlab_ctx_free(ctx);
}

Test(mutex, ceiling_limits_and_ignored_without_protect)
{
	struct log_capture lc = { 0 };
	struct rtlab_ctx *ctx = new_ctx(&lc);
	struct rtlab_mutex *m;

	m = rtlab_mutex_new(ctx, RTLAB_MUTEX_PROTECT, 1);
	cr_assert_not_null(m, "%s", lc.msg);
	cr_assert_eq(rtlab_mutex_protocol(m), RTLAB_MUTEX_PROTECT);
	rtlab_mutex_free(m);
	m = rtlab_mutex_new(ctx, RTLAB_MUTEX_PROTECT, 99);
	cr_assert_not_null(m, "%s", lc.msg);
	rtlab_mutex_free(m);
	/* The ceiling is only used by PROTECT. */
	m = rtlab_mutex_new(ctx, RTLAB_MUTEX_INHERIT, 0);
	cr_assert_not_null(m, "%s", lc.msg);
	cr_assert_eq(rtlab_mutex_protocol(m), RTLAB_MUTEX_INHERIT);
	rtlab_mutex_free(m);
	m = rtlab_mutex_new(ctx, RTLAB_MUTEX_NONE, 500);
	cr_assert_not_null(m, "%s", lc.msg);
	cr_assert_eq(rtlab_mutex_protocol(m), RTLAB_MUTEX_NONE);
	rtlab_mutex_free(m);
	cr_assert_eq(lc.count, 0, "unexpected message: %s", lc.msg);
	cr_assert_null(rtlab_mutex_free(NULL));
	rtlab_ctx_free(ctx);
}

struct proto_case {
	enum rtlab_mutex_protocol protocol;
};

/* The protocols any thread can lock (PROTECT needs a SCHED_FIFO/RR caller). */
static struct proto_case unprivileged_protocols[] = {
	{ RTLAB_MUTEX_NONE },
	{ RTLAB_MUTEX_INHERIT },
};

/* new_mutex - a mutex of @protocol with a NULL context (nothing is logged). */
static struct rtlab_mutex *new_mutex(enum rtlab_mutex_protocol protocol)
{
	struct rtlab_mutex *m = rtlab_mutex_new(NULL, protocol, 0);

	cr_assert_not_null(m, "rtlab_mutex_new(%s): %s", rtlab_mutex_protocol_name(protocol),
			   strerror(errno));
	return m;
}

ParameterizedTestParameters(mutex, lock_unlock)
{
	return cr_make_param_array(struct proto_case, unprivileged_protocols,
				   ARRAY_SIZE(unprivileged_protocols));
}

ParameterizedTest(struct proto_case *c, mutex, lock_unlock)
{
	struct rtlab_mutex *m = new_mutex(c->protocol);
	struct rtlab_mutex_stats st;

	cr_assert_eq(rtlab_mutex_lock(m), 0);
	cr_assert_eq(rtlab_mutex_lock(m), -EDEADLK, "relock by the owner");
	cr_assert_eq(rtlab_mutex_unlock(m), 0);
	cr_assert_eq(rtlab_mutex_unlock(m), -EPERM, "unlock of an unlocked mutex");
	cr_assert_eq(rtlab_mutex_trylock(m), 0);
	cr_assert_eq(rtlab_mutex_unlock(m), 0);
	cr_assert_eq(rtlab_mutex_timedlock(m, rtlab_now_ns() + 10 * MSEC), 0);
	cr_assert_eq(rtlab_mutex_unlock(m), 0);
	/* A free mutex is taken even when the deadline has passed. */
	cr_assert_eq(rtlab_mutex_timedlock(m, 1), 0);
	cr_assert_eq(rtlab_mutex_unlock(m), 0);
	rtlab_mutex_stats(m, &st);
	cr_assert_eq(st.acquisitions, 4);
	cr_assert_eq(st.contentions, 0);
	cr_assert_eq(st.timeouts, 0);
	cr_assert_eq(st.wait_total_ns, 0);
	cr_assert_eq(st.wait_max_ns, 0);
	rtlab_mutex_free(m);
}

ParameterizedTestParameters(mutex, trylock_busy)
{
	return cr_make_param_array(struct proto_case, unprivileged_protocols,
				   ARRAY_SIZE(unprivileged_protocols));
}

ParameterizedTest(struct proto_case *c, mutex, trylock_busy)
{
	struct rtlab_mutex *m = new_mutex(c->protocol);
	struct rtlab_mutex_stats st;
	struct holder h;

	holder_start(&h, m, 0);
	cr_assert_eq(rtlab_mutex_trylock(m), -EBUSY);
	holder_release(&h);
	cr_assert_eq(rtlab_mutex_trylock(m), 0);
	cr_assert_eq(rtlab_mutex_unlock(m), 0);
	rtlab_mutex_stats(m, &st);
	cr_assert_eq(st.acquisitions, 2, "holder + the second trylock");
	cr_assert_eq(st.contentions, 0, "a failed trylock is not a contention");
	rtlab_mutex_free(m);
}

ParameterizedTestParameters(mutex, unlock_by_non_owner)
{
	return cr_make_param_array(struct proto_case, unprivileged_protocols,
				   ARRAY_SIZE(unprivileged_protocols));
}

ParameterizedTest(struct proto_case *c, mutex, unlock_by_non_owner)
{
	struct rtlab_mutex *m = new_mutex(c->protocol);
	struct holder h;

	holder_start(&h, m, 0);
	cr_assert_eq(rtlab_mutex_unlock(m), -EPERM);
	cr_assert_eq(rtlab_mutex_trylock(m), -EBUSY, "still held by its owner");
	holder_release(&h);
	rtlab_mutex_free(m);
}

ParameterizedTestParameters(mutex, timedlock_timeout)
{
	return cr_make_param_array(struct proto_case, unprivileged_protocols,
				   ARRAY_SIZE(unprivileged_protocols));
}

ParameterizedTest(struct proto_case *c, mutex, timedlock_timeout)
{
	struct rtlab_mutex *m = new_mutex(c->protocol);
	struct rtlab_mutex_stats st;
	uint64_t t0, deadline, t1;
	struct holder h;

	holder_start(&h, m, 0);
	t0 = rtlab_now_ns();
	deadline = t0 + 50 * MSEC;
	cr_assert_eq(rtlab_mutex_timedlock(m, deadline), -ETIMEDOUT);
	t1 = rtlab_now_ns();
	cr_assert_geq(t1, deadline, "returned %.3f ms early", (double)(deadline - t1) / 1e6);
	cr_assert_lt(t1 - t0, 1000 * MSEC, "timed out after %.3f ms (asked 50 ms)",
		     (double)(t1 - t0) / 1e6);
	/* Past deadline on a held mutex: an immediate timeout. */
	cr_assert_eq(rtlab_mutex_timedlock(m, rtlab_now_ns() - 1), -ETIMEDOUT);
	holder_release(&h);
	rtlab_mutex_stats(m, &st);
	cr_assert_eq(st.timeouts, 2);
	cr_assert_eq(st.acquisitions, 1, "the holder only");
	cr_assert_eq(st.contentions, 0, "a timeout is not an acquisition");
	rtlab_mutex_free(m);
}

ParameterizedTestParameters(mutex, contention_stats)
{
	return cr_make_param_array(struct proto_case, unprivileged_protocols,
				   ARRAY_SIZE(unprivileged_protocols));
}

ParameterizedTest(struct proto_case *c, mutex, contention_stats)
{
	struct rtlab_mutex *m = new_mutex(c->protocol);
	struct rtlab_mutex_stats st;
	struct holder h;

	/* The holder keeps the lock 20 ms after we say we are about to block. */
	holder_start(&h, m, 20 * MSEC);
	__atomic_store_n(&h.go, 1, __ATOMIC_RELEASE);
	cr_assert_eq(rtlab_mutex_lock(m), 0);
	rtlab_mutex_stats(m, &st);
	cr_assert_eq(rtlab_mutex_unlock(m), 0);
	holder_release(&h);
	cr_assert_eq(st.acquisitions, 2);
	cr_assert_eq(st.contentions, 1);
	cr_assert_eq(st.timeouts, 0);
	cr_assert_geq(st.wait_max_ns, 15 * MSEC, "waited %.3f ms", (double)st.wait_max_ns / 1e6);
	cr_assert_lt(st.wait_max_ns, 2000 * MSEC, "waited %.3f ms", (double)st.wait_max_ns / 1e6);
	cr_assert_eq(st.wait_total_ns, st.wait_max_ns);
	rtlab_mutex_free(m);
}

ParameterizedTestParameters(mutex, timedlock_contended)
{
	return cr_make_param_array(struct proto_case, unprivileged_protocols,
				   ARRAY_SIZE(unprivileged_protocols));
}

ParameterizedTest(struct proto_case *c, mutex, timedlock_contended)
{
	struct rtlab_mutex *m = new_mutex(c->protocol);
	struct rtlab_mutex_stats st;
	struct holder h;

	holder_start(&h, m, 20 * MSEC);
	__atomic_store_n(&h.go, 1, __ATOMIC_RELEASE);
	cr_assert_eq(rtlab_mutex_timedlock(m, rtlab_now_ns() + 10 * RTLAB_NSEC_PER_SEC), 0);
	rtlab_mutex_stats(m, &st);
	cr_assert_eq(rtlab_mutex_unlock(m), 0);
	holder_release(&h);
	cr_assert_eq(st.acquisitions, 2);
	cr_assert_eq(st.contentions, 1);
	cr_assert_eq(st.timeouts, 0);
	cr_assert_geq(st.wait_max_ns, 15 * MSEC, "waited %.3f ms", (double)st.wait_max_ns / 1e6);
	rtlab_mutex_free(m);
}

Test(mutex, wait_stats_accumulate)
{
	struct rtlab_mutex *m = new_mutex(RTLAB_MUTEX_INHERIT);
	struct rtlab_mutex_stats st;
	struct holder h;

	for (int i = 0; i < 2; i++) {
		holder_start(&h, m, (uint64_t)(i + 1) * 10 * MSEC);
		__atomic_store_n(&h.go, 1, __ATOMIC_RELEASE);
		cr_assert_eq(rtlab_mutex_lock(m), 0);
		cr_assert_eq(rtlab_mutex_unlock(m), 0);
		holder_release(&h);
	}
	rtlab_mutex_stats(m, &st);
	cr_assert_eq(st.acquisitions, 4);
	cr_assert_eq(st.contentions, 2);
	cr_assert_geq(st.wait_max_ns, 15 * MSEC, "max %.3f ms", (double)st.wait_max_ns / 1e6);
	cr_assert_gt(st.wait_total_ns, st.wait_max_ns, "total is the sum of both waits");
	cr_assert_leq(st.wait_total_ns, 2 * st.wait_max_ns);
	rtlab_mutex_free(m);
}

/*
 * glibc raises a PROTECT owner to the ceiling within its own policy, which a
 * SCHED_OTHER thread cannot do: every lock form fails with -EINVAL.
 */
Test(mutex, protect_needs_fifo_or_rr)
{
	struct rtlab_mutex *m = rtlab_mutex_new(NULL, RTLAB_MUTEX_PROTECT, 10);
	struct rtlab_sched_attr a;
	struct rtlab_mutex_stats st;

	cr_assert_not_null(m);
	cr_assert_eq(rtlab_sched_get(NULL, 0, &a), 0);
	if (a.policy == RTLAB_POLICY_FIFO || a.policy == RTLAB_POLICY_RR) {
		rtlab_mutex_free(m);
		cr_skip_test("the test runs as SCHED_%s; this checks SCHED_OTHER callers",
			     rtlab_policy_name(a.policy));
	}
	cr_assert_eq(rtlab_mutex_lock(m), -EINVAL);
	cr_assert_eq(rtlab_mutex_trylock(m), -EINVAL);
	cr_assert_eq(rtlab_mutex_timedlock(m, rtlab_now_ns() + MSEC), -EINVAL);
	rtlab_mutex_stats(m, &st);
	cr_assert_eq(st.acquisitions, 0);
	cr_assert_eq(st.timeouts, 0);
	rtlab_mutex_free(m);
}
