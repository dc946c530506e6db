/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* raid-md.c - the md attributes of /sys/block/<md>/md (Documentation/admin-guide/md.rst). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "disk/disk-internal.h"
#include "disk/disk-parse.h"
#include "probe-parse.h"

/* md_path - "/sys/block/<md>/md/<attr>". */
static void md_path(char *buf, size_t size, const char *md, const char *attr)
{
	path_fmt(buf, size, "/sys/block/%s/md/%s", md, attr);
}

/* read_lead_u64 - the number a file starts with ("4 (2)" while raid_disks is reshaped). */
static void read_lead_u64(struct probe_cx *cx, const char *md, const char *attr,
			  struct rtlab_pu64 *out)
{
	char path[PATH_MAX], buf[64];
	ssize_t n;
	const char *p = buf;
	uint64_t v;

	md_path(path, sizeof(path), md, attr);
	n = probe_read_small(cx->p, path, buf, sizeof(buf));
	if (n < 0) {
		PV_NA(*out, probe_st_from_errno((int)n));
		return;
	}
	if (pp_u64(&p, buf + n, &v)) {
		PV_SET(*out, v);
	} else {
		PV_NA(*out, RTLAB_PV_MALFORMED);
		probe_why(cx, "%s:1: malformed", path);
	}
}

/* read_word - a word attribute of the array. */
static void read_word(struct probe_cx *cx, const char *md, const char *attr, char *dst,
		      size_t size, uint8_t *st)
{
	char path[PATH_MAX];

	md_path(path, sizeof(path), md, attr);
	sysfs_read_word(cx->p, path, dst, size, st);
}

/* read_sync_completed - "done / total" sectors; absent when no sync runs. */
static void read_sync_completed(struct probe_cx *cx, struct rtlab_md_array *a)
{
	char path[PATH_MAX], buf[128];
	uint64_t done, total;
	ssize_t n;
	int r;

	md_path(path, sizeof(path), a->name, "sync_completed");
	n = probe_read_small(cx->p, path, buf, sizeof(buf));
	if (n < 0) {
		PV_NA(a->sync_completed_sectors, probe_st_from_errno((int)n));
		PV_NA(a->sync_total_sectors, probe_st_from_errno((int)n));
		return;
	}
	r = md_sync_completed_parse(buf, (size_t)n, &done, &total);
	if (r == 0) {
		PV_SET(a->sync_completed_sectors, done);
		PV_SET(a->sync_total_sectors, total);
		return;
	}
	/* "none": no sync running, nothing to measure. */
	PV_NA(a->sync_completed_sectors, r == -ENODATA ? RTLAB_PV_ABSENT : RTLAB_PV_MALFORMED);
	PV_NA(a->sync_total_sectors, r == -ENODATA ? RTLAB_PV_ABSENT : RTLAB_PV_MALFORMED);
	if (r != -ENODATA)
		probe_why(cx, "%s:1: malformed", path);
}

/* raid_md_sysfs - the md/ directory of each array of /proc/mdstat. */
void raid_md_sysfs(struct probe_cx *cx, struct rtlab_probe_raid *r)
{
	for (size_t i = 0; i < r->nmd; i++) {
		struct rtlab_md_array *a = &r->md[i];

		if (!safe_name(a->name))
			continue;
		read_word(cx, a->name, "array_state", a->array_state, sizeof(a->array_state),
			  &a->array_state_st);
		read_word(cx, a->name, "level", a->level, sizeof(a->level), &a->level_st);
		read_word(cx, a->name, "sync_action", a->sync_action, sizeof(a->sync_action),
			  &a->sync_action_st);
		read_lead_u64(cx, a->name, "raid_disks", &a->raid_disks);
		read_lead_u64(cx, a->name, "degraded", &a->degraded);
		read_lead_u64(cx, a->name, "mismatch_cnt", &a->mismatch_sectors);
		read_sync_completed(cx, a);
	}
}
