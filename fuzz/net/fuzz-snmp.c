/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-snmp.c - /proc/net/snmp and /proc/net/netstat parser, then the named lookups. */
#include <stdint.h>
#include <stdlib.h>

#include "net/net-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_netstat ns = { 0 };
	unsigned bad = 0;

	snmp_parse((const char *)data, size, &ns, &bad);
	netstat_named(&ns);
	free(ns.counters);
	return 0;
}
