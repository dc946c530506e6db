/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-sockdiag.c - NETLINK_SOCK_DIAG TCP dump parser. */
#include <stdint.h>
#include <stdlib.h>

#include "net/net-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_socket_table t = { 0 };

	sockdiag_parse(data, size, &t);
	free(t.s);
	return 0;
}
