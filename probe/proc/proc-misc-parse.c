/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-misc-parse.c - small process files: NUL lists, links, schedstat, single numbers. */
#include <errno.h>
#include <string.h>

#include "probe-internal.h"
#include "probe-parse.h"
#include "proc/proc-parse.h"

/* proc_nul_split - the starts of the NUL-separated strings of [buf, buf+len). */
size_t proc_nul_split(const char *buf, size_t len, const char **out, size_t max)
{
	const char *p = buf, *end = buf + len;
	size_t n = 0;

	while (p < end) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));

		if (n < max)
			out[n] = p;
		n++;
		p = nul ? nul + 1 : end;
	}
	return n;
}

/* link_inode - "[N]" at *pp, the whole rest of [*pp, end). */
static bool link_inode(const char *p, const char *end, uint64_t *ret)
{
	return pp_lit(&p, end, "[") && pp_u64(&p, end, ret) && pp_lit(&p, end, "]") && p == end;
}

/* proc_ns_inode - "type:[inode]". */
int proc_ns_inode(const char *buf, size_t len, uint64_t *ret)
{
	const char *colon = memchr(buf, ':', len);

	if (!colon || colon == buf || !link_inode(colon + 1, buf + len, ret))
		return -EBADMSG;
	return 0;
}

/* proc_fd_classify - what an fd link's text says it is. */
enum rtlab_proc_fd_kind proc_fd_classify(const char *buf, size_t len, struct rtlab_pu64 *inode)
{
	static const struct {
		const char *prefix;
		enum rtlab_proc_fd_kind kind;
	} kinds[] = {
		{ "socket:", RTLAB_PROC_FD_SOCKET },
		{ "pipe:", RTLAB_PROC_FD_PIPE },
		{ "anon_inode:", RTLAB_PROC_FD_ANON },
	};
	const char *end = buf + len;
	uint64_t ino;

	PV_NA(*inode, RTLAB_PV_ABSENT);
	if (len > 0 && buf[0] == '/')
		return RTLAB_PROC_FD_PATH;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *p = buf;

		if (!pp_lit(&p, end, kinds[i].prefix))
			continue;
		if (kinds[i].kind != RTLAB_PROC_FD_ANON) {
			if (link_inode(p, end, &ino))
				PV_SET(*inode, ino);
			else
				PV_NA(*inode, RTLAB_PV_MALFORMED);
		}
		return kinds[i].kind;
	}
	return RTLAB_PROC_FD_OTHER;
}

/* proc_schedstat_parse - "run_ns wait_ns timeslices\n". */
int proc_schedstat_parse(const char *buf, size_t len, struct rtlab_pu64 out[3])
{
	const char *p = buf, *end = buf + len;
	uint64_t v[3] = { 0 };
	bool ok = true;

	for (size_t i = 0; i < 3; i++)
		ok = ok && pp_u64(&p, end, &v[i]);
	ok = ok && pp_lit(&p, end, "\n");
	for (size_t i = 0; i < 3; i++) {
		if (ok)
			PV_SET(out[i], v[i]);
		else
			PV_NA(out[i], RTLAB_PV_MALFORMED);
	}
	return ok ? 0 : -EBADMSG;
}

/* proc_i64_parse - "123\n" or "-5\n". */
int proc_i64_parse(const char *buf, size_t len, struct rtlab_pi64 *out)
{
	const char *p = buf, *end = buf + len;
	int64_t v;

	if (!pp_i64(&p, end, &v) || !pp_lit(&p, end, "\n") || p != end) {
		PV_NA(*out, RTLAB_PV_MALFORMED);
		return -EBADMSG;
	}
	PV_SET(*out, v);
	return 0;
}
