/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* power-supply.c - /sys/class/power_supply: batteries, AC adapters, USB supplies (uevent). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hw-internal.h"

#define INFO_LABELS 16

/* supply_match - every entry but hidden ones. */
bool supply_match(const char *name)
{
	return name[0] != '.';
}

/* supplies_close - close the uevent files. */
void supplies_close(struct power_state *s)
{
	for (size_t i = 0; i < s->nsupplies; i++)
		probe_src_close(&s->supplies[i].src);
	s->nsupplies = 0;
}

/* supply_add - one supply: its name, its type file, its uevent (opened on first read). */
static int supply_add(void *arg, const char *name)
{
	struct power_state *s = arg;
	struct supply_ent *e;
	char file[96];

	if (hw_grow(&s->supplies, &s->supplies_cap, s->nsupplies + 1) < 0)
		return -ENOMEM;
	e = &s->supplies[s->nsupplies];
	memset(e, 0, sizeof(*e));
	if (probe_src_init(&e->src, "%s/%s/uevent", s->ps.path, name) < 0)
		return 0;
	s->nsupplies++;
	snprintf(e->t.name, sizeof(e->t.name), "%s", name);
	snprintf(file, sizeof(file), "%s/type", name);
	hw_str_at(s->ps.fd, file, e->t.type, sizeof(e->t.type));
	power_supply_parse("", 0, &e->t);
	power_supply_derive(&e->t);
	return 0;
}

/* supplies_discover - every entry of /sys/class/power_supply by name. */
int supplies_discover(struct probe_cx *cx, struct power_state *s)
{
	supplies_close(s);
	return hw_cls_each(cx, &s->ps, true, supply_add, s);
}

/* supply_mark - every number of @ps in state @st (the uevent could not be read). */
static void supply_mark(struct rtlab_power_supply *ps, uint8_t st)
{
	power_supply_parse("", 0, ps);
	for (size_t i = 0; i < ps_nfields; i++)
		if (ps_fields[i].kind == PSF_NUM)
			PV_NA(*(struct rtlab_pi64 *)((char *)ps + ps_fields[i].off), st);
	PV_NA(ps->power_watts, st);
	PV_NA(ps->health_ratio, st);
	PV_NA(ps->time_to_empty_seconds, st);
	PV_NA(ps->time_to_full_seconds, st);
}

/* supplies_read - one pread of each uevent, parsed, with the derived values. */
void supplies_read(struct probe_cx *cx, struct power_state *s)
{
	struct rtlab_power_supply *out = cx->d->power.supplies;

	for (size_t i = 0; i < s->nsupplies; i++) {
		struct probe_src *src = &s->supplies[i].src;
		ssize_t n = probe_src_read(cx->p, src);

		if (n < 0) {
			supply_mark(&out[i], probe_st_from_errno((int)n));
			hw_why_read(cx, (int)n, NULL, "%s", src->path);
			continue;
		}
		if (power_supply_parse(src->buf, (size_t)n, &out[i]) < 0)
			probe_why(cx, "%s: malformed number", src->path);
		power_supply_derive(&out[i]);
	}
}

/* ps_value - the number field @f of @ps. */
static struct rtlab_pi64 ps_value(const struct rtlab_power_supply *ps, const struct ps_field *f)
{
	return *(const struct rtlab_pi64 *)((const char *)ps + f->off);
}

/* supplies_emit_info - node_power_supply_info with the strings the supply has. */
static void supplies_emit_info(struct probe_emit *e, const struct rtlab_probe_power *pw)
{
	static const struct rtlab_metric m_info = {
		"node_power_supply_info", "info of /sys/class/power_supply/<power_supply>.",
		RTLAB_METRIC_GAUGE
	};

	for (size_t i = 0; i < pw->nsupplies; i++) {
		const struct rtlab_power_supply *ps = &pw->supplies[i];
		struct rtlab_label l[INFO_LABELS];
		size_t n = 0;

		l[n++] = (struct rtlab_label){ "power_supply", ps->name };
		for (size_t f = 0; f < ps_nfields && n < INFO_LABELS; f++) {
			const char *v = (const char *)ps + ps_fields[f].off;

			if (ps_fields[f].kind == PSF_STR && v[0])
				l[n++] = (struct rtlab_label){ ps_fields[f].m.name, v };
		}
		pe_sample(e, &m_info, l, n, mv_one(RTLAB_PV_OK));
	}
}

static const struct rtlab_metric m_derived[] = {
	{ "rtlab_power_supply_power_watts",
	  "Power drawn or given: power_now, else current_now x voltage_now.",
	  RTLAB_METRIC_GAUGE },
	{ "rtlab_power_supply_health_ratio", "Battery full capacity over its design capacity.",
	  RTLAB_METRIC_GAUGE },
	{ "rtlab_power_supply_time_to_empty_estimate_seconds",
	  "Discharging battery: energy (or charge) left over power (or current).",
	  RTLAB_METRIC_GAUGE },
	{ "rtlab_power_supply_time_to_full_estimate_seconds",
	  "Charging battery: energy (or charge) missing over power (or current).",
	  RTLAB_METRIC_GAUGE },
};

/* ps_derived - derived value @k of @ps. */
static struct rtlab_pf64 ps_derived(const struct rtlab_power_supply *ps, size_t k)
{
	const struct rtlab_pf64 *v[] = { &ps->power_watts, &ps->health_ratio,
					 &ps->time_to_empty_seconds, &ps->time_to_full_seconds };

	return *v[k];
}

/* supplies_emit - the numbers each supply has, info, then derived values of batteries. */
void supplies_emit(struct probe_emit *e, const struct rtlab_probe_power *pw)
{
	for (size_t f = 0; f < ps_nfields; f++) {
		if (ps_fields[f].kind != PSF_NUM)
			continue;
		for (size_t i = 0; i < pw->nsupplies; i++) {
			struct rtlab_pi64 v = ps_value(&pw->supplies[i], &ps_fields[f]);
			struct rtlab_pf64 x = { hw_scale(v.v, ps_fields[f].scale), v.st };

			if (v.st == RTLAB_PV_ABSENT)
				continue;
			pe_emitl(e, &ps_fields[f].m, mv_f64(x),
				 { "power_supply", pw->supplies[i].name });
		}
	}
	supplies_emit_info(e, pw);
	for (size_t k = 0; k < sizeof(m_derived) / sizeof(m_derived[0]); k++) {
		for (size_t i = 0; i < pw->nsupplies; i++) {
			const struct rtlab_power_supply *ps = &pw->supplies[i];

			if (strcmp(ps->type, "Battery") != 0)
				continue;
			pe_emitl(e, &m_derived[k], mv_f64(ps_derived(ps, k)),
				 { "power_supply", ps->name });
		}
	}
}
