/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe-env.h - where the process runs: its cgroup limits and usage, its
 * rlimits, the container runtime, orchestrator and hypervisor around it, and
 * the cloud it is hosted in (from DMI and the environment, never the network).
 *
 * Strings come from the system and are untrusted: they are stored as bytes,
 * truncated to their array and NUL-terminated; exporters escape them.
 */
#ifndef RTLAB_PROBE_ENV_H
#define RTLAB_PROBE_ENV_H

#include <rtlab/probe-types.h>

/*
 * A limit: a number, or no limit at all.  "No limit" is "max" in cgroup v2,
 * -1 (cpu.cfs_quota_us) or the page-counter maximum (memory.limit_in_bytes,
 * 9223372036854771712 with 4 KiB pages: any value >= 2^62 is taken as that) in
 * cgroup v1, and RLIM_INFINITY ("unlimited") for rlimits.  When .unlimited is
 * true, .v is UINT64_MAX and is not a number to compute with.
 */
struct rtlab_probe_limit {
	uint64_t v;
	uint8_t st;
	bool unlimited;
};

/* The same for a limit counted in fractions (CPU cores). */
struct rtlab_probe_flimit {
	double v;
	uint8_t st;
	bool unlimited;
};

/* --- RTLAB_PF_QUOTA: the process's cgroup, rlimits and effective resources (fast) --- */

/* How the cgroup controllers are mounted. */
enum rtlab_cgroup_mode {
	RTLAB_CGROUP_NONE = 0,	/* no cgroup file system found */
	RTLAB_CGROUP_V1,	/* legacy: one hierarchy per controller */
	RTLAB_CGROUP_V2,	/* unified hierarchy */
	RTLAB_CGROUP_HYBRID,	/* v1 controllers, plus a v2 hierarchy without them (systemd) */
};

/* The controllers the quota family reads; each may live in its own v1 hierarchy. */
enum rtlab_cgroup_ctrl {
	RTLAB_CGROUP_CPU,     /* v1 "cpu" */
	RTLAB_CGROUP_CPUACCT, /* v1 "cpuacct" (v2: part of cpu.stat) */
	RTLAB_CGROUP_CPUSET,
	RTLAB_CGROUP_MEMORY,
	RTLAB_CGROUP_PIDS,
	RTLAB_CGROUP_IO,      /* v1 "blkio", v2 "io" */
	RTLAB_CGROUP_UNIFIED, /* the v2 hierarchy itself (PSI files; cpu.stat in hybrid mode) */
	RTLAB_CGROUP__COUNT,
};

#define RTLAB_CGROUP_PATH_LEN 256

/* One block device's cgroup I/O limits and usage. */
struct rtlab_probe_cgroup_io {
	uint32_t major, minor;
	/* io.max (v2), blkio.throttle.{read,write}_{bps,iops}_device (v1) */
	struct rtlab_probe_limit rbps, wbps;	/* bytes per second */
	struct rtlab_probe_limit riops, wiops;	/* I/Os per second */
	/* io.stat (v2), blkio.throttle.io_service_bytes / io_serviced (v1) */
	struct rtlab_pu64 rbytes, wbytes, dbytes;	/* bytes read, written, discarded */
	struct rtlab_pu64 rios, wios, dios;		/* I/Os */
};

/*
 * Key fields of memory.stat.  v2 names; in v1 the hierarchical "total_" keys
 * are read: anon = total_rss, file = total_cache, file_mapped =
 * total_mapped_file, file_dirty = total_dirty, file_writeback =
 * total_writeback, swap = total_swap (v1 only); kernel, kernel_stack, slab and
 * sock exist in v2 only.
 */
struct rtlab_probe_cgroup_memstat {
	struct rtlab_pu64 anon_bytes, file_bytes, kernel_bytes, kernel_stack_bytes, slab_bytes;
	struct rtlab_pu64 sock_bytes, shmem_bytes, file_mapped_bytes, file_dirty_bytes;
	struct rtlab_pu64 file_writeback_bytes, swap_bytes;
	struct rtlab_pu64 active_anon_bytes, inactive_anon_bytes;
	struct rtlab_pu64 active_file_bytes, inactive_file_bytes, unevictable_bytes;
	struct rtlab_pu64 pgfault, pgmajfault;	/* page faults (counters) */
};

/* The PSI resources of a cgroup's *.pressure files. */
enum rtlab_cgroup_psi {
	RTLAB_CGROUP_PSI_CPU,
	RTLAB_CGROUP_PSI_MEMORY,
	RTLAB_CGROUP_PSI_IO,
	RTLAB_CGROUP_PSI__COUNT,
};

/* Linux RLIMIT_* numbers 0..15 (RLIMIT_CPU .. RLIMIT_RTTIME). */
#define RTLAB_PROBE_NRLIMITS 16

/*
 * One rlimit in the resource's unit: seconds (cpu), microseconds (rttime),
 * bytes, or a count (nproc, nofile, locks, sigpending, nice, rtprio).
 */
struct rtlab_probe_rlimit {
	struct rtlab_probe_limit soft, hard;
};

struct rtlab_probe_quota {
	uint8_t mode;					/* enum rtlab_cgroup_mode */
	/* The process's cgroup: v2, the "0::" path; v1 and hybrid, the memory (else cpu) path. */
	char path[RTLAB_CGROUP_PATH_LEN];
	/* Each controller's directory as the system names it ("" if not found). */
	char dir[RTLAB_CGROUP__COUNT][RTLAB_CGROUP_PATH_LEN];

	/* CPU bandwidth: v2 cpu.max "quota period", v1 cpu.cfs_quota_us / cpu.cfs_period_us */
	struct rtlab_probe_limit cpu_quota_us;		/* per period */
	struct rtlab_pu64 cpu_period_us;
	/* quota / period, the smallest of this cgroup and its ancestors */
	struct rtlab_probe_flimit cpu_quota_cores;
	struct rtlab_pu64 cpu_weight;			/* v2 cpu.weight, 1..10000 */
	struct rtlab_pu64 cpu_shares;			/* v1 cpu.shares */
	/* v2 cpu.stat usage/user/system_usec; v1 cpuacct.usage and cpuacct.stat */
	struct rtlab_pu64 cpu_usage_ns, cpu_user_ns, cpu_system_ns;
	/* cpu.stat: periods, throttled periods and time, bursts */
	struct rtlab_pu64 cpu_nr_periods, cpu_nr_throttled, cpu_throttled_ns;
	struct rtlab_pu64 cpu_nr_bursts, cpu_burst_ns;

	/* v2 cpuset.{cpus,mems}.effective, v1 cpuset.effective_{cpus,mems} (truncated text) */
	char cpuset_cpus[256];
	char cpuset_mems[64];
	struct rtlab_pu64 cpuset_ncpus, cpuset_nmems;	/* counted from the whole list */

	/* Memory limits: v2 memory.max/high/low/min, v1 memory.limit_in_bytes,
	 * memory.soft_limit_in_bytes; swap: v2 memory.swap.max, v1
	 * memory.memsw.limit_in_bytes (memory + swap). */
	struct rtlab_probe_limit mem_max_bytes, mem_high_bytes, mem_low_bytes, mem_min_bytes;
	struct rtlab_probe_limit mem_soft_limit_bytes;	/* v1 only */
	struct rtlab_probe_limit swap_max_bytes;	/* v2 only */
	struct rtlab_probe_limit memsw_max_bytes;	/* v1 only */
	/* The smallest memory limit of this cgroup and its ancestors (v1:
	 * memory.stat hierarchical_memory_limit). */
	struct rtlab_probe_limit mem_max_hier_bytes;
	/* Usage: v2 memory.current/peak/swap.current, v1 usage_in_bytes,
	 * max_usage_in_bytes, memsw.usage_in_bytes, failcnt */
	struct rtlab_pu64 mem_current_bytes, mem_peak_bytes;
	struct rtlab_pu64 swap_current_bytes;		/* v2 only */
	struct rtlab_pu64 memsw_current_bytes;		/* v1 only */
	struct rtlab_pu64 mem_failcnt;			/* v1 only */
	/* current - inactive_file (what cAdvisor calls the working set) */
	struct rtlab_pu64 mem_working_set_bytes;
	/* v2 memory.events (counters); v1 memory.oom_control gives oom_kill only */
	struct rtlab_pu64 mem_events_low, mem_events_high, mem_events_max;
	struct rtlab_pu64 mem_events_oom, mem_events_oom_kill, mem_events_oom_group_kill;
	struct rtlab_pu64 mem_under_oom;		/* v1 oom_control: 1 while in OOM */
	struct rtlab_probe_cgroup_memstat mem_stat;

	/* pids.max, pids.current, pids.events "max" (forks refused) */
	struct rtlab_probe_limit pids_max;
	struct rtlab_pu64 pids_current, pids_events_max;

	/* Per device; io_st says whether the files could be read. */
	struct rtlab_probe_cgroup_io *io;
	size_t nio, io_cap;
	uint8_t io_st;

	/* *.pressure "some" and "full" total= (µs); v2, or the v2 hierarchy in hybrid mode */
	struct rtlab_pu64 psi_some_us[RTLAB_CGROUP_PSI__COUNT];
	struct rtlab_pu64 psi_full_us[RTLAB_CGROUP_PSI__COUNT];

	/* Effective resources, as container-aware runtimes compute them. */
	struct rtlab_pu64 cpus_online;		/* /sys/devices/system/cpu/online */
	struct rtlab_pu64 cpus_affinity;	/* sched_getaffinity(); absent below another root */
	/* min(affinity or online CPUs, cpuset CPUs, quota cores); the integer one
	 * rounds the quota up (as the JDK and Go do), at least 1 */
	struct rtlab_pf64 effective_cpus;
	struct rtlab_pu64 effective_cpus_int;
	struct rtlab_pu64 mem_total_bytes;	/* /proc/meminfo MemTotal, read when opened */
	/* min(MemTotal, the hierarchical memory limit) */
	struct rtlab_pu64 effective_mem_bytes;

	/* The process's rlimits by RLIMIT_* number: getrlimit() when the probe's
	 * root is "/", else <root>/proc/self/limits. */
	struct rtlab_probe_rlimit rlimit[RTLAB_PROBE_NRLIMITS];
};

/* rtlab_probe_rlimit_name - "cpu", "fsize", ..., "rttime" (prlimit(1)'s names), or NULL. */
RTLAB_API const char *rtlab_probe_rlimit_name(unsigned resource);

/* rtlab_cgroup_ctrl_name - "cpu", "cpuacct", "cpuset", "memory", "pids", "io", "unified". */
RTLAB_API const char *rtlab_cgroup_ctrl_name(enum rtlab_cgroup_ctrl c);

/* --- RTLAB_PF_RUNTIME: container runtime, orchestrator, hypervisor (slow) --- */

#define RTLAB_PROBE_EVIDENCE_LEN 256

/*
 * Each detection names its evidence, "file: what it said", signs joined by
 * "; ".  A name is "" when no sign was seen; its state is then RTLAB_PV_OK if
 * every source could be read, RTLAB_PV_DENIED if one could not (the answer
 * might be hidden there).
 */
struct rtlab_probe_runtime {
	/* "docker", "podman", "buildah", "containerd", "cri-o", "lxc", "lxd",
	 * "systemd-nspawn", "openvz", "kata", "gvisor", "wsl1", "wsl2", "wsl" (version
	 * unknown), "container" (an unknown container= value) */
	char container[24];
	uint8_t container_st;
	char container_id[80];		/* the id when visible (cgroup or mount paths) */
	char container_name[64];	/* podman: /run/.containerenv name= */
	char container_image[128];	/* podman: /run/.containerenv image= */
	char container_evidence[RTLAB_PROBE_EVIDENCE_LEN];

	/* "kubernetes", "openshift", "nomad" (Docker Swarm leaves no sign inside its
	 * tasks: no variable, file or cgroup of its own) */
	char orchestrator[16];
	uint8_t orchestrator_st;
	char ns[64]; /* kubernetes: service account namespace; nomad: NOMAD_NAMESPACE */
	char pod[64];			/* kubernetes: HOSTNAME; nomad: NOMAD_ALLOC_NAME */
	char job[64];			/* nomad: NOMAD_JOB_NAME */
	char orchestrator_evidence[RTLAB_PROBE_EVIDENCE_LEN];

	/* "kvm", "qemu", "vmware", "microsoft", "oracle", "xen", "bochs",
	 * "parallels", "bhyve", "amazon", "google", "firecracker",
	 * "cloud-hypervisor", "microvm", "vm" (a hypervisor, unknown) */
	char virt[24];
	uint8_t virt_st;
	char virt_evidence[RTLAB_PROBE_EVIDENCE_LEN];

	/* /proc/1/environ: RTLAB_PV_DENIED when pid 1 is not ours to read */
	uint8_t pid1_environ_st;
};

/* --- RTLAB_PF_CLOUD: cloud vendor from DMI and the environment (slow) --- */

/* /sys/class/dmi/id files, in the order of node_exporter's node_dmi_info labels. */
enum rtlab_dmi_field {
	RTLAB_DMI_BIOS_DATE,
	RTLAB_DMI_BIOS_RELEASE,
	RTLAB_DMI_BIOS_VENDOR,
	RTLAB_DMI_BIOS_VERSION,
	RTLAB_DMI_BOARD_ASSET_TAG,
	RTLAB_DMI_BOARD_NAME,
	RTLAB_DMI_BOARD_SERIAL,		/* root only */
	RTLAB_DMI_BOARD_VENDOR,
	RTLAB_DMI_BOARD_VERSION,
	RTLAB_DMI_CHASSIS_ASSET_TAG,
	RTLAB_DMI_CHASSIS_SERIAL,	/* root only */
	RTLAB_DMI_CHASSIS_VENDOR,
	RTLAB_DMI_CHASSIS_VERSION,
	RTLAB_DMI_PRODUCT_FAMILY,
	RTLAB_DMI_PRODUCT_NAME,
	RTLAB_DMI_PRODUCT_SERIAL,	/* root only */
	RTLAB_DMI_PRODUCT_SKU,
	RTLAB_DMI_PRODUCT_UUID,		/* root only */
	RTLAB_DMI_PRODUCT_VERSION,
	RTLAB_DMI_SYS_VENDOR,		/* label "system_vendor" */
	RTLAB_DMI__COUNT,
};

struct rtlab_probe_dmi_str {
	char v[128];			/* the file's first line */
	uint8_t st;
};

struct rtlab_probe_cloud {
	struct rtlab_probe_dmi_str dmi[RTLAB_DMI__COUNT];
	/* "aws", "gcp", "azure", "oci", "alibaba", "digitalocean", "hetzner",
	 * "openstack", "scaleway", "linode", "vultr", "ibm", "tencent",
	 * "exoscale", "upcloud", "huawei", "outscale", "fly", "heroku", or "" */
	char vendor[24];
	uint8_t st;			/* as rtlab_probe_runtime's names */
	/* "ec2", "lambda", "ecs", "fargate", "compute-engine", "cloud-run",
	 * "cloud-functions", "app-engine", "app-service", "functions",
	 * "container-apps", ... or "" */
	char service[32];
	char instance_type[64];		/* AWS Nitro: DMI product_name ("m5.large") */
	char instance_id[64];		/* AWS Nitro: DMI board_asset_tag ("i-0123...") */
	char region[48];		/* from the environment (AWS_REGION, FLY_REGION, ...) */
	char evidence[RTLAB_PROBE_EVIDENCE_LEN];
};

/* rtlab_probe_dmi_name - node_exporter's label of @f ("bios_date", ..., "system_vendor"). */
RTLAB_API const char *rtlab_probe_dmi_name(enum rtlab_dmi_field f);

#endif /* RTLAB_PROBE_ENV_H */
