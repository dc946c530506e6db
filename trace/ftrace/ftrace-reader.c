/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ftrace-reader.c - the recorder thread: page-sized reads of the per-CPU raw buffers. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <traceevent/kbuffer.h>
#include <traceevent/event-parse.h>

#include "ftrace-internal.h"

#define POLL_MS 1000			/* at most this long between two drains */
#define SPIKE_LATE_NS RTLAB_NSEC_PER_SEC	/* how late a spike may be marked */

/* page_times - the first and last time stamps of a page (the last only in keep mode). */
static void page_times(struct rtlab_ftrace *f, struct ftrace_page_hdr *h)
{
	struct kbuffer *kb = f->kb;
	unsigned long long ts = 0;

	h->t_first = h->t_last = 0;
	if (!kb || kbuffer_load_subbuffer(kb, f->page) < 0)
		return;
	h->t_first = h->t_last = kbuffer_timestamp(kb);
	if (!f->keep_ns)
		return;
	for (void *d = kbuffer_read_event(kb, &ts); d; d = kbuffer_next_event(kb, &ts))
		h->t_last = ts;
}

/* drain_cpu - read @cpu's buffer until it is empty. */
static int drain_cpu(struct rtlab_ftrace *f, int cpu)
{
	for (;;) {
		struct ftrace_page_hdr h = { .cpu = (uint32_t)cpu };
		ssize_t n = read(f->fds[cpu], f->page, f->spool.page_size);
		int r;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? 0 : -errno;
		}
		if (n == 0)
			return 0;
		h.len = (uint32_t)n;
		page_times(f, &h);
		r = ftrace_spool_add(&f->spool, &h, f->page);
		if (r < 0)
			return r;
		f->st.pages_read++;
		f->st.bytes_read += (uint64_t)n;
	}
}

/* ftrace_drain - every CPU's buffer. */
int ftrace_drain(struct rtlab_ftrace *f)
{
	for (int cpu = 0; cpu < f->ncpus; cpu++) {
		int r = drain_cpu(f, cpu);

		if (r < 0)
			return r;
	}
	return 0;
}

/* ftrace_page_keep - whether [t_first, t_last] meets a spike's window (spikes so far). */
bool ftrace_page_keep(const struct ftrace_page_hdr *h, void *data)
{
	const struct rtlab_ftrace *f = data;
	uint64_t n = __atomic_load_n(&f->nspikes, __ATOMIC_ACQUIRE);
	uint64_t lo = h->t_first > f->keep_ns ? h->t_first - f->keep_ns : 0;
	uint64_t hi = h->t_last + f->keep_ns;

	if (n > RTLAB_FTRACE_MAX_SPIKES) {
		if (__atomic_load_n(&f->over_max, __ATOMIC_RELAXED) >= lo &&
		    __atomic_load_n(&f->over_min, __ATOMIC_RELAXED) <= hi)
			return true;
		n = RTLAB_FTRACE_MAX_SPIKES;
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t t = __atomic_load_n(&f->spike[i], __ATOMIC_ACQUIRE);

		if (t && t >= lo && t <= hi)
			return true;
	}
	return false;
}

/* trim - keep mode: pages too old for any spike to come are dropped or kept now. */
static int trim(struct rtlab_ftrace *f)
{
	uint64_t now = rtlab_now_ns(), late = f->keep_ns + SPIKE_LATE_NS;

	if (now <= late)
		return 0;
	return ftrace_spool_trim(&f->spool, now - late, ftrace_page_keep, f, &f->pages_dropped);
}

/* wait_data - until a buffer is buffer_percent full, a stop, or POLL_MS. */
static void wait_data(struct rtlab_ftrace *f, struct pollfd *pfd)
{
	for (int i = 0; i < f->ncpus; i++)
		pfd[i] = (struct pollfd){ .fd = f->fds[i], .events = POLLIN };
	pfd[f->ncpus] = (struct pollfd){ .fd = f->wake_fd, .events = POLLIN };
	(void)poll(pfd, (nfds_t)f->ncpus + 1, POLL_MS);
}

/* thread_cpu_ns - this thread's CPU time. */
static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return rtlab_ns_from_ts(&ts);
}

/* ftrace_reader - drain, wait, until told to quit; then a last drain. */
void *ftrace_reader(void *arg)
{
	struct rtlab_ftrace *f = arg;
	struct pollfd *pfd = calloc((size_t)f->ncpus + 1, sizeof(*pfd));
	int r = pfd ? 0 : -ENOMEM;

	while (r >= 0 && !__atomic_load_n(&f->quit, __ATOMIC_ACQUIRE)) {
		r = ftrace_drain(f);
		if (r >= 0 && f->keep_ns)
			r = trim(f);
		if (r >= 0)
			wait_data(f, pfd);
	}
	if (r >= 0)
		r = ftrace_drain(f);
	f->reader_err = r;
	free(pfd);
	f->st.reader_cpu_ns = thread_cpu_ns();
	return NULL;
}
