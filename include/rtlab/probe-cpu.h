/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe-cpu.h - the cpu group's data: CPU times and counters (/proc/stat),
 * CPU sets, topology, cpufreq, C-states and boost (/sys/devices/system/cpu),
 * the load average (/proc/loadavg) and the interrupt tables
 * (/proc/interrupts, /proc/softirqs).
 *
 * Every value carries its state (probe-types.h).  Variable-size parts are a
 * pointer, a count and a capacity, owned by struct rtlab_probe_data and freed
 * by rtlab_probe_data_free().
 */
#ifndef RTLAB_PROBE_CPU_H
#define RTLAB_PROBE_CPU_H

#include <rtlab/probe-types.h>

/* The columns of a "cpu" line of /proc/stat, in the kernel's order. */
enum rtlab_cpu_mode {
	RTLAB_CPU_USER,		/* includes guest */
	RTLAB_CPU_NICE,		/* includes guest_nice */
	RTLAB_CPU_SYSTEM,
	RTLAB_CPU_IDLE,
	RTLAB_CPU_IOWAIT,
	RTLAB_CPU_IRQ,
	RTLAB_CPU_SOFTIRQ,
	RTLAB_CPU_STEAL,
	RTLAB_CPU_GUEST,	/* running a guest (also counted in user) */
	RTLAB_CPU_GUEST_NICE,	/* running a niced guest (also counted in nice) */
	RTLAB_CPU_MODE__COUNT,
};

/* rtlab_cpu_mode_name - "user", "nice", ..., "guest_nice"; NULL if out of range. */
RTLAB_API const char *rtlab_cpu_mode_name(enum rtlab_cpu_mode m);

/* The vectors of the "softirq" line of /proc/stat, in the kernel's order. */
#define RTLAB_CPU_SOFTIRQ_VECTORS 10

/* A text read from the system (untrusted bytes, NUL-terminated, may be truncated). */
struct rtlab_cpu_text {
	uint8_t st;		/* enum rtlab_pv_state; s is "" unless RTLAB_PV_OK */
	char s[95];
};

/*
 * The times of one "cpu" or "cpuN" line of /proc/stat and their shares of
 * the interval since the previous reading.  A share needs two readings
 * (RTLAB_PV_NOT_READY on the first); when no tick passed between two
 * readings the previous shares and the previous reading are kept.
 */
struct rtlab_cpu_times {
	struct rtlab_pu64 ticks[RTLAB_CPU_MODE__COUNT];	/* USER_HZ ticks since boot */
	struct rtlab_pf64 seconds[RTLAB_CPU_MODE__COUNT];	/* the same in seconds */
	struct rtlab_pf64 ratio[RTLAB_CPU_MODE__COUNT];	/* share of the interval, 0..1 */
	struct rtlab_pf64 busy_ratio;	/* share not idle nor iowait, 0..1 */
	uint64_t prev[RTLAB_CPU_MODE__COUNT];	/* ticks of the previous reading (rates) */
	bool have_prev;				/* prev[] holds a reading */
};

/* The most C-states a CPU has (the kernel's CPUIDLE_STATE_MAX). */
#define RTLAB_CPU_IDLE_STATES 10

/* One C-state of one CPU: /sys/devices/system/cpu/cpuN/cpuidle/stateK. */
struct rtlab_cpu_idle_state {
	char name[16];			/* "POLL", "C1", "C6" (stateK/name) */
	char desc[32];			/* "MWAIT 0x20" (stateK/desc) */
	struct rtlab_pu64 latency_us;	/* exit latency */
	struct rtlab_pu64 residency_us;	/* target residency */
	struct rtlab_pu64 disable;	/* 1: disabled (by the user or the driver) */
	struct rtlab_pu64 usage;	/* times entered (counter) */
	struct rtlab_pu64 time_us;	/* time spent in it (counter) */
	struct rtlab_pu64 above;	/* entered, but the idle time was too short for it */
	struct rtlab_pu64 below;	/* entered, but a deeper state would have fitted */
	struct rtlab_pu64 rejected;	/* entries the driver refused */
};

/*
 * One logical CPU, index = CPU number.  Topology, cpufreq limits and governor
 * are read at the first collection, when the online set changes and on the
 * probe's slow TTL; times, current frequencies and throttle counts on every
 * collection.  Fields of an offline CPU are RTLAB_PV_ABSENT.  C-states are the
 * cpuidle family's (struct rtlab_probe_cpuidle).
 */
struct rtlab_cpu_logical {
	uint32_t cpu;			/* its number */
	bool possible;			/* in /sys/devices/system/cpu/possible */
	bool present;			/* in .../present */
	bool online;			/* in .../online (or, without it, in /proc/stat) */
	bool in_stat;			/* it had a line in the last /proc/stat */
	struct rtlab_cpu_times times;	/* its "cpuN" line of /proc/stat */

	/* cpuN/topology; -1 in the file is kept as -1 */
	struct rtlab_pi64 package_id;	/* physical_package_id */
	struct rtlab_pi64 die_id;
	struct rtlab_pi64 cluster_id;	/* absent where the kernel has no clusters */
	struct rtlab_pi64 core_id;
	struct rtlab_pi64 numa_node;	/* the node whose cpulist holds it */
	struct rtlab_cpu_text thread_siblings;	/* thread_siblings_list: "0,32" */
	struct rtlab_pu64 capacity;	/* cpu_capacity (heterogeneous systems), 1024 = biggest */
	struct rtlab_pu64 isolated;	/* 1: in /sys/devices/system/cpu/isolated */
	struct rtlab_pu64 nohz_full;	/* 1: in /sys/devices/system/cpu/nohz_full */
	bool first_thread;		/* lowest online CPU number of its (package, core) */
	bool first_in_package;		/* lowest online CPU number of its package */

	/* cpuN/cpufreq, kHz as the kernel writes them */
	uint8_t cpufreq_st;		/* state of the cpufreq directory */
	struct rtlab_pu64 scaling_cur_khz;	/* scaling_cur_freq */
	struct rtlab_pu64 cpuinfo_cur_khz;	/* cpuinfo_cur_freq (hardware, root only) */
	struct rtlab_pu64 scaling_min_khz;
	struct rtlab_pu64 scaling_max_khz;
	struct rtlab_pu64 cpuinfo_min_khz;
	struct rtlab_pu64 cpuinfo_max_khz;
	struct rtlab_pu64 base_khz;	/* base_frequency (intel_pstate) */
	struct rtlab_cpu_text governor;	/* scaling_governor */
	struct rtlab_cpu_text driver;	/* scaling_driver */
	struct rtlab_cpu_text available_governors;	/* scaling_available_governors */
	struct rtlab_cpu_text epp;	/* energy_performance_preference */

	/* cpuN/thermal_throttle (x86) */
	uint8_t throttle_st;		/* state of the thermal_throttle directory */
	struct rtlab_pu64 core_throttles;	/* core_throttle_count */
	struct rtlab_pu64 core_throttle_ms;	/* core_throttle_total_time_ms */
	struct rtlab_pu64 package_throttles;	/* package_throttle_count */
	struct rtlab_pu64 package_throttle_ms;	/* package_throttle_total_time_ms */
};

/* /proc/stat, /sys/devices/system/cpu (RTLAB_PF_CPU). */
struct rtlab_probe_cpu {
	struct rtlab_pu64 user_hz;		/* ticks per second of the times */
	struct rtlab_cpu_times total;		/* the "cpu" line: all CPUs */
	struct rtlab_pu64 ctxt;			/* context switches since boot */
	struct rtlab_pu64 processes;		/* forks since boot */
	struct rtlab_pu64 procs_running;	/* tasks runnable now */
	struct rtlab_pu64 procs_blocked;	/* tasks waiting for I/O now */
	struct rtlab_pu64 btime;		/* boot time, seconds since the epoch */
	struct rtlab_pu64 intr;			/* interrupts serviced since boot */
	struct rtlab_pu64 softirq;		/* softirqs run since boot */
	/* per vector: hi, timer, net_tx, net_rx, block, irq_poll, tasklet, sched, hrtimer, rcu */
	struct rtlab_pu64 softirq_vec[RTLAB_CPU_SOFTIRQ_VECTORS];
	uint32_t bad_line;			/* first malformed line of /proc/stat, 0 if none */

	/* /sys/devices/system/cpu */
	struct rtlab_pu64 online;		/* number of online CPUs */
	struct rtlab_pu64 possible;		/* CPUs that could ever be online */
	struct rtlab_pu64 present;		/* CPUs physically there */
	struct rtlab_pu64 smt_active;		/* smt/active: 1 if sibling threads run */
	struct rtlab_cpu_text smt_control;	/* smt/control: "on", "off", "notsupported" */
	struct rtlab_pu64 boost;		/* cpufreq/boost: 1 = enabled */
	struct rtlab_pu64 no_turbo;		/* intel_pstate/no_turbo: 1 = turbo off */
	struct rtlab_cpu_text pstate_status;	/* intel_pstate/status: "active", "passive" */
	struct rtlab_pu64 pstate_min_perf_pct;	/* intel_pstate/min_perf_pct */
	struct rtlab_pu64 pstate_max_perf_pct;	/* intel_pstate/max_perf_pct */
	struct rtlab_pu64 pstate_turbo_pct;	/* intel_pstate/turbo_pct: share of turbo P-states */
	struct rtlab_pu64 pstate_num_pstates;	/* intel_pstate/num_pstates */

	/* Per CPU, index = CPU number: every CPU possible, present, online or in /proc/stat. */
	struct rtlab_cpu_logical *cpus;
	size_t ncpus;				/* highest CPU number + 1 */
	size_t cap_cpus;
	uint64_t static_gen;			/* CPU set generation of the static fields */
	uint64_t static_ns;			/* when the static fields were read */
};

/* The C-states of one CPU: /sys/devices/system/cpu/cpuN/cpuidle. */
struct rtlab_cpuidle_cpu {
	bool online;			/* in /sys/devices/system/cpu/online */
	uint8_t st;			/* state of its cpuidle directory */
	uint32_t nstates;		/* C-states in state[] */
	struct rtlab_cpu_idle_state state[RTLAB_CPU_IDLE_STATES];
};

/*
 * C-states (RTLAB_PF_CPUIDLE).  Names, descriptions, exit latencies and target
 * residencies are read at the first collection and when the online set or the
 * states change; the disable switches and the counters on every collection of
 * the family (a slow one: the counters are cumulative, their rates hold over
 * any interval).
 */
struct rtlab_probe_cpuidle {
	struct rtlab_cpu_text driver;		/* cpuidle/current_driver */
	struct rtlab_cpu_text governor;		/* cpuidle/current_governor(_ro) */
	struct rtlab_pu64 online;		/* number of online CPUs */
	struct rtlab_cpuidle_cpu *cpus;		/* index = CPU number, up to the highest online */
	size_t ncpus;
	size_t cap_cpus;
	uint64_t static_gen;			/* generation of the names and latencies read */
};

/* /proc/loadavg */
struct rtlab_probe_load {
	struct rtlab_pf64 load1, load5, load15;
	struct rtlab_pu64 runnable;	/* scheduling entities runnable now */
	struct rtlab_pu64 entities;	/* scheduling entities (threads) that exist */
	struct rtlab_pu64 last_pid;
};

/*
 * One row of /proc/interrupts or /proc/softirqs.  info and devices split the
 * text after the counts as node_exporter does; hwirq, handler and actions
 * split devices further (best effort: the layout varies with the architecture).
 */
struct rtlab_irq_line {
	char name[32];		/* before ':': "24", "NMI", "LOC", "TIMER" */
	char info[64];		/* numbered: the irq chip ("IO-APIC"); others: the description */
	char devices[160];	/* numbered: hwirq, handler, actions ("5-edge ACPI:Ged") */
	bool numbered;		/* a Linux IRQ number, not an architecture counter */
	struct rtlab_pu64 hwirq;	/* numbered: the number in the chip's domain ("5") */
	char handler[16];	/* numbered: flow handler or trigger ("edge", "fasteoi", "Level") */
	char actions[128];	/* numbered: the drivers' handler names ("ACPI:Ged", "eth0-TxRx-0") */
	struct rtlab_pu64 total;	/* sum of its counts over the columns */
};

/*
 * A table of per-CPU counts: rows x columns, counts[row * ncols + col].
 * /proc/interrupts has a column per online CPU, /proc/softirqs per possible
 * CPU; col_cpu[] gives each column's CPU number.  The kernel's per-CPU
 * counts are 32 bits and wrap.
 */
struct rtlab_irq_table {
	uint8_t st;			/* state of the file as a whole */
	uint32_t bad_line;		/* first malformed line, 0 if none */
	uint32_t *col_cpu;
	size_t ncols, cap_cols;
	struct rtlab_irq_line *lines;
	size_t nlines, cap_lines;
	struct rtlab_pu64 *counts;
	size_t cap_counts;
};

/* /proc/interrupts, /proc/softirqs (RTLAB_PF_INTERRUPTS). */
struct rtlab_probe_interrupts {
	struct rtlab_irq_table irq;	/* /proc/interrupts */
	struct rtlab_pu64 err;		/* ERR: spurious / erroneous interrupts (x86) */
	struct rtlab_pu64 mis;		/* MIS: IO-APIC mis-routed interrupts (x86) */
	struct rtlab_irq_table soft;	/* /proc/softirqs */
};

#endif /* RTLAB_PROBE_CPU_H */
