/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-load-sched.c - loads never run real-time: started from a SCHED_FIFO
 * thread, their threads and child processes are SCHED_OTHER.  Needs
 * CAP_SYS_NICE (skipped otherwise).
 */
#include <criterion/criterion.h>
#include <sched.h>

#include <rtlab/sched.h>

#include "load-test.h"

/* go_fifo - make the calling thread SCHED_FIFO 10, or skip saying why. */
static void go_fifo(void)
{
	struct sched_param sp = { .sched_priority = 10 };

	if (rtlab_cap_have(RTLAB_CAP_SYS_NICE) != 1)
		cr_skip_test("CAP_SYS_NICE is missing: cannot start a load from an RT thread (%s)",
			     rtlab_cap_grant_hint(RTLAB_CAP_SYS_NICE));
	if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
		cr_skip_test("SCHED_FIFO refused: %s", strerror(errno));
}

/* go_other - back to SCHED_OTHER. */
static void go_other(void)
{
	struct sched_param sp = { .sched_priority = 0 };

	cr_assert_eq(sched_setscheduler(0, SCHED_OTHER, &sp), 0);
}

/*
 * not_other - how many tasks named @comm under /proc/@sub ("" for processes,
 * "self/task" for this process's threads) are not SCHED_OTHER.
 */
static unsigned not_other(const char *sub, const char *comm, unsigned *ret_seen)
{
	char dir[64];
	DIR *d;
	struct dirent *e;
	unsigned bad = 0;

	snprintf(dir, sizeof(dir), "/proc/%s", sub);
	d = opendir(dir);
	cr_assert_not_null(d);
	*ret_seen = 0;
	while ((e = readdir(d))) {
		char path[300], name[64], state;
		long ppid;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s%s%s", sub, *sub ? "/" : "", e->d_name);
		if (!proc_stat(path, name, sizeof(name), &state, &ppid) || strcmp(name, comm))
			continue;
		(*ret_seen)++;
		bad += sched_getscheduler((pid_t)atoi(e->d_name)) != SCHED_OTHER;
	}
	closedir(d);
	return bad;
}

/* Threads of a load started by a FIFO thread are SCHED_OTHER. */
Test(load_sched, threads_are_other, .timeout = 30)
{
	struct rtlab_load_config cfg = { .name = "rt-parent", .kind = RTLAB_LOAD_TIMER,
					 .threads = 3, .intensity_pct = 20 };
	struct rtlab_load *l;
	unsigned seen;

	go_fifo();
	l = new_load(NULL, &cfg);
	cr_expect_eq(not_other("self/task", "rt-parent", &seen), 0);
	cr_expect_eq(seen, 3);
	rtlab_load_free(l);
	go_other();
}

/* Hackbench processes forked under a FIFO caller are SCHED_OTHER too. */
Test(load_sched, processes_are_other, .timeout = 30)
{
	struct rtlab_load_config cfg = { .name = "rt-hb", .kind = RTLAB_LOAD_HACKBENCH,
					 .threads = 1, .intensity_pct = 20 };
	struct rtlab_load *l;
	unsigned seen;

	go_fifo();
	l = new_load(NULL, &cfg);
	cr_expect_eq(not_other("", "rt-hb", &seen), 0);
	cr_expect_eq(seen, 2 * RTLAB_LOAD_HACKBENCH_FDS);
	rtlab_load_free(l);
	go_other();
}
