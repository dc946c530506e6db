/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eBPF tools (libbpf CO-RE, tracepoint / raw_tp / tp_btf programs only):
 *
 *	runqlat		wake-up (sched_wakeup, sched_wakeup_new, preemption) to
 *			switch-in latency; one histogram ("all"), or one per CPU
 *			("cpu0") or per process ("pid 1234 (comm)")
 *	syscalls	latency of each system call, raw_syscalls sys_enter ->
 *			sys_exit, keyed by the syscall's name ("read")
 *	offcpu		off-CPU time per task and reason state (prev_state at
 *			switch-out: "S", "D", "R" for preempted, ...), key
 *			"pid 1234 (comm)", the state in the detail
 *	irqtime		hard IRQ time per vector ("hardirq 24 virtio0-input")
 *			and soft IRQ time per vector ("softirq NET_RX")
 *
 * Events are aggregated in kernel maps: nothing streams to user space per
 * event.  A histogram has log2 slots, as libbpf-tools prints them: with
 * microsecond slots (the default), slot 0 holds [0, 2) µs and slot k >= 1
 * holds [2^k, 2^(k+1)) µs; with nanosecond slots the same in ns.  Each slot
 * reads back as a bucket [lo_ns, hi_ns) with a count, the shape of
 * rtlab_hist_bucket() and of the run store's histogram tables.
 *
 * Privileges: loading needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN), and
 * a kernel that allows BPF (lockdown "confidentiality" refuses it).  Without
 * them rtlab_bpf_open() returns -EPERM and logs the cause, so that a scenario
 * can go on without its BPF recorders.  Built without eBPF support (meson
 * -Dbpf=disabled, or clang / bpftool / libbpf missing), the functions that
 * load or read programs return -ENOTSUP.
 */
#ifndef RTLAB_BPF_H
#define RTLAB_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <rtlab/core.h>

/* Log2 slots per histogram: with µs slots, the last one starts at 2^39 µs. */
#define RTLAB_BPF_SLOTS 40

enum rtlab_bpf_tool {
	RTLAB_BPF_RUNQLAT,
	RTLAB_BPF_SYSCALLS,
	RTLAB_BPF_OFFCPU,
	RTLAB_BPF_IRQTIME,
	_RTLAB_BPF_TOOL_MAX,
};

/* How runqlat keys its histograms. */
enum rtlab_bpf_key {
	RTLAB_BPF_KEY_ALL,		/* one histogram, "all" */
	RTLAB_BPF_KEY_CPU,		/* per CPU, "cpu0" */
	RTLAB_BPF_KEY_PID,		/* per process, "pid 1234 (comm)" */
};

struct rtlab_bpf_opts {
	unsigned tools;			/* mask of 1u << RTLAB_BPF_*; 0 is invalid */
	pid_t pid;			/* only this process (all its threads); 0: all */
	enum rtlab_bpf_key runqlat_key;
	bool ns_slots;			/* log2 slots of ns instead of µs */
	uint32_t max_keys;		/* histograms per tool; 0: 10240 */
};

/* One histogram read back from a tool. */
struct rtlab_bpf_hist {
	enum rtlab_bpf_tool tool;
	char key[96];			/* see above; "all" for the tool's total */
	char detail[8];			/* offcpu: the reason state ("S", "D", "R"...) */
	uint32_t unit_ns;		/* 1000: µs slots, 1: ns slots */
	uint64_t count, sum_ns, max_ns;
	uint64_t slots[RTLAB_BPF_SLOTS];
};

struct rtlab_bpf;

/**
 * rtlab_bpf_supported - whether this build has eBPF support (the meson
 * feature 'bpf' found clang, bpftool and libbpf).
 */
RTLAB_API bool rtlab_bpf_supported(void);

/**
 * rtlab_bpf_check - whether this process may load BPF tracing programs:
 * its capabilities (read with libcap) and the kernel lockdown mode.
 * Returns 0, -ENOTSUP (built without eBPF support) or -EPERM; on error
 * @why (may be NULL) receives the cause and the way to fix it.
 */
RTLAB_API int rtlab_bpf_check(char *why, size_t size);

/**
 * rtlab_bpf_open - load the tools of @opts (not attached yet).
 * Returns 0 and the handle in *@ret, or -EINVAL (bad options), -ENOTSUP
 * (no eBPF support in this build), -EPERM (BPF not allowed: missing
 * capability, lockdown, or the kernel refused the load; the cause goes to
 * @ctx's log), or another -errno.
 */
RTLAB_API int rtlab_bpf_open(struct rtlab_ctx *ctx, const struct rtlab_bpf_opts *opts,
			     struct rtlab_bpf **ret);

/** rtlab_bpf_start - attach every program; 0 or -errno (the log names the program). */
RTLAB_API int rtlab_bpf_start(struct rtlab_bpf *b);

/** rtlab_bpf_stop - detach every program; the maps keep what was counted.  0 or -errno. */
RTLAB_API int rtlab_bpf_stop(struct rtlab_bpf *b);

/**
 * rtlab_bpf_read - the histograms of @tool (which @b must have opened): one
 * per key, sorted by key, then "all" (the sum of them) for keyed tools.
 * Works while attached (a snapshot) or after stop.  *@ret is an array of
 * *@ret_n entries, freed with free().  Returns 0 or -errno (-ENOENT: tool not
 * opened).
 */
RTLAB_API int rtlab_bpf_read(struct rtlab_bpf *b, enum rtlab_bpf_tool tool,
			     struct rtlab_bpf_hist **ret, size_t *ret_n);

/**
 * rtlab_bpf_lost - events @tool could not count so far because a map was
 * full (raise opts.max_keys); 0 for a tool not opened.
 */
RTLAB_API uint64_t rtlab_bpf_lost(struct rtlab_bpf *b, enum rtlab_bpf_tool tool);

/**
 * rtlab_bpf_store - read every opened tool and write its histograms into the
 * run store at @db_path (a run.db or a run folder): see
 * rtlab_bpf_store_hists(); and what each tool lost (rtlab_bpf_lost()) as a
 * trace_lost(cpu NULL, source 'bpf TOOL map full', count) row.  Returns 0 or
 * -errno.
 */
RTLAB_API int rtlab_bpf_store(struct rtlab_bpf *b, const char *db_path);

/** rtlab_bpf_close - detach and unload (NULL is fine); returns NULL. */
RTLAB_API struct rtlab_bpf *rtlab_bpf_close(struct rtlab_bpf *b);

/**
 * rtlab_bpf_store_hists - write @n histograms into @db_path (a run.db, or a
 * folder holding one; created if missing) on a connection of its own, in one
 * transaction: tables bpf_hist(tool, key, lo_ns, hi_ns, count) with the
 * non-empty buckets and bpf_total(tool, key, count, sum_ns, max_ns, detail),
 * created if missing.  Returns 0 or -errno (-EIO: an SQLite error).
 */
RTLAB_API int rtlab_bpf_store_hists(const char *db_path, const struct rtlab_bpf_hist *h,
				    size_t n);

/**
 * rtlab_bpf_store_lost - add a trace_lost(cpu NULL, source 'bpf @tool map full',
 * @count) row (table created if missing) to @db_path.  Returns 0 or -errno.
 */
RTLAB_API int rtlab_bpf_store_lost(const char *db_path, enum rtlab_bpf_tool tool,
				   uint64_t count);

/**
 * rtlab_bpf_slot_range - the range [*ret_lo, *ret_hi) in ns of log2 slot
 * @slot for slots of @unit_ns (1 or 1000).  Returns 0, -EINVAL.
 */
RTLAB_API int rtlab_bpf_slot_range(uint32_t unit_ns, unsigned slot, uint64_t *ret_lo,
				   uint64_t *ret_hi);

/** rtlab_bpf_slot_of - the log2 slot a value of @value_ns falls in, for @unit_ns slots. */
RTLAB_API unsigned rtlab_bpf_slot_of(uint32_t unit_ns, uint64_t value_ns);

/**
 * rtlab_bpf_hist_bucket - the slot @i of @h as a bucket: its count, its
 * range [*ret_lo, *ret_hi) in ns (either pointer may be NULL).  0 for i out
 * of range.
 */
RTLAB_API uint64_t rtlab_bpf_hist_bucket(const struct rtlab_bpf_hist *h, size_t i,
					 uint64_t *ret_lo, uint64_t *ret_hi);

/** rtlab_bpf_hist_merge - add @src's counts, sum, max into @dst (same unit). */
RTLAB_API void rtlab_bpf_hist_merge(struct rtlab_bpf_hist *dst, const struct rtlab_bpf_hist *src);

/** rtlab_bpf_tool_name - "runqlat", "syscalls", "offcpu", "irqtime", or NULL. */
RTLAB_API const char *rtlab_bpf_tool_name(enum rtlab_bpf_tool tool);

/**
 * rtlab_bpf_tools_parse - a list of tool names ("runqlat, offcpu": commas
 * and/or blanks) into a mask of 1u << RTLAB_BPF_*.  Returns 0, -EINVAL
 * (empty list, or an unknown name; @bad, if not NULL, receives it).
 */
RTLAB_API int rtlab_bpf_tools_parse(const char *list, unsigned *ret_mask, char *bad,
				    size_t bad_size);

/**
 * rtlab_bpf_syscall_name - the x86_64 name of system call @nr ("read"), or
 * NULL if unknown.  The table is generated at build time from
 * <asm/unistd_64.h>.
 */
RTLAB_API const char *rtlab_bpf_syscall_name(long nr);

/** rtlab_bpf_softirq_name - "HI", "TIMER", "NET_TX", "NET_RX"..., or NULL. */
RTLAB_API const char *rtlab_bpf_softirq_name(unsigned vec);

/**
 * rtlab_bpf_state_name - the letter of a task state at switch-out, as ps
 * writes it: @preempted gives "R"; else "S", "D", "I" (idle D), "T", "t",
 * "X", "Z", "P", or "?" for a state it does not know.
 */
RTLAB_API const char *rtlab_bpf_state_name(unsigned state, bool preempted);

#endif /* RTLAB_BPF_H */
