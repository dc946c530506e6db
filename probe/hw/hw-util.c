/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hw-util.c - class directories, small sysfs files below directory fds, value states. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw/hw-internal.h"

/* hw_cls_init - name the directory; nothing opened. */
void hw_cls_init(struct hw_cls *c, const char *path, bool (*match)(const char *name))
{
	c->path = path;
	c->match = match;
	c->fd = -1;
	c->err = -ENOENT;
	c->sig = 0;
}

/* hw_fnv - FNV-1a of a name. */
static uint64_t hw_fnv(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(1099511628211);
	}
	return h;
}

struct sig_walk {
	bool (*match)(const char *name);
	uint64_t sum;
	uint64_t count;
};

/* sig_one - add one matching name to the signature (order does not matter). */
static int sig_one(const char *name, unsigned char type, void *arg)
{
	struct sig_walk *w = arg;

	(void)type;
	if (w->match(name)) {
		w->sum += hw_fnv(name) * UINT64_C(0x9e3779b97f4a7c15);
		w->count++;
	}
	return 0;
}

/* hw_cls_changed - reopen when absent, compare the listing's signature. */
bool hw_cls_changed(struct rtlab_probe *p, struct hw_cls *c)
{
	struct sig_walk w = { .match = c->match };
	uint64_t sig;
	char full[PATH_MAX];
	int r;

	if (c->fd < 0) {
		r = probe_path(p, c->path, full, sizeof(full));
		if (r == 0) {
			c->fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			r = c->fd < 0 ? -errno : 0;
		}
		if (r < 0) {
			bool changed = c->err != r || c->sig != 1;

			c->err = r;
			c->sig = 1;
			return changed;
		}
		c->err = 0;
		c->sig = 1;	/* never a walk's signature below (count is mixed in) */
	}
	r = probe_dirfd_each(c->fd, sig_one, &w);
	if (r < 0) {
		hw_cls_close(c);
		c->err = r;
		return true;
	}
	sig = (w.sum ^ (w.count << 1)) | 2;
	if (sig == c->sig)
		return false;
	c->sig = sig;
	return true;
}

/* hw_cls_state - OK when open. */
uint8_t hw_cls_state(const struct hw_cls *c)
{
	return c->fd >= 0 ? RTLAB_PV_OK : probe_st_from_errno(c->err);
}

/* hw_cls_close - close the directory fd. */
void hw_cls_close(struct hw_cls *c)
{
	hw_close(&c->fd);
	c->sig = 0;
}

struct list_walk {
	bool (*match)(const char *name);
	struct hw_names *out;
	int err;
};

/* list_one - keep one matching name. */
static int list_one(const char *name, unsigned char type, void *arg)
{
	struct list_walk *w = arg;
	struct hw_names *l = w->out;

	(void)type;
	if (!w->match(name) || strlen(name) >= sizeof(l->v[0]))
		return 0;
	if (hw_grow(&l->v, &l->cap, l->n + 1) < 0) {
		w->err = -ENOMEM;
		return 1;
	}
	memcpy(l->v[l->n++], name, strlen(name) + 1);
	return 0;
}

/* hw_cls_list - matching names, sorted (insertion sort: no allocation, lists are short). */
int hw_cls_list(struct hw_cls *c, struct hw_names *out, bool natural)
{
	struct list_walk w = { .match = c->match, .out = out };
	char tmp[64];
	int r;

	out->n = 0;
	if (c->fd < 0)
		return 0;
	r = probe_dirfd_each(c->fd, list_one, &w);
	if (w.err)
		return w.err;
	if (r < 0)
		return r;
	for (size_t i = 1; i < out->n; i++) {
		size_t j = i;

		memcpy(tmp, out->v[i], sizeof(tmp));
		while (j > 0 && (natural ? hw_natcmp(out->v[j - 1], tmp) :
					   strcmp(out->v[j - 1], tmp)) > 0) {
			memcpy(out->v[j], out->v[j - 1], sizeof(tmp));
			j--;
		}
		memcpy(out->v[j], tmp, sizeof(tmp));
	}
	return 0;
}

/* hw_cls_each - @add(@arg, name) for each matching name of @c, sorted; stops at an error. */
int hw_cls_each(struct probe_cx *cx, struct hw_cls *c, bool natural,
		int (*add)(void *arg, const char *name), void *arg)
{
	struct hw_names names = { 0 };
	int r = hw_cls_list(c, &names, natural);

	if (r < 0) {
		probe_why(cx, "%s: %s", c->path, strerror(-r));
		hw_names_free(&names);
		return r == -ENOMEM ? r : 0;
	}
	for (size_t i = 0; i < names.n && r == 0; i++)
		r = add(arg, names.v[i]);
	hw_names_free(&names);
	return r;
}

/* hw_names_free - free the names. */
void hw_names_free(struct hw_names *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
}

/* hw_open_at - openat read-only, following links (sysfs class entries are links). */
int hw_open_at(int dirfd, const char *name, bool dir)
{
	int fd;

	if (dirfd < 0)
		return -EBADF;
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | (dir ? O_DIRECTORY : 0));
	return fd < 0 ? -errno : fd;
}

/* hw_close - close and mark. */
void hw_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* hw_pread - pread from 0, retrying on EINTR; NUL-terminates. */
ssize_t hw_pread(int fd, char *buf, size_t size)
{
	return probe_pread_small(fd, buf, size);
}

/* hw_read_at - open, read, close. */
ssize_t hw_read_at(int dirfd, const char *name, char *buf, size_t size)
{
	int fd = hw_open_at(dirfd, name, false);
	ssize_t n;

	buf[0] = '\0';
	if (fd < 0)
		return fd;
	n = hw_pread(fd, buf, size);
	close(fd);
	return n;
}

/* hw_str_at - a one-line string file. */
int hw_str_at(int dirfd, const char *name, char *dst, size_t size)
{
	char buf[256];
	ssize_t n = hw_read_at(dirfd, name, buf, sizeof(buf));

	memset(dst, 0, size);
	if (n < 0)
		return (int)n;
	hw_str_copy(dst, size, buf, (size_t)n);
	return 0;
}

/* hw_int_at - a number file. */
int hw_int_at(int dirfd, const char *name, int64_t *v)
{
	char buf[64];
	ssize_t n = hw_read_at(dirfd, name, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	if ((size_t)n == sizeof(buf) - 1)
		return -EBADMSG;	/* longer than any number */
	return hw_int_parse(buf, (size_t)n, v);
}

/* hw_pread_int - the hot path: one pread and the parse. */
int hw_pread_int(int fd, int64_t *v, char *raw, size_t rawsize)
{
	ssize_t n = hw_pread(fd, raw, rawsize);

	if (n < 0)
		return (int)n;
	if ((size_t)n == rawsize - 1)
		return -EBADMSG;	/* longer than any number */
	return hw_int_parse(raw, (size_t)n, v);
}

/* hw_scale - @v x @scale; a scale 1/N divides by N (correctly rounded: 38850 m is 38.85). */
double hw_scale(int64_t v, double scale)
{
	if (scale > 0 && scale < 1)
		return (double)v / (double)(int64_t)(1.0 / scale + 0.5);
	return (double)v * scale;
}

/* hw_f64 - scaled value or the error's state. */
void hw_f64(struct rtlab_pf64 *f, int r, int64_t v, double scale)
{
	if (r == 0)
		PV_SET(*f, hw_scale(v, scale));
	else
		PV_NA(*f, probe_st_from_errno(r));
}

/* hw_u64 - non-negative value or the error's state. */
void hw_u64(struct rtlab_pu64 *f, int r, int64_t v)
{
	if (r == 0 && v >= 0)
		PV_SET(*f, (uint64_t)v);
	else
		PV_NA(*f, r == 0 ? RTLAB_PV_MALFORMED : probe_st_from_errno(r));
}

/* hw_i64 - value or the error's state. */
void hw_i64(struct rtlab_pi64 *f, int r, int64_t v)
{
	if (r == 0)
		PV_SET(*f, v);
	else
		PV_NA(*f, probe_st_from_errno(r));
}

/* hw_why_text - "path: error" or "path:1: malformed value "raw"" (raw made printable). */
void hw_why_text(char *buf, size_t size, int r, const char *raw, const char *path)
{
	char shown[24];
	size_t n = 0;

	if (r != -EBADMSG) {
		snprintf(buf, size, "%s: %s", path, strerror(-r));
		return;
	}
	for (const char *c = raw ? raw : ""; *c && n + 1 < sizeof(shown); c++)
		if (*c != '\n')
			shown[n++] = (*c >= 0x20 && *c < 0x7f && *c != '"') ? *c : '?';
	shown[n] = '\0';
	snprintf(buf, size, "%s:1: malformed value \"%s\"", path, shown);
}

/* hw_why_read - the family's reason for a failed read. */
void hw_why_read(struct probe_cx *cx, int r, const char *raw, const char *fmt, ...)
{
	char path[PATH_MAX], why[sizeof(cx->d->why[0])];
	va_list ap;

	if (cx->d->why[cx->fam][0])
		return;
	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	hw_why_text(why, sizeof(why), r, raw, path);
	probe_why(cx, "%s", why);
}

/* hw_why_str - @text as the family's reason unless it has one (no formatting: the hot path). */
void hw_why_str(struct probe_cx *cx, const char *text)
{
	char *why = cx->d->why[cx->fam];

	if (!why[0])
		rtlab_strlcpy(why, text, sizeof(cx->d->why[0]));
}

/* hw_cls_why - "<path>: absent" into @why (if empty) when the class directory is not open. */
void hw_cls_why(const struct hw_cls *c, char *why, size_t size, const char *note)
{
	if (c->fd >= 0 || why[0])
		return;
	snprintf(why, size, "%s: %s%s", c->path, rtlab_pv_state_name(hw_cls_state(c)), note);
}

/* hw_rescan_due - every slow TTL, at least a second apart. */
bool hw_rescan_due(struct probe_cx *cx, uint64_t *next)
{
	uint64_t every = probe_opts(cx->p)->ttl_slow_ns;

	if (cx->now_ns < *next)
		return false;
	*next = cx->now_ns + (every > HW_RESCAN_MIN_NS ? every : HW_RESCAN_MIN_NS);
	return true;
}

/* hw_new_gen - now, or one past @gen if the clock has not moved. */
uint64_t hw_new_gen(const struct probe_cx *cx, uint64_t gen)
{
	return cx->now_ns > gen ? cx->now_ns : gen + 1;
}

/* hw_layout - the state's address and its generation, mixed. */
uint64_t hw_layout(const void *st, uint64_t gen)
{
	return ((uint64_t)(uintptr_t)st * UINT64_C(0x9e3779b97f4a7c15)) ^ gen;
}
