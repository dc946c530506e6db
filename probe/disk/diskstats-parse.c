/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* diskstats-parse.c - /proc/diskstats lines (14, 18 or 20 fields) into block devices. */
#include <errno.h>
#include <string.h>

#include "disk/disk-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* Counters after the name: 11 before Linux 4.18, 15 with discards, 17 with flushes. */
#define NSTAT_BASE 11
#define NSTAT_DISCARD 15

/* Names of the kinds a name alone tells, each followed by a digit ("loop0", "dm-3"). */
static const struct {
	const char *prefix;
	enum rtlab_disk_kind kind;
} name_kinds[] = {
	{ "loop", RTLAB_DISK_KIND_LOOP }, { "dm-", RTLAB_DISK_KIND_DM },
	{ "md", RTLAB_DISK_KIND_MD },	  { "ram", RTLAB_DISK_KIND_RAM },
	{ "zram", RTLAB_DISK_KIND_ZRAM },
};

/* disk_kind_of - loop, dm, md, ram, zram from the name; a disk otherwise. */
enum rtlab_disk_kind disk_kind_of(const char *name)
{
	for (size_t i = 0; i < sizeof(name_kinds) / sizeof(name_kinds[0]); i++) {
		size_t n = strlen(name_kinds[i].prefix);

		if (strncmp(name, name_kinds[i].prefix, n) == 0 && name[n] >= '0' && name[n] <= '9')
			return name_kinds[i].kind;
	}
	return RTLAB_DISK_KIND_DISK;
}

/* dev_reset - a new device at this index: sysfs fields absent until read, rates not ready. */
static void dev_reset(struct rtlab_disk_dev *dev, uint32_t major, uint32_t minor, const char *w,
		      size_t wl)
{
	memset(dev, 0, sizeof(*dev));
	dev->major = major;
	dev->minor = minor;
	pp_copy(dev->name, sizeof(dev->name), w, wl);
	dev->kind = (uint8_t)disk_kind_of(dev->name);
	PV_NA(dev->size_bytes, RTLAB_PV_ABSENT);
	PV_NA(dev->partition, RTLAB_PV_ABSENT);
	PV_NA(dev->partitions, RTLAB_PV_ABSENT);
	dev->scheduler_st = RTLAB_PV_ABSENT;
	for (size_t i = 0; i < RTLAB_DISK_Q__COUNT; i++)
		PV_NA(dev->queue[i], RTLAB_PV_ABSENT);
	for (size_t i = 0; i < RTLAB_DISK_RATE__COUNT; i++)
		PV_NA(dev->rate[i], RTLAB_PV_NOT_READY);
}

/* same_dev - is the entry already at this index the device of this line? */
static bool same_dev(const struct rtlab_disk_dev *dev, uint32_t major, uint32_t minor,
		     const char *w, size_t wl)
{
	size_t n = wl < sizeof(dev->name) - 1 ? wl : sizeof(dev->name) - 1;

	return dev->major == major && dev->minor == minor && strlen(dev->name) == n &&
	       memcmp(dev->name, w, n) == 0;
}

/* read_counters - the numbers after the name; returns how many were read. */
static size_t read_counters(const char **pp, const char *eol, struct rtlab_disk_dev *dev)
{
	const char *p = *pp;
	size_t count = 0;
	uint64_t v;

	while (pp_u64(&p, eol, &v)) {
		if (p < eol && *p != ' ' && *p != '\t')
			break;	/* "12x": not a number */
		if (count < RTLAB_DISK_STAT__COUNT)
			PV_SET(dev->stat[count], v);
		count++;
	}
	*pp = p;
	return count;
}

/* mark_counters - state of the counters a line of @count numbers lacks. */
static int mark_counters(struct rtlab_disk_dev *dev, size_t count)
{
	enum rtlab_pv_state missing = RTLAB_PV_MALFORMED;

	if (count >= RTLAB_DISK_STAT__COUNT)
		return 0;
	if (count == NSTAT_BASE || count == NSTAT_DISCARD)
		missing = RTLAB_PV_UNSUPPORTED;	/* an older kernel: the field does not exist */
	for (size_t i = count; i < RTLAB_DISK_STAT__COUNT; i++)
		PV_NA(dev->stat[i], missing);
	return missing == RTLAB_PV_MALFORMED ? -EBADMSG : 0;
}

/* parse_line - one line into @dev; @reuse if @dev held a device before. */
static int parse_line(const char *p, const char *eol, struct rtlab_disk_dev *dev, bool reuse)
{
	uint64_t major, minor;
	const char *w;
	size_t wl, count;

	if (!pp_u64(&p, eol, &major) || !pp_u64(&p, eol, &minor) || major > UINT32_MAX ||
	    minor > UINT32_MAX || !pp_word(&p, eol, &w, &wl))
		return -ENOENT;	/* not a device line at all */
	if (!reuse || !same_dev(dev, (uint32_t)major, (uint32_t)minor, w, wl))
		dev_reset(dev, (uint32_t)major, (uint32_t)minor, w, wl);
	count = read_counters(&p, eol, dev);
	dev->nfields = (uint8_t)(count + 3 > 255 ? 255 : count + 3);
	return mark_counters(dev, count);
}

/* diskstats_parse - every device line; unreadable lines are skipped. */
int diskstats_parse(const char *buf, size_t len, struct rtlab_probe_disk *out)
{
	const char *p = buf, *end = buf + len;
	size_t n = 0, old = out->ndevs;
	int ret = 0;

	while (p < end) {
		const char *eol = pp_eol(p, end);
		int r;

		if (pp_skip_blanks(p, eol) == eol) {
			p = pp_next_line(p, end);
			continue;
		}
		if (probe_grow((void **)&out->devs, &out->devs_cap, n + 1, sizeof(*out->devs)) <
		    0) {
			out->ndevs = n;
			return -ENOMEM;
		}
		r = parse_line(p, eol, &out->devs[n], n < old);
		if (r != -ENOENT)
			n++;
		if (r < 0)
			ret = -EBADMSG;
		p = pp_next_line(p, end);
	}
	out->ndevs = n;
	return ret;
}
