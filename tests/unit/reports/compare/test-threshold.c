/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-threshold.c - the threshold spec: good ones, every kind of bad one, gate, format. */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <rtlab/compare.h>
#include <rtlab/scenario.h>

struct good {
	char text[96];
	char canonical[96];
	unsigned n;
};

/* Specs that parse: the text, its canonical form, the number of thresholds. */
ParameterizedTestParameters(threshold, good)
{
	static struct good params[] = {
		{ "p99=+10%", "p99=+10%", 1 },
		{ " p99 = +10% , max <= 200us ", "p99=+10%,max<=200us", 2 },
		{ "misses=0,lost<=3", "misses=0,lost<=3", 2 },
		{ "lost=7", "lost<=7", 1 },
		{ "fast.p99.9=-5%", "fast.p99.9=-5%", 1 },
		{ "p99=+2.50%", "p99=+2.5%", 1 },
		{ "p99=+0%", "p99=+0%", 1 },
		{ "max<=1000us", "max<=1ms", 1 },
		{ "mean<=1500ns", "mean<=1500ns", 1 },
		{ "max<=2000ms", "max<=2s", 1 },
		{ "p99=200us", "p99<=200us", 1 },
		{ "a.b.p99=+1%", "a.b.p99=+1%", 1 },
		{ "p99.p99=+1%", "p99.p99=+1%", 1 },
		{ "all.max<=2ms", "all.max<=2ms", 1 },
		{ "min<=5us,p50=+1%,p90=+1.25%", "min<=5us,p50=+1%,p90=+1.25%", 3 },
		{ "p99=+10%,p99<=1ms,fast.p99=+5%", "p99=+10%,p99<=1ms,fast.p99=+5%", 3 },
		{ "p99=+123456789%", "p99=+123456789%", 1 },
	};

	return cr_make_param_array(struct good, params, sizeof(params) / sizeof(params[0]));
}

/* Each good spec parses, and its canonical text reads back to the same canonical text. */
ParameterizedTest(struct good *p, threshold, good)
{
	struct rtlab_thresholds *th, *again;
	char err[256] = "", text[512], text2[512];

	cr_assert_eq(rtlab_thresholds_parse(p->text, &th, err, sizeof(err)), 0, "%s: %s",
		     p->text, err);
	cr_assert_eq(th->n, p->n, "%s", p->text);
	cr_assert_gt(rtlab_thresholds_format(th, text, sizeof(text)), 0);
	cr_assert_str_eq(text, p->canonical);
	cr_assert_eq(rtlab_thresholds_parse(text, &again, err, sizeof(err)), 0, "%s", err);
	cr_assert_gt(rtlab_thresholds_format(again, text2, sizeof(text2)), 0);
	cr_assert_str_eq(text2, text);
	rtlab_thresholds_free(again);
	rtlab_thresholds_free(th);
}

struct bad {
	char text[96];
	char message[128];	/* a part of the message */
};

/* Specs that do not: the text and a part of the message expected. */
ParameterizedTestParameters(threshold, bad)
{
	static struct bad params[] = {
		{ "", "'': no threshold given" },
		{ "   ", "no threshold given" },
		{ "p99=+x",
		  "'p99=+x': a relative threshold is a signed percentage (e.g. +10% or -5%)" },
		{ "p99=+10", "signed percentage" },
		{ "p99=+1.%", "signed percentage" },
		{ "p99=+.5%", "signed percentage" },
		{ "p99=+10%%", "signed percentage" },
		{ "p99=+1234567890%", "signed percentage" },
		{ "p99=10%",
		  "'p99=10%': give the sign of a percentage: +10% (NEW may be worse by)" },
		{ "p98=+10%", "'p98=+10%': unknown metric in 'p98' (metrics: min, mean," },
		{ "fast.p98=+10%", "unknown metric in 'fast.p98'" },
		{ "jobs=+10%", "'jobs=+10%': jobs cannot be gated" },
		{ "fast.jobs<=5", "jobs cannot be gated" },
		{ "p99<=+10%", "a relative threshold takes '='" },
		{ "p99<200us", "use '<=' for a bound" },
		{ "p99>=200us", "a threshold is an upper bound on NEW" },
		{ "p99!=200us", "a threshold is an upper bound on NEW" },
		{ "p99>5us", "'p99>5us': a threshold is an upper bound on NEW: use '<='" },
		{ "p99", "'p99': no '=' or '<='" },
		{ "=+10%", "a metric is missing" },
		{ "p99=", "a value is missing" },
		{ "p99<= ", "a value is missing" },
		{ "p99<=200", "a latency bound is a duration with a unit" },
		{ "p99<=us", "a latency bound is a duration with a unit" },
		{ "p99<=200xs", "not a duration: '200xs'" },
		{ "p99<=-3us", "a relative threshold takes '='" },
		{ "p99<=99999999999999999999us", "duration too large" },
		{ "p99<=99999999999999999s", "duration too large" },
		{ "misses=x", "'misses=x': misses is a count: a whole number, not 'x'" },
		{ "misses=5us", "misses is a count" },
		{ "lost=1.5", "lost is a count" },
		{ "misses=99999999999999999999999",
		  "the count '99999999999999999999999' is too large" },
		{ "p99=+10%,,max=+1%", "an empty threshold" },
		{ "p99=+10%,", "an empty threshold" },
		{ ",p99=+10%", "an empty threshold" },
		{ "p99=-100%", "NEW cannot be 100% better or more" },
		{ "p99=-150%", "NEW cannot be 100% better or more" },
		{ "p99=+10%,p99=+5%",
		  "'p99=+5%': p99 already has a relative threshold ('p99=+10%')" },
		{ "max<=1ms,max=2ms", "max already has an absolute threshold ('max<=1ms')" },
		{ "t.max<=1ms, t.max<=2ms", "t.max already has an absolute threshold" },
		{ "a b.p99=+1%", "bad task name 'a b'" },
		{ ".p99=+1%", "bad task name ''" },
		{ "a/b.p99=+1%", "bad task name 'a/b'" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.p99=+1%",
		  "bad task name" },
		{ "p99=+10%;max=+1%", "signed percentage" },
	};

	return cr_make_param_array(struct bad, params, sizeof(params) / sizeof(params[0]));
}

/* Each bad spec is refused with -EINVAL and a message naming the item and the problem. */
ParameterizedTest(struct bad *p, threshold, bad)
{
	struct rtlab_thresholds *th = NULL;
	char err[256] = "";

	cr_assert_eq(rtlab_thresholds_parse(p->text, &th, err, sizeof(err)), -EINVAL, "%s",
		     p->text);
	cr_assert_null(th);
	cr_assert(strstr(err, p->message), "'%s': got \"%s\", expected \"%s\"", p->text, err,
		  p->message);
}

/* The parts of a threshold land in their fields. */
Test(threshold, fields)
{
	struct rtlab_thresholds *th;
	char err[256] = "";

	cr_assert_eq(rtlab_thresholds_parse("fast.p99=-5%,max<=250us,lost=2,p99.9=+7.5%", &th,
					    err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(th->n, 4);
	cr_assert_str_eq(th->items[0].task, "fast");
	cr_assert_eq(th->items[0].metric, RTLAB_COMPARE_P99);
	cr_assert_eq(th->items[0].kind, RTLAB_THRESHOLD_RELATIVE);
	cr_assert_float_eq(th->items[0].pct, -5.0, 1e-12);
	cr_assert_str_eq(th->items[1].task, "");
	cr_assert_eq(th->items[1].metric, RTLAB_COMPARE_MAX);
	cr_assert_eq(th->items[1].kind, RTLAB_THRESHOLD_ABSOLUTE);
	cr_assert_eq(th->items[1].bound, 250000);
	cr_assert_eq(th->items[2].metric, RTLAB_COMPARE_LOST);
	cr_assert_eq(th->items[2].bound, 2);
	cr_assert_eq(th->items[3].metric, RTLAB_COMPARE_P999);
	cr_assert_float_eq(th->items[3].pct, 7.5, 1e-12);
	rtlab_thresholds_free(th);
}

/* A scenario's [gate] becomes absolute thresholds on every task, in a fixed order. */
Test(threshold, from_gate)
{
	struct rtlab_scenario_gate g = {
		.has_max = true, .has_p99 = true, .has_p999 = true, .has_mean = true,
		.has_misses = true, .has_lost = true, .max_ns = 500000, .p99_ns = 100000,
		.p999_ns = 200000, .mean_ns = 50000, .misses = 0, .lost = 2,
	};
	struct rtlab_scenario_gate none = { .line = 3 };
	struct rtlab_thresholds *th;
	char text[256];

	cr_assert_eq(rtlab_thresholds_from_gate(&g, &th), 0);
	cr_assert_gt(rtlab_thresholds_format(th, text, sizeof(text)), 0);
	cr_assert_str_eq(text, "max<=500us,p99<=100us,p99.9<=200us,mean<=50us,misses=0,lost<=2");
	for (size_t i = 0; i < th->n; i++)
		cr_assert_eq(th->items[i].kind, RTLAB_THRESHOLD_ABSOLUTE);
	rtlab_thresholds_free(th);
	cr_assert_eq(rtlab_thresholds_from_gate(&none, &th), 0);
	cr_assert_eq(th->n, 0);
	rtlab_thresholds_free(th);
}

/* The default gate is a valid spec; formatting into a short buffer says so. */
Test(threshold, default_and_short_buffer)
{
	struct rtlab_thresholds *th;
	char err[128], text[256], small[8];

	cr_assert_eq(rtlab_thresholds_parse(RTLAB_COMPARE_DEFAULT_GATE, &th, err, sizeof(err)), 0);
	cr_assert_eq(th->n, 4);
	cr_assert_eq(rtlab_thresholds_format(th, text, sizeof(text)),
		     (int)strlen(RTLAB_COMPARE_DEFAULT_GATE));
	cr_assert_str_eq(text, RTLAB_COMPARE_DEFAULT_GATE);
	cr_assert_eq(rtlab_thresholds_format(th, small, sizeof(small)), -ENOSPC);
	cr_assert_eq(strlen(small), sizeof(small) - 1);
	cr_assert(strncmp(small, "p99=+10", 7) == 0);
	rtlab_thresholds_free(th);
	cr_assert_null(rtlab_thresholds_free(NULL));
}

/* Values print with a unit that fits; deltas carry a sign. */
Test(threshold, format_values)
{
	char b[32];

	cr_assert_str_eq(rtlab_compare_format(RTLAB_COMPARE_P99, 850, false, b, sizeof(b)),
			 "850ns");
	cr_assert_str_eq(rtlab_compare_format(RTLAB_COMPARE_P99, 12346, false, b, sizeof(b)),
			 "12.35us");
	cr_assert_str_eq(rtlab_compare_format(RTLAB_COMPARE_MAX, 1234567, false, b, sizeof(b)),
			 "1.235ms");
	cr_assert_str_eq(rtlab_compare_format(RTLAB_COMPARE_MAX, 2.5e9, false, b, sizeof(b)),
			 "2.500s");
	cr_assert_str_eq(rtlab_compare_format(RTLAB_COMPARE_MEAN, -1500, true, b, sizeof(b)),
			 "-1.50us");
	cr_assert_str_eq(rtlab_compare_format(RTLAB_COMPARE_MISSES, 3, true, b, sizeof(b)), "+3");
	cr_assert_str_eq(rtlab_compare_format(RTLAB_COMPARE_JOBS, 1000, false, b, sizeof(b)),
			 "1000");
	cr_assert_str_eq(rtlab_compare_metric_name(RTLAB_COMPARE_P999), "p99.9");
	cr_assert_null(rtlab_compare_metric_name(_RTLAB_COMPARE_METRIC_MAX));
	cr_assert(rtlab_compare_metric_is_latency(RTLAB_COMPARE_MEAN));
	cr_assert_not(rtlab_compare_metric_is_latency(RTLAB_COMPARE_LOST));
}
