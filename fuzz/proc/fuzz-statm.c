/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-statm.c - /proc/<pid>/statm parser. */
#include <stdint.h>

#include "proc/proc-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_proc_statm m;

	proc_statm_parse((const char *)data, size, &m);
	return 0;
}
