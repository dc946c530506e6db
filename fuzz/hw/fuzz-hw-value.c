/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-hw-value.c - sysfs number and string files (hwmon, thermal, powercap, drm). */
#include <stdint.h>

#include "hw/hw-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[48];
	int64_t v;

	hw_int_parse((const char *)data, size, &v);
	hw_str_copy(s, sizeof(s), (const char *)data, size);
	hw_str_copy(s, 1, (const char *)data, size);
	return 0;
}
