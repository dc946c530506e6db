/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-thermal.c - the thermal family: thermal zones with trip points, cooling
 * devices and hwmon chips on the laptop, amdgpu and vm trees; damaged and
 * missing files; sensors plugged in later; limits that change.
 */
#include <unistd.h>

#include "../test-probe.h"
#include "hw-test.h"

/* fresh_probe - a probe of @root that rescans as often as it may (once a second). */
static struct rtlab_probe *fresh_probe(const char *root)
{
	struct rtlab_probe_opts o = { .ttl_slow_ns = 1 };

	return probe_at(root, &o);
}

/* find_sensor - the sensor @name of the chip labelled @chip, or NULL. */
static const struct rtlab_hwmon_sensor *find_sensor(const struct rtlab_probe_thermal *t,
						     const char *chip, const char *name)
{
	for (size_t i = 0; i < t->nsensors; i++)
		if (strcmp(t->chips[t->sensors[i].chip].chip, chip) == 0 &&
		    strcmp(t->sensors[i].sensor, name) == 0)
			return &t->sensors[i];
	return NULL;
}

/* The laptop: two zones with their trip points, two cooling devices. */
Test(thermal, laptop_zones_and_cooling)
{
	struct rtlab_probe *p = probe_fixture("laptop");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_probe_thermal *t = &d->thermal;

	collect_one(p, RTLAB_PF_THERMAL, d);
	cr_assert_eq(d->err[RTLAB_PF_THERMAL], 0);
	cr_assert_str_eq(d->why[RTLAB_PF_THERMAL], "");
	cr_assert_eq(t->zones_st, RTLAB_PV_OK);
	cr_assert_eq(t->nzones, 2);
	cr_assert_eq(t->zones[0].zone, 0);
	cr_assert_str_eq(t->zones[0].type, "acpitz");
	cr_assert_str_eq(t->zones[0].policy, "step_wise");
	cr_assert_str_eq(t->zones[0].mode, "enabled");
	cr_assert_float_eq(t->zones[0].temp_celsius.v, 47.0, 1e-12);
	cr_assert_eq(t->zones[0].ntrips, 2);
	cr_assert_str_eq(t->zones[0].trips[0].type, "critical");
	cr_assert_float_eq(t->zones[0].trips[0].temp_celsius.v, 119.0, 1e-12);
	cr_assert_str_eq(t->zones[0].trips[1].type, "hot");
	cr_assert_float_eq(t->zones[0].trips[1].hyst_celsius.v, 2.0, 1e-12);
	cr_assert_str_eq(t->zones[1].type, "x86_pkg_temp");
	cr_assert_float_eq(t->zones[1].temp_celsius.v, 52.0, 1e-12);
	cr_assert_float_eq(t->zones[1].trips[1].temp_celsius.v, 95.0, 1e-12);
	cr_assert_eq(t->ncooling, 2);
	cr_assert_str_eq(t->cooling[0].type, "Processor");
	cr_assert_eq(t->cooling[0].cur_state.v, 0);
	cr_assert_eq(t->cooling[0].max_state.v, 3);
	cr_assert_eq(t->cooling[1].cur_state.st, RTLAB_PV_OK);
	cr_assert_eq(t->cooling[1].cur_state.v, -1);
	cr_assert_eq(t->cooling[1].max_state.v, 50);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* The laptop's hwmon chips: node_exporter's chip labels, labels, limits, alarms. */
Test(thermal, laptop_hwmon)
{
	struct rtlab_probe *p = probe_fixture("laptop");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_probe_thermal *t = &d->thermal;
	const struct rtlab_hwmon_sensor *s;
	static const char *const chips[] = { "acpitz", "power_supply_bat0", "platform_coretemp_0",
					     "platform_thinkpad_hwmon", "nvme_nvme0" };

	collect_one(p, RTLAB_PF_THERMAL, d);
	cr_assert_eq(t->hwmon_st, RTLAB_PV_OK);
	cr_assert_eq(t->nchips, 5);
	for (size_t i = 0; i < 5; i++)
		cr_assert_str_eq(t->chips[i].chip, chips[i]);
	cr_assert_str_eq(t->chips[2].name, "coretemp");
	cr_assert_str_eq(t->chips[2].hwmon, "hwmon2");
	s = find_sensor(t, "platform_coretemp_0", "temp1");
	cr_assert_not_null(s);
	cr_assert_str_eq(s->label, "Package id 0");
	cr_assert_eq(s->type, RTLAB_HWMON_TEMP);
	cr_assert_float_eq(s->v[RTLAB_HWMON_INPUT].v, 52.0, 1e-12);
	cr_assert_float_eq(s->v[RTLAB_HWMON_MAX].v, 100.0, 1e-12);
	cr_assert_float_eq(s->v[RTLAB_HWMON_CRIT].v, 100.0, 1e-12);
	cr_assert_eq(s->v[RTLAB_HWMON_CRIT_ALARM].st, RTLAB_PV_OK);
	cr_assert_eq(s->v[RTLAB_HWMON_CRIT_ALARM].v, 0);
	cr_assert_eq(s->v[RTLAB_HWMON_EMERGENCY].st, RTLAB_PV_ABSENT);
	cr_assert_not(s->has & (1u << RTLAB_HWMON_EMERGENCY));
	s = find_sensor(t, "nvme_nvme0", "temp1");
	cr_assert_not_null(s);
	cr_assert_float_eq(s->v[RTLAB_HWMON_INPUT].v, 38.85, 1e-12);
	cr_assert_float_eq(s->v[RTLAB_HWMON_MIN].v, -273.15, 1e-12);
	s = find_sensor(t, "power_supply_bat0", "in0");
	cr_assert_not_null(s);
	cr_assert_float_eq(s->v[RTLAB_HWMON_INPUT].v, 12.074, 1e-12);
	s = find_sensor(t, "platform_thinkpad_hwmon", "fan1");
	cr_assert_not_null(s);
	cr_assert_float_eq(s->v[RTLAB_HWMON_INPUT].v, 2100, 1e-12);
	cr_assert_null(find_sensor(t, "platform_thinkpad_hwmon", "pwm1"));
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* The samples under node_exporter's names and labels, each name in one run. */
Test(thermal, laptop_metrics)
{
	struct rtlab_probe *p = probe_fixture("laptop");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct capture c = { 0 };

	collect_one(p, RTLAB_PF_THERMAL, d);
	capture_family(&c, d, RTLAB_PF_THERMAL);
	cr_assert_float_eq(cap_value(&c, "node_thermal_zone_temp{type=\"x86_pkg_temp\",zone=\"1\"}"),
			   52, 1e-12);
	cr_assert_float_eq(cap_value(&c, "node_cooling_device_cur_state{name=\"1\","
				      "type=\"intel_powerclamp\"}"),
			   -1, 0);
	cr_assert_float_eq(cap_value(&c, "node_cooling_device_max_state{name=\"0\","
				      "type=\"Processor\"}"),
			   3, 0);
	cr_assert_float_eq(cap_value(&c, "node_hwmon_chip_names{chip=\"power_supply_bat0\","
				      "chip_name=\"bat0\"}"),
			   1, 0);
	cr_assert_float_eq(cap_value(&c, "node_hwmon_sensor_label{chip=\"platform_coretemp_0\","
				      "label=\"Core 0\",sensor=\"temp2\"}"),
			   1, 0);
	cr_assert_float_eq(cap_value(&c, "node_hwmon_temp_celsius{chip=\"platform_coretemp_0\","
				      "sensor=\"temp2\"}"),
			   50, 1e-12);
	cr_assert_float_eq(cap_value(&c, "node_hwmon_temp_crit_celsius{chip=\"acpitz\","
				      "sensor=\"temp1\"}"),
			   119, 1e-12);
	cr_assert_float_eq(cap_value(&c, "node_hwmon_temp_max_celsius{chip=\"nvme_nvme0\","
				      "sensor=\"temp1\"}"),
			   84.85, 1e-12);
	cr_assert_float_eq(cap_value(&c, "node_hwmon_fan_rpm{chip=\"platform_thinkpad_hwmon\","
				      "sensor=\"fan1\"}"),
			   2100, 0);
	cr_assert_float_eq(cap_value(&c, "node_hwmon_in_volts{chip=\"power_supply_bat0\","
				      "sensor=\"in0\"}"),
			   12.074, 1e-12);
	cr_assert_float_eq(cap_value(&c, "rtlab_hwmon_temp_crit_alarm{chip=\"platform_coretemp_0\","
				      "sensor=\"temp3\"}"),
			   0, 0);
	cr_assert_float_eq(cap_value(&c, "rtlab_thermal_zone_trip_celsius{trip=\"0\","
				      "trip_type=\"critical\",type=\"acpitz\",zone=\"0\"}"),
			   119, 1e-12);
	cr_assert_float_eq(cap_value(&c, "rtlab_thermal_zone_info{mode=\"enabled\","
				      "policy=\"step_wise\",type=\"acpitz\",zone=\"0\"}"),
			   1, 0);
	capture_free(&c);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* amdgpu: hwmon chips named from their PCI device paths. */
Test(thermal, amdgpu_hwmon)
{
	struct rtlab_probe *p = probe_fixture("amdgpu");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_hwmon_sensor *s;

	collect_one(p, RTLAB_PF_THERMAL, d);
	cr_assert_eq(d->thermal.nchips, 2);
	s = find_sensor(&d->thermal, "0000:00:01_1_0000:03:00_0", "power1");
	cr_assert_not_null(s);
	cr_assert_str_eq(s->label, "PPT");
	cr_assert_float_eq(s->v[RTLAB_HWMON_AVERAGE].v, 38.0, 1e-12);
	cr_assert_float_eq(s->v[RTLAB_HWMON_CAP].v, 255.0, 1e-12);
	s = find_sensor(&d->thermal, "0000:00:01_0_0000:04:00_0", "energy1");
	cr_assert_not_null(s);
	cr_assert_float_eq(s->v[RTLAB_HWMON_INPUT].v, 912.345678, 1e-9);
	/* No thermal zones in this tree: absent, no failure. */
	cr_assert_eq(d->thermal.zones_st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->thermal.nzones, 0);
	cr_assert_eq(d->err[RTLAB_PF_THERMAL], 0);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* The vm tree (no thermal or hwmon class): absent, said so, nothing made up. */
Test(thermal, vm_tree_has_nothing)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct capture c = { 0 };

	collect_one(p, RTLAB_PF_THERMAL, d);
	cr_assert_eq(d->thermal.nzones, 0);
	cr_assert_eq(d->thermal.nchips, 0);
	cr_assert_eq(d->thermal.zones_st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->thermal.hwmon_st, RTLAB_PV_ABSENT);
	cr_assert_str_eq(d->why[RTLAB_PF_THERMAL], "/sys/class/thermal: absent");
	capture_family(&c, d, RTLAB_PF_THERMAL);
	cr_assert_eq(cap_state(&c, "rtlab_hwmon_chips"), RTLAB_PV_ABSENT);
	capture_free(&c);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* A temp1_input reading "abc": MALFORMED with the file named; the others still read. */
Test(thermal, malformed_input)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_hwmon_sensor *s;

	tree_new(root, sizeof(root));
	tree_put(root, "/sys/class/hwmon/hwmon0/name", "k10temp\n");
	tree_put(root, "/sys/class/hwmon/hwmon0/temp1_input", "abc\n");
	tree_put(root, "/sys/class/hwmon/hwmon0/temp2_input", "41250\n");
	tree_put(root, "/sys/class/hwmon/hwmon0/temp3_input", "");
	tree_put(root, "/sys/class/hwmon/hwmon0/temp4_input", "42                              x\n");
	p = probe_at(root, NULL);
	collect_one(p, RTLAB_PF_THERMAL, d);
	cr_assert_eq(d->err[RTLAB_PF_THERMAL], 0);
	cr_assert_str_eq(d->thermal.chips[0].chip, "k10temp", "no device: the name");
	s = find_sensor(&d->thermal, "k10temp", "temp1");
	cr_assert_not_null(s);
	cr_assert_eq(s->v[RTLAB_HWMON_INPUT].st, RTLAB_PV_MALFORMED);
	cr_assert(strstr(d->why[RTLAB_PF_THERMAL],
			 "/sys/class/hwmon/hwmon0/temp1_input:1: malformed value \"abc\""),
		  "%s", d->why[RTLAB_PF_THERMAL]);
	s = find_sensor(&d->thermal, "k10temp", "temp2");
	cr_assert_float_eq(s->v[RTLAB_HWMON_INPUT].v, 41.25, 1e-12);
	s = find_sensor(&d->thermal, "k10temp", "temp3");
	cr_assert_eq(s->v[RTLAB_HWMON_INPUT].st, RTLAB_PV_MALFORMED, "an empty file");
	s = find_sensor(&d->thermal, "k10temp", "temp4");
	cr_assert_eq(s->v[RTLAB_HWMON_INPUT].st, RTLAB_PV_MALFORMED, "longer than a number");
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* A read error (a directory for a file) is an error with the file named; no file: ABSENT. */
Test(thermal, unreadable_input)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	tree_new(root, sizeof(root));
	tree_put(root, "/sys/class/thermal/thermal_zone3/temp/x", "");
	tree_put(root, "/sys/class/thermal/thermal_zone3/type", "pch\n");
	tree_put(root, "/sys/class/thermal/thermal_zone12/type", "iwlwifi\n");
	p = probe_at(root, NULL);
	collect_one(p, RTLAB_PF_THERMAL, d);
	cr_assert_eq(d->thermal.nzones, 2);
	cr_assert_eq(d->thermal.zones[0].zone, 3);
	cr_assert_eq(d->thermal.zones[0].temp_celsius.st, RTLAB_PV_ERROR);
	cr_assert_eq(d->thermal.zones[1].zone, 12);
	cr_assert_eq(d->thermal.zones[1].temp_celsius.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->thermal.zones[1].ntrips, 0);
	cr_assert(strstr(d->why[RTLAB_PF_THERMAL], "/sys/class/thermal/thermal_zone3/temp"), "%s",
		  d->why[RTLAB_PF_THERMAL]);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* A chip plugged in later is found by the rescan; a limit changed is re-read. */
Test(thermal, hotplug_and_limit_change, .timeout = 30)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe_data *d2 = rtlab_probe_data_new();
	const struct rtlab_hwmon_sensor *s;

	tree_new(root, sizeof(root));
	tree_put(root, "/sys/class/hwmon/hwmon0/name", "coretemp\n");
	tree_put(root, "/sys/class/hwmon/hwmon0/temp1_input", "40000\n");
	tree_put(root, "/sys/class/hwmon/hwmon0/temp1_max", "90000\n");
	p = fresh_probe(root);
	collect_one(p, RTLAB_PF_THERMAL, d);
	cr_assert_eq(d->thermal.nchips, 1);
	tree_put(root, "/sys/class/hwmon/hwmon1/name", "nct6775\n");
	tree_put(root, "/sys/class/hwmon/hwmon1/fan2_input", "900\n");
	tree_put(root, "/sys/class/hwmon/hwmon0/temp1_max", "85000\n");
	tree_put(root, "/sys/class/hwmon/hwmon0/temp1_input", "41000\n");
	collect_one(p, RTLAB_PF_THERMAL, d);
	cr_assert_eq(d->thermal.nchips, 1, "no rescan within a second");
	s = find_sensor(&d->thermal, "coretemp", "temp1");
	cr_assert_float_eq(s->v[RTLAB_HWMON_INPUT].v, 41.0, 1e-12, "inputs are read every time");
	cr_assert_float_eq(s->v[RTLAB_HWMON_MAX].v, 90.0, 1e-12);
	usleep(1100 * 1000);
	collect_one(p, RTLAB_PF_THERMAL, d);
	cr_assert_eq(d->thermal.nchips, 2);
	s = find_sensor(&d->thermal, "nct6775", "fan2");
	cr_assert_not_null(s);
	cr_assert_float_eq(s->v[RTLAB_HWMON_INPUT].v, 900, 0);
	s = find_sensor(&d->thermal, "coretemp", "temp1");
	cr_assert_float_eq(s->v[RTLAB_HWMON_MAX].v, 85.0, 1e-12);
	/* A second consumer gets the same layout from the same probe. */
	collect_one(p, RTLAB_PF_THERMAL, d2);
	cr_assert_eq(d2->thermal.nchips, 2);
	cr_assert_eq(d2->thermal.nsensors, d->thermal.nsensors);
	/* A limit change alone (no new chip) is seen too. */
	tree_put(root, "/sys/class/hwmon/hwmon0/temp1_max", "80000\n");
	usleep(1100 * 1000);
	collect_one(p, RTLAB_PF_THERMAL, d);
	s = find_sensor(&d->thermal, "coretemp", "temp1");
	cr_assert_float_eq(s->v[RTLAB_HWMON_MAX].v, 80.0, 1e-12);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	rtlab_probe_data_free(d2);
	tree_free(root);
}

/* Every sensor type and the old-style files in device/: units and names. */
Test(thermal, sensor_types_and_device_dir)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct capture c = { 0 };

	tree_new(root, sizeof(root));
	tree_put(root, "/sys/class/hwmon/hwmon0/name", "ina3221\n");
	tree_put(root, "/sys/class/hwmon/hwmon0/curr1_input", "1500\n");
	tree_put(root, "/sys/class/hwmon/hwmon0/power1_input", "2500000\n");
	tree_put(root, "/sys/class/hwmon/hwmon0/energy1_input", "3000000\n");
	tree_put(root, "/sys/class/hwmon/hwmon0/humidity1_input", "45000\n");
	tree_put(root, "/sys/class/hwmon/hwmon0/in1_input", "3300\n");
	tree_put(root, "/sys/class/hwmon/hwmon0/in1_alarm", "1\n");
	tree_put(root, "/sys/class/hwmon/hwmon0/device/temp1_input", "30000\n");
	tree_put(root, "/sys/class/hwmon/hwmon0/device/temp1_label", "board\n");
	tree_put(root, "/sys/class/hwmon/hwmon0/device/in1_input", "9999\n");
	p = probe_at(root, NULL);
	collect_one(p, RTLAB_PF_THERMAL, d);
	capture_family(&c, d, RTLAB_PF_THERMAL);
	cr_assert_str_eq(d->thermal.chips[0].chip, "hwmon0_device", "from the device path");
	cr_assert_float_eq(cap_value(&c, "node_hwmon_curr_amps{chip=\"hwmon0_device\",sensor=\"curr1\"}"),
			   1.5, 1e-12);
	cr_assert_float_eq(cap_value(&c, "node_hwmon_power_watt{chip=\"hwmon0_device\","
				      "sensor=\"power1\"}"),
			   2.5, 1e-12);
	cr_assert_float_eq(cap_value(&c, "node_hwmon_energy_joule_total{chip=\"hwmon0_device\","
				      "sensor=\"energy1\"}"),
			   3.0, 1e-12);
	cr_assert_float_eq(cap_value(&c, "rtlab_hwmon_humidity_ratio{chip=\"hwmon0_device\","
				      "sensor=\"humidity1\"}"),
			   0.45, 1e-12);
	cr_assert_float_eq(cap_value(&c, "node_hwmon_in_alarm{chip=\"hwmon0_device\",sensor=\"in1\"}"), 1,
			   0);
	cr_assert_float_eq(cap_value(&c, "node_hwmon_in_volts{chip=\"hwmon0_device\","
				      "sensor=\"in1\"}"),
			   3.3,
			   1e-12, "the hwmon directory wins over device/");
	cr_assert_float_eq(cap_value(&c, "node_hwmon_temp_celsius{chip=\"hwmon0_device\","
				      "sensor=\"temp1\"}"),
			   30, 1e-12);
	cr_assert_float_eq(cap_value(&c, "node_hwmon_sensor_label{chip=\"hwmon0_device\",label=\"board\","
				      "sensor=\"temp1\"}"),
			   1, 0);
	capture_free(&c);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* One data for probes of different trees, one after the other: each gets its own layout. */
Test(thermal, data_reused_across_probes)
{
	static const char *const trees[] = { "laptop", "amdgpu", "vm", "laptop" };
	const uint64_t fams = RTLAB_PF_BIT(RTLAB_PF_THERMAL) | RTLAB_PF_BIT(RTLAB_PF_POWER) |
			      RTLAB_PF_BIT(RTLAB_PF_GPU);
	static const size_t chips[] = { 5, 2, 0, 5 }, gpus[] = { 0, 3, 0, 0 };
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	for (size_t i = 0; i < 4; i++) {
		struct rtlab_probe *p = probe_fixture(trees[i]);

		cr_assert_eq(rtlab_probe_collect(p, fams, d), 0);
		cr_assert_eq(d->thermal.nchips, chips[i], "%s", trees[i]);
		cr_assert_eq(d->gpu.ngpus, gpus[i], "%s", trees[i]);
		cr_assert_eq(d->power.nsupplies, i % 3 == 0 ? 3 : 0, "%s", trees[i]);
		rtlab_probe_free(p);
	}
	rtlab_probe_data_free(d);
}
