/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe.h - the system probe: "if the kernel knows it, the probe can collect it".
 *
 * A probe (struct rtlab_probe) holds what collecting needs: the file-system
 * root, open file descriptors re-read with pread, buffers, library handles.
 * The results go into a caller-owned struct rtlab_probe_data, which also
 * keeps the previous readings that rates and percentages are made from, so
 * two consumers (a scrape and a recorder) each get their own deltas.
 *
 *	struct rtlab_probe *p;
 *	struct rtlab_probe_data *d = rtlab_probe_data_new();
 *	rtlab_probe_new(ctx, NULL, &p);
 *	rtlab_probe_collect(p, RTLAB_PROBE_DEFAULT, d);	// then read d->mem, d->cpu, ...
 *
 * Each family has a time to live: a family collected less than its TTL ago is
 * not collected again (a cache hit).  Fast families have TTL 0 by default
 * (fresh on every call), slow ones (interrupts, netstat, mount points, ...)
 * 5 s.  In steady state a collection makes no heap allocation.
 *
 * A probe is not thread-safe: callers that share one serialize collect().
 */
#ifndef RTLAB_PROBE_H
#define RTLAB_PROBE_H

#include <rtlab/core.h>
#include <rtlab/probe-types.h>

/* The families, one collector each.  Their data is in the headers below. */
enum rtlab_probe_family {
	RTLAB_PF_CPU,		/* /proc/stat, topology, cpufreq, throttling, boost */
	RTLAB_PF_CPUIDLE,	/* C-states: names, latencies, usage and time (slow) */
	RTLAB_PF_LOAD,		/* /proc/loadavg */
	RTLAB_PF_PSI,		/* /proc/pressure/{cpu,memory,io} */
	RTLAB_PF_MEM,		/* /proc/meminfo (incl. swap) */
	RTLAB_PF_VMSTAT,	/* /proc/vmstat (slow) */
	RTLAB_PF_NUMA,		/* /sys/devices/system/node/node* meminfo */
	RTLAB_PF_INTERRUPTS,	/* /proc/interrupts, /proc/softirqs (slow) */
	RTLAB_PF_DISK,		/* /proc/diskstats with rates, /sys/block queue */
	RTLAB_PF_FS,		/* mountinfo + statvfs (slow; network FS off the hot path) */
	RTLAB_PF_RAID,		/* md (mdstat), device-mapper/LVM, btrfs, zfs (slow) */
	RTLAB_PF_NET,		/* interfaces: netlink, /proc/net/dev, /sys/class/net */
	RTLAB_PF_NETSTAT,	/* snmp, netstat, sockstat, conntrack (slow) */
	RTLAB_PF_ROUTE,		/* routes, ARP (slow) */
	RTLAB_PF_SOCKETS,	/* socket counts per protocol and TCP state (slow) */
	RTLAB_PF_PROCS,		/* process and thread counts by state (slow, not default) */
	RTLAB_PF_THERMAL,	/* thermal zones, hwmon sensors */
	RTLAB_PF_POWER,		/* RAPL powercap, batteries, AC */
	RTLAB_PF_GPU,		/* NVIDIA (NVML, dlopen), amdgpu, i915/xe */
	RTLAB_PF_QUOTA,		/* cgroup v1/v2 limits, rlimits, effective CPUs/memory */
	RTLAB_PF_RUNTIME,	/* container runtime and orchestrator (slow) */
	RTLAB_PF_CLOUD,		/* cloud vendor from DMI and environment (slow) */
	RTLAB_PF__COUNT,
};

#define RTLAB_PF_BIT(f) (UINT64_C(1) << (f))
#define RTLAB_PROBE_ALL ((UINT64_C(1) << RTLAB_PF__COUNT) - 1)
/* What collect_all collects: everything but the process walk. */
#define RTLAB_PROBE_DEFAULT (RTLAB_PROBE_ALL & ~RTLAB_PF_BIT(RTLAB_PF_PROCS))

#include <rtlab/probe-cpu.h>
#include <rtlab/probe-mem.h>
#include <rtlab/probe-disk.h>
#include <rtlab/probe-net.h>
#include <rtlab/probe-proc.h>
#include <rtlab/probe-hw.h>
#include <rtlab/probe-env.h>

struct rtlab_probe;

struct rtlab_probe_opts {
	const char *root;		/* read /proc, /sys, /etc, /run below it; NULL: the context's */
	uint64_t ttl_fast_ns;		/* TTL of fast families (default 0: every call) */
	uint64_t ttl_slow_ns;		/* TTL of slow families (default 5 s) */
	uint64_t statvfs_timeout_ns;	/* network file systems (default 200 ms) */
	const char *nvml_path;		/* default "libnvidia-ml.so.1" */
	bool environment;		/* processes: read environ too (off by default) */
};

/* What one collection brought; a field's own state says whether it is usable. */
struct rtlab_probe_data {
	uint64_t t_ns[RTLAB_PF__COUNT];		/* CLOCK_MONOTONIC of the last collection, 0 = never */
	int err[RTLAB_PF__COUNT];		/* 0 or the -errno that made the family fail */
	char why[RTLAB_PF__COUNT][160];		/* "" or the first problem seen, with file:line */

	struct rtlab_probe_cpu cpu;
	struct rtlab_probe_cpuidle cpuidle;
	struct rtlab_probe_load load;
	struct rtlab_probe_psi psi;
	struct rtlab_probe_mem mem;
	struct rtlab_probe_vmstat vmstat;
	struct rtlab_probe_numa numa;
	struct rtlab_probe_interrupts interrupts;
	struct rtlab_probe_disk disk;
	struct rtlab_probe_fs fs;
	struct rtlab_probe_raid raid;
	struct rtlab_probe_net net;
	struct rtlab_probe_netstat netstat;
	struct rtlab_probe_route route;
	struct rtlab_probe_sockets sockets;
	struct rtlab_probe_procs procs;
	struct rtlab_probe_thermal thermal;
	struct rtlab_probe_power power;
	struct rtlab_probe_gpu gpu;
	struct rtlab_probe_quota quota;
	struct rtlab_probe_runtime runtime;
	struct rtlab_probe_cloud cloud;
};

/* rtlab_probe_new - a probe; @opts may be NULL for the defaults.  Opens nothing yet. */
RTLAB_API int rtlab_probe_new(struct rtlab_ctx *ctx, const struct rtlab_probe_opts *opts,
			      struct rtlab_probe **ret);

/* rtlab_probe_free - close everything the probe opened.  Returns NULL. */
RTLAB_API struct rtlab_probe *rtlab_probe_free(struct rtlab_probe *p);

/* rtlab_probe_data_new - zeroed data (every family "never collected"), or NULL. */
RTLAB_API struct rtlab_probe_data *rtlab_probe_data_new(void);

/* rtlab_probe_data_free - free @d and the arrays the families grew in it.  Returns NULL. */
RTLAB_API struct rtlab_probe_data *rtlab_probe_data_free(struct rtlab_probe_data *d);

/*
 * rtlab_probe_collect - collect @families (RTLAB_PF_BIT mask) into @d, each
 * unless its TTL has not run out.  A family that fails sets d->err[f] and
 * d->why[f] and marks its fields; the others go on.  Returns 0, or -ENOMEM.
 */
RTLAB_API int rtlab_probe_collect(struct rtlab_probe *p, uint64_t families,
				  struct rtlab_probe_data *d);

/* rtlab_probe_collect_all - rtlab_probe_collect() of RTLAB_PROBE_DEFAULT. */
RTLAB_API int rtlab_probe_collect_all(struct rtlab_probe *p, struct rtlab_probe_data *d);

/* rtlab_probe_family_name - "cpu", "mem", ...; NULL if out of range. */
RTLAB_API const char *rtlab_probe_family_name(enum rtlab_probe_family f);

/* rtlab_probe_family_is_slow - true for families on the slow TTL. */
RTLAB_API bool rtlab_probe_family_is_slow(enum rtlab_probe_family f);

/*
 * rtlab_probe_families_parse - "cpu,mem,psi", "all" or "default" into a mask.
 * On an unknown name returns -EINVAL with *bad_pos at its offset in @s.
 */
RTLAB_API int rtlab_probe_families_parse(const char *s, uint64_t *ret, size_t *bad_pos);

/* --- Metrics: the families' data as named samples, for every exporter. --- */

enum rtlab_metric_type {
	RTLAB_METRIC_GAUGE,
	RTLAB_METRIC_COUNTER,	/* the name ends in _total */
};

/* One metric: a Prometheus name in base units (node_exporter's where the metric is the same). */
struct rtlab_metric {
	const char *name;
	const char *help;
	enum rtlab_metric_type type;
};

/* Labels (and their strings) are valid during the sample() call only: sinks copy them. */
struct rtlab_label {
	const char *name;
	const char *value;	/* from the system: exporters escape it */
};

enum rtlab_mval_kind {
	RTLAB_MV_U64,
	RTLAB_MV_I64,
	RTLAB_MV_F64,
};

/* A sample's value; .st != RTLAB_PV_OK means unavailable (Prometheus output skips it). */
struct rtlab_mval {
	uint8_t kind;		/* enum rtlab_mval_kind */
	uint8_t st;		/* enum rtlab_pv_state */
	union {
		uint64_t u;
		int64_t i;
		double f;
	};
};

/*
 * The receiver of rtlab_probe_emit().  Samples of one metric name come one
 * after the other; family() is called before each family's samples.  A
 * non-zero return stops the walk and is returned by rtlab_probe_emit().
 */
struct rtlab_probe_sink {
	void *arg;
	int (*family)(void *arg, enum rtlab_probe_family f, const struct rtlab_probe_data *d);
	int (*sample)(void *arg, const struct rtlab_metric *m, const struct rtlab_label *labels,
		      size_t nlabels, const struct rtlab_mval *v);
};

/* rtlab_probe_emit - walk the collected (t_ns != 0) families in @families, in order. */
RTLAB_API int rtlab_probe_emit(const struct rtlab_probe_data *d, uint64_t families,
			       const struct rtlab_probe_sink *sink);

#endif /* RTLAB_PROBE_H */
