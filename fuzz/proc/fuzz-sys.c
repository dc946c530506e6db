/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-sys.c - /proc/stat (cpu line, btime) parsers. */
#include <stdint.h>

#include "proc/proc-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	uint64_t ticks[RTLAB_PROC_CPU__COUNT], ncpus, bt;

	proc_cpu_line_parse(buf, size, ticks, &ncpus);
	proc_btime_parse(buf, size, &bt);
	return 0;
}
