/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-scenario.c - the scenario parser and validation on arbitrary bytes.
 * Validation runs against a fixed machine (4 CPUs, the kernel's default
 * deadline bandwidth), so that a run reads no file and is reproducible.
 */
#include <stdint.h>
#include <string.h>

#include <rtlab/scenario.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - parse @data, check the scenario, free it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_scenario_machine m = {
		.rt_runtime_us = 950000,
		.rt_period_us = 1000000,
		.dl_period_min_us = 100,
		.dl_period_max_us = 4194304,
	};
	struct rtlab_scenario *sc = NULL;
	char err[RTLAB_SCENARIO_ERR_MAX] = "";

	CPU_ZERO(&m.online);
	for (int cpu = 0; cpu < 4; cpu++)
		CPU_SET(cpu, &m.online);
	if (rtlab_scenario_parse_text("fuzz.ini", (const char *)data, size, &sc, err,
				      sizeof(err)) == 0) {
		(void)rtlab_scenario_check(sc, &m, err, sizeof(err));
		sc = rtlab_scenario_free(sc);
	}
	/* Every message is terminated and fits the buffer. */
	if (strnlen(err, sizeof(err)) == sizeof(err))
		__builtin_trap();
	return 0;
}
