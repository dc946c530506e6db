/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fake-nvml.c - a stand-in for libnvidia-ml for the gpu family's tests: the
 * entry points the probe uses, with NVML's signatures, answering fixed values
 * for two devices.  Device 0 has no fan (nvmlDeviceGetFanSpeed answers
 * NVML_ERROR_NOT_SUPPORTED, as on data-center boards).  Built three ways:
 * complete; -DFAKE_NVML_NO_ENERGY, without nvmlDeviceGetTotalEnergyConsumption
 * (an old driver); -DFAKE_NVML_NO_INIT, without nvmlInit_v2.  The environment
 * variable FAKE_NVML_INIT_ERROR makes nvmlInit_v2 answer that code.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define API __attribute__((visibility("default")))

typedef int nvmlReturn_t;
typedef struct nvmlDevice_st *nvmlDevice_t;

#define NVML_SUCCESS 0
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_INSUFFICIENT_SIZE 7

typedef struct {
	char busIdLegacy[16];
	unsigned int domain;
	unsigned int bus;
	unsigned int device;
	unsigned int pciDeviceId;
	unsigned int pciSubSystemId;
	char busId[32];
} nvmlPciInfo_t;

typedef struct {
	unsigned int gpu;
	unsigned int memory;
} nvmlUtilization_t;

typedef struct {
	unsigned long long total;
	unsigned long long free;
	unsigned long long used;
} nvmlMemory_t;

struct fake_dev {
	const char *name;
	const char *uuid;
	const char *bus_id;
	unsigned bus;
	unsigned util_gpu, util_mem;
	unsigned long long mem_total, mem_used;
	unsigned temp, power_mw, limit_mw;
	unsigned clocks[4];	/* graphics, SM, memory, video (MHz) */
	int fan;		/* percent, -1: not supported */
	unsigned long long energy_mj;
};

static const struct fake_dev devs[] = {
	{ "Fake NVIDIA A100-SXM4-40GB", "GPU-0f0e0d0c-0b0a-0908-0706-050403020100",
	  "00000000:17:00.0", 0x17, 42, 17, 42949672960ULL, 10737418240ULL, 55, 123456, 400000,
	  { 1410, 1410, 1215, 1275 }, -1, 987654321ULL },
	{ "Fake NVIDIA GeForce RTX 4090", "GPU-11111111-2222-3333-4444-555555555555",
	  "00000000:65:00.0", 0x65, 7, 3, 25769803776ULL, 1073741824ULL, 38, 31000, 450000,
	  { 210, 210, 405, 555 }, 30, 12345678ULL },
};

#define NDEVS (sizeof(devs) / sizeof(devs[0]))

/* dev - the device behind a handle (handles are index + 1), or NULL. */
static const struct fake_dev *dev(nvmlDevice_t d)
{
	uintptr_t i = (uintptr_t)d;

	return i >= 1 && i <= NDEVS ? &devs[i - 1] : NULL;
}

/* copy - a string into an NVML buffer. */
static nvmlReturn_t copy(char *dst, unsigned len, const char *src)
{
	if (!dst || strlen(src) + 1 > len)
		return NVML_ERROR_INSUFFICIENT_SIZE;
	memcpy(dst, src, strlen(src) + 1);
	return NVML_SUCCESS;
}

#ifndef FAKE_NVML_NO_INIT
API nvmlReturn_t nvmlInit_v2(void);

/* nvmlInit_v2 - success, or the code in FAKE_NVML_INIT_ERROR. */
API nvmlReturn_t nvmlInit_v2(void)
{
	const char *e = getenv("FAKE_NVML_INIT_ERROR");

	return e ? atoi(e) : NVML_SUCCESS;
}
#endif

API nvmlReturn_t nvmlShutdown(void);
API nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count);
API nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *d);
API const char *nvmlErrorString(nvmlReturn_t r);
API nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length);
API nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t d, char *name, unsigned int length);
API nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t d, char *uuid, unsigned int length);
API nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t d, nvmlPciInfo_t *pci);
API nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t d, nvmlUtilization_t *u);
API nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t d, nvmlMemory_t *m);
API nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t d, int sensor, unsigned int *t);
API nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t d, unsigned int *mw);
API nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t d, unsigned int *mw);
API nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t d, int type, unsigned int *mhz);
API nvmlReturn_t nvmlDeviceGetFanSpeed(nvmlDevice_t d, unsigned int *speed);

/* nvmlShutdown - nothing to release. */
API nvmlReturn_t nvmlShutdown(void)
{
	return NVML_SUCCESS;
}

/* nvmlDeviceGetCount_v2 - two devices. */
API nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count)
{
	*count = NDEVS;
	return NVML_SUCCESS;
}

/* nvmlDeviceGetHandleByIndex_v2 - handles are index + 1. */
API nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *d)
{
	if (index >= NDEVS)
		return NVML_ERROR_INVALID_ARGUMENT;
	*d = (nvmlDevice_t)(uintptr_t)(index + 1);
	return NVML_SUCCESS;
}

/* nvmlErrorString - words for the codes used. */
API const char *nvmlErrorString(nvmlReturn_t r)
{
	switch (r) {
	case NVML_SUCCESS:
		return "Success";
	case NVML_ERROR_NOT_SUPPORTED:
		return "Not Supported";
	case 9:
		return "Driver Not Loaded";
	default:
		return "Unknown Error";
	}
}

/* nvmlSystemGetDriverVersion - a fixed version. */
API nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length)
{
	return copy(version, length, "550.54.14");
}

/* nvmlDeviceGetName - the product name. */
API nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t d, char *name, unsigned int length)
{
	return dev(d) ? copy(name, length, dev(d)->name) : NVML_ERROR_INVALID_ARGUMENT;
}

/* nvmlDeviceGetUUID - the device UUID. */
API nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t d, char *uuid, unsigned int length)
{
	return dev(d) ? copy(uuid, length, dev(d)->uuid) : NVML_ERROR_INVALID_ARGUMENT;
}

/* nvmlDeviceGetPciInfo_v3 - the bus id (nvmlPciInfo_t v3 layout). */
API nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t d, nvmlPciInfo_t *pci)
{
	const struct fake_dev *f = dev(d);

	if (!f)
		return NVML_ERROR_INVALID_ARGUMENT;
	memset(pci, 0, sizeof(*pci));
	snprintf(pci->busIdLegacy, sizeof(pci->busIdLegacy), "0000:%02x:00.0", f->bus);
	pci->bus = f->bus;
	pci->pciDeviceId = 0x20b010de;
	copy(pci->busId, sizeof(pci->busId), f->bus_id);
	return NVML_SUCCESS;
}

/* nvmlDeviceGetUtilizationRates - GPU and memory busy percent. */
API nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t d, nvmlUtilization_t *u)
{
	if (!dev(d))
		return NVML_ERROR_INVALID_ARGUMENT;
	u->gpu = dev(d)->util_gpu;
	u->memory = dev(d)->util_mem;
	return NVML_SUCCESS;
}

/* nvmlDeviceGetMemoryInfo - framebuffer bytes. */
API nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t d, nvmlMemory_t *m)
{
	if (!dev(d))
		return NVML_ERROR_INVALID_ARGUMENT;
	m->total = dev(d)->mem_total;
	m->used = dev(d)->mem_used;
	m->free = m->total - m->used;
	return NVML_SUCCESS;
}

/* nvmlDeviceGetTemperature - the GPU sensor (0) only. */
API nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t d, int sensor, unsigned int *t)
{
	if (!dev(d) || sensor != 0)
		return NVML_ERROR_INVALID_ARGUMENT;
	*t = dev(d)->temp;
	return NVML_SUCCESS;
}

/* nvmlDeviceGetPowerUsage - milliwatts. */
API nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t d, unsigned int *mw)
{
	if (!dev(d))
		return NVML_ERROR_INVALID_ARGUMENT;
	*mw = dev(d)->power_mw;
	return NVML_SUCCESS;
}

/* nvmlDeviceGetEnforcedPowerLimit - milliwatts. */
API nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t d, unsigned int *mw)
{
	if (!dev(d))
		return NVML_ERROR_INVALID_ARGUMENT;
	*mw = dev(d)->limit_mw;
	return NVML_SUCCESS;
}

/* nvmlDeviceGetClockInfo - MHz of graphics, SM, memory, video. */
API nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t d, int type, unsigned int *mhz)
{
	if (!dev(d) || type < 0 || type > 3)
		return NVML_ERROR_INVALID_ARGUMENT;
	*mhz = dev(d)->clocks[type];
	return NVML_SUCCESS;
}

/* nvmlDeviceGetFanSpeed - percent; device 0 has no fan. */
API nvmlReturn_t nvmlDeviceGetFanSpeed(nvmlDevice_t d, unsigned int *speed)
{
	if (!dev(d))
		return NVML_ERROR_INVALID_ARGUMENT;
	if (dev(d)->fan < 0)
		return NVML_ERROR_NOT_SUPPORTED;
	*speed = (unsigned)dev(d)->fan;
	return NVML_SUCCESS;
}

#ifndef FAKE_NVML_NO_ENERGY
API nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t d, unsigned long long *mj);

/* nvmlDeviceGetTotalEnergyConsumption - millijoules since load. */
API nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t d, unsigned long long *mj)
{
	if (!dev(d))
		return NVML_ERROR_INVALID_ARGUMENT;
	*mj = dev(d)->energy_mj;
	return NVML_SUCCESS;
}
#endif
