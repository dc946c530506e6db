/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* core-ctx.c - the library context: log sink and file-system root. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core-internal.h"

#ifndef RTLAB_VERSION
#define RTLAB_VERSION "0.0.0"
#endif

/* rtlab_ctx_new - allocate a context with no log sink and root "/". */
struct rtlab_ctx *rtlab_ctx_new(void)
{
	struct rtlab_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	ctx->max_level = RTLAB_LOG_INFO;
	return ctx;
}

/* rtlab_ctx_free - free a context. */
struct rtlab_ctx *rtlab_ctx_free(struct rtlab_ctx *ctx)
{
	free(ctx);
	return NULL;
}

/* rtlab_ctx_set_log_fn - install the log sink. */
void rtlab_ctx_set_log_fn(struct rtlab_ctx *ctx, rtlab_log_fn fn, void *userdata,
			  enum rtlab_log_level max_level)
{
	ctx->log_fn = fn;
	ctx->log_userdata = userdata;
	ctx->max_level = max_level;
}

/* rtlab_ctx_set_root - prefix every /proc and /sys path with @root. */
int rtlab_ctx_set_root(struct rtlab_ctx *ctx, const char *root)
{
	size_t n;

	if (!root || root[0] != '/')
		return rtlab_err(ctx, -EINVAL, "root '%s' must be an absolute path", root ? root : "");
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n == 1)
		n = 0;
	if (n >= sizeof(ctx->root))
		return rtlab_err(ctx, -ENAMETOOLONG, "root path is too long");
	memcpy(ctx->root, root, n);
	ctx->root[n] = '\0';
	return 0;
}

/* rtlab_ctx_root - the root prefix ("" for "/"). */
const char *rtlab_ctx_root(const struct rtlab_ctx *ctx)
{
	return ctx->root;
}

/* rtlab_version - the library version. */
const char *rtlab_version(void)
{
	return RTLAB_VERSION;
}

/* rtlab_now_ns - CLOCK_MONOTONIC in ns (vDSO, no system call on most machines). */
uint64_t rtlab_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return rtlab_ns_from_ts(&ts);
}

/* rtlab_ts_from_ns - ns to timespec. */
struct timespec rtlab_ts_from_ns(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / RTLAB_NSEC_PER_SEC),
		.tv_nsec = (long)(ns % RTLAB_NSEC_PER_SEC),
	};
	return ts;
}

/* rtlab_ns_from_ts - timespec to ns. */
uint64_t rtlab_ns_from_ts(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * RTLAB_NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}
