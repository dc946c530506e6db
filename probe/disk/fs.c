/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fs.c - the fs family: the mounts of /proc/self/mountinfo (those this
 * process sees and can statvfs; node_exporter reads /proc/1/mounts) with
 * statvfs of each.  Local file systems are statvfs'ed inline; network ones
 * (and fuse) on the worker threads of fs-worker.c, waited for at most the
 * statvfs_timeout_ns option, so a hung server never blocks a collection.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "disk/disk-internal.h"
#include "disk/disk-parse.h"

struct fs_state {
	struct probe_src src;
	struct fs_pool *pool;
	fs_statvfs_fn fn;
	void *fn_arg;
};

/* default_statvfs - statvfs(3). */
static int default_statvfs(void *arg, const char *path, struct statvfs *st)
{
	(void)arg;
	return statvfs(path, st) < 0 ? -errno : 0;
}

/* fs_open - the mountinfo source and the worker pool. */
static int fs_open(struct rtlab_probe *p, void **state)
{
	struct fs_state *s = calloc(1, sizeof(*s));
	int r;

	(void)p;
	if (!s)
		return -ENOMEM;
	probe_src_init(&s->src, "/proc/self/mountinfo");
	s->fn = default_statvfs;
	r = fs_pool_new(s->fn, NULL, &s->pool);
	if (r < 0) {
		free(s);
		return r;
	}
	*state = s;
	return 0;
}

/* fs_close - the fd, and the pool (hung workers let go of it when they return). */
static void fs_close(void *state)
{
	struct fs_state *s = state;

	probe_src_close(&s->src);
	fs_pool_put(s->pool);
	free(s);
}

/* fs_set_statvfs - replace statvfs(3) (tests). */
void fs_set_statvfs(void *state, fs_statvfs_fn fn, void *arg)
{
	struct fs_state *s = state;

	s->fn = fn;
	s->fn_arg = arg;
	fs_pool_set_fn(s->pool, fn, arg);
}

/* mark - every statvfs field of @m in state @st. */
static void mark(struct rtlab_fs_mount *m, enum rtlab_pv_state st, int err)
{
	struct rtlab_pu64 *f[] = { &m->block_bytes, &m->size_bytes, &m->free_bytes,
				   &m->avail_bytes, &m->used_bytes,  &m->files,
				   &m->files_free,  &m->name_max };

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		PV_NA(*f[i], st);
	m->error = err;
}

/* fill - the answer of statvfs for @m: numbers, or the error as every field's state. */
static void fill(struct probe_cx *cx, struct rtlab_fs_mount *m, int r, const struct statvfs *st)
{
	uint64_t unit;

	if (r < 0) {
		mark(m, probe_st_from_errno(r), r);
		if (r == -ETIMEDOUT)
			probe_why(cx, "statvfs %s (%s): no answer within the timeout",
				  m->mount_point, m->fstype);
		else
			probe_why(cx, "statvfs %s: %s", m->mount_point, strerror(-r));
		return;
	}
	unit = st->f_frsize ? st->f_frsize : st->f_bsize;
	m->error = 0;
	PV_SET(m->block_bytes, unit);
	PV_SET(m->size_bytes, (uint64_t)st->f_blocks * unit);
	PV_SET(m->free_bytes, (uint64_t)st->f_bfree * unit);
	PV_SET(m->avail_bytes, (uint64_t)st->f_bavail * unit);
	PV_SET(m->used_bytes,
	       st->f_blocks > st->f_bfree ? (uint64_t)(st->f_blocks - st->f_bfree) * unit : 0);
	PV_SET(m->files, (uint64_t)st->f_files);
	PV_SET(m->files_free, (uint64_t)st->f_ffree);
	PV_SET(m->name_max, (uint64_t)st->f_namemax);
}

/* mount_path - "<root><mount point>" into @buf; false (and @m marked) if it cannot be asked. */
static bool mount_path(struct probe_cx *cx, struct rtlab_fs_mount *m, char *buf, size_t size)
{
	const char *mp = m->mount_point;
	size_t n = strlen(mp);

	if (m->hidden)
		return false;	/* over-mounted: statvfs would answer for the mount on top */
	if (strcmp(m->fstype, "autofs") == 0) {
		mark(m, RTLAB_PV_UNSUPPORTED, 0);	/* statvfs could trigger a mount */
		return false;
	}
	/* The kernel writes absolute, normalized paths; anything else is not asked. */
	if (mp[0] != '/' || strstr(mp, "/../") || (n >= 3 && strcmp(mp + n - 3, "/..") == 0)) {
		mark(m, RTLAB_PV_MALFORMED, -EINVAL);
		probe_why(cx, "mountinfo: mount %u: unusable mount point", m->mount_id);
		return false;
	}
	if (probe_path(cx->p, mp, buf, size) < 0) {
		mark(m, RTLAB_PV_ERROR, -ENAMETOOLONG);
		return false;
	}
	return true;
}

/* mount_key - which mount a worker job is for. */
static uint64_t mount_key(const struct rtlab_fs_mount *m)
{
	return ((uint64_t)m->mount_id << 32) ^ ((uint64_t)m->major << 20) ^ m->minor;
}

/* queue_network - a job for each network mount; true if any was queued (lock then held). */
static bool queue_network(struct probe_cx *cx, struct fs_state *s, struct rtlab_probe_fs *fs)
{
	char path[PATH_MAX];
	bool begun = false;

	for (size_t i = 0; i < fs->nmounts; i++) {
		struct rtlab_fs_mount *m = &fs->mounts[i];
		int slot;

		if (m->kind != RTLAB_FS_KIND_NETWORK || !mount_path(cx, m, path, sizeof(path)))
			continue;
		if (!begun)
			fs_pool_begin(s->pool);
		begun = true;
		slot = fs_pool_add(s->pool, mount_key(m), path);
		if (slot == -EBUSY) {
			mark(m, RTLAB_PV_TIMEOUT, -ETIMEDOUT);
			probe_why(cx, "statvfs %s (%s): still hung since an earlier collection",
				  m->mount_point, m->fstype);
		} else if (slot < 0) {
			mark(m, probe_st_from_errno(slot), slot);
		} else {
			m->slot = slot;
		}
	}
	return begun;
}

/* fs_collect - mountinfo, then statvfs: network mounts on the workers, local ones here. */
static int fs_collect(struct probe_cx *cx, void *state)
{
	struct fs_state *s = state;
	struct rtlab_probe_fs *fs = &cx->d->fs;
	uint64_t deadline = rtlab_now_ns() + probe_opts(cx->p)->statvfs_timeout_ns;
	char path[PATH_MAX];
	struct statvfs st;
	ssize_t n = probe_src_read(cx->p, &s->src);
	bool pooled;
	int r;

	if (n < 0) {
		fs->nmounts = 0;
		probe_why(cx, "%s: %s", s->src.path, strerror((int)-n));
		return (int)n;
	}
	r = mountinfo_parse(s->src.buf, (size_t)n, fs);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		probe_why(cx, "%s:%zu: malformed, skipped", s->src.path, fs->bad_line);
	pooled = queue_network(cx, s, fs);
	if (pooled)
		fs_pool_kick(s->pool);
	for (size_t i = 0; i < fs->nmounts; i++) {
		struct rtlab_fs_mount *m = &fs->mounts[i];

		if (m->kind == RTLAB_FS_KIND_NETWORK || !mount_path(cx, m, path, sizeof(path)))
			continue;
		r = s->fn(s->fn_arg, path, &st);
		fill(cx, m, r, &st);
	}
	if (!pooled)
		return 0;
	fs_pool_wait(s->pool, deadline);
	for (size_t i = 0; i < fs->nmounts; i++) {
		struct rtlab_fs_mount *m = &fs->mounts[i];

		if (m->slot >= 0) {
			r = fs_pool_result(s->pool, m->slot, &st);
			fill(cx, m, r, &st);
		}
	}
	fs_pool_end(s->pool);
	return 0;
}

/* fs_release - the arrays grown in @d. */
static void fs_release(struct rtlab_probe_data *d)
{
	free(d->fs.mounts);
	free(d->fs.strs);
	memset(&d->fs, 0, sizeof(d->fs));
}

const struct probe_family probe_fam_fs = {
	.name = "fs",
	.id = RTLAB_PF_FS,
	.slow = true,
	.open = fs_open,
	.close = fs_close,
	.collect = fs_collect,
	.emit = fs_emit,
	.release = fs_release,
};
