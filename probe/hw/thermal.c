/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* thermal.c - the thermal family: thermal zones, cooling devices, hwmon sensors. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hw-internal.h"

/* thermal_open - the state; directories are opened by the first collection. */
static int thermal_open(struct rtlab_probe *p, void **state)
{
	struct thermal_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->p = p;
	hw_cls_init(&s->tz, "/sys/class/thermal", thermal_match);
	hw_cls_init(&s->hw, "/sys/class/hwmon", hwmon_match);
	*state = s;
	return 0;
}

/* thermal_close - close every fd, free the templates. */
static void thermal_close(void *state)
{
	struct thermal_state *s = state;

	thermal_zones_close(s);
	hwmon_close(s);
	hw_cls_close(&s->tz);
	hw_cls_close(&s->hw);
	free(s->zones);
	free(s->cdevs);
	free(s->chips);
	free(s->sensors);
	free(s->files);
	free(s);
}

/* thermal_scan - rediscover when a listing changed, else re-read the static files. */
static int thermal_scan(struct probe_cx *cx, struct thermal_state *s)
{
	bool tz = hw_cls_changed(cx->p, &s->tz);
	bool hw = hw_cls_changed(cx->p, &s->hw);
	int r;

	if (tz || hw) {
		s->why[0] = '\0';
		r = thermal_zones_discover(cx, s);
		if (r == 0)
			r = hwmon_discover(cx, s);
		hw_cls_why(&s->tz, s->why, sizeof(s->why), "");
		hw_cls_why(&s->hw, s->why, sizeof(s->why), "");
		s->gen = hw_new_gen(cx, s->gen);
		return r;
	}
	if (thermal_zones_refresh(s) | hwmon_refresh(s))
		s->gen = hw_new_gen(cx, s->gen);
	return 0;
}

/* thermal_sync - copy the templates into the caller's data after a new discovery. */
static int thermal_sync(struct thermal_state *s, struct rtlab_probe_thermal *t)
{
	uint64_t layout = hw_layout(s, s->gen);

	t->zones_st = hw_cls_state(&s->tz);
	t->hwmon_st = hw_cls_state(&s->hw);
	if (t->layout == layout && t->nzones == s->nzones && t->ncooling == s->ncdevs &&
	    t->nchips == s->nchips && t->nsensors == s->nsensors)
		return 0;
	if (hw_grow(&t->zones, &t->zones_cap, s->nzones) < 0 ||
	    hw_grow(&t->cooling, &t->cooling_cap, s->ncdevs) < 0 ||
	    hw_grow(&t->chips, &t->chips_cap, s->nchips) < 0 ||
	    hw_grow(&t->sensors, &t->sensors_cap, s->nsensors) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < s->nzones; i++)
		memcpy(&t->zones[i], &s->zones[i].t, sizeof(t->zones[i]));
	for (size_t i = 0; i < s->ncdevs; i++)
		memcpy(&t->cooling[i], &s->cdevs[i].t, sizeof(t->cooling[i]));
	for (size_t i = 0; i < s->nchips; i++)
		memcpy(&t->chips[i], &s->chips[i].t, sizeof(t->chips[i]));
	for (size_t i = 0; i < s->nsensors; i++)
		memcpy(&t->sensors[i], &s->sensors[i].t, sizeof(t->sensors[i]));
	t->nzones = s->nzones;
	t->ncooling = s->ncdevs;
	t->nchips = s->nchips;
	t->nsensors = s->nsensors;
	t->layout = layout;
	return 0;
}

/* thermal_collect - rescan when due, then one pread per dynamic file. */
static int thermal_collect(struct probe_cx *cx, void *state)
{
	struct thermal_state *s = state;
	struct rtlab_probe_thermal *t = &cx->d->thermal;
	int r = 0;

	if (hw_rescan_due(cx, &s->next_scan_ns))
		r = thermal_scan(cx, s);
	if (r == 0)
		r = thermal_sync(s, t);
	if (r < 0) {
		/* Out of memory: forget the layout so that everything is rebuilt. */
		t->nzones = t->ncooling = t->nchips = t->nsensors = 0;
		t->layout = 0;
		s->next_scan_ns = 0;
		hw_cls_close(&s->tz);
		hw_cls_close(&s->hw);
		return r;
	}
	thermal_zones_read(cx, s);
	hwmon_read(cx, s);
	if (s->why[0])
		hw_why_str(cx, s->why);
	return 0;
}

static const struct rtlab_metric m_zones = {
	"rtlab_thermal_zones", "Thermal zones in /sys/class/thermal.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_chips = {
	"rtlab_hwmon_chips", "Hardware monitors in /sys/class/hwmon.", RTLAB_METRIC_GAUGE
};

/* thermal_emit - counts, zones and cooling devices, then hwmon. */
static void thermal_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	const struct rtlab_probe_thermal *t = &d->thermal;
	struct rtlab_pu64 zones = { t->nzones, t->zones_st };
	struct rtlab_pu64 chips = { t->nchips, t->hwmon_st };

	pe_emit(e, &m_zones, mv_u64(zones));
	pe_emit(e, &m_chips, mv_u64(chips));
	thermal_zones_emit(e, t);
	hwmon_emit(e, t);
}

/* thermal_release - free the arrays grown in @d. */
static void thermal_release(struct rtlab_probe_data *d)
{
	struct rtlab_probe_thermal *t = &d->thermal;

	free(t->zones);
	free(t->cooling);
	free(t->chips);
	free(t->sensors);
	memset(t, 0, sizeof(*t));
}

const struct probe_family probe_fam_thermal = {
	.name = "thermal",
	.id = RTLAB_PF_THERMAL,
	.open = thermal_open,
	.close = thermal_close,
	.collect = thermal_collect,
	.emit = thermal_emit,
	.release = thermal_release,
};
