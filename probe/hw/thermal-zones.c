/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* thermal-zones.c - /sys/class/thermal: thermal zones with trip points, cooling devices. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hw-internal.h"

#define RAW_MAX 32

/* zone_number - N of "<prefix>N", false if @name is not that. */
static bool zone_number(const char *name, const char *prefix, uint32_t *n)
{
	size_t pl = strlen(prefix);
	const char *p = name + pl;
	uint64_t v = 0;

	if (strncmp(name, prefix, pl) != 0 || !*p)
		return false;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > UINT32_MAX / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*n = (uint32_t)v;
	return true;
}

/* zone_describe - the static files of a zone into @z (its temperature untouched). */
static void zone_describe(int dirfd, struct rtlab_thermal_zone *z, char *why, size_t whysize)
{
	char name[40], raw[RAW_MAX], path[96];
	int64_t v = 0;
	int r;

	hw_str_at(dirfd, "type", z->type, sizeof(z->type));
	hw_str_at(dirfd, "policy", z->policy, sizeof(z->policy));
	hw_str_at(dirfd, "mode", z->mode, sizeof(z->mode));
	memset(z->trips, 0, sizeof(z->trips));
	z->ntrips = 0;
	for (unsigned k = 0; k < RTLAB_THERMAL_TRIPS_MAX; k++) {
		struct rtlab_thermal_trip *t = &z->trips[k];

		snprintf(name, sizeof(name), "trip_point_%u_type", k);
		if (hw_str_at(dirfd, name, t->type, sizeof(t->type)) == -ENOENT)
			break;
		snprintf(name, sizeof(name), "trip_point_%u_temp", k);
		r = hw_int_at(dirfd, name, &v);
		hw_f64(&t->temp_celsius, r, v, 1e-3);
		if (r < 0 && r != -ENOENT && why && !why[0]) {
			hw_read_at(dirfd, name, raw, sizeof(raw));
			snprintf(path, sizeof(path), "/sys/class/thermal/thermal_zone%u/%s",
				 z->zone, name);
			hw_why_text(why, whysize, r, raw, path);
		}
		snprintf(name, sizeof(name), "trip_point_%u_hyst", k);
		r = hw_int_at(dirfd, name, &v);
		hw_f64(&t->hyst_celsius, r, v, 1e-3);
		z->ntrips = k + 1;
	}
}

/* cdev_describe - type and max_state of a cooling device. */
static void cdev_describe(int dirfd, struct rtlab_cooling_device *c)
{
	int64_t v = 0;
	int r;

	hw_str_at(dirfd, "type", c->type, sizeof(c->type));
	r = hw_int_at(dirfd, "max_state", &v);
	hw_i64(&c->max_state, r, v);
}

/* match_zone - "thermal_zoneN". */
static bool match_zone(const char *name)
{
	uint32_t n;

	return zone_number(name, "thermal_zone", &n);
}

/* match_cdev - "cooling_deviceN". */
static bool match_cdev(const char *name)
{
	uint32_t n;

	return zone_number(name, "cooling_device", &n);
}

/* thermal_match - a thermal zone or a cooling device. */
bool thermal_match(const char *name)
{
	return match_zone(name) || match_cdev(name);
}

/* zones_add - open one zone or cooling device found in the listing. */
static int zones_add(void *arg, const char *name)
{
	struct thermal_state *s = arg;
	uint32_t n;
	int dirfd;

	dirfd = hw_open_at(s->tz.fd, name, true);
	if (dirfd < 0)
		return 0;	/* gone since the listing */
	if (zone_number(name, "thermal_zone", &n)) {
		struct zone_ent *z;

		if (hw_grow(&s->zones, &s->zones_cap, s->nzones + 1) < 0)
			goto nomem;
		z = &s->zones[s->nzones++];
		memset(z, 0, sizeof(*z));
		z->t.zone = n;
		z->dirfd = dirfd;
		z->fd = hw_open_at(dirfd, "temp", false);
		snprintf(z->path, sizeof(z->path), "%s/%.40s/temp", s->tz.path, name);
		zone_describe(dirfd, &z->t, s->why, sizeof(s->why));
		PV_NA(z->t.temp_celsius, RTLAB_PV_NOT_READY);
	} else if (zone_number(name, "cooling_device", &n)) {
		struct cdev_ent *c;

		if (hw_grow(&s->cdevs, &s->cdevs_cap, s->ncdevs + 1) < 0)
			goto nomem;
		c = &s->cdevs[s->ncdevs++];
		memset(c, 0, sizeof(*c));
		c->t.index = n;
		c->dirfd = dirfd;
		c->fd = hw_open_at(dirfd, "cur_state", false);
		snprintf(c->path, sizeof(c->path), "%s/%.40s/cur_state", s->tz.path, name);
		cdev_describe(dirfd, &c->t);
		PV_NA(c->t.cur_state, RTLAB_PV_NOT_READY);
	} else {
		hw_close(&dirfd);
	}
	return 0;
nomem:
	hw_close(&dirfd);
	return -ENOMEM;
}

/* thermal_zones_close - close every fd. */
void thermal_zones_close(struct thermal_state *s)
{
	for (size_t i = 0; i < s->nzones; i++) {
		hw_close(&s->zones[i].dirfd);
		hw_close(&s->zones[i].fd);
	}
	for (size_t i = 0; i < s->ncdevs; i++) {
		hw_close(&s->cdevs[i].dirfd);
		hw_close(&s->cdevs[i].fd);
	}
	s->nzones = 0;
	s->ncdevs = 0;
}

/* thermal_zones_discover - list /sys/class/thermal and open what it has. */
int thermal_zones_discover(struct probe_cx *cx, struct thermal_state *s)
{
	thermal_zones_close(s);
	return hw_cls_each(cx, &s->tz, true, zones_add, s);
}

/* thermal_zones_refresh - re-read static files; compare with the templates. */
bool thermal_zones_refresh(struct thermal_state *s)
{
	bool changed = false;

	for (size_t i = 0; i < s->nzones; i++) {
		struct rtlab_thermal_zone z;

		memcpy(&z, &s->zones[i].t, sizeof(z));
		zone_describe(s->zones[i].dirfd, &z, NULL, 0);
		if (memcmp(&z, &s->zones[i].t, sizeof(z)) != 0) {
			memcpy(&s->zones[i].t, &z, sizeof(z));
			changed = true;
		}
	}
	for (size_t i = 0; i < s->ncdevs; i++) {
		struct rtlab_cooling_device c;

		memcpy(&c, &s->cdevs[i].t, sizeof(c));
		cdev_describe(s->cdevs[i].dirfd, &c);
		if (memcmp(&c, &s->cdevs[i].t, sizeof(c)) != 0) {
			memcpy(&s->cdevs[i].t, &c, sizeof(c));
			changed = true;
		}
	}
	return changed;
}

/* thermal_zones_read - one pread per zone and per cooling device. */
void thermal_zones_read(struct probe_cx *cx, struct thermal_state *s)
{
	struct rtlab_probe_thermal *t = &cx->d->thermal;
	char raw[RAW_MAX];
	int64_t v = 0;
	int r;

	for (size_t i = 0; i < s->nzones; i++) {
		struct zone_ent *z = &s->zones[i];

		probe_traced(cx->p, z->path);
		r = z->fd < 0 ? z->fd : hw_pread_int(z->fd, &v, raw, sizeof(raw));
		hw_f64(&t->zones[i].temp_celsius, r, v, 1e-3);
		if (r < 0)
			hw_why_read(cx, r, raw, "%s", z->path);
	}
	for (size_t i = 0; i < s->ncdevs; i++) {
		struct cdev_ent *c = &s->cdevs[i];

		probe_traced(cx->p, c->path);
		r = c->fd < 0 ? c->fd : hw_pread_int(c->fd, &v, raw, sizeof(raw));
		hw_i64(&t->cooling[i].cur_state, r, v);
		if (r < 0)
			hw_why_read(cx, r, raw, "%s", c->path);
	}
}

static const struct rtlab_metric m_zone_temp = {
	"node_thermal_zone_temp", "Zone temperature in Celsius", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_zone_info = {
	"rtlab_thermal_zone_info", "Thermal zone type, governor and mode (value 1).",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_trip_temp = {
	"rtlab_thermal_zone_trip_celsius", "Temperature of a thermal zone's trip point.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_trip_hyst = {
	"rtlab_thermal_zone_trip_hyst_celsius", "Hysteresis of a thermal zone's trip point.",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_cur_state = {
	"node_cooling_device_cur_state", "Current throttle state of the cooling device",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_max_state = {
	"node_cooling_device_max_state", "Maximum throttle state of the cooling device",
	RTLAB_METRIC_GAUGE
};

/* trips_emit - one trip metric (temperature or hysteresis) of every zone. */
static void trips_emit(struct probe_emit *e, const struct rtlab_probe_thermal *t, bool hyst)
{
	char zone[16], trip[16];

	for (size_t i = 0; i < t->nzones; i++) {
		const struct rtlab_thermal_zone *z = &t->zones[i];

		snprintf(zone, sizeof(zone), "%u", z->zone);
		for (uint32_t k = 0; k < z->ntrips && k < RTLAB_THERMAL_TRIPS_MAX; k++) {
			const struct rtlab_thermal_trip *tp = &z->trips[k];

			snprintf(trip, sizeof(trip), "%u", k);
			pe_emitl(e, hyst ? &m_trip_hyst : &m_trip_temp,
				 mv_f64(hyst ? tp->hyst_celsius : tp->temp_celsius),
				 { "zone", zone }, { "type", z->type }, { "trip", trip },
				 { "trip_type", tp->type });
		}
	}
}

/* cdev_emit - one cooling-device metric of every device. */
static void cdev_emit(struct probe_emit *e, const struct rtlab_probe_thermal *t, bool max)
{
	char name[16];

	for (size_t i = 0; i < t->ncooling; i++) {
		const struct rtlab_cooling_device *c = &t->cooling[i];

		snprintf(name, sizeof(name), "%u", c->index);
		pe_emitl(e, max ? &m_max_state : &m_cur_state,
			 mv_i64(max ? c->max_state : c->cur_state), { "name", name },
			 { "type", c->type });
	}
}

/* thermal_zones_emit - zones, their trip points, cooling devices. */
void thermal_zones_emit(struct probe_emit *e, const struct rtlab_probe_thermal *t)
{
	char zone[16];

	for (size_t i = 0; i < t->nzones; i++) {
		snprintf(zone, sizeof(zone), "%u", t->zones[i].zone);
		pe_emitl(e, &m_zone_temp, mv_f64(t->zones[i].temp_celsius), { "zone", zone },
			 { "type", t->zones[i].type });
	}
	for (size_t i = 0; i < t->nzones; i++) {
		const struct rtlab_thermal_zone *z = &t->zones[i];

		snprintf(zone, sizeof(zone), "%u", z->zone);
		pe_emitl(e, &m_zone_info, mv_one(RTLAB_PV_OK), { "zone", zone },
			 { "type", z->type }, { "policy", z->policy }, { "mode", z->mode });
	}
	trips_emit(e, t, false);
	trips_emit(e, t, true);
	cdev_emit(e, t, false);
	cdev_emit(e, t, true);
}
