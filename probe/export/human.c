/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* human.c - a sample's value for a person, by the unit its metric name ends in. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "export/export-internal.h"

enum unit {
	U_NONE,
	U_DATE,		/* *time_seconds, *timestamp_seconds: seconds since the epoch */
	U_BYTES,
	U_SECONDS,
	U_RATIO,
	U_CELSIUS,
	U_HERTZ,
	U_WATTS,
	U_JOULES,
};

/* The unit suffixes, each also with "_total" after it (counters). */
static const struct {
	const char *suffix;
	enum unit unit;
} units[] = {
	{ "_bytes", U_BYTES },	   { "_seconds", U_SECONDS }, { "_ratio", U_RATIO },
	{ "_celsius", U_CELSIUS }, { "_hertz", U_HERTZ },     { "_watts", U_WATTS },
	{ "_joules", U_JOULES },
};

/* A scale step: values from @min on are divided by @div, written with @prec decimals. */
struct step {
	double min;
	double div;
	int prec;
	const char *unit;
};

static const struct step hertz_steps[] = {
	{ 0, 1, 0, "Hz" }, { 1e3, 1e3, 1, "kHz" }, { 1e6, 1e6, 0, "MHz" },
	{ 1e9, 1e9, 2, "GHz" },
};

static const struct step watts_steps[] = {
	{ 0, 1e-3, 1, "mW" }, { 1, 1, 2, "W" }, { 1e3, 1e3, 2, "kW" },
};

static const struct step joules_steps[] = {
	{ 0, 1, 1, "J" }, { 1e3, 1e3, 1, "kJ" }, { 1e6, 1e6, 2, "MJ" },
	{ 1e9, 1e9, 2, "GJ" },
};

static const struct step seconds_steps[] = {
	{ 0, 1e-9, 0, "ns" }, { 1e-6, 1e-6, 1, "µs" }, { 1e-3, 1e-3, 1, "ms" },
	{ 1, 1, 2, "s" },
};

static const struct step bytes_steps[] = {
	{ 0, 1, 0, "B" },
	{ 1024.0, 1024.0, 2, "KiB" },
	{ 1048576.0, 1048576.0, 2, "MiB" },
	{ 1073741824.0, 1073741824.0, 2, "GiB" },
	{ 1099511627776.0, 1099511627776.0, 2, "TiB" },
	{ 1125899906842624.0, 1125899906842624.0, 2, "PiB" },
	{ 1152921504606846976.0, 1152921504606846976.0, 2, "EiB" },
};

/* unit_of - the unit @name ends in ("_bytes" or "_bytes_total"...). */
static enum unit unit_of(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if ((n > 12 && strcmp(name + n - 12, "time_seconds") == 0) ||
	    (n > 17 && strcmp(name + n - 17, "timestamp_seconds") == 0))
		return U_DATE;

	if (n > 6 && strcmp(name + n - 6, "_total") == 0)
		n -= 6;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t s = strlen(units[i].suffix);

		if (n > s && strncmp(name + n - s, units[i].suffix, s) == 0)
			return units[i].unit;
	}
	return U_NONE;
}

/* scaled - @x with the largest step it reaches (sign kept). */
static int scaled(double x, const struct step *st, size_t n, char *buf, size_t size)
{
	double a = fabs(x);
	size_t i = 0;

	while (i + 1 < n && a >= st[i + 1].min)
		i++;
	return snprintf(buf, size, "%.*f %s", st[i].prec, x / st[i].div, st[i].unit);
}

/* clock_time - "H:MM:SS", or "Nd HH:MM:SS" from a day on (long totals). */
static int clock_time(double x, char *buf, size_t size)
{
	double a = fabs(x);
	unsigned long long t = a < 1.8e19 ? (unsigned long long)a : 0;
	unsigned long long d = t / 86400, h = t / 3600 % 24, m = t / 60 % 60, s = t % 60;
	const char *sign = x < 0 ? "-" : "";

	if (d)
		return snprintf(buf, size, "%s%llud %02llu:%02llu:%02llu", sign, d, h, m, s);
	return snprintf(buf, size, "%s%llu:%02llu:%02llu", sign, h, m, s);
}

/* date - "2026-11-23 13:04:02 UTC" for seconds since the epoch (a duration if too small). */
static int date(double x, char *buf, size_t size)
{
	time_t t = (time_t)x;
	struct tm tm;
	size_t n;

	/* Before 2001 it is not a date but an uptime-like count. */
	if (x < 1e9 || x > 1e11 || !gmtime_r(&t, &tm))
		return clock_time(x, buf, size);
	n = strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm);
	if (!n)
		buf[0] = '\0';
	return (int)n;
}

/* as_double - the value as a double. */
static double as_double(const struct rtlab_mval *v)
{
	return v->kind == RTLAB_MV_U64 ? (double)v->u :
	       v->kind == RTLAB_MV_I64 ? (double)v->i : v->f;
}

/* plain - the value as it is: exact integers, shortest doubles. */
static int plain(const struct rtlab_mval *v, char *buf, size_t size)
{
	char num[32];

	if (v->kind == RTLAB_MV_U64)
		ex_fmt_u64(v->u, num);
	else if (v->kind == RTLAB_MV_I64)
		ex_fmt_i64(v->i, num);
	else
		rtlab_fmt_double(v->f, num, sizeof(num));
	return snprintf(buf, size, "%s", num);
}

#define STEPS(a) (a), sizeof(a) / sizeof((a)[0])

/* rtlab_fmt_human - see probe-export.h. */
size_t rtlab_fmt_human(const char *name, const struct rtlab_mval *v, char *buf, size_t size)
{
	enum unit u = unit_of(name);
	double x = as_double(v);
	int n;

	if (!size)
		return 0;
	if (v->st != RTLAB_PV_OK)
		n = snprintf(buf, size, "n/a (%s)", rtlab_pv_state_name(v->st));
	else if (u == U_NONE || !isfinite(x))
		n = plain(v, buf, size);
	else if (u == U_DATE)
		n = date(x, buf, size);
	else if (u == U_BYTES)
		n = scaled(x, STEPS(bytes_steps), buf, size);
	else if (u == U_SECONDS && fabs(x) >= 60)
		n = clock_time(x, buf, size);
	else if (u == U_SECONDS)
		n = x == 0 ? snprintf(buf, size, "0 s") :
			     scaled(x, STEPS(seconds_steps), buf, size);
	else if (u == U_RATIO)
		n = snprintf(buf, size, "%.1f %%", x * 100);
	else if (u == U_CELSIUS)
		n = snprintf(buf, size, "%.1f °C", x);
	else if (u == U_HERTZ)
		n = scaled(x, STEPS(hertz_steps), buf, size);
	else if (u == U_WATTS)
		n = x == 0 ? snprintf(buf, size, "0 W") : scaled(x, STEPS(watts_steps), buf, size);
	else
		n = scaled(x, STEPS(joules_steps), buf, size);
	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	return (size_t)n < size ? (size_t)n : strlen(buf);
}
