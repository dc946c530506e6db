/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-stat-parse.c - /proc/<pid>/stat and /proc/<pid>/statm. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "probe-internal.h"
#include "probe-parse.h"
#include "proc/proc-parse.h"

/* A numeric field of the stat line after the state letter, in line order. */
struct stat_field {
	uint16_t off;
	bool is_signed;
};

#define SF_U(f) { offsetof(struct rtlab_proc_stat, f), false }
#define SF_I(f) { offsetof(struct rtlab_proc_stat, f), true }

static const struct stat_field stat_fields[] = {
	SF_I(ppid), SF_I(pgrp), SF_I(session), SF_I(tty_nr), SF_I(tpgid), SF_U(flags),
	SF_U(minflt), SF_U(cminflt), SF_U(majflt), SF_U(cmajflt), SF_U(utime_ticks),
	SF_U(stime_ticks), SF_I(cutime_ticks), SF_I(cstime_ticks), SF_I(priority), SF_I(nice),
	SF_I(num_threads), SF_I(itrealvalue), SF_U(starttime_ticks), SF_U(vsize_bytes),
	SF_I(rss_pages), SF_U(rsslim_bytes), SF_U(startcode), SF_U(endcode), SF_U(startstack),
	SF_U(kstkesp), SF_U(kstkeip), SF_U(signal), SF_U(blocked), SF_U(sigignore),
	SF_U(sigcatch), SF_U(wchan), SF_U(nswap), SF_U(cnswap), SF_I(exit_signal),
	SF_I(processor), SF_U(rt_priority), SF_U(policy), SF_U(delayacct_blkio_ticks),
	SF_U(guest_time_ticks), SF_I(cguest_time_ticks), SF_U(start_data), SF_U(end_data),
	SF_U(start_brk), SF_U(arg_start), SF_U(arg_end), SF_U(env_start), SF_U(env_end),
	SF_I(exit_code),
};

#define NSTAT_FIELDS (sizeof(stat_fields) / sizeof(stat_fields[0]))

/* stat_val - the value of numeric field @i of @s (pu64 and pi64 share their layout). */
static struct rtlab_pu64 *stat_val(struct rtlab_proc_stat *s, size_t i)
{
	return (struct rtlab_pu64 *)((char *)s + stat_fields[i].off);
}

/* stat_mark_from - numeric fields @from.. in state @st. */
static void stat_mark_from(struct rtlab_proc_stat *s, size_t from, uint8_t st)
{
	for (size_t i = from; i < NSTAT_FIELDS; i++)
		PV_NA(*stat_val(s, i), st);
}

/* proc_stat_mark - every field in state @st. */
void proc_stat_mark(struct rtlab_proc_stat *s, uint8_t st)
{
	PV_NA(s->pid, st);
	s->comm[0] = '\0';
	s->comm_st = st;
	s->state = '\0';
	s->state_st = st;
	stat_mark_from(s, 0, st);
}

/*
 * stat_digits - the decimal at @p (no blank before it), or NULL.  The stat
 * line is parsed on every walk for every process: up to 19 digits cannot
 * overflow 64 bits, so only a 20th digit is checked.
 */
static const char *stat_digits(const char *p, const char *end, uint64_t *ret)
{
	const char *start = p, *fast = end - p > 19 ? p + 19 : end;
	uint64_t v = 0;

	while (p < fast && (unsigned char)(*p - '0') < 10)
		v = v * 10 + (uint64_t)(*p++ - '0');
	if (p < end && (unsigned char)(*p - '0') < 10) {
		uint64_t d = (uint64_t)(*p++ - '0');

		if (p - start != 20 || v > (UINT64_MAX - d) / 10 ||
		    (p < end && (unsigned char)(*p - '0') < 10))
			return NULL;
		v = v * 10 + d;
	}
	if (p == start)
		return NULL;
	*ret = v;
	return p;
}

/* stat_number - one field at *pp: a blank, then a number ending at a blank, newline or @end. */
static bool stat_number(const char **pp, const char *end, const struct stat_field *f,
			struct rtlab_pu64 *out)
{
	const char *p = *pp;
	bool neg = false;
	uint64_t u;

	if (end - p < 2 || *p++ != ' ')
		return false;
	if (f->is_signed && *p == '-') {
		neg = true;
		p++;
	}
	p = stat_digits(p, end, &u);
	/* A number the end of the input cuts may be cut itself. */
	if (!p || p == end || (*p != ' ' && *p != '\n'))
		return false;
	if (neg && u > (uint64_t)INT64_MAX + 1)
		return false;
	if (f->is_signed && !neg && u > INT64_MAX)
		return false;
	*out = (struct rtlab_pu64){ .v = neg ? 0 - u : u, .st = RTLAB_PV_OK };
	*pp = p;
	return true;
}

/* stat_fields_parse - the numbers after the state letter; returns 0 or -EBADMSG. */
static int stat_fields_parse(const char *p, const char *end, struct rtlab_proc_stat *out)
{
	const char *eol = pp_eol(p, end);

	for (size_t i = 0; i < NSTAT_FIELDS; i++) {
		if (p == eol) {
			/* A complete but shorter line: an older kernel without these fields. */
			stat_mark_from(out, i, eol < end ? RTLAB_PV_ABSENT : RTLAB_PV_MALFORMED);
			return eol < end ? 0 : -EBADMSG;
		}
		const char *lim = eol < end ? eol + 1 : end;

		if (!stat_number(&p, lim, &stat_fields[i], stat_val(out, i))) {
			stat_mark_from(out, i, RTLAB_PV_MALFORMED);
			return -EBADMSG;
		}
	}
	return 0;
}

/* proc_stat_parse - "pid (comm) S ppid pgrp ...": comm is everything up to the last ')'. */
int proc_stat_parse(const char *buf, size_t len, struct rtlab_proc_stat *out)
{
	const char *p = buf, *end = buf + len;
	const char *open, *close;
	int64_t pid;

	/* Each field is written once: parsed, or marked from the first that cannot be. */
	if (!pp_i64(&p, end, &pid) || !pp_lit(&p, end, " (")) {
		proc_stat_mark(out, RTLAB_PV_MALFORMED);
		return -EBADMSG;
	}
	open = p;
	close = memrchr(open, ')', (size_t)(end - open));
	p = close ? close + 1 : end;
	if (!close || end - p < 2 || p[0] != ' ' || p[1] == ' ' || p[1] == '\n') {
		proc_stat_mark(out, RTLAB_PV_MALFORMED);
		PV_SET(out->pid, pid);
		if (close) {
			pp_copy(out->comm, sizeof(out->comm), open, (size_t)(close - open));
			out->comm_st = RTLAB_PV_OK;
		}
		return -EBADMSG;
	}
	PV_SET(out->pid, pid);
	pp_copy(out->comm, sizeof(out->comm), open, (size_t)(close - open));
	out->comm_st = RTLAB_PV_OK;
	out->state = p[1];
	out->state_st = RTLAB_PV_OK;
	return stat_fields_parse(p + 2, end, out);
}

/* proc_stat_state - the letter after the last ')'. */
char proc_stat_state(const char *buf, size_t len)
{
	const char *close = memrchr(buf, ')', len);

	if (!close || buf + len - close < 3 || close[1] != ' ')
		return '\0';
	return close[2];
}

/* proc_statm_mark - every field in state @st. */
void proc_statm_mark(struct rtlab_proc_statm *s, uint8_t st)
{
	struct rtlab_pu64 *v[] = { &s->size_pages, &s->resident_pages, &s->shared_pages,
				   &s->text_pages, &s->lib_pages, &s->data_pages, &s->dirty_pages };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		PV_NA(*v[i], st);
}

/* proc_statm_parse - "size resident shared text lib data dt\n", in pages. */
int proc_statm_parse(const char *buf, size_t len, struct rtlab_proc_statm *out)
{
	struct rtlab_pu64 *v[] = { &out->size_pages, &out->resident_pages, &out->shared_pages,
				   &out->text_pages, &out->lib_pages, &out->data_pages,
				   &out->dirty_pages };
	const char *p = buf, *end = buf + len;
	const char *eol = pp_eol(p, end);
	int r = 0;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint64_t x;

		if (r == 0 && pp_u64(&p, eol, &x) && p < end && (*p == ' ' || *p == '\n')) {
			PV_SET(*v[i], x);
		} else {
			PV_NA(*v[i], RTLAB_PV_MALFORMED);
			r = -EBADMSG;
		}
	}
	/* Both have been 0 since Linux 2.6: not a measurement. */
	if (out->lib_pages.st == RTLAB_PV_OK)
		PV_NA(out->lib_pages, RTLAB_PV_UNSUPPORTED);
	if (out->dirty_pages.st == RTLAB_PV_OK)
		PV_NA(out->dirty_pages, RTLAB_PV_UNSUPPORTED);
	return r;
}
