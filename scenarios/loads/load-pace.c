/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * load-pace.c - intensity: a worker works for intensity_pct of every 10 ms
 * window and sleeps, with an absolute sleep, until the next one.  A window
 * whose work ran past its end (an op longer than the window, a preemption)
 * is not made up for: the next window starts when it ends.
 */
#include <errno.h>
#include <time.h>

#include "load-internal.h"

/* load_sleep_until - absolute sleep, resumed after signals. */
void load_sleep_until(uint64_t ns)
{
	struct timespec ts = rtlab_ts_from_ns(ns);

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* load_thread_cpu_ns - CPU time of the calling thread. */
uint64_t load_thread_cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) < 0)
		return 0;
	return rtlab_ns_from_ts(&ts);
}

/* work_window - run @op until @end (or a stop, or an error); returns 0 or the error. */
static int work_window(struct load_worker *w, int (*op)(struct load_worker *w), uint64_t end,
		       uint64_t *ret_now)
{
	struct load_slot *s = w->slot;
	uint64_t now;
	int r;

	do {
		r = op(w);
		if (r < 0)
			return r;
		rtlab_store_u64(&s->ops, s->ops + 1);
		now = rtlab_now_ns();
	} while (now < end && !load_stopped(w->load));
	*ret_now = now;
	return 0;
}

/* load_paced_run - the windows of one worker, until a stop or an error. */
int load_paced_run(struct load_worker *w, int (*op)(struct load_worker *w))
{
	const struct rtlab_load *l = w->load;
	struct load_slot *s = w->slot;
	uint64_t busy = LOAD_WINDOW_NS * l->intensity_pct / 100;
	uint64_t cpu0 = load_thread_cpu_ns();
	uint64_t window = rtlab_now_ns();
	int r = 0;

	while (!load_stopped(l)) {
		uint64_t begin = rtlab_now_ns(), now = begin;

		r = work_window(w, op, window + busy, &now);
		rtlab_store_u64(&s->work_ns, s->work_ns + (now - begin));
		rtlab_store_u64(&s->cpu_ns, load_thread_cpu_ns() - cpu0);
		if (r < 0)
			break;
		window += LOAD_WINDOW_NS;
		if (now >= window)
			window = now;
		else if (busy < LOAD_WINDOW_NS)
			load_sleep_until(window);
	}
	load_slot_error(s, r);
	return r;
}
