/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe-hw.h - the hardware families: thermal (thermal zones, cooling devices,
 * hwmon sensors), power (RAPL powercap domains, batteries, AC and USB supplies)
 * and gpu (NVIDIA through NVML loaded at run time, amdgpu, i915 and xe from
 * sysfs).
 *
 * The arrays are grown by the probe inside struct rtlab_probe_data and freed
 * by rtlab_probe_data_free().  Strings come from the system as they are
 * (trailing newline and blanks removed) and are bounded: never assume they
 * are sane.  Units are in the field names; values are in base units
 * (celsius, volts, watts, joules, bytes, hertz) once converted.
 */
#ifndef RTLAB_PROBE_HW_H
#define RTLAB_PROBE_HW_H

#include <rtlab/probe-types.h>

/* --- thermal: /sys/class/thermal and /sys/class/hwmon --- */

#define RTLAB_THERMAL_TRIPS_MAX 16

/* One trip point of a thermal zone (trip_point_K_{type,temp,hyst}). */
struct rtlab_thermal_trip {
	char type[16];				/* "critical", "hot", "passive", "active" */
	struct rtlab_pf64 temp_celsius;		/* where it trips */
	struct rtlab_pf64 hyst_celsius;		/* hysteresis; ABSENT on many drivers */
};

/* /sys/class/thermal/thermal_zoneN */
struct rtlab_thermal_zone {
	uint32_t zone;				/* N */
	char type[24];				/* "acpitz", "x86_pkg_temp" */
	char policy[24];			/* governor: "step_wise"; "" if unreadable */
	char mode[12];				/* "enabled", "disabled"; "" if absent */
	struct rtlab_pf64 temp_celsius;		/* read on every collection */
	uint32_t ntrips;			/* trips[] used (at most RTLAB_THERMAL_TRIPS_MAX) */
	struct rtlab_thermal_trip trips[RTLAB_THERMAL_TRIPS_MAX];
};

/* /sys/class/thermal/cooling_deviceN */
struct rtlab_cooling_device {
	uint32_t index;				/* N */
	char type[24];				/* "Processor", "intel_powerclamp", "Fan" */
	struct rtlab_pi64 cur_state;		/* read on every collection; may be -1 */
	struct rtlab_pi64 max_state;
};

/* hwmon sensor types (the prefix of "temp1_input"). */
enum rtlab_hwmon_type {
	RTLAB_HWMON_TEMP,	/* celsius */
	RTLAB_HWMON_IN,		/* volts */
	RTLAB_HWMON_FAN,	/* revolutions per minute */
	RTLAB_HWMON_POWER,	/* watts */
	RTLAB_HWMON_CURR,	/* amperes */
	RTLAB_HWMON_ENERGY,	/* joules */
	RTLAB_HWMON_HUMIDITY,	/* ratio 0..1 */
	RTLAB_HWMON_TYPE__COUNT,
};

/* hwmon sensor properties (the suffix of "temp1_input"). */
enum rtlab_hwmon_prop {
	RTLAB_HWMON_INPUT,
	RTLAB_HWMON_MIN,
	RTLAB_HWMON_MAX,
	RTLAB_HWMON_CRIT,
	RTLAB_HWMON_LCRIT,
	RTLAB_HWMON_EMERGENCY,
	RTLAB_HWMON_MAX_HYST,
	RTLAB_HWMON_CRIT_HYST,
	RTLAB_HWMON_LOWEST,
	RTLAB_HWMON_HIGHEST,
	RTLAB_HWMON_AVERAGE,
	RTLAB_HWMON_TARGET,
	RTLAB_HWMON_CAP,
	RTLAB_HWMON_ALARM,		/* alarms and faults are 0 or 1 */
	RTLAB_HWMON_MIN_ALARM,
	RTLAB_HWMON_MAX_ALARM,
	RTLAB_HWMON_CRIT_ALARM,
	RTLAB_HWMON_LCRIT_ALARM,
	RTLAB_HWMON_FAULT,
	RTLAB_HWMON_PROP__COUNT,
};

/* One hwmon device (/sys/class/hwmon/hwmonN). */
struct rtlab_hwmon_chip {
	char hwmon[16];				/* "hwmon2" */
	char chip[64];				/* node_exporter's chip label: "platform_coretemp_0" */
	char name[32];				/* the name file: "coretemp"; "" if none */
};

/* One sensor of a chip ("temp1") with the values of its files. */
struct rtlab_hwmon_sensor {
	uint32_t chip;				/* index in rtlab_probe_thermal.chips */
	uint8_t type;				/* enum rtlab_hwmon_type */
	uint32_t num;				/* 1 of "temp1" */
	char sensor[24];			/* "temp1" */
	char label[48];				/* tempN_label ("Core 0"); "" if none */
	uint32_t has;				/* bit 1 << prop for each file that exists */
	/*
	 * Values in base units (see enum rtlab_hwmon_type), indexed by enum
	 * rtlab_hwmon_prop.  _input, _average, _lowest, _highest, alarms and
	 * faults are read on every collection; limits and labels on the
	 * rescan (the slow TTL, at least once a second).
	 */
	struct rtlab_pf64 v[RTLAB_HWMON_PROP__COUNT];
};

struct rtlab_probe_thermal {
	uint8_t zones_st;			/* /sys/class/thermal: OK, or ABSENT... */
	uint8_t hwmon_st;			/* /sys/class/hwmon */
	struct rtlab_thermal_zone *zones;	/* by N */
	size_t nzones, zones_cap;
	struct rtlab_cooling_device *cooling;	/* by N */
	size_t ncooling, cooling_cap;
	struct rtlab_hwmon_chip *chips;		/* by hwmonN */
	size_t nchips, chips_cap;
	struct rtlab_hwmon_sensor *sensors;	/* by chip, then type and number */
	size_t nsensors, sensors_cap;
	uint64_t layout;			/* internal: which discovery the arrays follow */
};

/* --- power: /sys/class/powercap and /sys/class/power_supply --- */

#define RTLAB_RAPL_CONSTRAINTS_MAX 4

/* constraint_K_* of a powercap zone. */
struct rtlab_rapl_constraint {
	char name[16];				/* "long_term", "short_term", "peak_power" */
	struct rtlab_pf64 power_limit_watts;
	struct rtlab_pf64 time_window_seconds;
	struct rtlab_pf64 max_power_watts;	/* ABSENT on many zones */
};

/* A RAPL domain: /sys/class/powercap/intel-rapl:N[:M] (any zone with a name file). */
struct rtlab_rapl_domain {
	char zone[40];				/* "intel-rapl:0:1" */
	char name[32];				/* the name file: "package-0", "core", "dram" */
	char kind[24];				/* the name less "-N": "package" (node_exporter's) */
	uint32_t index;				/* N of "package-N", else the count of same
						 * names before it (node_exporter's index) */
	struct rtlab_pu64 enabled;		/* 0 or 1 */
	struct rtlab_pu64 energy_uj;		/* the raw counter (root-only since 2020) */
	struct rtlab_pu64 max_energy_range_uj;	/* where the counter wraps */
	struct rtlab_pf64 energy_joules;	/* total: the first reading plus the deltas
						 * corrected for wrap-around (never decreases) */
	struct rtlab_pf64 power_watts;		/* from the last delta; NOT_READY first */
	uint32_t nconstraints;
	struct rtlab_rapl_constraint constraints[RTLAB_RAPL_CONSTRAINTS_MAX];
	/* The previous reading, for the deltas of the next collection. */
	uint64_t prev_uj;			/* raw counter */
	uint64_t prev_ns;			/* 0 = none yet */
	uint64_t total_uj;			/* energy_joules in microjoules */
};

/*
 * A power supply: /sys/class/power_supply/NAME (its uevent, read in one
 * pread).  Numbers are as the kernel gives them (micro-units); those it does
 * not give for this supply are ABSENT.
 */
struct rtlab_power_supply {
	char name[48];				/* "BAT0", "AC", "ucsi-source-psy-USBC000:001" */
	char type[16];				/* "Battery", "Mains", "USB", "UPS", "Wireless" */
	char status[16];			/* "Charging", "Discharging", "Full", "Not charging" */
	char health[24];			/* the kernel's word: "Good", "Overheat" */
	char technology[16];			/* "Li-ion", "Li-poly" */
	char capacity_level[16];		/* "Normal", "Low", "Critical", "Full" */
	char charge_type[16];
	char manufacturer[32];
	char model_name[32];
	char serial_number[32];
	char usb_type[32];			/* "C [PD] PD_PPS" */
	char scope[16];				/* "System", "Device" */
	struct rtlab_pi64 online;		/* AC, USB: 0 or 1 */
	struct rtlab_pi64 present;
	struct rtlab_pi64 capacity_percent;
	struct rtlab_pi64 cycle_count;
	struct rtlab_pi64 energy_now_uwh;
	struct rtlab_pi64 energy_full_uwh;
	struct rtlab_pi64 energy_full_design_uwh;
	struct rtlab_pi64 energy_empty_uwh;
	struct rtlab_pi64 charge_now_uah;
	struct rtlab_pi64 charge_full_uah;
	struct rtlab_pi64 charge_full_design_uah;
	struct rtlab_pi64 charge_counter_uah;
	struct rtlab_pi64 voltage_now_uv;
	struct rtlab_pi64 voltage_min_uv;
	struct rtlab_pi64 voltage_max_uv;
	struct rtlab_pi64 voltage_min_design_uv;
	struct rtlab_pi64 voltage_max_design_uv;
	struct rtlab_pi64 current_now_ua;	/* negative while discharging on some drivers */
	struct rtlab_pi64 current_max_ua;
	struct rtlab_pi64 power_now_uw;
	struct rtlab_pi64 temp_decicelsius;
	struct rtlab_pi64 time_to_empty_now_s;	/* the kernel's own estimates */
	struct rtlab_pi64 time_to_full_now_s;
	/* Derived. */
	struct rtlab_pf64 power_watts;		/* power_now, else |current_now| x voltage_now */
	struct rtlab_pf64 health_ratio;		/* energy (or charge) full / full_design */
	struct rtlab_pf64 time_to_empty_seconds; /* discharging: now / power */
	struct rtlab_pf64 time_to_full_seconds;	/* charging: (full - now) / power */
};

struct rtlab_probe_power {
	uint8_t rapl_st;			/* /sys/class/powercap: OK, or ABSENT... */
	uint8_t supplies_st;			/* /sys/class/power_supply */
	struct rtlab_rapl_domain *rapl;		/* in node_exporter's (name) order */
	size_t nrapl, rapl_cap;
	struct rtlab_power_supply *supplies;	/* by name */
	size_t nsupplies, supplies_cap;
	uint64_t layout;			/* internal: which discovery the arrays follow */
};

/* --- gpu: NVML (dlopen), /sys/class/drm/cardN --- */

/* The clocks of a GPU (label clock="graphics"...). */
enum rtlab_gpu_clock {
	RTLAB_GPU_CLOCK_GRAPHICS,	/* current shader clock: NVML graphics, amdgpu sclk, i915/xe cur */
	RTLAB_GPU_CLOCK_SM,		/* NVML */
	RTLAB_GPU_CLOCK_MEMORY,		/* NVML mem, amdgpu mclk */
	RTLAB_GPU_CLOCK_VIDEO,		/* NVML */
	RTLAB_GPU_CLOCK_ACTUAL,		/* i915/xe act (the hardware's) */
	RTLAB_GPU_CLOCK_MIN,		/* i915/xe min, amdgpu lowest sclk level */
	RTLAB_GPU_CLOCK_MAX,		/* i915/xe max, amdgpu highest sclk level */
	RTLAB_GPU_CLOCK_BOOST,		/* i915 boost */
	RTLAB_GPU_CLOCK__COUNT,
};

/* One GPU. Values a vendor or driver does not give are UNSUPPORTED. */
struct rtlab_gpu_dev {
	uint32_t index;				/* position in rtlab_probe_gpu.gpus (label gpu) */
	char vendor[8];				/* "nvidia", "amd", "intel", else "0x1af4" */
	char driver[16];			/* "nvidia", "amdgpu", "i915", "xe" */
	char name[96];				/* NVML's or amdgpu's product name, else the PCI id */
	char card[16];				/* "card0"; "" for NVML devices */
	char bus_id[32];			/* PCI: "0000:03:00.0" */
	char uuid[96];				/* NVML uuid, amdgpu unique_id */
	char memory_vendor[16];			/* amdgpu mem_info_vram_vendor */
	char performance_level[24];		/* amdgpu power_dpm_force_performance_level */
	struct rtlab_pf64 utilization_ratio;	/* busy 0..1 */
	struct rtlab_pf64 memory_utilization_ratio; /* memory controller busy 0..1 */
	struct rtlab_pu64 memory_total_bytes;	/* VRAM, or NVML framebuffer */
	struct rtlab_pu64 memory_used_bytes;
	struct rtlab_pu64 vis_vram_total_bytes;	/* amdgpu CPU-visible VRAM */
	struct rtlab_pu64 vis_vram_used_bytes;
	struct rtlab_pu64 gtt_total_bytes;	/* amdgpu GTT */
	struct rtlab_pu64 gtt_used_bytes;
	struct rtlab_pf64 temperature_celsius;	/* NVML GPU sensor, else the card's hwmon temp */
	struct rtlab_pf64 power_watts;		/* NVML usage, hwmon power, or hwmon energy delta */
	struct rtlab_pf64 power_limit_watts;	/* NVML enforced limit, hwmon power1_cap */
	struct rtlab_pf64 energy_joules;	/* NVML since driver load, hwmon energy1_input */
	struct rtlab_pf64 fan_ratio;		/* NVML fan speed 0..1 */
	struct rtlab_pf64 fan_rpm;		/* hwmon fan1_input */
	struct rtlab_pf64 idle_residency_seconds; /* i915 RC6, xe gtidle */
	struct rtlab_pu64 clock_hz[RTLAB_GPU_CLOCK__COUNT];
	/* The previous hwmon energy reading, for power from an energy counter. */
	uint64_t prev_energy_uj;
	uint64_t prev_ns;			/* 0 = none yet */
};

struct rtlab_probe_gpu {
	uint8_t drm_st;				/* /sys/class/drm: OK, or ABSENT... */
	struct rtlab_pu64 nvml_devices;		/* NVML's count; ABSENT: no NVIDIA driver */
	char nvml_driver_version[80];		/* "550.54.14"; "" without NVML */
	char nvml_why[128];			/* why nvml_devices is not OK */
	struct rtlab_gpu_dev *gpus;		/* DRM cards by N, then NVML devices */
	size_t ngpus, gpus_cap;
	uint64_t layout;			/* internal: which discovery the arrays follow */
};

#endif /* RTLAB_PROBE_HW_H */
