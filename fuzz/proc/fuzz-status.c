/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-status.c - /proc/<pid>/status parser (the table-driven "Key: value" engine). */
#include <stdint.h>

#include "proc/proc-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_proc_status s;

	proc_status_parse((const char *)data, size, &s);
	return 0;
}
