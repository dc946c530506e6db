/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-vmstat.c - /proc/vmstat parser: a first reading, a second over it (kept names), rates. */
#include <stdint.h>

#include "mem/mem-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_vmstat v = { 0 };
	struct mem_perr err;

	vmstat_parse((const char *)data, size, &v, &err);
	vmstat_rates(&v, 0);
	vmstat_parse((const char *)data, size / 2, &v, &err);
	vmstat_parse((const char *)data, size, &v, &err);
	vmstat_rates(&v, 1000000000);
	stat_list_free(&v.lines);
	return 0;
}
