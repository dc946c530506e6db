/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-load.c - /proc/loadavg parser. */
#include <stdint.h>

#include "cpu/cpu-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_load l;

	load_parse((const char *)data, size, &l);
	return 0;
}
