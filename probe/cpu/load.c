/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* load.c - the load family: /proc/loadavg. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu-parse.h"
#include "probe-internal.h"

struct load_state {
	struct probe_src src;
};

/* load_open - the source, not yet opened. */
static int load_open(struct rtlab_probe *p, void **state)
{
	struct load_state *s = calloc(1, sizeof(*s));

	(void)p;
	if (!s)
		return -ENOMEM;
	probe_src_init(&s->src, "/proc/loadavg");
	*state = s;
	return 0;
}

/* load_close - close the fd. */
static void load_close(void *state)
{
	struct load_state *s = state;

	probe_src_close(&s->src);
	free(s);
}

/* load_mark - every field of @l in state @st. */
static void load_mark(struct rtlab_probe_load *l, enum rtlab_pv_state st)
{
	PV_NA(l->load1, st);
	PV_NA(l->load5, st);
	PV_NA(l->load15, st);
	PV_NA(l->runnable, st);
	PV_NA(l->entities, st);
	PV_NA(l->last_pid, st);
}

/* load_collect - read and parse /proc/loadavg. */
static int load_collect(struct probe_cx *cx, void *state)
{
	struct load_state *s = state;
	ssize_t n = probe_src_read(cx->p, &s->src);

	if (n < 0) {
		load_mark(&cx->d->load, probe_st_from_errno((int)n));
		probe_why(cx, "%s: %s", s->src.path, strerror((int)-n));
		return (int)n;
	}
	if (load_parse(s->src.buf, (size_t)n, &cx->d->load) < 0)
		probe_why(cx, "%s:1: malformed", s->src.path);
	return 0;
}

static const struct rtlab_metric m_load1 = { "node_load1", "1m load average.",
					     RTLAB_METRIC_GAUGE };
static const struct rtlab_metric m_load5 = { "node_load5", "5m load average.",
					     RTLAB_METRIC_GAUGE };
static const struct rtlab_metric m_load15 = { "node_load15", "15m load average.",
					      RTLAB_METRIC_GAUGE };
static const struct rtlab_metric m_runnable = {
	"rtlab_load_runnable_entities", "Scheduling entities runnable now (/proc/loadavg).",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_entities = {
	"rtlab_load_entities", "Scheduling entities (threads) that exist (/proc/loadavg).",
	RTLAB_METRIC_GAUGE
};

/* load_emit - node_load1/5/15 and the entity counts. */
static void load_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	pe_emit(e, &m_load1, mv_f64(d->load.load1));
	pe_emit(e, &m_load5, mv_f64(d->load.load5));
	pe_emit(e, &m_load15, mv_f64(d->load.load15));
	pe_emit(e, &m_runnable, mv_u64(d->load.runnable));
	pe_emit(e, &m_entities, mv_u64(d->load.entities));
}

const struct probe_family probe_fam_load = {
	.name = "load",
	.id = RTLAB_PF_LOAD,
	.open = load_open,
	.close = load_close,
	.collect = load_collect,
	.emit = load_emit,
};
