/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-stat.c - /proc/<pid>/stat parser. */
#include <stdint.h>

#include "proc/proc-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct rtlab_proc_stat st;

	proc_stat_parse(buf, size, &st);
	(void)proc_stat_state(buf, size);
	return 0;
}
