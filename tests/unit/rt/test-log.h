/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-log.h - capture the library's log messages in a test (header-only). */
#ifndef RTLAB_TEST_LOG_H
#define RTLAB_TEST_LOG_H

#include <stdio.h>

#include <criterion/criterion.h>

#include <rtlab/core.h>

struct log_capture {
	char msg[1024];
	int count;
};

/* capture_log - keep the last message (@userdata may be NULL: drop it). */
static inline void capture_log(enum rtlab_log_level level, const char *msg, void *userdata)
{
	struct log_capture *lc = userdata;

	(void)level;
	if (!lc)
		return;
	snprintf(lc->msg, sizeof(lc->msg), "%s", msg);
	lc->count++;
}

/* new_ctx - a context whose messages go to @lc. */
static inline struct rtlab_ctx *new_ctx(struct log_capture *lc)
{
	struct rtlab_ctx *ctx = rtlab_ctx_new();

	cr_assert_not_null(ctx);
	rtlab_ctx_set_log_fn(ctx, capture_log, lc, RTLAB_LOG_DEBUG);
	return ctx;
}

#endif /* RTLAB_TEST_LOG_H */
