/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-stat.c - /proc/stat parser, and the shares made from two readings of it. */
#include <errno.h>
#include <stdint.h>

#include "cpu/cpu-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_cpu c = { 0 };

	/* Twice: the second pass re-uses the grown array and computes shares. */
	for (int pass = 0; pass < 2; pass++) {
		if (cpustat_parse((const char *)data, size, &c) == -ENOMEM)
			break;
		cpu_times_rate(&c.total, 0.01);
		for (size_t i = 0; i < c.ncpus; i++)
			cpu_times_rate(&c.cpus[i].times, 0.01);
	}
	cpu_data_release(&c);
	return 0;
}
