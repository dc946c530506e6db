/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-values.c - the value parsers of scenario keys (durations, sizes,
 * booleans, percentages, CPU lists, workloads, probe families), the escaper,
 * the duration formatter, names and load kinds.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <rtlab/probe.h>
#include <rtlab/scenario.h>

#include "parse/parse-internal.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define POISON 0x5a5a5a5a5a5a5a5aULL
#define NS 1ULL
#define US 1000ULL
#define MS 1000000ULL
#define SEC 1000000000ULL
#define KI 1024ULL

struct u64_case {
	char s[48];
	int r;
	uint64_t v;
};

/* check_u64 - @fn on @c: its result, the value on success, nothing written on failure. */
static void check_u64(int (*fn)(const char *, uint64_t *, char *), const struct u64_case *c)
{
	char why[SC_WHY_MAX] = "";
	uint64_t v = POISON;
	int r = fn(c->s, &v, why);

	cr_expect_eq(r, c->r, "'%s': r = %d, want %d (%s)", c->s, r, c->r, why);
	if (c->r == 0)
		cr_expect_eq(v, c->v, "'%s': %" PRIu64 ", want %" PRIu64, c->s, v, c->v);
	else
		cr_expect(v == POISON && why[0], "'%s': value written or no reason", c->s);
}

ParameterizedTestParameters(values, duration)
{
	static struct u64_case cases[] = {
		{ "1ns", 0, 1 * NS },
		{ "250us", 0, 250 * US },
		{ "1.5ms", 0, 1500 * US },
		{ "0.5us", 0, 500 * NS },
		{ "1.25s", 0, 1250 * MS },
		{ "2m", 0, 120 * SEC },
		{ "1.5h", 0, 5400 * SEC },
		{ "10 ms", 0, 10 * MS },
		{ "1.000ns", 0, 1 },
		{ "1.0000000000000000000000000ns", 0, 1 },
		{ "0.1234567890123456789h", -EINVAL, 0 },
		{ "0.000000000001h", -EINVAL, 0 },
		{ "0.00000000001h", 0, 36 },
		{ "0.000000001s", 0, 1 },
		{ "0ms", 0, 0 },
		{ "007ms", 0, 7 * MS },
		{ "18446744073709551615ns", 0, UINT64_MAX },
		{ "18446744073709551616ns", -ERANGE, 0 },
		{ "18446744073709551615us", -ERANGE, 0 },
		{ "5124095h", 0, 5124095ULL * 3600 * SEC },
		{ "5124096h", -ERANGE, 0 },
		{ "0.0000000001s", -EINVAL, 0 },
		{ "1.5ns", -EINVAL, 0 },
		{ "10", -EINVAL, 0 },
		{ "1.5", -EINVAL, 0 },
		{ "1.", -EINVAL, 0 },
		{ ".5ms", -EINVAL, 0 },
		{ "-1ms", -EINVAL, 0 },
		{ "+1ms", -EINVAL, 0 },
		{ "1e3ms", -EINVAL, 0 },
		{ "1d", -EINVAL, 0 },
		{ "1MS", -EINVAL, 0 },
		{ "1ms ", -EINVAL, 0 },
		{ "1 ms x", -EINVAL, 0 },
		{ "ms", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
	};

	return cr_make_param_array(struct u64_case, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct u64_case *c, values, duration)
{
	check_u64(sc_parse_duration, c);
}

ParameterizedTestParameters(values, size)
{
	static struct u64_case cases[] = {
		{ "10B", 0, 10 },
		{ "64KiB", 0, 64 * KI },
		{ "1.5KiB", 0, 1536 },
		{ "1K", 0, KI },
		{ "2M", 0, 2 * KI * KI },
		{ "2MiB", 0, 2 * KI * KI },
		{ "1G", 0, KI * KI * KI },
		{ "1.5GiB", 0, 3 * 512 * KI * KI },
		{ "4 KiB", 0, 4 * KI },
		{ "0.5B", -EINVAL, 0 },
		{ "0.1KiB", -EINVAL, 0 },
		{ "0.25KiB", 0, 256 },
		{ "0.00000095367431640625GiB", -EINVAL, 0 },
		{ "64", -EINVAL, 0 },
		{ "1KB", -EINVAL, 0 },
		{ "1kib", -EINVAL, 0 },
		{ "KiB", -EINVAL, 0 },
		{ "99999999999GiB", -ERANGE, 0 },
	};

	return cr_make_param_array(struct u64_case, cases, ARRAY_SIZE(cases));
}

ParameterizedTest(struct u64_case *c, values, size)
{
	check_u64(sc_parse_size, c);
}

/* Booleans: the usual words in any case; nothing else. */
Test(values, bool)
{
	static const char *const yes[] = { "yes", "YES", "true", "True", "on", "1" };
	static const char *const no[] = { "no", "No", "false", "FALSE", "off", "0" };
	static const char *const bad[] = { "", "y", "n", "2", "yes!", "enable" };
	char why[SC_WHY_MAX];
	bool v;

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		v = false;
		cr_expect_eq(sc_parse_bool(yes[i], &v, why), 0, "%s", yes[i]);
		cr_expect(v, "%s", yes[i]);
		cr_expect_eq(sc_parse_bool(no[i], &v, why), 0, "%s", no[i]);
		cr_expect(!v, "%s", no[i]);
		cr_expect_eq(sc_parse_bool(bad[i], &v, why), -EINVAL, "%s", bad[i]);
	}
}

/* Percentages: 1..100 with an optional "%". */
Test(values, percent)
{
	static const struct {
		const char *s;
		int r;
		unsigned v;
	} cases[] = {
		{ "1", 0, 1 }, { "50", 0, 50 }, { "50%", 0, 50 }, { "50 %", 0, 50 },
		{ "100%", 0, 100 }, { "0", -ERANGE, 0 }, { "101", -ERANGE, 0 },
		{ "99999999999999999999999", -ERANGE, 0 }, { "%", -EINVAL, 0 },
		{ "x%", -EINVAL, 0 }, { "5%%", -EINVAL, 0 }, { "-5", -EINVAL, 0 },
	};
	char why[SC_WHY_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned v = 12345;
		int r = sc_parse_percent(cases[i].s, &v, why);

		cr_expect_eq(r, cases[i].r, "'%s': %d", cases[i].s, r);
		cr_expect_eq(v, cases[i].r ? 12345 : cases[i].v, "'%s': %u", cases[i].s, v);
	}
}

/* CPU lists through the core parser; an empty list is refused. */
Test(values, cpus)
{
	char why[SC_WHY_MAX];
	cpu_set_t set;

	cr_assert_eq(sc_parse_cpus("0-3,6", &set, why), 0);
	cr_expect_eq(CPU_COUNT(&set), 5);
	cr_expect(CPU_ISSET(0, &set) && CPU_ISSET(3, &set) && CPU_ISSET(6, &set));
	cr_expect(!CPU_ISSET(4, &set));
	cr_assert_eq(sc_parse_cpus("0-6:3", &set, why), 0);
	cr_expect(CPU_COUNT(&set) == 3 && CPU_ISSET(3, &set));
	cr_expect_eq(sc_parse_cpus("", &set, why), -EINVAL);
	cr_expect_str_eq(why, "no CPU in the list");
	cr_expect_eq(sc_parse_cpus("1,", &set, why), -EINVAL);
	cr_expect_eq(sc_parse_cpus("1024", &set, why), -ERANGE);
	cr_expect_str_eq(why, "CPU number too large (at most 1023)");
}

/* Workloads: KIND[:SIZE], the size a byte size or a count by kind. */
Test(values, workload)
{
	static const struct {
		const char *s;
		int r;
		enum rtlab_load_kind kind;
		uint64_t size;
	} cases[] = {
		{ "cpu", 0, RTLAB_LOAD_CPU, 0 },
		{ "cpu:1000", 0, RTLAB_LOAD_CPU, 1000 },
		{ "Memory:64KiB", 0, RTLAB_LOAD_MEMORY, 64 * KI },
		{ "io:1.5MiB", 0, RTLAB_LOAD_IO, 1536 * KI },
		{ "syscall:1000000000", 0, RTLAB_LOAD_SYSCALL, 1000000000 },
		{ "syscall:1000000001", -ERANGE, 0, 0 },
		{ "cpu:0", -ERANGE, 0, 0 },
		{ "cpu:1KiB", -EINVAL, 0, 0 },
		{ "memory:1", -EINVAL, 0, 0 },
		{ "hackbench", -ENOENT, 0, 0 },
		{ "timer:5", -ENOENT, 0, 0 },
		{ "fork", -ENOENT, 0, 0 },
		{ "cpux", -ENOENT, 0, 0 },
		{ ":5", -ENOENT, 0, 0 },
		{ "averyveryverylongkindname:5", -ENOENT, 0, 0 },
	};
	char why[SC_WHY_MAX];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		enum rtlab_load_kind kind = RTLAB_LOAD__COUNT;
		uint64_t size = POISON;
		int r = sc_parse_workload(cases[i].s, &kind, &size, why);

		cr_expect_eq(r, cases[i].r, "'%s': %d (%s)", cases[i].s, r, why);
		if (cases[i].r)
			continue;
		cr_expect_eq(kind, cases[i].kind, "'%s'", cases[i].s);
		cr_expect_eq(size, cases[i].size, "'%s'", cases[i].s);
	}
}

/* Probe families: names, "default", "all", blanks around commas. */
Test(values, families)
{
	char why[SC_WHY_MAX];
	uint64_t mask = 0;

	cr_assert_eq(sc_parse_families("cpu , psi,mem", &mask, why), 0);
	cr_expect_eq(mask, RTLAB_PF_BIT(RTLAB_PF_CPU) | RTLAB_PF_BIT(RTLAB_PF_PSI) |
		     RTLAB_PF_BIT(RTLAB_PF_MEM));
	cr_assert_eq(sc_parse_families("default", &mask, why), 0);
	cr_expect_eq(mask, RTLAB_PROBE_DEFAULT);
	cr_assert_eq(sc_parse_families("all", &mask, why), 0);
	cr_expect_eq(mask, RTLAB_PROBE_ALL);
	cr_assert_eq(sc_parse_families("cpu,dsk", &mask, why), -EINVAL);
	cr_expect(strncmp(why, "unknown probe family 'dsk' (known: default, all, cpu, cpuidle, ",
			  62) == 0, "%s", why);
	cr_expect(strstr(why, ", cloud)") != NULL, "%s", why);
	cr_assert_eq(sc_parse_families(",", &mask, why), -EINVAL);
	cr_expect_str_eq(why, "empty name in the list");
}

/* Escaping: control characters, backslashes and bad UTF-8 as \xNN; UTF-8 kept; long cut. */
Test(values, escape)
{
	char buf[SC_ESC_MAX], small[12];

	cr_expect_str_eq(sc_escape("a\x1b[0mb", buf, sizeof(buf)), "a\\x1b[0mb");
	cr_expect_str_eq(sc_escape("tab\there\n", buf, sizeof(buf)), "tab\\x09here\\x0a");
	cr_expect_str_eq(sc_escape("back\\slash", buf, sizeof(buf)), "back\\\\slash");
	cr_expect_str_eq(sc_escape("caf\xc3\xa9", buf, sizeof(buf)), "caf\xc3\xa9");
	cr_expect_str_eq(sc_escape("bad\xff\xc3", buf, sizeof(buf)), "bad\\xff\\xc3");
	cr_expect_str_eq(sc_escape("\x7f", buf, sizeof(buf)), "\\x7f");
	cr_expect_str_eq(sc_escape("0123456789abcdef", small, sizeof(small)), "01234567...");
	cr_expect_str_eq(sc_escape("0123456789a", small, sizeof(small)), "0123456789a");
	cr_expect_str_eq(sc_escape("\x01\x02\x03", small, sizeof(small)), "\\x01\\x02...");
}

/* Durations written back: the largest exact unit. */
Test(values, format_duration)
{
	static const struct {
		uint64_t ns;
		const char *s;
	} cases[] = {
		{ 0, "0ns" }, { 1, "1ns" }, { 1500, "1500ns" }, { 1500 * US, "1500us" },
		{ 10 * MS, "10ms" }, { 2 * SEC, "2s" }, { 90 * SEC, "90s" }, { 120 * SEC, "2m" },
		{ 7200 * SEC, "2h" }, { UINT64_MAX, "18446744073709551615ns" },
	};
	char buf[32];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		cr_expect_str_eq(sc_format_duration(cases[i].ns, buf, sizeof(buf)), cases[i].s);
}

/* Names: 1 to 63 of [A-Za-z0-9_.-]. */
Test(values, names)
{
	char n63[64], n64[65];

	memset(n63, 'a', 63);
	n63[63] = '\0';
	memset(n64, 'a', 64);
	n64[64] = '\0';
	cr_expect(sc_name_valid("a"));
	cr_expect(sc_name_valid("Task_1.high-prio"));
	cr_expect(sc_name_valid(n63));
	cr_expect(!sc_name_valid(n64));
	cr_expect(!sc_name_valid(""));
	cr_expect(!sc_name_valid("a b"));
	cr_expect(!sc_name_valid("a/b"));
	cr_expect(!sc_name_valid("caf\xc3\xa9"));
}

/* Load kinds: every name round-trips, any case; unknown names and values refused. */
Test(values, load_kinds)
{
	static const char *const names[] = { "cpu", "hackbench", "memory", "io", "timer", "syscall",
					     "fork" };
	enum rtlab_load_kind k;

	cr_assert_eq(ARRAY_SIZE(names), RTLAB_LOAD__COUNT);
	for (int i = 0; i < RTLAB_LOAD__COUNT; i++) {
		cr_expect_str_eq(rtlab_load_kind_name((enum rtlab_load_kind)i), names[i]);
		cr_expect_eq(rtlab_load_kind_from_name(names[i], &k), 0);
		cr_expect_eq(k, (enum rtlab_load_kind)i);
	}
	cr_expect_eq(rtlab_load_kind_from_name("HackBench", &k), 0);
	cr_expect_eq(k, RTLAB_LOAD_HACKBENCH);
	cr_expect_eq(rtlab_load_kind_from_name("stress", &k), -EINVAL);
	cr_expect_eq(rtlab_load_kind_from_name(NULL, &k), -EINVAL);
	cr_expect_null(rtlab_load_kind_name(RTLAB_LOAD__COUNT));
	cr_expect_null(rtlab_load_kind_name((enum rtlab_load_kind)-1));
}
