/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-arp.c - /proc/net/arp parser. */
#include <stdint.h>
#include <stdlib.h>

#include "net/net-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_route rt = { 0 };
	unsigned bad = 0;

	arp_parse((const char *)data, size, &rt, &bad);
	free(rt.arp);
	return 0;
}
