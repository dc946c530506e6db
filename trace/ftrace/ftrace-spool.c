/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ftrace-spool.c - raw ring-buffer pages kept aside: memory first, then an unnamed file. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ftrace-internal.h"

/* ftrace_spool_init - room for @mem_pages pages of @page_size in memory. */
int ftrace_spool_init(struct ftrace_spool *sp, size_t page_size, size_t mem_pages)
{
	memset(sp, 0, sizeof(*sp));
	sp->fd = -1;
	sp->page_size = page_size;
	sp->slot = sizeof(struct ftrace_page_hdr) + page_size;
	sp->mem_cap = mem_pages ? mem_pages : 1;
	sp->mem = malloc(sp->mem_cap * sp->slot);
	return sp->mem ? 0 : -ENOMEM;
}

/* ftrace_spool_free - the memory and the file. */
void ftrace_spool_free(struct ftrace_spool *sp)
{
	free(sp->mem);
	sp->mem = NULL;
	if (sp->fd >= 0)
		(void)close(sp->fd);
	sp->fd = -1;
}

/* spool_file - the unnamed temporary file ($TMPDIR, else /var/tmp, else /tmp). */
static int spool_file(struct ftrace_spool *sp)
{
	const char *dirs[] = { getenv("TMPDIR"), "/var/tmp", "/tmp" };
	int r = -ENOENT;

	if (sp->fd >= 0)
		return 0;
	for (size_t i = 0; i < RTLAB_ARRAY_SIZE(dirs); i++) {
		if (!dirs[i] || !dirs[i][0])
			continue;
		sp->fd = open(dirs[i], O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		if (sp->fd >= 0)
			return 0;
		r = -errno;
	}
	return r;
}

/* write_all - @n bytes at the end of the file. */
static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* spool_slot - the @i-th slot in memory. */
static unsigned char *spool_slot(const struct ftrace_spool *sp, size_t i)
{
	return sp->mem + i * sp->slot;
}

/* ftrace_spool_flush - every page in memory appended to the file. */
int ftrace_spool_flush(struct ftrace_spool *sp)
{
	int r;

	if (!sp->mem_n)
		return 0;
	r = spool_file(sp);
	if (r < 0)
		return r;
	r = write_all(sp->fd, sp->mem, sp->mem_n * sp->slot);
	if (r < 0)
		return r;
	sp->file_n += sp->mem_n;
	sp->mem_n = 0;
	return 0;
}

/* ftrace_spool_add - one page into memory; a full memory goes to the file first. */
int ftrace_spool_add(struct ftrace_spool *sp, const struct ftrace_page_hdr *h, const void *page)
{
	unsigned char *s;

	if (h->len > sp->page_size)
		return -EINVAL;
	if (sp->mem_n == sp->mem_cap) {
		int r = ftrace_spool_flush(sp);

		if (r < 0)
			return r;
	}
	s = spool_slot(sp, sp->mem_n++);
	memcpy(s, h, sizeof(*h));
	memcpy(s + sizeof(*h), page, h->len);
	return 0;
}

/* ftrace_spool_trim - old pages out of memory: kept ones to the file, the rest dropped. */
int ftrace_spool_trim(struct ftrace_spool *sp, uint64_t horizon_ns,
		      bool (*keep)(const struct ftrace_page_hdr *h, void *data), void *data,
		      uint64_t *ret_dropped)
{
	size_t out = 0;
	int r;

	for (size_t i = 0; i < sp->mem_n; i++) {
		unsigned char *s = spool_slot(sp, i);
		struct ftrace_page_hdr h;

		memcpy(&h, s, sizeof(h));
		if (h.t_last >= horizon_ns) {
			if (out != i)
				memmove(spool_slot(sp, out), s, sp->slot);
			out++;
			continue;
		}
		if (!keep(&h, data)) {
			(*ret_dropped)++;
			continue;
		}
		r = spool_file(sp);
		if (r < 0)
			return r;
		r = write_all(sp->fd, s, sp->slot);
		if (r < 0)
			return r;
		sp->file_n++;
	}
	sp->mem_n = out;
	return 0;
}

/* spool_each_file - the pages of the file, mapped. */
static int spool_each_file(struct ftrace_spool *sp,
			   int (*fn)(const struct ftrace_page_hdr *h, void *page, void *data),
			   void *data)
{
	size_t len = (size_t)sp->file_n * sp->slot;
	unsigned char *map;
	int r = 0;

	if (!sp->file_n)
		return 0;
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, sp->fd, 0);
	if (map == MAP_FAILED)
		return -errno;
	for (uint64_t i = 0; i < sp->file_n && r >= 0; i++) {
		unsigned char *s = map + i * sp->slot;
		struct ftrace_page_hdr h;

		memcpy(&h, s, sizeof(h));
		r = fn(&h, s + sizeof(h), data);
	}
	(void)munmap(map, len);
	return r;
}

/* ftrace_spool_each - every page kept, in the order it was read per CPU. */
int ftrace_spool_each(struct ftrace_spool *sp,
		      int (*fn)(const struct ftrace_page_hdr *h, void *page, void *data),
		      void *data)
{
	int r = spool_each_file(sp, fn, data);

	for (size_t i = 0; i < sp->mem_n && r >= 0; i++) {
		unsigned char *s = spool_slot(sp, i);
		struct ftrace_page_hdr h;

		memcpy(&h, s, sizeof(h));
		r = fn(&h, s + sizeof(h), data);
	}
	return r;
}
