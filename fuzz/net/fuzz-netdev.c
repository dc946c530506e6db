/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-netdev.c - /proc/net/dev parser. */
#include <stdint.h>
#include <stdlib.h>

#include "net/net-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_net n = { 0 };
	unsigned bad = 0;

	netdev_parse((const char *)data, size, &n, &bad);
	free(n.ifaces);
	return 0;
}
