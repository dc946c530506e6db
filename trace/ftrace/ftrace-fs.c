/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ftrace-fs.c - where tracefs is, mounting it, whether it can be used, disabling an instance. */
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ftrace-internal.h"

#define TRACEFS_DEFAULT "/sys/kernel/tracing"

/* ftrace_fs_find - the tracefs mount from <root>/proc/mounts, /sys/kernel/tracing first. */
int ftrace_fs_find(const struct rtlab_ctx *ctx, char *buf, size_t size)
{
	char mounts[PATH_MAX], found[PATH_MAX] = "";
	struct mntent *m;
	FILE *fp;
	int r;

	r = rtlab_path(ctx, "/proc/mounts", mounts, sizeof(mounts));
	if (r < 0)
		return r;
	fp = setmntent(mounts, "re");
	if (!fp)
		return -errno;
	while ((m = getmntent(fp))) {
		if (strcmp(m->mnt_type, "tracefs") != 0)
			continue;
		if (!found[0] || strcmp(m->mnt_dir, TRACEFS_DEFAULT) == 0)
			rtlab_strlcpy(found, m->mnt_dir, sizeof(found));
	}
	endmntent(fp);
	if (!found[0])
		return -ENOENT;
	return rtlab_path(ctx, found, buf, size);
}

/* ftrace_fs_mount - tracefs's mount point; mounts it at /sys/kernel/tracing when none. */
int ftrace_fs_mount(const struct rtlab_ctx *ctx, char *buf, size_t size, bool *ret_mounted)
{
	const char *root = ctx ? rtlab_ctx_root(ctx) : "";
	int r = ftrace_fs_find(ctx, buf, size);

	*ret_mounted = false;
	if (r != -ENOENT)
		return r;
	if (root[0])
		return rtlab_err(ctx, -ENODEV, "tracefs: not mounted below %s", root);
	if (mount("nodev", TRACEFS_DEFAULT, "tracefs", 0, NULL) < 0) {
		r = -errno;
		return rtlab_err(ctx, r, "tracefs: not mounted, and mounting it at %s failed: %s",
				 TRACEFS_DEFAULT, strerror(-r));
	}
	*ret_mounted = true;
	return rtlab_strlcpy(buf, TRACEFS_DEFAULT, size) < size ? 0 : -ENAMETOOLONG;
}

/* why_set - the reason into @why (may be NULL); returns @r. */
static int why_set(char *why, size_t size, int r, const char *fmt, ...) RTLAB_PRINTF(4, 5);

static int why_set(char *why, size_t size, int r, const char *fmt, ...)
{
	va_list ap;

	if (why && size) {
		va_start(ap, fmt);
		vsnprintf(why, size, fmt, ap);
		va_end(ap);
	}
	return r;
}

/* fs_has_tracefs - whether the running kernel has tracefs at all. */
static bool fs_has_tracefs(const struct rtlab_ctx *ctx)
{
	char buf[8192];

	if (rtlab_read_file(ctx, "/proc/filesystems", buf, sizeof(buf)) < 0)
		return true;	/* cannot tell: let the mount say */
	return strstr(buf, "\ttracefs\n") != NULL;
}

/* rtlab_ftrace_usable - tracefs mounted (or mountable), instances creatable, events there. */
int rtlab_ftrace_usable(struct rtlab_ctx *ctx, char *why, size_t why_size)
{
	char dir[PATH_MAX], sub[PATH_MAX + 32];
	int r;

	if (!fs_has_tracefs(ctx))
		return why_set(why, why_size, -ENODEV, "%s",
			       "this kernel has no tracefs (CONFIG_TRACING is off)");
	r = ftrace_fs_find(ctx, dir, sizeof(dir));
	if (r == -ENOENT) {
		if (geteuid() != 0)
			return why_set(why, why_size, -EPERM, "%s",
				       "tracefs is not mounted and mounting it needs root: "
				       "run as root, or mount it: "
				       "'mount -t tracefs nodev /sys/kernel/tracing'");
		return 0;	/* rtlab mounts it */
	}
	if (r < 0)
		return why_set(why, why_size, r, "cannot read the mount table: %s", strerror(-r));
	snprintf(sub, sizeof(sub), "%s/instances", dir);
	if (access(sub, F_OK) < 0)
		return why_set(why, why_size, -ENOTSUP,
			       "%s/instances is missing: this kernel has no ftrace instances", dir);
	if (access(sub, W_OK) < 0)
		return why_set(why, why_size, -EPERM,
			       "%s/instances is not writable: run as root (CAP_SYS_ADMIN)", dir);
	snprintf(sub, sizeof(sub), "%s/events/header_page", dir);
	if (access(sub, R_OK) < 0)
		return why_set(why, why_size, -ENOTSUP,
			       "%s has no readable events/header_page: no trace events", dir);
	return 0;
}

/* write_str - write @s into <dir>/<file>; 0 or -errno. */
static int write_str(const char *dir, const char *file, const char *s)
{
	char path[PATH_MAX + 64];
	ssize_t n;
	int fd, r = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		r = -errno;
	(void)close(fd);
	return r;
}

/* ftrace_instance_disable - every event off, tracing off: nothing left enabled. */
void ftrace_instance_disable(const char *dir)
{
	(void)write_str(dir, "tracing_on", "0");
	(void)write_str(dir, "events/enable", "0");
}

/* ftrace_fs_read - the whole of <dir>/<file>, NUL-terminated, malloc'd; NULL with errno. */
char *ftrace_fs_read(const char *dir, const char *file, size_t *ret_len)
{
	char path[PATH_MAX + 128], *buf = NULL, *p;
	size_t len = 0, cap = 0;
	int fd, e = 0;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			cap = cap ? cap * 2 : 8192;
			p = realloc(buf, cap);
			if (!p) {
				e = ENOMEM;
				break;
			}
			buf = p;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			e = n < 0 ? errno : 0;
			break;
		}
		len += (size_t)n;
	}
	(void)close(fd);
	if (e) {
		free(buf);
		errno = e;
		return NULL;
	}
	buf[len] = '\0';
	if (ret_len)
		*ret_len = len;
	return buf;
}
