/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Scheduling attributes, CPU affinity, memory locking and capabilities.
 *
 * Every setter validates first and names the bad field:
 * - FIFO/RR priority must be 1..99 (0 is rejected, not silently "other");
 * - OTHER/BATCH/IDLE priority must be 0, nice -20..19;
 * - DEADLINE needs 1024 ns <= runtime <= deadline <= period (deadline 0 means
 *   = period), as the kernel does;
 * - every CPU of an affinity set must be online.
 * Invalid input returns -EINVAL.  A refusal by the kernel for lack of
 * privilege returns -EPERM with a message naming the missing capability
 * (checked with libcap) and how to grant it; -EBUSY from SCHED_DEADLINE
 * admission control is reported as such.
 */
#ifndef RTLAB_SCHED_H
#define RTLAB_SCHED_H

#include <sys/types.h>

#include <rtlab/core.h>

enum rtlab_policy {
	RTLAB_POLICY_OTHER,
	RTLAB_POLICY_BATCH,
	RTLAB_POLICY_IDLE,
	RTLAB_POLICY_FIFO,
	RTLAB_POLICY_RR,
	RTLAB_POLICY_DEADLINE,
	_RTLAB_POLICY_MAX,
};

struct rtlab_sched_attr {
	enum rtlab_policy policy;
	int priority;		/* 1..99 for FIFO/RR, 0 otherwise */
	int nice;		/* -20..19 for OTHER/BATCH, ignored otherwise */
	uint64_t runtime_ns;	/* DEADLINE only */
	uint64_t deadline_ns;	/* DEADLINE only; 0 = period_ns */
	uint64_t period_ns;	/* DEADLINE only */
	bool reset_on_fork;	/* children start as SCHED_OTHER */
};

/** rtlab_policy_name - "other", "batch", "idle", "fifo", "rr", "deadline", or NULL. */
RTLAB_API const char *rtlab_policy_name(enum rtlab_policy policy);

/**
 * rtlab_policy_from_name - parse a policy name (case-insensitive; "normal" is
 * "other").  Returns 0 or -EINVAL.
 */
RTLAB_API int rtlab_policy_from_name(const char *name, enum rtlab_policy *ret);

/** rtlab_policy_is_rt - FIFO, RR or DEADLINE. */
RTLAB_API bool rtlab_policy_is_rt(enum rtlab_policy policy);

/**
 * rtlab_sched_validate - check @attr without applying it.
 * Returns 0 or -EINVAL, logging which field is wrong and why.
 */
RTLAB_API int rtlab_sched_validate(struct rtlab_ctx *ctx, const struct rtlab_sched_attr *attr);

/**
 * rtlab_sched_set - apply @attr to thread @tid (0: the calling thread) with
 * sched_setattr(2).  Returns 0, -EINVAL, -EPERM (capability named), -EBUSY
 * (DEADLINE admission refused), -ESRCH, or another -errno.
 */
RTLAB_API int rtlab_sched_set(struct rtlab_ctx *ctx, pid_t tid, const struct rtlab_sched_attr *attr);

/** rtlab_sched_get - read the attributes of @tid (0: the calling thread). */
RTLAB_API int rtlab_sched_get(struct rtlab_ctx *ctx, pid_t tid, struct rtlab_sched_attr *ret);

/**
 * rtlab_affinity_set - pin @tid (0: the calling thread) to @cpus.
 * Returns 0, -EINVAL (empty set, or a CPU that is not online: named),
 * -EPERM, -ESRCH.
 */
RTLAB_API int rtlab_affinity_set(struct rtlab_ctx *ctx, pid_t tid, const cpu_set_t *cpus);

/** rtlab_affinity_get - the affinity of @tid (0: the calling thread). */
RTLAB_API int rtlab_affinity_get(struct rtlab_ctx *ctx, pid_t tid, cpu_set_t *ret);

enum rtlab_mlock_flags {
	RTLAB_MLOCK_CURRENT = 1 << 0,	/* MCL_CURRENT */
	RTLAB_MLOCK_FUTURE = 1 << 1,	/* MCL_FUTURE */
	RTLAB_MLOCK_ONFAULT = 1 << 2,	/* MCL_ONFAULT: lock pages as they are touched */
};

/**
 * rtlab_mem_lock - mlockall() with @flags (RTLAB_MLOCK_*).
 * Under AddressSanitizer, MCL_FUTURE would lock its terabytes of shadow
 * mappings: a library built with ASan adds MCL_ONFAULT by itself.
 * Returns 0, -EPERM/-ENOMEM (CAP_IPC_LOCK or RLIMIT_MEMLOCK named).
 */
RTLAB_API int rtlab_mem_lock(struct rtlab_ctx *ctx, unsigned int flags);

/** rtlab_mem_unlock - munlockall(). */
RTLAB_API int rtlab_mem_unlock(struct rtlab_ctx *ctx);

/**
 * rtlab_stack_prefault - touch @bytes of the calling thread's stack so that
 * later use does not page-fault (after rtlab_mem_lock()).  Hot-path setup
 * helper; @bytes is capped at 8 MiB.
 */
RTLAB_API void rtlab_stack_prefault(size_t bytes);

enum rtlab_cap {
	RTLAB_CAP_SYS_NICE,
	RTLAB_CAP_IPC_LOCK,
	RTLAB_CAP_SYS_PTRACE,
	RTLAB_CAP_PERFMON,
	RTLAB_CAP_BPF,
	RTLAB_CAP_SYS_ADMIN,
	RTLAB_CAP_SYS_RESOURCE,
	_RTLAB_CAP_MAX,
};

/** rtlab_cap_name - "CAP_SYS_NICE", ... */
RTLAB_API const char *rtlab_cap_name(enum rtlab_cap cap);

/**
 * rtlab_cap_have - whether the calling process has @cap in its effective set
 * (libcap).  Returns 1, 0, or -errno when the capability is unknown to the
 * running kernel/libcap (e.g. CAP_PERFMON on old kernels).
 */
RTLAB_API int rtlab_cap_have(enum rtlab_cap cap);

/** rtlab_cap_grant_hint - one line telling how to grant @cap ("run as root or ..."). */
RTLAB_API const char *rtlab_cap_grant_hint(enum rtlab_cap cap);

#endif /* RTLAB_SCHED_H */
