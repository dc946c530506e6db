/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-swaps.c - /proc/swaps parser. */
#include <stdint.h>

#include "mem/mem-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_mem m = { 0 };
	struct mem_perr err;

	swaps_parse((const char *)data, size, &m, &err);
	mem_free_arrays(&m);
	return 0;
}
