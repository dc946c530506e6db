/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * System facts that matter for real-time latency, read from /proc and /sys
 * (below the context's root, so fixture trees can stand in for a machine),
 * and the cpu_dma_latency hold.
 *
 * A fact that cannot be read is marked unknown (its *_known flag is false,
 * or the string is empty); it is never made up.
 */
#ifndef RTLAB_SYSINFO_H
#define RTLAB_SYSINFO_H

#include <rtlab/core.h>

enum rtlab_preempt_model {
	RTLAB_PREEMPT_UNKNOWN,
	RTLAB_PREEMPT_NONE,		/* server */
	RTLAB_PREEMPT_VOLUNTARY,	/* desktop */
	RTLAB_PREEMPT_FULL,		/* low-latency desktop */
	RTLAB_PREEMPT_LAZY,
	RTLAB_PREEMPT_RT,		/* fully preemptible (PREEMPT_RT) */
	_RTLAB_PREEMPT_MAX,
};

struct rtlab_sysinfo {
	char sysname[65], nodename[65], release[65], version[65], machine[65];	/* uname */
	bool preempt_rt;		/* /sys/kernel/realtime = 1, or PREEMPT_RT in uname -v */
	bool preempt_dynamic;		/* PREEMPT_DYNAMIC in uname -v */
	enum rtlab_preempt_model preempt;	/* current model */
	char preempt_source[64];	/* from: "debugfs", "cmdline", "config", "uname"... */
	bool rt_throttle_known;
	int64_t rt_runtime_us;		/* /proc/sys/kernel/sched_rt_runtime_us (-1: no throttling) */
	int64_t rt_period_us;		/* /proc/sys/kernel/sched_rt_period_us */
	cpu_set_t online;		/* /sys/devices/system/cpu/online */
	int nr_online;
	cpu_set_t isolated;		/* /sys/devices/system/cpu/isolated */
	cpu_set_t nohz_full;		/* /sys/devices/system/cpu/nohz_full */
	char cmdline[4096];		/* /proc/cmdline */
	char clocksource[32];		/* current_clocksource */
	char cpu_model[128];		/* /proc/cpuinfo "model name" */
	int hz;				/* CONFIG_HZ when known from /boot/config-*, else 0 */
	bool isolated_known;		/* isolated read (or isolcpus= without that file) */
	bool nohz_full_known;		/* nohz_full read (absent: no CONFIG_NO_HZ_FULL) */
	bool rcu_nocbs_known;		/* /proc/cmdline read */
	cpu_set_t rcu_nocbs;		/* rcu_nocbs= of the cmdline ("all": online CPUs) */
	bool hypervisor;		/* "hypervisor" CPU flag in /proc/cpuinfo (x86 guests) */
};

/** rtlab_preempt_model_name - "none", "voluntary", "full", "lazy", "rt", "unknown". */
RTLAB_API const char *rtlab_preempt_model_name(enum rtlab_preempt_model model);

/**
 * rtlab_sysinfo_read - gather the facts into @ret.  Missing files leave the
 * fact unknown (logged at debug level); returns 0, or -errno only when
 * nothing at all could be read.
 */
RTLAB_API int rtlab_sysinfo_read(struct rtlab_ctx *ctx, struct rtlab_sysinfo *ret);

/**
 * rtlab_cmdline_param - find kernel parameter @name in @cmdline and copy its
 * value (possibly empty) into @buf.  Returns 1 when present, 0 when absent,
 * -ENOSPC when the value does not fit.
 */
RTLAB_API int rtlab_cmdline_param(const char *cmdline, const char *name, char *buf, size_t size);

/**
 * rtlab_steal_read - CPU steal time (time the hypervisor ran something else
 * while a vCPU wanted to run), from /proc/stat, in ns: the sum over the CPUs
 * of @cpus (NULL: the "cpu" total line).  Returns 0 or -errno.
 */
RTLAB_API int rtlab_steal_read(struct rtlab_ctx *ctx, const cpu_set_t *cpus, uint64_t *ret_ns);

/**
 * rtlab_steal_parse - the same on a /proc/stat buffer; @user_hz is the tick
 * rate of its counters (sysconf(_SC_CLK_TCK)).  Returns 0, -ENOENT (a CPU of
 * @cpus has no line), -EINVAL (malformed line).
 */
RTLAB_API int rtlab_steal_parse(const char *buf, size_t len, const cpu_set_t *cpus, long user_hz,
				uint64_t *ret_ns);

struct rtlab_dma_latency;

/**
 * rtlab_dma_latency_hold - open /dev/cpu_dma_latency, write @us (0: the
 * shallowest C-state only) and keep the fd: the PM QoS request lasts until
 * rtlab_dma_latency_release() (or process exit, when the kernel drops it).
 * Returns NULL with errno set (logged; -EACCES names the privilege).
 */
RTLAB_API struct rtlab_dma_latency *rtlab_dma_latency_hold(struct rtlab_ctx *ctx, int32_t us);

/** rtlab_dma_latency_release - close the request; NULL is fine; returns NULL. */
RTLAB_API struct rtlab_dma_latency *rtlab_dma_latency_release(struct rtlab_dma_latency *h);

/** rtlab_dma_latency_value - the value held. */
RTLAB_API int32_t rtlab_dma_latency_value(const struct rtlab_dma_latency *h);

#endif /* RTLAB_SYSINFO_H */
