/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* core-cpulist.c - the kernel's CPU list format ("0-3,8,10-14:2"). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core-internal.h"

/* parse_num - one CPU number at *p; advances *p. */
static int parse_num(const char **p, unsigned long *ret)
{
	char *end;

	if (!isdigit((unsigned char)**p))
		return -EINVAL;
	errno = 0;
	*ret = strtoul(*p, &end, 10);
	if (errno)
		return -ERANGE;
	*p = end;
	return 0;
}

/*
 * parse_item - "N", "N-M" or "N-M:S" at *p; adds the CPUs to @set.  On a bad
 * value (reversed range, zero stride, CPU too large) *p is left at its number.
 */
static int parse_item(const char **p, cpu_set_t *set)
{
	unsigned long lo, hi, stride = 1;
	const char *num = *p;
	int r;

	r = parse_num(p, &lo);
	if (r < 0)
		return r;
	if (lo >= CPU_SETSIZE)
		goto out_range;
	hi = lo;
	if (**p == '-') {
		num = ++(*p);
		r = parse_num(p, &hi);
		if (r < 0)
			return r;
		if (hi < lo)
			goto out_inval;
		if (hi >= CPU_SETSIZE)
			goto out_range;
		if (**p == ':') {
			num = ++(*p);
			r = parse_num(p, &stride);
			if (r < 0)
				return r;
			if (stride == 0)
				goto out_inval;
		}
	}
	/* hi - c < stride: no c += stride past hi, which could wrap around. */
	for (unsigned long c = lo;; c += stride) {
		CPU_SET(c, set);
		if (hi - c < stride)
			break;
	}
	return 0;

out_inval:
	*p = num;
	return -EINVAL;
out_range:
	*p = num;
	return -ERANGE;
}

/* rtlab_cpulist_parse - parse a list into @ret. */
int rtlab_cpulist_parse(const char *s, cpu_set_t *ret, size_t *ret_pos)
{
	const char *p = s;
	cpu_set_t set;
	int r = 0;

	CPU_ZERO(&set);
	while (isspace((unsigned char)*p))
		p++;
	while (*p && !isspace((unsigned char)*p)) {
		r = parse_item(&p, &set);
		if (r < 0)
			break;
		if (*p == ',') {
			p++;
			if (!isdigit((unsigned char)*p)) {
				r = -EINVAL;
				break;
			}
		} else if (*p && !isspace((unsigned char)*p)) {
			r = -EINVAL;
			break;
		}
	}
	while (r == 0 && isspace((unsigned char)*p))
		p++;
	if (r == 0 && *p)
		r = -EINVAL;
	if (r < 0) {
		if (ret_pos)
			*ret_pos = (size_t)(p - s);
		return r;
	}
	*ret = set;
	return 0;
}

/* rtlab_cpulist_format - compact list of @set. */
int rtlab_cpulist_format(const cpu_set_t *set, char *buf, size_t size)
{
	size_t len = 0;
	int c = 0;

	if (size == 0)
		return -ENOSPC;
	buf[0] = '\0';
	while (c < CPU_SETSIZE) {
		int lo, n;

		if (!CPU_ISSET(c, set)) {
			c++;
			continue;
		}
		lo = c;
		while (c + 1 < CPU_SETSIZE && CPU_ISSET(c + 1, set))
			c++;
		if (lo == c)
			n = snprintf(buf + len, size - len, "%s%d", len ? "," : "", lo);
		else
			n = snprintf(buf + len, size - len, "%s%d-%d", len ? "," : "", lo, c);
		if (n < 0 || (size_t)n >= size - len)
			return -ENOSPC;
		len += (size_t)n;
		c++;
	}
	return (int)len;
}

/* rtlab_cpus_online - read the online CPU list. */
int rtlab_cpus_online(struct rtlab_ctx *ctx, cpu_set_t *ret)
{
	const char *path = "/sys/devices/system/cpu/online";
	char buf[4096];
	ssize_t n;
	int r;

	n = rtlab_read_file(ctx, path, buf, sizeof(buf));
	if (n < 0)
		return rtlab_err(ctx, (int)n, "cannot read %s: %s", path, strerror((int)-n));
	r = rtlab_cpulist_parse(buf, ret, NULL);
	if (r < 0)
		return rtlab_err(ctx, r, "%s: malformed CPU list", path);
	if (CPU_COUNT(ret) == 0)
		return rtlab_err(ctx, -EINVAL, "%s: no CPU online", path);
	return 0;
}
