/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * raid-btrfs.c - mounted btrfs file systems: /sys/fs/btrfs/<uuid>/ (fs/btrfs/sysfs.c):
 * label, nodesize, sectorsize, allocation/global_rsv_*, allocation/<type>/
 * counters and <profile>/{total_bytes,used_bytes}, devices/<name>/size.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "disk/disk-internal.h"
#include "disk/disk-parse.h"

static const char *const group_names[RTLAB_BTRFS_GROUP__COUNT] = {
	[RTLAB_BTRFS_DATA] = "data",
	[RTLAB_BTRFS_METADATA] = "metadata",
	[RTLAB_BTRFS_SYSTEM] = "system",
};

/* allocation/<type>/ files, each with its place in struct rtlab_btrfs_alloc. */
static const struct {
	const char *file;
	size_t off;
} alloc_files[] = {
	{ "total_bytes", offsetof(struct rtlab_btrfs_alloc, total_bytes) },
	{ "bytes_used", offsetof(struct rtlab_btrfs_alloc, bytes_used) },
	{ "bytes_reserved", offsetof(struct rtlab_btrfs_alloc, bytes_reserved) },
	{ "bytes_pinned", offsetof(struct rtlab_btrfs_alloc, bytes_pinned) },
	{ "bytes_may_use", offsetof(struct rtlab_btrfs_alloc, bytes_may_use) },
	{ "bytes_readonly", offsetof(struct rtlab_btrfs_alloc, bytes_readonly) },
	{ "disk_total", offsetof(struct rtlab_btrfs_alloc, disk_total) },
	{ "disk_used", offsetof(struct rtlab_btrfs_alloc, disk_used) },
};

struct btrfs_scan {
	struct probe_cx *cx;
	struct rtlab_probe_raid *r;
	char dir[PATH_MAX];		/* the directory being scanned */
	struct rtlab_btrfs_alloc *alloc;	/* profiles: the group being scanned */
	size_t fs;			/* index of the file system */
};

/* read_u64 - "<dir>/<file>" as a number. */
static void read_u64(struct btrfs_scan *sc, const char *dir, const char *file,
		     struct rtlab_pu64 *out)
{
	char path[PATH_MAX];

	if (path_fmt(path, sizeof(path), "%s/%s", dir, file) < 0) {
		PV_NA(*out, RTLAB_PV_ERROR);
		return;
	}
	if (sysfs_read_u64(sc->cx->p, path, out) == -EBADMSG)
		probe_why(sc->cx, "%s:1: malformed", path);
}

/* profile_one - an entry of allocation/<type>/: the subdirectories are RAID profiles. */
static int profile_one(const char *name, unsigned char type, void *arg)
{
	struct btrfs_scan *sc = arg;
	struct rtlab_btrfs_alloc *a = sc->alloc;
	struct rtlab_btrfs_profile *pr;
	char dir[PATH_MAX];

	if ((type != DT_DIR && type != DT_UNKNOWN) || a->nprofiles >= RTLAB_BTRFS_PROFILES_MAX)
		return 0;
	if (path_fmt(dir, sizeof(dir), "%s/%s", sc->dir, name) < 0)
		return 0;
	pr = &a->profiles[a->nprofiles];
	read_u64(sc, dir, "total_bytes", &pr->total_bytes);
	if (type == DT_UNKNOWN && pr->total_bytes.st == RTLAB_PV_ABSENT)
		return 0;	/* a file, not a profile directory */
	read_u64(sc, dir, "used_bytes", &pr->used_bytes);
	rtlab_strlcpy(pr->name, name, sizeof(pr->name));
	a->nprofiles++;
	return 0;
}

/* dev_one - an entry of devices/: a block device of the file system. */
static int dev_one(const char *name, unsigned char type, void *arg)
{
	struct btrfs_scan *sc = arg;
	struct rtlab_probe_raid *r = sc->r;
	struct rtlab_btrfs_dev *dev;
	char dir[PATH_MAX];

	(void)type;
	if (probe_grow((void **)&r->btrfs_devs, &r->btrfs_devs_cap, r->nbtrfs_devs + 1,
		       sizeof(*r->btrfs_devs)) < 0)
		return -ENOMEM;
	dev = &r->btrfs_devs[r->nbtrfs_devs++];
	memset(dev, 0, sizeof(*dev));
	rtlab_strlcpy(dev->name, name, sizeof(dev->name));
	dev->fs = (uint32_t)sc->fs;
	if (path_fmt(dir, sizeof(dir), "%s/%s", sc->dir, name) < 0) {
		PV_NA(dev->size_bytes, RTLAB_PV_ERROR);
		return 0;
	}
	read_u64(sc, dir, "size", &dev->size_bytes);
	dev->size_bytes.v *= 512;
	return 0;
}

/* read_groups - allocation/{data,metadata,system}/ of file system @fs at @base. */
static void read_groups(struct btrfs_scan *sc, struct rtlab_btrfs_fs *fs, const char *base)
{
	for (unsigned g = 0; g < RTLAB_BTRFS_GROUP__COUNT; g++) {
		struct rtlab_btrfs_alloc *a = &fs->alloc[g];

		path_fmt(sc->dir, sizeof(sc->dir), "%s/allocation/%s", base, group_names[g]);
		for (size_t k = 0; k < sizeof(alloc_files) / sizeof(alloc_files[0]); k++)
			read_u64(sc, sc->dir, alloc_files[k].file,
				 (struct rtlab_pu64 *)((char *)a + alloc_files[k].off));
		sc->alloc = a;
		probe_dir_each(sc->cx->p, sc->dir, profile_one, sc);
	}
}

/* fs_one - an entry of /sys/fs/btrfs: "features" or a file system's uuid. */
static int fs_one(const char *name, unsigned char type, void *arg)
{
	struct btrfs_scan *sc = arg;
	struct rtlab_probe_raid *r = sc->r;
	struct rtlab_btrfs_fs *fs;
	char base[PATH_MAX], path[PATH_MAX];
	uint8_t st;
	int e;

	(void)type;
	if (!strchr(name, '-') || strlen(name) >= 64)
		return 0;	/* "features", or not a uuid */
	if (probe_grow((void **)&r->btrfs, &r->btrfs_cap, r->nbtrfs + 1, sizeof(*r->btrfs)) < 0)
		return -ENOMEM;
	sc->fs = r->nbtrfs;
	fs = &r->btrfs[r->nbtrfs++];
	memset(fs, 0, sizeof(*fs));
	path_fmt(base, sizeof(base), "/sys/fs/btrfs/%s", name);
	path_fmt(path, sizeof(path), "%s/metadata_uuid", base);
	if (sysfs_read_word(sc->cx->p, path, fs->uuid, sizeof(fs->uuid), &st) < 0 || !fs->uuid[0])
		rtlab_strlcpy(fs->uuid, name, sizeof(fs->uuid));
	path_fmt(path, sizeof(path), "%s/label", base);
	sysfs_read_word(sc->cx->p, path, fs->label, sizeof(fs->label), &fs->label_st);
	read_u64(sc, base, "nodesize", &fs->nodesize);
	read_u64(sc, base, "sectorsize", &fs->sectorsize);
	read_u64(sc, base, "allocation/global_rsv_size", &fs->global_rsv_size);
	read_u64(sc, base, "allocation/global_rsv_reserved", &fs->global_rsv_reserved);
	read_groups(sc, fs, base);
	fs->first_dev = r->nbtrfs_devs;
	path_fmt(sc->dir, sizeof(sc->dir), "%s/devices", base);
	e = probe_dir_each(sc->cx->p, sc->dir, dev_one, sc);
	fs = &r->btrfs[sc->fs];
	fs->ndevs = r->nbtrfs_devs - fs->first_dev;
	return e == -ENOMEM ? e : 0;
}

/* raid_btrfs_collect - every file system of /sys/fs/btrfs. */
int raid_btrfs_collect(struct probe_cx *cx, struct rtlab_probe_raid *r)
{
	struct btrfs_scan sc = { .cx = cx, .r = r };
	int e;

	r->nbtrfs = 0;
	r->nbtrfs_devs = 0;
	e = probe_dir_each_kept(cx->p, "/sys/fs/btrfs", fs_one, &sc);
	if (e == -ENOMEM)
		return e;
	if (e < 0) {
		PV_NA(r->btrfs_filesystems, probe_st_from_errno(e));
		if (e != -ENOENT)
			probe_why(cx, "/sys/fs/btrfs: %s", strerror(-e));
		return 0;
	}
	PV_SET(r->btrfs_filesystems, r->nbtrfs);
	return 0;
}
