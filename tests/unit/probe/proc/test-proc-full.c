/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-proc-full.c - ProcessFull: the test's own process against the system
 * calls that tell the same (getuid, getrusage, getrlimit, fstat...), a hostile
 * hand-made process, and files that are missing or denied.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../test-probe.h"
#include "proc-test.h"

extern char **environ;

/* burn - spend about @ms of CPU time in this thread. */
static void burn(long ms)
{
	struct timespec a, b;
	volatile unsigned long x = 0;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	do {
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

/* fd_of - the entry of fd @fd, or NULL. */
static const struct rtlab_proc_fd *fd_of(const struct rtlab_proc_full *f, int fd)
{
	for (uint32_t i = 0; i < f->n_fds; i++)
		if (f->fds[i].fd == fd)
			return &f->fds[i];
	return NULL;
}

/* first_arg - the first NUL-terminated string of /proc/self/cmdline, read with stdio. */
static const char *first_arg(char *buf, size_t size)
{
	FILE *f = fopen("/proc/self/cmdline", "r");
	size_t n;

	cr_assert_not_null(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* rusage_s - user + system CPU seconds of this process. */
static double rusage_s(const struct rusage *ru)
{
	return (double)ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 +
	       (double)ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
}

/* The test's own process: identity, credentials, CPU times, faults, limits, files. */
Test(proc_full, own_process_matches_the_system_calls)
{
	struct rtlab_probe *p = probe_at("", NULL);
	struct rtlab_proc_full f = { 0 };
	struct rusage before, after;
	struct rlimit rl;
	struct stat sb;
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	int pipefd[2], sv[2], null = open("/dev/null", O_RDONLY);
	const struct rtlab_proc_fd *d;
	char cwd[PATH_MAX], arg0[PATH_MAX];
	double ticks = (double)sysconf(_SC_CLK_TCK);

	cr_assert_eq(pipe(pipefd), 0);
	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	burn(60);
	getrusage(RUSAGE_SELF, &before);
	cr_assert_eq(rtlab_proc_full_read(p, getpid(), 0, &f), 0);
	getrusage(RUSAGE_SELF, &after);

	cr_assert_eq(f.stat.pid.v, getpid());
	cr_assert_eq(f.stat.ppid.v, getppid());
	cr_assert_eq(f.stat.pgrp.v, getpgrp());
	cr_assert_eq(f.stat.session.v, getsid(0));
	cr_assert_eq(f.status.tgid.v, getpid());
	getresuid(&ru, &eu, &su);
	getresgid(&rg, &eg, &sg);
	cr_assert_eq(f.status.uid[0].v, ru);
	cr_assert_eq(f.status.uid[1].v, eu);
	cr_assert_eq(f.status.uid[2].v, su);
	cr_assert_eq(f.status.gid[0].v, rg);
	cr_assert_eq(f.status.gid[1].v, eg);
	cr_assert_eq(f.status.n_groups, (uint32_t)getgroups(0, NULL));
	/* /proc counts in ticks: within two ticks of getrusage's microseconds. */
	cr_assert_geq((f.stat.utime_ticks.v + f.stat.stime_ticks.v) / ticks,
		      rusage_s(&before) - 2 / ticks);
	cr_assert_leq((f.stat.utime_ticks.v + f.stat.stime_ticks.v) / ticks,
		      rusage_s(&after) + 2 / ticks);
	cr_assert_geq(f.stat.minflt.v, (uint64_t)before.ru_minflt);
	cr_assert_leq(f.stat.minflt.v, (uint64_t)after.ru_minflt);
	cr_assert_eq(f.stat.num_threads.v, f.n_threads);
	cr_assert_eq(f.status.threads.v, f.n_threads);
	cr_assert_eq(f.threads[0].tid, getpid());

	getrlimit(RLIMIT_NOFILE, &rl);
	for (uint32_t i = 0; i < f.limits.count; i++) {
		if (f.limits.row[i].resource != RLIMIT_NOFILE)
			continue;
		cr_assert_eq(f.limits.row[i].soft.v, rl.rlim_cur);
		cr_assert_eq(f.limits.row[i].hard.v, rl.rlim_max);
	}
	cr_assert_eq(f.limits.count, RLIM_NLIMITS);

	d = fd_of(&f, null);
	cr_assert_not_null(d);
	cr_assert_eq(d->kind, RTLAB_PROC_FD_PATH);
	cr_assert_str_eq(d->target, "/dev/null");
	cr_assert_eq(d->flags.v & O_ACCMODE, O_RDONLY);
	fstat(pipefd[0], &sb);
	d = fd_of(&f, pipefd[0]);
	cr_assert_eq(d->kind, RTLAB_PROC_FD_PIPE);
	cr_assert_eq(d->link_inode.v, sb.st_ino);
	fstat(sv[0], &sb);
	d = fd_of(&f, sv[0]);
	cr_assert_eq(d->kind, RTLAB_PROC_FD_SOCKET);
	cr_assert_eq(d->link_inode.v, sb.st_ino);
	cr_assert_eq(f.fd_count.v, f.n_fds);

	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	cr_assert_str_eq(f.cwd, cwd);
	cr_assert_eq(stat("/proc/self/ns/net", &sb), 0);
	cr_assert_eq(f.ns[RTLAB_PROC_NS_NET].v, sb.st_ino);
	cr_assert_geq(f.argc, 1);
	cr_assert_str_eq(f.argv[0], first_arg(arg0, sizeof(arg0)));
	cr_assert(f.mem.rss_bytes.v > 0 && f.mem.uss_bytes.v > 0);
	cr_assert_leq(f.mem.uss_bytes.v, f.mem.rss_bytes.v);
	cr_assert_eq(f.mem.lib_bytes.st, RTLAB_PV_OK);
	cr_assert_eq(f.mem.swap_bytes.st, RTLAB_PV_OK);
	cr_assert_eq(f.mem.mem_pct.st, RTLAB_PV_OK);
	cr_assert_eq(f.io.rchar_bytes.st, RTLAB_PV_OK);
	cr_assert_eq(f.sched.policy.v, f.stat.policy.v);
	cr_assert_eq(f.affinity_cpus.st, RTLAB_PV_OK);
	cr_assert_eq(f.src[RTLAB_PROC_SRC_ENVIRON].st, RTLAB_PV_ABSENT, "not asked for");
	cr_assert_eq(f.n_env, 0);
	cr_assert_lt(f.start_unix_s.v, (double)time(NULL) + 1);
	cr_assert_eq(f.cpu_pct.st, RTLAB_PV_NOT_READY, "the first reading");

	close(null);
	close(pipefd[0]);
	close(pipefd[1]);
	close(sv[0]);
	close(sv[1]);
	rtlab_proc_full_release(&f);
	rtlab_probe_free(p);
}

/* CPU % from the previous reading into the same struct; a child; the environment. */
Test(proc_full, second_reading_children_environment)
{
	struct rtlab_probe *p = probe_at("", NULL);
	struct rtlab_proc_full f = { 0 };
	pid_t child = fork();
	bool found = false;

	cr_assert_geq(child, 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	cr_assert_eq(rtlab_proc_full_read(p, getpid(), RTLAB_PROC_FULL_ENV, &f), 0);
	cr_assert_eq(f.cpu_pct.st, RTLAB_PV_NOT_READY);
	burn(100);
	cr_assert_eq(rtlab_proc_full_read(p, getpid(), RTLAB_PROC_FULL_ENV, &f), 0);
	cr_assert_eq(f.cpu_pct.st, RTLAB_PV_OK);
	cr_assert_gt(f.cpu_pct.v, 10.0, "%f", f.cpu_pct.v);
	for (uint32_t i = 0; i < f.n_children; i++)
		found |= f.children[i] == child;
	cr_assert(found, "child %d among %u children", (int)child, f.n_children);
	cr_assert_eq(f.src[RTLAB_PROC_SRC_ENVIRON].st, RTLAB_PV_OK);
	if (environ && environ[0]) {
		found = false;
		for (uint32_t i = 0; i < f.n_env; i++)
			found |= strcmp(f.env[i], environ[0]) == 0;
		cr_assert(found, "%s in the environment", environ[0]);
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	rtlab_proc_full_release(&f);
	rtlab_probe_free(p);
}

/* A pid that does not exist. */
Test(proc_full, no_such_process)
{
	struct rtlab_probe *p = probe_at("", NULL);
	struct rtlab_proc_full f = { 0 };

	cr_assert_eq(rtlab_proc_full_read(p, INT32_MAX, 0, &f), -ESRCH);
	cr_assert_eq(rtlab_proc_full_read(p, 0, 0, &f), -EINVAL);
	rtlab_proc_full_release(&f);
	rtlab_probe_free(p);
}

/* The hand-made hostile process: every byte kept, kinds of files, the sched call refused. */
Test(proc_full, hostile_fixture)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_proc_full f = { 0 };
	const struct rtlab_proc_fd *d;

	cr_assert_eq(rtlab_proc_full_read(p, 4242, RTLAB_PROC_FULL_ENV, &f), 0);
	cr_assert_str_eq(f.comm, "(a) b)\n\x1b[31m\xff");
	cr_assert_str_eq(f.stat.comm, f.comm);
	cr_assert_str_eq(f.status.name, "(a) b)\\n\x1b[31m\xff");
	cr_assert_eq(f.argc, 4);
	cr_assert_str_eq(f.argv[0], "/bin/ev\xffil");
	cr_assert_str_eq(f.argv[1], "--name=\"x\"");
	cr_assert_str_eq(f.argv[3], "a\\b");
	cr_assert_eq(f.n_env, 3);
	cr_assert_str_eq(f.env[1], "B=\xed\xa0\x80");
	cr_assert_str_eq(f.exe, "/tmp/ev\xffil (deleted)");
	cr_assert_str_eq(f.cwd, "/tmp/dir with spaces");
	cr_assert_eq(f.n_fds, 6);
	cr_assert_eq(fd_of(&f, 1)->kind, RTLAB_PROC_FD_SOCKET);
	cr_assert_eq(fd_of(&f, 1)->link_inode.v, 12345);
	cr_assert_eq(fd_of(&f, 2)->kind, RTLAB_PROC_FD_PIPE);
	cr_assert_eq(fd_of(&f, 3)->kind, RTLAB_PROC_FD_ANON);
	cr_assert_eq(fd_of(&f, 5)->kind, RTLAB_PROC_FD_OTHER);
	d = fd_of(&f, 4);
	cr_assert_str_eq(d->target, "/tmp/evil\nname (deleted)");
	cr_assert_eq(d->pos.v, 42);
	cr_assert_eq(f.stat.policy.v, 1);
	cr_assert_eq(f.stat.rt_priority.v, 50);
	cr_assert_eq(f.sched.policy.st, RTLAB_PV_UNSUPPORTED, "no system call for a fixture");
	cr_assert_eq(f.src[RTLAB_PROC_SRC_SCHED_ATTR].st, RTLAB_PV_UNSUPPORTED);
	cr_assert_eq(f.src[RTLAB_PROC_SRC_ATTR].st, RTLAB_PV_ABSENT);
	cr_assert_eq(f.ns[RTLAB_PROC_NS_NET].st, RTLAB_PV_OK);
	cr_assert_float_eq(f.start_unix_s.v, VM_BTIME() + 200526.0 / sysconf(_SC_CLK_TCK), 1e-3);
	rtlab_proc_full_release(&f);
	rtlab_probe_free(p);
}

/* Captured processes: threads, children found by scanning, a zombie, a kernel thread. */
Test(proc_full, captured_family)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_proc_full f = { 0 };

	cr_assert_eq(rtlab_proc_full_read(p, 4175, RTLAB_PROC_FULL_MAPS, &f), 0);
	cr_assert_gt(f.n_maps, 5);
	cr_assert_str_eq(f.maps[0].path, "/usr/local/bin/fx-workload");
	cr_assert_str_eq(f.maps[0].perms, "r--p");
	cr_assert_eq(f.maps[0].dev_major, 0xfe);
	cr_assert_eq(f.src[RTLAB_PROC_SRC_MAPS].st, RTLAB_PV_OK);
	cr_assert_eq(f.n_threads, 3);
	cr_assert_eq(f.threads[1].tid, 4176);
	cr_assert_eq(f.n_children, 3);
	cr_assert_eq(f.children[0], 4179);
	cr_assert_eq(f.children[2], 4242);
	cr_assert_eq(f.n_cgroups, 10);
	cr_assert_eq(f.limits.count, 16);
	cr_assert_eq(f.mem.uss_bytes.v, f.smaps.private_clean.v + f.smaps.private_dirty.v);
	cr_assert_eq(f.mem.rss_bytes.v, f.statm.resident_pages.v * (uint64_t)sysconf(_SC_PAGESIZE));
	cr_assert_eq(f.affinity_cpus.v, 2);

	cr_assert_eq(rtlab_proc_full_read(p, 4180, 0, &f), 0);
	cr_assert_eq(f.stat.state, 'Z');
	cr_assert_eq(f.argc, 0);
	cr_assert_eq(f.src[RTLAB_PROC_SRC_CMDLINE].st, RTLAB_PV_OK);
	cr_assert_eq(f.exe_st, RTLAB_PV_ABSENT);
	cr_assert_eq(f.smaps.rss.st, RTLAB_PV_ABSENT);
	cr_assert_eq(f.mem.uss_bytes.st, RTLAB_PV_ABSENT);
	cr_assert_eq(f.ns[RTLAB_PROC_NS_NET].st, RTLAB_PV_ABSENT);
	cr_assert_eq(f.ns[RTLAB_PROC_NS_PID].st, RTLAB_PV_OK);
	cr_assert(strstr(f.src[RTLAB_PROC_SRC_SMAPS_ROLLUP].why, "/proc/4180/smaps_rollup"));

	cr_assert_eq(rtlab_proc_full_read(p, 2, 0, &f), 0);
	cr_assert_eq(f.argc, 0);
	cr_assert(f.stat.flags.v & 0x00200000);
	cr_assert_eq(f.status.kthread.v, 1);
	rtlab_proc_full_release(&f);
	rtlab_probe_free(p);
}

/* Damaged and missing files in a temporary tree: states and reasons, never zeros. */
Test(proc_full, damaged_tree)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_proc_full f = { 0 };

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/7/stat", "7 (x) S 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 50 100 2 5 "
				       "0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
	tree_put(root, "/proc/7/status", "Name:\tx\nUid:\t1\t2\n");
	tree_put(root, "/proc/7/io", "rchar: 12\nwchar: zz\n");
	tree_put(root, "/proc/7/limits", "Limit  Soft Limit  Hard Limit  Units\nMax cpu time  1\n");
	tree_put(root, "/proc/7/oom_score", "oops\n");
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_proc_full_read(p, 7, 0, &f), 0);
	cr_assert_eq(f.src[RTLAB_PROC_SRC_STAT].st, RTLAB_PV_OK);
	cr_assert_eq(f.src[RTLAB_PROC_SRC_STATUS].st, RTLAB_PV_MALFORMED);
	cr_assert_eq(f.status.uid[0].st, RTLAB_PV_MALFORMED);
	cr_assert_eq(f.io.rchar_bytes.v, 12);
	cr_assert_eq(f.io.wchar_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(f.io.syscr.st, RTLAB_PV_ABSENT);
	cr_assert_eq(f.limits.row[0].soft.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(f.oom_score.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(f.statm.size_pages.st, RTLAB_PV_ABSENT);
	cr_assert_eq(f.mem.rss_bytes.st, RTLAB_PV_ABSENT);
	cr_assert_eq(f.mem.mem_pct.st, RTLAB_PV_ABSENT);
	cr_assert_eq(f.start_unix_s.st, RTLAB_PV_ABSENT, "no /proc/stat, no boot time");
	cr_assert_eq(f.fd_count.st, RTLAB_PV_ABSENT);
	cr_assert(strstr(f.src[RTLAB_PROC_SRC_FD].why, "/proc/7/fd") != NULL, "%s",
		  f.src[RTLAB_PROC_SRC_FD].why);
	cr_assert(strstr(f.src[RTLAB_PROC_SRC_SYSTEM].why, "/proc/stat") != NULL);
	cr_assert_eq(rtlab_proc_full_read(p, 8, 0, &f), -ESRCH);
	rtlab_proc_full_release(&f);
	rtlab_probe_free(p);
	tree_free(root);
}

/* An unprivileged reader: io, environ, fds, exe of a root process are denied, with why. */
Test(proc_full, denied_when_not_permitted)
{
	pid_t target = getpid(), child;
	int status;

	if (geteuid() != 0)
		cr_skip_test("needs root to drop to another user");
	child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		struct rtlab_probe *p;
		struct rtlab_proc_full f = { 0 };
		int bad = 0;

		if (setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0)
			_exit(99);
		if (rtlab_probe_new(NULL, NULL, &p) < 0 ||
		    rtlab_proc_full_read(p, target, RTLAB_PROC_FULL_ENV, &f) < 0)
			_exit(98);
		bad |= (f.io.read_bytes.st != RTLAB_PV_DENIED) << 0;
		bad |= (f.src[RTLAB_PROC_SRC_ENVIRON].st != RTLAB_PV_DENIED) << 1;
		bad |= (f.fd_count.st != RTLAB_PV_DENIED) << 2;
		bad |= (f.exe_st != RTLAB_PV_DENIED) << 3;
		bad |= (strstr(f.src[RTLAB_PROC_SRC_IO].why, "/io") == NULL) << 4;
		bad |= (f.stat.pid.st != RTLAB_PV_OK) << 5;
		rtlab_proc_full_release(&f);
		rtlab_probe_free(p);
		_exit(bad);
	}
	cr_assert_eq(waitpid(child, &status, 0), child);
	cr_assert(WIFEXITED(status));
	cr_assert_eq(WEXITSTATUS(status), 0, "failed checks (bits): %d", WEXITSTATUS(status));
}
