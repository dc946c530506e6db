/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-diskstats.c - /proc/diskstats parser, twice on the same data (entries re-used). */
#include <stdint.h>
#include <stdlib.h>

#include "disk/disk-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_disk dk = { 0 };

	diskstats_parse((const char *)data, size, &dk);
	diskstats_parse((const char *)data, size / 2, &dk);
	free(dk.devs);
	return 0;
}
