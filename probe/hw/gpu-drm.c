/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gpu-drm.c - /sys/class/drm/cardN: amdgpu, i915 and xe counters, the card's hwmon. */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/hw-internal.h"

#define PCI_VENDOR_AMD 0x1002
#define PCI_VENDOR_INTEL 0x8086
#define PCI_VENDOR_NVIDIA 0x10de

/* Which drivers a candidate file belongs to. */
enum { GD_AMD = 1, GD_I915 = 2, GD_XE = 4 };

struct gpu_cand {
	uint8_t drv;
	uint8_t field;		/* enum gpu_field; the first file found for a field wins */
	bool fast;		/* read on every collection */
	const char *path;	/* below /sys/class/drm/cardN */
};

static const struct gpu_cand cands[] = {
	{ GD_AMD, GF_BUSY, true, "device/gpu_busy_percent" },
	{ GD_AMD, GF_MEM_BUSY, true, "device/mem_busy_percent" },
	{ GD_AMD, GF_VRAM_TOTAL, false, "device/mem_info_vram_total" },
	{ GD_AMD, GF_VRAM_USED, true, "device/mem_info_vram_used" },
	{ GD_AMD, GF_VIS_TOTAL, false, "device/mem_info_vis_vram_total" },
	{ GD_AMD, GF_VIS_USED, true, "device/mem_info_vis_vram_used" },
	{ GD_AMD, GF_GTT_TOTAL, false, "device/mem_info_gtt_total" },
	{ GD_AMD, GF_GTT_USED, true, "device/mem_info_gtt_used" },
	{ GD_AMD, GF_SCLK_DPM, true, "device/pp_dpm_sclk" },
	{ GD_AMD, GF_MCLK_DPM, true, "device/pp_dpm_mclk" },
	{ GD_I915, GF_FREQ_CUR, true, "gt_cur_freq_mhz" },
	{ GD_I915, GF_FREQ_CUR, true, "gt/gt0/rps_cur_freq_mhz" },
	{ GD_I915, GF_FREQ_ACT, true, "gt_act_freq_mhz" },
	{ GD_I915, GF_FREQ_ACT, true, "gt/gt0/rps_act_freq_mhz" },
	{ GD_I915, GF_FREQ_MIN, false, "gt_min_freq_mhz" },
	{ GD_I915, GF_FREQ_MIN, false, "gt/gt0/rps_min_freq_mhz" },
	{ GD_I915, GF_FREQ_MAX, false, "gt_max_freq_mhz" },
	{ GD_I915, GF_FREQ_MAX, false, "gt/gt0/rps_max_freq_mhz" },
	{ GD_I915, GF_FREQ_BOOST, false, "gt_boost_freq_mhz" },
	{ GD_I915, GF_FREQ_BOOST, false, "gt/gt0/rps_boost_freq_mhz" },
	{ GD_I915, GF_IDLE_MS, true, "power/rc6_residency_ms" },
	{ GD_I915, GF_IDLE_MS, true, "gt/gt0/rc6_residency_ms" },
	{ GD_XE, GF_FREQ_CUR, true, "device/tile0/gt0/freq0/cur_freq" },
	{ GD_XE, GF_FREQ_ACT, true, "device/tile0/gt0/freq0/act_freq" },
	{ GD_XE, GF_FREQ_MIN, false, "device/tile0/gt0/freq0/min_freq" },
	{ GD_XE, GF_FREQ_MAX, false, "device/tile0/gt0/freq0/max_freq" },
	{ GD_XE, GF_IDLE_MS, true, "device/tile0/gt0/gtidle/idle_residency_ms" },
};

enum { GK_F64, GK_U64 };

/* Where a field's number goes in struct rtlab_gpu_dev, and its scale to base units. */
struct gpu_dest {
	uint16_t off;
	uint8_t kind;
	double scale;
};

#define DF(field, scale) { offsetof(struct rtlab_gpu_dev, field), GK_F64, scale }
#define DU(field, scale) { offsetof(struct rtlab_gpu_dev, field), GK_U64, scale }
#define CLK(k) DU(clock_hz[RTLAB_GPU_CLOCK_##k], 1e6)

static const struct gpu_dest dests[GF__COUNT] = {
	[GF_BUSY] = DF(utilization_ratio, 0.01),
	[GF_MEM_BUSY] = DF(memory_utilization_ratio, 0.01),
	[GF_VRAM_TOTAL] = DU(memory_total_bytes, 1),
	[GF_VRAM_USED] = DU(memory_used_bytes, 1),
	[GF_VIS_TOTAL] = DU(vis_vram_total_bytes, 1),
	[GF_VIS_USED] = DU(vis_vram_used_bytes, 1),
	[GF_GTT_TOTAL] = DU(gtt_total_bytes, 1),
	[GF_GTT_USED] = DU(gtt_used_bytes, 1),
	[GF_SCLK_DPM] = CLK(GRAPHICS),
	[GF_MCLK_DPM] = CLK(MEMORY),
	[GF_FREQ_CUR] = CLK(GRAPHICS),
	[GF_FREQ_ACT] = CLK(ACTUAL),
	[GF_FREQ_MIN] = CLK(MIN),
	[GF_FREQ_MAX] = CLK(MAX),
	[GF_FREQ_BOOST] = CLK(BOOST),
	[GF_IDLE_MS] = DF(idle_residency_seconds, 1e-3),
	[GF_HW_TEMP] = DF(temperature_celsius, 1e-3),
	[GF_HW_POWER] = DF(power_watts, 1e-6),
	[GF_HW_CAP] = DF(power_limit_watts, 1e-6),
	[GF_HW_ENERGY] = DF(energy_joules, 1e-6),
	[GF_HW_FAN] = DF(fan_rpm, 1),
};

/* gpu_match - "cardN" (not "card0-DP-1", not "renderD128"). */
bool gpu_match(const char *name)
{
	if (strncmp(name, "card", 4) != 0 || !name[4])
		return false;
	for (const char *p = name + 4; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* gpu_apply - a field's number (or the error @r) into @g. */
static void gpu_apply(struct rtlab_gpu_dev *g, unsigned field, int r, int64_t v)
{
	const struct gpu_dest *dst = &dests[field];
	char *at = (char *)g + dst->off;

	if (dst->kind == GK_F64)
		hw_f64((struct rtlab_pf64 *)at, r, v, dst->scale);
	else
		hw_u64((struct rtlab_pu64 *)at, r, r == 0 ? (int64_t)((double)v * dst->scale) : 0);
}

/* gpu_na - a field's number of @g in state @st. */
static void gpu_na(struct rtlab_gpu_dev *g, unsigned field, uint8_t st)
{
	const struct gpu_dest *dst = &dests[field];
	char *at = (char *)g + dst->off;

	if (dst->kind == GK_F64)
		PV_NA(*(struct rtlab_pf64 *)at, st);
	else
		PV_NA(*(struct rtlab_pu64 *)at, st);
	if (field == GF_SCLK_DPM) {
		PV_NA(g->clock_hz[RTLAB_GPU_CLOCK_MIN], st);
		PV_NA(g->clock_hz[RTLAB_GPU_CLOCK_MAX], st);
	}
}

/* gpu_mark - every number of @g in state @st. */
void gpu_mark(struct rtlab_gpu_dev *g, uint8_t st)
{
	for (unsigned k = 0; k < RTLAB_GPU_CLOCK__COUNT; k++)
		PV_NA(g->clock_hz[k], st);
	PV_NA(g->utilization_ratio, st);
	PV_NA(g->memory_utilization_ratio, st);
	PV_NA(g->memory_total_bytes, st);
	PV_NA(g->memory_used_bytes, st);
	PV_NA(g->vis_vram_total_bytes, st);
	PV_NA(g->vis_vram_used_bytes, st);
	PV_NA(g->gtt_total_bytes, st);
	PV_NA(g->gtt_used_bytes, st);
	PV_NA(g->temperature_celsius, st);
	PV_NA(g->power_watts, st);
	PV_NA(g->power_limit_watts, st);
	PV_NA(g->energy_joules, st);
	PV_NA(g->fan_ratio, st);
	PV_NA(g->fan_rpm, st);
	PV_NA(g->idle_residency_seconds, st);
}

/* gpu_dpm_apply - a pp_dpm_* table: its current level, and for sclk the lowest and highest. */
static void gpu_dpm_apply(struct rtlab_gpu_dev *g, unsigned field, const char *buf, size_t n)
{
	struct gpu_dpm dpm;
	int r = gpu_dpm_parse(buf, n, &dpm);
	struct rtlab_pu64 *cur = &g->clock_hz[field == GF_SCLK_DPM ? RTLAB_GPU_CLOCK_GRAPHICS :
									RTLAB_GPU_CLOCK_MEMORY];

	if (dpm.cur_mhz.st == RTLAB_PV_OK)
		PV_SET(*cur, dpm.cur_mhz.v * 1000000);
	else
		PV_NA(*cur, r < 0 ? RTLAB_PV_MALFORMED : RTLAB_PV_ABSENT);
	if (field != GF_SCLK_DPM)
		return;
	if (dpm.min_mhz.st == RTLAB_PV_OK) {
		PV_SET(g->clock_hz[RTLAB_GPU_CLOCK_MIN], dpm.min_mhz.v * 1000000);
		PV_SET(g->clock_hz[RTLAB_GPU_CLOCK_MAX], dpm.max_mhz.v * 1000000);
	} else {
		PV_NA(g->clock_hz[RTLAB_GPU_CLOCK_MIN], RTLAB_PV_MALFORMED);
		PV_NA(g->clock_hz[RTLAB_GPU_CLOCK_MAX], RTLAB_PV_MALFORMED);
	}
}

/* gpu_add_file - a file of gpu @gi: fast ones are opened, the others read now. */
static int gpu_add_file(struct gpu_state *s, uint32_t gi, unsigned field, bool fast,
			const char *path)
{
	struct gpu_ent *ge = &s->gpus[gi];
	struct gpu_file *f;
	int64_t v = 0;
	int fd, r;

	fd = hw_open_at(ge->dirfd, path, false);
	if (fd < 0)
		return fd == -ENOMEM ? fd : 1;	/* not there: try the next candidate */
	if (hw_grow(&s->files, &s->files_cap, s->nfiles + 1) < 0) {
		hw_close(&fd);
		return -ENOMEM;
	}
	f = &s->files[s->nfiles++];
	f->gpu = gi;
	f->field = (uint8_t)field;
	f->fast = fast;
	snprintf(f->path, sizeof(f->path), "%s/%s/", s->drm.path, ge->t.card);
	f->rel = (uint8_t)strlen(f->path);
	snprintf(f->path + f->rel, sizeof(f->path) - f->rel, "%s", path);
	if (fast) {
		f->fd = fd;
		gpu_na(&ge->t, field, RTLAB_PV_NOT_READY);
		return 0;
	}
	f->fd = -1;
	r = hw_pread_int(fd, &v, (char[32]){ 0 }, 32);
	hw_close(&fd);
	gpu_apply(&ge->t, field, r, v);
	return 0;
}

struct hwmon_pick {
	char dir[32];		/* "hwmon5" */
	uint32_t temp;		/* lowest N of tempN_input, or UINT32_MAX */
};

/* hwmon_pick_dir - the card's first hwmonN. */
static int hwmon_pick_dir(const char *name, unsigned char type, void *arg)
{
	struct hwmon_pick *h = arg;

	(void)type;
	if (!hwmon_match(name) || strlen(name) >= sizeof(h->dir))
		return 0;
	snprintf(h->dir, sizeof(h->dir), "%s", name);
	return 1;
}

/* hwmon_pick_temp - the lowest tempN_input. */
static int hwmon_pick_temp(const char *name, unsigned char type, void *arg)
{
	struct hwmon_pick *h = arg;
	struct hwmon_file_id id;

	(void)type;
	if (hwmon_file_parse(name, strlen(name), &id) == 0 && id.type == RTLAB_HWMON_TEMP &&
	    id.prop == RTLAB_HWMON_INPUT && id.num < h->temp)
		h->temp = id.num;
	return 0;
}

/* gpu_hwmon - the card's hwmon files: temperature, power (or energy), cap, fan. */
static int gpu_hwmon(struct gpu_state *s, uint32_t gi)
{
	static const struct {
		uint8_t field;
		bool fast;
		const char *file;
	} hw[] = {
		{ GF_HW_POWER, true, "power1_average" }, { GF_HW_POWER, true, "power1_input" },
		{ GF_HW_CAP, false, "power1_cap" },	 { GF_HW_CAP, false, "power1_max" },
		{ GF_HW_ENERGY, true, "energy1_input" },
		{ GF_HW_FAN, true, "fan1_input" },
	};
	struct hwmon_pick h = { .temp = UINT32_MAX };
	bool found[GF__COUNT] = { false };
	char path[80];
	int fd, r;

	fd = hw_open_at(s->gpus[gi].dirfd, "device/hwmon", true);
	if (fd < 0)
		return 0;
	r = probe_dirfd_each(fd, hwmon_pick_dir, &h);
	hw_close(&fd);
	if (r <= 0)
		return 0;
	snprintf(path, sizeof(path), "device/hwmon/%s", h.dir);
	fd = hw_open_at(s->gpus[gi].dirfd, path, true);
	if (fd >= 0)
		probe_dirfd_each(fd, hwmon_pick_temp, &h);
	hw_close(&fd);
	if (h.temp != UINT32_MAX) {
		snprintf(path, sizeof(path), "device/hwmon/%s/temp%u_input", h.dir, h.temp);
		if (gpu_add_file(s, gi, GF_HW_TEMP, true, path) < 0)
			return -ENOMEM;
	}
	for (size_t i = 0; i < sizeof(hw) / sizeof(hw[0]); i++) {
		if (found[hw[i].field])
			continue;
		snprintf(path, sizeof(path), "device/hwmon/%s/%s", h.dir, hw[i].file);
		r = gpu_add_file(s, gi, hw[i].field, hw[i].fast, path);
		if (r < 0)
			return r;
		found[hw[i].field] = r == 0;
	}
	s->gpus[gi].hw_power = found[GF_HW_POWER];
	if (!found[GF_HW_POWER] && found[GF_HW_ENERGY])
		PV_NA(s->gpus[gi].t.power_watts, RTLAB_PV_NOT_READY);
	return 0;
}

/* gpu_vendor - the vendor's short name and the driver class of a card. */
static unsigned gpu_vendor(const struct drm_pci *pci, struct rtlab_gpu_dev *t)
{
	switch (pci->vendor) {
	case PCI_VENDOR_AMD:
		snprintf(t->vendor, sizeof(t->vendor), "amd");
		return GD_AMD;
	case PCI_VENDOR_INTEL:
		snprintf(t->vendor, sizeof(t->vendor), "intel");
		return strcmp(pci->driver, "xe") == 0 ? GD_XE :
		       strcmp(pci->driver, "i915") == 0 ? GD_I915 : 0;
	case PCI_VENDOR_NVIDIA:
		snprintf(t->vendor, sizeof(t->vendor), "nvidia");
		return 0;
	default:
		snprintf(t->vendor, sizeof(t->vendor), "0x%04x", pci->vendor & 0xffff);
		return 0;
	}
}

/* gpu_add - one cardN: identity from the device's uevent, then its files. */
static int gpu_add(void *arg, const char *card)
{
	struct gpu_state *s = arg;
	bool nvml_up = nvml_count(s->nvml) > 0;
	struct drm_pci pci;
	struct gpu_ent *ge;
	char buf[1024];
	bool found[GF__COUNT] = { false };
	uint32_t gi = (uint32_t)s->ngpus;
	unsigned drv;
	int dirfd, r;

	dirfd = hw_open_at(s->drm.fd, card, true);
	if (dirfd < 0)
		return 0;
	r = (int)hw_read_at(dirfd, "device/uevent", buf, sizeof(buf));
	drm_uevent_parse(buf, r > 0 ? (size_t)r : 0, &pci);
	if (nvml_up && pci.vendor == PCI_VENDOR_NVIDIA) {
		hw_close(&dirfd);
		return 0;	/* NVML has it */
	}
	if (hw_grow(&s->gpus, &s->gpus_cap, s->ngpus + 1) < 0) {
		hw_close(&dirfd);
		return -ENOMEM;
	}
	ge = &s->gpus[s->ngpus++];
	memset(ge, 0, sizeof(*ge));
	ge->nvml = -1;
	ge->dirfd = dirfd;
	ge->t.index = gi;
	drv = gpu_vendor(&pci, &ge->t);
	snprintf(ge->t.driver, sizeof(ge->t.driver), "%s", pci.driver);
	snprintf(ge->t.card, sizeof(ge->t.card), "%s", card);
	snprintf(ge->t.bus_id, sizeof(ge->t.bus_id), "%s", pci.slot);
	if (hw_str_at(dirfd, "device/product_name", ge->t.name, sizeof(ge->t.name)) < 0 ||
	    !ge->t.name[0])
		snprintf(ge->t.name, sizeof(ge->t.name), "%04x:%04x", pci.vendor & 0xffff,
			 pci.device & 0xffff);
	hw_str_at(dirfd, "device/unique_id", ge->t.uuid, sizeof(ge->t.uuid));
	hw_str_at(dirfd, "device/mem_info_vram_vendor", ge->t.memory_vendor,
		  sizeof(ge->t.memory_vendor));
	hw_str_at(dirfd, "device/power_dpm_force_performance_level", ge->t.performance_level,
		  sizeof(ge->t.performance_level));
	gpu_mark(&ge->t, RTLAB_PV_UNSUPPORTED);
	for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++) {
		if (!(cands[i].drv & drv) || found[cands[i].field])
			continue;
		r = gpu_add_file(s, gi, cands[i].field, cands[i].fast, cands[i].path);
		if (r < 0)
			return r;
		found[cands[i].field] = r == 0;
	}
	return gpu_hwmon(s, gi);
}

/* gpu_drm_close - close every fd. */
void gpu_drm_close(struct gpu_state *s)
{
	for (size_t i = 0; i < s->nfiles; i++)
		hw_close(&s->files[i].fd);
	for (size_t i = 0; i < s->ngpus; i++)
		hw_close(&s->gpus[i].dirfd);
	s->nfiles = 0;
	s->ngpus = 0;
	s->ndrm = 0;
}

/* gpu_drm_discover - every cardN of /sys/class/drm (NVIDIA ones left to NVML when it is up). */
int gpu_drm_discover(struct probe_cx *cx, struct gpu_state *s)
{
	int r;

	gpu_drm_close(s);
	r = hw_cls_each(cx, &s->drm, true, gpu_add, s);
	s->ndrm = s->ngpus;
	return r;
}

/* gpu_drm_refresh - the static files again (limits, totals); true if one changed. */
bool gpu_drm_refresh(struct gpu_state *s)
{
	bool changed = false;

	for (size_t gi = 0; gi < s->ndrm; gi++) {
		struct gpu_ent *ge = &s->gpus[gi];
		struct rtlab_gpu_dev t;
		int64_t v = 0;
		int r;

		memcpy(&t, &ge->t, sizeof(t));
		for (size_t i = 0; i < s->nfiles; i++) {
			const struct gpu_file *f = &s->files[i];

			if (f->gpu != gi || f->fast)
				continue;
			r = hw_int_at(ge->dirfd, f->path + f->rel, &v);
			gpu_apply(&t, f->field, r, v);
		}
		if (memcmp(&t, &ge->t, sizeof(t)) != 0) {
			memcpy(&ge->t, &t, sizeof(t));
			changed = true;
		}
	}
	return changed;
}

/* gpu_energy_power - power from the hwmon energy counter's delta (no power file). */
static void gpu_energy_power(struct rtlab_gpu_dev *g, int r, int64_t uj, uint64_t now)
{
	if (r < 0 || uj < 0) {
		PV_NA(g->power_watts, r < 0 ? probe_st_from_errno(r) : RTLAB_PV_MALFORMED);
		return;
	}
	if (g->prev_ns && now > g->prev_ns && (uint64_t)uj >= g->prev_energy_uj)
		PV_SET(g->power_watts, (double)((uint64_t)uj - g->prev_energy_uj) * 1e-6 /
					       ((double)(now - g->prev_ns) * 1e-9));
	else
		PV_NA(g->power_watts, RTLAB_PV_NOT_READY);
	g->prev_energy_uj = (uint64_t)uj;
	g->prev_ns = now;
}

/* gpu_drm_read - one pread per fast file. */
void gpu_drm_read(struct probe_cx *cx, struct gpu_state *s)
{
	struct rtlab_gpu_dev *out = cx->d->gpu.gpus;
	char raw[512];
	int64_t v = 0;
	ssize_t n;
	int r;

	for (size_t i = 0; i < s->nfiles; i++) {
		const struct gpu_file *f = &s->files[i];
		struct rtlab_gpu_dev *g = &out[f->gpu];

		if (!f->fast)
			continue;
		probe_traced(cx->p, f->path);
		if (f->field == GF_SCLK_DPM || f->field == GF_MCLK_DPM) {
			n = hw_pread(f->fd, raw, sizeof(raw));
			if (n >= 0) {
				gpu_dpm_apply(g, f->field, raw, (size_t)n);
				continue;
			}
			r = (int)n;
			gpu_na(g, f->field, probe_st_from_errno(r));
		} else {
			r = hw_pread_int(f->fd, &v, raw, sizeof(raw));
		}
		gpu_apply(g, f->field, r, v);
		if (f->field == GF_HW_ENERGY && !s->gpus[f->gpu].hw_power)
			gpu_energy_power(g, r, v, cx->now_ns);
		if (r < 0)
			hw_why_read(cx, r, raw, "%s", f->path);
	}
}
