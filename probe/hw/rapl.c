/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rapl.c - /sys/class/powercap zones (RAPL): energy counters, power, limits. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hw-internal.h"

#define RAW_MAX 32

/* rapl_constraint - constraint_K_* of a zone; false when there is no constraint K. */
static bool rapl_constraint(int dirfd, unsigned k, struct rtlab_rapl_constraint *c)
{
	static const char *const files[] = { "power_limit_uw", "time_window_us", "max_power_uw" };
	struct rtlab_pf64 *vals[] = { &c->power_limit_watts, &c->time_window_seconds,
				      &c->max_power_watts };
	char file[48];
	int64_t v = 0;
	int r;

	for (unsigned i = 0; i < 3; i++) {
		snprintf(file, sizeof(file), "constraint_%u_%s", k, files[i]);
		r = hw_int_at(dirfd, file, &v);
		if (i == 0 && r == -ENOENT)
			return false;
		hw_f64(vals[i], r, v, 1e-6);
	}
	snprintf(file, sizeof(file), "constraint_%u_name", k);
	hw_str_at(dirfd, file, c->name, sizeof(c->name));
	return true;
}

/* rapl_describe - the static files of a zone into @t. */
static void rapl_describe(int dirfd, struct rtlab_rapl_domain *t)
{
	int64_t v = 0;
	int r;

	r = hw_int_at(dirfd, "max_energy_range_uj", &v);
	hw_u64(&t->max_energy_range_uj, r, v);
	r = hw_int_at(dirfd, "enabled", &v);
	hw_u64(&t->enabled, r, v);
	memset(t->constraints, 0, sizeof(t->constraints));
	t->nconstraints = 0;
	while (t->nconstraints < RTLAB_RAPL_CONSTRAINTS_MAX &&
	       rapl_constraint(dirfd, t->nconstraints, &t->constraints[t->nconstraints]))
		t->nconstraints++;
}

/* rapl_match - every entry (the zones are those with a name file). */
bool rapl_match(const char *name)
{
	(void)name;
	return true;
}

/* rapl_close - close every fd. */
void rapl_close(struct power_state *s)
{
	for (size_t i = 0; i < s->nrapl; i++) {
		hw_close(&s->rapl[i].dirfd);
		hw_close(&s->rapl[i].fd);
	}
	s->nrapl = 0;
}

/* rapl_add - one zone of the listing, if it has a name file. */
static int rapl_add(void *arg, const char *zone)
{
	struct power_state *s = arg;
	struct rapl_ent *e;
	char name[32];
	int dirfd;

	dirfd = hw_open_at(s->pc.fd, zone, true);
	if (dirfd < 0)
		return 0;
	if (hw_str_at(dirfd, "name", name, sizeof(name)) < 0) {
		hw_close(&dirfd);
		return 0;	/* a control type ("intel-rapl"), not a zone */
	}
	if (hw_grow(&s->rapl, &s->rapl_cap, s->nrapl + 1) < 0) {
		hw_close(&dirfd);
		return -ENOMEM;
	}
	e = &s->rapl[s->nrapl++];
	memset(e, 0, sizeof(*e));
	e->dirfd = dirfd;
	snprintf(e->t.zone, sizeof(e->t.zone), "%s", zone);
	memcpy(e->t.name, name, sizeof(e->t.name));
	rapl_describe(dirfd, &e->t);
	e->fd = hw_open_at(dirfd, "energy_uj", false);
	e->err = e->fd < 0 ? e->fd : 0;
	snprintf(e->path, sizeof(e->path), "%s/%.48s/energy_uj", s->pc.path, zone);
	PV_NA(e->t.energy_uj, RTLAB_PV_NOT_READY);
	PV_NA(e->t.energy_joules, RTLAB_PV_NOT_READY);
	PV_NA(e->t.power_watts, RTLAB_PV_NOT_READY);
	return 0;
}

/* rapl_index - node_exporter's index: from the name, else the count of that name so far. */
static void rapl_index(struct power_state *s)
{
	for (size_t i = 0; i < s->nrapl; i++) {
		struct rtlab_rapl_domain *t = &s->rapl[i].t;

		if (rapl_name_split(t->name, t->kind, sizeof(t->kind), &t->index))
			continue;
		t->index = 0;
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->rapl[j].t.kind, t->kind) == 0)
				t->index = s->rapl[j].t.index + 1;
	}
}

/* rapl_discover - every zone of /sys/class/powercap, in byte order (node_exporter's). */
int rapl_discover(struct probe_cx *cx, struct power_state *s)
{
	int r;

	rapl_close(s);
	r = hw_cls_each(cx, &s->pc, false, rapl_add, s);
	rapl_index(s);
	return r;
}

/* rapl_refresh - limits again, energy_uj reopened if it could not be; true if a limit changed. */
bool rapl_refresh(struct power_state *s)
{
	bool changed = false;

	for (size_t i = 0; i < s->nrapl; i++) {
		struct rapl_ent *e = &s->rapl[i];
		struct rtlab_rapl_domain t;

		if (e->fd < 0) {
			e->fd = hw_open_at(e->dirfd, "energy_uj", false);
			e->err = e->fd < 0 ? e->fd : 0;
		}
		memcpy(&t, &e->t, sizeof(t));
		rapl_describe(e->dirfd, &t);
		if (memcmp(&t, &e->t, sizeof(t)) != 0) {
			memcpy(&e->t, &t, sizeof(t));
			changed = true;
		}
	}
	return changed;
}

/* rapl_fail - energy, total and power of @out in the state of error @r. */
static void rapl_fail(struct probe_cx *cx, const struct rapl_ent *e,
		      struct rtlab_rapl_domain *out, int r, const char *raw)
{
	uint8_t st = probe_st_from_errno(r);

	PV_NA(out->energy_uj, st);
	PV_NA(out->energy_joules, st);
	PV_NA(out->power_watts, st);
	if (r == -EACCES || r == -EPERM)
		probe_why(cx, "%s: %s (root-only since the 2020 RAPL side-channel fix)", e->path,
			  strerror(-r));
	else
		hw_why_read(cx, r, raw, "%s", e->path);
}

/* rapl_read - one pread of energy_uj per zone, folded into totals and power. */
void rapl_read(struct probe_cx *cx, struct power_state *s)
{
	struct rtlab_rapl_domain *out = cx->d->power.rapl;
	char raw[RAW_MAX] = "";
	int64_t v = 0;
	int r;

	for (size_t i = 0; i < s->nrapl; i++) {
		const struct rapl_ent *e = &s->rapl[i];

		if (e->fd >= 0)
			probe_traced(cx->p, e->path);
		r = e->fd < 0 ? e->err : hw_pread_int(e->fd, &v, raw, sizeof(raw));
		if (r == 0 && v < 0)
			r = -EBADMSG;
		if (r == 0)
			rapl_advance(&out[i], (uint64_t)v, cx->now_ns);
		else
			rapl_fail(cx, e, &out[i], r, raw);
	}
}

/* The domain kinds node_exporter names metrics after (others: rtlab_rapl_joules_total). */
static const struct rtlab_metric m_joules[] = {
	{ "node_rapl_package_joules_total", "Current RAPL package value in joules",
	  RTLAB_METRIC_COUNTER },
	{ "node_rapl_core_joules_total", "Current RAPL core value in joules", RTLAB_METRIC_COUNTER },
	{ "node_rapl_uncore_joules_total", "Current RAPL uncore value in joules",
	  RTLAB_METRIC_COUNTER },
	{ "node_rapl_dram_joules_total", "Current RAPL dram value in joules", RTLAB_METRIC_COUNTER },
	{ "node_rapl_psys_joules_total", "Current RAPL psys value in joules", RTLAB_METRIC_COUNTER },
};
static const char *const known_kinds[] = { "package", "core", "uncore", "dram", "psys" };

static const struct rtlab_metric m_other = {
	"rtlab_rapl_joules_total", "Energy of a RAPL domain node_exporter has no metric for.",
	RTLAB_METRIC_COUNTER
};
static const struct rtlab_metric m_power = {
	"rtlab_rapl_power_watts", "RAPL domain power over the last interval (wrap-corrected).",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_range = {
	"rtlab_rapl_max_energy_range_joules", "Where the RAPL energy counter wraps.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_enabled = {
	"rtlab_rapl_enabled", "RAPL zone enabled (0 or 1).", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_limit = {
	"rtlab_rapl_power_limit_watts", "RAPL power limit of a constraint.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_window = {
	"rtlab_rapl_time_window_seconds", "RAPL time window of a constraint.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_maxpower = {
	"rtlab_rapl_max_power_watts", "RAPL maximum power of a constraint.", RTLAB_METRIC_GAUGE
};

/* rapl_known - index of @kind in known_kinds, or -1. */
static int rapl_known(const char *kind)
{
	for (size_t k = 0; k < sizeof(known_kinds) / sizeof(known_kinds[0]); k++)
		if (strcmp(kind, known_kinds[k]) == 0)
			return (int)k;
	return -1;
}

/* rapl_emit_joules - node_exporter's per-kind counters, then the other domains'. */
static void rapl_emit_joules(struct probe_emit *e, const struct rtlab_probe_power *pw)
{
	const int nk = (int)(sizeof(known_kinds) / sizeof(known_kinds[0]));
	char index[16], path[80];

	/* Each known kind in turn, then (k == nk) the unknown ones. */
	for (int k = 0; k <= nk; k++) {
		for (size_t i = 0; i < pw->nrapl; i++) {
			const struct rtlab_rapl_domain *r = &pw->rapl[i];
			int known = rapl_known(r->kind);

			if ((k < nk && known != k) || (k == nk && known >= 0))
				continue;
			snprintf(index, sizeof(index), "%u", r->index);
			snprintf(path, sizeof(path), "/sys/class/powercap/%s", r->zone);
			if (known >= 0)
				pe_emitl(e, &m_joules[known], mv_f64(r->energy_joules),
					 { "index", index }, { "path", path });
			else
				pe_emitl(e, &m_other, mv_f64(r->energy_joules),
					 { "domain", r->name }, { "index", index }, { "path", path });
		}
	}
}

/* rapl_emit_domain - one per-domain gauge: 0 power, 1 range, 2 enabled. */
static void rapl_emit_domain(struct probe_emit *e, const struct rtlab_probe_power *pw, int what)
{
	char path[80];

	for (size_t i = 0; i < pw->nrapl; i++) {
		const struct rtlab_rapl_domain *r = &pw->rapl[i];

		snprintf(path, sizeof(path), "/sys/class/powercap/%s", r->zone);
		if (what == 0)
			pe_emitl(e, &m_power, mv_f64(r->power_watts), { "domain", r->name },
				 { "path", path });
		else if (what == 1)
			pe_emitl(e, &m_range, mv_scaled(r->max_energy_range_uj, 1e-6),
				 { "domain", r->name }, { "path", path });
		else
			pe_emitl(e, &m_enabled, mv_u64(r->enabled), { "domain", r->name },
				 { "path", path });
	}
}

/* rapl_emit_constraint - one constraint gauge: 0 limit, 1 window, 2 max power. */
static void rapl_emit_constraint(struct probe_emit *e, const struct rtlab_probe_power *pw,
				 int what)
{
	static const struct rtlab_metric *const ms[] = { &m_limit, &m_window, &m_maxpower };
	char path[80], k[16];

	for (size_t i = 0; i < pw->nrapl; i++) {
		const struct rtlab_rapl_domain *r = &pw->rapl[i];

		snprintf(path, sizeof(path), "/sys/class/powercap/%s", r->zone);
		for (uint32_t c = 0; c < r->nconstraints && c < RTLAB_RAPL_CONSTRAINTS_MAX; c++) {
			const struct rtlab_rapl_constraint *rc = &r->constraints[c];
			struct rtlab_pf64 v = what == 0 ? rc->power_limit_watts :
					      what == 1 ? rc->time_window_seconds :
							  rc->max_power_watts;

			snprintf(k, sizeof(k), "%u", c);
			pe_emitl(e, ms[what], mv_f64(v), { "domain", r->name }, { "path", path },
				 { "constraint", k }, { "constraint_name", rc->name });
		}
	}
}

/* rapl_emit - energies, power, range, enabled, constraints. */
void rapl_emit(struct probe_emit *e, const struct rtlab_probe_power *pw)
{
	rapl_emit_joules(e, pw);
	for (int what = 0; what < 3; what++)
		rapl_emit_domain(e, pw, what);
	for (int what = 0; what < 3; what++)
		rapl_emit_constraint(e, pw, what);
}
