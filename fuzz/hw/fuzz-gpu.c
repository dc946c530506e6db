/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-gpu.c - amdgpu pp_dpm_* clock tables and PCI device uevents. */
#include <stdint.h>

#include "hw/hw-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gpu_dpm dpm;
	struct drm_pci pci;

	gpu_dpm_parse((const char *)data, size, &dpm);
	drm_uevent_parse((const char *)data, size, &pci);
	return 0;
}
