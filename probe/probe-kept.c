/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe-kept.c - small files re-read on the slow TTL through fds kept open.
 *
 * A sysfs attribute costs an open, a read and a close (a path walk through
 * the /sys/block symlinks: about ten times a pread here) each time it is
 * read.  The attributes of devices are read again on every slow refresh, so
 * their fds are kept in a table of fixed size made with the probe: a path
 * seen before is one pread.  A device that went away answers ENODEV (kernfs)
 * or ENOENT on its kept fd, and a file of a captured tree (--root) that was
 * replaced has no link left: the path is opened anew, which finds a device
 * that came back under the same name.  Only names that cannot move to another
 * object while the fd is open belong here (block devices, not network
 * interfaces, which can be renamed).  When the table is full, or a path is
 * too long for it, the file is read as probe_read_small() does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "probe-internal.h"

#define KEPT_SLOTS 256			/* a power of two */
#define KEPT_MAX (KEPT_SLOTS * 3 / 4)	/* fds kept at most, so that probing ends */
#define KEPT_PATH 104			/* the longest path kept, NUL included */

struct kept_slot {
	int fd;			/* -1: known path whose file is not open */
	bool used;
	bool sysfs;		/* on sysfs: a file removed answers ENODEV */
	char path[KEPT_PATH];
};

struct probe_kept {
	size_t n;		/* used slots */
	struct kept_slot slot[KEPT_SLOTS];
};

/* probe_kept_new - an empty table; NULL without memory. */
struct probe_kept *probe_kept_new(void)
{
	struct probe_kept *k = calloc(1, sizeof(*k));

	for (size_t i = 0; k && i < KEPT_SLOTS; i++)
		k->slot[i].fd = -1;
	return k;
}

/* probe_kept_free - every kept fd closed, then the table freed. */
void probe_kept_free(struct probe_kept *k)
{
	for (size_t i = 0; k && i < KEPT_SLOTS; i++)
		if (k->slot[i].fd >= 0)
			close(k->slot[i].fd);
	free(k);
}

/* hash - FNV-1a of @s. */
static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* slot_of - the slot of @path, or a free one to put it in (NULL: full or too long). */
static struct kept_slot *slot_of(struct probe_kept *k, const char *path)
{
	size_t len = strlen(path);

	if (!k || len >= KEPT_PATH)
		return NULL;
	for (uint32_t i = hash(path), n = 0; n < KEPT_SLOTS; i++, n++) {
		struct kept_slot *s = &k->slot[i & (KEPT_SLOTS - 1)];

		if (s->used && strcmp(s->path, path) == 0)
			return s;
		if (!s->used) {
			if (k->n >= KEPT_MAX)
				return NULL;
			memcpy(s->path, path, len + 1);
			s->used = true;
			k->n++;
			return s;
		}
	}
	return NULL;
}

/* kept_open - open <root><path> into @s (@flags added: O_DIRECTORY); 0 or -errno. */
static int kept_open(const struct rtlab_probe *p, struct kept_slot *s, int flags)
{
	char full[PATH_MAX];
	struct statfs fs;
	int r = probe_path(p, s->path, full, sizeof(full));

	if (r < 0)
		return r;
	s->fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY | flags);
	if (s->fd < 0)
		return -errno;
	s->sysfs = fstatfs(s->fd, &fs) == 0 && fs.f_type == SYSFS_MAGIC;
	return 0;
}

/*
 * kept_gone - whether the file behind a kept fd was removed: sysfs says so on
 * read; elsewhere (a captured tree below --root) a file replaced or deleted
 * has no link left.
 */
static bool kept_gone(const struct kept_slot *s)
{
	struct stat st;

	return !s->sysfs && (fstat(s->fd, &st) < 0 || st.st_nlink == 0);
}

/* probe_read_kept - probe_read_small() through a kept fd (see above). */
ssize_t probe_read_kept(const struct rtlab_probe *p, const char *path, char *buf, size_t size)
{
	struct kept_slot *s;
	ssize_t n;
	int r;

	if (size == 0)
		return -EINVAL;
	s = slot_of(probe_kept(p), path);
	if (!s)
		return probe_read_small(p, path, buf, size);
	probe_traced(p, path);
	if (s->fd >= 0 && !kept_gone(s)) {
		n = probe_pread_small(s->fd, buf, size);
		if (n >= 0 || (n != -ENODEV && n != -ENOENT && n != -ESTALE))
			return n;
	}
	/* Not open yet, or the object behind the fd is gone: look the path up again. */
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
	r = kept_open(p, s, 0);
	if (r < 0)
		return r;
	n = probe_pread_small(s->fd, buf, size);
	if (n < 0) {
		close(s->fd);
		s->fd = -1;
	}
	return n;
}

/* A listing through a kept fd, counting entries. */
struct kept_list {
	int (*fn)(const char *name, unsigned char type, void *arg);
	void *arg;
	size_t n;
};

/* kept_entry - count the entry, then hand it on. */
static int kept_entry(const char *name, unsigned char type, void *arg)
{
	struct kept_list *l = arg;

	l->n++;
	return l->fn(name, type, l->arg);
}

/*
 * probe_dir_each_kept - probe_dir_each() through a kept directory fd.  A
 * removed sysfs directory lists nothing on its old fd: an empty listing is
 * taken again from a fresh open, which finds the directory if it is back.
 */
int probe_dir_each_kept(const struct rtlab_probe *p, const char *path,
			int (*fn)(const char *name, unsigned char type, void *arg), void *arg)
{
	struct kept_slot *s = slot_of(probe_kept(p), path);
	struct kept_list l = { fn, arg, 0 };
	int r;

	if (!s)
		return probe_dir_each(p, path, fn, arg);
	probe_traced(p, path);
	if (s->fd >= 0 && !kept_gone(s)) {
		r = probe_dirfd_each(s->fd, kept_entry, &l);
		if (r != 0 || l.n > 0)
			return r;
	}
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
	r = kept_open(p, s, O_DIRECTORY);
	return r < 0 ? r : probe_dirfd_each(s->fd, fn, arg);
}
