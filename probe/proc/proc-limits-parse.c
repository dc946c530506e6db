/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-limits-parse.c - /proc/<pid>/limits. */
#include <errno.h>
#include <sys/resource.h>

#include "probe-internal.h"
#include "probe-parse.h"
#include "proc/proc-parse.h"

/* The rows the kernel prints (fs/proc/base.c lnames[]), by resource. */
static const struct {
	const char *name;
	int resource;
} limit_names[] = {
	{ "Max cpu time", RLIMIT_CPU },
	{ "Max file size", RLIMIT_FSIZE },
	{ "Max data size", RLIMIT_DATA },
	{ "Max stack size", RLIMIT_STACK },
	{ "Max core file size", RLIMIT_CORE },
	{ "Max resident set", RLIMIT_RSS },
	{ "Max processes", RLIMIT_NPROC },
	{ "Max open files", RLIMIT_NOFILE },
	{ "Max locked memory", RLIMIT_MEMLOCK },
	{ "Max address space", RLIMIT_AS },
	{ "Max file locks", RLIMIT_LOCKS },
	{ "Max pending signals", RLIMIT_SIGPENDING },
	{ "Max msgqueue size", RLIMIT_MSGQUEUE },
	{ "Max nice priority", RLIMIT_NICE },
	{ "Max realtime priority", RLIMIT_RTPRIO },
	{ "Max realtime timeout", RLIMIT_RTTIME },
};

/* limit_resource - RLIMIT_* of the row named [n, n+nl), or -1. */
static int limit_resource(const char *n, size_t nl)
{
	for (size_t i = 0; i < sizeof(limit_names) / sizeof(limit_names[0]); i++)
		if (pp_eq(n, nl, limit_names[i].name))
			return limit_names[i].resource;
	return -1;
}

/* limit_value - "unlimited" or a decimal; false for anything else. */
static bool limit_value(const char *w, size_t wl, uint64_t *ret)
{
	const char *p = w;

	if (pp_eq(w, wl, "unlimited")) {
		*ret = RTLAB_PROC_UNLIMITED;
		return true;
	}
	return pp_u64(&p, w + wl, ret) && p == w + wl;
}

/* limit_row - one row "Max open files   1024   4096   files" up to @eol. */
static int limit_row(const char *p, const char *eol, bool complete, struct rtlab_proc_limit *row)
{
	const char *name = pp_skip_blanks(p, eol), *name_end = name, *w = NULL;
	size_t wl = 0;
	uint64_t soft = 0, hard;
	bool found = false;

	PV_NA(row->soft, RTLAB_PV_MALFORMED);
	PV_NA(row->hard, RTLAB_PV_MALFORMED);
	row->unit[0] = '\0';
	/* The name is the words before the first value: names hold no numbers. */
	p = name;
	while (!found && pp_word(&p, eol, &w, &wl)) {
		found = limit_value(w, wl, &soft);
		if (!found)
			name_end = w + wl;
	}
	pp_copy(row->name, sizeof(row->name), name, (size_t)(name_end - name));
	row->resource = limit_resource(name, (size_t)(name_end - name));
	if (name_end == name || !found)
		return -EBADMSG;
	if (!pp_word(&p, eol, &w, &wl) || !limit_value(w, wl, &hard))
		return -EBADMSG;
	if (pp_word(&p, eol, &w, &wl))
		pp_copy(row->unit, sizeof(row->unit), w, wl);
	if (pp_skip_blanks(p, eol) != eol || !complete)
		return -EBADMSG;
	PV_SET(row->soft, soft);
	PV_SET(row->hard, hard);
	return 0;
}

/* proc_limits_parse - the header line, then one row per limit. */
int proc_limits_parse(const char *buf, size_t len, struct rtlab_proc_limits *out)
{
	const char *p = buf, *end = buf + len;
	int r = 0;

	out->count = 0;
	if (pp_lit(&p, end, "Limit "))
		p = pp_next_line(p, end);
	else
		r = -EBADMSG;
	while (p < end && out->count < RTLAB_PROC_LIMITS_MAX) {
		const char *eol = pp_eol(p, end);

		if (pp_skip_blanks(p, eol) != eol &&
		    limit_row(p, eol, eol < end, &out->row[out->count++]) < 0)
			r = -EBADMSG;
		p = eol < end ? eol + 1 : end;
	}
	return r;
}
