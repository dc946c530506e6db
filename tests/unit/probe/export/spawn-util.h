/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * spawn-util.h - child processes for the live export tests (rtlab, Prometheus,
 * node_exporter): started with pipes, killed with the test process
 * (PR_SET_PDEATHSIG) and by children_kill() in a suite's .fini, so that a
 * failed assertion never leaves one running.  Header-only.
 */
#ifndef RTLAB_TEST_SPAWN_UTIL_H
#define RTLAB_TEST_SPAWN_UTIL_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rtlab/rtlab.h>

#define CHILDREN_MAX 8

/* The children of this test process still running (killed by children_kill()). */
static pid_t children[CHILDREN_MAX];

/* rtlab_bin - the rtlab binary under test. */
static inline const char *rtlab_bin(void)
{
	const char *b = getenv("RTLAB_BIN");

	cr_assert_not_null(b, "RTLAB_BIN is not set (run through meson test)");
	return b;
}

/* ms_now - CLOCK_MONOTONIC in milliseconds. */
static inline long long ms_now(void)
{
	return (long long)(rtlab_now_ns() / RTLAB_NSEC_PER_MSEC);
}

/*
 * spawn - run @argv; its stdout into *@out and stderr into *@err (pipes, the
 * read ends) or, where NULL, to @log_path (or /dev/null).  Returns the pid.
 */
static inline pid_t spawn(char *const argv[], int *out, int *err, const char *log_path)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 };
	pid_t parent = getpid(), pid;

	cr_assert(!out || pipe2(po, O_CLOEXEC) == 0);
	cr_assert(!err || pipe2(pe, O_CLOEXEC) == 0);
	pid = fork();
	cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		int log = open(log_path ? log_path : "/dev/null", O_WRONLY | O_CREAT | O_APPEND,
			       0644);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		dup2(out ? po[1] : log, 1);
		dup2(err ? pe[1] : log, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (out) {
		close(po[1]);
		*out = po[0];
	}
	if (err) {
		close(pe[1]);
		*err = pe[0];
	}
	for (int i = 0; i < CHILDREN_MAX; i++) {
		if (!children[i]) {
			children[i] = pid;
			break;
		}
	}
	return pid;
}

/* forget - @pid was reaped. */
static inline void forget(pid_t pid)
{
	for (int i = 0; i < CHILDREN_MAX; i++)
		if (children[i] == pid)
			children[i] = 0;
}

/*
 * wait_ms - wait up to @ms for @pid to end; its exit status (or 128 + signal),
 * or -1 if it is still running.
 */
static inline int wait_ms(pid_t pid, long long ms)
{
	long long end = ms_now() + ms;
	int st;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid) {
			forget(pid);
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		if (r < 0 || ms_now() >= end)
			return -1;
		usleep(10000);
	}
}

/* stop - SIGTERM, then SIGKILL after @ms; the exit status as wait_ms(). */
static inline int stop(pid_t pid, long long ms)
{
	int st;

	kill(pid, SIGTERM);
	st = wait_ms(pid, ms);
	if (st < 0) {
		kill(pid, SIGKILL);
		st = wait_ms(pid, 5000);
	}
	return st;
}

/* children_kill - every child still running, killed and reaped (a suite's .fini). */
static inline void children_kill(void)
{
	for (int i = 0; i < CHILDREN_MAX; i++) {
		if (children[i]) {
			kill(children[i], SIGKILL);
			waitpid(children[i], NULL, 0);
			children[i] = 0;
		}
	}
}

/* read_line - one line (without its newline) from @fd within @ms; false on EOF or timeout. */
static inline bool read_line(int fd, char *buf, size_t size, long long ms)
{
	long long end = ms_now() + ms;
	size_t n = 0;

	while (n + 1 < size) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long long left = end - ms_now();

		if (left <= 0 || poll(&p, 1, (int)left) <= 0 || read(fd, buf + n, 1) != 1)
			break;
		if (buf[n] == '\n') {
			buf[n] = '\0';
			return true;
		}
		n++;
	}
	buf[n] = '\0';
	return false;
}

/* read_all - everything from @fd until EOF or @ms into @b. */
static inline void read_all(int fd, struct rtlab_buf *b, long long ms)
{
	long long end = ms_now() + ms;
	char chunk[65536];

	rtlab_buf_reset(b);
	rtlab_buf_append(b, "", 0);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long long left = end - ms_now();
		ssize_t r;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		r = read(fd, chunk, sizeof(chunk));
		if (r <= 0)
			break;
		rtlab_buf_append(b, chunk, (size_t)r);
	}
}

/* free_port - a loopback TCP port free right now (bound, then released). */
static inline int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/*
 * serve_start - "rtlab probe serve --listen 127.0.0.1:0 ARGS..." (NULL-ended
 * @extra); returns its pid, the port it printed, and its stderr (*@err_fd:
 * keep it open while it runs, close it after).
 */
static inline pid_t serve_start(char *const *extra, int *port, int *err_fd)
{
	char *argv[16] = { (char *)rtlab_bin(), "probe", "serve", "--listen", "127.0.0.1:0" };
	char line[256];
	int n = 5, fd;
	pid_t pid;
	const char *p;

	while (extra && *extra && n < 15)
		argv[n++] = *extra++;
	pid = spawn(argv, NULL, &fd, NULL);
	cr_assert(read_line(fd, line, sizeof(line), 10000), "no line from rtlab probe serve");
	p = strstr(line, "serving http://127.0.0.1:");
	cr_assert_not_null(p, "rtlab probe serve said: %s", line);
	*port = atoi(p + strlen("serving http://127.0.0.1:"));
	cr_assert_gt(*port, 0);
	*err_fd = fd;
	return pid;
}

#endif /* RTLAB_TEST_SPAWN_UTIL_H */
