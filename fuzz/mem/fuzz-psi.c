/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-psi.c - /proc/pressure/<resource> parser. */
#include <stdint.h>

#include "mem/mem-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_psi_pressure ps;
	struct mem_perr err;

	psi_parse((const char *)data, size, &ps, &err);
	return 0;
}
