/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-spec.c - the ftrace recorder's pure parts: event specs, pid filters, names, stats, pages. */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>

#include "ftrace/ftrace-internal.h"

Test(ftrace_spec, system_and_event)
{
	struct ftrace_spec sp;

	cr_assert_eq(ftrace_spec_parse("sched:sched_switch", &sp), 0);
	cr_assert_str_eq(sp.system, "sched");
	cr_assert_str_eq(sp.event, "sched_switch");
	cr_assert_eq(ftrace_spec_parse("irq:*", &sp), 0);
	cr_assert_str_eq(sp.system, "irq");
	cr_assert_str_eq(sp.event, "*");
}

Test(ftrace_spec, event_alone_means_any_system)
{
	struct ftrace_spec sp;

	cr_assert_eq(ftrace_spec_parse("sched_wakeup", &sp), 0);
	cr_assert_str_eq(sp.system, "*");
	cr_assert_str_eq(sp.event, "sched_wakeup");
}

Test(ftrace_spec, refused)
{
	static const char *const bad[] = { "", ":x", "sched:", "sched:a b", "a;b", "x:y:z",
					   "sched/../x", "sched:sched_switch\n" };
	struct ftrace_spec sp;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(ftrace_spec_parse(bad[i], &sp), -EINVAL, "'%s'", bad[i]);
}

Test(ftrace_filter, pids_and_filter)
{
	pid_t pids[] = { 12, 345 };
	char buf[256];

	cr_assert_eq(ftrace_filter_build(NULL, NULL, 0, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "");
	cr_assert_gt(ftrace_filter_build("prev_prio < 100", NULL, 0, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "prev_prio < 100");
	cr_assert_gt(ftrace_filter_build(NULL, pids, 2, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "common_pid == 12 || common_pid == 345");
	cr_assert_gt(ftrace_filter_build("prev_prio < 100", pids, 2, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "(prev_prio < 100) && (common_pid == 12 || common_pid == 345)");
}

Test(ftrace_filter, errors)
{
	pid_t bad[] = { 12, 0 }, many[RTLAB_FTRACE_MAX_PIDS + 1] = { 1 };
	char buf[40];

	cr_assert_eq(ftrace_filter_build(NULL, bad, 2, buf, sizeof(buf)), -EINVAL);
	cr_assert_eq(ftrace_filter_build(NULL, many, RTLAB_FTRACE_MAX_PIDS + 1, buf, sizeof(buf)),
		     -EINVAL);
	cr_assert_eq(ftrace_filter_build("a_rather_long_filter_text == 1", (pid_t[]){ 5 }, 1, buf,
					 sizeof(buf)), -ENOSPC);
}

Test(ftrace_name, instance_names)
{
	pid_t pid = 0;

	cr_assert_eq(ftrace_instance_name_parse("rtlab-1234-0", &pid), 0);
	cr_assert_eq(pid, 1234);
	cr_assert_eq(ftrace_instance_name_parse("rtlab-7-12", &pid), 0);
	cr_assert_eq(pid, 7);
	cr_expect_eq(ftrace_instance_name_parse("rtlab-x-0", &pid), -EINVAL);
	cr_expect_eq(ftrace_instance_name_parse("rtlab-12", &pid), -EINVAL);
	cr_expect_eq(ftrace_instance_name_parse("rtlab-12-", &pid), -EINVAL);
	cr_expect_eq(ftrace_instance_name_parse("rtlab-0-1", &pid), -EINVAL);
	cr_expect_eq(ftrace_instance_name_parse("other-12-1", &pid), -EINVAL);
	cr_expect_eq(ftrace_instance_name_parse("rtlab-12-1x", &pid), -EINVAL);
}

Test(ftrace_stats, overrun_and_dropped)
{
	static const char text[] = "entries: 12\noverrun: 345\ncommit overrun: 0\n"
				   "bytes: 4096\noldest event ts:  1.000\nnow ts:  2.000\n"
				   "dropped events: 7\nread events: 99\n";
	uint64_t over = 0, drop = 0;

	cr_assert_eq(ftrace_stats_parse(text, &over, &drop), 0);
	cr_assert_eq(over, 345);
	cr_assert_eq(drop, 7);
	cr_assert_eq(ftrace_stats_parse("entries: 1\noverrun: 2\n", &over, &drop), 0);
	cr_assert_eq(over, 2);
	cr_assert_eq(drop, 0);
	cr_assert_eq(ftrace_stats_parse("entries: 1\n", &over, &drop), -ENOENT);
	cr_assert_eq(ftrace_stats_parse("overrun: x\n", &over, &drop), -EINVAL);
}

/* count_page - counts pages and checks their payload byte. */
static int count_page(const struct ftrace_page_hdr *h, void *page, void *data)
{
	uint64_t *sum = data;

	cr_assert_eq(((unsigned char *)page)[0], (unsigned char)h->t_first);
	*sum += h->t_first;
	return 0;
}

/* keep_even - keeps pages whose first time is even. */
static bool keep_even(const struct ftrace_page_hdr *h, void *data)
{
	(void)data;
	return h->t_first % 2 == 0;
}

Test(ftrace_spool, memory_file_and_trim)
{
	struct ftrace_spool sp;
	unsigned char page[64];
	uint64_t sum = 0, dropped = 0;

	cr_assert_eq(ftrace_spool_init(&sp, sizeof(page), 4), 0);
	for (uint64_t t = 1; t <= 10; t++) {
		struct ftrace_page_hdr h = { .cpu = 0, .len = sizeof(page), .t_first = t,
					     .t_last = t };

		memset(page, (int)t, sizeof(page));
		cr_assert_eq(ftrace_spool_add(&sp, &h, page), 0);
	}
	cr_assert_eq(sp.file_n, 8, "two full memory loads went to the file");
	cr_assert_eq(sp.mem_n, 2);
	cr_assert_eq(ftrace_spool_each(&sp, count_page, &sum), 0);
	cr_assert_eq(sum, 55);
	/* Pages 9 and 10 are in memory: 9 is before the horizon and odd: dropped. */
	cr_assert_eq(ftrace_spool_trim(&sp, 10, keep_even, NULL, &dropped), 0);
	cr_assert_eq(dropped, 1);
	cr_assert_eq(sp.mem_n, 1);
	sum = 0;
	cr_assert_eq(ftrace_spool_each(&sp, count_page, &sum), 0);
	cr_assert_eq(sum, 46);
	ftrace_spool_free(&sp);
}

Test(ftrace_spool, oversized_page)
{
	struct ftrace_spool sp;
	unsigned char page[128] = { 0 };
	struct ftrace_page_hdr h = { .len = sizeof(page) };

	cr_assert_eq(ftrace_spool_init(&sp, 64, 2), 0);
	cr_assert_eq(ftrace_spool_add(&sp, &h, page), -EINVAL);
	ftrace_spool_free(&sp);
}
