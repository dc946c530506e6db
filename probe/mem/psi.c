/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* psi.c - the psi family: /proc/pressure/{cpu,memory,io,irq}. */
#include <errno.h>
#include <stdlib.h>

#include "mem/mem-family.h"

/* Index by enum rtlab_psi_resource. */
static const char *const psi_names[RTLAB_PSI__COUNT] = { "cpu", "memory", "io", "irq" };

struct psi_state {
	struct probe_src src[RTLAB_PSI__COUNT];
	/* -ENOENT or -EOPNOTSUPP once seen: PSI or the file is off until reboot, not re-tried. */
	int off[RTLAB_PSI__COUNT];
};

/* psi_open - the sources, not yet opened. */
static int psi_open(struct rtlab_probe *p, void **state)
{
	struct psi_state *s = calloc(1, sizeof(*s));

	(void)p;
	if (!s)
		return -ENOMEM;
	for (unsigned i = 0; i < RTLAB_PSI__COUNT; i++)
		probe_src_init(&s->src[i], "/proc/pressure/%s", psi_names[i]);
	*state = s;
	return 0;
}

/* psi_close - close the fds. */
static void psi_close(void *state)
{
	struct psi_state *s = state;

	for (unsigned i = 0; i < RTLAB_PSI__COUNT; i++)
		probe_src_close(&s->src[i]);
	free(s);
}

/* psi_one - one resource's file; returns 0 or the -errno of its read. */
static int psi_one(struct probe_cx *cx, struct psi_state *s, unsigned i)
{
	struct rtlab_psi_pressure *ps = &cx->d->psi.res[i];
	struct mem_perr err;
	ssize_t n = s->off[i] ? s->off[i] : probe_src_read(cx->p, &s->src[i]);

	if (n < 0) {
		psi_mark(ps, probe_st_from_errno((int)n));
		if (n == -ENOENT || n == -EOPNOTSUPP)
			s->off[i] = (int)n;
		/* irq pressure exists only with IRQ time accounting: its absence is no problem. */
		if (i != RTLAB_PSI_IRQ || n != -ENOENT)
			probe_why(cx, "%s: %s%s", s->src[i].path, strerror((int)-n),
				  n == -EOPNOTSUPP ? " (PSI is off: boot with psi=1)" : "");
		return (int)n;
	}
	if (psi_parse(s->src[i].buf, (size_t)n, ps, &err) < 0)
		mem_why_parse(cx, &s->src[i], &err);
	return 0;
}

/* psi_collect - every resource; an error only if none of cpu, memory, io could be read. */
static int psi_collect(struct probe_cx *cx, void *state)
{
	int first = 0, failed = 0;

	for (unsigned i = 0; i < RTLAB_PSI__COUNT; i++) {
		int r = psi_one(cx, state, i);

		if (r == -ENOMEM)
			return r;
		if (r < 0 && i != RTLAB_PSI_IRQ) {
			failed++;
			first = first ? first : r;
		}
	}
	/* cpu, memory and io all failed: PSI is not there. */
	return failed == RTLAB_PSI__COUNT - 1 ? first : 0;
}

#define STALL(res, kind, what)                                                     \
	{ "node_pressure_" res "_" kind "_seconds_total",                           \
	  "Total time in seconds " what " (/proc/pressure/" res ").", RTLAB_METRIC_COUNTER }

/* [resource][0: some, 1: full]; NULL where the kernel prints no such line. */
static const struct rtlab_metric m_stall[RTLAB_PSI__COUNT][2] = {
	{ STALL("cpu", "waiting", "that processes have waited for CPU time"),
	  STALL("cpu", "stalled", "no process could make progress for lack of CPU") },
	{ STALL("memory", "waiting", "that processes have waited for memory"),
	  STALL("memory", "stalled", "no process could make progress due to memory congestion") },
	{ STALL("io", "waiting", "that processes have waited due to IO congestion"),
	  STALL("io", "stalled", "no process could make progress due to IO congestion") },
	{ { NULL, NULL, RTLAB_METRIC_COUNTER },
	  STALL("irq", "stalled", "no process could make progress due to IRQ handling") },
};

static const struct rtlab_metric m_avg = {
	"rtlab_pressure_avg_ratio",
	"Share of wall time stalled, averaged over the window (/proc/pressure avg10/60/300).",
	RTLAB_METRIC_GAUGE
};

/* psi_line - line @kind (0: some, 1: full) of resource @i. */
static const struct rtlab_psi_line *psi_line(const struct rtlab_probe_data *d, unsigned i,
					     unsigned kind)
{
	return kind ? &d->psi.res[i].full : &d->psi.res[i].some;
}

/* emit_avgs - rtlab_pressure_avg_ratio{resource,kind,window} for every line printed. */
static void emit_avgs(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	static const char *const kinds[] = { "some", "full" };

	for (unsigned i = 0; i < RTLAB_PSI__COUNT; i++) {
		for (unsigned k = 0; k < 2; k++) {
			const struct rtlab_psi_line *l = psi_line(d, i, k);

			if (!m_stall[i][k].name)
				continue;
			pe_emitl(e, &m_avg, mv_ratio(l->avg10), { "resource", psi_names[i] },
				 { "kind", kinds[k] }, { "window", "10s" });
			pe_emitl(e, &m_avg, mv_ratio(l->avg60), { "resource", psi_names[i] },
				 { "kind", kinds[k] }, { "window", "60s" });
			pe_emitl(e, &m_avg, mv_ratio(l->avg300), { "resource", psi_names[i] },
				 { "kind", kinds[k] }, { "window", "300s" });
		}
	}
}

/* psi_emit - node_exporter's stall counters in seconds, then the averages. */
static void psi_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	for (unsigned i = 0; i < RTLAB_PSI__COUNT; i++) {
		for (unsigned k = 0; k < 2; k++) {
			const struct rtlab_psi_line *l = psi_line(d, i, k);

			if (m_stall[i][k].name)
				pe_emit(e, &m_stall[i][k], mv_scaled(l->total_us, 1e-6));
		}
	}
	emit_avgs(e, d);
}

const struct probe_family probe_fam_psi = {
	.name = "psi",
	.id = RTLAB_PF_PSI,
	.open = psi_open,
	.close = psi_close,
	.collect = psi_collect,
	.emit = psi_emit,
};
