/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sysfs-parse.c - sysfs values of the cpu group: CPU lists, numbers, one-line texts. */
#include <errno.h>

#include "cpu/cpu-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* cpu_sysfs_trim - [p, end) without the trailing newline and blanks. */
static const char *cpu_sysfs_trim(const char *p, const char *end)
{
	while (end > p && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return end;
}

/* cpu_list_parse - "0-3,8" into a bitmap. */
int cpu_list_parse(const char *buf, size_t len, uint64_t *bits, uint32_t *count, uint32_t *end)
{
	const char *p = buf, *e = cpu_sysfs_trim(buf, buf + len);
	uint32_t n = 0, top = 0;
	int ret = 0;

	memset(bits, 0, CPU_WORDS * sizeof(*bits));
	while (p < e) {
		uint64_t lo, hi;

		if (*p < '0' || *p > '9' || !pp_u64(&p, e, &lo))
			goto bad;
		hi = lo;
		if (p < e && *p == '-') {
			p++;
			if (p == e || *p < '0' || *p > '9' || !pp_u64(&p, e, &hi) || hi < lo)
				goto bad;
		}
		if (p < e && *p != ',')
			goto bad;
		if (p < e)
			p++;
		if (hi >= CPU_MAX) {
			ret = -ERANGE;
			if (lo >= CPU_MAX)
				continue;
			hi = CPU_MAX - 1;
		}
		for (uint64_t c = lo; c <= hi; c++) {
			if (!cpu_list_has(bits, c))
				n++;
			bits[c / 64] |= UINT64_C(1) << (c % 64);
		}
		if (hi + 1 > top)
			top = (uint32_t)hi + 1;
	}
	*count = n;
	*end = top;
	return ret;
bad:
	*count = n;
	*end = top;
	return -EBADMSG;
}

/* cpu_sysfs_u64_parse - "1234\n" and nothing else. */
int cpu_sysfs_u64_parse(const char *buf, size_t len, uint64_t *ret)
{
	const char *p = buf, *e = cpu_sysfs_trim(buf, buf + len);

	if (p < e && (*p == ' ' || *p == '\t'))
		return -EBADMSG;
	if (!pp_u64(&p, e, ret) || p != e)
		return -EBADMSG;
	return 0;
}

/* cpu_sysfs_i64_parse - "-1\n" and nothing else. */
int cpu_sysfs_i64_parse(const char *buf, size_t len, int64_t *ret)
{
	const char *p = buf, *e = cpu_sysfs_trim(buf, buf + len);

	if (p < e && (*p == ' ' || *p == '\t'))
		return -EBADMSG;
	if (!pp_i64(&p, e, ret) || p != e)
		return -EBADMSG;
	return 0;
}

/* cpu_sysfs_text_parse - the first line, blanks around it removed. */
void cpu_sysfs_text_parse(const char *buf, size_t len, struct rtlab_cpu_text *out)
{
	const char *p = pp_skip_blanks(buf, buf + len);
	const char *e = cpu_sysfs_trim(p, pp_eol(p, buf + len));

	pp_copy(out->s, sizeof(out->s), p, (size_t)(e - p));
	out->st = RTLAB_PV_OK;
}
