/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * load-io.c - the io load: each worker writes its own temporary file of
 * size_bytes in 64 KiB chunks, fdatasync()s it, and starts again at offset 0.
 * The file has no name (O_TMPFILE, or a name removed right after it is
 * created), so nothing is left in the directory, whatever happens to rtlab.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "load-internal.h"

#define IO_DEFAULT_SIZE (16ull << 20)

/* load_default_dir - $TMPDIR if set and not empty, else /tmp. */
const char *load_default_dir(void)
{
	const char *d = getenv("TMPDIR");

	return d && *d ? d : "/tmp";
}

/*
 * named_tmpfile - where O_TMPFILE is not supported: a new file with a name
 * unique to this thread and moment, removed at once.
 */
static int named_tmpfile(const char *dir)
{
	char path[PATH_MAX];
	int fd, r;

	do {
		if (snprintf(path, sizeof(path), "%s/.rtlab-load-%ld-%llu", dir,
			     (long)syscall(SYS_gettid),
			     (unsigned long long)rtlab_now_ns()) >= (int)sizeof(path))
			return -ENAMETOOLONG;
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	} while (fd < 0 && errno == EEXIST);
	if (fd < 0)
		return -errno;
	if (unlink(path) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

/* load_tmpfile - an unnamed file in @dir. */
int load_tmpfile(const char *dir)
{
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd >= 0)
		return fd;
	if (errno != EOPNOTSUPP && errno != EISDIR)
		return -errno;
	return named_tmpfile(dir);
}

/* io_setup - the file, and one chunk of seeded data to write. */
static int io_setup(struct load_worker *w)
{
	const struct rtlab_load *l = w->load;

	w->buf_size = l->size_bytes < LOAD_CHUNK_BYTES ? l->size_bytes : LOAD_CHUNK_BYTES;
	w->buf = malloc(w->buf_size);
	if (!w->buf)
		return rtlab_err(l->ctx, -ENOMEM, "load %s: out of memory", l->name);
	load_rng_fill(&w->rng, w->buf, w->buf_size);
	w->fd = load_tmpfile(l->dir);
	if (w->fd < 0)
		return rtlab_err(l->ctx, w->fd, "load %s: cannot create a file in %s: %s", l->name,
				 l->dir, strerror(-w->fd));
	return 0;
}

/* io_op - write the next chunk; after the last one, fdatasync and rewind. */
static int io_op(struct load_worker *w)
{
	uint64_t size = w->load->size_bytes;
	size_t n = size - w->off < w->buf_size ? size - w->off : w->buf_size;
	ssize_t k;

	k = pwrite(w->fd, w->buf, n, (off_t)w->off);
	if (k < 0)
		return errno == EINTR ? 0 : -errno;
	w->off += (size_t)k;
	if (w->off < size)
		return 0;
	w->off = 0;
	if (fdatasync(w->fd) < 0 && errno != EINTR)
		return -errno;
	return 0;
}

/* io_cleanup - close the file (which frees its blocks) and the data. */
static void io_cleanup(struct load_worker *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	free(w->buf);
	w->buf = NULL;
}

const struct load_kind load_kind_io = {
	.default_size = IO_DEFAULT_SIZE,
	.setup = io_setup,
	.op = io_op,
	.cleanup = io_cleanup,
};
