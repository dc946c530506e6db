/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hw-internal.h - what the hw group's families (thermal, power, gpu) share:
 * class directories kept open and rescanned, small sysfs files read relative
 * to directory fds, values with their states, and the families' private state.
 *
 * Discovery (at the first collection, then on a rescan every slow TTL but at
 * least a second apart) opens the directories and the files read on every
 * collection, and reads what rarely changes (names, limits, trip points) into
 * templates kept here.  A collection copies the templates into the caller's
 * data only when they changed (a new layout), then preads the open files.
 */
#ifndef RTLAB_PROBE_HW_INTERNAL_H
#define RTLAB_PROBE_HW_INTERNAL_H

#include "hw/hw-parse.h"
#include "probe-internal.h"

#define HW_RESCAN_MIN_NS (UINT64_C(1000000000))
#define HW_PATH_MAX 112			/* the paths of the files read on every collection */

/* A class directory (/sys/class/hwmon) kept open, with what its listing was. */
struct hw_cls {
	const char *path;		/* below the root */
	bool (*match)(const char *name);	/* the entries that count */
	int fd;				/* -1: not open (absent) */
	int err;			/* why it could not be opened (-errno) */
	uint64_t sig;			/* signature of the matching names */
};

/* A list of entry names (discovery only: it allocates). */
struct hw_names {
	char (*v)[64];
	size_t n, cap;
};

/* hw_cls_init - @c for @path, entries chosen by @match; opens nothing. */
void hw_cls_init(struct hw_cls *c, const char *path, bool (*match)(const char *name));

/*
 * hw_cls_changed - (re)open @c if needed and tell whether the matching names
 * changed since the last call (the first call: true).  No allocation.
 */
bool hw_cls_changed(struct rtlab_probe *p, struct hw_cls *c);

/* hw_cls_state - OK if the directory is open, else the state of its error. */
uint8_t hw_cls_state(const struct hw_cls *c);

/* hw_cls_close - close the directory. */
void hw_cls_close(struct hw_cls *c);

/* hw_cls_list - the matching names of @c in natural order (@natural) or byte order. */
int hw_cls_list(struct hw_cls *c, struct hw_names *out, bool natural);

/*
 * hw_cls_each - call @add(@arg, name) for each matching name of @c, in natural
 * or byte order, until one returns non-zero (-ENOMEM); a listing error goes
 * to the family's why.  0 or -ENOMEM.
 */
int hw_cls_each(struct probe_cx *cx, struct hw_cls *c, bool natural,
		int (*add)(void *arg, const char *name), void *arg);

/* hw_names_free - free the list. */
void hw_names_free(struct hw_names *l);

/* hw_open_at - open @name below @dirfd read-only (a directory with @dir); -errno. */
int hw_open_at(int dirfd, const char *name, bool dir);

/* hw_close - close *@fd if open and mark it closed. */
void hw_close(int *fd);

/* hw_pread - pread @fd from offset 0 into @buf (NUL-terminated); length or -errno. */
ssize_t hw_pread(int fd, char *buf, size_t size);

/* hw_read_at - a small file below @dirfd into @buf (NUL-terminated); length or -errno. */
ssize_t hw_read_at(int dirfd, const char *name, char *buf, size_t size);

/* hw_str_at - the trimmed first line of a small file into @dst ("" on error); 0 or -errno. */
int hw_str_at(int dirfd, const char *name, char *dst, size_t size);

/* hw_int_at - a number file below @dirfd; 0, -errno or -EBADMSG. */
int hw_int_at(int dirfd, const char *name, int64_t *v);

/*
 * hw_pread_int - pread the number file @fd from offset 0.  The bytes read go
 * to @raw (for the reason of a malformed value).  0, -errno or -EBADMSG.
 */
int hw_pread_int(int fd, int64_t *v, char *raw, size_t rawsize);

/* hw_scale - @v x @scale, a scale 1/N applied as a division by N (exact for whole units). */
double hw_scale(int64_t v, double scale);

/* hw_f64 - @f = @v x @scale if @r is 0, else its state for error @r. */
void hw_f64(struct rtlab_pf64 *f, int r, int64_t v, double scale);

/* hw_u64 - @f = @v if @r is 0 and @v >= 0 (MALFORMED if negative), else the state of @r. */
void hw_u64(struct rtlab_pu64 *f, int r, int64_t v);

/* hw_i64 - @f = @v if @r is 0, else the state of @r. */
void hw_i64(struct rtlab_pi64 *f, int r, int64_t v);

/*
 * hw_why_read - the reason of a failed read of @path (printf-style) into the
 * family's why: "path: No such file..." or "path:1: malformed value "abc"".
 */
void hw_why_read(struct probe_cx *cx, int r, const char *raw, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* hw_why_text - the same reason into @buf (for reasons kept across collections). */
void hw_why_text(char *buf, size_t size, int r, const char *raw, const char *path);

/* hw_why_str - @text as the family's reason unless it already has one (a copy, no format). */
void hw_why_str(struct probe_cx *cx, const char *text);

/* hw_cls_why - the reason a class directory is not open ("path: absent@note") into @why. */
void hw_cls_why(const struct hw_cls *c, char *why, size_t size, const char *note);

/* hw_rescan_due - time for a rescan? (then *@next moves on by max(slow TTL, 1 s)). */
bool hw_rescan_due(struct probe_cx *cx, uint64_t *next);

/*
 * hw_new_gen - the generation of a new layout: the collection's time (so that
 * a probe created later at the same address never repeats one), past @gen.
 */
uint64_t hw_new_gen(const struct probe_cx *cx, uint64_t gen);

/* hw_layout - an identifier of the layout @gen of the state @st. */
uint64_t hw_layout(const void *st, uint64_t gen);

/* hw_grow - probe_grow of a typed array: hw_grow(&arr, &cap, n). */
#define hw_grow(arr, cap, n) probe_grow((void **)(arr), (cap), (n), sizeof(**(arr)))

/* --- thermal (thermal.c, thermal-zones.c, hwmon.c, hwmon-emit.c) --- */

struct zone_ent {
	struct rtlab_thermal_zone t;	/* template: static fields */
	int dirfd;
	int fd;				/* temp */
	char path[HW_PATH_MAX];		/* of temp, below the root */
};

struct cdev_ent {
	struct rtlab_cooling_device t;
	int dirfd;
	int fd;				/* cur_state */
	char path[HW_PATH_MAX];
};

struct chip_ent {
	struct rtlab_hwmon_chip t;
	int dirfd;
	int devfd;			/* device/ (old drivers keep their files there), or -1 */
};

struct sensor_ent {
	struct rtlab_hwmon_sensor t;	/* template: labels, limits */
	uint32_t in_dev;		/* bit 1 << prop: the file is in device/ */
	uint32_t in_dev_label;		/* the label is in device/ */
};

/* A hwmon file read on every collection. */
struct hwmon_file {
	int fd;
	uint32_t sensor;		/* index in sensors */
	uint8_t prop;
	double scale;			/* to base units */
	char path[HW_PATH_MAX];
};

struct thermal_state {
	struct rtlab_probe *p;
	struct hw_cls tz, hw;		/* /sys/class/thermal, /sys/class/hwmon */
	uint64_t gen;			/* layout generation (hw_new_gen) */
	uint64_t next_scan_ns;
	char why[160];			/* a problem found by discovery, repeated every collection */
	struct zone_ent *zones;
	size_t nzones, zones_cap;
	struct cdev_ent *cdevs;
	size_t ncdevs, cdevs_cap;
	struct chip_ent *chips;
	size_t nchips, chips_cap;
	struct sensor_ent *sensors;
	size_t nsensors, sensors_cap;
	struct hwmon_file *files;
	size_t nfiles, files_cap;
};

/* thermal_match, hwmon_match - the entries of /sys/class/thermal and /sys/class/hwmon. */
bool thermal_match(const char *name);
bool hwmon_match(const char *name);

/* thermal_zones_discover - (re)build zones and cooling devices; 0 or -ENOMEM. */
int thermal_zones_discover(struct probe_cx *cx, struct thermal_state *s);

/* thermal_zones_refresh - re-read their static files; true if something changed. */
bool thermal_zones_refresh(struct thermal_state *s);

/* thermal_zones_read - the temperatures and cooling states into cx->d. */
void thermal_zones_read(struct probe_cx *cx, struct thermal_state *s);

/* thermal_zones_close - close their fds, forget them. */
void thermal_zones_close(struct thermal_state *s);

/* thermal_zones_emit - node_thermal_zone_*, node_cooling_device_*. */
void thermal_zones_emit(struct probe_emit *e, const struct rtlab_probe_thermal *t);

/* hwmon_discover - (re)build chips, sensors and files; 0 or -ENOMEM. */
int hwmon_discover(struct probe_cx *cx, struct thermal_state *s);

/* hwmon_refresh - re-read labels and limits; true if something changed. */
bool hwmon_refresh(struct thermal_state *s);

/* hwmon_read - the files read on every collection into cx->d. */
void hwmon_read(struct probe_cx *cx, struct thermal_state *s);

/* hwmon_close - close their fds, forget them. */
void hwmon_close(struct thermal_state *s);

/* hwmon_is_fast - is @prop read on every collection (else on rescans)? */
bool hwmon_is_fast(unsigned prop);

/* hwmon_scale - what turns the file's unit into the base unit; 0 if not collected. */
double hwmon_scale(unsigned type, unsigned prop);

/* hwmon_emit - node_hwmon_* samples. */
void hwmon_emit(struct probe_emit *e, const struct rtlab_probe_thermal *t);

/* --- power (power.c, rapl.c, power-supply.c) --- */

struct rapl_ent {
	struct rtlab_rapl_domain t;	/* template: names, range, constraints */
	int dirfd;
	int fd;				/* energy_uj, or -1 */
	int err;			/* why energy_uj could not be opened */
	char path[HW_PATH_MAX];		/* of energy_uj */
};

struct supply_ent {
	struct rtlab_power_supply t;	/* template: name, type */
	struct probe_src src;		/* uevent */
};

/* A uevent key of power supplies (the table in power-supply-parse.c). */
enum { PSF_NUM, PSF_STR, PSF_SKIP };

struct ps_field {
	const char *key;		/* less "POWER_SUPPLY_": "ENERGY_NOW" */
	uint8_t klen;
	uint8_t kind;			/* PSF_NUM: a struct rtlab_pi64; PSF_STR: a char array;
					 * PSF_SKIP: known, not kept */
	uint16_t off;			/* in struct rtlab_power_supply */
	uint16_t size;			/* of the char array */
	struct rtlab_metric m;		/* numbers: the metric; strings: m.name is the info label */
	double scale;			/* to the metric's unit */
};

extern const struct ps_field ps_fields[];
extern const size_t ps_nfields;

struct power_state {
	struct hw_cls pc, ps;		/* /sys/class/powercap, /sys/class/power_supply */
	uint64_t gen;			/* layout generation (hw_new_gen) */
	uint64_t next_scan_ns;
	char why[160];
	struct rapl_ent *rapl;
	size_t nrapl, rapl_cap;
	struct supply_ent *supplies;
	size_t nsupplies, supplies_cap;
};

/* rapl_match, supply_match - the entries of /sys/class/powercap and /sys/class/power_supply. */
bool rapl_match(const char *name);
bool supply_match(const char *name);

/* rapl_discover, rapl_refresh, rapl_read, rapl_close, rapl_emit - the RAPL domains. */
int rapl_discover(struct probe_cx *cx, struct power_state *s);
bool rapl_refresh(struct power_state *s);
void rapl_read(struct probe_cx *cx, struct power_state *s);
void rapl_close(struct power_state *s);
void rapl_emit(struct probe_emit *e, const struct rtlab_probe_power *pw);

/* supplies_discover, supplies_read, supplies_close, supplies_emit - the power supplies. */
int supplies_discover(struct probe_cx *cx, struct power_state *s);
void supplies_read(struct probe_cx *cx, struct power_state *s);
void supplies_close(struct power_state *s);
void supplies_emit(struct probe_emit *e, const struct rtlab_probe_power *pw);

/* --- gpu (gpu.c, gpu-drm.c, gpu-nvml.c) --- */

/* What a DRM card file gives (enum gpu_field). */
enum gpu_field {
	GF_BUSY,		/* gpu_busy_percent */
	GF_MEM_BUSY,		/* mem_busy_percent */
	GF_VRAM_TOTAL,
	GF_VRAM_USED,
	GF_VIS_TOTAL,
	GF_VIS_USED,
	GF_GTT_TOTAL,
	GF_GTT_USED,
	GF_SCLK_DPM,		/* pp_dpm_sclk */
	GF_MCLK_DPM,		/* pp_dpm_mclk */
	GF_FREQ_CUR,		/* MHz */
	GF_FREQ_ACT,
	GF_FREQ_MIN,
	GF_FREQ_MAX,
	GF_FREQ_BOOST,
	GF_IDLE_MS,		/* RC6 / gtidle residency */
	GF_HW_TEMP,		/* hwmon millicelsius */
	GF_HW_POWER,		/* hwmon microwatts (average or input) */
	GF_HW_CAP,
	GF_HW_ENERGY,		/* microjoules */
	GF_HW_FAN,
	GF__COUNT,
};

/* A file of a DRM card: read on every collection (fast), else on discovery and rescans. */
struct gpu_file {
	int fd;				/* fast files only; -1 otherwise */
	uint32_t gpu;			/* index in gpus */
	uint8_t field;			/* enum gpu_field */
	bool fast;
	uint8_t rel;			/* path + rel: the path below /sys/class/drm/cardN */
	char path[HW_PATH_MAX];
};

struct gpu_ent {
	struct rtlab_gpu_dev t;		/* template: identity, UNSUPPORTED for what is missing */
	int nvml;			/* NVML device index, or -1 for a DRM card */
	int dirfd;			/* /sys/class/drm/cardN */
	bool hw_power;			/* a hwmon power file (else power from energy deltas) */
};

struct nvml;

struct gpu_state {
	struct hw_cls drm;
	uint64_t gen;			/* layout generation (hw_new_gen) */
	uint64_t next_scan_ns;
	char why[160];
	struct gpu_ent *gpus;
	size_t ngpus, gpus_cap;
	size_t ndrm;			/* gpus[0..ndrm) are DRM cards */
	struct gpu_file *files;
	size_t nfiles, files_cap;
	struct nvml *nvml;
};

/* gpu_match - "cardN" entries of /sys/class/drm. */
bool gpu_match(const char *name);

/* gpu_drm_discover, gpu_drm_refresh, gpu_drm_read, gpu_drm_close - the DRM cards. */
int gpu_drm_discover(struct probe_cx *cx, struct gpu_state *s);
bool gpu_drm_refresh(struct gpu_state *s);
void gpu_drm_read(struct probe_cx *cx, struct gpu_state *s);
void gpu_drm_close(struct gpu_state *s);

/* gpu_mark - every number of @g in state @st. */
void gpu_mark(struct rtlab_gpu_dev *g, uint8_t st);

/*
 * nvml_open - dlopen @path and initialize NVML, list its devices.  Never
 * fails for a missing library or driver (that is a state, see nvml_status);
 * -ENOMEM only.
 */
int nvml_open(const char *path, struct nvml **ret);

/* nvml_close - nvmlShutdown and dlclose. */
void nvml_close(struct nvml *n);

/* nvml_status - the device count (or why there is none) into @g. */
void nvml_status(const struct nvml *n, struct rtlab_probe_gpu *g);

/* nvml_count - devices NVML lists (0 when it is not up). */
unsigned nvml_count(const struct nvml *n);

/* nvml_describe - static identity of device @i into @g. */
void nvml_describe(const struct nvml *n, unsigned i, struct rtlab_gpu_dev *g);

/* nvml_read - the numbers of device @i into @g; the first problem into the why. */
void nvml_read(struct probe_cx *cx, const struct nvml *n, unsigned i, struct rtlab_gpu_dev *g);

#endif /* RTLAB_PROBE_HW_INTERNAL_H */
