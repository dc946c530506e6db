/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-io.c - the per-device cgroup I/O files, every kind, into a small array. */
#include <stdint.h>

#include "env/env-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one input through every parser of this target. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_cgroup_io devs[4];
	size_t n = 0;
	unsigned bad = 0;

	for (int kind = CG_IO_MAX; kind <= CG_BLKIO_IOS; kind++)
		cg_io_parse((const char *)data, size, (enum cg_io_kind)kind, devs, 4, &n, &bad);
	return 0;
}
