/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* power-supply-parse.c - a power supply's uevent, and what is derived from it. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "hw/hw-internal.h"
#include "probe-parse.h"

#define PS_PREFIX "POWER_SUPPLY_"
#define G RTLAB_METRIC_GAUGE
#define NUM(key, field, suffix, scale)                                                   \
	{ key, sizeof(key) - 1, PSF_NUM, offsetof(struct rtlab_power_supply, field), 0,  \
	  { "node_power_supply_" #suffix,                                                \
	    #suffix " value of /sys/class/power_supply/<power_supply>.", G }, scale }
#define STR(key, field, label)                                                           \
	{ key, sizeof(key) - 1, PSF_STR, offsetof(struct rtlab_power_supply, field),     \
	  sizeof(((struct rtlab_power_supply *)0)->field), { label, NULL, G }, 1 }

/*
 * The uevent keys (less POWER_SUPPLY_) collected, in the order the kernel
 * writes them: NAME, TYPE, USB_TYPE, then the driver's properties, mostly in
 * the order of enum power_supply_property.  The search for a key starts after
 * the previous one found.  Numbers have node_exporter's names and units.
 */
const struct ps_field ps_fields[] = {
	{ "NAME", 4, PSF_SKIP, 0, 0, { NULL, NULL, G }, 1 },	/* the directory's name is used */
	STR("TYPE", type, "type"),
	STR("USB_TYPE", usb_type, "usb_type"),
	STR("STATUS", status, "status"),
	STR("CHARGE_TYPE", charge_type, "charge_type"),
	STR("HEALTH", health, "health"),
	NUM("PRESENT", present, present, 1),
	NUM("ONLINE", online, online, 1),
	STR("TECHNOLOGY", technology, "technology"),
	NUM("CYCLE_COUNT", cycle_count, cyclecount, 1),
	NUM("VOLTAGE_MAX", voltage_max_uv, voltage_max, 1e-6),
	NUM("VOLTAGE_MIN", voltage_min_uv, voltage_min, 1e-6),
	NUM("VOLTAGE_MAX_DESIGN", voltage_max_design_uv, voltage_max_design, 1e-6),
	NUM("VOLTAGE_MIN_DESIGN", voltage_min_design_uv, voltage_min_design, 1e-6),
	NUM("VOLTAGE_NOW", voltage_now_uv, voltage_volt, 1e-6),
	NUM("CURRENT_MAX", current_max_ua, current_max, 1e-6),
	NUM("CURRENT_NOW", current_now_ua, current_ampere, 1e-6),
	NUM("POWER_NOW", power_now_uw, power_watt, 1e-6),
	NUM("CHARGE_FULL_DESIGN", charge_full_design_uah, charge_full_design, 1e-6),
	NUM("CHARGE_FULL", charge_full_uah, charge_full, 1e-6),
	NUM("CHARGE_NOW", charge_now_uah, charge_ampere, 1e-6),
	NUM("CHARGE_COUNTER", charge_counter_uah, charge_counter, 1e-6),
	NUM("ENERGY_FULL_DESIGN", energy_full_design_uwh, energy_full_design, 1e-6),
	NUM("ENERGY_FULL", energy_full_uwh, energy_full, 1e-6),
	NUM("ENERGY_EMPTY", energy_empty_uwh, energy_empty, 1e-6),
	NUM("ENERGY_NOW", energy_now_uwh, energy_watthour, 1e-6),
	NUM("CAPACITY", capacity_percent, capacity, 1),
	STR("CAPACITY_LEVEL", capacity_level, "capacity_level"),
	NUM("TEMP", temp_decicelsius, temp_celsius, 0.1),
	NUM("TIME_TO_EMPTY_NOW", time_to_empty_now_s, time_to_empty_seconds, 1),
	NUM("TIME_TO_FULL_NOW", time_to_full_now_s, time_to_full_seconds, 1),
	STR("SCOPE", scope, "scope"),
	STR("MODEL_NAME", model_name, "model_name"),
	STR("MANUFACTURER", manufacturer, "manufacturer"),
	STR("SERIAL_NUMBER", serial_number, "serial_number"),
};

const size_t ps_nfields = sizeof(ps_fields) / sizeof(ps_fields[0]);

/* ps_num - the number field @f of @ps. */
static struct rtlab_pi64 *ps_num(struct rtlab_power_supply *ps, const struct ps_field *f)
{
	return (struct rtlab_pi64 *)((char *)ps + f->off);
}

/* ps_reset - every field but the name and the type "not given". */
static void ps_reset(struct rtlab_power_supply *ps)
{
	for (size_t i = 0; i < ps_nfields; i++) {
		const struct ps_field *f = &ps_fields[i];

		if (f->kind == PSF_NUM)
			PV_NA(*ps_num(ps, f), RTLAB_PV_ABSENT);
		else if (f->kind == PSF_STR && f->off != offsetof(struct rtlab_power_supply, type))
			((char *)ps + f->off)[0] = '\0';
	}
	PV_NA(ps->power_watts, RTLAB_PV_ABSENT);
	PV_NA(ps->health_ratio, RTLAB_PV_ABSENT);
	PV_NA(ps->time_to_empty_seconds, RTLAB_PV_ABSENT);
	PV_NA(ps->time_to_full_seconds, RTLAB_PV_ABSENT);
}

/* ps_same - @kl bytes of @a and @b equal (keys are short: no call). */
static bool ps_same(const char *a, const char *b, size_t kl)
{
	for (size_t i = 0; i < kl; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* ps_lookup - the table entry of [k, k+kl), searched from *@next on; NULL if none. */
static const struct ps_field *ps_lookup(const char *k, size_t kl, size_t *next)
{
	for (size_t i = 0, j = *next; i < ps_nfields; i++, j++) {
		const struct ps_field *f;

		if (j >= ps_nfields)
			j = 0;
		f = &ps_fields[j];
		if (f->klen == kl && f->key[0] == k[0] && ps_same(f->key, k, kl)) {
			*next = j + 1;
			return f;
		}
	}
	return NULL;
}

/* power_supply_parse - KEY=value lines. */
int power_supply_parse(const char *buf, size_t len, struct rtlab_power_supply *out)
{
	const char *p = buf, *end = buf + len;
	const size_t pl = sizeof(PS_PREFIX) - 1;
	size_t next = 0;
	int r = 0;

	ps_reset(out);
	for (const char *eol; p < end; p = eol < end ? eol + 1 : end) {
		const char *k = p + pl, *eq = k;
		const struct ps_field *f;
		int64_t v;

		if ((size_t)(end - p) <= pl || memcmp(p, PS_PREFIX, pl) != 0) {
			eol = pp_eol(p, end);
			continue;
		}
		/* The key, up to '=' on this line; then the value up to the line's end. */
		while (eq < end && *eq != '=' && *eq != '\n')
			eq++;
		eol = pp_eol(eq, end);
		if (eq == end || *eq != '=' || eq == k)
			continue;
		f = ps_lookup(k, (size_t)(eq - k), &next);
		if (!f || f->kind == PSF_SKIP)
			continue;
		if (f->kind == PSF_STR) {
			hw_str_copy((char *)out + f->off, f->size, eq + 1, (size_t)(eol - eq - 1));
		} else if (hw_int_parse(eq + 1, (size_t)(eol - eq - 1), &v) == 0) {
			PV_SET(*ps_num(out, f), v);
		} else {
			PV_NA(*ps_num(out, f), RTLAB_PV_MALFORMED);
			r = -EBADMSG;
		}
	}
	return r;
}

/* ps_ok - the value if it is usable. */
static bool ps_ok(struct rtlab_pi64 x, double *v)
{
	if (x.st != RTLAB_PV_OK)
		return false;
	*v = (double)x.v;
	return true;
}

/* ps_ratio - @num / @den when both are usable and den > 0. */
static void ps_ratio(struct rtlab_pf64 *out, struct rtlab_pi64 num, struct rtlab_pi64 den)
{
	double n, d;

	if (!ps_ok(num, &n) || !ps_ok(den, &d))
		PV_NA(*out, RTLAB_PV_ABSENT);
	else if (d <= 0)
		PV_NA(*out, RTLAB_PV_UNSUPPORTED);
	else
		PV_SET(*out, n / d);
}

/* ps_hours - hours of @amount (µWh or µAh) at @rate (µW or µA): seconds, or ABSENT. */
static void ps_hours(struct rtlab_pf64 *out, double amount, double rate)
{
	if (rate > 0 && amount >= 0)
		PV_SET(*out, amount / rate * 3600.0);
	else
		PV_NA(*out, RTLAB_PV_ABSENT);
}

/* ps_estimate - time to empty (@charging false) or to full, from energy or else charge. */
static void ps_estimate(struct rtlab_power_supply *ps, struct rtlab_pf64 *out, bool charging)
{
	double now, full, rate;

	if (ps_ok(ps->energy_now_uwh, &now) && ps->power_watts.st == RTLAB_PV_OK) {
		rate = ps->power_watts.v * 1e6;
		if (!charging)
			ps_hours(out, now, rate);
		else if (ps_ok(ps->energy_full_uwh, &full))
			ps_hours(out, full - now, rate);
		else
			PV_NA(*out, RTLAB_PV_ABSENT);
		return;
	}
	if (ps_ok(ps->charge_now_uah, &now) && ps_ok(ps->current_now_ua, &rate)) {
		rate = rate < 0 ? -rate : rate;
		if (!charging)
			ps_hours(out, now, rate);
		else if (ps_ok(ps->charge_full_uah, &full))
			ps_hours(out, full - now, rate);
		else
			PV_NA(*out, RTLAB_PV_ABSENT);
		return;
	}
	PV_NA(*out, RTLAB_PV_ABSENT);
}

/* power_supply_derive - power, health and time estimates. */
void power_supply_derive(struct rtlab_power_supply *ps)
{
	double p, i, u;

	if (ps_ok(ps->power_now_uw, &p))
		PV_SET(ps->power_watts, (p < 0 ? -p : p) * 1e-6);
	else if (ps_ok(ps->current_now_ua, &i) && ps_ok(ps->voltage_now_uv, &u))
		PV_SET(ps->power_watts, (i < 0 ? -i : i) * u * 1e-12);
	else
		PV_NA(ps->power_watts, RTLAB_PV_ABSENT);
	if (ps->energy_full_uwh.st == RTLAB_PV_OK || ps->energy_full_design_uwh.st == RTLAB_PV_OK)
		ps_ratio(&ps->health_ratio, ps->energy_full_uwh, ps->energy_full_design_uwh);
	else
		ps_ratio(&ps->health_ratio, ps->charge_full_uah, ps->charge_full_design_uah);
	PV_NA(ps->time_to_empty_seconds, RTLAB_PV_ABSENT);
	PV_NA(ps->time_to_full_seconds, RTLAB_PV_ABSENT);
	if (strcmp(ps->status, "Discharging") == 0)
		ps_estimate(ps, &ps->time_to_empty_seconds, false);
	else if (strcmp(ps->status, "Charging") == 0)
		ps_estimate(ps, &ps->time_to_full_seconds, true);
}
