/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-netlink.c - rtnetlink RTM_NEWLINK/RTM_NEWADDR dump parser. */
#include <stdint.h>
#include <stdlib.h>

#include "net/net-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_net n = { 0 };

	net_nl_parse(data, size, &n);
	free(n.ifaces);
	free(n.addrs);
	return 0;
}
