/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* syscalls.bpf.c - latency of every system call (sys_enter -> sys_exit), per syscall number. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "maps.bpf.h"

struct in_flight {
	__u64 ts;
	__u64 id;
};

/* The system call in flight of each thread (when it entered, its number), by thread id. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RTLAB_BPF_DEFAULT_KEYS);
	__type(key, __u32);
	__type(value, struct in_flight);
} entered SEC(".maps");

/* syscalls_enter - note the time and number of the call entered. */
SEC("tp_btf/sys_enter")
int BPF_PROG(syscalls_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32, tid = (__u32)pid_tgid;
	struct in_flight f;

	if (!tgid_wanted(tgid) || id < 0)
		return 0;
	f.ts = bpf_ktime_get_ns();
	f.id = (__u64)id;
	keep(&entered, &tid, &f);
	return 0;
}

/* syscalls_exit - count the time since the entry of this thread's call. */
SEC("tp_btf/sys_exit")
int BPF_PROG(syscalls_exit, struct pt_regs *regs, long ret)
{
	struct rtlab_bpf_hkey key = {};
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct rtlab_bpf_hval *v;
	struct in_flight *f;
	__u64 delta;

	f = bpf_map_lookup_elem(&entered, &tid);
	if (!f)
		return 0;
	delta = bpf_ktime_get_ns() - f->ts;
	key.id = (__u32)f->id;
	bpf_map_delete_elem(&entered, &tid);
	if ((__s64)delta < 0)
		return 0;
	v = hval_get(&key);
	if (v)
		hval_add(v, delta);
	return 0;
}
