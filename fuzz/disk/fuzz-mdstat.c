/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-mdstat.c - /proc/mdstat parser. */
#include <stdint.h>
#include <stdlib.h>

#include "disk/disk-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_raid r = { 0 };

	mdstat_parse((const char *)data, size, &r);
	for (size_t i = 0; i < r.nmd; i++)
		if (r.md[i].first_member + r.md[i].nmembers > r.nmd_members)
			abort();
	free(r.md);
	free(r.md_members);
	return 0;
}
