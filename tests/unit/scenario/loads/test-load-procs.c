/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-load-procs.c - what loads make outside their threads: hackbench and
 * fork children (all reaped, killed with rtlab if it dies), io files (never
 * left behind, contents from the seed).
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>

#include "load-test.h"
#include "loads/load-internal.h"

TestSuite(load_procs, .timeout = 30);

/* A hackbench group is 20 senders and 20 receivers, children of this process, all reaped. */
Test(load_procs, hackbench_children)
{
	struct rtlab_load_config cfg = { .name = "hb-kids", .kind = RTLAB_LOAD_HACKBENCH,
					 .threads = 2, .intensity_pct = 30, .seed = 3 };
	struct rtlab_load_stats st;
	struct rtlab_load *l = new_load(NULL, &cfg);

	cr_assert_eq(count_procs("hb-kids", getpid()), 2 * 2 * RTLAB_LOAD_HACKBENCH_FDS);
	sleep_ns(100 * MSEC);
	rtlab_load_stats(l, &st);
	cr_assert_eq(st.workers, 2 * 2 * RTLAB_LOAD_HACKBENCH_FDS);
	cr_assert_gt(st.ops, 0);
	rtlab_load_free(l);
	cr_assert_eq(count_procs("hb-kids", 0), 0);
	cr_assert(no_children());
}

/* sum_ops - the ops of slots [@from, @to) of a load's first group. */
static uint64_t sum_ops(const struct rtlab_load *l, unsigned from, unsigned to)
{
	uint64_t n = 0;

	for (unsigned i = from; i < to; i++)
		n += l->shared->slots[i].ops;
	return n;
}

/* Receivers count whole messages, never more than were sent. */
Test(load_procs, hackbench_messages)
{
	struct rtlab_load_config cfg = { .name = "hb-count", .kind = RTLAB_LOAD_HACKBENCH,
					 .threads = 1, .intensity_pct = 100 };
	struct rtlab_load *l = new_load(NULL, &cfg);
	uint64_t received, sent;

	sleep_ns(200 * MSEC);
	stop_join_ns(l);
	received = sum_ops(l, 0, RTLAB_LOAD_HACKBENCH_FDS);
	sent = sum_ops(l, RTLAB_LOAD_HACKBENCH_FDS, 2 * RTLAB_LOAD_HACKBENCH_FDS);
	cr_assert_gt(received, 0);
	cr_assert_leq(received, sent);
	rtlab_load_free(l);
}

/* start_then_wait - in a child: start @cfg, tell the parent on @fd, wait to be killed. */
static void start_then_wait(struct rtlab_load_config *cfg, int fd)
{
	struct rtlab_load *l = NULL;
	char ok = rtlab_load_new(NULL, cfg, &l) == 0 && rtlab_load_start(l) == 0;

	if (write(fd, &ok, 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

/* When rtlab dies (SIGKILL: no clean-up at all), its hackbench processes die with it. */
Test(load_procs, children_die_with_rtlab)
{
	char name[16], ok = 0;
	struct rtlab_load_config cfg = { .name = name, .kind = RTLAB_LOAD_HACKBENCH,
					 .threads = 1, .intensity_pct = 20 };
	uint64_t end;
	int fds[2];
	pid_t pid;

	snprintf(name, sizeof(name), "hbd-%d", (int)getpid());
	cr_assert_eq(pipe(fds), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0)
		start_then_wait(&cfg, fds[1]);
	cr_assert_eq(read(fds[0], &ok, 1), 1);
	cr_assert(ok);
	cr_assert_eq(count_procs(name, pid), 2 * RTLAB_LOAD_HACKBENCH_FDS);
	kill(pid, SIGKILL);
	cr_assert_eq(waitpid(pid, NULL, 0), pid);
	end = rtlab_now_ns() + 2 * RTLAB_NSEC_PER_SEC;
	while (count_procs(name, 0) > 0 && rtlab_now_ns() < end)
		sleep_ns(10 * MSEC);
	cr_assert_eq(count_procs(name, 0), 0, "hackbench processes outlived their parent");
	close(fds[0]);
	close(fds[1]);
}

/* io_fd - the descriptor of this process open on an unnamed file of @dir, or -1. */
static int io_fd(const char *dir)
{
	char link[PATH_MAX], target[PATH_MAX];
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	size_t len = strlen(dir);
	int fd = -1;

	cr_assert_not_null(d);
	while (fd < 0 && (e = readdir(d))) {
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%s", e->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (!strncmp(target, dir, len) && target[len] == '/' && strstr(target, "(deleted)"))
			fd = atoi(e->d_name);
	}
	closedir(d);
	return fd;
}

/* first_bytes - the first @n bytes of the io load's file, once written. */
static void first_bytes(const char *dir, unsigned char *buf, size_t n)
{
	uint64_t end = rtlab_now_ns() + 2 * RTLAB_NSEC_PER_SEC;
	int fd = io_fd(dir);

	cr_assert_geq(fd, 0, "no unnamed file open in %s", dir);
	while (pread(fd, buf, n, 0) != (ssize_t)n && rtlab_now_ns() < end)
		sleep_ns(1 * MSEC);
	cr_assert_eq(pread(fd, buf, n, 0), (ssize_t)n);
}

/* make_dir - a new empty directory /tmp/rtlab-@what-PID. */
static void make_dir(char *dir, size_t size, const char *what)
{
	snprintf(dir, size, "/tmp/rtlab-%s-%d", what, (int)getpid());
	cr_assert_eq(mkdir(dir, 0700), 0, "mkdir %s: %s", dir, strerror(errno));
}

/* An io load writes its file in the directory given, and nothing stays there. */
Test(load_procs, io_leaves_no_file)
{
	char dir[64];
	unsigned char data[64];
	struct rtlab_load_config cfg = { .name = "io", .kind = RTLAB_LOAD_IO, .threads = 2,
					 .intensity_pct = 50, .size_bytes = 256 << 10, .dir = dir };
	struct rtlab_load *l;

	make_dir(dir, sizeof(dir), "io");
	l = new_load(NULL, &cfg);
	first_bytes(dir, data, sizeof(data));
	cr_assert_eq(count_entries(dir), 0, "the io load left a name in %s", dir);
	rtlab_load_free(l);
	cr_assert_eq(io_fd(dir), -1, "a file of the io load is still open");
	cr_assert_eq(count_entries(dir), 0);
	cr_assert_eq(rmdir(dir), 0);
}

/* io_data - the first bytes the io load seeded with @seed writes. */
static void io_data(uint64_t seed, unsigned char *buf, size_t n)
{
	char dir[64];
	struct rtlab_load_config cfg = { .name = "seeded", .kind = RTLAB_LOAD_IO, .threads = 1,
					 .intensity_pct = 10, .size_bytes = 64 << 10, .seed = seed,
					 .dir = dir };
	struct rtlab_load *l;

	make_dir(dir, sizeof(dir), "seed");
	l = new_load(NULL, &cfg);
	first_bytes(dir, buf, n);
	rtlab_load_free(l);
	cr_assert_eq(rmdir(dir), 0);
}

/* The same seed writes the same data; another seed, other data. */
Test(load_procs, io_data_from_seed)
{
	unsigned char a[256], b[256], c[256];

	io_data(42, a, sizeof(a));
	io_data(42, b, sizeof(b));
	io_data(43, c, sizeof(c));
	cr_assert_arr_eq(a, b, sizeof(a));
	cr_assert_arr_neq(a, c, sizeof(a));
}

/* A fork load reaps every child it makes. */
Test(load_procs, fork_reaps)
{
	struct rtlab_load_config cfg = { .name = "forker", .kind = RTLAB_LOAD_FORK, .threads = 2,
					 .intensity_pct = 100 };
	struct rtlab_load_stats st;
	struct rtlab_load *l = new_load(NULL, &cfg);

	sleep_ns(100 * MSEC);
	rtlab_load_join(l);
	rtlab_load_stats(l, &st);
	cr_assert_gt(st.ops, 0);
	rtlab_load_free(l);
	cr_assert(no_children());
	cr_assert_eq(count_procs("forker", 0), 0);
}
