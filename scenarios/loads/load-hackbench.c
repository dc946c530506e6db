/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * load-hackbench.c - the hackbench load: groups of RTLAB_LOAD_HACKBENCH_FDS
 * sender and as many receiver processes.  Each receiver has a socket pair;
 * every sender writes 100-byte messages to each receiver in turn, paced by
 * the intensity, and each receiver reads them 100 bytes at a time, as
 * hackbench does in its default (process, socket) mode.
 *
 * Each worker thread supervises one group: it forks the children, waits for
 * the stop eventfd, then reaps them.  Children keep no descriptor but their
 * own sockets, ask for SIGKILL when the supervising thread dies (the parent
 * death signal follows the thread that forked; this one outlives its
 * children unless rtlab itself dies), and count into their own slot of the
 * shared mapping.  On a stop the senders leave after their
 * current op or sleep, the receivers after their current message or at the
 * end of file (when the last sender has gone); what is still there
 * LOAD_STOP_GRACE_NS later is killed.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "load-internal.h"

#define HB_FDS RTLAB_LOAD_HACKBENCH_FDS
#define HB_MSG RTLAB_LOAD_MESSAGE_BYTES
#define HB_CPU_EVERY 64			/* a receiver updates its CPU time every 64 messages */
#define HB_REAP_POLL_NS (1 * RTLAB_NSEC_PER_MSEC)

/* sort_fds - insertion sort of a few descriptors (no allocation: runs after fork). */
static void sort_fds(int *fds, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		int v = fds[i];
		unsigned j = i;

		for (; j > 0 && fds[j - 1] > v; j--)
			fds[j] = fds[j - 1];
		fds[j] = v;
	}
}

/* keep_only - in a child: close every descriptor above 2 but the @n at @fds. */
static void keep_only(const int *fds, unsigned n)
{
	int keep[HB_FDS];
	unsigned low = 3;

	memcpy(keep, fds, n * sizeof(*fds));
	sort_fds(keep, n);
	for (unsigned i = 0; i < n; i++) {
		if ((unsigned)keep[i] > low)
			(void)close_range(low, (unsigned)keep[i] - 1, 0);
		low = (unsigned)keep[i] + 1;
	}
	(void)close_range(low, ~0u, 0);
}

/* child_init - in a child: die with the supervising thread, take the load's name. */
static void child_init(const struct load_worker *w, pid_t parent)
{
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	(void)prctl(PR_SET_NAME, w->load->comm);
}

/*
 * send_op - one message to the next receiver (a sender's op for the paced
 * loop).  A receiver gone because of a stop ends the sender without an error.
 */
static int send_op(struct load_worker *w)
{
	unsigned char *msg = w->buf;
	ssize_t k;

	do
		k = send(w->wfd[w->next], msg, HB_MSG, MSG_NOSIGNAL);
	while (k < 0 && errno == EINTR);
	if (k < 0)
		return load_stopped(w->load) ? 0 : -errno;
	w->next = (w->next + 1) % HB_FDS;
	return 0;
}

/* sender_main - a sender process: seeded messages, paced sends. */
static int sender_main(struct load_worker *w, unsigned slot)
{
	unsigned char msg[HB_MSG];

	keep_only(w->wfd, HB_FDS);
	w->slot = &w->load->shared->slots[slot];
	w->rng = load_rng_init(w->load->seed, slot);
	load_rng_fill(&w->rng, msg, sizeof(msg));
	w->buf = msg;
	w->next = (unsigned)(load_rng_next(&w->rng) % HB_FDS);
	return load_paced_run(w, send_op) < 0;
}

/*
 * receiver_main - a receiver process: read whole messages until a stop or
 * until every sender is gone.  What is still queued at a stop is dropped, so
 * that stopping does not wait for a backlog to drain.
 */
static int receiver_main(struct load_worker *w, unsigned slot, int fd)
{
	struct load_slot *s = &w->load->shared->slots[slot];
	unsigned char msg[HB_MSG];
	uint64_t cpu0 = load_thread_cpu_ns();
	size_t got = 0;
	int r = 0;

	keep_only(&fd, 1);
	while (!load_stopped(w->load)) {
		ssize_t k = read(fd, msg + got, HB_MSG - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			r = -errno;
		if (k <= 0)
			break;
		got += (size_t)k;
		if (got < HB_MSG)
			continue;
		got = 0;
		rtlab_store_u64(&s->ops, s->ops + 1);
		if (s->ops % HB_CPU_EVERY == 0)
			rtlab_store_u64(&s->cpu_ns, load_thread_cpu_ns() - cpu0);
	}
	rtlab_store_u64(&s->cpu_ns, load_thread_cpu_ns() - cpu0);
	load_slot_error(s, r);
	return r < 0;
}

/* close_fds - close the group's sockets that are still open here. */
static void close_fds(struct load_worker *w)
{
	for (unsigned i = 0; i < HB_FDS; i++) {
		if (w->rfd[i] >= 0)
			close(w->rfd[i]);
		if (w->wfd[i] >= 0)
			close(w->wfd[i]);
		w->rfd[i] = w->wfd[i] = -1;
	}
}

/* spawn - fork child @k of the group: receivers first, then senders. */
static int spawn(struct load_worker *w, unsigned k, pid_t parent)
{
	unsigned slot = w->index * w->load->ops->slots + k;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid > 0) {
		w->pid[k] = pid;
		return 0;
	}
	child_init(w, parent);
	_exit(k < HB_FDS ? receiver_main(w, slot, w->rfd[k]) : sender_main(w, slot));
}

/* hackbench_setup - the sockets, then the children; the supervisor keeps no socket. */
static int hackbench_setup(struct load_worker *w)
{
	const struct rtlab_load *l = w->load;
	pid_t self = getpid();
	int r = 0;

	for (unsigned i = 0; i < HB_FDS && r == 0; i++) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
			r = -errno;
			break;
		}
		w->rfd[i] = sv[0];
		w->wfd[i] = sv[1];
	}
	for (unsigned k = 0; k < 2 * HB_FDS && r == 0; k++)
		r = spawn(w, k, self);
	close_fds(w);
	if (r < 0)
		return rtlab_err(l->ctx, r, "load %s: cannot start hackbench group %u: %s",
				 l->name, w->index, strerror(-r));
	return 0;
}

/* reap_some - reap the children that have exited; returns how many are left. */
static unsigned reap_some(struct load_worker *w, int flags)
{
	unsigned left = 0;

	for (unsigned k = 0; k < 2 * HB_FDS; k++) {
		pid_t p;

		if (w->pid[k] <= 0)
			continue;
		do
			p = waitpid(w->pid[k], NULL, flags);
		while (p < 0 && errno == EINTR);
		if (p == 0)
			left++;
		else
			w->pid[k] = 0;
	}
	return left;
}

/*
 * hackbench_cleanup - reap the group: those that leave within the grace
 * period, then the rest after SIGKILL.  Only this thread reaps them, so a pid
 * still listed has not been reused.
 */
static void hackbench_cleanup(struct load_worker *w)
{
	uint64_t end = rtlab_now_ns() + LOAD_STOP_GRACE_NS;

	close_fds(w);
	while (reap_some(w, WNOHANG) > 0 && rtlab_now_ns() < end)
		load_sleep_until(rtlab_now_ns() + HB_REAP_POLL_NS);
	for (unsigned k = 0; k < 2 * HB_FDS; k++)
		if (w->pid[k] > 0)
			kill(w->pid[k], SIGKILL);
	reap_some(w, 0);
}

/* hackbench_run - wait for the stop. */
static int hackbench_run(struct load_worker *w)
{
	struct pollfd pfd = { .fd = w->load->stop_fd, .events = POLLIN };

	while (!load_stopped(w->load))
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			return rtlab_err(w->load->ctx, -errno, "load %s: poll: %s", w->load->name,
					 strerror(errno));
	return 0;
}

const struct load_kind load_kind_hackbench = {
	.slots = 2 * HB_FDS,
	.setup = hackbench_setup,
	.run = hackbench_run,
	.cleanup = hackbench_cleanup,
};
