/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-limits.c - /proc/PID/limits. */
#include <stdint.h>

#include "env/env-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one input through every parser of this target. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_rlimit rl[RTLAB_PROBE_NRLIMITS];
	unsigned bad = 0;

	env_limits_parse((const char *)data, size, rl, &bad);
	return 0;
}
