/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-sockets.c - the /proc/net socket table parsers (counting and listing), every protocol. */
#include <stdint.h>
#include <stdlib.h>

#include "net/net-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_probe_sockets so = { 0 };
	struct rtlab_socket_table t = { 0 };
	unsigned bad = 0;

	for (int proto = 0; proto < RTLAB_SOCK__COUNT; proto++) {
		sock_count_parse((const char *)data, size, proto, &so, &bad);
		sock_table_parse((const char *)data, size, proto, &t, &bad);
	}
	free(t.s);
	return 0;
}
