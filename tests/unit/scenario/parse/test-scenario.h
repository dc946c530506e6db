/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-scenario.h - shared by the scenario parser tests (header-only). */
#ifndef RTLAB_TEST_SCENARIO_H
#define RTLAB_TEST_SCENARIO_H

#include <string.h>

#include <criterion/criterion.h>

#include <rtlab/scenario.h>

/* The first lines of most texts: [scenario] on line 1, a task on lines 3-4. */
#define HEAD "[scenario]\nduration = 1s\n"
#define TASK HEAD "[task t1]\nperiod = 1ms\n"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A case: a text and the message expected ("" for none); strings inline (Criterion copies). */
struct text_case {
	char text[512];
	char want[192];
};

/* machine - a machine of @ncpus CPUs (0..ncpus-1) with the given RT bandwidth setting. */
static inline struct rtlab_scenario_machine machine(int ncpus, long long rt_runtime_us)
{
	struct rtlab_scenario_machine m = {
		.rt_runtime_us = rt_runtime_us,
		.rt_period_us = 1000000,
		.dl_period_min_us = 100,
		.dl_period_max_us = 4194304,
	};

	CPU_ZERO(&m.online);
	for (int i = 0; i < ncpus; i++)
		CPU_SET(i, &m.online);
	return m;
}

/* parse_ok - parse @text as "t.ini", asserting success. */
static inline struct rtlab_scenario *parse_ok(const char *text)
{
	struct rtlab_scenario *sc = NULL;
	char err[RTLAB_SCENARIO_ERR_MAX] = "";
	int r = rtlab_scenario_parse_text("t.ini", text, strlen(text), &sc, err, sizeof(err));

	cr_assert_eq(r, 0, "parse: %d %s\n--- text:\n%s", r, err, text);
	cr_assert_not_null(sc);
	return sc;
}

/* expect_msg - @err starts with @want (or is empty when @want is). */
static inline void expect_msg(const char *err, const char *want, const char *text)
{
	if (!want[0])
		cr_expect_str_empty(err, "unexpected error: %s\n--- text:\n%s", err, text);
	else
		cr_expect(strncmp(err, want, strlen(want)) == 0,
			  "got:  %s\nwant: %s...\n--- text:\n%s", err, want, text);
}

#endif /* RTLAB_TEST_SCENARIO_H */
