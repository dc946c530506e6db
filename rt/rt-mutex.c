/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rt-mutex.c - POSIX mutexes with a chosen protocol (none, priority
 * inheritance, priority ceiling) and contention statistics.
 *
 * Every mutex is PTHREAD_MUTEX_ERRORCHECK, so that unlocking a mutex held by
 * another thread fails with -EPERM and relocking one's own fails with
 * -EDEADLK instead of hanging.
 *
 * Statistics: a lock first tries pthread_mutex_trylock(); when that fails
 * with EBUSY the acquisition is "contended" and the blocking lock is timed
 * with CLOCK_MONOTONIC.  The counters are then updated by the thread that
 * holds the lock, so one writer at a time: relaxed loads and stores (no
 * read-modify-write), read by any thread with relaxed loads.  The timeout
 * counter is the exception: threads that timed out do not hold the lock, so
 * it is incremented with a relaxed atomic add.
 *
 * Timed locks use pthread_mutex_clocklock(CLOCK_MONOTONIC).  With glibc >=
 * 2.35 on Linux >= 5.14 a PI mutex waits with FUTEX_LOCK_PI2, which takes a
 * CLOCK_MONOTONIC deadline (plain FUTEX_LOCK_PI only knew CLOCK_REALTIME);
 * checked on glibc 2.36 / Linux 6.18.
 *
 * glibc (2.36) PTHREAD_PRIO_PROTECT has pitfalls, worked around here:
 * - glibc raises the owner to the ceiling with sched_setscheduler() and the
 *   policy and base priority it has *cached* for the thread (at its first
 *   use, or from pthread_setschedparam(); inherited by pthread_create()).
 *   sched_setattr() -- which rtlab_sched_set() uses -- does not update that
 *   cache.  When the cached policy is SCHED_OTHER/BATCH/IDLE the boost fails
 *   with EINVAL, and glibc then leaves its per-thread ceiling bookkeeping
 *   raised: every later PROTECT lock by that thread "succeeds" without any
 *   boost.  So every PROTECT lock first reads the caller's attributes from
 *   the kernel (one sched_getattr): a caller that is not SCHED_FIFO/RR gets
 *   -EINVAL without calling glibc (-EINVAL means "above the ceiling, or not
 *   FIFO/RR"), and glibc's cache is refreshed with pthread_setschedparam()
 *   when its policy differs or its priority is higher than the kernel's (a
 *   ceiling boost only raises it).  A priority raised behind glibc's back
 *   while the policy stays the same cannot be told from a boost: the next
 *   PROTECT unlock brings the thread back to the cached priority.
 *   An EPERM from the boost (no CAP_SYS_NICE and RLIMIT_RTPRIO below the
 *   ceiling) leaks glibc's bookkeeping the same way; it is not checked first.
 * - when pthread_mutex_clocklock() on a PROTECT mutex times out, glibc
 *   returns ETIMEDOUT without undoing the ceiling boost it applied before
 *   waiting: the thread stays at the ceiling for good, and its bookkeeping
 *   keeps it there through later locks and unlocks.  So a contended timed
 *   lock of a PROTECT mutex does not block in glibc: it retries trylock
 *   (whose EBUSY path is balanced) with absolute CLOCK_MONOTONIC sleeps that
 *   grow from 10 us to 1 ms.  The timeout is exact; the hand-over latency
 *   after an unlock is up to 1 ms.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <rtlab/mutex.h>

#include "rt-internal.h"

#define PROTECT_POLL_MIN_NS (10 * RTLAB_NSEC_PER_USEC)
#define PROTECT_POLL_MAX_NS RTLAB_NSEC_PER_MSEC

struct rtlab_mutex {
	pthread_mutex_t mutex;
	struct rtlab_ctx *ctx;
	enum rtlab_mutex_protocol protocol;
	int ceiling;
	/* Written by the holder only (timeouts: atomic add), read with relaxed loads. */
	uint64_t acquisitions;
	uint64_t contentions;
	uint64_t timeouts;
	uint64_t wait_total_ns;
	uint64_t wait_max_ns;
};

static const char *const protocol_names[_RTLAB_MUTEX_PROTOCOL_MAX] = {
	[RTLAB_MUTEX_NONE] = "none",
	[RTLAB_MUTEX_INHERIT] = "inherit",
	[RTLAB_MUTEX_PROTECT] = "protect",
};

static const int protocol_posix[_RTLAB_MUTEX_PROTOCOL_MAX] = {
	[RTLAB_MUTEX_NONE] = PTHREAD_PRIO_NONE,
	[RTLAB_MUTEX_INHERIT] = PTHREAD_PRIO_INHERIT,
	[RTLAB_MUTEX_PROTECT] = PTHREAD_PRIO_PROTECT,
};

/* rtlab_mutex_protocol_name - the name of @protocol. */
const char *rtlab_mutex_protocol_name(enum rtlab_mutex_protocol protocol)
{
	if ((unsigned int)protocol >= _RTLAB_MUTEX_PROTOCOL_MAX)
		return NULL;
	return protocol_names[protocol];
}

/* rtlab_mutex_protocol_from_name - parse a protocol name (case-insensitive). */
int rtlab_mutex_protocol_from_name(const char *name, enum rtlab_mutex_protocol *ret)
{
	if (!name)
		return -EINVAL;
	for (int i = 0; i < _RTLAB_MUTEX_PROTOCOL_MAX; i++)
		if (strcasecmp(name, protocol_names[i]) == 0) {
			*ret = (enum rtlab_mutex_protocol)i;
			return 0;
		}
	return -EINVAL;
}

/* init_mutex - pthread_mutex_init() of @m->mutex with its protocol; 0 or -errno (logged). */
static int init_mutex(struct rtlab_mutex *m)
{
	const char *step = "pthread_mutexattr_init";
	pthread_mutexattr_t attr;
	int r;

	r = pthread_mutexattr_init(&attr);
	if (r)
		goto out;
	step = "PTHREAD_MUTEX_ERRORCHECK";
	r = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	if (r)
		goto out_destroy;
	step = "the protocol";
	r = pthread_mutexattr_setprotocol(&attr, protocol_posix[m->protocol]);
	if (r)
		goto out_destroy;
	if (m->protocol == RTLAB_MUTEX_PROTECT) {
		step = "the priority ceiling";
		r = pthread_mutexattr_setprioceiling(&attr, m->ceiling);
		if (r)
			goto out_destroy;
	}
	step = "pthread_mutex_init";
	r = pthread_mutex_init(&m->mutex, &attr);
out_destroy:
	(void)pthread_mutexattr_destroy(&attr);
out:
	if (r)
		return rtlab_err(m->ctx, -r, "mutex (protocol %s): cannot set up %s: %s",
				 protocol_names[m->protocol], step, strerror(r));
	return 0;
}

/* rtlab_mutex_new - validate the protocol and ceiling, then create the mutex. */
struct rtlab_mutex *rtlab_mutex_new(struct rtlab_ctx *ctx, enum rtlab_mutex_protocol protocol,
				    int ceiling)
{
	struct rtlab_mutex *m;
	int r;

	if ((unsigned int)protocol >= _RTLAB_MUTEX_PROTOCOL_MAX) {
		errno = -rtlab_err(ctx, -EINVAL, "mutex: protocol %d is not one of none, inherit, "
				   "protect", (int)protocol);
		return NULL;
	}
	if (protocol == RTLAB_MUTEX_PROTECT && (ceiling < 1 || ceiling > 99)) {
		errno = -rtlab_err(ctx, -EINVAL, "mutex: priority ceiling %d is out of range "
				   "(1..99)", ceiling);
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		errno = -rtlab_err(ctx, -ENOMEM, "mutex: out of memory");
		return NULL;
	}
	m->ctx = ctx;
	m->protocol = protocol;
	m->ceiling = protocol == RTLAB_MUTEX_PROTECT ? ceiling : 0;
	r = init_mutex(m);
	if (r < 0) {
		free(m);
		errno = -r;
		return NULL;
	}
	return m;
}

/* rtlab_mutex_free - destroy and free @m. */
struct rtlab_mutex *rtlab_mutex_free(struct rtlab_mutex *m)
{
	int r;

	if (!m)
		return NULL;
	r = pthread_mutex_destroy(&m->mutex);
	if (r)
		rtlab_log(m->ctx, RTLAB_LOG_WARN, "mutex: destroyed while in use: %s", strerror(r));
	free(m);
	return NULL;
}

/* note_acquired - count one acquisition (caller holds @m); @wait_ns > 0 if contended. */
static void note_acquired(struct rtlab_mutex *m, bool contended, uint64_t wait_ns)
{
	rtlab_store_u64(&m->acquisitions, rtlab_load_u64(&m->acquisitions) + 1);
	if (!contended)
		return;
	rtlab_store_u64(&m->contentions, rtlab_load_u64(&m->contentions) + 1);
	rtlab_store_u64(&m->wait_total_ns, rtlab_load_u64(&m->wait_total_ns) + wait_ns);
	if (wait_ns > rtlab_load_u64(&m->wait_max_ns))
		rtlab_store_u64(&m->wait_max_ns, wait_ns);
}

/* note_timeout - count one timed-out lock (caller does not hold @m: atomic add). */
static void note_timeout(struct rtlab_mutex *m)
{
	__atomic_fetch_add(&m->timeouts, 1, __ATOMIC_RELAXED);
}

/*
 * protect_check - 0 if glibc can apply a priority ceiling to the caller, which
 * must be SCHED_FIFO or SCHED_RR; -EINVAL if not.  Brings glibc's cached view
 * of the caller's scheduling in line with the kernel's (see the top).
 */
static int protect_check(struct rtlab_mutex *m)
{
	struct rtlab_sched_attr k;
	struct sched_param sp;
	int policy, kpolicy, r;

	r = rtlab_sched_get(m->ctx, 0, &k);
	if (r < 0)
		return r;
	if (k.policy != RTLAB_POLICY_FIFO && k.policy != RTLAB_POLICY_RR)
		return -EINVAL;
	kpolicy = k.policy == RTLAB_POLICY_FIFO ? SCHED_FIFO : SCHED_RR;
	r = pthread_getschedparam(pthread_self(), &policy, &sp);
	if (r)
		return -r;
	if ((policy & ~SCHED_RESET_ON_FORK) == kpolicy && sp.sched_priority <= k.priority)
		return 0;
	sp.sched_priority = k.priority;
	if (k.reset_on_fork)
		kpolicy |= SCHED_RESET_ON_FORK;
	return -pthread_setschedparam(pthread_self(), kpolicy, &sp);
}

/* try_first - the ceiling check and an uncontended trylock; -EBUSY when contended. */
static int try_first(struct rtlab_mutex *m)
{
	int r;

	if (m->protocol == RTLAB_MUTEX_PROTECT) {
		r = protect_check(m);
		if (r < 0)
			return r;
	}
	r = pthread_mutex_trylock(&m->mutex);
	if (r == 0)
		note_acquired(m, false, 0);
	return -r;
}

/* rtlab_mutex_trylock - lock if free. */
int rtlab_mutex_trylock(struct rtlab_mutex *m)
{
	return try_first(m);
}

/* rtlab_mutex_lock - trylock, then (contended) a timed blocking lock. */
int rtlab_mutex_lock(struct rtlab_mutex *m)
{
	uint64_t t0;
	int r;

	r = try_first(m);
	if (r != -EBUSY)
		return r;
	t0 = rtlab_now_ns();
	r = pthread_mutex_lock(&m->mutex);
	if (r)
		return -r;
	note_acquired(m, true, rtlab_now_ns() - t0);
	return 0;
}

/* protect_timedwait - retry trylock until @abs_ns (see the top of the file for why). */
static int protect_timedwait(struct rtlab_mutex *m, uint64_t abs_ns)
{
	uint64_t step = PROTECT_POLL_MIN_NS, now, wake;
	struct timespec ts;
	int r;

	for (;;) {
		r = pthread_mutex_trylock(&m->mutex);
		if (r != EBUSY)
			return r;
		now = rtlab_now_ns();
		if (now >= abs_ns)
			return ETIMEDOUT;
		wake = abs_ns - now > step ? now + step : abs_ns;
		ts = rtlab_ts_from_ns(wake);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
		if (step < PROTECT_POLL_MAX_NS)
			step *= 2;
	}
}

/* rtlab_mutex_timedlock - trylock, then wait until the monotonic deadline @abs_ns. */
int rtlab_mutex_timedlock(struct rtlab_mutex *m, uint64_t abs_ns)
{
	struct timespec ts;
	uint64_t t0;
	int r;

	r = try_first(m);
	if (r != -EBUSY)
		return r;
	t0 = rtlab_now_ns();
	if (m->protocol == RTLAB_MUTEX_PROTECT) {
		r = protect_timedwait(m, abs_ns);
	} else {
		ts = rtlab_ts_from_ns(abs_ns);
		r = pthread_mutex_clocklock(&m->mutex, CLOCK_MONOTONIC, &ts);
	}
	if (r == ETIMEDOUT)
		note_timeout(m);
	if (r)
		return -r;
	note_acquired(m, true, rtlab_now_ns() - t0);
	return 0;
}

/* rtlab_mutex_unlock - unlock (-EPERM when the caller is not the owner). */
int rtlab_mutex_unlock(struct rtlab_mutex *m)
{
	return -pthread_mutex_unlock(&m->mutex);
}

/* rtlab_mutex_stats - relaxed snapshot of the counters. */
void rtlab_mutex_stats(const struct rtlab_mutex *m, struct rtlab_mutex_stats *ret)
{
	ret->acquisitions = rtlab_load_u64(&m->acquisitions);
	ret->contentions = rtlab_load_u64(&m->contentions);
	ret->timeouts = rtlab_load_u64(&m->timeouts);
	ret->wait_total_ns = rtlab_load_u64(&m->wait_total_ns);
	ret->wait_max_ns = rtlab_load_u64(&m->wait_max_ns);
}

/* rtlab_mutex_protocol - the protocol of @m. */
enum rtlab_mutex_protocol rtlab_mutex_protocol(const struct rtlab_mutex *m)
{
	return m->protocol;
}
