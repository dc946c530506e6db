/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-environ.c - environ blocks, key="value" files and container ids. */
#include <stdint.h>

#include "env/env-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one input through every parser of this target. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "HOSTNAME", "container", "engine", "name", "", "=" };
	const char *buf = (const char *)data, *v;
	char id[80];
	size_t vl;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (env_get(buf, size, keys[i], &v, &vl) && vl && v[vl - 1] == 0x7f)
			return 0;
		if (env_kv_quoted(buf, size, keys[i], &v, &vl) && vl && v[vl - 1] == 0x7f)
			return 0;
	}
	env_hex_id(buf, size, id, sizeof(id));
	return 0;
}
