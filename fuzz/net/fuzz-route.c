/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-route.c - /proc/net/route and /proc/net/ipv6_route parsers, then the default gateways. */
#include <stdint.h>
#include <stdlib.h>

#include "net/net-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_route rt = { 0 };
	unsigned bad = 0;

	route4_parse((const char *)data, size, &rt, &bad);
	route6_parse((const char *)data, size, &rt, &bad);
	route_default_gw(&rt);
	free(rt.routes);
	return 0;
}
