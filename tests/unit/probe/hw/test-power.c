/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-power.c - the power family: RAPL domains on the laptop tree, a counter
 * that wraps around, energy_uj missing, malformed or root-only; batteries
 * (health, time estimates), AC and USB supplies; damaged uevents.
 */
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../test-probe.h"
#include "hw-test.h"

/* rapl_tree - a temporary tree with one package zone whose counter reads @energy. */
static void rapl_tree(char *root, size_t size, const char *energy)
{
	tree_new(root, size);
	tree_put(root, "/sys/class/powercap/intel-rapl:0/name", "package-0\n");
	tree_put(root, "/sys/class/powercap/intel-rapl:0/max_energy_range_uj", "262143328850\n");
	if (energy)
		tree_put(root, "/sys/class/powercap/intel-rapl:0/energy_uj", energy);
}

/* The laptop's zones: names and node_exporter's indexes, limits; power needs a second reading. */
Test(power, laptop_rapl)
{
	struct rtlab_probe *p = probe_fixture("laptop");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_probe_power *pw = &d->power;
	struct capture c = { 0 };

	collect_one(p, RTLAB_PF_POWER, d);
	cr_assert_eq(d->err[RTLAB_PF_POWER], 0);
	cr_assert_str_eq(d->why[RTLAB_PF_POWER], "");
	cr_assert_eq(pw->rapl_st, RTLAB_PV_OK);
	cr_assert_eq(pw->nrapl, 3, "the control type (intel-rapl) is not a zone");
	cr_assert_str_eq(pw->rapl[0].zone, "intel-rapl:0");
	cr_assert_str_eq(pw->rapl[0].name, "package-0");
	cr_assert_str_eq(pw->rapl[0].kind, "package");
	cr_assert_eq(pw->rapl[0].index, 0);
	cr_assert_str_eq(pw->rapl[1].kind, "core");
	cr_assert_str_eq(pw->rapl[2].kind, "uncore");
	cr_assert_eq(pw->rapl[0].energy_uj.v, 23094766329ULL);
	cr_assert_float_eq(pw->rapl[0].energy_joules.v, 23094.766329, 1e-6);
	cr_assert_eq(pw->rapl[0].power_watts.st, RTLAB_PV_NOT_READY);
	cr_assert_eq(pw->rapl[0].max_energy_range_uj.v, 262143328850ULL);
	cr_assert_eq(pw->rapl[0].nconstraints, 2);
	cr_assert_str_eq(pw->rapl[0].constraints[1].name, "short_term");
	cr_assert_float_eq(pw->rapl[0].constraints[0].power_limit_watts.v, 15.0, 1e-12);
	cr_assert_float_eq(pw->rapl[0].constraints[1].time_window_seconds.v, 0.00244, 1e-12);
	cr_assert_eq(pw->rapl[1].constraints[0].max_power_watts.st, RTLAB_PV_ABSENT);
	capture_family(&c, d, RTLAB_PF_POWER);
	cr_assert_float_eq(cap_value(&c, "node_rapl_package_joules_total{index=\"0\","
				      "path=\"/sys/class/powercap/intel-rapl:0\"}"),
			   23094.766329, 1e-6);
	cr_assert_float_eq(cap_value(&c, "node_rapl_core_joules_total{index=\"0\","
				      "path=\"/sys/class/powercap/intel-rapl:0:0\"}"),
			   8734.212063, 1e-6);
	cr_assert_eq(cap_state(&c, "rtlab_rapl_power_watts{domain=\"uncore\","
				    "path=\"/sys/class/powercap/intel-rapl:0:1\"}"),
		     RTLAB_PV_NOT_READY);
	/* The fixture does not move: 0 W on the second reading. */
	collect_one(p, RTLAB_PF_POWER, d);
	cr_assert_eq(pw->rapl[0].power_watts.st, RTLAB_PV_OK);
	cr_assert_float_eq(pw->rapl[0].power_watts.v, 0.0, 1e-12);
	capture_free(&c);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* 262143000000 -> 1000000 with a range of 262143328850: 1328850 µJ, the total keeps growing. */
Test(power, rapl_wrap_around)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_rapl_domain *r;
	uint64_t t0;
	double total0;

	rapl_tree(root, sizeof(root), "262143000000\n");
	p = probe_at(root, NULL);
	collect_one(p, RTLAB_PF_POWER, d);
	r = &d->power.rapl[0];
	cr_assert_eq(r->power_watts.st, RTLAB_PV_NOT_READY);
	t0 = r->prev_ns;
	total0 = r->energy_joules.v;
	cr_assert_float_eq(total0, 262143.0, 1e-6);
	tree_put(root, "/sys/class/powercap/intel-rapl:0/energy_uj", "1000000\n");
	usleep(20 * 1000);
	collect_one(p, RTLAB_PF_POWER, d);
	r = &d->power.rapl[0];
	cr_assert_eq(r->power_watts.st, RTLAB_PV_OK);
	cr_assert_gt(r->prev_ns, t0);
	cr_assert_float_eq(r->power_watts.v, 1.32885 / ((double)(r->prev_ns - t0) * 1e-9), 1e-9);
	cr_assert_float_eq(r->energy_joules.v, total0 + 1.32885, 1e-6);
	cr_assert_eq(r->energy_uj.v, 1000000);
	/* And on from there. */
	tree_put(root, "/sys/class/powercap/intel-rapl:0/energy_uj", "3000000\n");
	collect_one(p, RTLAB_PF_POWER, d);
	cr_assert_float_eq(d->power.rapl[0].energy_joules.v, total0 + 1.32885 + 2.0, 1e-6);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* No energy_uj: ABSENT, the file named; a malformed one: MALFORMED. */
Test(power, rapl_missing_and_malformed)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	rapl_tree(root, sizeof(root), NULL);
	p = probe_at(root, NULL);
	collect_one(p, RTLAB_PF_POWER, d);
	cr_assert_eq(d->power.nrapl, 1);
	cr_assert_eq(d->power.rapl[0].energy_uj.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->power.rapl[0].energy_joules.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->power.rapl[0].power_watts.st, RTLAB_PV_ABSENT);
	cr_assert(strstr(d->why[RTLAB_PF_POWER], "/sys/class/powercap/intel-rapl:0/energy_uj"), "%s",
		  d->why[RTLAB_PF_POWER]);
	rtlab_probe_free(p);
	tree_free(root);

	rapl_tree(root, sizeof(root), "12 34\n");
	p = probe_at(root, NULL);
	collect_one(p, RTLAB_PF_POWER, d);
	cr_assert_eq(d->power.rapl[0].energy_uj.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(d->power.rapl[0].power_watts.st, RTLAB_PV_MALFORMED);
	cr_assert(strstr(d->why[RTLAB_PF_POWER], "energy_uj:1: malformed value \"12 34\""), "%s",
		  d->why[RTLAB_PF_POWER]);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* denied_child - as another user, collect; exit 0 if energy_uj is DENIED with the reason. */
static int denied_child(const char *root)
{
	struct rtlab_probe_opts o = { .root = root };
	struct rtlab_probe *p = NULL;
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	int ret = 0;

	if (rtlab_probe_new(NULL, &o, &p) < 0 || !d)
		return 10;
	if (rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_POWER), d) < 0 || d->power.nrapl != 1)
		ret = 11;
	else if (d->power.rapl[0].energy_uj.st != RTLAB_PV_DENIED ||
		 d->power.rapl[0].power_watts.st != RTLAB_PV_DENIED)
		ret = 12;
	else if (!strstr(d->why[RTLAB_PF_POWER], "energy_uj: Permission denied (root-only"))
		ret = 13;
	else if (d->power.rapl[0].max_energy_range_uj.st != RTLAB_PV_OK)
		ret = 14;
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
	return ret;
}

/* energy_uj readable by root only (the usual case since 2020): DENIED with the reason. */
Test(power, rapl_denied)
{
	char root[PATH_MAX], path[PATH_MAX + 64];
	pid_t pid;
	int status;

	rapl_tree(root, sizeof(root), "5000000\n");
	snprintf(path, sizeof(path), "%s/sys/class/powercap/intel-rapl:0/energy_uj", root);
	cr_assert_eq(chmod(path, 0400), 0);
	cr_assert_eq(chmod(root, 0755), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		/* Root reads anything: drop to nobody (uid 65534) to meet the permission. */
		if (geteuid() == 0 && (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
				       setresuid(65534, 65534, 65534) < 0))
			_exit(20);
		_exit(denied_child(root));
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	tree_free(root);
	cr_assert(WIFEXITED(status));
	if (WEXITSTATUS(status) == 20)
		cr_skip_test("cannot drop privileges to simulate a root-only energy_uj");
	cr_assert_eq(WEXITSTATUS(status), 0, "child check %d failed", WEXITSTATUS(status));
}

/* find_supply - the supply @name, or NULL. */
static const struct rtlab_power_supply *find_supply(const struct rtlab_probe_power *pw,
						    const char *name)
{
	for (size_t i = 0; i < pw->nsupplies; i++)
		if (strcmp(pw->supplies[i].name, name) == 0)
			return &pw->supplies[i];
	return NULL;
}

/* The laptop's battery, AC adapter and USB-C port. */
Test(power, laptop_supplies)
{
	struct rtlab_probe *p = probe_fixture("laptop");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_power_supply *b, *ac, *usb;
	struct capture c = { 0 };

	collect_one(p, RTLAB_PF_POWER, d);
	cr_assert_eq(d->power.nsupplies, 3);
	cr_assert_str_eq(d->power.supplies[0].name, "AC");
	b = find_supply(&d->power, "BAT0");
	ac = find_supply(&d->power, "AC");
	usb = find_supply(&d->power, "ucsi-source-psy-USBC000:001");
	cr_assert(b && ac && usb);
	cr_assert_str_eq(b->type, "Battery");
	cr_assert_str_eq(b->status, "Discharging");
	cr_assert_str_eq(b->technology, "Li-ion");
	cr_assert_str_eq(b->manufacturer, "SMP");
	cr_assert_str_eq(b->model_name, "5B10W13930");
	cr_assert_str_eq(b->serial_number, "1234");
	cr_assert_eq(b->capacity_percent.v, 72);
	cr_assert_eq(b->cycle_count.v, 187);
	cr_assert_eq(b->energy_full_design_uwh.v, 57000000);
	cr_assert_eq(b->voltage_now_uv.v, 12074000);
	cr_assert_float_eq(b->health_ratio.v, 0.9, 1e-12);
	cr_assert_float_eq(b->power_watts.v, 8.512, 1e-12);
	cr_assert_float_eq(b->time_to_empty_seconds.v, 36936000.0 / 8512000.0 * 3600.0, 1e-6);
	cr_assert_eq(b->time_to_full_seconds.st, RTLAB_PV_ABSENT);
	cr_assert_eq(b->online.st, RTLAB_PV_ABSENT);
	cr_assert_str_eq(ac->type, "Mains");
	cr_assert_eq(ac->online.st, RTLAB_PV_OK);
	cr_assert_eq(ac->online.v, 0);
	cr_assert_str_eq(usb->usb_type, "C [PD] PD_PPS");
	cr_assert_eq(usb->voltage_max_uv.v, 5000000);
	capture_family(&c, d, RTLAB_PF_POWER);
	cr_assert_float_eq(cap_value(&c, "node_power_supply_energy_watthour{power_supply=\"BAT0\"}"),
			   36.936, 1e-12);
	cr_assert_float_eq(cap_value(&c, "node_power_supply_energy_full{power_supply=\"BAT0\"}"),
			   51.3, 1e-12);
	cr_assert_float_eq(cap_value(&c, "node_power_supply_capacity{power_supply=\"BAT0\"}"), 72, 0);
	cr_assert_float_eq(cap_value(&c, "node_power_supply_online{power_supply=\"AC\"}"), 0, 0);
	cr_assert_float_eq(cap_value(&c, "node_power_supply_power_watt{power_supply=\"BAT0\"}"),
			   8.512, 1e-12);
	cr_assert_float_eq(cap_value(&c, "node_power_supply_info{capacity_level=\"Normal\","
				      "manufacturer=\"SMP\",model_name=\"5B10W13930\","
				      "power_supply=\"BAT0\",serial_number=\"1234\","
				      "status=\"Discharging\",technology=\"Li-ion\","
				      "type=\"Battery\"}"),
			   1, 0);
	cr_assert_float_eq(cap_value(&c, "rtlab_power_supply_health_ratio{power_supply=\"BAT0\"}"),
			   0.9, 1e-12);
	cr_assert_null(cap_find(&c, "node_power_supply_energy_watthour{power_supply=\"AC\"}"),
		       "what a supply does not have is not emitted");
	capture_free(&c);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* A uevent that cannot be read or has a bad number: states, reasons, no crash. */
Test(power, damaged_supplies)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_power_supply *b;

	tree_new(root, sizeof(root));
	tree_put(root, "/sys/class/power_supply/BAT1/type", "Battery\n");
	tree_put(root, "/sys/class/power_supply/BAT1/uevent/x", "");
	tree_put(root, "/sys/class/power_supply/BAT2/type", "Battery\n");
	tree_put(root, "/sys/class/power_supply/BAT2/uevent",
		 "POWER_SUPPLY_STATUS=Charging\nPOWER_SUPPLY_ENERGY_NOW=1x\n"
		 "POWER_SUPPLY_CAPACITY=");
	p = probe_at(root, NULL);
	collect_one(p, RTLAB_PF_POWER, d);
	cr_assert_eq(d->power.nsupplies, 2);
	b = find_supply(&d->power, "BAT1");
	cr_assert_eq(b->capacity_percent.st, RTLAB_PV_ERROR);
	cr_assert_eq(b->health_ratio.st, RTLAB_PV_ERROR);
	cr_assert_str_eq(b->type, "Battery");
	cr_assert(strstr(d->why[RTLAB_PF_POWER], "/sys/class/power_supply/BAT1/uevent"), "%s",
		  d->why[RTLAB_PF_POWER]);
	b = find_supply(&d->power, "BAT2");
	cr_assert_eq(b->energy_now_uwh.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(b->capacity_percent.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(b->time_to_full_seconds.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->power.rapl_st, RTLAB_PV_ABSENT);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* A supply plugged in later appears with the rescan; RAPL readings carry over the new layout. */
Test(power, hotplug_keeps_rapl_deltas, .timeout = 30)
{
	char root[PATH_MAX];
	struct rtlab_probe_opts o = { .ttl_slow_ns = 1 };
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	rapl_tree(root, sizeof(root), "1000000\n");
	tree_put(root, "/sys/class/power_supply/AC/type", "Mains\n");
	tree_put(root, "/sys/class/power_supply/AC/uevent", "POWER_SUPPLY_ONLINE=1\n");
	p = probe_at(root, &o);
	collect_one(p, RTLAB_PF_POWER, d);
	cr_assert_eq(d->power.nsupplies, 1);
	tree_put(root, "/sys/class/power_supply/ucsi-source-psy-USBC000:002/type", "USB\n");
	tree_put(root, "/sys/class/power_supply/ucsi-source-psy-USBC000:002/uevent",
		 "POWER_SUPPLY_ONLINE=1\n");
	tree_put(root, "/sys/class/powercap/intel-rapl:0/energy_uj", "2000000\n");
	usleep(1100 * 1000);
	collect_one(p, RTLAB_PF_POWER, d);
	cr_assert_eq(d->power.nsupplies, 2);
	cr_assert_eq(d->power.supplies[1].online.v, 1);
	cr_assert_eq(d->power.rapl[0].power_watts.st, RTLAB_PV_OK, "the previous reading was kept");
	cr_assert_float_eq(d->power.rapl[0].energy_joules.v, 2.0, 1e-9);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}
