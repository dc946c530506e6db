/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-numa-distance.c - nodeN/distance parser. */
#include <stdint.h>

#include "mem/mem-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_numa_node n = { 0 };

	numa_distance_parse((const char *)data, size, &n);
	return 0;
}
