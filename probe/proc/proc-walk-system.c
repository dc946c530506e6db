/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-walk-system.c - the walk table's header: load, CPU and memory totals, uptime. */
#include <errno.h>
#include <string.h>

#include "cpu/cpu-parse.h"
#include "probe-parse.h"
#include "proc/proc-parse.h"
#include "proc/proc-walk.h"

/* walk_meminfo - MemTotal for mem_pct, and the header's memory values. */
void walk_meminfo(struct rtlab_proc_walker *w, struct rtlab_proc_table *t)
{
	struct proc_meminfo mi;
	ssize_t n = probe_src_read(w->p, &w->meminfo);

	if (n < 0) {
		proc_meminfo_mark(&mi, probe_st_from_errno((int)n));
		walk_why(t, "%s: %s", w->meminfo.path, strerror((int)-n));
	} else if (proc_meminfo_parse(w->meminfo.buf, (size_t)n, &mi) < 0) {
		walk_why(t, "%s: malformed", w->meminfo.path);
	}
	w->mem_total = mi.total;
	t->mem_available_bytes = mi.available;
	t->mem_free_bytes = mi.free;
	t->swap_total_bytes = mi.swap_total;
	t->swap_free_bytes = mi.swap_free;
}

/* system_mark - the header's fields in state @st. */
static void system_mark(struct rtlab_proc_table *t, uint8_t st)
{
	struct rtlab_pu64 *u[] = { &t->mem_available_bytes, &t->mem_free_bytes,
				   &t->swap_total_bytes, &t->swap_free_bytes, &t->ncpus };
	struct rtlab_pf64 *f[] = { &t->load1, &t->load5, &t->load15, &t->uptime_s };

	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		PV_NA(*u[i], st);
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		PV_NA(*f[i], st);
	for (size_t i = 0; i < RTLAB_PROC_CPU__COUNT; i++)
		PV_NA(t->cpu_pct[i], st);
}

/* system_cpu - the share of each CPU mode since the previous walk, from /proc/stat. */
static void system_cpu(struct rtlab_proc_walker *w, struct rtlab_proc_table *t)
{
	uint64_t ticks[RTLAB_PROC_CPU__COUNT], ncpus, total = 0;
	ssize_t n = probe_src_read(w->p, &w->stat);
	bool ready = w->have_prev_cpu;

	if (n < 0 || proc_cpu_line_parse(w->stat.buf, (size_t)n, ticks, &ncpus) < 0) {
		uint8_t st = n < 0 ? probe_st_from_errno((int)n) : RTLAB_PV_MALFORMED;

		for (size_t i = 0; i < RTLAB_PROC_CPU__COUNT; i++)
			PV_NA(t->cpu_pct[i], st);
		PV_NA(t->ncpus, st);
		walk_why(t, "%s: %s", w->stat.path, n < 0 ? strerror((int)-n) : "malformed");
		w->have_prev_cpu = false;
		return;
	}
	PV_SET(t->ncpus, ncpus);
	for (size_t i = 0; i < RTLAB_PROC_CPU__COUNT; i++) {
		/* Counters that go back (CPU hot-unplug): start over. */
		ready = ready && ticks[i] >= w->prev_cpu[i];
		total += ticks[i] - (ready ? w->prev_cpu[i] : 0);
	}
	for (size_t i = 0; i < RTLAB_PROC_CPU__COUNT; i++) {
		if (ready && total)
			PV_SET(t->cpu_pct[i], (double)(ticks[i] - w->prev_cpu[i]) / (double)total *
						      100.0);
		else
			PV_NA(t->cpu_pct[i], RTLAB_PV_NOT_READY);
		w->prev_cpu[i] = ticks[i];
	}
	w->have_prev_cpu = true;
}

/* system_uptime - seconds since boot, the first number of /proc/uptime. */
static void system_uptime(struct rtlab_proc_walker *w, struct rtlab_proc_table *t)
{
	ssize_t n = probe_src_read(w->p, &w->uptime);
	const char *p = w->uptime.buf;
	double up;

	if (n < 0)
		PV_NA(t->uptime_s, probe_st_from_errno((int)n));
	else if (!pp_fixed(&p, p + n, &up) || p == w->uptime.buf + n || *p != ' ')
		PV_NA(t->uptime_s, RTLAB_PV_MALFORMED);
	else
		PV_SET(t->uptime_s, up);
}

/* walk_system - the header, if asked for. */
void walk_system(struct rtlab_proc_walker *w, uint32_t fields, struct rtlab_proc_table *t,
		 const struct rtlab_probe_load *l)
{
	if (!(fields & RTLAB_PROC_W_SYSTEM)) {
		system_mark(t, RTLAB_PV_ABSENT);
		t->mem_total_bytes = w->mem_total;
		return;
	}
	if (l) {
		t->load1 = l->load1;
		t->load5 = l->load5;
		t->load15 = l->load15;
	} else {
		PV_NA(t->load1, RTLAB_PV_ABSENT);
		PV_NA(t->load5, RTLAB_PV_ABSENT);
		PV_NA(t->load15, RTLAB_PV_ABSENT);
	}
	walk_meminfo(w, t);
	t->mem_total_bytes = w->mem_total;
	system_cpu(w, t);
	system_uptime(w, t);
}
