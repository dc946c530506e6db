/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rapl-parse.c - RAPL domain names as node_exporter reads them, energy deltas with wrap-around. */
#include <stdio.h>
#include <string.h>

#include "hw/hw-internal.h"

/* rapl_name_split - "kind-N" with exactly one '-' and a decimal N. */
bool rapl_name_split(const char *name, char *kind, size_t size, uint32_t *index)
{
	const char *dash = strchr(name, '-');
	const char *p;
	uint64_t v = 0;

	snprintf(kind, size, "%s", name);
	if (!dash || strchr(dash + 1, '-') || !dash[1])
		return false;
	p = dash + 1;
	if (*p == '+' && p[1])
		p++;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > UINT32_MAX / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v > UINT32_MAX)
		return false;
	snprintf(kind, size, "%.*s", (int)(dash - name), name);
	*index = (uint32_t)v;
	return true;
}

/* rapl_advance - fold one counter reading into the total and the power. */
void rapl_advance(struct rtlab_rapl_domain *r, uint64_t raw_uj, uint64_t now_ns)
{
	uint64_t delta;
	bool ok = true;

	PV_SET(r->energy_uj, raw_uj);
	if (!r->prev_ns) {
		r->total_uj = raw_uj;
		PV_SET(r->energy_joules, (double)r->total_uj / 1e6);
		PV_NA(r->power_watts, RTLAB_PV_NOT_READY);
		r->prev_uj = raw_uj;
		r->prev_ns = now_ns ? now_ns : 1;
		return;
	}
	if (raw_uj >= r->prev_uj) {
		delta = raw_uj - r->prev_uj;
	} else if (r->max_energy_range_uj.st == RTLAB_PV_OK &&
		   r->max_energy_range_uj.v > r->prev_uj) {
		/* The counter wrapped: it ran from prev to the range, then from 0. */
		delta = r->max_energy_range_uj.v - r->prev_uj + raw_uj;
	} else {
		delta = 0;
		ok = false;	/* reset (or no range known): start again from here */
	}
	r->total_uj += delta;
	PV_SET(r->energy_joules, (double)r->total_uj / 1e6);
	if (ok && now_ns > r->prev_ns)
		PV_SET(r->power_watts, (double)delta * 1e-6 / ((double)(now_ns - r->prev_ns) * 1e-9));
	else
		PV_NA(r->power_watts, RTLAB_PV_NOT_READY);
	r->prev_uj = raw_uj;
	r->prev_ns = now_ns;
}
