/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-power-supply.c - a power supply's uevent, then what is derived from it. */
#include <stdint.h>
#include <string.h>

#include "hw/hw-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtlab_power_supply ps;

	memset(&ps, 0, sizeof(ps));
	power_supply_parse((const char *)data, size, &ps);
	power_supply_derive(&ps);
	return 0;
}
