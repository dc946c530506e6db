/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-verdict.c - spike verdicts on recorded event sequences with known
 * causes.  Figures are checked to 1 us (the events are placed to the
 * microsecond; the sweep itself is exact to the nanosecond).
 */
#include "corr-fixture.h"

#define TOL_US 1.0

/* A SCHED_FIFO 90 thread on the CPU when the RT 80 thread must wake: it is preempted by it. */
Test(verdict, preempted_by_higher_fifo)
{
	struct fx fx;
	struct rtlab_corr *c;
	const struct rtlab_corr_spike *s;

	fx_new(&fx, "rtlab-fast", "fifo", 80, 315, true);
	fx_switch(&fx, -900, "rtlab-fast", TID, 19, "swapper/0", 0, 120);
	fx_switch(&fx, -100, "swapper/0", 0, 120, "disturber", 812, 9);
	fx_ev(&fx, -50, CPU0, 812, "disturber", "raw_syscalls:sys_enter", "{\"id\":230}");
	fx_wake(&fx, 1, CPU0, 812, "disturber", 19);
	fx_switch(&fx, 312, "disturber", 812, 9, "rtlab-fast", TID, 19);
	c = fx_read(&fx, 1);
	cr_assert(c->traced);
	cr_assert_eq(c->n, 1);
	s = &c->spikes[0];
	cr_assert_eq(s->tid, TID);
	assert_near_us(s->latency_ns, 315, 0);
	cr_assert_eq(s->cause, RTLAB_CAUSE_TASK, "%s", s->verdict);
	cr_assert_eq(s->cause_part, RTLAB_CORR_WAIT);
	cr_assert(strstr(s->verdict, "preempted by disturber (812, RT 90) for "), "%s", s->verdict);
	cr_assert_float_eq(verdict_us(s, " for "), 312, TOL_US, "%s", s->verdict);
	assert_near_us(s->part_ns[RTLAB_CORR_DELAY], 1, TOL_US);
	assert_near_us(s->part_ns[RTLAB_CORR_WAIT], 311, TOL_US);
	assert_near_us(s->part_ns[RTLAB_CORR_ENTRY], 3, TOL_US);
	cr_assert_eq(s->occupants[0].id, 812);
	assert_near_us(s->occupants[0].total_ns, 312, TOL_US);
	rtlab_corr_free(c);
	rm_tree(fx.dir);
}

/*
 * Some kernels (this VM's CPU 1) do not report the switch out of idle: the
 * disturber's switch-in is missing, but the switch from it to the measured
 * thread names it, and the last sign of idle bounds when it began.
 */
Test(verdict, switch_out_of_idle_not_recorded)
{
	struct fx fx;
	struct rtlab_corr *c;
	const struct rtlab_corr_spike *s;
	bool inferred = false;

	fx_new(&fx, "rtlab-fast", "fifo", 80, 405, true);
	fx_switch(&fx, -900, "rtlab-fast", TID, 19, "swapper/0", 0, 120);
	fx_wake(&fx, 1, CPU0, 0, "swapper/0", 19);
	/* no switch swapper/0 -> disturber here */
	fx_switch(&fx, 401, "disturber", 812, 9, "rtlab-fast", TID, 19);
	c = fx_read(&fx, 1);
	s = &c->spikes[0];
	cr_assert_eq(s->cause, RTLAB_CAUSE_TASK, "%s", s->verdict);
	cr_assert(strstr(s->verdict, "preempted by disturber (812, RT 90) for "), "%s", s->verdict);
	cr_assert_float_eq(verdict_us(s, " for "), 399, TOL_US, "%s", s->verdict);
	for (size_t i = 0; i < s->nitems; i++)
		if (s->items[i].kind == RTLAB_CORR_RUN && s->items[i].pid == 812) {
			inferred = s->items[i].inferred;
			cr_assert_eq(s->items[i].start_ns, us_at(2), "from the last sign of idle");
		}
	cr_assert(inferred, "the disturber's run is marked inferred");
	rtlab_corr_free(c);
	rm_tree(fx.dir);
}

/* The time line: who ran, the wake-ups, the syscall in flight; in time order. */
Test(verdict, timeline_entries)
{
	struct fx fx;
	struct rtlab_corr *c;
	const struct rtlab_corr_spike *s;
	size_t runs = 0, wakes = 0, sys = 0;

	fx_new(&fx, "rtlab-fast", "fifo", 80, 315, true);
	fx_switch(&fx, -900, "rtlab-fast", TID, 19, "swapper/0", 0, 120);
	fx_switch(&fx, -100, "swapper/0", 0, 120, "disturber", 812, 9);
	fx_ev(&fx, -80, CPU0, 812, "disturber", "raw_syscalls:sys_enter", "{\"id\":1}");
	fx_ev(&fx, -70, CPU0, 812, "disturber", "raw_syscalls:sys_exit", "{\"id\":1,\"ret\":0}");
	fx_ev(&fx, -50, CPU0, 812, "disturber", "raw_syscalls:sys_enter", "{\"id\":230}");
	fx_wake(&fx, 1, 1, 812, "disturber", 19);
	fx_switch(&fx, 312, "disturber", 812, 9, "rtlab-fast", TID, 19);
	c = fx_read(&fx, 1);
	s = &c->spikes[0];
	for (size_t i = 0; i < s->nitems; i++) {
		const struct rtlab_corr_item *it = &s->items[i];

		if (i)
			cr_assert_geq(it->start_ns, s->items[i - 1].start_ns);
		runs += it->kind == RTLAB_CORR_RUN;
		wakes += it->kind == RTLAB_CORR_WAKE;
		if (it->kind == RTLAB_CORR_SYSCALL) {
			sys++;
			cr_assert_eq(it->num, 230, "only the syscall still in flight in the gap");
			cr_assert(it->open_end);
			cr_assert_eq(it->start_ns, us_at(-50));
		}
		if (it->kind == RTLAB_CORR_WAKE)
			cr_assert_eq(it->cpu, 1, "a wake-up on another CPU is found");
	}
	cr_assert_eq(runs, 4, "rtlab-fast (from the window's start), idle, disturber, rtlab-fast");
	cr_assert_eq(wakes, 2);
	cr_assert_eq(sys, 1);
	cr_assert(s->has_wakeup);
	cr_assert_eq(s->wakeup_ns, us_at(1), "sched_waking, not sched_wakeup");
	cr_assert_eq(s->switch_in_ns, us_at(312));
	assert_near_us(s->window_ns, 2000, 0);
	rtlab_corr_free(c);
	rm_tree(fx.dir);
}

/* A hard IRQ handler running when the timer was due: the wake-up comes late. */
Test(verdict, irq)
{
	struct fx fx;
	struct rtlab_corr *c;
	const struct rtlab_corr_spike *s;

	fx_new(&fx, "rtlab-fast", "fifo", 80, 78, true);
	fx_switch(&fx, -900, "rtlab-fast", TID, 19, "swapper/0", 0, 120);
	fx_ev(&fx, -10, CPU0, 0, "swapper/0", "irq:irq_handler_entry",
	      "{\"irq\":24,\"name\":\"virtio0-input\"}");
	fx_ev(&fx, 70, CPU0, 0, "swapper/0", "irq:irq_handler_exit", "{\"irq\":24,\"ret\":1}");
	fx_wake(&fx, 72, CPU0, 0, "swapper/0", 19);
	fx_switch(&fx, 75, "swapper/0", 0, 120, "rtlab-fast", TID, 19);
	fx_steal(&fx, 10.0, 10.0);
	c = fx_read(&fx, 1);
	s = &c->spikes[0];
	cr_assert_eq(s->cause, RTLAB_CAUSE_IRQ, "%s", s->verdict);
	cr_assert_eq(s->cause_part, RTLAB_CORR_DELAY);
	cr_assert(strstr(s->verdict, "IRQ 24 virtio0-input "), "%s", s->verdict);
	cr_assert_float_eq(verdict_us(s, "virtio0-input "), 70, TOL_US, "%s", s->verdict);
	assert_near_us(s->part_ns[RTLAB_CORR_DELAY], 72, TOL_US);
	cr_assert(s->counters[RTLAB_CORR_STEAL].known);
	cr_assert_eq(s->counters[RTLAB_CORR_STEAL].delta_ns, 0);
	rtlab_corr_free(c);
	rm_tree(fx.dir);
}

/* A softirq running after the wake-up: the switch to the thread waits for its end. */
Test(verdict, softirq)
{
	struct fx fx;
	struct rtlab_corr *c;
	const struct rtlab_corr_spike *s;

	fx_new(&fx, "rtlab-fast", "fifo", 80, 48, true);
	fx_switch(&fx, -900, "rtlab-fast", TID, 19, "swapper/0", 0, 120);
	fx_ev(&fx, -5, CPU0, 0, "swapper/0", "irq:softirq_entry", "{\"vec\":3}");
	fx_wake(&fx, 1, CPU0, 0, "swapper/0", 19);
	fx_ev(&fx, 45, CPU0, 0, "swapper/0", "irq:softirq_exit", "{\"vec\":3}");
	fx_switch(&fx, 46, "swapper/0", 0, 120, "rtlab-fast", TID, 19);
	c = fx_read(&fx, 1);
	s = &c->spikes[0];
	cr_assert_eq(s->cause, RTLAB_CAUSE_SOFTIRQ, "%s", s->verdict);
	cr_assert_eq(s->cause_part, RTLAB_CORR_WAIT);
	cr_assert(strstr(s->verdict, "softirq NET_RX "), "%s", s->verdict);
	cr_assert_float_eq(verdict_us(s, "NET_RX "), 45, TOL_US, "%s", s->verdict);
	cr_assert_not(s->counters[RTLAB_CORR_STEAL].known, "no probe samples in this run");
	rtlab_corr_free(c);
	rm_tree(fx.dir);
}

/* host_run - a 2 ms late wake-up on an idle CPU, steal from 10 s to @after_s (< 0: none). */
static struct rtlab_corr *host_run(struct fx *fx, double after_s)
{
	fx_new(fx, "rtlab-fast", "fifo", 80, 2005, true);
	fx_switch(fx, -3000, "rtlab-fast", TID, 19, "swapper/0", 0, 120);
	fx_wake(fx, 2000, CPU0, 0, "swapper/0", 19);
	fx_switch(fx, 2003, "swapper/0", 0, 120, "rtlab-fast", TID, 19);
	if (after_s >= 0)
		fx_steal(fx, 10.0, after_s);
	return fx_read(fx, 1);
}

/*
 * busy_delay_run - a normal task runs when the RT thread should wake, and the
 * wake-up comes 2000 µs late: steal rising from 10 s to @after_s (< 0: no
 * probe samples).
 */
static struct rtlab_corr *busy_delay_run(struct fx *fx, double after_s)
{
	fx_new(fx, "rtlab-fast", "fifo", 80, 2005, true);
	fx_switch(fx, -3000, "rtlab-fast", TID, 19, "busy", 700, 120);
	fx_wake(fx, 2000, CPU0, 700, "busy", 19);
	fx_switch(fx, 2003, "busy", 700, 120, "rtlab-fast", TID, 19);
	if (after_s >= 0)
		fx_steal(fx, 10.0, after_s);
	return fx_read(fx, 1);
}

/*
 * A task running when the timer should fire does not hold the wake-up back:
 * the late timer interrupt is the cause, the task only its context.
 */
Test(verdict, late_timer_while_a_task_ran)
{
	struct fx fx;
	struct rtlab_corr *c = busy_delay_run(&fx, 10.0);
	const struct rtlab_corr_spike *s = &c->spikes[0];

	cr_assert_eq(s->cause_part, RTLAB_CORR_DELAY);
	cr_assert_eq(s->cause, RTLAB_CAUSE_UNEXPLAINED, "%s", s->verdict);
	cr_assert(strstr(s->verdict, "woken 2000 µs late: the timer interrupt came late while "
			 "busy (700"), "%s", s->verdict);
	cr_assert(strstr(s->verdict, "no steal on CPU 0"), "%s", s->verdict);
	rtlab_corr_free(c);
	rm_tree(fx.dir);
	c = busy_delay_run(&fx, 10.002);
	s = &c->spikes[0];
	cr_assert_eq(s->cause, RTLAB_CAUSE_HOST, "%s", s->verdict);
	cr_assert(strstr(s->verdict, "host / hypervisor preemption: woken 2000 µs late while busy"),
		  "%s", s->verdict);
	rtlab_corr_free(c);
	rm_tree(fx.dir);
}

/* Woken on time, the RT thread waits behind a normal task that keeps the CPU. */
Test(verdict, lower_priority_task_kept_the_cpu)
{
	struct fx fx;
	struct rtlab_corr *c;
	const struct rtlab_corr_spike *s;

	fx_new(&fx, "rtlab-fast", "fifo", 80, 305, true);
	fx_switch(&fx, -3000, "rtlab-fast", TID, 19, "busy", 700, 120);
	fx_wake(&fx, 1, CPU0, 700, "busy", 19);
	fx_switch(&fx, 301, "busy", 700, 120, "rtlab-fast", TID, 19);
	c = fx_read(&fx, 1);
	s = &c->spikes[0];
	cr_assert_eq(s->cause_part, RTLAB_CORR_WAIT);
	cr_assert_eq(s->cause, RTLAB_CAUSE_TASK, "%s", s->verdict);
	cr_assert(strstr(s->verdict, "busy (700"), "%s", s->verdict);
	cr_assert(strstr(s->verdict, " at a lower priority: a section it could not be preempted "
			 "in, or the host (steal not recorded for CPU 0)"), "%s", s->verdict);
	cr_assert_float_eq(verdict_us(s, "held the CPU "), 301, TOL_US, "%s", s->verdict);
	rtlab_corr_free(c);
	rm_tree(fx.dir);
}

/* No guest event in the gap, steal rose across it: the host took the CPU. */
Test(verdict, host_steal)
{
	struct fx fx;
	struct rtlab_corr *c = host_run(&fx, 10.002);
	const struct rtlab_corr_spike *s = &c->spikes[0];

	cr_assert_eq(s->cause, RTLAB_CAUSE_HOST, "%s", s->verdict);
	cr_assert(strstr(s->verdict, "host / hypervisor preemption: steal +"), "%s", s->verdict);
	cr_assert(strstr(s->verdict, " µs on CPU 0, no guest event in the gap"), "%s", s->verdict);
	cr_assert_float_eq(verdict_us(s, "steal +"), 2000, TOL_US, "%s", s->verdict);
	assert_near_us(s->counters[RTLAB_CORR_STEAL].delta_ns, 2000, TOL_US);
	assert_near_us(s->window_ns, 4010, 0);
	cr_assert_eq(s->noccupants, 0, "idle is no occupant");
	rtlab_corr_free(c);
	rm_tree(fx.dir);
}

/* The same gap without steal: unexplained, and nothing invented. */
Test(verdict, unexplained_without_steal)
{
	struct fx fx;
	struct rtlab_corr *c = host_run(&fx, 10.0);
	const struct rtlab_corr_spike *s = &c->spikes[0];

	cr_assert_eq(s->cause, RTLAB_CAUSE_UNEXPLAINED, "%s", s->verdict);
	cr_assert(strncmp(s->verdict, "unexplained: ", 13) == 0, "%s", s->verdict);
	cr_assert_float_eq(verdict_us(s, "unexplained: "), 2000, TOL_US, "%s", s->verdict);
	cr_assert(strstr(s->verdict, "late wake-up, no guest event in it, no steal on CPU 0"),
		  "%s", s->verdict);
	rtlab_corr_free(c);
	rm_tree(fx.dir);
}

/* Without probe samples the verdict says steal was not recorded. */
Test(verdict, unexplained_steal_not_recorded)
{
	struct fx fx;
	struct rtlab_corr *c = host_run(&fx, -1);
	const struct rtlab_corr_spike *s = &c->spikes[0];

	cr_assert_eq(s->cause, RTLAB_CAUSE_UNEXPLAINED, "%s", s->verdict);
	cr_assert(strstr(s->verdict, "steal not recorded for CPU 0"), "%s", s->verdict);
	rtlab_corr_free(c);
	rm_tree(fx.dir);
}

/* A SCHED_OTHER thread woken on time waits behind another normal task. */
Test(verdict, waited_behind_normal_task)
{
	struct fx fx;
	struct rtlab_corr *c;
	const struct rtlab_corr_spike *s;

	fx_new(&fx, "rtlab-slow", "other", 0, 43, true);
	fx_switch(&fx, -900, "rtlab-slow", TID, 120, "stress-ng", 812, 120);
	fx_wake(&fx, 2, CPU0, 812, "stress-ng", 120);
	fx_switch(&fx, 42, "stress-ng", 812, 120, "rtlab-slow", TID, 120);
	c = fx_read(&fx, 1);
	s = &c->spikes[0];
	cr_assert_eq(s->cause, RTLAB_CAUSE_TASK, "%s", s->verdict);
	cr_assert(strstr(s->verdict, "woken 2.0 µs late, then waited 40 µs for CPU "
				     "(stress-ng (812, nice 0) ran "), "%s", s->verdict);
	cr_assert_float_eq(verdict_us(s, "nice 0) ran "), 42, TOL_US, "%s", s->verdict);
	rtlab_corr_free(c);
	rm_tree(fx.dir);
}

/* No trace at all: said so, and the steal time still used. */
Test(verdict, no_trace)
{
	struct fx fx;
	struct rtlab_corr *c;
	const struct rtlab_corr_spike *s;

	fx_new(&fx, "rtlab-fast", "fifo", 80, 3100, false);
	fx_steal(&fx, 5.0, 5.003);
	c = fx_read(&fx, 1);
	s = &c->spikes[0];
	cr_assert_not(c->traced);
	cr_assert_eq(s->cause, RTLAB_CAUSE_NO_TRACE, "%s", s->verdict);
	cr_assert(strstr(s->verdict, "tracing was not recorded; steal +"), "%s", s->verdict);
	cr_assert_float_eq(verdict_us(s, "steal +"), 3000, TOL_US, "%s", s->verdict);
	cr_assert_eq(s->nitems, 0);
	rtlab_corr_free(c);
	rm_tree(fx.dir);
}

/* A breaktrace run that kept no window around the spike: not "not recorded". */
Test(verdict, trace_window_elsewhere)
{
	struct fx fx;
	struct rtlab_corr *c;
	const struct rtlab_corr_spike *s;

	fx_new(&fx, "rtlab-fast", "fifo", 80, 400, true);
	fx_switch(&fx, -300000, "rtlab-fast", TID, 19, "swapper/0", 0, 120);
	cr_assert_eq(sqlite3_exec(fx.db, "INSERT INTO trace_window VALUES(1, 2, 'spike')", NULL,
				  NULL, NULL), SQLITE_OK);
	c = fx_read(&fx, 1);
	s = &c->spikes[0];
	cr_assert(c->traced);
	cr_assert_not(s->traced);
	cr_assert_eq(s->cause, RTLAB_CAUSE_NO_TRACE, "%s", s->verdict);
	cr_assert(strstr(s->verdict, "the trace kept no events for this spike; steal not "
				     "recorded"), "%s", s->verdict);
	rtlab_corr_free(c);
	rm_tree(fx.dir);
}
