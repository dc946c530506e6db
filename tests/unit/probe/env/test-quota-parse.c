/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-quota-parse.c - the quota family's pure parsers on fixtures and damaged input. */
#include <stddef.h>

#include "../test-probe.h"

#include "env/env-parse.h"

/* S - a string literal and its length, for the parsers' (buf, len). */
#define S(s) (s), (sizeof(s) - 1)

Test(cg_limit, numbers_max_and_v1_no_limit)
{
	struct rtlab_probe_limit l;

	cr_assert_eq(cg_limit_parse(S("536870912\n"), &l), 0);
	cr_assert(l.st == RTLAB_PV_OK && !l.unlimited && l.v == 536870912);
	cr_assert_eq(cg_limit_parse(S("max\n"), &l), 0);
	cr_assert(l.st == RTLAB_PV_OK && l.unlimited && l.v == UINT64_MAX);
	/* v1: the page-counter maximum (4 KiB and 64 KiB pages) and cfs_quota_us -1. */
	cr_assert_eq(cg_limit_parse(S("9223372036854771712\n"), &l), 0);
	cr_assert(l.unlimited);
	cr_assert_eq(cg_limit_parse(S("9223372036854710272\n"), &l), 0);
	cr_assert(l.unlimited);
	cr_assert_eq(cg_limit_parse(S("-1\n"), &l), 0);
	cr_assert(l.unlimited);
	/* Just under 2^62 is still a number. */
	cr_assert_eq(cg_limit_parse(S("4611686018427387903\n"), &l), 0);
	cr_assert(!l.unlimited && l.v == UINT64_C(4611686018427387903));
}

Test(cg_limit, garbage_is_malformed_not_zero)
{
	static const char *const bad[] = { "", "\n", "garbage\n", "12ab\n", "maxi\n", "-12\n",
					   "-\n", "99999999999999999999999\n" };
	struct rtlab_probe_limit l;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		l = (struct rtlab_probe_limit){ .v = 7, .st = RTLAB_PV_OK, .unlimited = true };
		cr_assert_eq(cg_limit_parse(bad[i], strlen(bad[i]), &l), -EBADMSG, "'%s'", bad[i]);
		cr_assert_eq(l.st, RTLAB_PV_MALFORMED, "'%s'", bad[i]);
		cr_assert(!l.unlimited && l.v == 0);
	}
}

Test(cg_cpumax, quota_period_and_max)
{
	struct rtlab_probe_limit q;
	struct rtlab_pu64 p;

	cr_assert_eq(cg_cpumax_parse(S("50000 100000\n"), &q, &p), 0);
	cr_assert(q.st == RTLAB_PV_OK && !q.unlimited && q.v == 50000);
	cr_assert(p.st == RTLAB_PV_OK && p.v == 100000);
	cr_assert_eq(cg_cpumax_parse(S("max 100000\n"), &q, &p), 0);
	cr_assert(q.unlimited && p.v == 100000);
}

Test(cg_cpumax, damaged)
{
	struct rtlab_probe_limit q;
	struct rtlab_pu64 p;

	cr_assert_eq(cg_cpumax_parse(S("garbage"), &q, &p), -EBADMSG);
	cr_assert(q.st == RTLAB_PV_MALFORMED && p.st == RTLAB_PV_MALFORMED);
	/* Truncated after the quota: the quota was read, the period was not. */
	cr_assert_eq(cg_cpumax_parse(S("50000"), &q, &p), -EBADMSG);
	cr_assert(q.st == RTLAB_PV_OK && q.v == 50000 && p.st == RTLAB_PV_MALFORMED);
	cr_assert_eq(cg_cpumax_parse(S("50000 0\n"), &q, &p), -EBADMSG);
	cr_assert_eq(p.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(cg_cpumax_parse(S("maxx 100000\n"), &q, &p), -EBADMSG);
	cr_assert_eq(q.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(cg_cpumax_parse(S("50000 100000 7\n"), &q, &p), -EBADMSG);
}

Test(cg_cpulist, counts_and_rejects)
{
	static const struct {
		const char *s;
		uint64_t n;
	} good[] = { { "0-3,8,10-11\n", 7 }, { "5\n", 1 }, { "0-1", 2 }, { "0-8191\n", 8192 } };
	static const char *const bad[] = { "", "\n", "0-\n", "3-1\n", "a\n", "0,,1\n",
					   "0-4294967295\n", "1 2\n" };
	struct rtlab_pu64 c;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		cr_assert_eq(cg_cpulist_count(good[i].s, strlen(good[i].s), &c), 0, "%s",
			     good[i].s);
		cr_assert_eq(c.v, good[i].n, "%s", good[i].s);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(cg_cpulist_count(bad[i], strlen(bad[i]), &c), -EBADMSG, "'%s'",
			     bad[i]);
		cr_assert_eq(c.st, RTLAB_PV_MALFORMED);
	}
}

struct kv_target {
	struct rtlab_pu64 usage, periods, nope;
};

static const struct cg_kv kv_keys[] = {
	{ "usage_usec", offsetof(struct kv_target, usage), 1000 },
	{ "nr_periods", offsetof(struct kv_target, periods), 0 },
	{ "not_in_file", offsetof(struct kv_target, nope), 1 },
};

Test(cg_kv, fixture_scaled_missing_and_damaged)
{
	struct kv_target t;
	unsigned bad = 0;
	size_t len;
	char *buf =
		fixture_load("cgroup2", "/sys/fs/cgroup/system.slice/app.service/cpu.stat", &len);

	cr_assert_eq(cg_kv_parse(buf, len, kv_keys, 3, &t, &bad), 0);
	cr_assert(t.usage.st == RTLAB_PV_OK && t.usage.v == UINT64_C(81234567000));
	cr_assert(t.periods.st == RTLAB_PV_OK && t.periods.v == 4512);
	cr_assert_eq(t.nope.st, RTLAB_PV_ABSENT);
	free(buf);

	cr_assert_eq(cg_kv_parse(S("usage_usec 12\nnr_periods x\n"), kv_keys, 3, &t, &bad),
		     -EBADMSG);
	cr_assert_eq(bad, 2);
	cr_assert_eq(t.usage.v, 12000);
	cr_assert_eq(t.periods.st, RTLAB_PV_MALFORMED);
	/* A value that overflows once scaled is malformed, not wrapped. */
	cr_assert_eq(cg_kv_parse(S("usage_usec 18446744073709552\n"), kv_keys, 3, &t, NULL),
		     -EBADMSG);
	cr_assert_eq(t.usage.st, RTLAB_PV_MALFORMED);
}

Test(cg_psi, totals_and_damage)
{
	struct rtlab_pu64 some, full;
	unsigned bad = 0;

	cr_assert_eq(cg_psi_parse(S("some avg10=0.00 avg60=0.12 avg300=0.30 total=9000000\n"
				    "full avg10=0.00 avg60=0.00 avg300=0.00 total=2500000\n"),
				  &some, &full, &bad),
		     0);
	cr_assert(some.v == 9000000 && full.v == 2500000 && full.st == RTLAB_PV_OK);
	/* Kernels before 5.13 have no "full" line in cpu.pressure: absent, not zero. */
	cr_assert_eq(cg_psi_parse(S("some avg10=1.00 avg60=0.50 avg300=0.10 total=77\n"), &some,
				  &full, &bad),
		     0);
	cr_assert_eq(full.st, RTLAB_PV_ABSENT);
	cr_assert_eq(cg_psi_parse(S("some avg10=0.00 avg60=0.12\nfull total=1\n"), &some, &full,
				  &bad),
		     -EBADMSG);
	cr_assert_eq(bad, 1);
	cr_assert_eq(some.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(full.v, 1);
}

Test(cg_io, v2_max_and_stat)
{
	struct rtlab_probe_cgroup_io d[4];
	size_t n = 0;
	unsigned bad = 0;

	cr_assert_eq(cg_io_parse(S("8:0 rbps=1048576 wbps=max riops=max wiops=200\n"), CG_IO_MAX, d,
				 4, &n, &bad),
		     0);
	cr_assert_eq(
		cg_io_parse(S("8:0 rbytes=1459200 wbytes=314773504 rios=192 wios=353 "
			      "dbytes=0 dios=0\n253:0 rbytes=4096 wbytes=8192 rios=1 wios=2\n"),
			    CG_IO_STAT, d, 4, &n, &bad),
		0);
	cr_assert_eq(n, 2);
	cr_assert(d[0].major == 8 && d[0].minor == 0);
	cr_assert(d[0].rbps.v == 1048576 && !d[0].rbps.unlimited);
	cr_assert(d[0].wbps.unlimited && d[0].riops.unlimited && d[0].wiops.v == 200);
	cr_assert(d[0].wbytes.v == 314773504 && d[0].wios.v == 353);
	cr_assert(d[1].major == 253 && d[1].rbytes.v == 4096);
	/* Not in io.max, nor in its io.stat line: absent until the family says otherwise. */
	cr_assert_eq(d[1].rbps.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d[1].dbytes.st, RTLAB_PV_ABSENT);
}

Test(cg_io, v1_throttle_and_service_files)
{
	struct rtlab_probe_cgroup_io d[2];
	size_t n = 0;

	cr_assert_eq(cg_io_parse(S("8:0 10485760\n"), CG_BLKIO_RBPS, d, 2, &n, NULL), 0);
	cr_assert_eq(
		cg_io_parse(S("8:0 Read 7340032\n8:0 Write 1048576\n8:0 Sync 8388608\n"
			      "8:0 Async 0\n8:0 Discard 0\n8:0 Total 8388608\nTotal 8388608\n"),
			    CG_BLKIO_BYTES, d, 2, &n, NULL),
		0);
	cr_assert_eq(cg_io_parse(S("8:0 Read 180\n8:0 Write 32\nTotal 212\n"), CG_BLKIO_IOS, d, 2,
				 &n, NULL),
		     0);
	cr_assert_eq(n, 1);
	cr_assert(d[0].rbps.v == 10485760 && d[0].rbytes.v == 7340032 && d[0].wbytes.v == 1048576);
	cr_assert(d[0].dbytes.v == 0 && d[0].dbytes.st == RTLAB_PV_OK);
	cr_assert(d[0].rios.v == 180 && d[0].wios.v == 32);
}

Test(cg_io, full_array_and_damage)
{
	struct rtlab_probe_cgroup_io d[1];
	size_t n = 0;
	unsigned bad = 0;

	cr_assert_eq(cg_io_parse(S("8:0 rbytes=1\n8:16 rbytes=2\n"), CG_IO_STAT, d, 1, &n, &bad),
		     -ENOSPC);
	n = 0;
	cr_assert_eq(cg_io_parse(S("8:x rbytes=1\n8:0 rbytes=oops\n8:0 wbytes=3\n"), CG_IO_STAT, d,
				 1, &n, &bad),
		     -EBADMSG);
	cr_assert_eq(bad, 1);
	cr_assert_eq(n, 1);
	cr_assert_eq(d[0].wbytes.v, 3);
	cr_assert_eq(d[0].rbytes.st, RTLAB_PV_ABSENT);
}

Test(cg_self, v1_v2_and_damage)
{
	struct cg_self s;
	unsigned bad = 0;
	size_t len;
	char *buf = fixture_load("cgroup1", "/proc/self/cgroup", &len);

	cr_assert_eq(cg_self_parse(buf, len, &s, &bad), 0);
	cr_assert(!s.v2);
	cr_assert(s.v1[RTLAB_CGROUP_CPU] && s.v1[RTLAB_CGROUP_CPUACCT] && s.v1[RTLAB_CGROUP_IO]);
	cr_assert_str_eq(s.v1_path[RTLAB_CGROUP_CPUACCT], "/system.slice/app.service");
	cr_assert_str_eq(s.v1_path[RTLAB_CGROUP_CPUSET], "/");
	cr_assert(!s.v1[RTLAB_CGROUP_UNIFIED]);
	free(buf);

	/* A path may hold colons; a line without two colons is malformed, the others stay. */
	cr_assert_eq(cg_self_parse(S("garbage\n0::/a:b\n4:memory:/m\n"), &s, &bad), -EBADMSG);
	cr_assert_eq(bad, 1);
	cr_assert(s.v2);
	cr_assert_str_eq(s.v2_path, "/a:b");
	cr_assert_str_eq(s.v1_path[RTLAB_CGROUP_MEMORY], "/m");
	/* "cpuacct" does not make "cpu" (whole names only). */
	cr_assert_eq(cg_self_parse(S("3:cpuacct:/x"), &s, NULL), 0);
	cr_assert(s.v1[RTLAB_CGROUP_CPUACCT] && !s.v1[RTLAB_CGROUP_CPU]);
}

Test(cg_mounts, fixture_and_escapes)
{
	struct cg_mounts m;
	char dir[CG_PATH_LEN];
	size_t len;
	char *buf = fixture_load("cgroup1", "/proc/self/mountinfo", &len);

	cr_assert_eq(cg_mounts_parse(buf, len, &m, NULL), 0);
	cr_assert(!m.v2.found);
	cr_assert(m.v1[RTLAB_CGROUP_CPU].found && m.v1[RTLAB_CGROUP_CPUACCT].found);
	cr_assert_str_eq(m.v1[RTLAB_CGROUP_CPU].point, "/sys/fs/cgroup/cpu,cpuacct");
	cr_assert_str_eq(m.v1[RTLAB_CGROUP_IO].point, "/sys/fs/cgroup/blkio");
	free(buf);

	cr_assert_eq(cg_mounts_parse(S("1 2 0:3 /docker/ab /sys/fs/my\\040cg rw shared:1 - cgroup2 "
				       "cgroup2 rw\nbroken line\n"),
				     &m, NULL),
		     -EBADMSG);
	cr_assert(m.v2.found);
	cr_assert_str_eq(m.v2.point, "/sys/fs/my cg");
	cr_assert_eq(cg_join(&m.v2, "/docker/ab/c", dir, sizeof(dir)), 0);
	cr_assert_str_eq(dir, "/sys/fs/my cg/c");
	cr_assert_eq(cg_join(&m.v2, "/docker/ab", dir, sizeof(dir)), 0);
	cr_assert_str_eq(dir, "/sys/fs/my cg");
	/* Another cgroup namespace's path, or one that climbs: the mount point itself. */
	cr_assert_eq(cg_join(&m.v2, "/other", dir, sizeof(dir)), 0);
	cr_assert_str_eq(dir, "/sys/fs/my cg");
	cr_assert_eq(cg_join(&m.v2, "/docker/ab/../../etc", dir, sizeof(dir)), 0);
	cr_assert_str_eq(dir, "/sys/fs/my cg");
	cr_assert_eq(cg_join(&m.v2, "/docker/abc", dir, sizeof(dir)), 0);
	cr_assert_str_eq(dir, "/sys/fs/my cg");
}

Test(limits, fixture_and_damage)
{
	struct rtlab_probe_rlimit rl[RTLAB_PROBE_NRLIMITS];
	unsigned bad = 0;
	size_t len;
	char *buf = fixture_load("cgroup2", "/proc/self/limits", &len);

	cr_assert_eq(env_limits_parse(buf, len, rl, &bad), 0);
	cr_assert(rl[7].soft.v == 1024 && rl[7].hard.v == 524288);	/* RLIMIT_NOFILE */
	cr_assert(rl[0].soft.unlimited && rl[0].hard.unlimited);	/* RLIMIT_CPU */
	cr_assert(rl[13].soft.st == RTLAB_PV_OK && rl[13].soft.v == 0);	/* RLIMIT_NICE */
	cr_assert(rl[15].hard.unlimited);				/* RLIMIT_RTTIME */
	free(buf);

	cr_assert_eq(
		env_limits_parse(S("Limit   Soft Limit   Hard Limit   Units\n"
				   "Max open files            lots                 4096   files\n"),
				 rl, &bad),
		-EBADMSG);
	cr_assert_eq(bad, 2);
	cr_assert_eq(rl[7].soft.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(rl[0].soft.st, RTLAB_PV_ABSENT);
	cr_assert_str_eq(rtlab_probe_rlimit_name(7), "nofile");
	cr_assert_null(rtlab_probe_rlimit_name(RTLAB_PROBE_NRLIMITS));
}

Test(memtotal, parses_and_rejects)
{
	struct rtlab_pu64 t;

	cr_assert_eq(env_memtotal_parse(S("MemTotal:       16316412 kB\nMemFree: 1 kB\n"), &t), 0);
	cr_assert_eq(t.v, UINT64_C(16316412) * 1024);
	cr_assert_eq(env_memtotal_parse(S("MemFree: 1 kB\n"), &t), -EBADMSG);
	cr_assert_eq(env_memtotal_parse(S("MemTotal: 12 MB\n"), &t), -EBADMSG);
	cr_assert_eq(t.st, RTLAB_PV_MALFORMED);
}
