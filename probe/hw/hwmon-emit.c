/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hwmon-emit.c - the hwmon metrics: node_exporter's names for what it names
 * the same way (node_hwmon_temp_celsius{chip,sensor}...), rtlab_ names for the
 * alarms node_exporter gives a unit they do not have and for humidity, which
 * it scales wrong (milli-percent read as millionths).
 */
#include <string.h>

#include "hw/hw-internal.h"

struct hwmon_metric {
	uint8_t type;
	uint8_t prop;
	double scale;			/* file unit to base unit */
	struct rtlab_metric m;
};

#define G RTLAB_METRIC_GAUGE
#define T(prop, scale, name, help) \
	{ RTLAB_HWMON_TEMP, RTLAB_HWMON_##prop, scale, { name, help, G } }
#define V(prop, scale, name, help) \
	{ RTLAB_HWMON_IN, RTLAB_HWMON_##prop, scale, { name, help, G } }
#define F(prop, scale, name, help) \
	{ RTLAB_HWMON_FAN, RTLAB_HWMON_##prop, scale, { name, help, G } }
#define P(prop, scale, name, help) \
	{ RTLAB_HWMON_POWER, RTLAB_HWMON_##prop, scale, { name, help, G } }
#define C(prop, scale, name, help) \
	{ RTLAB_HWMON_CURR, RTLAB_HWMON_##prop, scale, { name, help, G } }

/* In emission order; every (type, prop) collected has exactly one entry. */
static const struct hwmon_metric metrics[] = {
	T(INPUT, 1e-3, "node_hwmon_temp_celsius", "Hardware monitor for temperature (input)"),
	T(MIN, 1e-3, "node_hwmon_temp_min_celsius", "Hardware monitor for temperature (min)"),
	T(MAX, 1e-3, "node_hwmon_temp_max_celsius", "Hardware monitor for temperature (max)"),
	T(CRIT, 1e-3, "node_hwmon_temp_crit_celsius", "Hardware monitor for temperature (crit)"),
	T(LCRIT, 1e-3, "node_hwmon_temp_lcrit_celsius",
	  "Hardware monitor for temperature (lcrit)"),
	T(EMERGENCY, 1e-3, "node_hwmon_temp_emergency_celsius",
	  "Hardware monitor for temperature (emergency)"),
	T(MAX_HYST, 1e-3, "node_hwmon_temp_max_hyst_celsius",
	  "Hardware monitor for temperature (max_hyst)"),
	T(CRIT_HYST, 1e-3, "node_hwmon_temp_crit_hyst_celsius",
	  "Hardware monitor for temperature (crit_hyst)"),
	T(LOWEST, 1e-3, "node_hwmon_temp_lowest_celsius",
	  "Hardware monitor for temperature (lowest)"),
	T(HIGHEST, 1e-3, "node_hwmon_temp_highest_celsius",
	  "Hardware monitor for temperature (highest)"),
	T(ALARM, 1, "node_hwmon_temp_alarm", "Hardware sensor alarm status (temp)"),
	T(MIN_ALARM, 1, "rtlab_hwmon_temp_min_alarm", "Temperature below its min (0 or 1)."),
	T(MAX_ALARM, 1, "rtlab_hwmon_temp_max_alarm", "Temperature above its max (0 or 1)."),
	T(CRIT_ALARM, 1, "rtlab_hwmon_temp_crit_alarm", "Temperature above its crit (0 or 1)."),
	T(LCRIT_ALARM, 1, "rtlab_hwmon_temp_lcrit_alarm",
	  "Temperature below its lcrit (0 or 1)."),
	T(FAULT, 1, "node_hwmon_temp_fault", "Hardware sensor fault status (temp)"),
	V(INPUT, 1e-3, "node_hwmon_in_volts", "Hardware monitor for voltage (input)"),
	V(MIN, 1e-3, "node_hwmon_in_min_volts", "Hardware monitor for voltage (min)"),
	V(MAX, 1e-3, "node_hwmon_in_max_volts", "Hardware monitor for voltage (max)"),
	V(LCRIT, 1e-3, "node_hwmon_in_lcrit_volts", "Hardware monitor for voltage (lcrit)"),
	V(CRIT, 1e-3, "node_hwmon_in_crit_volts", "Hardware monitor for voltage (crit)"),
	V(AVERAGE, 1e-3, "node_hwmon_in_average_volts", "Hardware monitor for voltage (average)"),
	V(LOWEST, 1e-3, "node_hwmon_in_lowest_volts", "Hardware monitor for voltage (lowest)"),
	V(HIGHEST, 1e-3, "node_hwmon_in_highest_volts", "Hardware monitor for voltage (highest)"),
	V(ALARM, 1, "node_hwmon_in_alarm", "Hardware sensor alarm status (in)"),
	V(MIN_ALARM, 1, "rtlab_hwmon_in_min_alarm", "Voltage below its min (0 or 1)."),
	V(MAX_ALARM, 1, "rtlab_hwmon_in_max_alarm", "Voltage above its max (0 or 1)."),
	V(CRIT_ALARM, 1, "rtlab_hwmon_in_crit_alarm", "Voltage above its crit (0 or 1)."),
	V(LCRIT_ALARM, 1, "rtlab_hwmon_in_lcrit_alarm", "Voltage below its lcrit (0 or 1)."),
	F(INPUT, 1, "node_hwmon_fan_rpm", "Hardware monitor for fan revolutions per minute (input)"),
	F(MIN, 1, "node_hwmon_fan_min_rpm", "Hardware monitor for fan revolutions per minute (min)"),
	F(MAX, 1, "node_hwmon_fan_max_rpm", "Hardware monitor for fan revolutions per minute (max)"),
	F(TARGET, 1, "node_hwmon_fan_target_rpm",
	  "Hardware monitor for fan revolutions per minute (target)"),
	F(ALARM, 1, "node_hwmon_fan_alarm", "Hardware sensor alarm status (fan)"),
	F(MIN_ALARM, 1, "rtlab_hwmon_fan_min_alarm", "Fan below its min speed (0 or 1)."),
	F(MAX_ALARM, 1, "rtlab_hwmon_fan_max_alarm", "Fan above its max speed (0 or 1)."),
	F(FAULT, 1, "node_hwmon_fan_fault", "Hardware sensor fault status (fan)"),
	P(INPUT, 1e-6, "node_hwmon_power_watt", "Hardware monitor for power usage in watts (input)"),
	P(AVERAGE, 1e-6, "node_hwmon_power_average_watt",
	  "Hardware monitor for power usage in watts (average)"),
	P(MAX, 1e-6, "node_hwmon_power_max_watt", "Hardware monitor for power usage in watts (max)"),
	P(CRIT, 1e-6, "node_hwmon_power_crit_watt",
	  "Hardware monitor for power usage in watts (crit)"),
	P(CAP, 1e-6, "node_hwmon_power_cap_watt", "Hardware monitor for power usage in watts (cap)"),
	P(ALARM, 1, "node_hwmon_power_alarm", "Hardware sensor alarm status (power)"),
	P(MAX_ALARM, 1, "rtlab_hwmon_power_max_alarm", "Power above its max (0 or 1)."),
	P(CRIT_ALARM, 1, "rtlab_hwmon_power_crit_alarm", "Power above its crit (0 or 1)."),
	C(INPUT, 1e-3, "node_hwmon_curr_amps", "Hardware monitor for current (input)"),
	C(MIN, 1e-3, "node_hwmon_curr_min_amps", "Hardware monitor for current (min)"),
	C(MAX, 1e-3, "node_hwmon_curr_max_amps", "Hardware monitor for current (max)"),
	C(LCRIT, 1e-3, "node_hwmon_curr_lcrit_amps", "Hardware monitor for current (lcrit)"),
	C(CRIT, 1e-3, "node_hwmon_curr_crit_amps", "Hardware monitor for current (crit)"),
	C(AVERAGE, 1e-3, "node_hwmon_curr_average_amps", "Hardware monitor for current (average)"),
	C(LOWEST, 1e-3, "node_hwmon_curr_lowest_amps", "Hardware monitor for current (lowest)"),
	C(HIGHEST, 1e-3, "node_hwmon_curr_highest_amps", "Hardware monitor for current (highest)"),
	C(ALARM, 1, "node_hwmon_curr_alarm", "Hardware sensor alarm status (curr)"),
	C(MIN_ALARM, 1, "rtlab_hwmon_curr_min_alarm", "Current below its min (0 or 1)."),
	C(MAX_ALARM, 1, "rtlab_hwmon_curr_max_alarm", "Current above its max (0 or 1)."),
	C(CRIT_ALARM, 1, "rtlab_hwmon_curr_crit_alarm", "Current above its crit (0 or 1)."),
	C(LCRIT_ALARM, 1, "rtlab_hwmon_curr_lcrit_alarm", "Current below its lcrit (0 or 1)."),
	{ RTLAB_HWMON_ENERGY, RTLAB_HWMON_INPUT, 1e-6,
	  { "node_hwmon_energy_joule_total", "Hardware monitor for joules used so far (input)",
	    RTLAB_METRIC_COUNTER } },
	{ RTLAB_HWMON_HUMIDITY, RTLAB_HWMON_INPUT, 1e-5,
	  { "rtlab_hwmon_humidity_ratio", "Relative humidity, 0 to 1 (milli-percent / 100000).",
	    G } },
	{ RTLAB_HWMON_HUMIDITY, RTLAB_HWMON_ALARM, 1,
	  { "node_hwmon_humidity_alarm", "Hardware sensor alarm status (humidity)", G } },
};

static const struct rtlab_metric m_chip_names = {
	"node_hwmon_chip_names", "Annotation metric for human-readable chip names",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_sensor_label = {
	"node_hwmon_sensor_label", "Label for given chip and sensor", RTLAB_METRIC_GAUGE
};

/* hwmon_find - the table entry of (type, prop), or NULL. */
static const struct hwmon_metric *hwmon_find(unsigned type, unsigned prop)
{
	for (size_t i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++)
		if (metrics[i].type == type && metrics[i].prop == prop)
			return &metrics[i];
	return NULL;
}

/* hwmon_scale - the table's scale; 0 for what is not collected. */
double hwmon_scale(unsigned type, unsigned prop)
{
	const struct hwmon_metric *hm = hwmon_find(type, prop);

	return hm ? hm->scale : 0;
}

/* hwmon_emit - chip names, sensor labels, then each metric over every sensor. */
void hwmon_emit(struct probe_emit *e, const struct rtlab_probe_thermal *t)
{
	char clean[64];

	for (size_t i = 0; i < t->nchips; i++) {
		const struct rtlab_hwmon_chip *c = &t->chips[i];

		if (hw_clean_name(clean, sizeof(clean), c->name, strlen(c->name)) == 0)
			continue;
		pe_emitl(e, &m_chip_names, mv_one(RTLAB_PV_OK), { "chip", c->chip },
			 { "chip_name", clean });
	}
	for (size_t i = 0; i < t->nsensors; i++) {
		const struct rtlab_hwmon_sensor *s = &t->sensors[i];

		if (!s->label[0] || s->chip >= t->nchips)
			continue;
		pe_emitl(e, &m_sensor_label, mv_one(RTLAB_PV_OK), { "chip", t->chips[s->chip].chip },
			 { "sensor", s->sensor }, { "label", s->label });
	}
	for (size_t m = 0; m < sizeof(metrics) / sizeof(metrics[0]); m++) {
		const struct hwmon_metric *hm = &metrics[m];

		for (size_t i = 0; i < t->nsensors; i++) {
			const struct rtlab_hwmon_sensor *s = &t->sensors[i];

			if (s->type != hm->type || !(s->has & (UINT32_C(1) << hm->prop)) ||
			    s->chip >= t->nchips)
				continue;
			pe_emitl(e, &hm->m, mv_f64(s->v[hm->prop]),
				 { "chip", t->chips[s->chip].chip }, { "sensor", s->sensor });
		}
	}
}
