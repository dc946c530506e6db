/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bpf-hist.c - log2 slots of the eBPF histograms as [lo, hi) buckets, merging, totals. */
#include <errno.h>
#include <string.h>

#include "bpf-internal.h"

_Static_assert(RTLAB_BPF_SLOTS == RTLAB_BPF_NSLOTS, "slot counts of the API and the maps");

/* rtlab_bpf_slot_range - [lo, hi) ns of a log2 slot of @unit_ns units. */
RTLAB_API int rtlab_bpf_slot_range(uint32_t unit_ns, unsigned slot, uint64_t *ret_lo,
				   uint64_t *ret_hi)
{
	if ((unit_ns != 1 && unit_ns != 1000) || slot >= RTLAB_BPF_SLOTS)
		return -EINVAL;
	*ret_lo = slot ? (1ULL << slot) * unit_ns : 0;
	*ret_hi = (1ULL << (slot + 1)) * unit_ns;
	return 0;
}

/* rtlab_bpf_slot_of - the slot of @value_ns, as the BPF programs compute it. */
RTLAB_API unsigned rtlab_bpf_slot_of(uint32_t unit_ns, uint64_t value_ns)
{
	uint64_t units = unit_ns > 1 ? value_ns / unit_ns : value_ns;
	unsigned slot = units ? 63 - (unsigned)__builtin_clzll(units) : 0;

	return slot < RTLAB_BPF_SLOTS ? slot : RTLAB_BPF_SLOTS - 1;
}

/* rtlab_bpf_hist_bucket - slot @i of @h as a bucket [lo, hi) and its count. */
RTLAB_API uint64_t rtlab_bpf_hist_bucket(const struct rtlab_bpf_hist *h, size_t i,
					 uint64_t *ret_lo, uint64_t *ret_hi)
{
	uint64_t lo, hi;

	if (i >= RTLAB_BPF_SLOTS || rtlab_bpf_slot_range(h->unit_ns, (unsigned)i, &lo, &hi) < 0)
		return 0;
	if (ret_lo)
		*ret_lo = lo;
	if (ret_hi)
		*ret_hi = hi;
	return h->slots[i];
}

/* add_counts - add counts, sum, max into @dst. */
static void add_counts(struct rtlab_bpf_hist *dst, const uint64_t *slots, uint64_t count,
		       uint64_t sum_ns, uint64_t max_ns)
{
	for (size_t i = 0; i < RTLAB_BPF_SLOTS; i++)
		dst->slots[i] += slots[i];
	dst->count += count;
	dst->sum_ns = sum_ns > UINT64_MAX - dst->sum_ns ? UINT64_MAX : dst->sum_ns + sum_ns;
	if (max_ns > dst->max_ns)
		dst->max_ns = max_ns;
}

/* rtlab_bpf_hist_merge - add @src into @dst. */
RTLAB_API void rtlab_bpf_hist_merge(struct rtlab_bpf_hist *dst, const struct rtlab_bpf_hist *src)
{
	add_counts(dst, src->slots, src->count, src->sum_ns, src->max_ns);
}

/* bpf_hist_add_value - add one CPU's copy of a map value. */
void bpf_hist_add_value(struct rtlab_bpf_hist *h, const struct rtlab_bpf_hval *v)
{
	add_counts(h, (const uint64_t *)v->slots, v->count, v->sum_ns, v->max_ns);
}

/* bpf_tool_keyed - whether the tool has several keys. */
bool bpf_tool_keyed(enum rtlab_bpf_tool tool, uint32_t key_mode)
{
	return tool != RTLAB_BPF_RUNQLAT || key_mode != RTLAB_BPF_MODE_ALL;
}

/* bpf_hists_add_total - append the "all" total of @hs[0..n). */
size_t bpf_hists_add_total(struct rtlab_bpf_hist *hs, size_t n, enum rtlab_bpf_tool tool,
			   uint32_t unit_ns)
{
	struct rtlab_bpf_hist *all = &hs[n];

	memset(all, 0, sizeof(*all));
	all->tool = tool;
	all->unit_ns = unit_ns;
	strcpy(all->key, "all");
	for (size_t i = 0; i < n; i++)
		rtlab_bpf_hist_merge(all, &hs[i]);
	return n + 1;
}
