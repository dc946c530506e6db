/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-mountinfo.c - mountinfo parser and octal unescaping. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "disk/disk-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_fs fs = { 0 };
	char *dst = malloc(size + 1);

	mountinfo_parse((const char *)data, size, &fs);
	/* Every string points inside the pool and is NUL-terminated there. */
	for (size_t i = 0; i < fs.nmounts; i++)
		if (strlen(fs.mounts[i].super_options) >= fs.strs_cap)
			abort();
	if (dst) {
		if (mnt_unescape(dst, (const char *)data, size) > size)
			abort();
		free(dst);
	}
	free(fs.mounts);
	free(fs.strs);
	return 0;
}
