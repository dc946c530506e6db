/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-nvml.c - NVIDIA GPUs through NVML: a fake libnvidia-ml (fake-nvml.c)
 * with two devices, one answering NOT_SUPPORTED for its fan; a library that
 * is not there; libraries lacking an entry point; nvmlInit_v2 failing.
 */
#include "../test-probe.h"
#include "hw-test.h"

/* nvml_probe - a probe of the fixture tree @tree with NVML from @lib. */
static struct rtlab_probe *nvml_probe(const char *tree, const char *lib)
{
	struct rtlab_probe_opts o = { .nvml_path = lib };
	char root[PATH_MAX];

	return probe_at(fixture_root(tree, root, sizeof(root)), &o);
}

/* Two devices, every value the fake gives, the fan NVML does not support on the first. */
Test(nvml, fake_library_values)
{
	struct rtlab_probe *p = nvml_probe("laptop", FAKE_NVML_PATH);
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_gpu_dev *g;

	for (int round = 0; round < 2; round++) {
		collect_one(p, RTLAB_PF_GPU, d);
		cr_assert_eq(d->gpu.nvml_devices.st, RTLAB_PV_OK, "%s", d->gpu.nvml_why);
		cr_assert_eq(d->gpu.nvml_devices.v, 2);
		cr_assert_str_eq(d->gpu.nvml_driver_version, "550.54.14");
		cr_assert_eq(d->gpu.ngpus, 2);
		cr_assert_str_eq(d->why[RTLAB_PF_GPU], "");
		g = &d->gpu.gpus[0];
		cr_assert_eq(g->index, 0);
		cr_assert_str_eq(g->vendor, "nvidia");
		cr_assert_str_eq(g->driver, "nvidia");
		cr_assert_str_eq(g->name, "Fake NVIDIA A100-SXM4-40GB");
		cr_assert_str_eq(g->uuid, "GPU-0f0e0d0c-0b0a-0908-0706-050403020100");
		cr_assert_str_eq(g->bus_id, "00000000:17:00.0");
		cr_assert_str_eq(g->card, "");
		cr_assert_float_eq(g->utilization_ratio.v, 0.42, 1e-12);
		cr_assert_float_eq(g->memory_utilization_ratio.v, 0.17, 1e-12);
		cr_assert_eq(g->memory_total_bytes.v, 42949672960ULL);
		cr_assert_eq(g->memory_used_bytes.v, 10737418240ULL);
		cr_assert_float_eq(g->temperature_celsius.v, 55.0, 1e-12);
		cr_assert_float_eq(g->power_watts.v, 123.456, 1e-9);
		cr_assert_float_eq(g->power_limit_watts.v, 400.0, 1e-9);
		cr_assert_float_eq(g->energy_joules.v, 987654.321, 1e-6);
		cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_GRAPHICS].v, 1410000000ULL);
		cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_SM].v, 1410000000ULL);
		cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_MEMORY].v, 1215000000ULL);
		cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_VIDEO].v, 1275000000ULL);
		/* NVML_ERROR_NOT_SUPPORTED: that field only. */
		cr_assert_eq(g->fan_ratio.st, RTLAB_PV_UNSUPPORTED);
		/* What NVML does not have at all. */
		cr_assert_eq(g->gtt_used_bytes.st, RTLAB_PV_UNSUPPORTED);
		cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_BOOST].st, RTLAB_PV_UNSUPPORTED);
		g = &d->gpu.gpus[1];
		cr_assert_eq(g->index, 1);
		cr_assert_str_eq(g->name, "Fake NVIDIA GeForce RTX 4090");
		cr_assert_float_eq(g->fan_ratio.v, 0.30, 1e-12);
		cr_assert_eq(g->fan_ratio.st, RTLAB_PV_OK);
		cr_assert_eq(g->memory_used_bytes.v, 1073741824ULL);
	}
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* The samples: identity in rtlab_gpu_info, units converted, the unsupported fan travels. */
Test(nvml, fake_library_metrics)
{
	struct rtlab_probe *p = nvml_probe("laptop", FAKE_NVML_PATH);
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct capture c = { 0 };

	collect_one(p, RTLAB_PF_GPU, d);
	capture_family(&c, d, RTLAB_PF_GPU);
	cr_assert_float_eq(cap_value(&c, "rtlab_gpu_nvml_devices{vendor=\"nvidia\"}"), 2, 0);
	cr_assert_float_eq(cap_value(&c, "rtlab_gpu_info{bus_id=\"00000000:65:00.0\",card=\"\","
				      "driver=\"nvidia\",gpu=\"1\","
				      "name=\"Fake NVIDIA GeForce RTX 4090\","
				      "uuid=\"GPU-11111111-2222-3333-4444-555555555555\","
				      "vendor=\"nvidia\"}"),
			   1, 0);
	cr_assert_float_eq(cap_value(&c, "rtlab_gpu_power_watts{gpu=\"1\",vendor=\"nvidia\"}"), 31.0,
			   1e-9);
	cr_assert_float_eq(cap_value(&c, "rtlab_gpu_clock_hertz{clock=\"memory\",gpu=\"1\","
				      "vendor=\"nvidia\"}"),
			   405e6, 0);
	cr_assert_eq(cap_state(&c, "rtlab_gpu_fan_ratio{gpu=\"0\",vendor=\"nvidia\"}"),
		     RTLAB_PV_UNSUPPORTED);
	capture_free(&c);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* DRM cards first, NVML's devices after them, indexes in one sequence. */
Test(nvml, with_drm_cards)
{
	struct rtlab_probe *p = nvml_probe("amdgpu", FAKE_NVML_PATH);
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	collect_one(p, RTLAB_PF_GPU, d);
	cr_assert_eq(d->gpu.ngpus, 5);
	cr_assert_str_eq(d->gpu.gpus[0].driver, "amdgpu");
	cr_assert_str_eq(d->gpu.gpus[3].vendor, "nvidia");
	cr_assert_eq(d->gpu.gpus[4].index, 4);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* No library: "no NVIDIA driver", ABSENT, and the DRM cards still listed. */
Test(nvml, missing_library)
{
	struct rtlab_probe *p = nvml_probe("amdgpu", "/nonexistent/libnvidia-ml.so.1");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct capture c = { 0 };

	collect_one(p, RTLAB_PF_GPU, d);
	cr_assert_eq(d->gpu.nvml_devices.st, RTLAB_PV_ABSENT);
	cr_assert(strstr(d->gpu.nvml_why, "no NVIDIA driver"), "%s", d->gpu.nvml_why);
	cr_assert(strstr(d->why[RTLAB_PF_GPU], "no NVIDIA driver"), "%s", d->why[RTLAB_PF_GPU]);
	cr_assert_eq(d->err[RTLAB_PF_GPU], 0);
	cr_assert_eq(d->gpu.ngpus, 3);
	capture_family(&c, d, RTLAB_PF_GPU);
	cr_assert_eq(cap_state(&c, "rtlab_gpu_nvml_devices{vendor=\"nvidia\"}"), RTLAB_PV_ABSENT);
	capture_free(&c);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* An old library without an optional entry point: that field UNSUPPORTED, named in the why. */
Test(nvml, library_lacking_an_optional_symbol)
{
	struct rtlab_probe *p = nvml_probe("laptop", FAKE_NVML_NO_ENERGY_PATH);
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	collect_one(p, RTLAB_PF_GPU, d);
	cr_assert_eq(d->gpu.nvml_devices.st, RTLAB_PV_OK, "%s", d->gpu.nvml_why);
	cr_assert_eq(d->gpu.ngpus, 2);
	for (size_t i = 0; i < 2; i++) {
		cr_assert_eq(d->gpu.gpus[i].energy_joules.st, RTLAB_PV_UNSUPPORTED);
		cr_assert_eq(d->gpu.gpus[i].power_watts.st, RTLAB_PV_OK);
	}
	cr_assert(strstr(d->why[RTLAB_PF_GPU], "nvmlDeviceGetTotalEnergyConsumption"), "%s",
		  d->why[RTLAB_PF_GPU]);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* Without nvmlInit_v2 nothing can be used: UNSUPPORTED with the symbol named. */
Test(nvml, library_lacking_init)
{
	struct rtlab_probe *p = nvml_probe("laptop", FAKE_NVML_NO_INIT_PATH);
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	collect_one(p, RTLAB_PF_GPU, d);
	cr_assert_eq(d->gpu.nvml_devices.st, RTLAB_PV_UNSUPPORTED);
	cr_assert(strstr(d->gpu.nvml_why, "nvmlInit_v2"), "%s", d->gpu.nvml_why);
	cr_assert_eq(d->gpu.ngpus, 0);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* A library but no driver loaded: ABSENT, "no NVIDIA driver" and NVML's words. */
Test(nvml, driver_not_loaded)
{
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	cr_assert_eq(setenv("FAKE_NVML_INIT_ERROR", "9", 1), 0);
	p = nvml_probe("laptop", FAKE_NVML_PATH);
	collect_one(p, RTLAB_PF_GPU, d);
	cr_assert_eq(d->gpu.nvml_devices.st, RTLAB_PV_ABSENT);
	cr_assert(strstr(d->gpu.nvml_why, "no NVIDIA driver"), "%s", d->gpu.nvml_why);
	cr_assert(strstr(d->gpu.nvml_why, "Driver Not Loaded"), "%s", d->gpu.nvml_why);
	rtlab_probe_free(p);
	unsetenv("FAKE_NVML_INIT_ERROR");
	rtlab_probe_data_free(d);
}
