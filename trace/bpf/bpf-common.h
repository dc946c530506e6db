/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bpf-common.h - the types the BPF programs and their loader share (map keys, values, knobs). */
#ifndef RTLAB_BPF_COMMON_H
#define RTLAB_BPF_COMMON_H

#define RTLAB_BPF_NSLOTS 40
#define RTLAB_BPF_NAME_LEN 32
#define RTLAB_BPF_DEFAULT_KEYS 10240

/* runqlat key modes (cfg.key_mode). */
#define RTLAB_BPF_MODE_ALL 0
#define RTLAB_BPF_MODE_CPU 1
#define RTLAB_BPF_MODE_PID 2

/* irqtime key kinds (key.id). */
#define RTLAB_BPF_HARDIRQ 0
#define RTLAB_BPF_SOFTIRQ 1

/* Knobs, a const volatile in each program's .rodata, set before load. */
struct rtlab_bpf_cfg {
	__u32 targ_tgid;	/* 0: every process */
	__u32 key_mode;		/* runqlat: RTLAB_BPF_MODE_* */
	__u32 unit_ns;		/* slot unit: 1 or 1000 */
	__u32 pad;
};

/*
 * One histogram key for every tool:
 *	runqlat:  id = 0, a CPU or a tgid (by mode)
 *	syscalls: id = syscall number
 *	offcpu:   id = thread id, sub = prev_state at switch-out
 *	irqtime:  id = RTLAB_BPF_HARDIRQ / SOFTIRQ, sub = IRQ number / softirq vector
 */
struct rtlab_bpf_hkey {
	__u32 id;
	__u32 sub;
};

/* A histogram in a per-CPU hash map; user space sums the CPUs. */
struct rtlab_bpf_hval {
	__u64 slots[RTLAB_BPF_NSLOTS];
	__u64 count;
	__u64 sum_ns;
	__u64 max_ns;
	char name[RTLAB_BPF_NAME_LEN];	/* comm (runqlat per pid, offcpu) or IRQ action name */
};

#endif /* RTLAB_BPF_COMMON_H */
