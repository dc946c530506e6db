/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-meminfo.c - /proc/meminfo and nodeN/meminfo parsers, and what is derived from them. */
#include <stdint.h>

#include "mem/mem-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_mem m = { 0 };
	struct rtlab_meminfo node;
	struct mem_perr err;

	meminfo_parse((const char *)data, size, &m.info, &err);
	mem_derive(&m);
	node_meminfo_parse((const char *)data, size, &node, &err);
	return 0;
}
