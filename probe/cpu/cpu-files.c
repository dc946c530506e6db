/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpu-files.c - the cpu family's reads below the sysfs CPU directory, kept fds, fields. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cpu/cpu-family.h"

/* cpu_where_why - "path: reason" (":1: malformed" for a value that did not parse). */
void cpu_where_why(struct probe_cx *cx, const struct cpu_where *w, int err)
{
	const char *sep = err == -EBADMSG ? ":1" : "";
	const char *what = err == -EBADMSG ? "malformed" : strerror(-err);

	if (w->cpu < 0)
		probe_why(cx, "%s%s: %s", w->file, sep, what);
	else if (w->state < 0)
		probe_why(cx, CPU_SYS "/cpu%ld/%s%s: %s", w->cpu, w->file, sep, what);
	else
		probe_why(cx, CPU_SYS "/cpu%ld/cpuidle/state%d/%s%s: %s", w->cpu, w->state, w->file,
			  sep, what);
}

/* cpu_field_mark - the field of @kind at @f in state @st (a text emptied). */
void cpu_field_mark(void *f, uint8_t kind, uint8_t st)
{
	if (kind == K_U64) {
		PV_NA(*(struct rtlab_pu64 *)f, st);
	} else if (kind == K_I64) {
		PV_NA(*(struct rtlab_pi64 *)f, st);
	} else {
		((struct rtlab_cpu_text *)f)->st = st;
		((struct rtlab_cpu_text *)f)->s[0] = '\0';
	}
}

/*
 * cpu_field_got - the outcome of reading a file (@n bytes of @buf, or -errno) into the
 * field of @kind at @f; a file that is not there is absent without a why.
 */
void cpu_field_got(struct probe_cx *cx, void *f, uint8_t kind, const char *buf, ssize_t n,
		   const struct cpu_where *w)
{
	uint64_t v = 0;
	int64_t sv = 0;
	int r = (int)n;

	if (n >= 0 && kind == K_TEXT) {
		cpu_sysfs_text_parse(buf, (size_t)n, f);
		return;
	}
	if (n >= 0)
		r = kind == K_U64 ? cpu_sysfs_u64_parse(buf, (size_t)n, &v) :
				    cpu_sysfs_i64_parse(buf, (size_t)n, &sv);
	if (r == 0 && kind == K_U64)
		PV_SET(*(struct rtlab_pu64 *)f, v);
	else if (r == 0)
		PV_SET(*(struct rtlab_pi64 *)f, sv);
	if (r == 0)
		return;
	cpu_field_mark(f, kind, probe_st_from_errno(r));
	if (r != -ENOENT)
		cpu_where_why(cx, w, r);
}

/* fd_read - the whole small file at @fd into @buf (NUL-terminated). */
static ssize_t fd_read(int fd, char *buf, size_t size)
{
	ssize_t n;

	do
		n = pread(fd, buf, size - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

/* at_vopen - open <sysdir>/<fmt...>; the fd or -errno. */
static int at_vopen(const struct cpu_state *s, const char *fmt, va_list ap)
{
	char rel[128];
	int n, fd;

	if (s->sysdir < 0)
		return s->sysdir;
	n = vsnprintf(rel, sizeof(rel), fmt, ap);
	if (n < 0 || (size_t)n >= sizeof(rel))
		return -ENAMETOOLONG;
	fd = openat(s->sysdir, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	return fd < 0 ? -errno : fd;
}

/* cpu_at_read - read <sysdir>/<fmt...> once: open, pread, close. */
ssize_t cpu_at_read(const struct cpu_state *s, char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	ssize_t n;
	int fd;

	va_start(ap, fmt);
	fd = at_vopen(s, fmt, ap);
	va_end(ap);
	if (fd < 0)
		return fd;
	n = fd_read(fd, buf, size);
	close(fd);
	return n;
}

/*
 * cpu_kf_read - read the per-CPU file of slot *@fd: with its kept fd, or opened
 * now and kept while the fd budget lasts (else closed again).  A failure is
 * remembered until the next refresh, so a missing file costs no syscall.
 */
ssize_t cpu_kf_read(struct cpu_state *s, int *fd, char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	ssize_t n;
	int tmp;

	if (*fd >= 0) {
		n = fd_read(*fd, buf, size);
		if (n >= 0)
			return n;
		/* Gone (hot-unplug): open again next time. */
		close(*fd);
		*fd = KF_UNTRIED;
		s->nfds--;
		return n;
	}
	if (*fd != KF_UNTRIED)
		return -KF_ERRNO(*fd);
	va_start(ap, fmt);
	tmp = at_vopen(s, fmt, ap);
	va_end(ap);
	if (tmp < 0) {
		*fd = KF_FAILED(-tmp);
		return tmp;
	}
	n = fd_read(tmp, buf, size);
	if (n >= 0 && s->nfds < s->fd_budget) {
		*fd = tmp;
		s->nfds++;
	} else {
		close(tmp);
	}
	return n;
}

/* cpu_kf_reset - close the kept fds, or only forget the remembered failures. */
void cpu_kf_reset(struct cpu_state *s, bool close_all)
{
	for (size_t i = 0; i < s->nkf; i++) {
		for (size_t k = 0; k < KF_COUNT; k++) {
			int *fd = &s->kf[i].fd[k];

			if (*fd >= 0 && close_all) {
				close(*fd);
				s->nfds--;
				*fd = KF_UNTRIED;
			} else if (*fd < KF_UNTRIED) {
				*fd = KF_UNTRIED;
			}
		}
	}
}

/* cpu_kf_grow - a slot set for each of CPUs 0..n-1. */
int cpu_kf_grow(struct cpu_state *s, size_t n)
{
	void *arr = s->kf;
	int r;

	if (n <= s->nkf)
		return 0;
	r = probe_grow(&arr, &s->cap_kf, n, sizeof(*s->kf));
	if (r < 0)
		return r;
	s->kf = arr;
	for (; s->nkf < n; s->nkf++) {
		for (size_t k = 0; k < KF_COUNT; k++)
			s->kf[s->nkf].fd[k] = KF_UNTRIED;
	}
	return 0;
}
