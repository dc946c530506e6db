/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-interrupts.c - /proc/interrupts and /proc/softirqs parsers. */
#include <stdint.h>

#include "cpu/cpu-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_interrupts x = { 0 };

	/* Twice each: the second pass re-uses the grown arrays. */
	for (int pass = 0; pass < 2; pass++) {
		interrupts_parse((const char *)data, size, &x);
		softirqs_parse((const char *)data, size, &x.soft);
	}
	irq_table_release(&x.irq);
	irq_table_release(&x.soft);
	return 0;
}
