/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmstat.c - the vmstat family: every line of /proc/vmstat, counters' rates. */
#include <errno.h>
#include <stdlib.h>

#include "mem/mem-family.h"

struct vmstat_state {
	struct probe_src src;
};

/* vmstat_open - the source, not yet opened. */
static int vmstat_open(struct rtlab_probe *p, void **state)
{
	struct vmstat_state *s = calloc(1, sizeof(*s));

	(void)p;
	if (!s)
		return -ENOMEM;
	probe_src_init(&s->src, "/proc/vmstat");
	*state = s;
	return 0;
}

/* vmstat_close - close the fd. */
static void vmstat_close(void *state)
{
	struct vmstat_state *s = state;

	probe_src_close(&s->src);
	free(s);
}

/* vmstat_release - the list of lines. */
static void vmstat_release(struct rtlab_probe_data *d)
{
	stat_list_free(&d->vmstat.lines);
}

/* vmstat_collect - read, parse, rates over the interval since the last collection. */
static int vmstat_collect(struct probe_cx *cx, void *state)
{
	struct vmstat_state *s = state;
	struct rtlab_probe_vmstat *v = &cx->d->vmstat;
	struct mem_perr err;
	ssize_t n = mem_src_read(cx, &s->src);
	int r;

	if (n < 0) {
		vmstat_mark(v, probe_st_from_errno((int)n));
		return (int)n;
	}
	r = vmstat_parse(s->src.buf, (size_t)n, v, &err);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		mem_why_parse(cx, &s->src, &err);
	vmstat_rates(v, cx->prev_ns ? cx->now_ns - cx->prev_ns : 0);
	return 0;
}

static const struct rtlab_metric m_rate = {
	"rtlab_vmstat_rate_per_second",
	"Per-second rate of a /proc/vmstat counter over the last interval.", RTLAB_METRIC_GAUGE
};

/* vmstat_emit - node_vmstat_<name> for every line (node_exporter's names), then the rates. */
static void vmstat_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	const struct rtlab_vmstat_list *l = &d->vmstat.lines;

	for (size_t i = 0; i < l->n; i++) {
		struct rtlab_metric m = { l->items[i].metric, "/proc/vmstat information field.",
					  RTLAB_METRIC_GAUGE };

		pe_emit(e, &m, mv_u64(l->items[i].value));
	}
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].counter)
			pe_emitl(e, &m_rate, mv_f64(l->items[i].rate_per_s),
				 { "name", l->items[i].name });
}

const struct probe_family probe_fam_vmstat = {
	.name = "vmstat",
	.id = RTLAB_PF_VMSTAT,
	.open = vmstat_open,
	.close = vmstat_close,
	.collect = vmstat_collect,
	.emit = vmstat_emit,
	.release = vmstat_release,
	/*
	 * Slow: the kernel sums every per-CPU event counter to write the file
	 * (17 us here on 2 CPUs, more with each CPU), and all of it is counters
	 * whose rates hold over any interval.
	 */
	.slow = true,
};
