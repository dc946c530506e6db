/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-tree.h - temporary /proc and /sys trees for the sysinfo and doctor
 * tests, and a context reading below a tree.  Header-only: each test
 * executable includes it once.
 */
#ifndef RTLAB_TEST_TREE_H
#define RTLAB_TEST_TREE_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rtlab/rtlab.h>

#include "test-log.h"

/* ctx_at - a context reading below @root, logging into @lc (may be NULL). */
static inline struct rtlab_ctx *ctx_at(const char *root, struct log_capture *lc)
{
	struct rtlab_ctx *ctx = rtlab_ctx_new();

	cr_assert_not_null(ctx);
	rtlab_ctx_set_log_fn(ctx, capture_log, lc, RTLAB_LOG_ERROR);
	cr_assert_eq(rtlab_ctx_set_root(ctx, root), 0, "root %s", root);
	return ctx;
}

/* ctx_fixture - a context reading below tests/fixtures/@name. */
static inline struct rtlab_ctx *ctx_fixture(const char *name, struct log_capture *lc)
{
	char root[PATH_MAX];

	snprintf(root, sizeof(root), "%s/%s", FIXTURES_DIR, name);
	return ctx_at(root, lc);
}

/* tree_new - an empty temporary directory, written into @root. */
static inline void tree_new(char *root, size_t size)
{
	snprintf(root, size, "/tmp/rtlab-test-XXXXXX");
	cr_assert_not_null(mkdtemp(root), "mkdtemp: %s", strerror(errno));
}

/* tree_put - write @text to <root>@path, creating the directories on the way. */
static inline void tree_put(const char *root, const char *path, const char *text)
{
	char full[PATH_MAX];
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	for (char *p = full + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		cr_assert(mkdir(full, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", full,
			  strerror(errno));
		*p = '/';
	}
	f = fopen(full, "w");
	cr_assert_not_null(f, "fopen %s: %s", full, strerror(errno));
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

/* tree_rm_one - nftw callback removing one entry. */
static inline int tree_rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* tree_free - remove a temporary tree. */
static inline void tree_free(const char *root)
{
	(void)nftw(root, tree_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

#endif /* RTLAB_TEST_TREE_H */
