/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-io.c - /proc/<pid>/io, smaps_rollup, fdinfo and meminfo parsers. */
#include <stdint.h>

#include "proc/proc-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct rtlab_proc_io io;
	struct rtlab_proc_smaps sm;
	struct rtlab_proc_fd fd;
	struct proc_meminfo mi;

	proc_io_parse(buf, size, &io);
	proc_smaps_parse(buf, size, &sm);
	proc_fdinfo_parse(buf, size, &fd);
	proc_meminfo_parse(buf, size, &mi);
	return 0;
}
