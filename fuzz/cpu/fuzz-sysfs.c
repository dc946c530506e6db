/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-sysfs.c - the cpu group's sysfs values: CPU lists, numbers, texts. */
#include <stdint.h>

#include "cpu/cpu-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t bits[CPU_WORDS];
	struct rtlab_cpu_text t;
	uint32_t n, end;
	uint64_t u;
	int64_t i;

	cpu_list_parse((const char *)data, size, bits, &n, &end);
	cpu_sysfs_u64_parse((const char *)data, size, &u);
	cpu_sysfs_i64_parse((const char *)data, size, &i);
	cpu_sysfs_text_parse((const char *)data, size, &t);
	return 0;
}
