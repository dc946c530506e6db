/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-snmp6.c - /proc/net/snmp6 parser. */
#include <stdint.h>
#include <stdlib.h>

#include "net/net-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_netstat ns = { 0 };
	unsigned bad = 0;

	snmp6_parse((const char *)data, size, &ns, &bad);
	free(ns.counters);
	return 0;
}
