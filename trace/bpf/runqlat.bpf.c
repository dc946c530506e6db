/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* runqlat.bpf.c - run queue latency: wake-up (or preemption) to switch-in, log2 histograms. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "maps.bpf.h"

/* When each runnable thread was queued, by thread id. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RTLAB_BPF_DEFAULT_KEYS);
	__type(key, __u32);
	__type(value, __u64);
} queued SEC(".maps");

/* enqueue - remember that @p became runnable now. */
static __always_inline int enqueue(struct task_struct *p)
{
	__u32 tid = p->pid;
	__u64 ts;

	if (!tid || !tgid_wanted(p->tgid))
		return 0;
	ts = bpf_ktime_get_ns();
	keep(&queued, &tid, &ts);
	return 0;
}

/* runqlat_wakeup - a woken thread is queued. */
SEC("tp_btf/sched_wakeup")
int BPF_PROG(runqlat_wakeup, struct task_struct *p)
{
	return enqueue(p);
}

/* runqlat_wakeup_new - a new thread is queued. */
SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(runqlat_wakeup_new, struct task_struct *p)
{
	return enqueue(p);
}

/* runqlat_switch - requeue a preempted @prev; count the queueing time of @next. */
SEC("tp_btf/sched_switch")
int BPF_PROG(runqlat_switch, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	struct rtlab_bpf_hkey key = {};
	struct rtlab_bpf_hval *v;
	__u32 tid = next->pid;
	__u64 *tsp, delta;

	/* A preempted task is queued again at once. */
	if (prev_state == 0)
		enqueue(prev);
	tsp = bpf_map_lookup_elem(&queued, &tid);
	if (!tsp)
		return 0;
	delta = bpf_ktime_get_ns() - *tsp;
	bpf_map_delete_elem(&queued, &tid);
	if ((__s64)delta < 0)
		return 0;
	if (cfg.key_mode == RTLAB_BPF_MODE_CPU)
		key.sub = bpf_get_smp_processor_id();
	else if (cfg.key_mode == RTLAB_BPF_MODE_PID)
		key.sub = next->tgid;
	v = hval_get(&key);
	if (!v)
		return 0;
	if (cfg.key_mode == RTLAB_BPF_MODE_PID && !v->name[0])
		bpf_probe_read_kernel_str(v->name, sizeof(v->name), next->group_leader->comm);
	hval_add(v, delta);
	return 0;
}
