/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-cpu-parse.c - the cpu family's pure parsers: /proc/stat, CPU lists, sysfs values, rates. */
#include "cpu-test.h"

#include "cpu/cpu-parse.h"
#include "probe-internal.h"

/* A /proc/stat of a 2-CPU machine, as Linux 6.x prints it. */
static const char stat_2cpu[] =
	"cpu  3355 0 2101 173884 755 0 37 11 0 0\n"
	"cpu0 1291 0 825 87917 24 0 6 3 0 0\n"
	"cpu1 2064 0 1275 85967 731 0 30 7 0 0\n"
	"intr 159591 0 0 1 15 0 0\n"
	"ctxt 331810\n"
	"btime 1795439042\n"
	"processes 8054\n"
	"procs_running 1\n"
	"procs_blocked 0\n"
	"softirq 117839 0 15280 4 1624 45078 0 2 29480 0 26371\n";

/* The vm fixture: every counter and both CPUs read. */
Test(cpu_parse, stat_vm_fixture)
{
	struct rtlab_probe_cpu c = { 0 };
	size_t len;
	char *buf = fixture_load("vm", "/proc/stat", &len);

	cr_assert_eq(cpustat_parse(buf, len, &c), 0);
	cr_assert_eq(c.ncpus, 2);
	for (size_t i = 0; i < 2; i++) {
		cr_assert(c.cpus[i].in_stat);
		for (size_t m = 0; m < RTLAB_CPU_MODE__COUNT; m++)
			cr_assert_eq(c.cpus[i].times.ticks[m].st, RTLAB_PV_OK, "cpu%zu mode %zu", i, m);
	}
	cr_assert_eq(c.ctxt.st, RTLAB_PV_OK);
	cr_assert_eq(c.btime.st, RTLAB_PV_OK);
	cr_assert_eq(c.intr.st, RTLAB_PV_OK);
	cr_assert_eq(c.softirq_vec[RTLAB_CPU_SOFTIRQ_VECTORS - 1].st, RTLAB_PV_OK);
	cr_assert_eq(c.bad_line, 0);
	cpu_data_release(&c);
	free(buf);
}

/* Exact values, including the totals and the softirq vectors. */
Test(cpu_parse, stat_values)
{
	struct rtlab_probe_cpu c = { 0 };
	uint64_t vec = 0;

	cr_assert_eq(cpustat_parse(stat_2cpu, strlen(stat_2cpu), &c), 0);
	cr_assert_eq(c.total.ticks[RTLAB_CPU_USER].v, 3355);
	cr_assert_eq(c.total.ticks[RTLAB_CPU_STEAL].v, 11);
	cr_assert_eq(c.cpus[1].times.ticks[RTLAB_CPU_IOWAIT].v, 731);
	cr_assert_eq(c.cpus[1].times.ticks[RTLAB_CPU_GUEST_NICE].v, 0);
	cr_assert_eq(c.cpus[1].times.ticks[RTLAB_CPU_GUEST_NICE].st, RTLAB_PV_OK);
	cr_assert_eq(c.intr.v, 159591);
	cr_assert_eq(c.ctxt.v, 331810);
	cr_assert_eq(c.btime.v, 1795439042);
	cr_assert_eq(c.processes.v, 8054);
	cr_assert_eq(c.procs_running.v, 1);
	cr_assert_eq(c.procs_blocked.v, 0);
	cr_assert_eq(c.procs_blocked.st, RTLAB_PV_OK);
	cr_assert_eq(c.softirq.v, 117839);
	for (size_t i = 0; i < RTLAB_CPU_SOFTIRQ_VECTORS; i++)
		vec += c.softirq_vec[i].v;
	cr_assert_eq(vec, 117839);
	cr_assert_eq(c.softirq_vec[1].v, 15280);
	cpu_data_release(&c);
}

/* Every cut of the file: never a crash, a cut line malformed, the lines after it absent. */
Test(cpu_parse, stat_every_truncation)
{
	struct rtlab_probe_cpu c = { 0 };
	size_t len = strlen(stat_2cpu);

	for (size_t cut = 0; cut < len; cut++) {
		char *copy = malloc(cut ? cut : 1);
		int r;

		memcpy(copy, stat_2cpu, cut);
		r = cpustat_parse(copy, cut, &c);
		/* The kernel ends every line: a cut that is not at a line end is damage. */
		if (cut && stat_2cpu[cut - 1] != '\n') {
			cr_assert_eq(r, -EBADMSG, "cut %zu", cut);
			cr_assert_neq(c.bad_line, 0);
		} else {
			cr_assert_eq(r, 0, "cut %zu", cut);
		}
		cr_assert_neq(c.softirq.st, RTLAB_PV_OK, "cut %zu", cut);
		free(copy);
	}
	cr_assert_eq(cpustat_parse(stat_2cpu, 60, &c), -EBADMSG);
	cr_assert_eq(c.bad_line, 2);
	cr_assert_eq(c.cpus[0].times.ticks[RTLAB_CPU_USER].st, RTLAB_PV_MALFORMED);
	cr_assert_eq(c.ctxt.st, RTLAB_PV_ABSENT);
	cpu_data_release(&c);
}

/* Damaged lines: the damaged fields malformed, the others read. */
Test(cpu_parse, stat_damaged_lines)
{
	const char *s = "cpu  1 2 3 4 5 6 7 8 9 10\n"
			"cpuX 1 2 3 4\n"
			"cpu0 1 2 x 4 5 6 7 8 9 10\n"
			"ctxt abc\n"
			"btime 12\n"
			"processes 99999999999999999999999\n";
	struct rtlab_probe_cpu c = { 0 };

	cr_assert_eq(cpustat_parse(s, strlen(s), &c), -EBADMSG);
	cr_assert_eq(c.bad_line, 2);
	cr_assert_eq(c.total.ticks[RTLAB_CPU_GUEST_NICE].v, 10);
	cr_assert_eq(c.cpus[0].times.ticks[RTLAB_CPU_NICE].st, RTLAB_PV_OK);
	cr_assert_eq(c.cpus[0].times.ticks[RTLAB_CPU_SYSTEM].st, RTLAB_PV_MALFORMED);
	cr_assert_eq(c.cpus[0].times.ticks[RTLAB_CPU_STEAL].st, RTLAB_PV_MALFORMED);
	cr_assert_eq(c.ctxt.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(c.btime.v, 12);
	cr_assert_eq(c.processes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(c.procs_running.st, RTLAB_PV_ABSENT);
	cpu_data_release(&c);
}

/* An old kernel's shorter lines: the missing columns absent, not malformed. */
Test(cpu_parse, stat_old_kernel_columns)
{
	const char *s = "cpu  10 0 20 300 4 0 1\ncpu0 10 0 20 300 4 0 1\nsoftirq 5 1 4\n";
	struct rtlab_probe_cpu c = { 0 };

	cr_assert_eq(cpustat_parse(s, strlen(s), &c), 0);
	cr_assert_eq(c.cpus[0].times.ticks[RTLAB_CPU_SOFTIRQ].st, RTLAB_PV_OK);
	cr_assert_eq(c.cpus[0].times.ticks[RTLAB_CPU_STEAL].st, RTLAB_PV_ABSENT);
	cr_assert_eq(c.cpus[0].times.ticks[RTLAB_CPU_GUEST].st, RTLAB_PV_ABSENT);
	cr_assert_eq(c.softirq_vec[1].v, 4);
	cr_assert_eq(c.softirq_vec[2].st, RTLAB_PV_ABSENT);
	/* Fewer than user nice system idle is damage. */
	cr_assert_eq(cpustat_parse("cpu0 1 2\n", 9, &c), -EBADMSG);
	cr_assert_eq(c.cpus[0].times.ticks[RTLAB_CPU_IDLE].st, RTLAB_PV_MALFORMED);
	cpu_data_release(&c);
}

/* A CPU that left /proc/stat (offline) is absent and its rates start over. */
Test(cpu_parse, stat_cpu_gone_is_absent)
{
	struct rtlab_probe_cpu c = { 0 };
	const char *one = "cpu  1 0 1 1\ncpu0 1 0 1 1\n";

	cr_assert_eq(cpustat_parse(stat_2cpu, strlen(stat_2cpu), &c), 0);
	cpu_times_rate(&c.cpus[1].times, 0.01);
	cr_assert(c.cpus[1].times.have_prev);
	cr_assert_eq(cpustat_parse(one, strlen(one), &c), 0);
	cr_assert_eq(c.ncpus, 2);
	cr_assert_not(c.cpus[1].in_stat);
	cr_assert_eq(c.cpus[1].times.ticks[RTLAB_CPU_USER].st, RTLAB_PV_ABSENT);
	cr_assert_not(c.cpus[1].times.have_prev);
	cpu_data_release(&c);
}

/* Shares: not ready first, then the exact fractions of the ticks that passed. */
Test(cpu_parse, times_rate)
{
	struct rtlab_cpu_times t = { 0 };
	const uint64_t a[] = { 100, 0, 50, 800, 10, 0, 5, 35, 20, 0 };
	const uint64_t b[] = { 150, 0, 60, 820, 10, 0, 5, 35, 30, 0 };

	for (size_t m = 0; m < RTLAB_CPU_MODE__COUNT; m++)
		PV_SET(t.ticks[m], a[m]);
	cpu_times_rate(&t, 0.01);
	cr_assert_float_eq(t.seconds[RTLAB_CPU_USER].v, 1.0, 1e-12);
	cr_assert_eq(t.ratio[RTLAB_CPU_USER].st, RTLAB_PV_NOT_READY);
	cr_assert_eq(t.busy_ratio.st, RTLAB_PV_NOT_READY);
	/* No tick passed: still not ready (nothing was measured). */
	cpu_times_rate(&t, 0.01);
	cr_assert_eq(t.ratio[RTLAB_CPU_USER].st, RTLAB_PV_NOT_READY);

	for (size_t m = 0; m < RTLAB_CPU_MODE__COUNT; m++)
		PV_SET(t.ticks[m], b[m]);
	cpu_times_rate(&t, 0.01);
	/* 80 ticks passed: 50 user, 10 system, 20 idle; guest 10 is inside user. */
	cr_assert_eq(t.ratio[RTLAB_CPU_USER].st, RTLAB_PV_OK);
	cr_assert_float_eq(t.ratio[RTLAB_CPU_USER].v, 50.0 / 80, 1e-12);
	cr_assert_float_eq(t.ratio[RTLAB_CPU_SYSTEM].v, 10.0 / 80, 1e-12);
	cr_assert_float_eq(t.ratio[RTLAB_CPU_IDLE].v, 20.0 / 80, 1e-12);
	cr_assert_float_eq(t.ratio[RTLAB_CPU_STEAL].v, 0.0, 1e-12);
	cr_assert_float_eq(t.ratio[RTLAB_CPU_GUEST].v, 10.0 / 80, 1e-12);
	cr_assert_float_eq(t.busy_ratio.v, 60.0 / 80, 1e-12);
	cr_assert_float_eq(t.seconds[RTLAB_CPU_IDLE].v, 8.2, 1e-9);

	/* Same ticks again: the shares stay, measured from the kept reading. */
	cpu_times_rate(&t, 0.01);
	cr_assert_float_eq(t.ratio[RTLAB_CPU_USER].v, 50.0 / 80, 1e-12);

	/* iowait stepping back counts as no time, never a negative share. */
	PV_SET(t.ticks[RTLAB_CPU_IOWAIT], 5);
	PV_SET(t.ticks[RTLAB_CPU_IDLE], 920);
	cpu_times_rate(&t, 0.01);
	cr_assert_float_eq(t.ratio[RTLAB_CPU_IOWAIT].v, 0.0, 1e-12);
	cr_assert_float_eq(t.ratio[RTLAB_CPU_IDLE].v, 1.0, 1e-12);
	cr_assert_float_eq(t.busy_ratio.v, 0.0, 1e-12);
}

/* Malformed ticks make a malformed share, the others are computed. */
Test(cpu_parse, times_rate_with_malformed_mode)
{
	struct rtlab_cpu_times t = { 0 };

	for (size_t m = 0; m < RTLAB_CPU_MODE__COUNT; m++)
		PV_SET(t.ticks[m], 100);
	cpu_times_rate(&t, 0.01);
	for (size_t m = 0; m < RTLAB_CPU_MODE__COUNT; m++)
		PV_SET(t.ticks[m], 110);
	PV_NA(t.ticks[RTLAB_CPU_STEAL], RTLAB_PV_MALFORMED);
	cpu_times_rate(&t, 0.01);
	cr_assert_eq(t.ratio[RTLAB_CPU_STEAL].st, RTLAB_PV_MALFORMED);
	cr_assert_eq(t.seconds[RTLAB_CPU_STEAL].st, RTLAB_PV_MALFORMED);
	cr_assert_float_eq(t.ratio[RTLAB_CPU_USER].v, 1.0 / 7, 1e-12);
}

/* CPU lists as sysfs prints them, and damaged ones. */
Test(cpu_parse, cpulist)
{
	static uint64_t bits[CPU_WORDS];
	uint32_t n, end;

	cr_assert_eq(cpu_list_parse("0-3,8,10-11\n", 12, bits, &n, &end), 0);
	cr_assert_eq(n, 7);
	cr_assert_eq(end, 12);
	cr_assert(cpu_list_has(bits, 8));
	cr_assert_not(cpu_list_has(bits, 9));
	cr_assert_eq(cpu_list_parse("\n", 1, bits, &n, &end), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(end, 0);
	cr_assert_eq(cpu_list_parse("0-61", 4, bits, &n, &end), 0);
	cr_assert_eq(n, 62);
	cr_assert(cpu_list_has(bits, 61));
	cr_assert_not(cpu_list_has(bits, 62));
	cr_assert_eq(cpu_list_parse("3-1\n", 4, bits, &n, &end), -EBADMSG);
	cr_assert_eq(cpu_list_parse("1,,2\n", 5, bits, &n, &end), -EBADMSG);
	cr_assert_eq(cpu_list_parse("5-", 2, bits, &n, &end), -EBADMSG);
	cr_assert_eq(cpu_list_parse("x", 1, bits, &n, &end), -EBADMSG);
	cr_assert_eq(cpu_list_parse("0,9000-9001\n", 12, bits, &n, &end), -ERANGE);
	cr_assert_eq(n, 1);
	cr_assert_eq(cpu_list_parse("8190-9000\n", 10, bits, &n, &end), -ERANGE);
	cr_assert_eq(n, 2);
	cr_assert_eq(end, CPU_MAX);
}

/* Sysfs numbers and texts. */
Test(cpu_parse, sysfs_values)
{
	struct rtlab_cpu_text t;
	uint64_t u;
	int64_t i;

	cr_assert_eq(cpu_sysfs_u64_parse("2100000\n", 8, &u), 0);
	cr_assert_eq(u, 2100000);
	cr_assert_eq(cpu_sysfs_u64_parse("12a\n", 4, &u), -EBADMSG);
	cr_assert_eq(cpu_sysfs_u64_parse("", 0, &u), -EBADMSG);
	cr_assert_eq(cpu_sysfs_u64_parse(" 1\n", 3, &u), -EBADMSG);
	cr_assert_eq(cpu_sysfs_u64_parse("-1\n", 3, &u), -EBADMSG);
	cr_assert_eq(cpu_sysfs_i64_parse("-1\n", 3, &i), 0);
	cr_assert_eq(i, -1);
	cr_assert_eq(cpu_sysfs_i64_parse("65535\n", 6, &i), 0);
	cr_assert_eq(i, 65535);
	cpu_sysfs_text_parse("  schedutil \nignored\n", 21, &t);
	cr_assert_str_eq(t.s, "schedutil");
	cr_assert_eq(t.st, RTLAB_PV_OK);
	cpu_sysfs_text_parse("", 0, &t);
	cr_assert_str_eq(t.s, "");
}
