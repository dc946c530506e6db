/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* core-log.c - formatting messages for the context's log sink. */
#include <stdio.h>

#include "core-internal.h"

static const char *const level_names[_RTLAB_LOG_MAX] = {
	[RTLAB_LOG_ERROR] = "error",
	[RTLAB_LOG_WARN] = "warning",
	[RTLAB_LOG_INFO] = "info",
	[RTLAB_LOG_DEBUG] = "debug",
};

/* rtlab_log_level_name - the name of a level. */
const char *rtlab_log_level_name(enum rtlab_log_level level)
{
	if ((unsigned int)level >= _RTLAB_LOG_MAX)
		return "unknown";
	return level_names[level];
}

/* vlog - format into a stack buffer and hand it to the sink. */
static void vlog(const struct rtlab_ctx *ctx, enum rtlab_log_level level, const char *fmt,
		 va_list ap)
{
	char msg[1024];

	if (!ctx || !ctx->log_fn || level > ctx->max_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	ctx->log_fn(level, msg, ctx->log_userdata);
}

/* rtlab_log - log one message. */
void rtlab_log(const struct rtlab_ctx *ctx, enum rtlab_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(ctx, level, fmt, ap);
	va_end(ap);
}

/* rtlab_err - log an error and return @r. */
int rtlab_err(const struct rtlab_ctx *ctx, int r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(ctx, RTLAB_LOG_ERROR, fmt, ap);
	va_end(ap);
	return r;
}
