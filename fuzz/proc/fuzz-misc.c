/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-misc.c - small process files: NUL lists, ns and fd links, schedstat, numbers, maps lines. */
#include <stdint.h>

#include "proc/proc-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	const char *strs[8];
	struct rtlab_pu64 ino, ss[3];
	struct rtlab_pi64 v;
	struct rtlab_proc_map m;
	size_t off, len;
	uint64_t n;

	proc_nul_split(buf, size, strs, 8);
	proc_ns_inode(buf, size, &n);
	proc_fd_classify(buf, size, &ino);
	proc_schedstat_parse(buf, size, ss);
	proc_i64_parse(buf, size, &v);
	if (proc_map_parse(buf, size, &m, &off, &len) == 0 && (off > size || len > size - off))
		__builtin_trap();
	return 0;
}
