/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-load-config.c - rtlab_load_new() refuses what cannot run, naming the
 * field, and starts nothing; the life-cycle calls are safe in any order.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "load-test.h"
#include "../../rt/test-log.h"

struct bad_config {
	int kind;
	unsigned threads;
	unsigned intensity;
	uint64_t size;
	int err;
	char needle[48];	/* what the message must name */
};

ParameterizedTestParameters(load_config, refused)
{
	static struct bad_config params[] = {
		{ RTLAB_LOAD_CPU, 0, 50, 0, -EINVAL, "threads 0" },
		{ RTLAB_LOAD_CPU, RTLAB_LOAD_THREADS_MAX + 1, 50, 0, -EINVAL, "threads 1025" },
		{ RTLAB_LOAD_HACKBENCH, RTLAB_LOAD_HACKBENCH_GROUPS_MAX + 1, 50, 0, -EINVAL,
		  "threads 65" },
		{ RTLAB_LOAD_CPU, 1, 0, 0, -EINVAL, "intensity 0%" },
		{ RTLAB_LOAD_SYSCALL, 1, 101, 0, -EINVAL, "intensity 101%" },
		{ RTLAB_LOAD__COUNT, 1, 50, 0, -EINVAL, "unknown kind" },
		{ -1, 1, 50, 0, -EINVAL, "unknown kind -1" },
		{ RTLAB_LOAD_CPU, 1, 50, 4096, -EINVAL, "takes no size" },
		{ RTLAB_LOAD_FORK, 1, 50, 4096, -EINVAL, "takes no size" },
		{ RTLAB_LOAD_MEMORY, 1, 50, 100, -EINVAL, "size 100 B is below" },
		{ RTLAB_LOAD_IO, 1, 50, 4095, -EINVAL, "size 4095 B is below" },
	};

	return cr_make_param_array(struct bad_config, params,
				   sizeof(params) / sizeof(params[0]));
}

/* expect_refused - rtlab_load_new(@cfg) fails with @err and one message holding @needle. */
static void expect_refused(const struct rtlab_load_config *cfg, int err, const char *needle)
{
	struct log_capture lc = { 0 };
	struct rtlab_ctx *ctx = new_ctx(&lc);
	struct rtlab_load *l = NULL;
	char load[80];

	cr_assert_eq(rtlab_load_new(ctx, cfg, &l), err);
	cr_assert_null(l);
	cr_assert_eq(lc.count, 1);
	cr_assert(strstr(lc.msg, needle), "message \"%s\" lacks \"%s\"", lc.msg, needle);
	snprintf(load, sizeof(load), "load %s:", cfg->name);
	cr_assert(strstr(lc.msg, load), "message \"%s\" does not name the load", lc.msg);
	rtlab_ctx_free(ctx);
}

/* Each bad field is refused with -EINVAL and a message that names it. */
ParameterizedTest(struct bad_config *p, load_config, refused)
{
	struct rtlab_load_config cfg = {
		.name = "bad",
		.kind = (enum rtlab_load_kind)p->kind,
		.threads = p->threads,
		.intensity_pct = p->intensity,
		.size_bytes = p->size,
	};

	expect_refused(&cfg, p->err, p->needle);
}

/* A CPU that is not online is named. */
Test(load_config, offline_cpu)
{
	cpu_set_t set;
	struct rtlab_load_config cfg = {
		.name = "pinned", .kind = RTLAB_LOAD_CPU, .threads = 1, .intensity_pct = 10,
		.cpus = &set,
	};

	CPU_ZERO(&set);
	CPU_SET(CPU_SETSIZE - 1, &set);
	expect_refused(&cfg, -EINVAL, "CPU 1023 is not online");
}

/* The io directory must be a directory that exists. */
Test(load_config, io_dir)
{
	struct rtlab_load_config cfg = {
		.name = "io", .kind = RTLAB_LOAD_IO, .threads = 1, .intensity_pct = 10,
		.dir = "/proc/self/status",
	};

	expect_refused(&cfg, -ENOTDIR, "/proc/self/status is not a directory");
	cfg.dir = "/nonexistent-rtlab-dir";
	expect_refused(&cfg, -ENOENT, "directory /nonexistent-rtlab-dir: No such file");
}

/* Defaults: the kind's name, and a load never started has counters at zero and joins at once. */
Test(load_config, defaults_and_unstarted)
{
	struct rtlab_load_config cfg = { .kind = RTLAB_LOAD_HACKBENCH, .threads = 2,
					 .intensity_pct = 100 };
	struct rtlab_load_stats st;
	struct rtlab_load *l = NULL;

	cr_assert_eq(rtlab_load_new(NULL, &cfg, &l), 0);
	cr_assert_str_eq(rtlab_load_name(l), "hackbench");
	rtlab_load_stats(l, &st);
	cr_assert_eq(st.workers, 2 * 2 * RTLAB_LOAD_HACKBENCH_FDS);
	cr_assert_eq(st.ops, 0);
	cr_assert_eq(st.elapsed_ns, 0);
	rtlab_load_stop(l);
	cr_assert_eq(rtlab_load_join(l), 0);
	cr_assert_null(rtlab_load_free(l));
	cr_assert_null(rtlab_load_free(NULL));
}

/* A load starts once; joining twice is fine; elapsed time freezes at the join. */
Test(load_config, start_once)
{
	struct log_capture lc = { 0 };
	struct rtlab_ctx *ctx = new_ctx(&lc);
	struct rtlab_load_config cfg = { .name = "once", .kind = RTLAB_LOAD_SYSCALL, .threads = 1,
					 .intensity_pct = 20 };
	struct rtlab_load_stats a, b;
	struct rtlab_load *l = new_load(ctx, &cfg);

	cr_assert_eq(rtlab_load_start(l), -EALREADY);
	cr_assert(strstr(lc.msg, "load once: already started"), "%s", lc.msg);
	cr_assert_eq(rtlab_load_join(l), 0);
	cr_assert_eq(rtlab_load_join(l), 0);
	rtlab_load_stats(l, &a);
	sleep_ns(5 * MSEC);
	rtlab_load_stats(l, &b);
	cr_assert_eq(a.elapsed_ns, b.elapsed_ns);
	cr_assert_eq(a.ops, b.ops);
	rtlab_load_free(l);
	rtlab_ctx_free(ctx);
}

/* A set-up that fails (io in a directory where files cannot be made) fails the start, cleanly. */
Test(load_config, failed_setup)
{
	struct log_capture lc = { 0 };
	struct rtlab_ctx *ctx = new_ctx(&lc);
	struct rtlab_load_config cfg = { .name = "ro", .kind = RTLAB_LOAD_IO, .threads = 1,
					 .intensity_pct = 20, .dir = "/proc/self" };
	struct rtlab_load *l = NULL;
	unsigned tasks = count_entries("/proc/self/task");

	cr_assert_eq(rtlab_load_new(ctx, &cfg, &l), 0);
	cr_assert_lt(rtlab_load_start(l), 0);
	cr_assert(strstr(lc.msg, "load ro: cannot create a file in /proc/self"), "%s", lc.msg);
	cr_assert_eq(count_entries("/proc/self/task"), tasks);
	rtlab_load_free(l);
	rtlab_ctx_free(ctx);
}
