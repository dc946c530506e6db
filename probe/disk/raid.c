/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * raid.c - the raid family: md arrays (/proc/mdstat and /sys/block/mdN/md),
 * device-mapper names (LVM volume groups and volumes), btrfs file systems
 * (/sys/fs/btrfs) and zfs (/proc/spl/kstat/zfs).  Each part absent from the
 * system is RTLAB_PV_ABSENT with its reason; the others are still collected.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "disk/disk-internal.h"
#include "disk/disk-parse.h"

struct raid_state {
	struct probe_src mdstat;
	struct probe_src arcstats;
};

/* raid_open - the two files re-read every time; directories are scanned. */
static int raid_open(struct rtlab_probe *p, void **state)
{
	struct raid_state *s = calloc(1, sizeof(*s));

	(void)p;
	if (!s)
		return -ENOMEM;
	probe_src_init(&s->mdstat, "/proc/mdstat");
	probe_src_init(&s->arcstats, "/proc/spl/kstat/zfs/arcstats");
	*state = s;
	return 0;
}

/* raid_close - close the fds. */
static void raid_close(void *state)
{
	struct raid_state *s = state;

	probe_src_close(&s->mdstat);
	probe_src_close(&s->arcstats);
	free(s);
}

/* collect_md - /proc/mdstat, then each array's sysfs attributes. */
static int collect_md(struct probe_cx *cx, struct raid_state *s, struct rtlab_probe_raid *r)
{
	ssize_t n = probe_src_read(cx->p, &s->mdstat);
	int e;

	if (n < 0) {
		r->nmd = 0;
		r->nmd_members = 0;
		PV_NA(r->md_arrays, probe_st_from_errno((int)n));
		probe_why(cx, "%s: %s%s", s->mdstat.path, strerror((int)-n),
			  n == -ENOENT ? " (no md driver)" : "");
		return 0;
	}
	e = mdstat_parse(s->mdstat.buf, (size_t)n, r);
	if (e == -ENOMEM)
		return e;
	if (e < 0)
		probe_why(cx, "%s:%zu: malformed", s->mdstat.path, r->md_bad_line);
	PV_SET(r->md_arrays, r->nmd);
	raid_md_sysfs(cx, r);
	return 0;
}

/* collect_arc - the ARC counters of zfs. */
static void collect_arc(struct probe_cx *cx, struct raid_state *s, struct rtlab_probe_raid *r)
{
	ssize_t n = probe_src_read(cx->p, &s->arcstats);

	if (n < 0) {
		enum rtlab_pv_state st = probe_st_from_errno((int)n);

		r->arc_st = (uint8_t)st;
		for (unsigned i = 0; i < RTLAB_ZFS_ARC__COUNT; i++)
			PV_NA(r->arc[i], st);
		if (n != -ENOENT)
			probe_why(cx, "%s: %s", s->arcstats.path, strerror((int)-n));
		return;
	}
	if (arcstats_parse(s->arcstats.buf, (size_t)n, r) < 0)
		probe_why(cx, "%s: malformed", s->arcstats.path);
}

/* raid_collect - md, device-mapper, btrfs, zfs. */
static int raid_collect(struct probe_cx *cx, void *state)
{
	struct raid_state *s = state;
	struct rtlab_probe_raid *r = &cx->d->raid;

	if (collect_md(cx, s, r) < 0 || raid_dm_collect(cx, r) < 0 ||
	    raid_btrfs_collect(cx, r) < 0)
		return -ENOMEM;
	collect_arc(cx, s, r);
	return raid_zfs_pools(cx, r) < 0 ? -ENOMEM : 0;
}

/* raid_release - the arrays grown in @d. */
static void raid_release(struct rtlab_probe_data *d)
{
	struct rtlab_probe_raid *r = &d->raid;

	free(r->md);
	free(r->md_members);
	free(r->dm);
	free(r->btrfs);
	free(r->btrfs_devs);
	free(r->zfs);
	memset(r, 0, sizeof(*r));
}

const struct probe_family probe_fam_raid = {
	.name = "raid",
	.id = RTLAB_PF_RAID,
	.slow = true,
	.open = raid_open,
	.close = raid_close,
	.collect = raid_collect,
	.emit = raid_emit,
	.release = raid_release,
};
