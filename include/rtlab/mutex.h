/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Real-time mutexes: POSIX mutexes with a chosen protocol, plus contention
 * statistics.
 * - RTLAB_MUTEX_INHERIT: priority inheritance (PTHREAD_PRIO_INHERIT, a
 *   futex PI lock): the owner runs at the priority of its highest waiter.
 * - RTLAB_MUTEX_PROTECT: priority ceiling (PTHREAD_PRIO_PROTECT): the owner
 *   runs at the ceiling while it holds the lock.
 * - RTLAB_MUTEX_NONE: a plain mutex, subject to unbounded priority inversion.
 *
 * Statistics are updated by the thread that holds the lock, so they cost no
 * extra synchronisation; a lock is "contended" when a trylock failed first.
 * Wait times are CLOCK_MONOTONIC durations.
 */
#ifndef RTLAB_MUTEX_H
#define RTLAB_MUTEX_H

#include <rtlab/core.h>

enum rtlab_mutex_protocol {
	RTLAB_MUTEX_NONE,
	RTLAB_MUTEX_INHERIT,
	RTLAB_MUTEX_PROTECT,
	_RTLAB_MUTEX_PROTOCOL_MAX,
};

struct rtlab_mutex;

struct rtlab_mutex_stats {
	uint64_t acquisitions;		/* successful lock/trylock/timedlock */
	uint64_t contentions;		/* acquisitions that had to wait */
	uint64_t timeouts;		/* timedlock calls that timed out */
	uint64_t wait_total_ns;
	uint64_t wait_max_ns;
};

/** rtlab_mutex_protocol_name - "none", "inherit", "protect", or NULL. */
RTLAB_API const char *rtlab_mutex_protocol_name(enum rtlab_mutex_protocol protocol);

/** rtlab_mutex_protocol_from_name - parse the names above; 0 or -EINVAL. */
RTLAB_API int rtlab_mutex_protocol_from_name(const char *name, enum rtlab_mutex_protocol *ret);

/**
 * rtlab_mutex_new - create a mutex.  @ceiling (1..99) is used with
 * RTLAB_MUTEX_PROTECT only.  Returns NULL with errno set (-EINVAL: protocol
 * or ceiling named in the log).
 */
RTLAB_API struct rtlab_mutex *rtlab_mutex_new(struct rtlab_ctx *ctx, enum rtlab_mutex_protocol protocol,
					      int ceiling);

/** rtlab_mutex_free - destroy @m (must be unlocked; NULL is fine); returns NULL. */
RTLAB_API struct rtlab_mutex *rtlab_mutex_free(struct rtlab_mutex *m);

/**
 * rtlab_mutex_lock - lock; returns 0 or -errno.  -EINVAL for a PROTECT mutex
 * means the caller's priority is above the ceiling, or the caller is not
 * SCHED_FIFO/RR (glibc's ceiling protocol applies to RT threads only).
 * glibc keeps a copy of each thread's scheduling parameters for the ceiling
 * protocol; this library refreshes it when it differs from the kernel's.
 * A timed lock on a contended PROTECT mutex polls (10 us growing to 1 ms)
 * instead of blocking, because glibc 2.36 leaves the caller at the ceiling
 * after a PROTECT timeout.
 */
RTLAB_API int rtlab_mutex_lock(struct rtlab_mutex *m);

/** rtlab_mutex_trylock - lock if free; returns 0, -EBUSY, or -errno. */
RTLAB_API int rtlab_mutex_trylock(struct rtlab_mutex *m);

/**
 * rtlab_mutex_timedlock - lock, waiting until the absolute CLOCK_MONOTONIC
 * time @abs_ns at most.  Returns 0, -ETIMEDOUT, or -errno.
 */
RTLAB_API int rtlab_mutex_timedlock(struct rtlab_mutex *m, uint64_t abs_ns);

/** rtlab_mutex_unlock - unlock; returns 0 or -errno (-EPERM: not the owner). */
RTLAB_API int rtlab_mutex_unlock(struct rtlab_mutex *m);

/** rtlab_mutex_stats - snapshot of the statistics (any thread). */
RTLAB_API void rtlab_mutex_stats(const struct rtlab_mutex *m, struct rtlab_mutex_stats *ret);

/** rtlab_mutex_protocol - the protocol @m was created with. */
RTLAB_API enum rtlab_mutex_protocol rtlab_mutex_protocol(const struct rtlab_mutex *m);

#endif /* RTLAB_MUTEX_H */
