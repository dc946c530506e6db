/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* probe-src.c - sources: files opened once below the root and re-read with pread. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probe-internal.h"

#define SRC_FIRST_CAP 4096

/* probe_path - "<root><path>". */
int probe_path(const struct rtlab_probe *p, const char *path, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s%s", probe_root(p), path);

	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

/* probe_opendir - opendir below the root. */
DIR *probe_opendir(const struct rtlab_probe *p, const char *path)
{
	char full[PATH_MAX];

	if (probe_path(p, path, full, sizeof(full)) < 0) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return opendir(full);
}

/* probe_pread_small - see probe-internal.h. */
ssize_t probe_pread_small(int fd, char *buf, size_t size)
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

/* probe_read_small - one-shot read of a small file below the root. */
ssize_t probe_read_small(const struct rtlab_probe *p, const char *path, char *buf, size_t size)
{
	char full[PATH_MAX];
	ssize_t n;
	int fd, r;

	if (size == 0)
		return -EINVAL;
	r = probe_path(p, path, full, sizeof(full));
	if (r < 0)
		return r;
	probe_traced(p, path);
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	n = probe_pread_small(fd, buf, size);
	close(fd);
	return n;
}

/* probe_src_init - name the source; nothing is opened until the first read. */
int probe_src_init(struct probe_src *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	s->fd = -1;
	s->buf = NULL;
	s->cap = 0;
	s->len = 0;
	va_start(ap, fmt);
	n = vsnprintf(s->path, sizeof(s->path), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(s->path))
		return -ENAMETOOLONG;
	return 0;
}

/*
 * A /proc table printed record by record (a seq_file) gives at most about a
 * page per read, however big the buffer: a read stops when the next record
 * does not fit, so it returns at least a page minus one record, i.e. at least
 * SEQ_READ_SHORT bytes for records of up to half a page.  A read shorter than
 * that reached the end: small files (sysfs, /proc/stat, meminfo) cost one pread.
 */
#define SEQ_READ_SHORT 2048

/* src_fill - pread from offset 0 to the end or until the buffer is full; the length or -errno. */
static ssize_t src_fill(struct probe_src *s)
{
	size_t len = 0;

	while (len < s->cap - 1) {
		ssize_t n = pread(s->fd, s->buf + len, s->cap - 1 - len, (off_t)len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		len += (size_t)n;
		if (n < SEQ_READ_SHORT)
			break;
	}
	return (ssize_t)len;
}

/* probe_src_read - the whole file from offset 0, growing the buffer until it fits. */
ssize_t probe_src_read(struct rtlab_probe *p, struct probe_src *s)
{
	ssize_t n;

	probe_traced(p, s->path);
	if (s->fd < 0) {
		char full[PATH_MAX];
		int r = probe_path(p, s->path, full, sizeof(full));

		if (r < 0)
			return r;
		s->fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (s->fd < 0)
			return -errno;
	}
	for (;;) {
		if (!s->buf) {
			s->cap = s->cap ? s->cap : SRC_FIRST_CAP;
			s->buf = malloc(s->cap);
			if (!s->buf)
				return -ENOMEM;
		}
		n = src_fill(s);
		if (n < 0) {
			/* A file that went away (hot-unplug) is re-opened next time. */
			close(s->fd);
			s->fd = -1;
			return n;
		}
		if ((size_t)n < s->cap - 1)
			break;
		/* It may not have fitted: read again with twice the room. */
		if (s->cap >= (SIZE_MAX >> 2))
			return -EFBIG;
		free(s->buf);
		s->buf = NULL;
		s->cap *= 2;
	}
	s->buf[n] = '\0';
	s->len = (size_t)n;
	return n;
}

/* probe_src_close - close and free. */
void probe_src_close(struct probe_src *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->buf);
	s->buf = NULL;
	s->cap = 0;
	s->len = 0;
}

/* probe_srcs_open - the sources of a family, not yet opened. */
int probe_srcs_open(const char *const *paths, size_t n, void **state)
{
	struct probe_srcs *s = calloc(1, sizeof(*s) + n * sizeof(s->src[0]));

	if (!s)
		return -ENOMEM;
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		int r = probe_src_init(&s->src[i], "%s", paths[i]);

		if (r < 0) {
			free(s);
			return r;
		}
	}
	*state = s;
	return 0;
}

/* probe_srcs_close - every source closed, then the state freed. */
void probe_srcs_close(void *state)
{
	struct probe_srcs *s = state;

	for (size_t i = 0; s && i < s->n; i++)
		probe_src_close(&s->src[i]);
	free(s);
}

/* probe_grow - room for @n items of @size in *@arr, new items zeroed. */
int probe_grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *a;

	if (n <= *cap)
		return 0;
	ncap = *cap ? *cap : 4;
	while (ncap < n)
		ncap *= 2;
	if (ncap > SIZE_MAX / size)
		return -ENOMEM;
	a = realloc(*arr, ncap * size);
	if (!a)
		return -ENOMEM;
	memset((char *)a + *cap * size, 0, (ncap - *cap) * size);
	*arr = a;
	*cap = ncap;
	return 0;
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* probe_dirfd_each - every entry of the open directory @dirfd, without allocating. */
int probe_dirfd_each(int dirfd, int (*fn)(const char *name, unsigned char type, void *arg),
		     void *arg)
{
	/* Aligned for struct linux_dirent64; on the stack, so nothing is allocated. */
	char buf[8192] __attribute__((aligned(8)));

	if (lseek(dirfd, 0, SEEK_SET) < 0)
		return -errno;
	for (;;) {
		long n = syscall(SYS_getdents64, dirfd, buf, sizeof(buf));

		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		for (long off = 0; off < n;) {
			struct linux_dirent64 *de = (struct linux_dirent64 *)(buf + off);
			const char *name = de->d_name;

			off += de->d_reclen;
			if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
				continue;
			int r = fn(name, de->d_type, arg);

			if (r)
				return r;
		}
	}
}

/* probe_dir_each - every entry of <root><path> but "." and "..", without allocating. */
int probe_dir_each(const struct rtlab_probe *p, const char *path,
		   int (*fn)(const char *name, unsigned char type, void *arg), void *arg)
{
	char full[PATH_MAX];
	int fd, r;

	r = probe_path(p, path, full, sizeof(full));
	if (r < 0)
		return r;
	probe_traced(p, path);
	fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = probe_dirfd_each(fd, fn, arg);
	close(fd);
	return r;
}
