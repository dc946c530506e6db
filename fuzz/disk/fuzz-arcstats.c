/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-arcstats.c - zfs arcstats (SPL named kstat) parser. */
#include <stdint.h>

#include "disk/disk-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rtlab_probe_raid r;

	arcstats_parse((const char *)data, size, &r);
	return 0;
}
