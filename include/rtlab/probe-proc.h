/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe-proc.h - processes: the procs family (process and thread counts by
 * state), the process walk (a table of every process, cheap enough to refresh
 * every second) and ProcessFull (everything the kernel tells about one process).
 *
 * Every value carries its state (probe-types.h): a file that is missing,
 * denied or damaged leaves its fields RTLAB_PV_ABSENT / _DENIED / _MALFORMED,
 * with the reason in words next to them, never a made-up zero.  Text comes
 * from the processes themselves (a process names itself): it is kept as raw
 * bytes, NUL-terminated and truncated to fit, and must be escaped for output.
 *
 *	struct rtlab_proc_walker *w;
 *	struct rtlab_proc_table t = { 0 };
 *	rtlab_proc_walker_new(probe, &w);
 *	rtlab_proc_walk(w, 0, &t);		// every second: t.procs[0 .. t.count)
 *	rtlab_proc_table_release(&t);
 *	rtlab_proc_walker_free(w);
 */
#ifndef RTLAB_PROBE_PROC_H
#define RTLAB_PROBE_PROC_H

#include <rtlab/probe-types.h>

struct rtlab_probe;

/* Room for a process name: TASK_COMM_LEN is 16, kernel threads show longer names. */
#define RTLAB_PROC_COMM_MAX 64

/*
 * Process states by index: the letters of /proc/<pid>/stat that Linux has
 * ever printed, then one slot for any other letter ('?').
 */
#define RTLAB_PROC_STATE_LETTERS "RSDTtXZPIKWxN"
#define RTLAB_PROC_NSTATES 14

/* rtlab_proc_state_index - @c's index in RTLAB_PROC_STATE_LETTERS, or the last slot. */
RTLAB_API unsigned rtlab_proc_state_index(char c);

/* rtlab_proc_state_name - "running", "sleeping", "disk sleep", ... or "unknown". */
RTLAB_API const char *rtlab_proc_state_name(char c);

/* --- The procs family (RTLAB_PF_PROCS): counts, as node_exporter's processes collector. --- */

struct rtlab_probe_procs {
	struct rtlab_pu64 pids;			/* processes (thread groups) in /proc */
	struct rtlab_pu64 threads;		/* threads of all processes (sum of num_threads) */
	struct rtlab_pu64 kernel_threads;	/* processes that are kernel threads (PF_KTHREAD) */
	struct rtlab_pu64 state[RTLAB_PROC_NSTATES];	    /* processes by the leader's state */
	struct rtlab_pu64 thread_state[RTLAB_PROC_NSTATES]; /* threads by state (task/<tid>/stat) */
	struct rtlab_pu64 pid_max;		/* /proc/sys/kernel/pid_max */
	struct rtlab_pu64 threads_max;		/* /proc/sys/kernel/threads-max */
};

/* --- The sources, parsed (each field as the kernel gives it, in base units). --- */

/* /proc/<pid>/stat: every field, proc(5) names.  Fields a shorter (older) line lacks are ABSENT. */
struct rtlab_proc_stat {
	char comm[RTLAB_PROC_COMM_MAX];	/* between the parentheses, raw bytes */
	uint8_t comm_st;
	char state;			/* 'R', 'S', 'D', ... valid when state_st is OK */
	uint8_t state_st;
	struct rtlab_pi64 pid, ppid, pgrp, session;
	/* controlling terminal: major (bits 15..8), minor (31..20, 7..0) */
	struct rtlab_pi64 tty_nr;
	struct rtlab_pi64 tpgid;	/* foreground process group of the terminal, -1 if none */
	struct rtlab_pu64 flags;	/* PF_* */
	/* page faults (c: waited-for children) */
	struct rtlab_pu64 minflt, cminflt, majflt, cmajflt;
	/* CPU time, clock ticks (sysconf(_SC_CLK_TCK)) */
	struct rtlab_pu64 utime_ticks, stime_ticks;
	struct rtlab_pi64 cutime_ticks, cstime_ticks;	/* of waited-for children */
	/* 0..39 for nice -20..19; -2..-100 for RT priorities 1..99 */
	struct rtlab_pi64 priority;
	struct rtlab_pi64 nice;		/* -20..19 */
	struct rtlab_pi64 num_threads;
	struct rtlab_pi64 itrealvalue;	/* always 0 since 2.6.17 */
	struct rtlab_pu64 starttime_ticks;	/* start, ticks after boot */
	struct rtlab_pu64 vsize_bytes;	/* virtual memory size */
	struct rtlab_pi64 rss_pages;	/* resident set, pages */
	struct rtlab_pu64 rsslim_bytes;	/* RLIMIT_RSS soft limit */
	/* addresses (0 if hidden) */
	struct rtlab_pu64 startcode, endcode, startstack, kstkesp, kstkeip;
	struct rtlab_pu64 signal, blocked, sigignore, sigcatch;	/* obsolete decimal signal masks */
	struct rtlab_pu64 wchan;	/* 1 if sleeping in the kernel, when permitted */
	struct rtlab_pu64 nswap, cnswap;	/* always 0 */
	struct rtlab_pi64 exit_signal;	/* sent to the parent on death */
	struct rtlab_pi64 processor;	/* CPU last run on */
	struct rtlab_pu64 rt_priority;	/* 1..99 for SCHED_FIFO/RR, else 0 */
	struct rtlab_pu64 policy;	/* SCHED_* */
	struct rtlab_pu64 delayacct_blkio_ticks;	/* block I/O delays */
	struct rtlab_pu64 guest_time_ticks;
	struct rtlab_pi64 cguest_time_ticks;
	struct rtlab_pu64 start_data, end_data, start_brk, arg_start, arg_end, env_start, env_end;
	struct rtlab_pi64 exit_code;	/* waitpid() status, for a zombie */
};

/* /proc/<pid>/statm, in pages.  lib_pages, dirty_pages: 0 since Linux 2.6, so UNSUPPORTED. */
struct rtlab_proc_statm {
	struct rtlab_pu64 size_pages, resident_pages, shared_pages, text_pages;
	struct rtlab_pu64 lib_pages, data_pages, dirty_pages;
};

#define RTLAB_PROC_GROUPS_MAX 64

/* /proc/<pid>/status.  Memory in bytes (the file says kB).  Masks: bit n-1 is signal n. */
struct rtlab_proc_status {
	char name[RTLAB_PROC_COMM_MAX];	/* Name: (the kernel escapes '\n' and '\\' here) */
	uint8_t name_st;
	char state;			/* State: letter */
	uint8_t state_st;
	struct rtlab_pu64 umask;
	struct rtlab_pi64 tgid, ngid, pid, ppid, tracer_pid;
	struct rtlab_pu64 uid[4];	/* real, effective, saved set, file system */
	struct rtlab_pu64 gid[4];
	struct rtlab_pu64 fdsize;	/* slots allocated in the fd table */
	uint32_t groups[RTLAB_PROC_GROUPS_MAX];	/* supplementary groups */
	uint32_t n_groups;		/* in groups[] */
	bool groups_truncated;		/* more than RTLAB_PROC_GROUPS_MAX */
	uint8_t groups_st;
	/* in the process's own pid namespace */
	struct rtlab_pi64 ns_tgid, ns_pid, ns_pgid, ns_sid;
	struct rtlab_pu64 kthread;	/* 1 for a kernel thread (Linux 6.8+) */
	struct rtlab_pu64 vm_peak_bytes, vm_size_bytes, vm_lck_bytes, vm_pin_bytes;
	struct rtlab_pu64 vm_hwm_bytes, vm_rss_bytes;
	struct rtlab_pu64 rss_anon_bytes, rss_file_bytes, rss_shmem_bytes;
	struct rtlab_pu64 vm_data_bytes, vm_stk_bytes, vm_exe_bytes, vm_lib_bytes, vm_pte_bytes;
	struct rtlab_pu64 vm_swap_bytes, hugetlb_bytes;
	struct rtlab_pu64 core_dumping, thp_enabled;
	struct rtlab_pu64 threads;
	/* SigQ: queued signals / RLIMIT_SIGPENDING */
	struct rtlab_pu64 sigq_queued, sigq_limit;
	struct rtlab_pu64 sig_pnd, shd_pnd, sig_blk, sig_ign, sig_cgt;	/* signal masks */
	struct rtlab_pu64 cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;	/* capability sets */
	struct rtlab_pu64 no_new_privs;
	struct rtlab_pu64 seccomp;	/* 0 disabled, 1 strict, 2 filter */
	struct rtlab_pu64 seccomp_filters;
	char spec_store_bypass[48];	/* Speculation_Store_Bypass: */
	uint8_t spec_store_bypass_st;
	char spec_indirect_branch[48];	/* SpeculationIndirectBranch: */
	uint8_t spec_indirect_branch_st;
	char cpus_allowed_list[256];	/* Cpus_allowed_list: "0-3,8" */
	uint8_t cpus_allowed_list_st;
	char mems_allowed_list[128];	/* Mems_allowed_list: */
	uint8_t mems_allowed_list_st;
	struct rtlab_pu64 voluntary_ctxt_switches, nonvoluntary_ctxt_switches;
};

/* /proc/<pid>/io (DENIED unless the caller may ptrace the process). */
struct rtlab_proc_io {
	/* through read/write calls, cache included */
	struct rtlab_pu64 rchar_bytes, wchar_bytes;
	struct rtlab_pu64 syscr, syscw;			/* read and write system calls */
	struct rtlab_pu64 read_bytes, write_bytes;	/* from and to the block layer */
	struct rtlab_pu64 cancelled_write_bytes;	/* dirtied then truncated */
};

/* /proc/<pid>/smaps_rollup, in bytes. */
struct rtlab_proc_smaps {
	struct rtlab_pu64 rss, pss, pss_dirty, pss_anon, pss_file, pss_shmem;
	struct rtlab_pu64 shared_clean, shared_dirty, private_clean, private_dirty;
	struct rtlab_pu64 referenced, anonymous, ksm, lazy_free;
	struct rtlab_pu64 anon_huge_pages, shmem_pmd_mapped, file_pmd_mapped;
	struct rtlab_pu64 shared_hugetlb, private_hugetlb, swap, swap_pss, locked;
};

#define RTLAB_PROC_LIMITS_MAX 24
#define RTLAB_PROC_UNLIMITED UINT64_MAX	/* a limit's value for "unlimited" */

/* One row of /proc/<pid>/limits. */
struct rtlab_proc_limit {
	char name[32];			/* "Max open files" */
	char unit[16];			/* "files", "bytes", "seconds", "us", ... or "" */
	int resource;			/* RLIMIT_*, or -1 for a row this library does not know */
	struct rtlab_pu64 soft, hard;	/* RTLAB_PROC_UNLIMITED for "unlimited" */
};

struct rtlab_proc_limits {
	struct rtlab_proc_limit row[RTLAB_PROC_LIMITS_MAX];
	uint32_t count;
};

/* One line of /proc/<pid>/cgroup: "hierarchy:controllers:path". */
struct rtlab_proc_cgroup {
	uint32_t hierarchy;		/* 0 for cgroup v2 */
	char controllers[128];		/* "cpu,cpuacct", "name=systemd", "" for v2 */
	char path[1024];
	bool truncated;			/* controllers or path did not fit */
};

/* Namespaces, by index: /proc/<pid>/ns/<name> links. */
enum rtlab_proc_ns {
	RTLAB_PROC_NS_CGROUP,
	RTLAB_PROC_NS_IPC,
	RTLAB_PROC_NS_MNT,
	RTLAB_PROC_NS_NET,
	RTLAB_PROC_NS_PID,
	RTLAB_PROC_NS_PID_FOR_CHILDREN,
	RTLAB_PROC_NS_TIME,
	RTLAB_PROC_NS_TIME_FOR_CHILDREN,
	RTLAB_PROC_NS_USER,
	RTLAB_PROC_NS_UTS,
	RTLAB_PROC_NS__COUNT,
};

/* rtlab_proc_ns_name - "cgroup", "ipc", ..., "uts"; NULL out of range. */
RTLAB_API const char *rtlab_proc_ns_name(enum rtlab_proc_ns ns);

/* What an open file descriptor refers to (from its /proc/<pid>/fd link). */
enum rtlab_proc_fd_kind {
	RTLAB_PROC_FD_PATH,		/* a file, directory or device: target is its path */
	RTLAB_PROC_FD_SOCKET,		/* socket:[inode] */
	RTLAB_PROC_FD_PIPE,		/* pipe:[inode] */
	RTLAB_PROC_FD_ANON,		/* anon_inode:[eventfd], anon_inode:bpf-map, ... */
	RTLAB_PROC_FD_OTHER,		/* anything else (net:[...], mnt:[...], ...) */
};

/* rtlab_proc_fd_kind_name - "path", "socket", "pipe", "anon", "other". */
RTLAB_API const char *rtlab_proc_fd_kind_name(enum rtlab_proc_fd_kind k);

struct rtlab_proc_fd {
	int32_t fd;
	uint8_t kind;			/* enum rtlab_proc_fd_kind */
	uint8_t target_st;
	char *target;			/* the link's text (raw bytes), or NULL */
	struct rtlab_pu64 link_inode;	/* socket:[N] / pipe:[N] inode */
	/* fdinfo: offset, O_* flags (octal), mount, inode */
	struct rtlab_pu64 pos, flags, mnt_id, ino;
};

/* One mapping of /proc/<pid>/maps. */
struct rtlab_proc_map {
	uint64_t start, end, offset, inode;
	uint32_t dev_major, dev_minor;
	char perms[5];			/* "r-xp" */
	/* pathname or [heap]/[stack]/..., "" for anonymous; raw bytes */
	char *path;
};

/* One thread: task/<tid>/stat. */
struct rtlab_proc_thread {
	int32_t tid;
	struct rtlab_proc_stat stat;
};

/* --- The process walk: a table of every process. --- */

/* Optional field groups of a walk (the basic ones, from /proc/<pid>/stat, are always read). */
enum rtlab_proc_walk_fields {
	RTLAB_PROC_W_STATM = 1u << 0,	/* /proc/<pid>/statm: shared, text, data */
	RTLAB_PROC_W_STATUS = 1u << 1,	/* /proc/<pid>/status: ids, swap, context switches, ... */
	RTLAB_PROC_W_IO = 1u << 2,	/* /proc/<pid>/io */
	RTLAB_PROC_W_CMDLINE = 1u << 3,	/* /proc/<pid>/cmdline (bounded) */
	RTLAB_PROC_W_FDS = 1u << 4,	/* number of open file descriptors */
	/* owner of /proc/<pid> (effective ids; 0 if not dumpable) */
	RTLAB_PROC_W_OWNER = 1u << 5,
	RTLAB_PROC_W_THREADS = 1u << 6,	/* table: threads by state (task/<tid>/stat of each) */
	RTLAB_PROC_W_SYSTEM = 1u << 7,	/* table: load, CPU and memory totals (for a header) */
};

#define RTLAB_PROC_CMDLINE_MAX 256

/* One process of a walk.  Groups not asked for are RTLAB_PV_ABSENT. */
struct rtlab_proc_entry {
	int32_t pid;
	bool is_new;			/* first seen in this walk (or its pid was reused) */
	struct rtlab_proc_stat stat;
	struct rtlab_pu64 rss_bytes;	/* resident set (stat rss_pages x page size) */
	struct rtlab_pu64 cpu_ticks;	/* utime + stime */
	/* CPU use since the previous walk, 100 = one CPU; NOT_READY first */
	struct rtlab_pf64 cpu_pct;
	struct rtlab_pf64 mem_pct;	/* rss_bytes / MemTotal x 100 */
	/* start time, seconds since the epoch (btime + starttime) */
	struct rtlab_pf64 start_unix_s;
	struct rtlab_pu64 owner_uid, owner_gid;		/* RTLAB_PROC_W_OWNER */
	struct rtlab_proc_statm statm;			/* RTLAB_PROC_W_STATM */
	struct rtlab_proc_status status;		/* RTLAB_PROC_W_STATUS */
	struct rtlab_proc_io io;			/* RTLAB_PROC_W_IO */
	/* RTLAB_PROC_W_CMDLINE: args, NUL-separated */
	char cmdline[RTLAB_PROC_CMDLINE_MAX];
	uint16_t cmdline_len;		/* bytes in cmdline[] (without the final NUL) */
	bool cmdline_truncated;
	uint8_t cmdline_st;		/* OK with cmdline_len 0: a kernel thread or a zombie */
	struct rtlab_pu64 fd_count;			/* RTLAB_PROC_W_FDS */
	uint32_t marked_absent;		/* (internal) groups currently marked ABSENT */
};

/* CPU time split of /proc/stat's first line, by index. */
enum rtlab_proc_cpu_mode {
	RTLAB_PROC_CPU_USER,
	RTLAB_PROC_CPU_NICE,
	RTLAB_PROC_CPU_SYSTEM,
	RTLAB_PROC_CPU_IDLE,
	RTLAB_PROC_CPU_IOWAIT,
	RTLAB_PROC_CPU_IRQ,
	RTLAB_PROC_CPU_SOFTIRQ,
	RTLAB_PROC_CPU_STEAL,
	RTLAB_PROC_CPU__COUNT,
};

/* The result of a walk (caller-owned; zero it before the first walk). */
struct rtlab_proc_table {
	struct rtlab_proc_entry *procs;	/* by increasing pid */
	size_t count;
	size_t cap;			/* (internal) room in procs */
	uint32_t fields;		/* the groups read (RTLAB_PROC_W_*) */
	uint64_t t_ns;			/* CLOCK_MONOTONIC of this walk */
	/* since the previous walk of the same walker, 0 the first time */
	uint64_t interval_ns;
	uint64_t walk_ns;		/* how long this walk took */
	/* /proc was listed again (not only the known processes re-read) */
	bool rescanned;
	uint32_t by_state[RTLAB_PROC_NSTATES];		/* processes by state */
	struct rtlab_pu64 threads;			/* sum of num_threads */
	struct rtlab_pu64 thread_by_state[RTLAB_PROC_NSTATES];	/* RTLAB_PROC_W_THREADS */
	struct rtlab_pu64 mem_total_bytes;		/* MemTotal, for mem_pct */
	char why[160];			/* "" or the first problem of this walk, "path: what" */
	/* RTLAB_PROC_W_SYSTEM: */
	struct rtlab_pf64 load1, load5, load15;
	struct rtlab_pu64 mem_available_bytes, mem_free_bytes, swap_total_bytes, swap_free_bytes;
	struct rtlab_pf64 uptime_s;
	/* all CPUs, share of time; NOT_READY first */
	struct rtlab_pf64 cpu_pct[RTLAB_PROC_CPU__COUNT];
	struct rtlab_pu64 ncpus;	/* cpuN lines of /proc/stat */
};

struct rtlab_proc_walker;

/*
 * rtlab_proc_walker_new - a walker over the processes below @p's root.  It
 * keeps /proc and each process's files open between walks (one fd per
 * process and group read, up to RLIMIT_NOFILE's soft limit less 256; past
 * that, files are opened for each read), and the previous CPU times for
 * CPU %, so each consumer should have its own.  It must not outlive @p.
 * Returns 0, -ENOMEM, or the -errno of opening /proc.
 */
RTLAB_API int rtlab_proc_walker_new(struct rtlab_probe *p, struct rtlab_proc_walker **ret);

/* rtlab_proc_walker_free - close everything the walker kept open.  Returns NULL. */
RTLAB_API struct rtlab_proc_walker *rtlab_proc_walker_free(struct rtlab_proc_walker *w);

/*
 * rtlab_proc_walk - every process into @t, by increasing pid: the basic
 * fields from /proc/<pid>/stat, and the groups in @fields (RTLAB_PROC_W_*).
 * A process that ends during the walk is left out.  In steady state (a
 * stable set of processes) a walk makes no heap allocation: the table only
 * grows.  /proc is listed again only when a process may have started
 * (/proc/loadavg's last pid moved, or a second passed).  Problems with one
 * process go into its fields' states and t->why.  Returns 0, -ENOMEM, or the
 * -errno of listing /proc.
 */
RTLAB_API int rtlab_proc_walk(struct rtlab_proc_walker *w, uint32_t fields,
			      struct rtlab_proc_table *t);

/* rtlab_proc_table_release - free the table's array (the table can be walked into again). */
RTLAB_API void rtlab_proc_table_release(struct rtlab_proc_table *t);

/* --- ProcessFull: everything about one process. --- */

/* The files and calls ProcessFull reads, each with its own state and reason. */
enum rtlab_proc_src {
	RTLAB_PROC_SRC_STAT,
	RTLAB_PROC_SRC_STATUS,
	RTLAB_PROC_SRC_STATM,
	RTLAB_PROC_SRC_COMM,
	RTLAB_PROC_SRC_CMDLINE,
	RTLAB_PROC_SRC_EXE,
	RTLAB_PROC_SRC_CWD,
	RTLAB_PROC_SRC_ROOT,
	RTLAB_PROC_SRC_IO,
	RTLAB_PROC_SRC_SMAPS_ROLLUP,
	RTLAB_PROC_SRC_LIMITS,
	RTLAB_PROC_SRC_CGROUP,
	RTLAB_PROC_SRC_NS,
	RTLAB_PROC_SRC_FD,
	RTLAB_PROC_SRC_OOM_SCORE,
	RTLAB_PROC_SRC_OOM_SCORE_ADJ,
	RTLAB_PROC_SRC_SCHEDSTAT,
	RTLAB_PROC_SRC_SCHED_ATTR,	/* the sched_getattr() system call */
	RTLAB_PROC_SRC_ATTR,		/* attr/current: the LSM label */
	RTLAB_PROC_SRC_TASK,
	RTLAB_PROC_SRC_CHILDREN,
	RTLAB_PROC_SRC_ENVIRON,
	RTLAB_PROC_SRC_MAPS,
	RTLAB_PROC_SRC_SYSTEM,		/* /proc/stat btime and /proc/meminfo MemTotal */
	RTLAB_PROC_SRC__COUNT,
};

/* rtlab_proc_src_name - "stat", "status", ..., "sched_getattr", "system". */
RTLAB_API const char *rtlab_proc_src_name(enum rtlab_proc_src s);

struct rtlab_proc_srcinfo {
	uint8_t st;			/* RTLAB_PV_OK or why it could not be read */
	char why[120];			/* "" or "path: reason" */
};

/* What rtlab_proc_full_read() reads besides the rest. */
enum rtlab_proc_full_flags {
	RTLAB_PROC_FULL_ENV = 1u << 0,	/* the environment (DENIED unless permitted) */
	RTLAB_PROC_FULL_MAPS = 1u << 1,	/* the memory maps */
};

/* Memory, derived from the sources in bytes. */
struct rtlab_proc_mem {
	struct rtlab_pu64 rss_bytes;	/* statm resident */
	struct rtlab_pu64 vms_bytes;	/* statm size */
	struct rtlab_pu64 shared_bytes;	/* statm shared (file-backed and shmem resident) */
	struct rtlab_pu64 text_bytes;	/* statm text */
	struct rtlab_pu64 data_bytes;	/* statm data (data + stack) */
	struct rtlab_pu64 lib_bytes;	/* status VmLib */
	struct rtlab_pu64 dirty_bytes;	/* smaps_rollup Shared_Dirty + Private_Dirty */
	struct rtlab_pu64 swap_bytes;	/* status VmSwap */
	struct rtlab_pu64 pss_bytes, pss_anon_bytes, pss_file_bytes, pss_shmem_bytes;
	struct rtlab_pu64 uss_bytes;	/* smaps_rollup Private_Clean + Private_Dirty */
	struct rtlab_pf64 mem_pct;	/* rss_bytes / MemTotal x 100 */
};

/* The scheduling attributes of sched_getattr() (live root only; UNSUPPORTED on a fixture tree). */
struct rtlab_proc_sched {
	struct rtlab_pu64 policy;	/* SCHED_* (also in stat) */
	struct rtlab_pu64 flags;	/* SCHED_FLAG_* */
	struct rtlab_pi64 nice;
	struct rtlab_pu64 priority;	/* RT priority */
	struct rtlab_pu64 runtime_ns, deadline_ns, period_ns;	/* SCHED_DEADLINE */
	struct rtlab_pu64 util_min, util_max;	/* utilization clamps (Linux 5.3+) */
};

struct rtlab_proc_full {
	int32_t pid;
	uint32_t flags;			/* RTLAB_PROC_FULL_* asked */
	uint64_t t_ns;			/* CLOCK_MONOTONIC of this reading */
	struct rtlab_proc_srcinfo src[RTLAB_PROC_SRC__COUNT];

	/* Names. */
	char comm[RTLAB_PROC_COMM_MAX];	/* /proc/<pid>/comm without the newline */
	uint8_t comm_st;
	char **argv;			/* /proc/<pid>/cmdline split at NULs (raw bytes) */
	uint32_t argc;
	bool argv_truncated;		/* more than the bound (see rtlab_proc_full_read) */
	char exe[4096], cwd[4096], root[4096];	/* readlink: raw bytes, may end in " (deleted)" */
	uint8_t exe_st, cwd_st, root_st;
	char security_label[256];	/* attr/current, without the newline */
	uint8_t security_label_st;

	/* Sources. */
	struct rtlab_proc_stat stat;	/* ids, state, nice, priority, policy, CPU times, faults */
	/* uids, gids, groups, caps, signals, seccomp, switches */
	struct rtlab_proc_status status;
	struct rtlab_proc_statm statm;
	struct rtlab_proc_io io;
	struct rtlab_proc_smaps smaps;
	struct rtlab_proc_limits limits;
	struct rtlab_proc_sched sched;
	struct rtlab_pu64 ns[RTLAB_PROC_NS__COUNT];	/* namespace inode numbers */
	struct rtlab_proc_cgroup *cgroups;
	uint32_t n_cgroups;
	struct rtlab_pi64 oom_score, oom_score_adj;
	struct rtlab_pu64 sched_run_ns, sched_wait_ns, sched_timeslices;	/* schedstat */

	/* Derived. */
	struct rtlab_pf64 start_unix_s;	/* start time, seconds since the epoch */
	/* since the previous reading into this struct; NOT_READY first */
	struct rtlab_pf64 cpu_pct;
	struct rtlab_proc_mem mem;
	struct rtlab_pu64 affinity_cpus;	/* CPUs in status Cpus_allowed_list */

	/* Lists. */
	struct rtlab_pu64 fd_count;
	struct rtlab_proc_fd *fds;	/* by fd number */
	uint32_t n_fds;
	struct rtlab_proc_thread *threads;	/* task/, by tid */
	uint32_t n_threads;
	int32_t *children;		/* by pid */
	uint32_t n_children;
	char **env;			/* RTLAB_PROC_FULL_ENV: "NAME=value" (raw bytes) */
	uint32_t n_env;
	bool env_truncated;
	struct rtlab_proc_map *maps;	/* RTLAB_PROC_FULL_MAPS */
	uint32_t n_maps;

	/* (internal) the previous reading, for cpu_pct. */
	uint64_t prev_ticks, prev_start_ticks, prev_t_ns;
	int32_t prev_pid;
	size_t cap_fds, cap_threads, cap_children, cap_cgroups, cap_maps;
	char *argv_buf, *env_buf;
};

/*
 * rtlab_proc_full_read - everything about process @pid below @p's root into
 * @out (zeroed before its first use, or filled by an earlier call: then the
 * CPU % is computed from that reading).  @flags: RTLAB_PROC_FULL_*.  Each
 * source that cannot be read leaves its fields with a state and
 * out->src[].why.  The command line keeps at most 4096 arguments in 256 KiB,
 * the environment 4096 variables in 256 KiB.  Allocates; free with
 * rtlab_proc_full_release().  Returns 0, -ESRCH (no such process), -ENOMEM,
 * or the -errno of /proc/<pid>/stat.
 */
RTLAB_API int rtlab_proc_full_read(struct rtlab_probe *p, int pid, uint32_t flags,
				   struct rtlab_proc_full *out);

/* rtlab_proc_full_release - free @f's lists and zero it. */
RTLAB_API void rtlab_proc_full_release(struct rtlab_proc_full *f);

/*
 * rtlab_proc_cap_names - the names of the capabilities in @mask ("cap_chown,
 * cap_kill", libcap's names; "" for none) into @buf.  Returns the length, or
 * -ENOSPC (then @buf holds a truncated list).
 */
RTLAB_API int rtlab_proc_cap_names(uint64_t mask, char *buf, size_t size);

/* rtlab_proc_policy_name - "SCHED_OTHER", "SCHED_FIFO", ..., or NULL for an unknown policy. */
RTLAB_API const char *rtlab_proc_policy_name(uint64_t policy);

/* rtlab_proc_tty_name - "pts/3", "tty1", "ttyS0" or "MAJ:MIN" of stat's tty_nr; "" for 0. */
RTLAB_API const char *rtlab_proc_tty_name(int64_t tty_nr, char *buf, size_t size);

#endif /* RTLAB_PROBE_PROC_H */
