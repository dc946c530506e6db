/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpuidle-emit.c - the cpuidle family's samples: driver, C-state descriptions and counters. */
#include <stdio.h>

#include "cpu/cpu-family.h"

#define GAUGE RTLAB_METRIC_GAUGE
#define COUNTER RTLAB_METRIC_COUNTER

/* A number of a C-state: the rtlab_pu64 at @off times @scale (1: exported as an integer). */
struct idle_metric {
	struct rtlab_metric m;
	size_t off;
	double scale;
};

static const struct rtlab_metric m_driver = {
	"rtlab_cpuidle_info", "cpuidle driver and governor.", GAUGE
};
static const struct rtlab_metric m_state = {
	"rtlab_cpu_idle_state_info", "A C-state of a CPU and its description.", GAUGE
};

/* Per C-state (labels cpu, state). */
static const struct idle_metric metrics[] = {
	{ { "rtlab_cpu_idle_state_latency_seconds", "Exit latency of the C-state.", GAUGE },
	  S_OFF(latency_us), 1e-6 },
	{ { "rtlab_cpu_idle_state_residency_seconds", "Target residency of the C-state.", GAUGE },
	  S_OFF(residency_us), 1e-6 },
	{ { "rtlab_cpu_idle_state_disabled", "1 if the C-state is disabled.", GAUGE },
	  S_OFF(disable), 1 },
	{ { "rtlab_cpu_idle_state_usage_total", "Times the C-state was entered.", COUNTER },
	  S_OFF(usage), 1 },
	{ { "rtlab_cpu_idle_state_time_seconds_total", "Time spent in the C-state.", COUNTER },
	  S_OFF(time_us), 1e-6 },
	{ { "rtlab_cpu_idle_state_above_total", "Entries whose idle time was too short for it.",
	    COUNTER }, S_OFF(above), 1 },
	{ { "rtlab_cpu_idle_state_below_total", "Entries where a deeper state would have fitted.",
	    COUNTER }, S_OFF(below), 1 },
	{ { "rtlab_cpu_idle_state_rejected_total", "Entries the driver refused.", COUNTER },
	  S_OFF(rejected), 1 },
};

/* value - the number at @off of @is, scaled. */
static struct rtlab_mval value(const struct rtlab_cpu_idle_state *is, const struct idle_metric *m)
{
	const struct rtlab_pu64 *f = (const void *)((const char *)is + m->off);

	return m->scale == 1 ? mv_u64(*f) : mv_scaled(*f, m->scale);
}

/* cpuidle_emit - driver info, one info sample per C-state (one unavailable without any). */
void cpuidle_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	const struct rtlab_probe_cpuidle *c = &d->cpuidle;
	char cpu[24];

	pe_emitl(e, &m_driver, mv_one(c->driver.st), { "driver", c->driver.s },
		 { "governor", c->governor.s });
	for (size_t i = 0; i < c->ncpus; i++) {
		const struct rtlab_cpuidle_cpu *u = &c->cpus[i];
		uint8_t none = u->st == RTLAB_PV_OK ? RTLAB_PV_ABSENT : u->st;

		snprintf(cpu, sizeof(cpu), "%zu", i);
		if (u->online && u->nstates == 0)
			pe_emitl(e, &m_state, mv_one(none), { "cpu", cpu }, { "state", "" },
				 { "desc", "" });
		for (size_t k = 0; k < u->nstates; k++)
			pe_emitl(e, &m_state, mv_one(RTLAB_PV_OK), { "cpu", cpu },
				 { "state", u->state[k].name }, { "desc", u->state[k].desc });
	}
	for (size_t m = 0; m < NELEM(metrics); m++) {
		for (size_t i = 0; i < c->ncpus; i++) {
			const struct rtlab_cpuidle_cpu *u = &c->cpus[i];

			snprintf(cpu, sizeof(cpu), "%zu", i);
			for (size_t k = 0; k < u->nstates; k++)
				pe_emitl(e, &metrics[m].m, value(&u->state[k], &metrics[m]),
					 { "cpu", cpu }, { "state", u->state[k].name });
		}
	}
}
