/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-live.c - the recorder on the live tracefs: events stored with their
 * fields, lost counts, breaktrace windows, bad events refused with nothing
 * left behind, leftovers of dead recorders found and removed.  Needs root.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rtlab/ftrace.h>
#include <rtlab/store.h>

#include "../../run-db.h"

static struct rtlab_ctx *ctx;
static char dir[PATH_MAX];
static char db_path[PATH_MAX + 16];

/* setup - skip without tracefs; a fresh run store. */
static void setup(void)
{
	struct rtlab_store *st;
	char why[512];

	ctx = rtlab_ctx_new();
	cr_assert_not_null(ctx);
	if (rtlab_ftrace_usable(ctx, why, sizeof(why)) < 0)
		cr_skip_test("tracefs is not usable: %s", why);
	temp_dir(dir, sizeof(dir), "ftrace");
	cr_assert_eq(rtlab_store_create(dir, &st), 0);
	snprintf(db_path, sizeof(db_path), "%s", rtlab_store_path(st));
	rtlab_store_close(st);
}

/* teardown - the run folder and the context. */
static void teardown(void)
{
	if (dir[0])
		rmtree(dir);
	rtlab_ctx_free(ctx);
}

/* busy_switches - make context switches for @ms milliseconds. */
static void busy_switches(unsigned int ms)
{
	const struct timespec pause = { 0, 100 * 1000 };

	for (unsigned int i = 0; i < ms * 5; i++)
		nanosleep(&pause, NULL);
}

/* instance_exists - whether @name is still in tracefs. */
static bool instance_exists(const char *name)
{
	struct rtlab_ftrace_leftover l[64];
	size_t n = 0;

	cr_assert_eq(rtlab_ftrace_leftovers(ctx, l, 64, &n), 0);
	for (size_t i = 0; i < n && i < 64; i++)
		if (!strcmp(l[i].name, name))
			return true;
	return false;
}

TestSuite(ftrace_live, .init = setup, .fini = teardown);

Test(ftrace_live, records_sched_switch_with_fields)
{
	const char *ev[] = { "sched:sched_switch" };
	pid_t self = getpid();
	struct rtlab_ftrace_opts o = { .events = ev, .nevents = 1, .pids = &self, .npids = 1 };
	struct rtlab_ftrace_stats st;
	struct rtlab_ftrace *f;
	char name[64], buf[256];

	cr_assert_eq(rtlab_ftrace_open(ctx, db_path, &o, &f), 0);
	snprintf(name, sizeof(name), "%s", rtlab_ftrace_instance(f));
	cr_assert(instance_exists(name));
	cr_assert_eq(rtlab_ftrace_start(f, -1), 0);
	busy_switches(50);
	cr_assert_eq(rtlab_ftrace_stop(f), 0);
	rtlab_ftrace_stats(f, &st);
	rtlab_ftrace_close(f);
	cr_assert_not(instance_exists(name), "the instance is removed at close");
	cr_assert_gt(st.events_stored, 50);
	cr_assert_eq(st.events_lost, 0);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM trace_event"), (int64_t)st.events_stored);
	/* The pid filter: every event fired while this process was current. */
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM trace_event WHERE pid != "
			    "json_extract(fields, '$.prev_pid')"), 0);
	cr_assert_eq(db_i64(dir, "SELECT count(DISTINCT pid) FROM trace_event"), 1);
	snprintf(buf, sizeof(buf), "SELECT count(*) FROM trace_event WHERE pid = %d", self);
	cr_assert_eq(db_i64(dir, buf), (int64_t)st.events_stored);
	/* Time stamps are CLOCK_MONOTONIC: within the last minute. */
	snprintf(buf, sizeof(buf), "SELECT count(*) FROM trace_event WHERE t_ns > %lld",
		 (long long)(rtlab_now_ns() - 60 * RTLAB_NSEC_PER_SEC));
	cr_assert_eq(db_i64(dir, buf), (int64_t)st.events_stored);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM trace_lost WHERE source = 'ftrace overrun'"),
		     sysconf(_SC_NPROCESSORS_CONF));
	cr_assert_str_eq(db_text(dir, "SELECT event FROM trace_event LIMIT 1", buf, sizeof(buf)),
			 "sched:sched_switch");
}

Test(ftrace_live, breaktrace_keeps_windows_only)
{
	const char *ev[] = { "sched:sched_switch" };
	struct rtlab_ftrace_opts o = { .events = ev, .nevents = 1, .keep_ns = 5000000,
				       .reason = "test", .defer_parse = true };
	struct rtlab_ftrace_count count;
	struct rtlab_ftrace *f;
	uint64_t spike, stored;
	char sql[256];
	size_t n = 0;

	cr_assert_eq(rtlab_ftrace_open(ctx, db_path, &o, &f), 0);
	cr_assert_eq(rtlab_ftrace_start(f, -1), 0);
	busy_switches(100);
	spike = rtlab_now_ns();
	rtlab_ftrace_spike(f, spike);
	busy_switches(100);
	cr_assert_eq(rtlab_ftrace_stop(f), 0);
	cr_assert_eq(rtlab_ftrace_event_counts(f, &count, 1, &n), 0);
	rtlab_ftrace_close(f);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM trace_event"), 0, "not parsed at stop");
	cr_assert_eq(rtlab_ftrace_materialize(db_path, ctx, &stored), 0);
	cr_assert_eq(stored, count.count, "counted at stop: the rows the parse writes");
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM trace_window WHERE reason = 'test'"), 1);
	snprintf(sql, sizeof(sql), "SELECT start_ns = %llu AND end_ns = %llu FROM trace_window",
		 (unsigned long long)(spike - 5000000), (unsigned long long)(spike + 5000000));
	cr_assert_eq(db_i64(dir, sql), 1);
	cr_assert_gt(db_i64(dir, "SELECT count(*) FROM trace_event"), 0);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM trace_event, trace_window"
			    " WHERE t_ns < start_ns OR t_ns > end_ns"), 0);
}

Test(ftrace_live, null_ctx_open_record_close)
{
	const char *ev[] = { "sched:sched_switch" };
	pid_t self = getpid();
	struct rtlab_ftrace_opts o = { .events = ev, .nevents = 1, .pids = &self, .npids = 1,
				       .defer_parse = true };
	struct rtlab_ftrace *f = NULL;
	uint64_t stored = 0;

	cr_assert_eq(rtlab_ftrace_open(NULL, db_path, &o, &f), 0);
	cr_assert_eq(rtlab_ftrace_start(f, -1), 0);
	busy_switches(20);
	cr_assert_eq(rtlab_ftrace_stop(f), 0);
	cr_assert_null(rtlab_ftrace_close(f));
	cr_assert_eq(rtlab_ftrace_materialize(db_path, NULL, &stored), 0);
	cr_assert_gt(stored, 0);
	o.events = (const char *[]){ "sched:no_such_event_here" };
	cr_assert_eq(rtlab_ftrace_open(NULL, db_path, &o, &f), -EINVAL);
}

/* count_of - the count of @event in @c (n entries), or -1. */
static int64_t count_of(const struct rtlab_ftrace_count *c, size_t n, const char *event)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].event, event))
			return (int64_t)c[i].count;
	return -1;
}

Test(ftrace_live, materialize_matches_a_known_workload)
{
	const char *ev[] = { "raw_syscalls:sys_enter", "sched:sched_switch", "sched:sched_wakeup" };
	char flt[64], sql[1024];
	const char *flts[] = { flt, NULL, NULL };
	pid_t self = getpid();
	struct rtlab_ftrace_opts o = { .events = ev, .nevents = 3, .filters = flts,
				       .defer_parse = true };
	struct rtlab_ftrace_count c[8];
	struct rtlab_ftrace_stats st;
	struct rtlab_ftrace *f;
	uint64_t stored = 0, again = 1;
	size_t n = 0;

	/* Exactly 1000 getppid() by this process; scheduler events of the whole system. */
	snprintf(flt, sizeof(flt), "id == %d && common_pid == %d", (int)SYS_getppid, (int)self);
	cr_assert_eq(rtlab_ftrace_open(ctx, db_path, &o, &f), 0);
	cr_assert_eq(rtlab_ftrace_start(f, -1), 0);
	for (int i = 0; i < 1000; i++)
		(void)syscall(SYS_getppid);
	busy_switches(50);
	cr_assert_eq(rtlab_ftrace_stop(f), 0);
	rtlab_ftrace_stats(f, &st);
	cr_assert_eq(rtlab_ftrace_event_counts(f, c, 8, &n), 0);
	rtlab_ftrace_close(f);
	cr_assert_eq(n, 3);
	cr_assert_eq(count_of(c, n, "raw_syscalls:sys_enter"), 1000);
	cr_assert_gt(count_of(c, n, "sched:sched_switch"), 0);
	cr_assert_eq(st.events_stored, 0);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM trace_page"), (int64_t)st.pages_read);
	cr_assert_eq(rtlab_ftrace_materialize(db_path, ctx, &stored), 0);
	cr_assert_eq(stored, st.events_read);
	for (size_t i = 0; i < n; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM trace_event WHERE event = '%s'",
			 c[i].event);
		cr_expect_eq(db_i64(dir, sql), (int64_t)c[i].count, "%s", c[i].event);
	}
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM trace_event WHERE event = "
		 "'raw_syscalls:sys_enter' AND pid = %d AND json_extract(fields, '$.id') = %d"
		 " AND json_array_length(fields, '$.args') = 6", (int)self, (int)SYS_getppid);
	cr_assert_eq(db_i64(dir, sql), 1000);
	/* Once only. */
	cr_assert_eq(rtlab_ftrace_materialize(db_path, ctx, &again), 0);
	cr_assert_eq(again, 0);
	cr_assert_eq(db_i64(dir, "SELECT count(*) FROM trace_event"), (int64_t)stored);
}

Test(ftrace_live, unknown_event_leaves_nothing)
{
	const char *ev[] = { "sched:no_such_event_here" };
	struct rtlab_ftrace_opts o = { .events = ev, .nevents = 1 };
	struct rtlab_ftrace_leftover l[64];
	struct rtlab_ftrace *f = NULL;
	size_t n = 0, before = 0;

	cr_assert_eq(rtlab_ftrace_leftovers(ctx, l, 64, &before), 0);
	cr_assert_eq(rtlab_ftrace_open(ctx, db_path, &o, &f), -EINVAL);
	cr_assert_null(f);
	cr_assert_eq(rtlab_ftrace_leftovers(ctx, l, 64, &n), 0);
	cr_assert_eq(n, before);
}

Test(ftrace_live, bad_filter_refused)
{
	const char *ev[] = { "sched:sched_switch" }, *flt[] = { "no_such_field == 3" };
	struct rtlab_ftrace_opts o = { .events = ev, .nevents = 1, .filters = flt };
	struct rtlab_ftrace *f = NULL;

	cr_assert_eq(rtlab_ftrace_open(ctx, db_path, &o, &f), -EINVAL);
	cr_assert_null(f);
}

Test(ftrace_live, leftover_of_a_dead_pid_removed)
{
	struct rtlab_ftrace_leftover l[64];
	char inst[PATH_MAX], name[64];
	const char *tracing = "/sys/kernel/tracing";
	size_t n = 0;
	bool found = false, mounted = false;
	pid_t dead = 0x3ffffff0;	/* above pid_max on common systems */

	if (access("/sys/kernel/tracing/instances", F_OK) < 0) {
		if (mount("nodev", tracing, "tracefs", 0, NULL) < 0)
			cr_skip_test("tracefs cannot be mounted at %s: %s", tracing,
				     strerror(errno));
		mounted = true;
	}
	snprintf(name, sizeof(name), "rtlab-%d-0", (int)dead);
	snprintf(inst, sizeof(inst), "%s/instances/%s", tracing, name);
	cr_assert_eq(mkdir(inst, 0750), 0, "%s: %s", inst, strerror(errno));
	cr_assert_eq(rtlab_ftrace_leftovers(ctx, l, 64, &n), 0);
	for (size_t i = 0; i < n && i < 64; i++)
		if (!strcmp(l[i].name, name)) {
			found = true;
			cr_assert_eq(l[i].pid, dead);
			cr_assert_not(l[i].alive);
		}
	cr_assert(found);
	cr_assert_eq(rtlab_ftrace_leftover_remove(ctx, "rtlab-x"), -EINVAL);
	cr_assert_eq(rtlab_ftrace_leftover_remove(ctx, name), 0);
	cr_assert_eq(access(inst, F_OK), -1);
	snprintf(name, sizeof(name), "rtlab-%d-0", (int)getpid());
	cr_assert_eq(rtlab_ftrace_leftover_remove(ctx, name), -EBUSY);
	if (mounted)
		cr_assert_eq(umount(tracing), 0);
}

/* tracefs_mounts - tracefs mounts this process sees. */
static int tracefs_mounts(void)
{
	FILE *f = fopen("/proc/self/mounts", "r");
	char line[1024];
	int n = 0;

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, " tracefs ") != NULL;
	fclose(f);
	return n;
}

/* unmount_tracefs - detach every tracefs mount this process sees; false if one stays. */
static bool unmount_tracefs(void)
{
	static const char *const points[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

	for (int round = 0; round < 4 && tracefs_mounts(); round++)
		for (size_t i = 0; i < sizeof(points) / sizeof(points[0]); i++)
			(void)umount2(points[i], MNT_DETACH);
	return tracefs_mounts() == 0;
}

/*
 * Without tracefs mounted, the recorder mounts it at /sys/kernel/tracing and
 * unmounts it again at close.  Done in a mount namespace of this test's own,
 * so the machine's mounts are not touched.
 */
Test(ftrace_live, mounts_tracefs_and_unmounts_it_again)
{
	const char *ev[] = { "sched:sched_switch" };
	struct rtlab_ftrace_opts o = { .events = ev, .nevents = 1 };
	struct rtlab_ftrace *f = NULL;

	if (unshare(CLONE_NEWNS) < 0)
		cr_skip_test("no mount namespace of its own: %s", strerror(errno));
	cr_assert_eq(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), 0, "%s", strerror(errno));
	if (!unmount_tracefs())
		cr_skip_test("tracefs stays mounted in a private namespace");
	cr_assert_eq(rtlab_ftrace_open(ctx, db_path, &o, &f), 0);
	cr_assert_eq(tracefs_mounts(), 1, "tracefs was not mounted by the recorder");
	cr_assert_eq(rtlab_ftrace_start(f, -1), 0);
	busy_switches(20);
	cr_assert_eq(rtlab_ftrace_stop(f), 0);
	cr_assert_null(rtlab_ftrace_close(f));
	cr_assert_eq(tracefs_mounts(), 0, "tracefs left mounted by the recorder");
	cr_assert_gt(db_i64(dir, "SELECT count(*) FROM trace_event"), 0);
}
