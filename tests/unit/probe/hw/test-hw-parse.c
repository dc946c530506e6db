/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-hw-parse.c - the hw group's pure parsers and computations: sysfs
 * numbers, names (node_exporter's cleaning and chip labels), hwmon file
 * names, power supply uevents with health and time estimates, RAPL names and
 * wrap-around, amdgpu clock tables, PCI uevents.
 */
#include "../test-probe.h"

#include "hw/hw-parse.h"
#include "probe-internal.h"

/* Numbers: signs, surrounding white space, and nothing else. */
Test(hw_parse, sysfs_numbers)
{
	int64_t v;

	cr_assert_eq(hw_int_parse("47000\n", 6, &v), 0);
	cr_assert_eq(v, 47000);
	cr_assert_eq(hw_int_parse("-273150\n", 8, &v), 0);
	cr_assert_eq(v, -273150);
	cr_assert_eq(hw_int_parse(" 12 \n", 5, &v), 0);
	cr_assert_eq(v, 12);
	cr_assert_eq(hw_int_parse("abc\n", 4, &v), -EBADMSG);
	cr_assert_eq(hw_int_parse("12abc", 5, &v), -EBADMSG);
	cr_assert_eq(hw_int_parse("", 0, &v), -EBADMSG);
	cr_assert_eq(hw_int_parse("\n", 1, &v), -EBADMSG);
	cr_assert_eq(hw_int_parse("1 2", 3, &v), -EBADMSG);
	cr_assert_eq(hw_int_parse("99999999999999999999", 20, &v), -EBADMSG);
	/* Never past len: "12" of "123". */
	cr_assert_eq(hw_int_parse("123", 2, &v), 0);
	cr_assert_eq(v, 12);
}

/* Strings: the first line, trimmed, bounded. */
Test(hw_parse, strings)
{
	char s[8];

	cr_assert_eq(hw_str_copy(s, sizeof(s), " 1234\n", 6), 4);
	cr_assert_str_eq(s, "1234");
	cr_assert_eq(hw_str_copy(s, sizeof(s), "a b\nsecond", 10), 3);
	cr_assert_str_eq(s, "a b");
	cr_assert_eq(hw_str_copy(s, sizeof(s), "0123456789", 10), 7);
	cr_assert_str_eq(s, "0123456");
	cr_assert_eq(hw_str_copy(s, sizeof(s), "", 0), 0);
}

/* Natural order of entries: hwmon2 before hwmon10. */
Test(hw_parse, natural_order)
{
	cr_assert_lt(hw_natcmp("hwmon2", "hwmon10"), 0);
	cr_assert_gt(hw_natcmp("thermal_zone10", "thermal_zone9"), 0);
	cr_assert_eq(hw_natcmp("card1", "card1"), 0);
	cr_assert_lt(hw_natcmp("AC", "BAT0"), 0);
	cr_assert_lt(hw_natcmp("BAT0", "BAT0x"), 0);
	cr_assert_lt(hw_natcmp("intel-rapl:0", "intel-rapl:0:0"), 0);
}

/* node_exporter's cleaning: lower case, one '_' per other character, trimmed. */
Test(hw_parse, clean_names)
{
	char s[64];

	hw_clean_name(s, sizeof(s), "Package id 0", 12);
	cr_assert_str_eq(s, "package_id_0");
	hw_clean_name(s, sizeof(s), "BAT0\n", 5);
	cr_assert_str_eq(s, "bat0");
	hw_clean_name(s, sizeof(s), "__a..b__", 8);
	cr_assert_str_eq(s, "a__b");
	hw_clean_name(s, sizeof(s), "0000:03:00.0", 12);
	cr_assert_str_eq(s, "0000:03:00_0");
	/* One '_' for a two-byte character ("é"). */
	hw_clean_name(s, sizeof(s), "caf\xc3\xa9x", 6);
	cr_assert_str_eq(s, "caf_x");
	cr_assert_eq(hw_clean_name(s, sizeof(s), "---", 3), 0);
}

/* Chip labels from the resolved device path, as node_exporter builds them. */
Test(hw_parse, chip_from_device_path)
{
	char s[64];
	const char *p1 = "/sys/devices/platform/coretemp.0";
	const char *p2 = "/sys/devices/pci0000:00/0000:00:01.1/0000:03:00.0/";
	const char *p3 = "/sys/devices/LNXSYSTM:00/PNP0C0A:00/power_supply/BAT0";

	cr_assert_eq(hwmon_chip_from_path(p1, strlen(p1), s, sizeof(s)), 0);
	cr_assert_str_eq(s, "platform_coretemp_0");
	cr_assert_eq(hwmon_chip_from_path(p2, strlen(p2), s, sizeof(s)), 0);
	cr_assert_str_eq(s, "0000:00:01_1_0000:03:00_0");
	cr_assert_eq(hwmon_chip_from_path(p3, strlen(p3), s, sizeof(s)), 0);
	cr_assert_str_eq(s, "power_supply_bat0");
	cr_assert_eq(hwmon_chip_from_path("/nvme0", 6, s, sizeof(s)), 0);
	cr_assert_str_eq(s, "nvme0");
	cr_assert_eq(hwmon_chip_from_path("/", 1, s, sizeof(s)), -EINVAL);
}

/* hwmon file names: known types and properties only. */
Test(hw_parse, hwmon_file_names)
{
	struct hwmon_file_id id;

	cr_assert_eq(hwmon_file_parse("temp1_input", 11, &id), 0);
	cr_assert_eq(id.type, RTLAB_HWMON_TEMP);
	cr_assert_eq(id.num, 1);
	cr_assert_eq(id.prop, RTLAB_HWMON_INPUT);
	cr_assert_eq(hwmon_file_parse("temp12_crit_alarm", 17, &id), 0);
	cr_assert_eq(id.num, 12);
	cr_assert_eq(id.prop, RTLAB_HWMON_CRIT_ALARM);
	cr_assert_eq(hwmon_file_parse("in0_label", 9, &id), 0);
	cr_assert_eq(id.type, RTLAB_HWMON_IN);
	cr_assert_eq(id.prop, HWMON_PROP_LABEL);
	cr_assert_eq(hwmon_file_parse("power1_average", 14, &id), 0);
	cr_assert_eq(id.type, RTLAB_HWMON_POWER);
	cr_assert_eq(id.prop, RTLAB_HWMON_AVERAGE);
	cr_assert_eq(hwmon_file_parse("humidity1_input", 15, &id), 0);
	cr_assert_eq(id.type, RTLAB_HWMON_HUMIDITY);
	cr_assert_eq(hwmon_file_parse("name", 4, &id), -EINVAL);
	cr_assert_eq(hwmon_file_parse("pwm1", 4, &id), -EINVAL);
	cr_assert_eq(hwmon_file_parse("temp1", 5, &id), -EINVAL);
	cr_assert_eq(hwmon_file_parse("temp1_type", 10, &id), -EINVAL);
	cr_assert_eq(hwmon_file_parse("temp_input", 10, &id), -EINVAL);
	cr_assert_eq(hwmon_file_parse("temp1_input", 10, &id), -EINVAL);
}

/* RAPL names split as node_exporter does. */
Test(hw_parse, rapl_names)
{
	char kind[24];
	uint32_t idx = 99;

	cr_assert(rapl_name_split("package-1", kind, sizeof(kind), &idx));
	cr_assert_str_eq(kind, "package");
	cr_assert_eq(idx, 1);
	cr_assert_not(rapl_name_split("core", kind, sizeof(kind), &idx));
	cr_assert_str_eq(kind, "core");
	cr_assert_not(rapl_name_split("a-b-1", kind, sizeof(kind), &idx));
	cr_assert_str_eq(kind, "a-b-1");
	cr_assert_not(rapl_name_split("package-", kind, sizeof(kind), &idx));
	cr_assert_not(rapl_name_split("package-x", kind, sizeof(kind), &idx));
}

/* RAPL: NOT_READY first, then power from the delta; a wrap adds the range; the total grows. */
Test(hw_parse, rapl_wrap_around)
{
	struct rtlab_rapl_domain r = { 0 };
	const uint64_t s = UINT64_C(1000000000);

	PV_SET(r.max_energy_range_uj, UINT64_C(262143328850));
	rapl_advance(&r, UINT64_C(262142000000), 10 * s);
	cr_assert_eq(r.power_watts.st, RTLAB_PV_NOT_READY);
	cr_assert_eq(r.energy_joules.st, RTLAB_PV_OK);
	cr_assert_float_eq(r.energy_joules.v, 262142.0, 1e-6);
	rapl_advance(&r, UINT64_C(262143000000), 11 * s);
	cr_assert_float_eq(r.power_watts.v, 1.0, 1e-9);
	/* 262143000000 -> 1000000: 328850 to the range, then 1000000 from 0. */
	rapl_advance(&r, UINT64_C(1000000), 13 * s);
	cr_assert_eq(r.power_watts.st, RTLAB_PV_OK);
	cr_assert_float_eq(r.power_watts.v, 1328850e-6 / 2.0, 1e-9);
	cr_assert_float_eq(r.energy_joules.v, 262143.0 + 1.32885, 1e-6);
	cr_assert_eq(r.energy_uj.v, 1000000);
	rapl_advance(&r, UINT64_C(3000000), 14 * s);
	cr_assert_float_eq(r.power_watts.v, 2.0, 1e-9);
	cr_assert_float_eq(r.energy_joules.v, 262143.0 + 1.32885 + 2.0, 1e-6);
}

/* RAPL: a counter that drops with no range known is a reset, not a huge delta. */
Test(hw_parse, rapl_reset_without_range)
{
	struct rtlab_rapl_domain r = { 0 };

	PV_NA(r.max_energy_range_uj, RTLAB_PV_ABSENT);
	rapl_advance(&r, 5000000, 1000);
	rapl_advance(&r, 1000, 2000);
	cr_assert_eq(r.power_watts.st, RTLAB_PV_NOT_READY);
	cr_assert_float_eq(r.energy_joules.v, 5.0, 1e-9);
	rapl_advance(&r, 1000, 2000);
	cr_assert_eq(r.power_watts.st, RTLAB_PV_NOT_READY, "a zero interval has no power");
}

static const char bat_uevent[] = "POWER_SUPPLY_NAME=BAT0\n"
				 "POWER_SUPPLY_TYPE=Battery\n"
				 "POWER_SUPPLY_STATUS=Discharging\n"
				 "POWER_SUPPLY_PRESENT=1\n"
				 "POWER_SUPPLY_POWER_NOW=10000000\n"
				 "POWER_SUPPLY_ENERGY_FULL_DESIGN=50000000\n"
				 "POWER_SUPPLY_ENERGY_FULL=40000000\n"
				 "POWER_SUPPLY_ENERGY_NOW=25000000\n"
				 "POWER_SUPPLY_SERIAL_NUMBER= 1234 \n"
				 "POWER_SUPPLY_CAPACITY=62\n";

/* A discharging battery: numbers, strings, health 0.8, 2.5 hours left. */
Test(hw_parse, battery_discharging)
{
	struct rtlab_power_supply ps = { .name = "BAT0" };

	cr_assert_eq(power_supply_parse(bat_uevent, strlen(bat_uevent), &ps), 0);
	power_supply_derive(&ps);
	cr_assert_str_eq(ps.name, "BAT0");
	cr_assert_str_eq(ps.type, "Battery");
	cr_assert_str_eq(ps.status, "Discharging");
	cr_assert_str_eq(ps.serial_number, "1234");
	cr_assert_eq(ps.capacity_percent.v, 62);
	cr_assert_eq(ps.energy_now_uwh.v, 25000000);
	cr_assert_eq(ps.charge_now_uah.st, RTLAB_PV_ABSENT);
	cr_assert_eq(ps.online.st, RTLAB_PV_ABSENT);
	cr_assert_float_eq(ps.power_watts.v, 10.0, 1e-12);
	cr_assert_float_eq(ps.health_ratio.v, 0.8, 1e-12);
	cr_assert_float_eq(ps.time_to_empty_seconds.v, 2.5 * 3600, 1e-6);
	cr_assert_eq(ps.time_to_full_seconds.st, RTLAB_PV_ABSENT);
}

/* A charging battery that counts charge (µAh) and current: time to full from them. */
Test(hw_parse, battery_charging_by_charge)
{
	const char *u = "POWER_SUPPLY_STATUS=Charging\n"
			"POWER_SUPPLY_CHARGE_FULL_DESIGN=5000000\n"
			"POWER_SUPPLY_CHARGE_FULL=4500000\n"
			"POWER_SUPPLY_CHARGE_NOW=1500000\n"
			"POWER_SUPPLY_CURRENT_NOW=-1500000\n"
			"POWER_SUPPLY_VOLTAGE_NOW=12000000\n";
	struct rtlab_power_supply ps = { .type = "Battery" };

	cr_assert_eq(power_supply_parse(u, strlen(u), &ps), 0);
	power_supply_derive(&ps);
	cr_assert_str_eq(ps.type, "Battery", "kept when the uevent has no TYPE");
	cr_assert_float_eq(ps.health_ratio.v, 0.9, 1e-12);
	cr_assert_float_eq(ps.power_watts.v, 18.0, 1e-9);
	cr_assert_float_eq(ps.time_to_full_seconds.v, 2.0 * 3600, 1e-6);
	cr_assert_eq(ps.time_to_empty_seconds.st, RTLAB_PV_ABSENT);
}

/* A malformed number is MALFORMED (not 0); a design capacity of 0 gives no health. */
Test(hw_parse, battery_damaged)
{
	const char *u = "POWER_SUPPLY_STATUS=Discharging\n"
			"POWER_SUPPLY_ENERGY_NOW=12x\n"
			"POWER_SUPPLY_ENERGY_FULL=100\n"
			"POWER_SUPPLY_ENERGY_FULL_DESIGN=0\n"
			"POWER_SUPPLY_POWER_NOW=5\n"
			"garbage line\n"
			"POWER_SUPPLY_=\n"
			"POWER_SUPPLY_CAPACITY";
	struct rtlab_power_supply ps = { 0 };

	cr_assert_eq(power_supply_parse(u, strlen(u), &ps), -EBADMSG);
	power_supply_derive(&ps);
	cr_assert_eq(ps.energy_now_uwh.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(ps.health_ratio.st, RTLAB_PV_UNSUPPORTED);
	cr_assert_eq(ps.time_to_empty_seconds.st, RTLAB_PV_ABSENT);
	cr_assert_eq(ps.capacity_percent.st, RTLAB_PV_ABSENT);
}

/* AC adapter: online only. */
Test(hw_parse, mains)
{
	size_t len;
	char *buf = fixture_load("laptop", "/sys/class/power_supply/AC/uevent", &len);
	struct rtlab_power_supply ps = { 0 };

	cr_assert_eq(power_supply_parse(buf, len, &ps), 0);
	power_supply_derive(&ps);
	cr_assert_str_eq(ps.type, "Mains");
	cr_assert_eq(ps.online.st, RTLAB_PV_OK);
	cr_assert_eq(ps.online.v, 0);
	cr_assert_eq(ps.power_watts.st, RTLAB_PV_ABSENT);
	free(buf);
}

/* amdgpu clock tables: current '*' level, lowest and highest; deep sleep "S:" excluded. */
Test(hw_parse, dpm_tables)
{
	size_t len;
	char *buf = fixture_load("amdgpu", "/sys/class/drm/card0/device/pp_dpm_sclk", &len);
	const char *s = "S: 19Mhz *\n0: 615Mhz\n1: 800Mhz\n3: 1000Mhz\n";
	struct gpu_dpm dpm;

	cr_assert_eq(gpu_dpm_parse(buf, len, &dpm), 0);
	cr_assert_eq(dpm.cur_mhz.v, 1400);
	cr_assert_eq(dpm.min_mhz.v, 500);
	cr_assert_eq(dpm.max_mhz.v, 2615);
	cr_assert_eq(dpm.levels, 3);
	free(buf);
	cr_assert_eq(gpu_dpm_parse(s, strlen(s), &dpm), 0);
	cr_assert_eq(dpm.cur_mhz.v, 19);
	cr_assert_eq(dpm.min_mhz.v, 615);
	cr_assert_eq(dpm.levels, 3);
	s = "0: 500Mhz\n1: 900Mhz\n";
	cr_assert_eq(gpu_dpm_parse(s, strlen(s), &dpm), 0);
	cr_assert_eq(dpm.cur_mhz.st, RTLAB_PV_ABSENT);
	s = "0: fastMhz *\n";
	cr_assert_eq(gpu_dpm_parse(s, strlen(s), &dpm), -EBADMSG);
	cr_assert_eq(dpm.cur_mhz.st, RTLAB_PV_ABSENT);
	cr_assert_eq(gpu_dpm_parse("", 0, &dpm), -EBADMSG);
}

/* A GPU's PCI uevent: driver, vendor:device, slot. */
Test(hw_parse, pci_uevent)
{
	size_t len;
	char *buf = fixture_load("amdgpu", "/sys/class/drm/card0/device/uevent", &len);
	struct drm_pci pci;

	cr_assert_eq(drm_uevent_parse(buf, len, &pci), 0);
	cr_assert_str_eq(pci.driver, "amdgpu");
	cr_assert_str_eq(pci.slot, "0000:03:00.0");
	cr_assert(pci.has_id);
	cr_assert_eq(pci.vendor, 0x1002);
	cr_assert_eq(pci.device, 0x73bf);
	free(buf);
	cr_assert_eq(drm_uevent_parse("PCI_ID=zz:1\n", 12, &pci), -EBADMSG);
	cr_assert_not(pci.has_id);
	cr_assert_eq(drm_uevent_parse("PCI_ID=10de:2", 13, &pci), 0);
	cr_assert_eq(pci.device, 0x2);
}
