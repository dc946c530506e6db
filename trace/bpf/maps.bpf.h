/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* maps.bpf.h - what the BPF programs share: the histogram map, log2 slots, the pid filter. */
#ifndef RTLAB_MAPS_BPF_H
#define RTLAB_MAPS_BPF_H

#include "bpf-common.h"

const volatile struct rtlab_bpf_cfg cfg = {
	.unit_ns = 1000,
};

/* Written by nothing: the zeroes a new histogram starts from. */
struct rtlab_bpf_hval zero_hval;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, RTLAB_BPF_DEFAULT_KEYS);
	__type(key, struct rtlab_bpf_hkey);
	__type(value, struct rtlab_bpf_hval);
} hists SEC(".maps");

/* Events that found a map full: counted, never dropped silently. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

/* count_lost - one more event this CPU could not keep. */
static __always_inline void count_lost(void)
{
	__u32 zero = 0;
	__u64 *c = bpf_map_lookup_elem(&lost, &zero);

	if (c)
		(*c)++;
}

/* keep - bpf_map_update_elem(), counting a failure (a full map) as lost. */
static __always_inline void keep(void *map, const void *key, const void *value)
{
	if (bpf_map_update_elem(map, key, value, BPF_ANY) < 0)
		count_lost();
}

/* log2_u64 - floor(log2(v)), 0 for v = 0: five halving steps on a 64-bit value. */
static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0, s;

	s = (v > 0xffffffffULL) << 5;
	v >>= s;
	r |= s;
	s = (v > 0xffff) << 4;
	v >>= s;
	r |= s;
	s = (v > 0xff) << 3;
	v >>= s;
	r |= s;
	s = (v > 0xf) << 2;
	v >>= s;
	r |= s;
	s = (v > 0x3) << 1;
	v >>= s;
	r |= s;
	return r | (__u32)(v >> 1);
}

/* hval_get - the histogram of @key, created empty if missing; NULL if the map is full. */
static __always_inline struct rtlab_bpf_hval *hval_get(const struct rtlab_bpf_hkey *key)
{
	struct rtlab_bpf_hval *v = bpf_map_lookup_elem(&hists, key);

	if (v)
		return v;
	bpf_map_update_elem(&hists, key, &zero_hval, BPF_NOEXIST);
	v = bpf_map_lookup_elem(&hists, key);
	if (!v)
		count_lost();
	return v;
}

/* hval_add - count @delta_ns in @v (this CPU's copy: no atomics needed). */
static __always_inline void hval_add(struct rtlab_bpf_hval *v, __u64 delta_ns)
{
	__u64 units = cfg.unit_ns > 1 ? delta_ns / cfg.unit_ns : delta_ns;
	__u32 slot = log2_u64(units);

	if (slot >= RTLAB_BPF_NSLOTS)
		slot = RTLAB_BPF_NSLOTS - 1;
	v->slots[slot]++;
	v->count++;
	v->sum_ns += delta_ns;
	if (delta_ns > v->max_ns)
		v->max_ns = delta_ns;
}

/* tgid_wanted - whether a task of process @tgid passes the pid filter. */
static __always_inline bool tgid_wanted(__u32 tgid)
{
	return !cfg.targ_tgid || tgid == cfg.targ_tgid;
}

char LICENSE[] SEC("license") = "GPL";

#endif /* RTLAB_MAPS_BPF_H */
