/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * raid-dm.c - device-mapper devices: /sys/block/dm-N/dm/{name,uuid,suspended}.
 * LVM names its devices "vg-lv" (a '-' in a name doubled) with a uuid
 * "LVM-<vg uuid><lv uuid>"; the volume group and volume come from the name.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "disk/disk-internal.h"
#include "disk/disk-parse.h"

struct dm_scan {
	struct probe_cx *cx;
	struct rtlab_probe_raid *r;
};

/* dm_attr - "/sys/block/<dev>/dm/<attr>". */
static void dm_attr(char *buf, size_t size, const char *dev, const char *attr)
{
	path_fmt(buf, size, "/sys/block/%s/dm/%s", dev, attr);
}

/* dm_one - one dm-N entry of /sys/block. */
static int dm_one(const char *name, unsigned char type, void *arg)
{
	struct dm_scan *sc = arg;
	struct rtlab_probe_raid *r = sc->r;
	struct rtlab_dm_dev *dm;
	char path[PATH_MAX];

	(void)type;
	if (strncmp(name, "dm-", 3) != 0)
		return 0;
	if (probe_grow((void **)&r->dm, &r->dm_cap, r->ndm + 1, sizeof(*r->dm)) < 0)
		return -ENOMEM;
	dm = &r->dm[r->ndm++];
	memset(dm, 0, sizeof(*dm));
	rtlab_strlcpy(dm->device, name, sizeof(dm->device));
	dm_attr(path, sizeof(path), name, "name");
	sysfs_read_word(sc->cx->p, path, dm->name, sizeof(dm->name), &dm->name_st);
	dm_attr(path, sizeof(path), name, "uuid");
	sysfs_read_word(sc->cx->p, path, dm->uuid, sizeof(dm->uuid), &dm->uuid_st);
	dm_attr(path, sizeof(path), name, "suspended");
	sysfs_read_u64(sc->cx->p, path, &dm->suspended);
	if (dm->name_st == RTLAB_PV_OK && strncmp(dm->uuid, "LVM-", 4) == 0)
		dm_lvm_split(dm->name, dm->vg, sizeof(dm->vg), dm->lv, sizeof(dm->lv), dm->layer,
			     sizeof(dm->layer));
	return 0;
}

/* raid_dm_collect - every dm-N of /sys/block. */
int raid_dm_collect(struct probe_cx *cx, struct rtlab_probe_raid *r)
{
	struct dm_scan sc = { .cx = cx, .r = r };
	int e;

	r->ndm = 0;
	e = probe_dir_each_kept(cx->p, "/sys/block", dm_one, &sc);
	if (e == -ENOMEM)
		return e;
	if (e < 0) {
		PV_NA(r->dm_devices, probe_st_from_errno(e));
		probe_why(cx, "/sys/block: %s", strerror(-e));
		return 0;
	}
	PV_SET(r->dm_devices, r->ndm);
	return 0;
}
