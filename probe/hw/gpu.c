/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gpu.c - the gpu family: DRM cards (amdgpu, i915, xe) from sysfs, NVIDIA GPUs from NVML. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hw-internal.h"

/* gpu_open - load NVML once (the nvml_path option); sysfs is opened by the first collection. */
static int gpu_open(struct rtlab_probe *p, void **state)
{
	struct gpu_state *s = calloc(1, sizeof(*s));
	int r;

	if (!s)
		return -ENOMEM;
	hw_cls_init(&s->drm, "/sys/class/drm", gpu_match);
	r = nvml_open(probe_opts(p)->nvml_path, &s->nvml);
	if (r < 0) {
		free(s);
		return r;
	}
	*state = s;
	return 0;
}

/* gpu_close - close the cards' files, shut NVML down. */
static void gpu_close(void *state)
{
	struct gpu_state *s = state;

	gpu_drm_close(s);
	hw_cls_close(&s->drm);
	nvml_close(s->nvml);
	free(s->gpus);
	free(s->files);
	free(s);
}

/* gpu_nvml_add - NVML's devices after the DRM cards. */
static int gpu_nvml_add(struct gpu_state *s)
{
	unsigned n = nvml_count(s->nvml);

	if (hw_grow(&s->gpus, &s->gpus_cap, s->ngpus + n) < 0)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		struct gpu_ent *ge = &s->gpus[s->ngpus];

		memset(ge, 0, sizeof(*ge));
		ge->nvml = (int)i;
		ge->dirfd = -1;
		ge->t.index = (uint32_t)s->ngpus++;
		nvml_describe(s->nvml, i, &ge->t);
	}
	return 0;
}

/* gpu_scan - rediscover when the cards changed, else re-read their static files. */
static int gpu_scan(struct probe_cx *cx, struct gpu_state *s)
{
	int r;

	if (hw_cls_changed(cx->p, &s->drm)) {
		s->why[0] = '\0';
		r = gpu_drm_discover(cx, s);
		if (r == 0)
			r = gpu_nvml_add(s);
		s->gen = hw_new_gen(cx, s->gen);
		return r;
	}
	if (gpu_drm_refresh(s))
		s->gen = hw_new_gen(cx, s->gen);
	return 0;
}

/* gpu_sync - the templates into the caller's data after a new discovery (energy deltas kept). */
static int gpu_sync(struct gpu_state *s, struct rtlab_probe_gpu *g)
{
	uint64_t layout = hw_layout(s, s->gen);
	struct rtlab_gpu_dev *old = NULL;
	size_t nold = g->ngpus;

	g->drm_st = hw_cls_state(&s->drm);
	if (g->layout == layout && g->ngpus == s->ngpus)
		return 0;
	if (nold) {
		old = malloc(nold * sizeof(*old));
		if (!old)
			return -ENOMEM;
		memcpy(old, g->gpus, nold * sizeof(*old));
	}
	if (hw_grow(&g->gpus, &g->gpus_cap, s->ngpus) < 0) {
		free(old);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->ngpus; i++) {
		memcpy(&g->gpus[i], &s->gpus[i].t, sizeof(g->gpus[i]));
		for (size_t j = 0; j < nold; j++) {
			if (!g->gpus[i].card[0] || strcmp(old[j].card, g->gpus[i].card) != 0)
				continue;
			g->gpus[i].prev_energy_uj = old[j].prev_energy_uj;
			g->gpus[i].prev_ns = old[j].prev_ns;
		}
	}
	free(old);
	g->ngpus = s->ngpus;
	g->layout = layout;
	return 0;
}

/* gpu_collect - rescan when due, the cards' files, then NVML's devices. */
static int gpu_collect(struct probe_cx *cx, void *state)
{
	struct gpu_state *s = state;
	struct rtlab_probe_gpu *g = &cx->d->gpu;
	int r = 0;

	if (hw_rescan_due(cx, &s->next_scan_ns))
		r = gpu_scan(cx, s);
	if (r == 0)
		r = gpu_sync(s, g);
	if (r < 0) {
		g->ngpus = 0;
		g->layout = 0;
		s->next_scan_ns = 0;
		hw_cls_close(&s->drm);
		return r;
	}
	gpu_drm_read(cx, s);
	for (size_t i = s->ndrm; i < s->ngpus; i++)
		nvml_read(cx, s->nvml, (unsigned)s->gpus[i].nvml, &g->gpus[i]);
	nvml_status(s->nvml, g);
	if (s->why[0])
		hw_why_str(cx, s->why);
	if (g->nvml_devices.st != RTLAB_PV_OK)
		hw_why_str(cx, g->nvml_why);
	return 0;
}

enum { GV_F64, GV_U64 };

struct gpu_metric {
	struct rtlab_metric m;
	uint16_t off;		/* in struct rtlab_gpu_dev */
	uint8_t kind;
};

#define MF(name, help, field) \
	{ { name, help, RTLAB_METRIC_GAUGE }, offsetof(struct rtlab_gpu_dev, field), GV_F64 }
#define MU(name, help, field) \
	{ { name, help, RTLAB_METRIC_GAUGE }, offsetof(struct rtlab_gpu_dev, field), GV_U64 }
#define MC(name, help, field) \
	{ { name, help, RTLAB_METRIC_COUNTER }, offsetof(struct rtlab_gpu_dev, field), GV_F64 }

static const struct gpu_metric gpu_metrics[] = {
	MF("rtlab_gpu_utilization_ratio", "GPU busy, 0 to 1.", utilization_ratio),
	MF("rtlab_gpu_memory_utilization_ratio", "GPU memory controller busy, 0 to 1.",
	   memory_utilization_ratio),
	MU("rtlab_gpu_memory_total_bytes", "GPU memory (VRAM) size.", memory_total_bytes),
	MU("rtlab_gpu_memory_used_bytes", "GPU memory (VRAM) in use.", memory_used_bytes),
	MU("rtlab_gpu_vis_vram_total_bytes", "CPU-visible VRAM size.", vis_vram_total_bytes),
	MU("rtlab_gpu_vis_vram_used_bytes", "CPU-visible VRAM in use.", vis_vram_used_bytes),
	MU("rtlab_gpu_gtt_total_bytes", "GTT (system memory mapped for the GPU) size.",
	   gtt_total_bytes),
	MU("rtlab_gpu_gtt_used_bytes", "GTT in use.", gtt_used_bytes),
	MF("rtlab_gpu_temperature_celsius", "GPU temperature.", temperature_celsius),
	MF("rtlab_gpu_power_watts", "GPU power draw.", power_watts),
	MF("rtlab_gpu_power_limit_watts", "GPU enforced power limit.", power_limit_watts),
	MC("rtlab_gpu_energy_joules_total", "GPU energy consumed (NVML: since driver load).",
	   energy_joules),
	MF("rtlab_gpu_fan_ratio", "GPU fan speed, 0 to 1 of its maximum.", fan_ratio),
	MF("rtlab_gpu_fan_rpm", "GPU fan speed.", fan_rpm),
	MC("rtlab_gpu_idle_residency_seconds_total", "Time the GPU spent in its idle state (RC6).",
	   idle_residency_seconds),
};

static const char *const clock_names[RTLAB_GPU_CLOCK__COUNT] = {
	"graphics", "sm", "memory", "video", "actual", "min", "max", "boost",
};

static const struct rtlab_metric m_info = {
	"rtlab_gpu_info", "GPU identity (value 1).", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_clock = {
	"rtlab_gpu_clock_hertz", "GPU clocks.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_cards = {
	"rtlab_gpu_drm_cards", "GPUs in /sys/class/drm (cardN; NVIDIA ones under NVML when it runs).",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_nvml = {
	"rtlab_gpu_nvml_devices", "GPUs NVML lists (unavailable without an NVIDIA driver).",
	RTLAB_METRIC_GAUGE
};

/* gpu_value - metric @gm of @g as a sample value. */
static struct rtlab_mval gpu_value(const struct gpu_metric *gm, const struct rtlab_gpu_dev *g)
{
	const char *at = (const char *)g + gm->off;

	if (gm->kind == GV_U64)
		return mv_u64(*(const struct rtlab_pu64 *)at);
	return mv_f64(*(const struct rtlab_pf64 *)at);
}

/* gpu_emit_std - info, the per-GPU metrics, the clocks. */
static void gpu_emit_std(struct probe_emit *e, const struct rtlab_probe_gpu *g)
{
	char idx[16];

	for (size_t i = 0; i < g->ngpus; i++) {
		const struct rtlab_gpu_dev *d = &g->gpus[i];

		snprintf(idx, sizeof(idx), "%u", d->index);
		pe_emitl(e, &m_info, mv_one(RTLAB_PV_OK), { "gpu", idx }, { "vendor", d->vendor },
			 { "name", d->name }, { "driver", d->driver }, { "bus_id", d->bus_id },
			 { "uuid", d->uuid }, { "card", d->card });
	}
	for (size_t m = 0; m < sizeof(gpu_metrics) / sizeof(gpu_metrics[0]); m++) {
		for (size_t i = 0; i < g->ngpus; i++) {
			snprintf(idx, sizeof(idx), "%u", g->gpus[i].index);
			pe_emitl(e, &gpu_metrics[m].m, gpu_value(&gpu_metrics[m], &g->gpus[i]),
				 { "gpu", idx }, { "vendor", g->gpus[i].vendor });
		}
	}
	for (size_t i = 0; i < g->ngpus; i++) {
		snprintf(idx, sizeof(idx), "%u", g->gpus[i].index);
		for (unsigned k = 0; k < RTLAB_GPU_CLOCK__COUNT; k++)
			pe_emitl(e, &m_clock, mv_u64(g->gpus[i].clock_hz[k]), { "gpu", idx },
				 { "vendor", g->gpus[i].vendor }, { "clock", clock_names[k] });
	}
}

static const struct gpu_metric drm_metrics[] = {
	MF("node_drm_gpu_busy_percent", "How busy the GPU is as a percentage.", utilization_ratio),
	MU("node_drm_memory_gtt_size_bytes",
	   "The size of the graphics translation table (GTT) block in bytes.", gtt_total_bytes),
	MU("node_drm_memory_gtt_used_bytes",
	   "The used amount of the graphics translation table (GTT) block in bytes.",
	   gtt_used_bytes),
	MU("node_drm_memory_vis_vram_size_bytes", "The size of visible VRAM in bytes.",
	   vis_vram_total_bytes),
	MU("node_drm_memory_vis_vram_used_bytes", "The used amount of visible VRAM in bytes.",
	   vis_vram_used_bytes),
	MU("node_drm_memory_vram_size_bytes", "The size of VRAM in bytes.", memory_total_bytes),
	MU("node_drm_memory_vram_used_bytes", "The used amount of VRAM in bytes.",
	   memory_used_bytes),
};

/* gpu_is_amdgpu - node_exporter's drm collector covers amdgpu cards only. */
static bool gpu_is_amdgpu(const struct rtlab_gpu_dev *d)
{
	return d->card[0] && strcmp(d->driver, "amdgpu") == 0;
}

/* gpu_emit_drm - node_exporter's drm metrics of amdgpu cards (busy in percent). */
static void gpu_emit_drm(struct probe_emit *e, const struct rtlab_probe_gpu *g)
{
	static const struct rtlab_metric m_card = {
		"node_drm_card_info", "Card information", RTLAB_METRIC_GAUGE
	};

	for (size_t i = 0; i < g->ngpus; i++) {
		const struct rtlab_gpu_dev *d = &g->gpus[i];

		if (gpu_is_amdgpu(d))
			pe_emitl(e, &m_card, mv_one(RTLAB_PV_OK), { "card", d->card },
				 { "memory_vendor", d->memory_vendor },
				 { "power_performance_level", d->performance_level },
				 { "unique_id", d->uuid }, { "vendor", "amd" });
	}
	for (size_t m = 0; m < sizeof(drm_metrics) / sizeof(drm_metrics[0]); m++) {
		for (size_t i = 0; i < g->ngpus; i++) {
			const struct rtlab_gpu_dev *d = &g->gpus[i];
			struct rtlab_mval v = gpu_value(&drm_metrics[m], d);

			if (!gpu_is_amdgpu(d))
				continue;
			if (m == 0)
				v.f *= 100.0;
			pe_emitl(e, &drm_metrics[m].m, v, { "card", d->card });
		}
	}
}

/* gpu_drm_count - DRM cards listed (those before NVML's devices). */
static size_t gpu_drm_count(const struct rtlab_probe_gpu *g)
{
	size_t n = 0;

	while (n < g->ngpus && g->gpus[n].card[0])
		n++;
	return n;
}

/* gpu_emit - the counts, every GPU, node_exporter's drm metrics. */
static void gpu_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	struct rtlab_pu64 cards = { gpu_drm_count(&d->gpu), d->gpu.drm_st };

	pe_emit(e, &m_cards, mv_u64(cards));
	pe_emitl(e, &m_nvml, mv_u64(d->gpu.nvml_devices), { "vendor", "nvidia" });
	gpu_emit_std(e, &d->gpu);
	gpu_emit_drm(e, &d->gpu);
}

/* gpu_release - free the arrays grown in @d. */
static void gpu_release(struct rtlab_probe_data *d)
{
	free(d->gpu.gpus);
	memset(&d->gpu, 0, sizeof(d->gpu));
}

const struct probe_family probe_fam_gpu = {
	.name = "gpu",
	.id = RTLAB_PF_GPU,
	.open = gpu_open,
	.close = gpu_close,
	.collect = gpu_collect,
	.emit = gpu_emit,
	.release = gpu_release,
};
