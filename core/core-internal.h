/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* core-internal.h - helpers shared by the library's modules (not installed). */
#ifndef RTLAB_CORE_INTERNAL_H
#define RTLAB_CORE_INTERNAL_H

#include <limits.h>
#include <sys/types.h>
#include <time.h>

#include <rtlab/core.h>

struct rtlab_ctx {
	rtlab_log_fn log_fn;
	void *log_userdata;
	enum rtlab_log_level max_level;
	char root[PATH_MAX];	/* "" for "/" */
};

#define RTLAB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define RTLAB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* rtlab_log - send one formatted message to the context's log function. */
void rtlab_log(const struct rtlab_ctx *ctx, enum rtlab_log_level level, const char *fmt, ...)
	RTLAB_PRINTF(3, 4);

/* rtlab_err - log an error message and return @r (a -errno), for "return rtlab_err(...)". */
int rtlab_err(const struct rtlab_ctx *ctx, int r, const char *fmt, ...) RTLAB_PRINTF(3, 4);

/*
 * rtlab_path - build "<root><path>" into @buf.  Returns 0 or -ENAMETOOLONG.
 */
int rtlab_path(const struct rtlab_ctx *ctx, const char *path, char *buf, size_t size);

/*
 * rtlab_read_file - read the file at <root><path> into @buf (NUL-terminated,
 * at most size - 1 bytes).  Returns the length read or -errno; does not log.
 */
ssize_t rtlab_read_file(const struct rtlab_ctx *ctx, const char *path, char *buf, size_t size);

/*
 * rtlab_read_line - the first line of <root><path> without its newline and
 * surrounding blanks.  Returns the length or -errno; does not log.
 */
ssize_t rtlab_read_line(const struct rtlab_ctx *ctx, const char *path, char *buf, size_t size);

/* rtlab_read_i64 - the first line of <root><path> as a decimal int64. */
int rtlab_read_i64(const struct rtlab_ctx *ctx, const char *path, int64_t *ret);

/* rtlab_strlcpy - copy with truncation, always NUL-terminated; returns strlen(src). */
size_t rtlab_strlcpy(char *dst, const char *src, size_t size);

/* rtlab_ts_from_ns / rtlab_ns_from_ts - struct timespec conversions. */
struct timespec rtlab_ts_from_ns(uint64_t ns);
uint64_t rtlab_ns_from_ts(const struct timespec *ts);

/* Relaxed atomic accessors for single-writer counters read by other threads. */
static inline void rtlab_store_u64(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static inline uint64_t rtlab_load_u64(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

#endif /* RTLAB_CORE_INTERNAL_H */
