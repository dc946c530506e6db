/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* disk-internal.h - what the disk group's collectors share (not installed). */
#ifndef RTLAB_PROBE_DISK_INTERNAL_H
#define RTLAB_PROBE_DISK_INTERNAL_H

#include <sys/statvfs.h>

#include "probe-internal.h"

/* --- Small sysfs attributes (one open/read/close each: slow paths only) --- */

/* sysfs_read_u64 - the number in <root>@path into @out (state from the error if any). */
int sysfs_read_u64(const struct rtlab_probe *p, const char *path, struct rtlab_pu64 *out);

/* sysfs_read_word - the first line of <root>@path, trimmed, into @dst; its state in *@st. */
int sysfs_read_word(const struct rtlab_probe *p, const char *path, char *dst, size_t size,
		    uint8_t *st);

/* path_fmt - a path into @buf (printf-style).  Returns 0 or -ENAMETOOLONG. */
int path_fmt(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* safe_name - true if @name can be a path component (not "", ".", ".." and no '/'). */
bool safe_name(const char *name);

/* --- Block devices --- */

/* disk_sysfs_read - sizes, partitions and queue attributes of every device of @dk. */
void disk_sysfs_read(struct probe_cx *cx, struct rtlab_probe_disk *dk);

/* disk_emit - the disk family's samples. */
void disk_emit(struct probe_emit *e, const struct rtlab_probe_data *d);

/* --- File systems: statvfs off the hot path --- */

/* A statvfs function: 0 or -errno.  The default calls statvfs(3). */
typedef int (*fs_statvfs_fn)(void *arg, const char *path, struct statvfs *st);

/* The worker threads and their jobs, shared with them (freed by the last one to leave). */
struct fs_pool;

/* fs_pool_new - the pool with one worker thread started.  Returns 0 or -ENOMEM. */
int fs_pool_new(fs_statvfs_fn fn, void *arg, struct fs_pool **ret);

/* fs_pool_put - tell the workers to quit and drop the caller's reference. */
void fs_pool_put(struct fs_pool *pool);

/* fs_pool_set_fn - the statvfs function the workers call from now on. */
void fs_pool_set_fn(struct fs_pool *pool, fs_statvfs_fn fn, void *arg);

/* fs_pool_begin - start a round of requests (takes the pool's lock until fs_pool_end). */
void fs_pool_begin(struct fs_pool *pool);

/*
 * fs_pool_add - ask for statvfs(@path) of the mount @key.  Returns the job's
 * slot, -EBUSY if the mount's call of an earlier round is still running
 * (stuck: not asked again), or -ENOMEM.
 */
int fs_pool_add(struct fs_pool *pool, uint64_t key, const char *path);

/* fs_pool_kick - let the workers start on the round (releases the lock). */
void fs_pool_kick(struct fs_pool *pool);

/*
 * fs_pool_wait - wait until the round's jobs are answered or CLOCK_MONOTONIC
 * reaches @deadline_ns (retakes the lock).  Jobs not started by then are
 * dropped; running ones stay stuck.
 */
void fs_pool_wait(struct fs_pool *pool, uint64_t deadline_ns);

/* fs_pool_result - the answer of job @slot: 0 with *@st, -errno, or -ETIMEDOUT. */
int fs_pool_result(struct fs_pool *pool, int slot, struct statvfs *st);

/* fs_pool_end - end the round (releases the lock). */
void fs_pool_end(struct fs_pool *pool);

/*
 * fs_set_statvfs - make the fs family whose open() gave @state call @fn
 * instead of statvfs(3), inline and on the workers (tests: a fake that hangs).
 */
void fs_set_statvfs(void *state, fs_statvfs_fn fn, void *arg);

/* fs_emit - the fs family's samples. */
void fs_emit(struct probe_emit *e, const struct rtlab_probe_data *d);

/* --- RAID and volume managers --- */

/* raid_md_sysfs - /sys/block/<md>/md attributes of every array. */
void raid_md_sysfs(struct probe_cx *cx, struct rtlab_probe_raid *r);

/* raid_dm_collect - /sys/block/dm-* names and uuids. */
int raid_dm_collect(struct probe_cx *cx, struct rtlab_probe_raid *r);

/* raid_btrfs_collect - /sys/fs/btrfs/<uuid>/. */
int raid_btrfs_collect(struct probe_cx *cx, struct rtlab_probe_raid *r);

/* raid_zfs_pools - /proc/spl/kstat/zfs/<pool>/state. */
int raid_zfs_pools(struct probe_cx *cx, struct rtlab_probe_raid *r);

/* raid_emit - the raid family's samples. */
void raid_emit(struct probe_emit *e, const struct rtlab_probe_data *d);

#endif /* RTLAB_PROBE_DISK_INTERNAL_H */
