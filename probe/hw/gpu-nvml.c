/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * gpu-nvml.c - NVIDIA GPUs through NVML, loaded with dlopen at run time: no
 * build dependency on NVIDIA's headers, the few types and entry points used
 * are declared here as nvml.h defines them.  The library is opened and
 * initialized once (family open), shut down and closed with the probe.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hw-internal.h"

/* nvmlReturn_t values used. */
#define NVML_SUCCESS 0
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_NO_PERMISSION 4
#define NVML_ERROR_DRIVER_NOT_LOADED 9
#define NVML_ERROR_TIMEOUT 10
#define NVML_ERROR_LIBRARY_NOT_FOUND 12
#define NVML_ERROR_FUNCTION_NOT_FOUND 13

/* nvmlTemperatureSensors_t, nvmlClockType_t. */
#define NVML_TEMPERATURE_GPU 0
#define NVML_CLOCK_GRAPHICS 0
#define NVML_CLOCK_SM 1
#define NVML_CLOCK_MEM 2
#define NVML_CLOCK_VIDEO 3

#define NVML_NAME_SIZE 96		/* NVML_DEVICE_NAME_V2_BUFFER_SIZE */
#define NVML_UUID_SIZE 96		/* NVML_DEVICE_UUID_V2_BUFFER_SIZE */
#define NVML_DRIVER_SIZE 80		/* NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE */

typedef int nvml_ret;			/* nvmlReturn_t */
typedef struct nvmlDevice_st *nvml_dev;	/* nvmlDevice_t */

/* nvmlPciInfo_t (the layout of nvmlDeviceGetPciInfo_v3). */
struct nvml_pci {
	char bus_id_legacy[16];
	unsigned domain;
	unsigned bus;
	unsigned device;
	unsigned pci_device_id;
	unsigned pci_subsystem_id;
	char bus_id[32];
};

/* nvmlUtilization_t: percent over the last sample period. */
struct nvml_util {
	unsigned gpu;
	unsigned memory;
};

/* nvmlMemory_t: bytes. */
struct nvml_mem {
	unsigned long long total;
	unsigned long long free;
	unsigned long long used;
};

struct nvml_fns {
	nvml_ret (*init)(void);
	nvml_ret (*shutdown)(void);
	nvml_ret (*count)(unsigned *count);
	nvml_ret (*handle)(unsigned index, nvml_dev *dev);
	const char *(*error)(nvml_ret r);
	nvml_ret (*driver)(char *version, unsigned length);
	nvml_ret (*name)(nvml_dev dev, char *name, unsigned length);
	nvml_ret (*uuid)(nvml_dev dev, char *uuid, unsigned length);
	nvml_ret (*pci)(nvml_dev dev, struct nvml_pci *pci);
	nvml_ret (*util)(nvml_dev dev, struct nvml_util *util);
	nvml_ret (*mem)(nvml_dev dev, struct nvml_mem *mem);
	nvml_ret (*temp)(nvml_dev dev, int sensor, unsigned *celsius);
	nvml_ret (*power)(nvml_dev dev, unsigned *milliwatts);
	nvml_ret (*limit)(nvml_dev dev, unsigned *milliwatts);
	nvml_ret (*clock)(nvml_dev dev, int type, unsigned *mhz);
	nvml_ret (*fan)(nvml_dev dev, unsigned *percent);
	nvml_ret (*energy)(nvml_dev dev, unsigned long long *millijoules);
};

struct nvml_sym {
	const char *name;
	size_t off;		/* in struct nvml_fns */
	bool required;		/* without it NVML is not usable at all */
};

#define SYM(name, field, req) { name, offsetof(struct nvml_fns, field), req }

static const struct nvml_sym syms[] = {
	SYM("nvmlInit_v2", init, true),
	SYM("nvmlShutdown", shutdown, true),
	SYM("nvmlDeviceGetCount_v2", count, true),
	SYM("nvmlDeviceGetHandleByIndex_v2", handle, true),
	SYM("nvmlErrorString", error, false),
	SYM("nvmlSystemGetDriverVersion", driver, false),
	SYM("nvmlDeviceGetName", name, false),
	SYM("nvmlDeviceGetUUID", uuid, false),
	SYM("nvmlDeviceGetPciInfo_v3", pci, false),
	SYM("nvmlDeviceGetUtilizationRates", util, false),
	SYM("nvmlDeviceGetMemoryInfo", mem, false),
	SYM("nvmlDeviceGetTemperature", temp, false),
	SYM("nvmlDeviceGetPowerUsage", power, false),
	SYM("nvmlDeviceGetEnforcedPowerLimit", limit, false),
	SYM("nvmlDeviceGetClockInfo", clock, false),
	SYM("nvmlDeviceGetFanSpeed", fan, false),
	SYM("nvmlDeviceGetTotalEnergyConsumption", energy, false),
};

struct nvml {
	void *lib;
	struct nvml_fns f;
	bool up;			/* initialized: nvmlShutdown due at close */
	uint8_t st;			/* of the device count */
	char why[128];
	char path[96];
	char driver[NVML_DRIVER_SIZE];
	unsigned n;
	nvml_dev *devs;
};

static void nvml_why(struct nvml *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* nvml_why - the reason NVML is not usable (printf-style). */
static void nvml_why(struct nvml *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(n->why, sizeof(n->why), fmt, ap);
	va_end(ap);
}

/* nvml_err - NVML's words for @r. */
static const char *nvml_err(const struct nvml *n, nvml_ret r)
{
	const char *s = n->f.error ? n->f.error(r) : NULL;

	return s ? s : "NVML error";
}

/* nvml_resolve - every entry point; false when a required one is missing. */
static bool nvml_resolve(struct nvml *n)
{
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *sym = dlsym(n->lib, syms[i].name);

		/* A data pointer into a function pointer of the same size. */
		memcpy((char *)&n->f + syms[i].off, &sym, sizeof(sym));
		if (!sym && syms[i].required) {
			n->st = RTLAB_PV_UNSUPPORTED;
			nvml_why(n, "%s: no %s (NVIDIA driver too old?)",
				 n->path, syms[i].name);
			return false;
		}
	}
	return true;
}

/* nvml_start - init, count, handles, driver version. */
static int nvml_start(struct nvml *n)
{
	nvml_ret r = n->f.init();
	unsigned count = 0;

	if (r != NVML_SUCCESS) {
		bool absent = r == NVML_ERROR_DRIVER_NOT_LOADED || r == NVML_ERROR_LIBRARY_NOT_FOUND;

		n->st = absent ? RTLAB_PV_ABSENT : RTLAB_PV_ERROR;
		nvml_why(n, "%s%s: nvmlInit_v2: %s",
			 absent ? "no NVIDIA driver: " : "", n->path, nvml_err(n, r));
		return 0;
	}
	n->up = true;
	r = n->f.count(&count);
	if (r != NVML_SUCCESS) {
		n->st = RTLAB_PV_ERROR;
		nvml_why(n, "%s: nvmlDeviceGetCount_v2: %s", n->path,
			 nvml_err(n, r));
		return 0;
	}
	n->devs = calloc(count ? count : 1, sizeof(*n->devs));
	if (!n->devs)
		return -ENOMEM;
	for (unsigned i = 0; i < count; i++) {
		r = n->f.handle(i, &n->devs[n->n]);
		if (r == NVML_SUCCESS)
			n->n++;
		else if (!n->why[0])
			nvml_why(n, "%s: device %u: %s", n->path, i,
				 nvml_err(n, r));
	}
	if (n->f.driver && n->f.driver(n->driver, sizeof(n->driver)) != NVML_SUCCESS)
		n->driver[0] = '\0';
	n->driver[sizeof(n->driver) - 1] = '\0';
	n->st = RTLAB_PV_OK;
	return 0;
}

/* nvml_open - load, resolve, initialize; a missing library or driver is a state. */
int nvml_open(const char *path, struct nvml **ret)
{
	struct nvml *n = calloc(1, sizeof(*n));
	const char *err;
	int r;

	if (!n)
		return -ENOMEM;
	snprintf(n->path, sizeof(n->path), "%s", path);
	n->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!n->lib) {
		err = dlerror();
		n->st = RTLAB_PV_ABSENT;
		nvml_why(n, "no NVIDIA driver (%s)", err ? err : path);
		*ret = n;
		return 0;
	}
	if (nvml_resolve(n)) {
		r = nvml_start(n);
		if (r < 0) {
			nvml_close(n);
			return r;
		}
	}
	*ret = n;
	return 0;
}

/* nvml_close - shut NVML down, unload it. */
void nvml_close(struct nvml *n)
{
	if (!n)
		return;
	if (n->up && n->f.shutdown)
		n->f.shutdown();
	if (n->lib)
		dlclose(n->lib);
	free(n->devs);
	free(n);
}

/* nvml_count - usable devices. */
unsigned nvml_count(const struct nvml *n)
{
	return n && n->st == RTLAB_PV_OK ? n->n : 0;
}

/* nvml_status - count, driver version and reason into the caller's data. */
void nvml_status(const struct nvml *n, struct rtlab_probe_gpu *g)
{
	if (!n) {
		PV_NA(g->nvml_devices, RTLAB_PV_ABSENT);
		return;
	}
	if (n->st == RTLAB_PV_OK)
		PV_SET(g->nvml_devices, n->n);
	else
		PV_NA(g->nvml_devices, n->st);
	memcpy(g->nvml_driver_version, n->driver, sizeof(g->nvml_driver_version));
	memcpy(g->nvml_why, n->why, sizeof(g->nvml_why));
}

/* nvml_copy - an NVML string into a field (always terminated). */
static void nvml_copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

/* nvml_describe - identity of device @i; the numbers NVML has start NOT_READY. */
void nvml_describe(const struct nvml *n, unsigned i, struct rtlab_gpu_dev *g)
{
	char name[NVML_NAME_SIZE] = "", uuid[NVML_UUID_SIZE] = "";
	struct nvml_pci pci;
	nvml_dev d = n->devs[i];

	nvml_copy(g->vendor, sizeof(g->vendor), "nvidia");
	nvml_copy(g->driver, sizeof(g->driver), "nvidia");
	if (n->f.name && n->f.name(d, name, sizeof(name)) == NVML_SUCCESS) {
		name[sizeof(name) - 1] = '\0';
		nvml_copy(g->name, sizeof(g->name), name);
	}
	if (n->f.uuid && n->f.uuid(d, uuid, sizeof(uuid)) == NVML_SUCCESS) {
		uuid[sizeof(uuid) - 1] = '\0';
		nvml_copy(g->uuid, sizeof(g->uuid), uuid);
	}
	memset(&pci, 0, sizeof(pci));
	if (n->f.pci && n->f.pci(d, &pci) == NVML_SUCCESS) {
		pci.bus_id[sizeof(pci.bus_id) - 1] = '\0';
		nvml_copy(g->bus_id, sizeof(g->bus_id), pci.bus_id);
	}
	gpu_mark(g, RTLAB_PV_UNSUPPORTED);
	PV_NA(g->utilization_ratio, RTLAB_PV_NOT_READY);
	PV_NA(g->memory_utilization_ratio, RTLAB_PV_NOT_READY);
	PV_NA(g->memory_total_bytes, RTLAB_PV_NOT_READY);
	PV_NA(g->memory_used_bytes, RTLAB_PV_NOT_READY);
	PV_NA(g->temperature_celsius, RTLAB_PV_NOT_READY);
	PV_NA(g->power_watts, RTLAB_PV_NOT_READY);
	PV_NA(g->power_limit_watts, RTLAB_PV_NOT_READY);
	PV_NA(g->energy_joules, RTLAB_PV_NOT_READY);
	PV_NA(g->fan_ratio, RTLAB_PV_NOT_READY);
	PV_NA(g->clock_hz[RTLAB_GPU_CLOCK_GRAPHICS], RTLAB_PV_NOT_READY);
	PV_NA(g->clock_hz[RTLAB_GPU_CLOCK_SM], RTLAB_PV_NOT_READY);
	PV_NA(g->clock_hz[RTLAB_GPU_CLOCK_MEMORY], RTLAB_PV_NOT_READY);
	PV_NA(g->clock_hz[RTLAB_GPU_CLOCK_VIDEO], RTLAB_PV_NOT_READY);
}

/* One NVML query's outcome. */
struct nvml_q {
	struct probe_cx *cx;
	const struct nvml *n;
	unsigned i;
};

/* nvml_state - the value state of an NVML return code (a missing entry point: -1). */
static uint8_t nvml_state(nvml_ret r)
{
	switch (r) {
	case NVML_SUCCESS:
		return RTLAB_PV_OK;
	case NVML_ERROR_NOT_SUPPORTED:
	case NVML_ERROR_FUNCTION_NOT_FOUND:
	case -1:
		return RTLAB_PV_UNSUPPORTED;
	case NVML_ERROR_NO_PERMISSION:
		return RTLAB_PV_DENIED;
	case NVML_ERROR_TIMEOUT:
		return RTLAB_PV_TIMEOUT;
	default:
		return RTLAB_PV_ERROR;
	}
}

/* nvml_check - state of @r for query @fn; the reason of a real problem into the why. */
static uint8_t nvml_check(const struct nvml_q *q, nvml_ret r, const char *fn)
{
	uint8_t st = nvml_state(r);

	if (r == -1)
		probe_why(q->cx, "%s: no %s (NVIDIA driver too old?)", q->n->path, fn);
	else if (st != RTLAB_PV_OK && st != RTLAB_PV_UNSUPPORTED)
		probe_why(q->cx, "%s: device %u: %s: %s", q->n->path, q->i, fn,
			  nvml_err(q->n, r));
	return st;
}

/* nvml_f - a double field from an NVML unsigned (@r its return). */
static void nvml_f(const struct nvml_q *q, struct rtlab_pf64 *f, nvml_ret r, const char *fn,
		   double v)
{
	uint8_t st = nvml_check(q, r, fn);

	if (st == RTLAB_PV_OK)
		PV_SET(*f, v);
	else
		PV_NA(*f, st);
}

/* nvml_u - an integer field. */
static void nvml_u(const struct nvml_q *q, struct rtlab_pu64 *f, nvml_ret r, const char *fn,
		   uint64_t v)
{
	uint8_t st = nvml_check(q, r, fn);

	if (st == RTLAB_PV_OK)
		PV_SET(*f, v);
	else
		PV_NA(*f, st);
}

/* nvml_clocks - graphics, SM, memory and video clocks. */
static void nvml_clocks(const struct nvml_q *q, nvml_dev d, struct rtlab_gpu_dev *g)
{
	static const struct {
		int type;
		uint8_t clock;
	} clocks[] = {
		{ NVML_CLOCK_GRAPHICS, RTLAB_GPU_CLOCK_GRAPHICS },
		{ NVML_CLOCK_SM, RTLAB_GPU_CLOCK_SM },
		{ NVML_CLOCK_MEM, RTLAB_GPU_CLOCK_MEMORY },
		{ NVML_CLOCK_VIDEO, RTLAB_GPU_CLOCK_VIDEO },
	};
	unsigned mhz = 0;

	for (size_t k = 0; k < sizeof(clocks) / sizeof(clocks[0]); k++) {
		nvml_ret r = q->n->f.clock ? q->n->f.clock(d, clocks[k].type, &mhz) : -1;

		nvml_u(q, &g->clock_hz[clocks[k].clock], r, "nvmlDeviceGetClockInfo",
		       (uint64_t)mhz * 1000000);
	}
}

/* nvml_read - the numbers of device @i: one NVML call each. */
void nvml_read(struct probe_cx *cx, const struct nvml *n, unsigned i, struct rtlab_gpu_dev *g)
{
	const struct nvml_fns *f = &n->f;
	const struct nvml_q q = { .cx = cx, .n = n, .i = i };
	nvml_dev d = n->devs[i];
	struct nvml_util util = { 0 };
	struct nvml_mem mem = { 0 };
	unsigned long long mj = 0;
	unsigned v = 0;
	nvml_ret r;

	r = f->util ? f->util(d, &util) : -1;
	nvml_f(&q, &g->utilization_ratio, r, "nvmlDeviceGetUtilizationRates", util.gpu / 100.0);
	nvml_f(&q, &g->memory_utilization_ratio, r, "nvmlDeviceGetUtilizationRates",
	       util.memory / 100.0);
	r = f->mem ? f->mem(d, &mem) : -1;
	nvml_u(&q, &g->memory_total_bytes, r, "nvmlDeviceGetMemoryInfo", mem.total);
	nvml_u(&q, &g->memory_used_bytes, r, "nvmlDeviceGetMemoryInfo", mem.used);
	r = f->temp ? f->temp(d, NVML_TEMPERATURE_GPU, &v) : -1;
	nvml_f(&q, &g->temperature_celsius, r, "nvmlDeviceGetTemperature", v);
	r = f->power ? f->power(d, &v) : -1;
	nvml_f(&q, &g->power_watts, r, "nvmlDeviceGetPowerUsage", v * 1e-3);
	r = f->limit ? f->limit(d, &v) : -1;
	nvml_f(&q, &g->power_limit_watts, r, "nvmlDeviceGetEnforcedPowerLimit", v * 1e-3);
	r = f->fan ? f->fan(d, &v) : -1;
	nvml_f(&q, &g->fan_ratio, r, "nvmlDeviceGetFanSpeed", v / 100.0);
	r = f->energy ? f->energy(d, &mj) : -1;
	nvml_f(&q, &g->energy_joules, r, "nvmlDeviceGetTotalEnergyConsumption", (double)mj * 1e-3);
	nvml_clocks(&q, d, g);
}
