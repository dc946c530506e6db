/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-limits.c - /proc/<pid>/limits parser. */
#include <stdint.h>

#include "proc/proc-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_proc_limits l;

	proc_limits_parse((const char *)data, size, &l);
	return 0;
}
