/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* power.c - the power family: RAPL powercap domains, batteries, AC and USB supplies. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hw-internal.h"

/* power_open - the state; directories are opened by the first collection. */
static int power_open(struct rtlab_probe *p, void **state)
{
	struct power_state *s = calloc(1, sizeof(*s));

	(void)p;
	if (!s)
		return -ENOMEM;
	hw_cls_init(&s->pc, "/sys/class/powercap", rapl_match);
	hw_cls_init(&s->ps, "/sys/class/power_supply", supply_match);
	*state = s;
	return 0;
}

/* power_close - close every fd, free the templates. */
static void power_close(void *state)
{
	struct power_state *s = state;

	rapl_close(s);
	supplies_close(s);
	hw_cls_close(&s->pc);
	hw_cls_close(&s->ps);
	free(s->rapl);
	free(s->supplies);
	free(s);
}

/* power_scan - rediscover when a listing changed, else re-read the static files. */
static int power_scan(struct probe_cx *cx, struct power_state *s)
{
	bool pc = hw_cls_changed(cx->p, &s->pc);
	bool ps = hw_cls_changed(cx->p, &s->ps);
	int r;

	if (pc || ps) {
		s->why[0] = '\0';
		r = rapl_discover(cx, s);
		if (r == 0)
			r = supplies_discover(cx, s);
		hw_cls_why(&s->pc, s->why, sizeof(s->why), " (no RAPL powercap driver)");
		hw_cls_why(&s->ps, s->why, sizeof(s->why), "");
		s->gen = hw_new_gen(cx, s->gen);
		return r;
	}
	if (rapl_refresh(s))
		s->gen = hw_new_gen(cx, s->gen);
	return 0;
}

/* rapl_carry - the previous readings of the domains of @old into the same zones of @pw. */
static void rapl_carry(struct rtlab_probe_power *pw, const struct rtlab_rapl_domain *old,
		       size_t nold)
{
	for (size_t i = 0; i < pw->nrapl; i++) {
		struct rtlab_rapl_domain *r = &pw->rapl[i];

		for (size_t j = 0; j < nold; j++) {
			if (strcmp(old[j].zone, r->zone) != 0)
				continue;
			r->prev_uj = old[j].prev_uj;
			r->prev_ns = old[j].prev_ns;
			r->total_uj = old[j].total_uj;
			r->energy_uj = old[j].energy_uj;
			r->energy_joules = old[j].energy_joules;
			r->power_watts = old[j].power_watts;
			break;
		}
	}
}

/* power_sync - the templates into the caller's data after a new discovery, keeping RAPL deltas. */
static int power_sync(struct power_state *s, struct rtlab_probe_power *pw)
{
	uint64_t layout = hw_layout(s, s->gen);
	struct rtlab_rapl_domain *old = NULL;
	size_t nold = pw->nrapl;

	pw->rapl_st = hw_cls_state(&s->pc);
	pw->supplies_st = hw_cls_state(&s->ps);
	if (pw->layout == layout && pw->nrapl == s->nrapl && pw->nsupplies == s->nsupplies)
		return 0;
	if (nold) {
		old = malloc(nold * sizeof(*old));
		if (!old)
			return -ENOMEM;
		memcpy(old, pw->rapl, nold * sizeof(*old));
	}
	if (hw_grow(&pw->rapl, &pw->rapl_cap, s->nrapl) < 0 ||
	    hw_grow(&pw->supplies, &pw->supplies_cap, s->nsupplies) < 0) {
		free(old);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->nrapl; i++)
		memcpy(&pw->rapl[i], &s->rapl[i].t, sizeof(pw->rapl[i]));
	for (size_t i = 0; i < s->nsupplies; i++)
		memcpy(&pw->supplies[i], &s->supplies[i].t, sizeof(pw->supplies[i]));
	pw->nrapl = s->nrapl;
	pw->nsupplies = s->nsupplies;
	rapl_carry(pw, old, nold);
	free(old);
	pw->layout = layout;
	return 0;
}

/* power_collect - rescan when due, then energy counters and uevents. */
static int power_collect(struct probe_cx *cx, void *state)
{
	struct power_state *s = state;
	struct rtlab_probe_power *pw = &cx->d->power;
	int r = 0;

	if (hw_rescan_due(cx, &s->next_scan_ns))
		r = power_scan(cx, s);
	if (r == 0)
		r = power_sync(s, pw);
	if (r < 0) {
		pw->nrapl = pw->nsupplies = 0;
		pw->layout = 0;
		s->next_scan_ns = 0;
		hw_cls_close(&s->pc);
		hw_cls_close(&s->ps);
		return r;
	}
	rapl_read(cx, s);
	supplies_read(cx, s);
	if (s->why[0])
		hw_why_str(cx, s->why);
	return 0;
}

static const struct rtlab_metric m_domains = {
	"rtlab_rapl_domains", "RAPL zones in /sys/class/powercap.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_supplies = {
	"rtlab_power_supplies", "Power supplies in /sys/class/power_supply.", RTLAB_METRIC_GAUGE
};

/* power_emit - counts, RAPL, then power supplies. */
static void power_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	struct rtlab_pu64 domains = { d->power.nrapl, d->power.rapl_st };
	struct rtlab_pu64 supplies = { d->power.nsupplies, d->power.supplies_st };

	pe_emit(e, &m_domains, mv_u64(domains));
	pe_emit(e, &m_supplies, mv_u64(supplies));
	rapl_emit(e, &d->power);
	supplies_emit(e, &d->power);
}

/* power_release - free the arrays grown in @d. */
static void power_release(struct rtlab_probe_data *d)
{
	free(d->power.rapl);
	free(d->power.supplies);
	memset(&d->power, 0, sizeof(d->power));
}

const struct probe_family probe_fam_power = {
	.name = "power",
	.id = RTLAB_PF_POWER,
	.open = power_open,
	.close = power_close,
	.collect = power_collect,
	.emit = power_emit,
	.release = power_release,
};
