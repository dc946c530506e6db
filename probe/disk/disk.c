/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * disk.c - the disk family: /proc/diskstats on every call (one pread), rates
 * from the previous reading, and /sys/block attributes re-read only on the
 * slow TTL or when the set of devices changed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "disk/disk-internal.h"
#include "disk/disk-parse.h"

struct disk_state {
	struct probe_src src;
};

/* How each rate is made: delta(num) x scale / (seconds, or delta(den)). */
static const struct {
	uint8_t rate;
	uint8_t num;
	int8_t den;		/* -1: the interval in seconds */
	bool clamp;		/* at most 1 */
	double scale;
} rate_defs[] = {
	{ RTLAB_DISK_READS_PER_S, RTLAB_DISK_READS, -1, false, 1.0 },
	{ RTLAB_DISK_WRITES_PER_S, RTLAB_DISK_WRITES, -1, false, 1.0 },
	{ RTLAB_DISK_READ_BYTES_PER_S, RTLAB_DISK_READ_SECTORS, -1, false, 512.0 },
	{ RTLAB_DISK_WRITE_BYTES_PER_S, RTLAB_DISK_WRITE_SECTORS, -1, false, 512.0 },
	{ RTLAB_DISK_DISCARDS_PER_S, RTLAB_DISK_DISCARDS, -1, false, 1.0 },
	{ RTLAB_DISK_DISCARD_BYTES_PER_S, RTLAB_DISK_DISCARD_SECTORS, -1, false, 512.0 },
	{ RTLAB_DISK_FLUSHES_PER_S, RTLAB_DISK_FLUSHES, -1, false, 1.0 },
	{ RTLAB_DISK_UTILIZATION, RTLAB_DISK_IO_MS, -1, true, 1e-3 },
	{ RTLAB_DISK_QUEUE_LENGTH, RTLAB_DISK_WEIGHTED_IO_MS, -1, false, 1e-3 },
	{ RTLAB_DISK_READ_AWAIT_S, RTLAB_DISK_READ_MS, RTLAB_DISK_READS, false, 1e-3 },
	{ RTLAB_DISK_WRITE_AWAIT_S, RTLAB_DISK_WRITE_MS, RTLAB_DISK_WRITES, false, 1e-3 },
};

/* is_ms - the kernel prints these as 32-bit unsigned int: they wrap at 2^32. */
static bool is_ms(unsigned i)
{
	return i == RTLAB_DISK_READ_MS || i == RTLAB_DISK_WRITE_MS || i == RTLAB_DISK_IO_MS ||
	       i == RTLAB_DISK_WEIGHTED_IO_MS || i == RTLAB_DISK_DISCARD_MS ||
	       i == RTLAB_DISK_FLUSH_MS;
}

/* disk_open - /proc/diskstats, opened on first read. */
static int disk_open(struct rtlab_probe *p, void **state)
{
	struct disk_state *s = calloc(1, sizeof(*s));

	(void)p;
	if (!s)
		return -ENOMEM;
	probe_src_init(&s->src, "/proc/diskstats");
	*state = s;
	return 0;
}

/* disk_close - close the fd. */
static void disk_close(void *state)
{
	struct disk_state *s = state;

	probe_src_close(&s->src);
	free(s);
}

/* find_prev - the previous reading of device @i: same index first; *@moved if elsewhere. */
static const struct rtlab_disk_prev *find_prev(const struct rtlab_probe_disk *dk, size_t i,
					       bool *moved)
{
	const struct rtlab_disk_dev *dev = &dk->devs[i];

	if (i < dk->nprev && dk->prev[i].major == dev->major && dk->prev[i].minor == dev->minor)
		return &dk->prev[i];
	*moved = true;
	for (size_t j = 0; j < dk->nprev; j++)
		if (dk->prev[j].major == dev->major && dk->prev[j].minor == dev->minor)
			return &dk->prev[j];
	return NULL;
}

/* went_back - did a 64-bit counter decrease (the device was re-created)? */
static bool went_back(const struct rtlab_disk_dev *dev, const struct rtlab_disk_prev *pv)
{
	for (unsigned i = 0; i < RTLAB_DISK_STAT__COUNT; i++)
		if (!is_ms(i) && i != RTLAB_DISK_IN_FLIGHT && dev->stat[i].st == RTLAB_PV_OK &&
		    pv->st[i] == RTLAB_PV_OK && dev->stat[i].v < pv->stat[i])
			return true;
	return false;
}

/* delta - counter @i since @pv, or false with *@st when either reading lacks it. */
static bool delta(const struct rtlab_disk_dev *dev, const struct rtlab_disk_prev *pv, unsigned i,
		  double *ret, uint8_t *st)
{
	if (dev->stat[i].st != RTLAB_PV_OK || pv->st[i] != RTLAB_PV_OK) {
		*st = dev->stat[i].st != RTLAB_PV_OK ? dev->stat[i].st : pv->st[i];
		return false;
	}
	if (is_ms(i))
		*ret = (double)(uint32_t)((uint32_t)dev->stat[i].v - (uint32_t)pv->stat[i]);
	else
		*ret = (double)(dev->stat[i].v - pv->stat[i]);
	return true;
}

/* dev_rates - the rates of one device over @dt seconds since @pv (NULL: none). */
static void dev_rates(struct rtlab_disk_dev *dev, const struct rtlab_disk_prev *pv, double dt)
{
	bool ready = pv && dt > 0 && !went_back(dev, pv);

	for (size_t k = 0; k < sizeof(rate_defs) / sizeof(rate_defs[0]); k++) {
		struct rtlab_pf64 *out = &dev->rate[rate_defs[k].rate];
		double num, den = dt, v;
		uint8_t st = RTLAB_PV_NOT_READY;

		if (!ready || !delta(dev, pv, rate_defs[k].num, &num, &st) ||
		    (rate_defs[k].den >= 0 &&
		     !delta(dev, pv, (unsigned)rate_defs[k].den, &den, &st))) {
			PV_NA(*out, st);
			continue;
		}
		v = den > 0 ? num * rate_defs[k].scale / den : 0.0;
		if (rate_defs[k].clamp && v > 1.0)
			v = 1.0;
		PV_SET(*out, v);
	}
}

/* disk_rates - every device's rates; true if the set of devices changed. */
static bool disk_rates(struct probe_cx *cx, struct rtlab_probe_disk *dk)
{
	double dt = cx->prev_ns && cx->now_ns > cx->prev_ns
			    ? (double)(cx->now_ns - cx->prev_ns) / 1e9
			    : 0.0;
	bool changed = dk->ndevs != dk->nprev;

	for (size_t i = 0; i < dk->ndevs; i++)
		dev_rates(&dk->devs[i], find_prev(dk, i, &changed), dt);
	return changed;
}

/* save_prev - this reading, for the next rates.  -ENOMEM (rates then start over). */
static int save_prev(struct rtlab_probe_disk *dk)
{
	if (probe_grow((void **)&dk->prev, &dk->prev_cap, dk->ndevs, sizeof(*dk->prev)) < 0) {
		dk->nprev = 0;
		return -ENOMEM;
	}
	for (size_t i = 0; i < dk->ndevs; i++) {
		struct rtlab_disk_prev *pv = &dk->prev[i];

		pv->major = dk->devs[i].major;
		pv->minor = dk->devs[i].minor;
		for (unsigned k = 0; k < RTLAB_DISK_STAT__COUNT; k++) {
			pv->stat[k] = dk->devs[i].stat[k].v;
			pv->st[k] = dk->devs[i].stat[k].st;
		}
	}
	dk->nprev = dk->ndevs;
	return 0;
}

/* mark_all - every counter and rate of every device in state @st (the file is unreadable). */
static void mark_all(struct rtlab_probe_disk *dk, enum rtlab_pv_state st)
{
	for (size_t i = 0; i < dk->ndevs; i++) {
		for (unsigned k = 0; k < RTLAB_DISK_STAT__COUNT; k++)
			PV_NA(dk->devs[i].stat[k], st);
		for (unsigned k = 0; k < RTLAB_DISK_RATE__COUNT; k++)
			PV_NA(dk->devs[i].rate[k], st);
	}
	dk->nprev = 0;
}

/* why_malformed - name the first device with a malformed counter (line = its index + 1). */
static void why_malformed(struct probe_cx *cx, const struct rtlab_probe_disk *dk, const char *path)
{
	for (size_t i = 0; i < dk->ndevs; i++)
		for (unsigned k = 0; k < RTLAB_DISK_STAT__COUNT; k++)
			if (dk->devs[i].stat[k].st == RTLAB_PV_MALFORMED) {
				probe_why(cx, "%s:%zu: %s: field %u malformed", path, i + 1,
					  dk->devs[i].name, k + 4);
				return;
			}
	probe_why(cx, "%s: a line without major, minor and name was skipped", path);
}

/* disk_collect - diskstats, rates, and sysfs when due. */
static int disk_collect(struct probe_cx *cx, void *state)
{
	struct disk_state *s = state;
	struct rtlab_probe_disk *dk = &cx->d->disk;
	uint64_t ttl = probe_opts(cx->p)->ttl_slow_ns;
	ssize_t n = probe_src_read(cx->p, &s->src);
	int r;

	if (n < 0) {
		mark_all(dk, probe_st_from_errno((int)n));
		probe_why(cx, "%s: %s", s->src.path, strerror((int)-n));
		return (int)n;
	}
	r = diskstats_parse(s->src.buf, (size_t)n, dk);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		why_malformed(cx, dk, s->src.path);
	if (disk_rates(cx, dk) || !dk->sysfs_ns || cx->now_ns - dk->sysfs_ns >= ttl) {
		disk_sysfs_read(cx, dk);
		dk->sysfs_ns = cx->now_ns;
	}
	return save_prev(dk);
}

/* disk_release - the arrays grown in @d. */
static void disk_release(struct rtlab_probe_data *d)
{
	free(d->disk.devs);
	free(d->disk.prev);
	memset(&d->disk, 0, sizeof(d->disk));
}

const struct probe_family probe_fam_disk = {
	.name = "disk",
	.id = RTLAB_PF_DISK,
	.open = disk_open,
	.close = disk_close,
	.collect = disk_collect,
	.emit = disk_emit,
	.release = disk_release,
};
