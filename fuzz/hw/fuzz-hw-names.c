/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-hw-names.c - names from sysfs: hwmon file names, node_exporter's
 * cleaning and chip labels from device paths, RAPL domain names, their order.
 */
#include <stdint.h>
#include <string.h>

#include "hw/hw-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct hwmon_file_id id;
	char name[256], out[64], kind[24];
	size_t half = size / 2;
	uint32_t idx;

	hwmon_file_parse(s, size, &id);
	hw_clean_name(out, sizeof(out), s, size);
	hwmon_chip_from_path(s, size, out, sizeof(out));
	/* The string functions get NUL-terminated names, as directory entries are. */
	if (size >= sizeof(name))
		size = sizeof(name) - 1;
	memcpy(name, s, size);
	name[size] = '\0';
	rapl_name_split(name, kind, sizeof(kind), &idx);
	if (half < size) {
		name[half] = '\0';
		hw_natcmp(name, name + half + 1);
		hw_natcmp(name + half + 1, name);
	}
	return 0;
}
