/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-human.c - values for people, by the unit suffix of the metric name. */
#include <math.h>

#include "../test-probe.h"

#include <criterion/parameterized.h>

struct human_case {
	char name[48];
	uint8_t kind;
	uint64_t u;
	int64_t i;
	double f;
	uint8_t st;
	char want[32];
};

#define U(n, x, w) { n, RTLAB_MV_U64, x, 0, 0, 0, w }
#define I(n, x, w) { n, RTLAB_MV_I64, 0, x, 0, 0, w }
#define F(n, x, w) { n, RTLAB_MV_F64, 0, 0, x, 0, w }

static struct human_case cases[] = {
	U("node_memory_MemTotal_bytes", 0, "0 B"),
	U("node_memory_MemTotal_bytes", 1023, "1023 B"),
	U("node_memory_MemTotal_bytes", 1536, "1.50 KiB"),
	U("node_memory_MemTotal_bytes", 3ULL << 29, "1.50 GiB"),
	U("node_network_receive_bytes_total", 5ULL << 20, "5.00 MiB"),
	U("x_bytes", UINT64_MAX, "16.00 EiB"),
	I("x_bytes", -2048, "-2.00 KiB"),
	F("x_seconds", 0, "0 s"),
	F("x_seconds", 250e-9, "250 ns"),
	F("x_seconds", 1.5e-6, "1.5 µs"),
	F("x_seconds", 0.25, "250.0 ms"),
	F("x_seconds", 1.2, "1.20 s"),
	F("x_seconds", 59.994, "59.99 s"),
	F("node_cpu_seconds_total", 3725, "1:02:05"),
	F("node_cpu_seconds_total", 90061.5, "1d 01:01:01"),
	I("x_offset_seconds", -90, "-0:01:30"),
	F("x_ratio", 0.125, "12.5 %"),
	F("x_ratio", 1, "100.0 %"),
	F("node_hwmon_temp_celsius", 45, "45.0 °C"),
	F("x_hertz", 2.4e9, "2.40 GHz"),
	U("x_hertz", 800000000, "800 MHz"),
	U("x_hertz", 1500, "1.5 kHz"),
	F("x_watts", 3.5, "3.50 W"),
	F("x_watts", 0.004, "4.0 mW"),
	F("x_watts", 0, "0 W"),
	F("x_joules_total", 12345, "12.3 kJ"),
	U("node_load_entities", UINT64_MAX, "18446744073709551615"),
	I("x_count", INT64_MIN, "-9223372036854775808"),
	F("node_load1", 0.52, "0.52"),
	F("node_boot_time_seconds", 1795438800, "2026-11-23 13:00:00 UTC"),
	U("x_last_timestamp_seconds", 1000000000, "2001-09-09 01:46:40 UTC"),
	F("x_start_time_seconds", 3725, "1:02:05"),
	F("x_bytes", NAN, "NaN"),
	F("x_seconds", INFINITY, "+Inf"),
	F("bytes", 5, "5"),
	F("x_bytes_per_op", 5, "5"),
	{ "x_bytes", RTLAB_MV_U64, 1, 0, 0, RTLAB_PV_MALFORMED, "n/a (malformed)" },
	{ "x", RTLAB_MV_F64, 0, 0, 0, RTLAB_PV_NOT_READY, "n/a (not ready)" },
};

ParameterizedTestParameters(human, values)
{
	return cr_make_param_array(struct human_case, cases, sizeof(cases) / sizeof(cases[0]));
}

/* Each case formats as written. */
ParameterizedTest(struct human_case *c, human, values)
{
	struct rtlab_mval v = { .kind = c->kind, .st = c->st };
	char buf[64];
	size_t n;

	if (c->kind == RTLAB_MV_U64)
		v.u = c->u;
	else if (c->kind == RTLAB_MV_I64)
		v.i = c->i;
	else
		v.f = c->f;
	n = rtlab_fmt_human(c->name, &v, buf, sizeof(buf));
	cr_assert_str_eq(buf, c->want, "%s", c->name);
	cr_assert_eq(n, strlen(buf));
}

/* A small buffer truncates, NUL-terminated, and says how much it holds. */
Test(human, truncates)
{
	struct rtlab_mval v = { .kind = RTLAB_MV_U64, .u = UINT64_MAX };
	char buf[6];

	cr_assert_eq(rtlab_fmt_human("x", &v, buf, sizeof(buf)), 5);
	cr_assert_str_eq(buf, "18446");
	cr_assert_eq(rtlab_fmt_human("x", &v, buf, 0), 0);
}
