/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-gpu.c - the gpu family from sysfs: an amdgpu card, an i915 and an xe
 * card on the amdgpu tree; power from an energy counter; damaged files; no
 * NVIDIA library on this machine ("no NVIDIA driver").
 */
#include <unistd.h>

#include "../test-probe.h"
#include "hw-test.h"

/* The amdgpu card: busy, memory, clocks from the pp_dpm tables, its hwmon. */
Test(gpu, amdgpu_card)
{
	struct rtlab_probe *p = probe_fixture("amdgpu");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_gpu_dev *g = NULL;

	collect_one(p, RTLAB_PF_GPU, d);
	cr_assert_eq(d->err[RTLAB_PF_GPU], 0);
	cr_assert_eq(d->gpu.drm_st, RTLAB_PV_OK);
	cr_assert_eq(d->gpu.ngpus, 3, "card0-DP-1 and renderD128 are not cards");
	g = &d->gpu.gpus[0];
	cr_assert_eq(g->index, 0);
	cr_assert_str_eq(g->vendor, "amd");
	cr_assert_str_eq(g->driver, "amdgpu");
	cr_assert_str_eq(g->card, "card0");
	cr_assert_str_eq(g->bus_id, "0000:03:00.0");
	cr_assert_str_eq(g->name, "1002:73bf");
	cr_assert_str_eq(g->uuid, "2c5e1d8a3b4f7e90");
	cr_assert_str_eq(g->memory_vendor, "samsung");
	cr_assert_str_eq(g->performance_level, "auto");
	cr_assert_float_eq(g->utilization_ratio.v, 0.23, 1e-12);
	cr_assert_float_eq(g->memory_utilization_ratio.v, 0.08, 1e-12);
	cr_assert_eq(g->memory_total_bytes.v, 17163091968ULL);
	cr_assert_eq(g->memory_used_bytes.v, 1345429504ULL);
	cr_assert_eq(g->vis_vram_total_bytes.v, 268435456ULL);
	cr_assert_eq(g->vis_vram_used_bytes.v, 41943040ULL);
	cr_assert_eq(g->gtt_total_bytes.v, 16794447872ULL);
	cr_assert_eq(g->gtt_used_bytes.v, 21590016ULL);
	cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_GRAPHICS].v, 1400000000ULL);
	cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_MEMORY].v, 1000000000ULL);
	cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_MIN].v, 500000000ULL);
	cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_MAX].v, 2615000000ULL);
	cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_SM].st, RTLAB_PV_UNSUPPORTED);
	cr_assert_float_eq(g->temperature_celsius.v, 45.0, 1e-12);
	cr_assert_float_eq(g->power_watts.v, 38.0, 1e-12);
	cr_assert_float_eq(g->power_limit_watts.v, 255.0, 1e-12);
	cr_assert_float_eq(g->fan_rpm.v, 1250, 0);
	cr_assert_eq(g->fan_ratio.st, RTLAB_PV_UNSUPPORTED);
	cr_assert_eq(g->energy_joules.st, RTLAB_PV_UNSUPPORTED);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* i915 (card-level files) and xe (tile0/gt0/freq0): clocks and idle residency. */
Test(gpu, intel_cards)
{
	struct rtlab_probe *p = probe_fixture("amdgpu");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_gpu_dev *g;

	collect_one(p, RTLAB_PF_GPU, d);
	g = &d->gpu.gpus[1];
	cr_assert_str_eq(g->vendor, "intel");
	cr_assert_str_eq(g->driver, "i915");
	cr_assert_str_eq(g->bus_id, "0000:00:02.0");
	cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_GRAPHICS].v, 400000000ULL);
	cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_ACTUAL].v, 350000000ULL);
	cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_MIN].v, 100000000ULL);
	cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_MAX].v, 1300000000ULL);
	cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_BOOST].v, 1300000000ULL);
	cr_assert_float_eq(g->idle_residency_seconds.v, 81234.567, 1e-9);
	cr_assert_eq(g->utilization_ratio.st, RTLAB_PV_UNSUPPORTED);
	cr_assert_eq(g->temperature_celsius.st, RTLAB_PV_UNSUPPORTED);
	g = &d->gpu.gpus[2];
	cr_assert_str_eq(g->driver, "xe");
	cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_GRAPHICS].v, 2450000000ULL);
	cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_ACTUAL].v, 2400000000ULL);
	cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_MAX].v, 2850000000ULL);
	cr_assert_float_eq(g->idle_residency_seconds.v, 5123.456, 1e-9);
	cr_assert_float_eq(g->temperature_celsius.v, 46.0, 1e-12, "the lowest tempN: temp2");
	cr_assert_float_eq(g->energy_joules.v, 912.345678, 1e-9);
	cr_assert_float_eq(g->power_limit_watts.v, 190.0, 1e-12);
	cr_assert_eq(g->power_watts.st, RTLAB_PV_NOT_READY, "power from energy needs two readings");
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* The samples: rtlab_gpu_* for every card, node_exporter's drm metrics for amdgpu only. */
Test(gpu, metrics)
{
	struct rtlab_probe *p = probe_fixture("amdgpu");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct capture c = { 0 };

	collect_one(p, RTLAB_PF_GPU, d);
	capture_family(&c, d, RTLAB_PF_GPU);
	cr_assert_float_eq(cap_value(&c, "rtlab_gpu_info{bus_id=\"0000:04:00.0\",card=\"card2\","
				      "driver=\"xe\",gpu=\"2\",name=\"8086:e20b\",uuid=\"\","
				      "vendor=\"intel\"}"),
			   1, 0);
	cr_assert_float_eq(cap_value(&c, "rtlab_gpu_utilization_ratio{gpu=\"0\",vendor=\"amd\"}"),
			   0.23, 1e-12);
	cr_assert_float_eq(cap_value(&c, "rtlab_gpu_memory_used_bytes{gpu=\"0\",vendor=\"amd\"}"),
			   1345429504.0, 0);
	cr_assert_float_eq(cap_value(&c, "rtlab_gpu_clock_hertz{clock=\"graphics\",gpu=\"0\","
				      "vendor=\"amd\"}"),
			   1.4e9, 0);
	cr_assert_eq(cap_state(&c, "rtlab_gpu_utilization_ratio{gpu=\"1\",vendor=\"intel\"}"),
		     RTLAB_PV_UNSUPPORTED);
	cr_assert_float_eq(cap_value(&c, "node_drm_gpu_busy_percent{card=\"card0\"}"), 23, 1e-9);
	cr_assert_float_eq(cap_value(&c, "node_drm_memory_vram_size_bytes{card=\"card0\"}"),
			   17163091968.0, 0);
	cr_assert_float_eq(cap_value(&c, "node_drm_card_info{card=\"card0\","
				      "memory_vendor=\"samsung\",power_performance_level=\"auto\","
				      "unique_id=\"2c5e1d8a3b4f7e90\",vendor=\"amd\"}"),
			   1, 0);
	cr_assert_null(cap_find(&c, "node_drm_gpu_busy_percent{card=\"card1\"}"));
	capture_free(&c);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* No libnvidia-ml here: NVIDIA GPUs ABSENT, "no NVIDIA driver", the rest still collected. */
Test(gpu, no_nvidia_driver)
{
	struct rtlab_probe *p = probe_fixture("amdgpu");
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	if (access("/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1", F_OK) == 0)
		cr_skip_test("an NVIDIA library is installed on this machine");
	collect_one(p, RTLAB_PF_GPU, d);
	cr_assert_eq(d->gpu.nvml_devices.st, RTLAB_PV_ABSENT);
	cr_assert(strstr(d->gpu.nvml_why, "no NVIDIA driver"), "%s", d->gpu.nvml_why);
	cr_assert_str_eq(d->gpu.nvml_driver_version, "");
	cr_assert_eq(d->err[RTLAB_PF_GPU], 0);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* xe_tree - a temporary tree with an xe card whose hwmon has only an energy counter. */
static void xe_tree(char *root, size_t size)
{
	tree_new(root, size);
	tree_put(root, "/sys/class/drm/card0/device/uevent",
		 "DRIVER=xe\nPCI_ID=8086:E20B\nPCI_SLOT_NAME=0000:04:00.0\n");
	tree_put(root, "/sys/class/drm/card0/device/tile0/gt0/freq0/cur_freq", "1200\n");
	tree_put(root, "/sys/class/drm/card0/device/hwmon/hwmon3/energy1_input", "1000000\n");
}

/* Power from the energy counter's delta on the second reading. */
Test(gpu, power_from_energy)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_gpu_dev *g;
	uint64_t t0;

	xe_tree(root, sizeof(root));
	p = probe_at(root, NULL);
	collect_one(p, RTLAB_PF_GPU, d);
	g = &d->gpu.gpus[0];
	cr_assert_eq(g->power_watts.st, RTLAB_PV_NOT_READY);
	t0 = g->prev_ns;
	tree_put(root, "/sys/class/drm/card0/device/hwmon/hwmon3/energy1_input", "3000000\n");
	usleep(10 * 1000);
	collect_one(p, RTLAB_PF_GPU, d);
	g = &d->gpu.gpus[0];
	cr_assert_eq(g->power_watts.st, RTLAB_PV_OK);
	cr_assert_float_eq(g->power_watts.v, 2.0 / ((double)(g->prev_ns - t0) * 1e-9), 1e-9);
	cr_assert_float_eq(g->energy_joules.v, 3.0, 1e-12);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* Damaged files: MALFORMED with the file named, the others still read. */
Test(gpu, damaged_files)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_gpu_dev *g;

	tree_new(root, sizeof(root));
	tree_put(root, "/sys/class/drm/card0/device/uevent", "DRIVER=amdgpu\nPCI_ID=1002:7");
	tree_put(root, "/sys/class/drm/card0/device/gpu_busy_percent", "abc\n");
	tree_put(root, "/sys/class/drm/card0/device/mem_info_vram_used", "-5\n");
	tree_put(root, "/sys/class/drm/card0/device/pp_dpm_sclk", "garbage\n");
	tree_put(root, "/sys/class/drm/card0/device/pp_dpm_mclk", "0: 100Mhz *\n");
	p = probe_at(root, NULL);
	collect_one(p, RTLAB_PF_GPU, d);
	cr_assert_eq(d->gpu.ngpus, 1);
	g = &d->gpu.gpus[0];
	cr_assert_str_eq(g->vendor, "amd");
	cr_assert_eq(g->utilization_ratio.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(g->memory_used_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(g->memory_total_bytes.st, RTLAB_PV_UNSUPPORTED);
	cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_GRAPHICS].st, RTLAB_PV_MALFORMED);
	cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_MIN].st, RTLAB_PV_MALFORMED);
	cr_assert_eq(g->clock_hz[RTLAB_GPU_CLOCK_MEMORY].v, 100000000ULL);
	cr_assert(strstr(d->why[RTLAB_PF_GPU],
			 "/sys/class/drm/card0/device/gpu_busy_percent:1: malformed value \"abc\""),
		  "%s", d->why[RTLAB_PF_GPU]);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* No DRM class at all (the vm tree): no GPU, said so. */
Test(gpu, vm_tree)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	collect_one(p, RTLAB_PF_GPU, d);
	cr_assert_eq(d->gpu.ngpus, 0);
	cr_assert_eq(d->gpu.drm_st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->err[RTLAB_PF_GPU], 0);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* The rescan re-reads the static files (totals, limits): a changed one is seen, others kept. */
Test(gpu, rescan_rereads_static_files, .timeout = 30)
{
	char root[PATH_MAX];
	struct rtlab_probe_opts o = { .ttl_slow_ns = 1 };
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	tree_new(root, sizeof(root));
	tree_put(root, "/sys/class/drm/card0/device/uevent", "DRIVER=amdgpu\nPCI_ID=1002:73BF\n");
	tree_put(root, "/sys/class/drm/card0/device/mem_info_vram_total", "1000\n");
	tree_put(root, "/sys/class/drm/card0/device/mem_info_gtt_total", "2000\n");
	tree_put(root, "/sys/class/drm/card0/device/mem_info_vram_used", "10\n");
	p = probe_at(root, &o);
	collect_one(p, RTLAB_PF_GPU, d);
	cr_assert_eq(d->gpu.gpus[0].memory_total_bytes.v, 1000);
	tree_put(root, "/sys/class/drm/card0/device/mem_info_gtt_total", "3000\n");
	usleep(1100 * 1000);
	collect_one(p, RTLAB_PF_GPU, d);
	cr_assert_eq(d->gpu.gpus[0].memory_total_bytes.st, RTLAB_PV_OK);
	cr_assert_eq(d->gpu.gpus[0].memory_total_bytes.v, 1000);
	cr_assert_eq(d->gpu.gpus[0].gtt_total_bytes.v, 3000);
	cr_assert_eq(d->gpu.gpus[0].memory_used_bytes.v, 10);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}
