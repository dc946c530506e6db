/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe-export.h - the probe's samples as Prometheus text, JSON and human
 * values, and a small HTTP server for /metrics.
 *
 * Every exporter works on the generic sample stream (rtlab_probe_emit()), so a
 * new family is exported without a change here.  Text goes into a struct
 * rtlab_buf that callers keep between renderings: once it is big enough, a
 * Prometheus rendering allocates nothing (JSON is built with jansson, which does).
 *
 *	struct rtlab_buf b = { 0 };
 *	rtlab_probe_prom(d, RTLAB_PROBE_DEFAULT, &b);	// b.data, b.len
 *	rtlab_buf_free(&b);
 */
#ifndef RTLAB_PROBE_EXPORT_H
#define RTLAB_PROBE_EXPORT_H

#include <sys/socket.h>

#include <rtlab/probe.h>

/* --- A growable text buffer --- */

/* Text of .len bytes at .data, always NUL-terminated once anything was appended. */
struct rtlab_buf {
	char *data;
	size_t len;
	size_t cap;
};

/* rtlab_buf_append - append @n bytes of @s.  Returns 0 or -ENOMEM (the buffer is unchanged). */
RTLAB_API int rtlab_buf_append(struct rtlab_buf *b, const char *s, size_t n);

/* rtlab_buf_puts - append the string @s.  Returns 0 or -ENOMEM. */
RTLAB_API int rtlab_buf_puts(struct rtlab_buf *b, const char *s);

/* rtlab_buf_printf - append formatted text.  Returns 0, -ENOMEM or -EINVAL. */
RTLAB_API int rtlab_buf_printf(struct rtlab_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* rtlab_buf_reset - empty @b, keeping its memory for the next text. */
RTLAB_API void rtlab_buf_reset(struct rtlab_buf *b);

/* rtlab_buf_free - free @b's memory; @b is then empty and can be used again. */
RTLAB_API void rtlab_buf_free(struct rtlab_buf *b);

/* --- Prometheus text exposition format 0.0.4 --- */

/* Names tracked for "# HELP / # TYPE once per name" (beyond that: once per run of a name). */
#define RTLAB_PROM_SEEN_MAX 4096
#define RTLAB_PROM_NAME_MAX 256

/*
 * A Prometheus writer: appends samples to @out.  Samples of one name must come
 * one after the other (rtlab_probe_emit() guarantees it); a name seen again
 * later gets no second HELP/TYPE.  Set it up with rtlab_prom_init().
 */
struct rtlab_prom {
	struct rtlab_buf *out;
	char last[RTLAB_PROM_NAME_MAX];		/* the name of the previous sample */
	size_t last_len;			/* its length (0: none yet) */
	size_t nseen;
	uint64_t seen[RTLAB_PROM_SEEN_MAX];	/* hashes of the names written (open addressing) */
	uint64_t invalid;	/* samples skipped: bad metric or label name, or bad state */
	uint64_t unavailable;	/* samples skipped because their state was not ok */
	uint64_t written;	/* sample lines written */
};

/* rtlab_prom_init - a writer appending to @out (which is not emptied). */
RTLAB_API void rtlab_prom_init(struct rtlab_prom *w, struct rtlab_buf *out);

/*
 * rtlab_prom_sample - write one sample: "# HELP" and "# TYPE" before the first
 * sample of a name, then name{label="value",...} value.  Label values are
 * escaped (\\, \", \n) and each byte that is not valid UTF-8 is written as the
 * text \xHH.  A sample whose state is not ok is skipped (counted in
 * w->unavailable); one with an invalid metric or label name is skipped too
 * (w->invalid).  Returns 0 or -ENOMEM.
 */
RTLAB_API int rtlab_prom_sample(struct rtlab_prom *w, const struct rtlab_metric *m,
				const struct rtlab_label *labels, size_t nlabels,
				const struct rtlab_mval *v);

/* rtlab_prom_sink - a sink writing into @w, for rtlab_probe_emit(). */
RTLAB_API struct rtlab_probe_sink rtlab_prom_sink(struct rtlab_prom *w);

/*
 * rtlab_probe_prom - append the collected @families of @d to @out in the text
 * format.  Returns 0 or -ENOMEM.
 */
RTLAB_API int rtlab_probe_prom(const struct rtlab_probe_data *d, uint64_t families,
			       struct rtlab_buf *out);

/* rtlab_prom_name_valid - @s matches [a-zA-Z_:][a-zA-Z0-9_:]* (@label: no ':'). */
RTLAB_API bool rtlab_prom_name_valid(const char *s, bool label);

/*
 * rtlab_fmt_double - @v in its shortest form that reads back exactly ("0.1",
 * "1e+20"), or "NaN", "+Inf", "-Inf" as Prometheus spells them.  @buf should
 * hold 32 bytes.  Returns the length.
 */
RTLAB_API size_t rtlab_fmt_double(double v, char *buf, size_t size);

/* --- JSON --- */

/*
 * rtlab_probe_json - append the collected @families of @d to @out as one JSON
 * object on one line (no newline at the end), written by jansson:
 *
 *	{"families":{"load":{"collected_ns":N,"error":null,"why":"",
 *	  "metrics":{"node_load1":{"type":"gauge","help":"...","samples":[
 *	    {"labels":{},"value":0.52000000000000002},
 *	    {"labels":{"cpu":"0"},"value":null,"unavailable":"malformed"}]}}}}}
 *
 * Keys come in this order.  "error" is null or the error text of the
 * family, "why" the first problem seen (file:line).  Each metric name is
 * one key of its family: samples of a name that comes back join it; a label
 * name given twice keeps its last value.
 *
 * Numbers: i64 values, and u64 values up to INT64_MAX, are exact integers;
 * from 2^63 up a u64 value is a double (jansson's integers are int64), not
 * exact: UINT64_MAX is written 1.8446744073709552e19.  Doubles have 17
 * significant digits and read back exactly (0.1 is written
 * 0.10000000000000001).  A double that is not finite is "value":null with
 * "nonfinite":"NaN"|"+Inf"|"-Inf"; an unavailable sample "value":null with
 * "unavailable" and the state's name.  Strings are valid UTF-8: a byte that
 * is not valid UTF-8 becomes the text \xHH.
 *
 * Unlike rtlab_probe_prom(), this allocates on every call (the tree, freed
 * before returning).  Returns 0 or -ENOMEM (@out is then as it was).
 */
RTLAB_API int rtlab_probe_json(const struct rtlab_probe_data *d, uint64_t families,
			       struct rtlab_buf *out);

/* --- Human values (tables) --- */

/*
 * rtlab_fmt_human - @v for a person, by the unit suffix of the metric @name:
 * _bytes → "1.50 GiB" (exact below 1 KiB), _seconds → "250 ms", "1.20 s",
 * "3d 04:05:06" for long totals, _ratio → "12.5 %", _celsius → "45.0 °C",
 * _hertz → "2.40 GHz", _watts → "3.50 W", _joules → "12.0 kJ", otherwise the
 * number as is; an unavailable value is "n/a (reason)".  Returns the length
 * (truncated to @size - 1).
 */
RTLAB_API size_t rtlab_fmt_human(const char *name, const struct rtlab_mval *v, char *buf,
				 size_t size);

/* --- Listen addresses --- */

#define RTLAB_PROBE_LISTEN_DEFAULT "127.0.0.1:9464"

/* An address to listen on, as parsed. */
struct rtlab_listen_addr {
	struct sockaddr_storage ss;
	socklen_t len;
	bool any;	/* ":PORT": every address (IPv6 and IPv4 where possible) */
};

/*
 * rtlab_listen_parse - "HOST:PORT" (HOST: an IPv4 address or "localhost"),
 * "[IPv6]:PORT", or ":PORT" (every address) into @ret.  PORT is 0..65535
 * (0: any free port).  Returns 0 or -EINVAL.
 */
RTLAB_API int rtlab_listen_parse(const char *s, struct rtlab_listen_addr *ret);

/* rtlab_sockaddr_format - "127.0.0.1:9464" or "[::1]:9464" into @buf. */
RTLAB_API int rtlab_sockaddr_format(const struct sockaddr *sa, socklen_t len, char *buf,
				    size_t size);

/* --- The /metrics server --- */

struct rtlab_probe_server;

struct rtlab_probe_server_opts {
	const char *listen;		/* NULL: RTLAB_PROBE_LISTEN_DEFAULT (loopback only) */
	uint64_t families;		/* 0: RTLAB_PROBE_DEFAULT */
	uint64_t cache_ns;		/* re-serve a rendering younger than this (0: fresh) */
	const struct rtlab_probe_opts *probe;	/* root, TTLs...; NULL: defaults */
	unsigned int threads;		/* HTTP threads (0: 2) */
	unsigned int max_connections;	/* 0: 64 */
	unsigned int timeout_s;		/* idle connection timeout (0: 10 s) */
};

/*
 * rtlab_probe_server_start - serve GET /metrics (Prometheus text with the
 * server's own metrics appended) and GET / (an index) in background threads.
 * Concurrent scrapes share one collection: a scrape that arrives while one
 * is collecting gets that result.  One collection and rendering is done in
 * the calling thread before the threads start (not served, not counted), so
 * that the memory they keep is allocated there.  Errors are logged through
 * @ctx; -EINVAL (bad address), -EADDRINUSE, -EACCES, -ENOMEM...
 */
RTLAB_API int rtlab_probe_server_start(struct rtlab_ctx *ctx,
				       const struct rtlab_probe_server_opts *o,
				       struct rtlab_probe_server **ret);

/* rtlab_probe_server_addr - the address listened on ("127.0.0.1:9464"), port 0 resolved. */
RTLAB_API const char *rtlab_probe_server_addr(const struct rtlab_probe_server *s);

/* rtlab_probe_server_stop - stop the threads, close everything, free @s.  Returns NULL. */
RTLAB_API struct rtlab_probe_server *rtlab_probe_server_stop(struct rtlab_probe_server *s);

#endif /* RTLAB_PROBE_EXPORT_H */
