/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hwmon.c - /sys/class/hwmon: chips, their sensors, the files read on every collection. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hw-internal.h"

#define RAW_MAX 32
#define LABEL_NONE 0
#define LABEL_DIR 1
#define LABEL_DEV 2

/* hwmon_match - "hwmonN". */
bool hwmon_match(const char *name)
{
	if (strncmp(name, "hwmon", 5) != 0 || !name[5])
		return false;
	for (const char *p = name + 5; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* hwmon_is_fast - values that move: inputs, averages, extremes, alarms, faults. */
bool hwmon_is_fast(unsigned prop)
{
	switch (prop) {
	case RTLAB_HWMON_INPUT:
	case RTLAB_HWMON_AVERAGE:
	case RTLAB_HWMON_LOWEST:
	case RTLAB_HWMON_HIGHEST:
	case RTLAB_HWMON_ALARM:
	case RTLAB_HWMON_MIN_ALARM:
	case RTLAB_HWMON_MAX_ALARM:
	case RTLAB_HWMON_CRIT_ALARM:
	case RTLAB_HWMON_LCRIT_ALARM:
	case RTLAB_HWMON_FAULT:
		return true;
	default:
		return false;
	}
}

/* chip_label - node_exporter's chip: the device path, else the name, else hwmonN. */
static void chip_label(struct rtlab_probe *p, struct rtlab_hwmon_chip *c)
{
	char path[PATH_MAX], full[PATH_MAX], res[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/class/hwmon/%s/device", c->hwmon);
	if (probe_path(p, path, full, sizeof(full)) == 0 && realpath(full, res) &&
	    hwmon_chip_from_path(res, strlen(res), c->chip, sizeof(c->chip)) == 0)
		return;
	if (hw_clean_name(c->chip, sizeof(c->chip), c->name, strlen(c->name)) > 0)
		return;
	hw_clean_name(c->chip, sizeof(c->chip), c->hwmon, strlen(c->hwmon));
}

struct sensor_scan {
	struct thermal_state *s;
	size_t first;			/* this chip's first sensor */
	uint32_t chip;
	bool dev;			/* scanning device/ */
	int err;
};

/* sensor_find - the sensor (type, num) of the chip being scanned, added if new. */
static struct sensor_ent *sensor_find(struct sensor_scan *w, const struct hwmon_file_id *id)
{
	struct thermal_state *s = w->s;
	struct sensor_ent *se;

	for (size_t i = w->first; i < s->nsensors; i++)
		if (s->sensors[i].t.type == id->type && s->sensors[i].t.num == id->num)
			return &s->sensors[i];
	if (hw_grow(&s->sensors, &s->sensors_cap, s->nsensors + 1) < 0)
		return NULL;
	se = &s->sensors[s->nsensors++];
	memset(se, 0, sizeof(*se));
	se->t.chip = w->chip;
	se->t.type = id->type;
	se->t.num = id->num;
	snprintf(se->t.sensor, sizeof(se->t.sensor), "%s%u", hwmon_type_name(id->type), id->num);
	for (unsigned k = 0; k < RTLAB_HWMON_PROP__COUNT; k++)
		PV_NA(se->t.v[k], RTLAB_PV_ABSENT);
	return se;
}

/* sensor_file - one directory entry: a sensor file we collect? */
static int sensor_file(const char *name, unsigned char type, void *arg)
{
	struct sensor_scan *w = arg;
	struct hwmon_file_id id;
	struct sensor_ent *se;

	if ((type != DT_REG && type != DT_UNKNOWN) ||
	    hwmon_file_parse(name, strlen(name), &id) < 0)
		return 0;
	if (id.prop != HWMON_PROP_LABEL && hwmon_scale(id.type, id.prop) == 0)
		return 0;
	se = sensor_find(w, &id);
	if (!se) {
		w->err = -ENOMEM;
		return 1;
	}
	/* A file in the hwmon directory wins over the same one in device/. */
	if (id.prop == HWMON_PROP_LABEL) {
		if (se->in_dev_label == LABEL_NONE)
			se->in_dev_label = w->dev ? LABEL_DEV : LABEL_DIR;
	} else if (!(se->t.has & (UINT32_C(1) << id.prop))) {
		se->t.has |= UINT32_C(1) << id.prop;
		if (w->dev)
			se->in_dev |= UINT32_C(1) << id.prop;
	}
	return 0;
}

/* sensor_before - order of sensors in a chip: type, then number. */
static bool sensor_before(const struct sensor_ent *a, const struct sensor_ent *b)
{
	return a->t.type != b->t.type ? a->t.type < b->t.type : a->t.num < b->t.num;
}

/* sensors_sort - insertion sort of sensors[first..n). */
static void sensors_sort(struct thermal_state *s, size_t first)
{
	struct sensor_ent tmp;

	for (size_t i = first + 1; i < s->nsensors; i++) {
		size_t j = i;

		memcpy(&tmp, &s->sensors[i], sizeof(tmp));
		while (j > first && sensor_before(&tmp, &s->sensors[j - 1])) {
			memcpy(&s->sensors[j], &s->sensors[j - 1], sizeof(tmp));
			j--;
		}
		memcpy(&s->sensors[j], &tmp, sizeof(tmp));
	}
}

/* sensor_dirfd - the directory a property's file (or the label) lives in. */
static int sensor_dirfd(const struct thermal_state *s, const struct sensor_ent *se, bool dev)
{
	const struct chip_ent *c = &s->chips[se->t.chip];

	return dev ? c->devfd : c->dirfd;
}

/* sensor_describe - label and limits of @se into @t (the template or a copy of it). */
static void sensor_describe(const struct thermal_state *s, const struct sensor_ent *se,
			    struct rtlab_hwmon_sensor *t, char *why, size_t whysize)
{
	char file[64], raw[RAW_MAX], path[160];
	int64_t v = 0;
	int r;

	memset(t->label, 0, sizeof(t->label));
	if (se->in_dev_label != LABEL_NONE) {
		snprintf(file, sizeof(file), "%s_label", t->sensor);
		hw_str_at(sensor_dirfd(s, se, se->in_dev_label == LABEL_DEV), file, t->label,
			  sizeof(t->label));
	}
	for (unsigned k = 0; k < RTLAB_HWMON_PROP__COUNT; k++) {
		bool dev = se->in_dev & (UINT32_C(1) << k);
		int dirfd = sensor_dirfd(s, se, dev);

		if (!(t->has & (UINT32_C(1) << k)) || hwmon_is_fast(k))
			continue;
		snprintf(file, sizeof(file), "%s_%s", t->sensor, hwmon_prop_name(k));
		r = hw_int_at(dirfd, file, &v);
		hw_f64(&t->v[k], r, v, hwmon_scale(t->type, k));
		if (r < 0 && why && !why[0]) {
			hw_read_at(dirfd, file, raw, sizeof(raw));
			snprintf(path, sizeof(path), "/sys/class/hwmon/%s/%s%s",
				 s->chips[t->chip].t.hwmon, dev ? "device/" : "", file);
			hw_why_text(why, whysize, r, raw, path);
		}
	}
}

/* sensor_open - the files of @se read on every collection. */
static int sensor_open(struct thermal_state *s, size_t idx)
{
	struct sensor_ent *se = &s->sensors[idx];
	char file[64];

	for (unsigned k = 0; k < RTLAB_HWMON_PROP__COUNT; k++) {
		struct hwmon_file *f;

		if (!(se->t.has & (UINT32_C(1) << k)) || !hwmon_is_fast(k))
			continue;
		if (hw_grow(&s->files, &s->files_cap, s->nfiles + 1) < 0)
			return -ENOMEM;
		f = &s->files[s->nfiles++];
		snprintf(file, sizeof(file), "%s_%s", se->t.sensor, hwmon_prop_name(k));
		f->fd = hw_open_at(sensor_dirfd(s, se, se->in_dev & (UINT32_C(1) << k)), file,
				   false);
		snprintf(f->path, sizeof(f->path), "%s/%s/%s%s", s->hw.path,
			 s->chips[se->t.chip].t.hwmon,
			 (se->in_dev & (UINT32_C(1) << k)) ? "device/" : "", file);
		f->sensor = (uint32_t)idx;
		f->prop = (uint8_t)k;
		f->scale = hwmon_scale(se->t.type, k);
		PV_NA(se->t.v[k], RTLAB_PV_NOT_READY);
	}
	return 0;
}

/* chip_add - open one hwmonN, list its sensors, open their files. */
static int chip_add(void *arg, const char *name)
{
	struct thermal_state *s = arg;
	struct sensor_scan w = { .s = s, .first = s->nsensors, .chip = (uint32_t)s->nchips };
	struct chip_ent *c;
	int dirfd, r;

	dirfd = hw_open_at(s->hw.fd, name, true);
	if (dirfd < 0)
		return 0;
	if (hw_grow(&s->chips, &s->chips_cap, s->nchips + 1) < 0) {
		hw_close(&dirfd);
		return -ENOMEM;
	}
	c = &s->chips[s->nchips++];
	memset(c, 0, sizeof(*c));
	c->dirfd = dirfd;
	snprintf(c->t.hwmon, sizeof(c->t.hwmon), "%s", name);
	hw_str_at(dirfd, "name", c->t.name, sizeof(c->t.name));
	chip_label(s->p, &c->t);
	c->devfd = hw_open_at(dirfd, "device", true);
	r = probe_dirfd_each(dirfd, sensor_file, &w);
	if (r >= 0 && !w.err && c->devfd >= 0) {
		w.dev = true;
		r = probe_dirfd_each(c->devfd, sensor_file, &w);
	}
	if (w.err)
		return w.err;
	if (r < 0 && !s->why[0])
		snprintf(s->why, sizeof(s->why), "/sys/class/hwmon/%s: %s", name, strerror(-r));
	sensors_sort(s, w.first);
	for (size_t i = w.first; i < s->nsensors; i++) {
		sensor_describe(s, &s->sensors[i], &s->sensors[i].t, s->why, sizeof(s->why));
		if (sensor_open(s, i) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* hwmon_close - close every fd. */
void hwmon_close(struct thermal_state *s)
{
	for (size_t i = 0; i < s->nfiles; i++)
		hw_close(&s->files[i].fd);
	for (size_t i = 0; i < s->nchips; i++) {
		hw_close(&s->chips[i].dirfd);
		hw_close(&s->chips[i].devfd);
	}
	s->nfiles = 0;
	s->nsensors = 0;
	s->nchips = 0;
}

/* hwmon_discover - list /sys/class/hwmon and open every chip. */
int hwmon_discover(struct probe_cx *cx, struct thermal_state *s)
{
	hwmon_close(s);
	return hw_cls_each(cx, &s->hw, true, chip_add, s);
}

/* hwmon_refresh - labels and limits again; true if one changed. */
bool hwmon_refresh(struct thermal_state *s)
{
	bool changed = false;

	for (size_t i = 0; i < s->nsensors; i++) {
		struct rtlab_hwmon_sensor t;

		memcpy(&t, &s->sensors[i].t, sizeof(t));
		sensor_describe(s, &s->sensors[i], &t, NULL, 0);
		if (memcmp(&t, &s->sensors[i].t, sizeof(t)) != 0) {
			memcpy(&s->sensors[i].t, &t, sizeof(t));
			changed = true;
		}
	}
	return changed;
}

/* hwmon_read - one pread per open file. */
void hwmon_read(struct probe_cx *cx, struct thermal_state *s)
{
	struct rtlab_hwmon_sensor *out = cx->d->thermal.sensors;
	char raw[RAW_MAX];
	int64_t v = 0;
	int r;

	for (size_t i = 0; i < s->nfiles; i++) {
		const struct hwmon_file *f = &s->files[i];

		probe_traced(cx->p, f->path);
		r = f->fd < 0 ? f->fd : hw_pread_int(f->fd, &v, raw, sizeof(raw));
		hw_f64(&out[f->sensor].v[f->prop], r, v, f->scale);
		if (r < 0)
			hw_why_read(cx, r, raw, "%s", f->path);
	}
}
