/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rt-steal.c - CPU steal time (the hypervisor ran something else) from /proc/stat. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "core-internal.h"
#include <rtlab/sysinfo.h>

#define STAT_SIZE_START (64 * 1024)
#define STAT_SIZE_MAX (16 * 1024 * 1024)
#define STEAL_FIELD 8		/* user nice system idle iowait irq softirq STEAL guest ... */

/* A window of the buffer: [p, end). */
struct span {
	const char *p, *end;
};

/* is_blank - space or tab (a /proc/stat field separator). */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* skip_blanks - advance over separators. */
static void skip_blanks(struct span *s)
{
	while (s->p < s->end && is_blank(*s->p))
		s->p++;
}

/* take_u64 - a decimal number at s->p, then a blank or the end of the line. */
static int take_u64(struct span *s, uint64_t *ret)
{
	uint64_t v = 0;

	if (s->p >= s->end || *s->p < '0' || *s->p > '9')
		return -EINVAL;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
		unsigned int d = (unsigned int)(*s->p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
		s->p++;
	}
	if (s->p < s->end && !is_blank(*s->p))
		return -EINVAL;
	*ret = v;
	return 0;
}

/* line_steal - the steal ticks of one "cpu..." line (its label already consumed). */
static int line_steal(struct span *line, uint64_t *ret)
{
	uint64_t v = 0;

	for (int field = 1; field <= STEAL_FIELD; field++) {
		int r;

		skip_blanks(line);
		r = take_u64(line, &v);
		if (r < 0)
			return r;
	}
	*ret = v;
	return 0;
}

/* line_cpu - the CPU of a "cpuN" label (-1 for the "cpu" total); -EINVAL if malformed. */
static int line_cpu(struct span *line, int *ret)
{
	uint64_t n;
	int r;

	line->p += 3;
	if (line->p < line->end && is_blank(*line->p)) {
		*ret = -1;
		return 0;
	}
	r = take_u64(line, &n);
	if (r < 0 || n >= CPU_SETSIZE)
		return -EINVAL;
	*ret = (int)n;
	return 0;
}

/* ticks_to_ns - USER_HZ ticks to ns without overflowing on the way. */
static int ticks_to_ns(uint64_t ticks, long user_hz, uint64_t *ret)
{
	uint64_t hz = (uint64_t)user_hz, whole = ticks / hz, rest = ticks % hz;

	if (whole > UINT64_MAX / RTLAB_NSEC_PER_SEC)
		return -EINVAL;
	*ret = whole * RTLAB_NSEC_PER_SEC + rest * RTLAB_NSEC_PER_SEC / hz;
	return 0;
}

/* add_line - account one "cpu" line if it is wanted; @seen tracks the CPUs found. */
static int add_line(struct span *line, const cpu_set_t *cpus, cpu_set_t *seen, bool *total_seen,
		    uint64_t *sum)
{
	uint64_t ticks;
	int cpu, r;

	r = line_cpu(line, &cpu);
	if (r < 0)
		return r;
	if (cpu < 0 ? cpus != NULL : !cpus || !CPU_ISSET(cpu, cpus))
		return 0;
	if (cpu < 0 ? *total_seen : CPU_ISSET(cpu, seen))
		return -EINVAL;		/* the same CPU twice: not /proc/stat */
	r = line_steal(line, &ticks);
	if (r < 0)
		return r;
	if (cpu < 0)
		*total_seen = true;
	else
		CPU_SET(cpu, seen);
	if (*sum > UINT64_MAX - ticks)
		return -EINVAL;
	*sum += ticks;
	return 0;
}

/* rtlab_steal_parse - steal time of @cpus (NULL: the total line) in a /proc/stat buffer. */
int rtlab_steal_parse(const char *buf, size_t len, const cpu_set_t *cpus, long user_hz,
		      uint64_t *ret_ns)
{
	const char *p = buf, *end = buf + len;
	bool total_seen = false;
	uint64_t sum = 0;
	cpu_set_t seen;

	if (!buf || user_hz <= 0)
		return -EINVAL;
	CPU_ZERO(&seen);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct span line = { p, nl ? nl : end };
		int r = 0;

		if (line.end - line.p >= 3 && memcmp(line.p, "cpu", 3) == 0)
			r = add_line(&line, cpus, &seen, &total_seen, &sum);
		if (r < 0)
			return r;
		p = nl ? nl + 1 : end;
	}
	if (cpus ? !CPU_EQUAL(&seen, cpus) && CPU_COUNT(cpus) > 0 : !total_seen)
		return -ENOENT;
	return ticks_to_ns(sum, user_hz, ret_ns);
}

/* read_stat - the whole of <root>/proc/stat into a buffer that grows until it fits. */
static ssize_t read_stat(struct rtlab_ctx *ctx, char **ret)
{
	size_t size = STAT_SIZE_START;

	for (;;) {
		char *buf = malloc(size);
		ssize_t n;

		if (!buf)
			return -ENOMEM;
		n = rtlab_read_file(ctx, "/proc/stat", buf, size);
		if (n >= 0 && (size_t)n + 1 < size) {
			*ret = buf;
			return n;
		}
		free(buf);
		if (n < 0)
			return n;
		if (size >= STAT_SIZE_MAX)
			return -EFBIG;
		size *= 2;
	}
}

/* rtlab_steal_read - steal time of @cpus (NULL: all) from <root>/proc/stat. */
int rtlab_steal_read(struct rtlab_ctx *ctx, const cpu_set_t *cpus, uint64_t *ret_ns)
{
	_cleanup_(freep) char *buf = NULL;
	long user_hz = sysconf(_SC_CLK_TCK);
	ssize_t n;
	int r;

	n = read_stat(ctx, &buf);
	if (n < 0)
		return rtlab_err(ctx, (int)n, "cannot read %s/proc/stat: %s", ctx->root,
				 strerror((int)-n));
	if (user_hz <= 0)
		return rtlab_err(ctx, -EINVAL, "sysconf(_SC_CLK_TCK) gave no tick rate");
	r = rtlab_steal_parse(buf, (size_t)n, cpus, user_hz, ret_ns);
	if (r == -ENOENT)
		return rtlab_err(ctx, r, "%s/proc/stat: no line for %s", ctx->root,
				 cpus ? "a CPU of the set (offline?)" : "the CPU total");
	if (r < 0)
		return rtlab_err(ctx, r, "%s/proc/stat: malformed cpu line", ctx->root);
	return 0;
}
