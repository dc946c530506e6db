/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* irqtime.bpf.c - time in hard IRQ handlers per IRQ and in soft IRQs per vector. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "maps.bpf.h"

/* Per CPU: when the running hard IRQ handler (0) and soft IRQ (1) began. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} began SEC(".maps");

/* mark - note the start of an IRQ of @kind on this CPU. */
static __always_inline int mark(__u32 kind)
{
	__u64 *tsp = bpf_map_lookup_elem(&began, &kind);

	if (tsp)
		*tsp = bpf_ktime_get_ns();
	return 0;
}

/* account - the IRQ of @kind, number @sub, ended: NULL or its histogram, its time counted. */
static __always_inline struct rtlab_bpf_hval *account(__u32 kind, __u32 sub)
{
	struct rtlab_bpf_hkey key = { .id = kind, .sub = sub };
	struct rtlab_bpf_hval *v;
	__u64 *tsp, delta;

	tsp = bpf_map_lookup_elem(&began, &kind);
	if (!tsp || !*tsp)
		return NULL;
	delta = bpf_ktime_get_ns() - *tsp;
	*tsp = 0;
	if ((__s64)delta < 0)
		return NULL;
	v = hval_get(&key);
	if (v)
		hval_add(v, delta);
	return v;
}

/* irqtime_hard_entry - a hard IRQ handler starts. */
SEC("tp_btf/irq_handler_entry")
int BPF_PROG(irqtime_hard_entry, int irq, struct irqaction *action)
{
	return mark(RTLAB_BPF_HARDIRQ);
}

/* irqtime_hard_exit - count it under its IRQ and action name. */
SEC("tp_btf/irq_handler_exit")
int BPF_PROG(irqtime_hard_exit, int irq, struct irqaction *action, int ret)
{
	struct rtlab_bpf_hval *v = account(RTLAB_BPF_HARDIRQ, (__u32)irq);

	if (v && !v->name[0])
		bpf_probe_read_kernel_str(v->name, sizeof(v->name), action->name);
	return 0;
}

/* irqtime_soft_entry - a soft IRQ vector starts running. */
SEC("tp_btf/softirq_entry")
int BPF_PROG(irqtime_soft_entry, unsigned int vec)
{
	return mark(RTLAB_BPF_SOFTIRQ);
}

/* irqtime_soft_exit - count it under its vector. */
SEC("tp_btf/softirq_exit")
int BPF_PROG(irqtime_soft_exit, unsigned int vec)
{
	account(RTLAB_BPF_SOFTIRQ, vec);
	return 0;
}
