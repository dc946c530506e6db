/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mem.c - the mem family: /proc/meminfo, what is derived from it, /proc/swaps. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "mem/mem-family.h"

struct mem_state {
	struct probe_src meminfo;
	struct probe_src swaps;
};

/* mem_open - the sources, not yet opened. */
static int mem_open(struct rtlab_probe *p, void **state)
{
	struct mem_state *s = calloc(1, sizeof(*s));

	(void)p;
	if (!s)
		return -ENOMEM;
	probe_src_init(&s->meminfo, "/proc/meminfo");
	probe_src_init(&s->swaps, "/proc/swaps");
	*state = s;
	return 0;
}

/* mem_close - close the fds. */
static void mem_close(void *state)
{
	struct mem_state *s = state;

	probe_src_close(&s->meminfo);
	probe_src_close(&s->swaps);
	free(s);
}

/* mem_release - the swap list. */
static void mem_release(struct rtlab_probe_data *d)
{
	mem_free_arrays(&d->mem);
}

/* mem_swaps - /proc/swaps, when there is swap to list. */
static int mem_swaps(struct probe_cx *cx, struct mem_state *s)
{
	struct rtlab_probe_mem *m = &cx->d->mem;
	struct rtlab_pu64 total = m->info.swap_total_bytes;
	struct mem_perr err;
	ssize_t n;
	int r;

	m->n_swaps = 0;
	if (total.st != RTLAB_PV_OK || total.v == 0) {
		/* Without swap the file has its header only: nothing to read. */
		if (total.st == RTLAB_PV_OK)
			PV_SET(m->swap_devices, 0);
		else
			PV_NA(m->swap_devices, total.st);
		return 0;
	}
	n = mem_src_read(cx, &s->swaps);
	if (n < 0) {
		PV_NA(m->swap_devices, probe_st_from_errno((int)n));
		return n == -ENOMEM ? -ENOMEM : 0;
	}
	r = swaps_parse(s->swaps.buf, (size_t)n, m, &err);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		mem_why_parse(cx, &s->swaps, &err);
	PV_SET(m->swap_devices, m->n_swaps);
	return 0;
}

/* mem_collect - /proc/meminfo, then the swap areas. */
static int mem_collect(struct probe_cx *cx, void *state)
{
	struct mem_state *s = state;
	struct rtlab_probe_mem *m = &cx->d->mem;
	struct mem_perr err;
	ssize_t n = mem_src_read(cx, &s->meminfo);

	if (n < 0) {
		meminfo_mark(&m->info, probe_st_from_errno((int)n));
		mem_derive(m);
		m->n_swaps = 0;
		PV_NA(m->swap_devices, probe_st_from_errno((int)n));
		return (int)n;
	}
	if (meminfo_parse(s->meminfo.buf, (size_t)n, &m->info, &err) < 0)
		mem_why_parse(cx, &s->meminfo, &err);
	mem_derive(m);
	return mem_swaps(cx, s);
}

/* emit_meminfo - node_memory_<Key>[_bytes] for every key but the node-only ones, extras too. */
static void emit_meminfo(struct probe_emit *e, const struct rtlab_meminfo *mi)
{
	for (size_t i = 0; i < meminfo_nkeys; i++) {
		const struct meminfo_key *k = &meminfo_keys[i];
		struct rtlab_metric m = { k->metric, k->help, RTLAB_METRIC_GAUGE };
		const struct rtlab_pu64 *f = meminfo_cfield(mi, k);

		/* MemUsed and FilePages exist per node only: no sample while absent. */
		if (k->node_only && f->st == RTLAB_PV_ABSENT)
			continue;
		pe_emit(e, &m, mv_u64(*f));
	}
	for (size_t i = 0; i < mi->n_extra; i++) {
		const struct rtlab_meminfo_extra *x = &mi->extra[i];
		struct rtlab_metric m = { x->metric, "Memory information field (no named field).",
					  RTLAB_METRIC_GAUGE };

		pe_emit(e, &m, mv_u64(x->value));
	}
}

static const struct rtlab_metric m_used = {
	"rtlab_memory_used_bytes", "MemTotal - MemAvailable, as free(1) shows used.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_used_ratio = {
	"rtlab_memory_used_ratio", "(MemTotal - MemAvailable) / MemTotal.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_avail_ratio = {
	"rtlab_memory_available_ratio", "MemAvailable / MemTotal.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_swap_used = {
	"rtlab_memory_swap_used_bytes", "SwapTotal - SwapFree.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_swap_ratio = {
	"rtlab_memory_swap_used_ratio", "(SwapTotal - SwapFree) / SwapTotal.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_swap_devices = {
	"rtlab_swap_devices", "Active swap areas (/proc/swaps).", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_swap_info = {
	"rtlab_swap_device_info", "A swap area and its type (/proc/swaps).", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_swap_size = {
	"rtlab_swap_device_size_bytes", "Size of a swap area.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_swap_dev_used = {
	"rtlab_swap_device_used_bytes", "Space used in a swap area.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_swap_prio = {
	"rtlab_swap_device_priority", "Priority of a swap area (higher is used first).",
	RTLAB_METRIC_GAUGE
};

/* emit_swaps - the swap areas, one metric name at a time. */
static void emit_swaps(struct probe_emit *e, const struct rtlab_probe_mem *m)
{
	static const struct {
		const struct rtlab_metric *m;
		size_t off;	/* of a struct rtlab_pu64 in struct rtlab_swap_device */
	} sizes[] = {
		{ &m_swap_size, offsetof(struct rtlab_swap_device, size_bytes) },
		{ &m_swap_dev_used, offsetof(struct rtlab_swap_device, used_bytes) },
	};
	const struct rtlab_swap_device *sw = m->swaps;

	pe_emit(e, &m_swap_devices, mv_u64(m->swap_devices));
	for (size_t i = 0; i < m->n_swaps; i++)
		pe_emitl(e, &m_swap_info, mv_one(RTLAB_PV_OK), { "device", sw[i].name },
			 { "type", sw[i].type });
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		for (size_t i = 0; i < m->n_swaps; i++) {
			const void *v = (const char *)&sw[i] + sizes[k].off;

			pe_emitl(e, sizes[k].m, mv_u64(*(const struct rtlab_pu64 *)v),
				 { "device", sw[i].name });
		}
	}
	for (size_t i = 0; i < m->n_swaps; i++)
		pe_emitl(e, &m_swap_prio, mv_i64(sw[i].priority), { "device", sw[i].name });
}

/* mem_emit - meminfo as node_exporter names it, the derived values, the swap areas. */
static void mem_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	const struct rtlab_probe_mem *m = &d->mem;

	emit_meminfo(e, &m->info);
	pe_emit(e, &m_used, mv_u64(m->used_bytes));
	pe_emit(e, &m_used_ratio, mv_ratio(m->used_percent));
	pe_emit(e, &m_avail_ratio, mv_ratio(m->available_percent));
	pe_emit(e, &m_swap_used, mv_u64(m->swap_used_bytes));
	pe_emit(e, &m_swap_ratio, mv_ratio(m->swap_used_percent));
	emit_swaps(e, m);
}

const struct probe_family probe_fam_mem = {
	.name = "mem",
	.id = RTLAB_PF_MEM,
	.open = mem_open,
	.close = mem_close,
	.collect = mem_collect,
	.emit = mem_emit,
	.release = mem_release,
};
