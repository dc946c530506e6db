/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-parse.c - the strict number and duration parsers of core-parse.c. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <rtlab/core.h>

#define POISON_U64 0x5a5a5a5a5a5a5a5aULL
#define POISON_INT 0x5a5a5a5a

/* Strings are held inline: Criterion copies parameters into the test process. */
struct u64_case {
	char s[48];
	int r;
	uint64_t v;
};

struct int_case {
	char s[48];
	int r;
	int v;
};

struct dur_case {
	char s[48];
	uint64_t unit_ns;
	int r;
	uint64_t v;
};

/* The u64 cases: good values, empty, signs, blanks, trailing garbage, overflow. */
ParameterizedTestParameters(parse, u64)
{
	static struct u64_case cases[] = {
		{ "0", 0, 0 },
		{ "42", 0, 42 },
		{ "007", 0, 7 },
		{ "4294967296", 0, 4294967296ULL },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "99999999999999999999999999", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "-0", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "1\n", -EINVAL, 0 },
		{ "12abc", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 },
		{ "1.0", -EINVAL, 0 },
		{ "abc", -EINVAL, 0 },
	};

	return cr_make_param_array(struct u64_case, cases, sizeof(cases) / sizeof(cases[0]));
}

/* rtlab_parse_u64 on one case; *ret is untouched on error. */
ParameterizedTest(struct u64_case *c, parse, u64)
{
	uint64_t v = POISON_U64;
	int r = rtlab_parse_u64(c->s, &v);

	cr_assert_eq(r, c->r, "parse_u64(\"%s\"): expected %d, got %d", c->s, c->r, r);
	if (c->r == 0)
		cr_assert_eq(v, c->v, "parse_u64(\"%s\"): expected %" PRIu64 ", got %" PRIu64,
			     c->s, c->v, v);
	else
		cr_assert_eq(v, POISON_U64, "parse_u64(\"%s\") wrote %" PRIu64 " on error", c->s,
			     v);
}

/* The int cases: signs, limits of int, garbage, overflow. */
ParameterizedTestParameters(parse, int)
{
	static struct int_case cases[] = {
		{ "0", 0, 0 },
		{ "-0", 0, 0 },
		{ "+0", 0, 0 },
		{ "5", 0, 5 },
		{ "+5", 0, 5 },
		{ "-5", 0, -5 },
		{ "0010", 0, 10 },
		{ "2147483647", 0, INT_MAX },
		{ "-2147483648", 0, INT_MIN },
		{ "2147483648", -ERANGE, 0 },
		{ "-2147483649", -ERANGE, 0 },
		{ "9223372036854775808", -ERANGE, 0 },
		{ "-99999999999999999999999", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "-", -EINVAL, 0 },
		{ "+", -EINVAL, 0 },
		{ "--1", -EINVAL, 0 },
		{ "+-1", -EINVAL, 0 },
		{ "1-", -EINVAL, 0 },
		{ "12x", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "- 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "1.0", -EINVAL, 0 },
		{ "0x1", -EINVAL, 0 },
	};

	return cr_make_param_array(struct int_case, cases, sizeof(cases) / sizeof(cases[0]));
}

/* rtlab_parse_int on one case; *ret is untouched on error. */
ParameterizedTest(struct int_case *c, parse, int)
{
	int v = POISON_INT;
	int r = rtlab_parse_int(c->s, &v);

	cr_assert_eq(r, c->r, "parse_int(\"%s\"): expected %d, got %d", c->s, c->r, r);
	if (c->r == 0)
		cr_assert_eq(v, c->v, "parse_int(\"%s\"): expected %d, got %d", c->s, c->v, v);
	else
		cr_assert_eq(v, POISON_INT, "parse_int(\"%s\") wrote %d on error", c->s, v);
}

#define NS 1ULL
#define US RTLAB_NSEC_PER_USEC
#define MS RTLAB_NSEC_PER_MSEC
#define SEC RTLAB_NSEC_PER_SEC

/* The duration cases: every suffix, the default unit, bad suffixes, overflow. */
ParameterizedTestParameters(parse, duration)
{
	static struct dur_case cases[] = {
		{ "100ns", SEC, 0, 100 },
		{ "250us", SEC, 0, 250 * US },
		{ "500ms", SEC, 0, 500 * MS },
		{ "10s", MS, 0, 10 * SEC },
		{ "5m", SEC, 0, 300 * SEC },
		{ "2h", SEC, 0, 7200 * SEC },
		{ "1d", SEC, 0, 86400 * SEC },
		{ "0s", SEC, 0, 0 },
		{ "0", SEC, 0, 0 },
		{ "10", SEC, 0, 10 * SEC },
		{ "10", MS, 0, 10 * MS },
		{ "10", US, 0, 10 * US },
		{ "10", NS, 0, 10 },
		{ "18446744073709551615ns", SEC, 0, UINT64_MAX },
		{ "18446744073709551615", NS, 0, UINT64_MAX },
		{ "213503d", NS, 0, 213503ULL * 86400 * SEC },
		{ "213504d", NS, -ERANGE, 0 },
		{ "18446744073709551615us", NS, -ERANGE, 0 },
		{ "18446744073709551616ns", NS, -ERANGE, 0 },
		{ "18446744073709552", SEC, -ERANGE, 0 },
		{ "99999999999999999999999s", SEC, -ERANGE, 0 },
		{ "", SEC, -EINVAL, 0 },
		{ "s", SEC, -EINVAL, 0 },
		{ "ms", SEC, -EINVAL, 0 },
		{ "-1s", SEC, -EINVAL, 0 },
		{ "+1s", SEC, -EINVAL, 0 },
		{ " 1s", SEC, -EINVAL, 0 },
		{ "1 s", SEC, -EINVAL, 0 },
		{ "1s ", SEC, -EINVAL, 0 },
		{ "1.5s", SEC, -EINVAL, 0 },
		{ "10x", SEC, -EINVAL, 0 },
		{ "10S", SEC, -EINVAL, 0 },
		{ "10MS", SEC, -EINVAL, 0 },
		{ "10sec", SEC, -EINVAL, 0 },
		{ "10mss", SEC, -EINVAL, 0 },
		{ "10msx", SEC, -EINVAL, 0 },
		{ "10n", SEC, -EINVAL, 0 },
		{ "10u", SEC, -EINVAL, 0 },
		{ "10ss", SEC, -EINVAL, 0 },
		{ "10", 0, -EINVAL, 0 },
	};

	return cr_make_param_array(struct dur_case, cases, sizeof(cases) / sizeof(cases[0]));
}

/* rtlab_parse_duration_ns on one case; *ret is untouched on error. */
ParameterizedTest(struct dur_case *c, parse, duration)
{
	uint64_t v = POISON_U64;
	int r = rtlab_parse_duration_ns(c->s, c->unit_ns, &v);

	cr_assert_eq(r, c->r, "parse_duration_ns(\"%s\", unit %" PRIu64 "): expected %d, got %d",
		     c->s, c->unit_ns, c->r, r);
	if (c->r == 0)
		cr_assert_eq(v, c->v, "parse_duration_ns(\"%s\", unit %" PRIu64 "): expected %"
			     PRIu64 ", got %" PRIu64, c->s, c->unit_ns, c->v, v);
	else
		cr_assert_eq(v, POISON_U64, "parse_duration_ns(\"%s\") wrote %" PRIu64
			     " on error", c->s, v);
}

/* A NULL string is rejected, not dereferenced. */
Test(parse, null)
{
	uint64_t u = POISON_U64;
	int i = POISON_INT;

	cr_assert_eq(rtlab_parse_u64(NULL, &u), -EINVAL);
	cr_assert_eq(rtlab_parse_int(NULL, &i), -EINVAL);
	cr_assert_eq(rtlab_parse_duration_ns(NULL, SEC, &u), -EINVAL);
	cr_assert(u == POISON_U64 && i == POISON_INT, "an output was written on error");
}

/* Every number of decimal digits round-trips through parse_u64 and parse_int. */
Test(parse, round_trip)
{
	char buf[32];

	for (uint64_t v = 1;; v = v * 3 + 1) {
		uint64_t got = 0;
		int r;

		snprintf(buf, sizeof(buf), "%" PRIu64, v);
		r = rtlab_parse_u64(buf, &got);
		cr_assert(r == 0 && got == v, "parse_u64(\"%s\"): got r=%d v=%" PRIu64, buf, r,
			  got);
		if (v <= INT_MAX) {
			int i = 0;

			snprintf(buf, sizeof(buf), "-%" PRIu64, v);
			r = rtlab_parse_int(buf, &i);
			cr_assert(r == 0 && i == -(int)v, "parse_int(\"%s\"): got r=%d v=%d", buf,
				  r, i);
		}
		if (v > (UINT64_MAX - 1) / 3)
			break;
	}
}
