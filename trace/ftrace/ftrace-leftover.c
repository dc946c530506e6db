/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ftrace-leftover.c - rtlab instances left in tracefs by recorders that are gone. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ftrace-internal.h"

/* pid_alive - whether @pid runs (the /proc of the context's root says so). */
static bool pid_alive(const struct rtlab_ctx *ctx, pid_t pid)
{
	char path[64], full[PATH_MAX];

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (rtlab_path(ctx, path, full, sizeof(full)) < 0)
		return true;
	return access(full, F_OK) == 0;
}

/* rtlab_ftrace_leftovers - every "rtlab-<pid>-<n>" folder of <tracefs>/instances. */
int rtlab_ftrace_leftovers(struct rtlab_ctx *ctx, struct rtlab_ftrace_leftover *ret,
			   size_t max, size_t *ret_n)
{
	char dir[PATH_MAX], inst[PATH_MAX + 16];
	struct dirent *de;
	size_t n = 0;
	DIR *d;
	int r;

	*ret_n = 0;
	r = ftrace_fs_find(ctx, dir, sizeof(dir));
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return rtlab_err(ctx, r, "tracefs: cannot read the mount table: %s", strerror(-r));
	snprintf(inst, sizeof(inst), "%s/instances", dir);
	d = opendir(inst);
	if (!d) {
		r = -errno;
		if (r == -ENOENT)
			return 0;
		return rtlab_err(ctx, r, "%s: %s", inst, strerror(-r));
	}
	while ((de = readdir(d))) {
		pid_t pid;

		if (ftrace_instance_name_parse(de->d_name, &pid) < 0)
			continue;
		if (n < max) {
			rtlab_strlcpy(ret[n].name, de->d_name, sizeof(ret[n].name));
			ret[n].pid = pid;
			ret[n].alive = pid_alive(ctx, pid);
		}
		n++;
	}
	closedir(d);
	*ret_n = n;
	return 0;
}

/* rtlab_ftrace_leftover_remove - disable and remove a dead recorder's instance. */
int rtlab_ftrace_leftover_remove(struct rtlab_ctx *ctx, const char *name)
{
	char dir[PATH_MAX], inst[PATH_MAX + 80];
	pid_t pid;
	int r;

	if (ftrace_instance_name_parse(name, &pid) < 0 || strlen(name) >= FTRACE_NAME_MAX)
		return rtlab_err(ctx, -EINVAL, "'%s' is not an rtlab instance name", name);
	if (pid_alive(ctx, pid))
		return rtlab_err(ctx, -EBUSY, "instance %s: its recorder (pid %d) still runs",
				 name, (int)pid);
	r = ftrace_fs_find(ctx, dir, sizeof(dir));
	if (r < 0)
		return rtlab_err(ctx, r, "tracefs is not mounted");
	snprintf(inst, sizeof(inst), "%s/instances/%s", dir, name);
	if (access(inst, F_OK) < 0)
		return rtlab_err(ctx, -ENOENT, "instance %s: no such instance", name);
	ftrace_instance_disable(inst);
	if (rmdir(inst) < 0) {
		r = -errno;
		return rtlab_err(ctx, r, "instance %s: cannot remove it: %s", name, strerror(-r));
	}
	return 0;
}
