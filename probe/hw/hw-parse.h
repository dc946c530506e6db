/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hw-parse.h - pure parsers and computations of the hw group (thermal, power,
 * gpu): no I/O, never read past len (buffers need not be NUL-terminated),
 * unit-tested on fixtures and fuzzed.
 */
#ifndef RTLAB_PROBE_HW_PARSE_H
#define RTLAB_PROBE_HW_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rtlab/probe.h>

/*
 * hw_int_parse - a sysfs number ("47000\n", "-273150\n"): optional blanks, an
 * optional '-', digits, then only blanks and newlines.  0, or -EBADMSG.
 */
int hw_int_parse(const char *buf, size_t len, int64_t *ret);

/*
 * hw_str_copy - the first line of [buf, buf+len) without the blanks around
 * it into @dst (@size bytes, truncated, NUL-terminated).  Returns the length.
 */
size_t hw_str_copy(char *dst, size_t size, const char *buf, size_t len);

/* hw_natcmp - compare names with their digit runs as numbers ("hwmon2" < "hwmon10"). */
int hw_natcmp(const char *a, const char *b);

/*
 * hw_clean_name - node_exporter's cleanMetricName: lower case, every run of
 * bytes of one character outside [a-z0-9:_] made '_', '_' trimmed at both
 * ends.  Into @dst (truncated); returns the length.
 */
size_t hw_clean_name(char *dst, size_t size, const char *src, size_t len);

/*
 * hwmon_chip_from_path - node_exporter's hwmon chip label from the resolved
 * device path: "<parent>_<device>" cleaned ("/sys/devices/platform/coretemp.0"
 * gives "platform_coretemp_0"), or only the device when the parent cleans to
 * nothing.  0, or -EINVAL when the device part cleans to nothing.
 */
int hwmon_chip_from_path(const char *path, size_t len, char *dst, size_t size);

#define HWMON_PROP_LABEL RTLAB_HWMON_PROP__COUNT	/* "temp1_label" */

/* What a hwmon file name says: "temp1_input" is temp, 1, input. */
struct hwmon_file_id {
	uint8_t type;		/* enum rtlab_hwmon_type */
	uint8_t prop;		/* enum rtlab_hwmon_prop, or HWMON_PROP_LABEL */
	uint32_t num;
};

/*
 * hwmon_file_parse - "<type><num>_<prop>" with a known type and property.
 * 0, or -EINVAL for any other name ("name", "uevent", "pwm1", "temp1_type").
 */
int hwmon_file_parse(const char *name, size_t len, struct hwmon_file_id *out);

/* hwmon_type_name, hwmon_prop_name - "temp", "input" ("label" for HWMON_PROP_LABEL). */
const char *hwmon_type_name(unsigned type);
const char *hwmon_prop_name(unsigned prop);

/*
 * power_supply_parse - a power supply's uevent ("POWER_SUPPLY_STATUS=Full\n"
 * lines) into @out: the numbers and strings it has, every other one ABSENT
 * (strings ""); out->name and out->type are kept when the uevent lacks them.
 * A number that does not parse is MALFORMED.  0, or -EBADMSG if one was.
 */
int power_supply_parse(const char *buf, size_t len, struct rtlab_power_supply *out);

/*
 * power_supply_derive - power_watts, health_ratio and the time estimates
 * from the numbers of @ps (NOT_READY/ABSENT/UNSUPPORTED when they cannot be
 * computed: not discharging, no power...).
 */
void power_supply_derive(struct rtlab_power_supply *ps);

/*
 * rapl_name_split - node_exporter's split of a RAPL name: "package-0" is
 * kind "package" index 0 (true); "core" is kind "core" (false: no index).
 */
bool rapl_name_split(const char *name, char *kind, size_t size, uint32_t *index);

/*
 * rapl_advance - a reading @raw_uj of @r's counter at @now_ns: the first one
 * sets the total and leaves power NOT_READY; later ones add the delta,
 * corrected for wrap-around (raw < previous: + max_energy_range_uj), to the
 * total and give the power over the interval.  A counter that went down with
 * no known range, or an interval of 0, makes power NOT_READY again.
 */
void rapl_advance(struct rtlab_rapl_domain *r, uint64_t raw_uj, uint64_t now_ns);

/* An amdgpu pp_dpm_* clock table. */
struct gpu_dpm {
	struct rtlab_pu64 cur_mhz;	/* the level marked '*' */
	struct rtlab_pu64 min_mhz;	/* lowest numbered level (deep sleep "S:" excluded) */
	struct rtlab_pu64 max_mhz;
	uint32_t levels;
};

/*
 * gpu_dpm_parse - "0: 500Mhz \n1: 1400Mhz *\n" into @out.  A line that does
 * not parse makes it -EBADMSG (what was read stays).  No '*' line: cur_mhz
 * is ABSENT.  0 or -EBADMSG.
 */
int gpu_dpm_parse(const char *buf, size_t len, struct gpu_dpm *out);

/* What a PCI device's uevent says. */
struct drm_pci {
	char driver[16];	/* DRIVER= ("" if unbound) */
	char slot[32];		/* PCI_SLOT_NAME= "0000:03:00.0" */
	uint32_t vendor;	/* PCI_ID= "1002:73BF" */
	uint32_t device;
	bool has_id;
};

/* drm_uevent_parse - DRIVER, PCI_ID and PCI_SLOT_NAME of a device uevent.  0 or -EBADMSG. */
int drm_uevent_parse(const char *buf, size_t len, struct drm_pci *out);

#endif /* RTLAB_PROBE_HW_PARSE_H */
