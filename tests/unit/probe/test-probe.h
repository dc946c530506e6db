/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-probe.h - what the probe tests share: probes reading below a fixture
 * tree (tests/fixtures/probe/NAME) and fixture files loaded for the pure
 * parsers.  Header-only: each test executable includes it once.
 */
#ifndef RTLAB_TEST_PROBE_H
#define RTLAB_TEST_PROBE_H

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include <rtlab/rtlab.h>

#include "../rt/test-tree.h"

/* fixture_root - "<FIXTURES_DIR>/probe/@tree" into @buf. */
static inline const char *fixture_root(const char *tree, char *buf, size_t size)
{
	snprintf(buf, size, "%s/probe/%s", FIXTURES_DIR, tree);
	return buf;
}

/* probe_at - a probe reading below @root (a directory), with @opts (may be NULL). */
static inline struct rtlab_probe *probe_at(const char *root, struct rtlab_probe_opts *opts)
{
	struct rtlab_probe_opts o = opts ? *opts : (struct rtlab_probe_opts){ 0 };
	struct rtlab_probe *p = NULL;

	o.root = root;
	cr_assert_eq(rtlab_probe_new(NULL, &o, &p), 0, "probe at %s", root);
	return p;
}

/* probe_fixture - a probe reading below tests/fixtures/probe/@tree. */
static inline struct rtlab_probe *probe_fixture(const char *tree)
{
	char root[PATH_MAX];

	return probe_at(fixture_root(tree, root, sizeof(root)), NULL);
}

/*
 * fixture_load - the content of tests/fixtures/probe/@tree@path (malloc'ed,
 * NUL-terminated), its length in *@len.
 */
static inline char *fixture_load(const char *tree, const char *path, size_t *len)
{
	char full[PATH_MAX];
	char *buf;
	long n;
	FILE *f;

	snprintf(full, sizeof(full), "%s/probe/%s%s", FIXTURES_DIR, tree, path);
	f = fopen(full, "rb");
	cr_assert_not_null(f, "fixture %s: %s", full, strerror(errno));
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	cr_assert_geq(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

#endif /* RTLAB_TEST_PROBE_H */
