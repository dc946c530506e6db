/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtlab core: the library context, its log sink, time, and the small parsers
 * every module and the CLI share (numbers, durations, CPU lists).
 *
 * Conventions for the whole library:
 * - functions returning int return >= 0 on success and -errno on failure;
 * - functions returning a pointer return NULL and set errno on failure;
 * - the library never prints and never exits: it reports through the log
 *   function of its context (rtlab_ctx_set_log_fn()), once per error, with a
 *   message that names what is wrong;
 * - every timestamp is CLOCK_MONOTONIC in nanoseconds (uint64_t).
 */
#ifndef RTLAB_CORE_H
#define RTLAB_CORE_H

#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef RTLAB_API
#define RTLAB_API __attribute__((visibility("default")))
#endif

#define RTLAB_NSEC_PER_USEC 1000ULL
#define RTLAB_NSEC_PER_MSEC 1000000ULL
#define RTLAB_NSEC_PER_SEC 1000000000ULL

struct rtlab_ctx;

enum rtlab_log_level {
	RTLAB_LOG_ERROR,
	RTLAB_LOG_WARN,
	RTLAB_LOG_INFO,
	RTLAB_LOG_DEBUG,
	_RTLAB_LOG_MAX,
};

/**
 * rtlab_log_fn - receives one complete message (no trailing newline).
 * May be called from any thread that calls into the library with this
 * context; it must be thread-safe.  It is never called from the hot path of
 * an RT thread.
 */
typedef void (*rtlab_log_fn)(enum rtlab_log_level level, const char *msg, void *userdata);

/**
 * rtlab_ctx_new - create a library context.
 * Returns a context with no log function (messages are dropped), root "/"
 * and level RTLAB_LOG_INFO, or NULL with errno set.  Free with rtlab_ctx_free().
 */
RTLAB_API struct rtlab_ctx *rtlab_ctx_new(void);

/** rtlab_ctx_free - free @ctx (NULL is fine); returns NULL. */
RTLAB_API struct rtlab_ctx *rtlab_ctx_free(struct rtlab_ctx *ctx);

/** rtlab_ctx_set_log_fn - route the library's messages up to @max_level to @fn. */
RTLAB_API void rtlab_ctx_set_log_fn(struct rtlab_ctx *ctx, rtlab_log_fn fn, void *userdata,
				    enum rtlab_log_level max_level);

/**
 * rtlab_ctx_set_root - read /proc and /sys below @root instead of "/".
 * Used to run the system-facts and doctor code on captured fixture trees.
 * Returns 0, -EINVAL for an empty or relative path, -ENAMETOOLONG.
 */
RTLAB_API int rtlab_ctx_set_root(struct rtlab_ctx *ctx, const char *root);

/** rtlab_ctx_root - the root set with rtlab_ctx_set_root() ("" for "/"). */
RTLAB_API const char *rtlab_ctx_root(const struct rtlab_ctx *ctx);

/** rtlab_version - the library version string ("0.1.0"). */
RTLAB_API const char *rtlab_version(void);

/** rtlab_now_ns - CLOCK_MONOTONIC now, in nanoseconds. */
RTLAB_API uint64_t rtlab_now_ns(void);

/*
 * rtlab_utf8_len - the length of the valid UTF-8 sequence at @s (@n bytes
 * readable), or 0 if the bytes are not one: overlong forms, UTF-16
 * surrogates and code points above U+10FFFF are refused.
 */
RTLAB_API size_t rtlab_utf8_len(const unsigned char *s, size_t n);

/** rtlab_log_level_name - "error", "warning", "info", "debug". */
RTLAB_API const char *rtlab_log_level_name(enum rtlab_log_level level);

/**
 * rtlab_parse_u64 - parse a whole decimal unsigned number into @ret.
 * Rejects empty strings, signs, trailing characters and overflow.
 * Returns 0, -EINVAL (not a number, or negative), -ERANGE (too large).
 */
RTLAB_API int rtlab_parse_u64(const char *s, uint64_t *ret);

/** rtlab_parse_int - parse a whole decimal int (sign allowed) into @ret; as above. */
RTLAB_API int rtlab_parse_int(const char *s, int *ret);

/**
 * rtlab_parse_duration_ns - parse "10", "10s", "500ms", "250us", "100ns",
 * "5m", "2h", "1d" into nanoseconds.
 * @default_unit_ns: the unit of a number without suffix (e.g. RTLAB_NSEC_PER_SEC).
 * Returns 0, -EINVAL (bad number or suffix), -ERANGE (overflows 64 bits).
 */
RTLAB_API int rtlab_parse_duration_ns(const char *s, uint64_t default_unit_ns, uint64_t *ret);

/**
 * rtlab_cpulist_parse - parse a kernel CPU list ("0-3,8,10-11", "0-7:2",
 * whitespace and a trailing newline tolerated) into @ret.
 * An empty string is an empty set.
 * @ret_pos: if not NULL, receives the offset of the first bad character on -EINVAL.
 * Returns 0, -EINVAL (syntax, reversed range), -ERANGE (CPU >= CPU_SETSIZE).
 */
RTLAB_API int rtlab_cpulist_parse(const char *s, cpu_set_t *ret, size_t *ret_pos);

/**
 * rtlab_cpulist_format - write @set as a compact list ("0-3,8") into @buf.
 * Returns the length written (without NUL) or -ENOSPC if @size is too small
 * (buf then holds a truncated, NUL-terminated prefix).
 */
RTLAB_API int rtlab_cpulist_format(const cpu_set_t *set, char *buf, size_t size);

/**
 * rtlab_cpus_online - the online CPUs, from <root>/sys/devices/system/cpu/online.
 * Returns 0 or -errno (the file is missing or malformed; logged).
 */
RTLAB_API int rtlab_cpus_online(struct rtlab_ctx *ctx, cpu_set_t *ret);

#endif /* RTLAB_CORE_H */
