/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-disk-sysfs.c - the one-value sysfs parsers of the disk group: numbers,
 * words, the I/O scheduler list, md sync_completed, LVM device-mapper names.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "disk/disk-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char sel[8], list[16], word[8], vg[8], lv[8], layer[4];
	char *name = malloc(size + 1);
	uint64_t a, b;

	sysfs_u64_parse(s, size, &a);
	sysfs_word_parse(s, size, word, sizeof(word));
	disk_sched_parse(s, size, sel, sizeof(sel), list, sizeof(list));
	md_sync_completed_parse(s, size, &a, &b);
	if (name) {
		/* A name from sysfs is a C string: the bytes up to the first NUL. */
		memcpy(name, s, size);
		name[size] = '\0';
		dm_lvm_split(name, vg, sizeof(vg), lv, sizeof(lv), layer, sizeof(layer));
		disk_kind_of(name);
		fs_kind_of(name);
		fs_excluded(name);
		free(name);
	}
	return 0;
}
