/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpu-files.c - the cpu family's reads below the sysfs CPU directory, kept fds, fields. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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

/* at_vopen - open <dir>/<fmt...>; the fd or -errno. */
static int at_vopen(int dir, const char *fmt, va_list ap)
{
	char rel[128];
	int n, fd;

	if (dir < 0)
		return dir;
	n = vsnprintf(rel, sizeof(rel), fmt, ap);
	if (n < 0 || (size_t)n >= sizeof(rel))
		return -ENAMETOOLONG;
	fd = openat(dir, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	return fd < 0 ? -errno : fd;
}

/* cpu_at_read - read <dir>/<fmt...> once: open, pread, close. */
ssize_t cpu_at_read(const struct cpu_kf *kf, char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	ssize_t n;
	int fd;

	va_start(ap, fmt);
	fd = at_vopen(kf->dir, fmt, ap);
	va_end(ap);
	if (fd < 0)
		return fd;
	n = probe_pread_small(fd, buf, size);
	close(fd);
	return n;
}

/* kf_trace - the full path of <dir>/<fmt...> to the probe's trace function. */
static void kf_trace(const struct rtlab_probe *p, const char *fmt, va_list ap)
{
	char full[PATH_MAX];
	size_t len;

	if (probe_path(p, CPU_SYS "/", full, sizeof(full)) < 0)
		return;
	len = strlen(full);
	vsnprintf(full + len, sizeof(full) - len, fmt, ap);
	probe_traced(p, full);
}

/*
 * cpu_kf_read - read the file of slot @slot of CPU @cpu: with its kept fd, or
 * opened now and kept while the fd budget lasts (else closed again).  A failure
 * is remembered until the next reset, so a missing file costs no syscall.
 */
ssize_t cpu_kf_read(struct cpu_kf *kf, const struct rtlab_probe *p, size_t cpu, size_t slot,
		    char *buf, size_t size, const char *fmt, ...)
{
	int *fd = &kf->fd[cpu * kf->per + slot];
	va_list ap;
	ssize_t n;
	int tmp;

	if (probe_tracing(p)) {
		va_start(ap, fmt);
		kf_trace(p, fmt, ap);
		va_end(ap);
	}
	if (*fd >= 0) {
		n = probe_pread_small(*fd, buf, size);
		if (n >= 0)
			return n;
		/* Gone (hot-unplug): open again next time. */
		close(*fd);
		*fd = KF_UNTRIED;
		kf->nfds--;
		return n;
	}
	if (*fd != KF_UNTRIED)
		return -KF_ERRNO(*fd);
	va_start(ap, fmt);
	tmp = at_vopen(kf->dir, fmt, ap);
	va_end(ap);
	if (tmp < 0) {
		*fd = KF_FAILED(-tmp);
		return tmp;
	}
	n = probe_pread_small(tmp, buf, size);
	if (n >= 0 && kf->nfds < kf->budget) {
		*fd = tmp;
		kf->nfds++;
	} else {
		close(tmp);
	}
	return n;
}

/* cpu_kf_init - no CPU, no directory yet; the fd budget from RLIMIT_NOFILE. */
void cpu_kf_init(struct cpu_kf *kf, size_t per)
{
	struct rlimit rl;

	memset(kf, 0, sizeof(*kf));
	kf->dir = -ENOENT;
	kf->per = per;
	kf->budget = CPU_FD_BUDGET_MAX;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur / 4 < CPU_FD_BUDGET_MAX)
		kf->budget = (unsigned)(rl.rlim_cur / 4);
}

/* cpu_kf_dir - open <root>/sys/devices/system/cpu once; 0 or -errno (said once). */
int cpu_kf_dir(struct probe_cx *cx, struct cpu_kf *kf)
{
	char full[PATH_MAX];
	int r;

	if (kf->dir >= 0)
		return 0;
	r = probe_path(cx->p, CPU_SYS, full, sizeof(full));
	kf->dir = r < 0 ? r : open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (kf->dir < 0 && r == 0)
		kf->dir = -errno;
	if (kf->dir < 0)
		probe_why(cx, CPU_SYS ": %s", strerror(-kf->dir));
	return kf->dir < 0 ? kf->dir : 0;
}

/* cpu_kf_reset - close the kept fds, or only forget the remembered failures. */
void cpu_kf_reset(struct cpu_kf *kf, bool close_all)
{
	for (size_t i = 0; i < kf->ncpu * kf->per; i++) {
		int *fd = &kf->fd[i];

		if (*fd >= 0 && close_all) {
			close(*fd);
			kf->nfds--;
			*fd = KF_UNTRIED;
		} else if (*fd < KF_UNTRIED) {
			*fd = KF_UNTRIED;
		}
	}
}

/* cpu_kf_grow - slots for each of CPUs 0..n-1. */
int cpu_kf_grow(struct cpu_kf *kf, size_t n)
{
	void *arr = kf->fd;
	int r;

	if (n <= kf->ncpu)
		return 0;
	r = probe_grow(&arr, &kf->cap, n * kf->per, sizeof(*kf->fd));
	if (r < 0)
		return r;
	kf->fd = arr;
	for (size_t i = kf->ncpu * kf->per; i < n * kf->per; i++)
		kf->fd[i] = KF_UNTRIED;
	kf->ncpu = n;
	return 0;
}

/* cpu_kf_fini - every kept fd and the directory closed, the slots freed. */
void cpu_kf_fini(struct cpu_kf *kf)
{
	cpu_kf_reset(kf, true);
	free(kf->fd);
	if (kf->dir >= 0)
		close(kf->dir);
	cpu_kf_init(kf, kf->per);
}
