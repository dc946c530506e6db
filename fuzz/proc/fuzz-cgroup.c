/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-cgroup.c - /proc/<pid>/cgroup parser, with room for few and for many lines. */
#include <stdint.h>

#include "proc/proc-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_proc_cgroup cg[4];
	size_t n;

	proc_cgroup_parse((const char *)data, size, cg, 1, &n);
	proc_cgroup_parse((const char *)data, size, cg, 4, &n);
	return 0;
}
