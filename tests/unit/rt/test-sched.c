/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-sched.c - validation of scheduling attributes and affinity, and the
 * policy names.  Nothing here needs privilege: every call is refused before
 * it reaches the kernel.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <rtlab/sched.h>

#include "test-log.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Arrays, not pointers: Criterion runs each case in a new (re-executed) process. */
struct bad_attr {
	char what[32];
	struct rtlab_sched_attr attr;
	char word[16];		/* the message must name this */
};

ParameterizedTestParameters(sched, invalid)
{
	static struct bad_attr cases[] = {
		{ "fifo prio 0", { .policy = RTLAB_POLICY_FIFO, .priority = 0 }, "priority" },
		{ "fifo prio 100", { .policy = RTLAB_POLICY_FIFO, .priority = 100 }, "priority" },
		{ "rr prio -1", { .policy = RTLAB_POLICY_RR, .priority = -1 }, "priority" },
		{ "other prio 5", { .policy = RTLAB_POLICY_OTHER, .priority = 5 }, "priority" },
		{ "batch prio 1", { .policy = RTLAB_POLICY_BATCH, .priority = 1 }, "priority" },
		{ "nice -21", { .policy = RTLAB_POLICY_OTHER, .nice = -21 }, "nice" },
		{ "nice 20", { .policy = RTLAB_POLICY_OTHER, .nice = 20 }, "nice" },
		{ "dl runtime > deadline", { .policy = RTLAB_POLICY_DEADLINE, .runtime_ns = 2000000,
		  .deadline_ns = 1000000, .period_ns = 10000000 }, "runtime" },
		{ "dl deadline > period", { .policy = RTLAB_POLICY_DEADLINE, .runtime_ns = 1000000,
		  .deadline_ns = 20000000, .period_ns = 10000000 }, "period" },
		{ "dl runtime < 1024", { .policy = RTLAB_POLICY_DEADLINE, .runtime_ns = 1023,
		  .period_ns = 10000000 }, "runtime" },
		{ "dl period 0", { .policy = RTLAB_POLICY_DEADLINE, .runtime_ns = 100000,
		  .period_ns = 0 }, "period" },
		{ "dl runtime > period", { .policy = RTLAB_POLICY_DEADLINE, .runtime_ns = 2000000,
		  .period_ns = 1000000 }, "runtime" },
		{ "bad policy", { .policy = _RTLAB_POLICY_MAX }, "policy" },
	};

	return cr_make_param_array(struct bad_attr, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct bad_attr *c, sched, invalid)
{
	struct log_capture lc = { 0 };
	struct rtlab_ctx *ctx = new_ctx(&lc);

	cr_assert_eq(rtlab_sched_validate(ctx, &c->attr), -EINVAL, "%s", c->what);
	cr_assert_eq(lc.count, 1, "%s: one message", c->what);
	cr_assert_not_null(strstr(lc.msg, c->word), "%s: message '%s' does not name '%s'",
			   c->what, lc.msg, c->word);
	/* rtlab_sched_set validates first: refused without reaching the kernel. */
	lc = (struct log_capture){ 0 };
	cr_assert_eq(rtlab_sched_set(ctx, 0, &c->attr), -EINVAL, "%s", c->what);
	cr_assert_not_null(strstr(lc.msg, c->word), "%s: message '%s' does not name '%s'",
			   c->what, lc.msg, c->word);
	rtlab_ctx_free(ctx);
}

ParameterizedTestParameters(sched, valid)
{
	static struct rtlab_sched_attr cases[] = {
		{ .policy = RTLAB_POLICY_FIFO, .priority = 1 },
		{ .policy = RTLAB_POLICY_FIFO, .priority = 99 },
		{ .policy = RTLAB_POLICY_RR, .priority = 50 },
		{ .policy = RTLAB_POLICY_OTHER, .nice = -20 },
		{ .policy = RTLAB_POLICY_OTHER, .nice = 19 },
		{ .policy = RTLAB_POLICY_BATCH },
		{ .policy = RTLAB_POLICY_IDLE },
		{ .policy = RTLAB_POLICY_DEADLINE, .runtime_ns = 1024, .period_ns = 1024 },
		{ .policy = RTLAB_POLICY_DEADLINE, .runtime_ns = 100000, .deadline_ns = 500000,
		  .period_ns = 1000000 },
		{ .policy = RTLAB_POLICY_DEADLINE, .runtime_ns = 100000, .period_ns = 1000000 },
	};

	return cr_make_param_array(struct rtlab_sched_attr, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct rtlab_sched_attr *a, sched, valid)
{
	struct log_capture lc = { 0 };
	struct rtlab_ctx *ctx = new_ctx(&lc);

	cr_assert_eq(rtlab_sched_validate(ctx, a), 0, "policy %s: %s",
		     rtlab_policy_name(a->policy), lc.msg);
	cr_assert_eq(lc.count, 0);
	rtlab_ctx_free(ctx);
}

Test(sched, policy_names_round_trip)
{
	for (int i = 0; i < _RTLAB_POLICY_MAX; i++) {
		enum rtlab_policy p = _RTLAB_POLICY_MAX;
		const char *name = rtlab_policy_name((enum rtlab_policy)i);

		cr_assert_not_null(name, "policy %d", i);
		cr_assert_eq(rtlab_policy_from_name(name, &p), 0, "%s", name);
		cr_assert_eq((int)p, i, "%s", name);
	}
	cr_assert_null(rtlab_policy_name(_RTLAB_POLICY_MAX));
	cr_assert_null(rtlab_policy_name((enum rtlab_policy)-1));
}

Test(sched, policy_from_name)
{
	enum rtlab_policy p = RTLAB_POLICY_FIFO;

	cr_assert_eq(rtlab_policy_from_name("normal", &p), 0);
	cr_assert_eq(p, RTLAB_POLICY_OTHER);
	cr_assert_eq(rtlab_policy_from_name("NORMAL", &p), 0);
	cr_assert_eq(p, RTLAB_POLICY_OTHER);
	cr_assert_eq(rtlab_policy_from_name("FIFO", &p), 0);
	cr_assert_eq(p, RTLAB_POLICY_FIFO);
	cr_assert_eq(rtlab_policy_from_name("Deadline", &p), 0);
	cr_assert_eq(p, RTLAB_POLICY_DEADLINE);
	cr_assert_str_eq(rtlab_policy_name(RTLAB_POLICY_OTHER), "other");
	cr_assert_eq(rtlab_policy_from_name("", &p), -EINVAL);
	cr_assert_eq(rtlab_policy_from_name("fif", &p), -EINVAL);
	cr_assert_eq(rtlab_policy_from_name("fifo ", &p), -EINVAL);
	cr_assert_eq(rtlab_policy_from_name("sched_fifo", &p), -EINVAL);
	cr_assert_eq(rtlab_policy_from_name(NULL, &p), -EINVAL);
	cr_assert_eq(p, RTLAB_POLICY_DEADLINE, "a failed parse must not write the result");
}

Test(sched, policy_is_rt)
{
	cr_assert(rtlab_policy_is_rt(RTLAB_POLICY_FIFO));
	cr_assert(rtlab_policy_is_rt(RTLAB_POLICY_RR));
	cr_assert(rtlab_policy_is_rt(RTLAB_POLICY_DEADLINE));
	cr_assert_not(rtlab_policy_is_rt(RTLAB_POLICY_OTHER));
	cr_assert_not(rtlab_policy_is_rt(RTLAB_POLICY_BATCH));
	cr_assert_not(rtlab_policy_is_rt(RTLAB_POLICY_IDLE));
}

/* A temporary root holding sys/devices/system/cpu/online = "0-1". */
struct fake_root {
	char dir[64];
	char file[128];
};

/* make_dirs - mkdir every component of @dir below @base. */
static void make_dirs(char *path, size_t base_len)
{
	for (char *p = path + base_len + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		cr_assert(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s", path);
		*p = '/';
	}
}

/* fake_root_make - create the tree. */
static void fake_root_make(struct fake_root *fr, const char *online)
{
	FILE *f;

	snprintf(fr->dir, sizeof(fr->dir), "/tmp/rtlab-sched-XXXXXX");
	cr_assert_not_null(mkdtemp(fr->dir));
	snprintf(fr->file, sizeof(fr->file), "%s/sys/devices/system/cpu/online", fr->dir);
	make_dirs(fr->file, strlen(fr->dir));
	f = fopen(fr->file, "w");
	cr_assert_not_null(f);
	fprintf(f, "%s\n", online);
	fclose(f);
}

/* fake_root_remove - remove the tree. */
static void fake_root_remove(struct fake_root *fr)
{
	static const char *const subdirs[] = {
		"/sys/devices/system/cpu", "/sys/devices/system", "/sys/devices", "/sys", "",
	};
	char path[PATH_MAX + 32];

	(void)unlink(fr->file);
	for (size_t i = 0; i < ARRAY_SIZE(subdirs); i++) {
		snprintf(path, sizeof(path), "%s%s", fr->dir, subdirs[i]);
		(void)rmdir(path);
	}
}

Test(sched, affinity_cpu_not_online)
{
	struct log_capture lc = { 0 };
	struct rtlab_ctx *ctx = new_ctx(&lc);
	struct fake_root fr;
	cpu_set_t set;
	int r;

	fake_root_make(&fr, "0-1");
	cr_assert_eq(rtlab_ctx_set_root(ctx, fr.dir), 0);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CPU_SET(5, &set);
	r = rtlab_affinity_set(ctx, 0, &set);
	fake_root_remove(&fr);
	cr_assert_eq(r, -EINVAL);
	cr_assert_not_null(strstr(lc.msg, "CPU 5"), "message: %s", lc.msg);
	cr_assert_not_null(strstr(lc.msg, "0-1"), "message should list the online CPUs: %s",
			   lc.msg);
	rtlab_ctx_free(ctx);
}

Test(sched, affinity_empty_set)
{
	struct log_capture lc = { 0 };
	struct rtlab_ctx *ctx = new_ctx(&lc);
	cpu_set_t set;

	CPU_ZERO(&set);
	cr_assert_eq(rtlab_affinity_set(ctx, 0, &set), -EINVAL);
	cr_assert_not_null(strstr(lc.msg, "empty"), "message: %s", lc.msg);
	rtlab_ctx_free(ctx);
}

Test(sched, cap_names)
{
	cr_assert_str_eq(rtlab_cap_name(RTLAB_CAP_SYS_NICE), "CAP_SYS_NICE");
	cr_assert_not_null(rtlab_cap_grant_hint(RTLAB_CAP_SYS_NICE));
	cr_assert_null(rtlab_cap_name(_RTLAB_CAP_MAX));
}
