/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bpf-read.c - read a tool's per-CPU histogram map back into rtlab_bpf_hist entries. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "core-internal.h"

#include "bpf-tools-internal.h"

/* One key of the map and its histogram, summed over the CPUs. */
struct entry {
	struct rtlab_bpf_hkey key;
	struct rtlab_bpf_hist hist;
};

/* entry_cmp - by key: id, then sub. */
static int entry_cmp(const void *a, const void *b)
{
	const struct rtlab_bpf_hkey *x = &((const struct entry *)a)->key;
	const struct rtlab_bpf_hkey *y = &((const struct entry *)b)->key;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->sub < y->sub ? -1 : x->sub > y->sub;
}

/* sum_cpus - add the @ncpus copies of @vals into @e; the first saved name wins. */
static void sum_cpus(struct entry *e, const struct rtlab_bpf_hval *vals, int ncpus,
		     const struct rtlab_bpf *b, enum rtlab_bpf_tool tool)
{
	const char *name = "";

	memset(&e->hist, 0, sizeof(e->hist));
	e->hist.unit_ns = b->opts.ns_slots ? 1 : 1000;
	for (int c = 0; c < ncpus; c++) {
		bpf_hist_add_value(&e->hist, &vals[c]);
		if (!name[0] && vals[c].name[0])
			name = vals[c].name;
	}
	bpf_hist_from_key(&e->hist, tool, (uint32_t)b->opts.runqlat_key, &e->key, name);
}

/* walk_map - every key of @fd into a growing array of entries. */
static int walk_map(const struct rtlab_bpf *b, enum rtlab_bpf_tool tool, int fd,
		    struct entry **ret, size_t *ret_n)
{
	int ncpus = libbpf_num_possible_cpus();
	struct rtlab_bpf_hkey key, next, *prev = NULL;
	struct rtlab_bpf_hval *vals;
	struct entry *e = NULL, *tmp;
	size_t n = 0, cap = 0;
	int r = 0;

	if (ncpus <= 0)
		return ncpus < 0 ? ncpus : -EINVAL;
	vals = calloc((size_t)ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, vals) < 0)
			continue;	/* deleted meanwhile */
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 64;
			tmp = realloc(e, cap * sizeof(*e));
			if (!tmp) {
				r = -ENOMEM;
				break;
			}
			e = tmp;
		}
		e[n].key = key;
		sum_cpus(&e[n++], vals, ncpus, b, tool);
	}
	free(vals);
	if (r < 0) {
		free(e);
		return r;
	}
	*ret = e;
	*ret_n = n;
	return 0;
}

/* rtlab_bpf_lost - the per-CPU "lost" counter of @tool, summed. */
RTLAB_API uint64_t rtlab_bpf_lost(struct rtlab_bpf *b, enum rtlab_bpf_tool tool)
{
	int ncpus = libbpf_num_possible_cpus();
	uint64_t *vals, sum = 0;
	uint32_t zero = 0;

	if (!b || (unsigned)tool >= _RTLAB_BPF_TOOL_MAX || !b->skel[tool] || ncpus <= 0)
		return 0;
	vals = calloc((size_t)ncpus, sizeof(*vals));
	if (b->lost[tool] && vals &&
	    bpf_map_lookup_elem(bpf_map__fd(b->lost[tool]), &zero, vals) == 0)
		for (int c = 0; c < ncpus; c++)
			sum += vals[c];
	free(vals);
	return sum;
}

/* rtlab_bpf_read - the histograms of @tool, sorted by key, then "all". */
RTLAB_API int rtlab_bpf_read(struct rtlab_bpf *b, enum rtlab_bpf_tool tool,
			     struct rtlab_bpf_hist **ret, size_t *ret_n)
{
	struct rtlab_bpf_hist *h;
	struct entry *e = NULL;
	size_t n = 0, i;
	int r;

	if (!b || !ret || !ret_n || (unsigned)tool >= _RTLAB_BPF_TOOL_MAX)
		return -EINVAL;
	if (!b->skel[tool])
		return -ENOENT;
	r = walk_map(b, tool, bpf_map__fd(b->hists[tool]), &e, &n);
	if (r < 0)
		return rtlab_err(b->ctx, r, "bpf: reading %s failed", rtlab_bpf_tool_name(tool));
	if (n)
		qsort(e, n, sizeof(*e), entry_cmp);
	h = calloc(n + 1, sizeof(*h));
	if (!h) {
		free(e);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		h[i] = e[i].hist;
	free(e);
	if (bpf_tool_keyed(tool, (uint32_t)b->opts.runqlat_key) || !n)
		n = bpf_hists_add_total(h, n, tool, b->opts.ns_slots ? 1 : 1000);
	*ret = h;
	*ret_n = n;
	return 0;
}
