/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * raid-zfs.c - zfs pools: the directories of /proc/spl/kstat/zfs hold one
 * kstat directory per imported pool, whose "state" file is the pool's health
 * ("ONLINE\n", "DEGRADED\n"...).  The files beside them (arcstats...) are not pools.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "disk/disk-internal.h"

#define ZFS_DIR "/proc/spl/kstat/zfs"

struct zfs_scan {
	struct probe_cx *cx;
	struct rtlab_probe_raid *r;
};

/* pool_one - an entry of /proc/spl/kstat/zfs: a pool if it is a directory with a state. */
static int pool_one(const char *name, unsigned char type, void *arg)
{
	struct zfs_scan *sc = arg;
	struct rtlab_probe_raid *r = sc->r;
	struct rtlab_zfs_pool *pool;
	char path[PATH_MAX], state[sizeof(pool->state)];
	uint8_t st;

	if (type != DT_DIR && type != DT_UNKNOWN)
		return 0;
	if (path_fmt(path, sizeof(path), ZFS_DIR "/%s/state", name) < 0)
		return 0;
	if (sysfs_read_word(sc->cx->p, path, state, sizeof(state), &st) < 0 &&
	    st == RTLAB_PV_ABSENT)
		return 0;	/* not a pool's directory */
	if (probe_grow((void **)&r->zfs, &r->zfs_cap, r->nzfs + 1, sizeof(*r->zfs)) < 0)
		return -ENOMEM;
	pool = &r->zfs[r->nzfs++];
	rtlab_strlcpy(pool->name, name, sizeof(pool->name));
	memcpy(pool->state, state, sizeof(pool->state));
	pool->state_st = st == RTLAB_PV_OK && !state[0] ? RTLAB_PV_MALFORMED : st;
	return 0;
}

/* raid_zfs_pools - every pool of /proc/spl/kstat/zfs. */
int raid_zfs_pools(struct probe_cx *cx, struct rtlab_probe_raid *r)
{
	struct zfs_scan sc = { .cx = cx, .r = r };
	int e;

	r->nzfs = 0;
	e = probe_dir_each(cx->p, ZFS_DIR, pool_one, &sc);
	if (e == -ENOMEM)
		return e;
	if (e < 0) {
		PV_NA(r->zfs_pools, probe_st_from_errno(e));
		if (e != -ENOENT)
			probe_why(cx, ZFS_DIR ": %s", strerror(-e));
		return 0;
	}
	PV_SET(r->zfs_pools, r->nzfs);
	return 0;
}
