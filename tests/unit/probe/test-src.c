/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-src.c - sources are read whole: small files in one pread, long /proc tables page by page. */
#include "test-probe.h"

#include <sys/mman.h>

#include "probe-internal.h"

/* lines - newlines in [s, s+n). */
static size_t lines(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

/* A seq_file longer than a page (the kernel gives a page a read): every line comes. */
Test(src, long_proc_table_is_read_whole)
{
	struct rtlab_probe *p = probe_at("", NULL);
	struct probe_src s;
	char line[4096];
	size_t want = 0;
	ssize_t n;
	FILE *f;

	/* A few hundred lines: pin down enough mappings that the table spans pages. */
	void *maps[64];

	for (size_t i = 0; i < 64; i++)
		maps[i] = mmap(NULL, 4096, i % 2 ? PROT_READ : PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_eq(probe_src_init(&s, "/proc/self/maps"), 0);
	n = probe_src_read(p, &s);
	cr_assert_gt(n, 8192, "/proc/self/maps is only %zd bytes", n);
	cr_assert_eq(s.buf[n - 1], '\n');
	f = fopen("/proc/self/maps", "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		want++;
	fclose(f);
	/* stdio's own buffer may add or merge a mapping between the two reads. */
	cr_assert_leq(lines(s.buf, (size_t)n) + 2, want + 4, "%zu lines, %zu by stdio",
		      lines(s.buf, (size_t)n), want);
	cr_assert_geq(lines(s.buf, (size_t)n) + 2, want, "%zu lines, %zu by stdio",
		      lines(s.buf, (size_t)n), want);
	probe_src_close(&s);
	for (size_t i = 0; i < 64; i++)
		munmap(maps[i], 4096);
	rtlab_probe_free(p);
}

/* A file bigger than the first buffer: the buffer grows, the content is exact. */
Test(src, big_file_grows_the_buffer)
{
	struct rtlab_probe *p;
	struct probe_src s;
	char root[PATH_MAX], *text = malloc(100001);
	ssize_t n;

	for (size_t i = 0; i < 100000; i++)
		text[i] = (char)('a' + i % 26);
	text[100000] = '\0';
	tree_new(root, sizeof(root));
	tree_put(root, "/proc/big", text);
	p = probe_at(root, NULL);
	cr_assert_eq(probe_src_init(&s, "/proc/big"), 0);
	n = probe_src_read(p, &s);
	cr_assert_eq(n, 100000);
	cr_assert_eq(memcmp(s.buf, text, 100000), 0);
	/* Read again: same content, no growth. */
	cr_assert_eq(probe_src_read(p, &s), 100000);
	probe_src_close(&s);
	rtlab_probe_free(p);
	tree_free(root);
	free(text);
}

/* A missing file: -ENOENT, and it is looked for again next time. */
Test(src, missing_file_then_present)
{
	struct rtlab_probe *p;
	struct probe_src s;
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	p = probe_at(root, NULL);
	cr_assert_eq(probe_src_init(&s, "/proc/late"), 0);
	cr_assert_eq(probe_src_read(p, &s), -ENOENT);
	tree_put(root, "/proc/late", "x\n");
	cr_assert_eq(probe_src_read(p, &s), 2);
	cr_assert_str_eq(s.buf, "x\n");
	probe_src_close(&s);
	rtlab_probe_free(p);
	tree_free(root);
}
