/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* limits-parse.c - /proc/PID/limits and the rlimit names. */
#include <errno.h>

#include "env/env-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

/* By RLIMIT_* number: the short name and the row title of /proc/PID/limits. */
static const struct {
	const char *name;
	const char *title;
} rlimits[RTLAB_PROBE_NRLIMITS] = {
	{ "cpu", "Max cpu time" },
	{ "fsize", "Max file size" },
	{ "data", "Max data size" },
	{ "stack", "Max stack size" },
	{ "core", "Max core file size" },
	{ "rss", "Max resident set" },
	{ "nproc", "Max processes" },
	{ "nofile", "Max open files" },
	{ "memlock", "Max locked memory" },
	{ "as", "Max address space" },
	{ "locks", "Max file locks" },
	{ "sigpending", "Max pending signals" },
	{ "msgqueue", "Max msgqueue size" },
	{ "nice", "Max nice priority" },
	{ "rtprio", "Max realtime priority" },
	{ "rttime", "Max realtime timeout" },
};

/* rtlab_probe_rlimit_name - the short name of RLIMIT_* number @resource. */
const char *rtlab_probe_rlimit_name(unsigned resource)
{
	return resource < RTLAB_PROBE_NRLIMITS ? rlimits[resource].name : NULL;
}

/* rl_value - "unlimited" or a number into @out. */
static bool rl_value(const char **pp, const char *end, struct rtlab_probe_limit *out)
{
	uint64_t v;

	*pp = pp_skip_blanks(*pp, end);
	if (pp_lit(pp, end, "unlimited")) {
		out->v = UINT64_MAX;
		out->unlimited = true;
	} else if (pp_u64(pp, end, &v)) {
		out->v = v;
		out->unlimited = false;
	} else {
		return false;
	}
	if (*pp < end && **pp != ' ' && **pp != '\t' && **pp != '\n')
		return false;
	out->st = RTLAB_PV_OK;
	return true;
}

/* rl_mark - both limits of @rl in state @st. */
static void rl_mark(struct rtlab_probe_rlimit *rl, enum rtlab_pv_state st)
{
	rl->soft = (struct rtlab_probe_limit){ .st = (uint8_t)st };
	rl->hard = (struct rtlab_probe_limit){ .st = (uint8_t)st };
}

/* env_limits_parse - rows like "Max open files   1024   4096   files". */
int env_limits_parse(const char *buf, size_t len,
		     struct rtlab_probe_rlimit out[RTLAB_PROBE_NRLIMITS], unsigned *bad)
{
	const char *p = buf, *end = buf + len;
	unsigned ln = 0;
	int r = 0;

	for (unsigned i = 0; i < RTLAB_PROBE_NRLIMITS; i++)
		rl_mark(&out[i], RTLAB_PV_ABSENT);
	while (p < end) {
		const char *ls = p, *eol = pp_eol(p, end);

		ln++;
		p = eol < end ? eol + 1 : end;
		for (unsigned i = 0; i < RTLAB_PROBE_NRLIMITS; i++) {
			const char *q = ls;

			/* The title is followed by at least one blank. */
			if (!pp_lit(&q, eol, rlimits[i].title) || q == eol ||
			    (*q != ' ' && *q != '\t'))
				continue;
			if (!rl_value(&q, eol, &out[i].soft) || !rl_value(&q, eol, &out[i].hard)) {
				rl_mark(&out[i], RTLAB_PV_MALFORMED);
				r = parse_bad(bad, ln);
			}
			break;
		}
	}
	return r;
}
