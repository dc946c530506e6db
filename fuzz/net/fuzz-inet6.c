/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-inet6.c - /proc/net/if_inet6 parser. */
#include <stdint.h>
#include <stdlib.h>

#include "net/net-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_net n = { 0 };
	unsigned bad = 0;

	if_inet6_parse((const char *)data, size, &n, &bad);
	free(n.addrs);
	return 0;
}
