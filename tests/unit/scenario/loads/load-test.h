/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* load-test.h - what the load tests share: running a load, counting threads and children. */
#ifndef RTLAB_LOAD_TEST_H
#define RTLAB_LOAD_TEST_H

#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rtlab/load.h>

#define MSEC RTLAB_NSEC_PER_MSEC

/* sleep_ns - relative sleep, restarted on signals. */
static inline void sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / RTLAB_NSEC_PER_SEC),
			       .tv_nsec = (long)(ns % RTLAB_NSEC_PER_SEC) };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

/* new_load - a started load of @kind; fails the test otherwise. */
static inline struct rtlab_load *new_load(struct rtlab_ctx *ctx, struct rtlab_load_config *cfg)
{
	struct rtlab_load *l = NULL;

	cr_assert_eq(rtlab_load_new(ctx, cfg, &l), 0, "load_new %s", cfg->name);
	cr_assert_eq(rtlab_load_start(l), 0, "load_start %s", cfg->name);
	return l;
}

/* stop_join_ns - stop @l, join it and return how long that took. */
static inline uint64_t stop_join_ns(struct rtlab_load *l)
{
	uint64_t t0 = rtlab_now_ns();

	rtlab_load_stop(l);
	cr_assert_eq(rtlab_load_join(l), 0);
	return rtlab_now_ns() - t0;
}

/* proc_stat - state and parent of process @pid, from /proc/PID/stat; false if gone. */
static inline bool proc_stat(const char *pid, char *ret_comm, size_t size, char *ret_state,
			     long *ret_ppid)
{
	char path[PATH_MAX + 16], buf[512], *open_paren, *close_paren;
	FILE *f;
	size_t n;

	if (snprintf(path, sizeof(path), "/proc/%s/stat", pid) >= (int)sizeof(path))
		return false;
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren)
		return false;
	snprintf(ret_comm, size, "%.*s", (int)(close_paren - open_paren - 1), open_paren + 1);
	return sscanf(close_paren + 1, " %c %ld", ret_state, ret_ppid) == 2;
}

/*
 * count_procs - live (not zombie) processes named @comm, and whose parent is
 * @ppid unless it is 0.
 */
static inline unsigned count_procs(const char *comm, long ppid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	unsigned n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		char name[64], state;
		long parent;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		if (!proc_stat(e->d_name, name, sizeof(name), &state, &parent))
			continue;
		if (state != 'Z' && strcmp(name, comm) == 0 && (ppid == 0 || parent == ppid))
			n++;
	}
	closedir(d);
	return n;
}

/* count_entries - entries of directory @path, "." and ".." aside. */
static inline unsigned count_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	unsigned n = 0;

	cr_assert_not_null(d, "opendir %s", path);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* no_children - this process has no child left, not even a zombie. */
static inline bool no_children(void)
{
	return waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD;
}

#endif /* RTLAB_LOAD_TEST_H */
