/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rt-sched.c - scheduling policy, priority and SCHED_DEADLINE parameters, CPU affinity. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rt-internal.h"

#ifndef SCHED_BATCH
#define SCHED_BATCH 3
#endif
#ifndef SCHED_IDLE
#define SCHED_IDLE 5
#endif
#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE 6
#endif
#define RT_SCHED_FLAG_RESET_ON_FORK 0x01

/* The kernel's struct sched_attr (VER0 layout, 48 bytes), under our own name. */
struct rt_sched_attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
};

#define RT_SCHED_ATTR_SIZE_VER0 48
#define RT_DL_MIN_RUNTIME_NS 1024ULL

struct policy_info {
	const char *name;
	int kernel;
};

static const struct policy_info policies[_RTLAB_POLICY_MAX] = {
	[RTLAB_POLICY_OTHER] = { "other", SCHED_OTHER },
	[RTLAB_POLICY_BATCH] = { "batch", SCHED_BATCH },
	[RTLAB_POLICY_IDLE] = { "idle", SCHED_IDLE },
	[RTLAB_POLICY_FIFO] = { "fifo", SCHED_FIFO },
	[RTLAB_POLICY_RR] = { "rr", SCHED_RR },
	[RTLAB_POLICY_DEADLINE] = { "deadline", SCHED_DEADLINE },
};

/* rtlab_policy_name - name of a policy. */
const char *rtlab_policy_name(enum rtlab_policy policy)
{
	if ((unsigned int)policy >= _RTLAB_POLICY_MAX)
		return NULL;
	return policies[policy].name;
}

/* rtlab_policy_from_name - parse a policy name. */
int rtlab_policy_from_name(const char *name, enum rtlab_policy *ret)
{
	if (!name)
		return -EINVAL;
	if (strcasecmp(name, "normal") == 0) {
		*ret = RTLAB_POLICY_OTHER;
		return 0;
	}
	for (int i = 0; i < _RTLAB_POLICY_MAX; i++)
		if (strcasecmp(name, policies[i].name) == 0) {
			*ret = (enum rtlab_policy)i;
			return 0;
		}
	return -EINVAL;
}

/* rtlab_policy_is_rt - a real-time class. */
bool rtlab_policy_is_rt(enum rtlab_policy policy)
{
	return policy == RTLAB_POLICY_FIFO || policy == RTLAB_POLICY_RR ||
	       policy == RTLAB_POLICY_DEADLINE;
}

/* validate_deadline - 1024 ns <= runtime <= deadline <= period. */
static int validate_deadline(struct rtlab_ctx *ctx, const struct rtlab_sched_attr *a)
{
	uint64_t deadline = a->deadline_ns ? a->deadline_ns : a->period_ns;

	if (a->period_ns == 0)
		return rtlab_err(ctx, -EINVAL, "deadline: period must be > 0");
	if (a->runtime_ns < RT_DL_MIN_RUNTIME_NS)
		return rtlab_err(ctx, -EINVAL, "deadline: runtime %llu ns is below the kernel's "
				 "minimum of %llu ns", (unsigned long long)a->runtime_ns,
				 RT_DL_MIN_RUNTIME_NS);
	if (a->runtime_ns > deadline)
		return rtlab_err(ctx, -EINVAL, "deadline: runtime %llu ns > deadline %llu ns "
				 "(need runtime <= deadline <= period)",
				 (unsigned long long)a->runtime_ns, (unsigned long long)deadline);
	if (deadline > a->period_ns)
		return rtlab_err(ctx, -EINVAL, "deadline: deadline %llu ns > period %llu ns "
				 "(need runtime <= deadline <= period)",
				 (unsigned long long)deadline, (unsigned long long)a->period_ns);
	if (a->period_ns >> 63 || deadline >> 63)
		return rtlab_err(ctx, -EINVAL, "deadline: period too large");
	if (a->priority != 0)
		return rtlab_err(ctx, -EINVAL, "priority %d: SCHED_DEADLINE has no priority "
				 "(use 0)", a->priority);
	return 0;
}

/* rtlab_sched_validate - check @a, naming the bad field. */
int rtlab_sched_validate(struct rtlab_ctx *ctx, const struct rtlab_sched_attr *a)
{
	switch (a->policy) {
	case RTLAB_POLICY_FIFO:
	case RTLAB_POLICY_RR:
		if (a->priority < 1 || a->priority > 99)
			return rtlab_err(ctx, -EINVAL, "priority %d is out of range for SCHED_%s "
					 "(1..99)", a->priority, a->policy == RTLAB_POLICY_FIFO ?
					 "FIFO" : "RR");
		return 0;
	case RTLAB_POLICY_OTHER:
	case RTLAB_POLICY_BATCH:
	case RTLAB_POLICY_IDLE:
		if (a->priority != 0)
			return rtlab_err(ctx, -EINVAL, "priority %d: policy %s takes priority 0",
					 a->priority, rtlab_policy_name(a->policy));
		if (a->nice < -20 || a->nice > 19)
			return rtlab_err(ctx, -EINVAL, "nice %d is out of range (-20..19)", a->nice);
		return 0;
	case RTLAB_POLICY_DEADLINE:
		return validate_deadline(ctx, a);
	default:
		return rtlab_err(ctx, -EINVAL, "policy %d is not a scheduling policy", a->policy);
	}
}

/* rt_gettid - kernel thread id. */
pid_t rt_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* rt_perm_error - explain a refusal. */
int rt_perm_error(const struct rtlab_ctx *ctx, int r, enum rtlab_cap cap, const char *what)
{
	if (rtlab_cap_have(cap) == 1)
		return rtlab_err(ctx, r, "cannot %s: %s (%s is present, so something else "
				 "refused: a cgroup without RT runtime, a seccomp or LSM policy?)",
				 what, strerror(-r), rtlab_cap_name(cap));
	return rtlab_err(ctx, r, "cannot %s: missing %s; %s", what, rtlab_cap_name(cap),
			 rtlab_cap_grant_hint(cap));
}

/* describe - "SCHED_FIFO priority 80" into @buf. */
static const char *describe(const struct rtlab_sched_attr *a, char *buf, size_t size)
{
	if (a->policy == RTLAB_POLICY_DEADLINE)
		snprintf(buf, size, "set SCHED_DEADLINE runtime %llu ns period %llu ns",
			 (unsigned long long)a->runtime_ns, (unsigned long long)a->period_ns);
	else if (rtlab_policy_is_rt(a->policy))
		snprintf(buf, size, "set SCHED_%s priority %d",
			 a->policy == RTLAB_POLICY_FIFO ? "FIFO" : "RR", a->priority);
	else
		snprintf(buf, size, "set policy %s nice %d", rtlab_policy_name(a->policy), a->nice);
	return buf;
}

/* set_error - turn a sched_setattr errno into a message. */
static int set_error(struct rtlab_ctx *ctx, pid_t tid, const struct rtlab_sched_attr *a, int r)
{
	char what[96];

	describe(a, what, sizeof(what));
	if (r == -EBUSY && a->policy == RTLAB_POLICY_DEADLINE)
		return rtlab_err(ctx, r, "cannot %s: SCHED_DEADLINE admission control refused the "
				 "bandwidth (the sum of runtime/period on these CPUs would exceed "
				 "sched_rt_runtime_us/sched_rt_period_us)", what);
	if (r == -EPERM && a->policy == RTLAB_POLICY_DEADLINE &&
	    rtlab_cap_have(RTLAB_CAP_SYS_NICE) == 1)
		return rtlab_err(ctx, r, "cannot %s: refused although CAP_SYS_NICE is present; a "
				 "SCHED_DEADLINE thread must be allowed on every CPU of its root "
				 "domain (no restricted affinity)", what);
	if (r == -EPERM)
		return rt_perm_error(ctx, r, RTLAB_CAP_SYS_NICE, what);
	if (r == -ESRCH)
		return rtlab_err(ctx, r, "cannot %s: no thread %d", what, (int)tid);
	return rtlab_err(ctx, r, "cannot %s: %s", what, strerror(-r));
}

/* rtlab_sched_set - apply @a to @tid with sched_setattr(2). */
int rtlab_sched_set(struct rtlab_ctx *ctx, pid_t tid, const struct rtlab_sched_attr *a)
{
	struct rt_sched_attr ka = { .size = RT_SCHED_ATTR_SIZE_VER0 };
	int r;

	r = rtlab_sched_validate(ctx, a);
	if (r < 0)
		return r;
	ka.sched_policy = (uint32_t)policies[a->policy].kernel;
	ka.sched_flags = a->reset_on_fork ? RT_SCHED_FLAG_RESET_ON_FORK : 0;
	if (rtlab_policy_is_rt(a->policy))
		ka.sched_priority = (uint32_t)a->priority;
	else
		ka.sched_nice = a->nice;
	if (a->policy == RTLAB_POLICY_DEADLINE) {
		ka.sched_runtime = a->runtime_ns;
		ka.sched_deadline = a->deadline_ns ? a->deadline_ns : a->period_ns;
		ka.sched_period = a->period_ns;
	}
	if (syscall(SYS_sched_setattr, tid, &ka, 0) < 0)
		return set_error(ctx, tid, a, -errno);
	return 0;
}

/* from_kernel - map a kernel policy number back to ours. */
static int from_kernel(uint32_t kpolicy, enum rtlab_policy *ret)
{
	for (int i = 0; i < _RTLAB_POLICY_MAX; i++)
		if ((uint32_t)policies[i].kernel == kpolicy) {
			*ret = (enum rtlab_policy)i;
			return 0;
		}
	return -EINVAL;
}

/* rtlab_sched_get - sched_getattr(2) of @tid. */
int rtlab_sched_get(struct rtlab_ctx *ctx, pid_t tid, struct rtlab_sched_attr *ret)
{
	struct rt_sched_attr ka = { 0 };
	struct rtlab_sched_attr a = { 0 };
	int r;

	if (syscall(SYS_sched_getattr, tid, &ka, sizeof(ka), 0) < 0) {
		r = -errno;
		return rtlab_err(ctx, r, "cannot read the scheduling attributes of thread %d: %s",
				 (int)tid, strerror(-r));
	}
	r = from_kernel(ka.sched_policy, &a.policy);
	if (r < 0)
		return rtlab_err(ctx, r, "thread %d has unknown policy %u", (int)tid,
				 ka.sched_policy);
	a.priority = (int)ka.sched_priority;
	a.nice = ka.sched_nice;
	a.runtime_ns = ka.sched_runtime;
	a.deadline_ns = ka.sched_deadline;
	a.period_ns = ka.sched_period;
	a.reset_on_fork = ka.sched_flags & RT_SCHED_FLAG_RESET_ON_FORK;
	*ret = a;
	return 0;
}

/* check_online - every CPU of @cpus is online. */
static int check_online(struct rtlab_ctx *ctx, const cpu_set_t *cpus)
{
	cpu_set_t online;
	int r;

	if (CPU_COUNT(cpus) == 0)
		return rtlab_err(ctx, -EINVAL, "affinity: the CPU list is empty");
	r = rtlab_cpus_online(ctx, &online);
	if (r < 0)
		return r;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, cpus) && !CPU_ISSET(c, &online)) {
			char list[256];

			rtlab_cpulist_format(&online, list, sizeof(list));
			return rtlab_err(ctx, -EINVAL, "affinity: CPU %d is not online (online: %s)",
					 c, list);
		}
	return 0;
}

/* rtlab_affinity_set - pin @tid to @cpus after checking they are online. */
int rtlab_affinity_set(struct rtlab_ctx *ctx, pid_t tid, const cpu_set_t *cpus)
{
	int r = check_online(ctx, cpus);

	if (r < 0)
		return r;
	if (sched_setaffinity(tid, sizeof(*cpus), cpus) < 0) {
		r = -errno;
		if (r == -EPERM)
			return rt_perm_error(ctx, r, RTLAB_CAP_SYS_NICE, "set the CPU affinity");
		if (r == -EBUSY)
			return rtlab_err(ctx, r, "cannot set the CPU affinity of thread %d: it is "
					 "SCHED_DEADLINE (its affinity must span its root domain)",
					 (int)tid);
		return rtlab_err(ctx, r, "cannot set the CPU affinity of thread %d: %s", (int)tid,
				 strerror(-r));
	}
	return 0;
}

/* rtlab_affinity_get - current affinity of @tid. */
int rtlab_affinity_get(struct rtlab_ctx *ctx, pid_t tid, cpu_set_t *ret)
{
	int r;

	CPU_ZERO(ret);
	if (sched_getaffinity(tid, sizeof(*ret), ret) < 0) {
		r = -errno;
		return rtlab_err(ctx, r, "cannot read the CPU affinity of thread %d: %s", (int)tid,
				 strerror(-r));
	}
	return 0;
}
