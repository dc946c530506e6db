/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* offcpu.bpf.c - off-CPU time per thread and the state it left the CPU in. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "maps.bpf.h"

struct off_start {
	__u64 ts;
	__u32 state;
	__u32 pad;
};

/* When each thread left its CPU, and in which state, by thread id. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RTLAB_BPF_DEFAULT_KEYS);
	__type(key, __u32);
	__type(value, struct off_start);
} off SEC(".maps");

/* offcpu_switch - @prev leaves in a state; count the time @next was away. */
SEC("tp_btf/sched_switch")
int BPF_PROG(offcpu_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	struct rtlab_bpf_hkey key = {};
	struct off_start st = {}, *sp;
	struct rtlab_bpf_hval *v;
	__u32 tid = prev->pid;
	__u64 now = bpf_ktime_get_ns();

	if (tid && tgid_wanted(prev->tgid)) {
		st.ts = now;
		st.state = preempt ? 0 : prev_state;
		keep(&off, &tid, &st);
	}
	tid = next->pid;
	sp = bpf_map_lookup_elem(&off, &tid);
	if (!sp)
		return 0;
	key.id = tid;
	key.sub = sp->state;
	now -= sp->ts;
	bpf_map_delete_elem(&off, &tid);
	if ((__s64)now < 0)
		return 0;
	v = hval_get(&key);
	if (!v)
		return 0;
	if (!v->name[0])
		bpf_probe_read_kernel_str(v->name, sizeof(v->name), next->comm);
	hval_add(v, now);
	return 0;
}
