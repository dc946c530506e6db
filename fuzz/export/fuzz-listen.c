/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-listen.c - listen addresses ("HOST:PORT", "[IPv6]:PORT", ":PORT"): any
 * input is refused or parsed, and what is parsed formats to text that parses
 * to the same address.
 */
#include <stdlib.h>
#include <string.h>

#include <rtlab/probe-export.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_listen_addr a, b;
	char *s = malloc(size + 1), text[80];

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (rtlab_listen_parse(s, &a) == 0 &&
	    (rtlab_sockaddr_format((struct sockaddr *)&a.ss, a.len, text, sizeof(text)) < 0 ||
	     rtlab_listen_parse(text, &b) != 0 || a.len != b.len ||
	     memcmp(&a.ss, &b.ss, a.len) != 0))
		abort();
	free(s);
	return 0;
}
