/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * disk-sysfs.c - what /sys/block says about the devices of /proc/diskstats:
 * size, partitions (/sys/block/<disk>/<part>/partition) and the request
 * queue.  Read on the slow TTL only, through kept fds (probe_read_kept).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "disk/disk-internal.h"
#include "disk/disk-parse.h"

/* Queue attributes, in enum rtlab_disk_queue order, below /sys/block/<disk>/. */
static const char *const queue_files[RTLAB_DISK_Q__COUNT] = {
	[RTLAB_DISK_Q_NR_REQUESTS] = "queue/nr_requests",
	[RTLAB_DISK_Q_ROTATIONAL] = "queue/rotational",
	[RTLAB_DISK_Q_LOGICAL_BLOCK] = "queue/logical_block_size",
	[RTLAB_DISK_Q_PHYSICAL_BLOCK] = "queue/physical_block_size",
	[RTLAB_DISK_Q_READ_AHEAD_KB] = "queue/read_ahead_kb",
	[RTLAB_DISK_Q_MAX_SECTORS_KB] = "queue/max_sectors_kb",
	[RTLAB_DISK_Q_DISCARD_MAX] = "queue/discard_max_bytes",
	[RTLAB_DISK_Q_DISCARD_GRANULARITY] = "queue/discard_granularity",
	[RTLAB_DISK_Q_DEPTH] = "device/queue_depth",
};

struct part_scan {
	struct probe_cx *cx;
	struct rtlab_probe_disk *dk;
	size_t disk;			/* index of the whole disk in dk->devs */
	const char *sysname;		/* its name in /sys/block */
	uint64_t nparts;
};

/* sys_name - the name in sysfs: the kernel writes '/' in block names as '!'. */
static bool sys_name(const char *name, char *buf, size_t size)
{
	size_t n = strlen(name);

	if (n >= size)
		return false;
	for (size_t i = 0; i <= n; i++)
		buf[i] = name[i] == '/' ? '!' : name[i];
	return safe_name(buf);
}

/* note_error - why for an attribute that exists but could not be read. */
static void note_error(struct probe_cx *cx, const char *path, int r)
{
	if (r < 0 && r != -ENOENT && r != -ENOTDIR)
		probe_why(cx, "%s: %s", path, r == -EBADMSG ? "malformed" : strerror(-r));
}

/* read_attr - /sys/block/<sysname>/<file> as a number. */
static int read_attr(struct probe_cx *cx, const char *sysname, const char *file,
		     struct rtlab_pu64 *out)
{
	char path[PATH_MAX];
	int r;

	if (path_fmt(path, sizeof(path), "/sys/block/%s/%s", sysname, file) < 0) {
		PV_NA(*out, RTLAB_PV_ERROR);
		return -ENAMETOOLONG;
	}
	r = sysfs_read_u64(cx->p, path, out);
	note_error(cx, path, r);
	return r;
}

/* read_queue - the queue attributes and the scheduler of a whole disk. */
static void read_queue(struct probe_cx *cx, const char *sysname, struct rtlab_disk_dev *dev)
{
	char path[PATH_MAX], buf[256];
	ssize_t n;

	for (unsigned i = 0; i < RTLAB_DISK_Q__COUNT; i++)
		read_attr(cx, sysname, queue_files[i], &dev->queue[i]);
	path_fmt(path, sizeof(path), "/sys/block/%s/queue/scheduler", sysname);
	n = probe_read_kept(cx->p, path, buf, sizeof(buf));
	if (n < 0) {
		dev->scheduler_st = (uint8_t)probe_st_from_errno((int)n);
		note_error(cx, path, (int)n);
	} else if (disk_sched_parse(buf, (size_t)n, dev->scheduler, sizeof(dev->scheduler),
				    dev->schedulers, sizeof(dev->schedulers)) < 0) {
		dev->scheduler_st = RTLAB_PV_MALFORMED;
		note_error(cx, path, -EBADMSG);
	} else {
		dev->scheduler_st = RTLAB_PV_OK;
	}
}

/* find_dev - the device named @name, or NULL. */
static struct rtlab_disk_dev *find_dev(struct rtlab_probe_disk *dk, const char *name)
{
	for (size_t i = 0; i < dk->ndevs; i++)
		if (strcmp(dk->devs[i].name, name) == 0)
			return &dk->devs[i];
	return NULL;
}

/* part_one - an entry of /sys/block/<disk>/ that is a partition ("sda1" with a partition file). */
static int part_one(const char *name, unsigned char type, void *arg)
{
	struct part_scan *ps = arg;
	struct rtlab_disk_dev *disk = &ps->dk->devs[ps->disk], *dev;
	size_t n = strlen(ps->sysname);
	char file[PATH_MAX];
	struct rtlab_pu64 num;

	(void)type;
	if (strncmp(name, ps->sysname, n) != 0 || !name[n])
		return 0;
	if (path_fmt(file, sizeof(file), "%s/partition", name) < 0 ||
	    read_attr(ps->cx, ps->sysname, file, &num) < 0)
		return 0;
	ps->nparts++;
	dev = find_dev(ps->dk, name);
	if (!dev || dev == disk)
		return 0;	/* a partition /proc/diskstats does not list */
	dev->kind = RTLAB_DISK_KIND_PARTITION;
	dev->partition = num;
	rtlab_strlcpy(dev->parent, disk->name, sizeof(dev->parent));
	if (path_fmt(file, sizeof(file), "%s/size", name) == 0 &&
	    read_attr(ps->cx, ps->sysname, file, &dev->size_bytes) == 0)
		dev->size_bytes.v *= 512;
	memcpy(dev->queue, disk->queue, sizeof(dev->queue));
	memcpy(dev->scheduler, disk->scheduler, sizeof(dev->scheduler));
	memcpy(dev->schedulers, disk->schedulers, sizeof(dev->schedulers));
	dev->scheduler_st = disk->scheduler_st;
	return 0;
}

/* reset_sysfs - what a device is before sysfs says more. */
static void reset_sysfs(struct rtlab_disk_dev *dev)
{
	dev->kind = (uint8_t)disk_kind_of(dev->name);
	dev->parent[0] = '\0';
	dev->scheduler[0] = '\0';
	dev->schedulers[0] = '\0';
	dev->scheduler_st = RTLAB_PV_ABSENT;
	PV_NA(dev->size_bytes, RTLAB_PV_ABSENT);
	PV_NA(dev->partition, RTLAB_PV_ABSENT);
	PV_NA(dev->partitions, RTLAB_PV_ABSENT);
	for (unsigned i = 0; i < RTLAB_DISK_Q__COUNT; i++)
		PV_NA(dev->queue[i], RTLAB_PV_ABSENT);
}

/* disk_sysfs_read - whole disks (those in /sys/block) and, through them, their partitions. */
void disk_sysfs_read(struct probe_cx *cx, struct rtlab_probe_disk *dk)
{
	for (size_t i = 0; i < dk->ndevs; i++)
		reset_sysfs(&dk->devs[i]);
	for (size_t i = 0; i < dk->ndevs; i++) {
		struct rtlab_disk_dev *dev = &dk->devs[i];
		char sysname[sizeof(dev->name)], dir[PATH_MAX];
		struct part_scan ps = { .cx = cx, .dk = dk, .disk = i, .sysname = sysname };
		struct rtlab_pu64 size;
		int r;

		if (!sys_name(dev->name, sysname, sizeof(sysname)))
			continue;
		r = read_attr(cx, sysname, "size", &size);
		if (r < 0) {
			/* Not a whole disk (a partition: its disk fills it in), or unreadable. */
			if (r != -ENOENT && r != -ENOTDIR)
				dev->size_bytes = size;
			continue;
		}
		PV_SET(dev->size_bytes, size.v * 512);
		read_queue(cx, sysname, dev);
		path_fmt(dir, sizeof(dir), "/sys/block/%s", sysname);
		r = probe_dir_each(cx->p, dir, part_one, &ps);
		if (r < 0) {
			PV_NA(dev->partitions, probe_st_from_errno(r));
			note_error(cx, dir, r);
		} else {
			PV_SET(dev->partitions, ps.nparts);
		}
	}
}
