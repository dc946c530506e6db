/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-json.c - the JSON writer (a jansson tree): the documented shape,
 * exact integers (u64 above INT64_MAX as a double), unavailable and
 * non-finite values, hostile strings and invalid UTF-8 (the output always
 * parses), families' error and why, a metric name that comes back, skipped
 * samples, and every allocation failure (-ENOMEM, nothing leaked, the buffer
 * as it was).
 */
#include <jansson.h>
#include <math.h>

#include "../test-probe.h"

#include "export/json-internal.h"

static const struct rtlab_metric m_bytes = { "test_bytes", "Bytes \"quoted\".",
					     RTLAB_METRIC_GAUGE };
static const struct rtlab_metric m_total = { "test_total", "Events.", RTLAB_METRIC_COUNTER };

/* parse - the text as JSON (integers beyond int64 as reals), or fail. */
static json_t *parse(const struct rtlab_buf *b)
{
	json_error_t err;
	json_t *j = json_loadb(b->data, b->len, JSON_DECODE_INT_AS_REAL | JSON_REJECT_DUPLICATES,
			       &err);

	cr_assert_not_null(j, "%s at %d: %.200s", err.text, err.position, b->data);
	return j;
}

/* write_samples - a family "load" with hand-made samples, through the writer's sink. */
static void write_samples(struct rtlab_buf *b, struct rtlab_probe_data *d,
			  void (*fn)(const struct rtlab_probe_sink *s))
{
	struct ex_json_tree t;
	struct rtlab_probe_sink sink;

	cr_assert_eq(ex_json_tree_init(&t), 0);
	sink = ex_json_tree_sink(&t);
	cr_assert_eq(sink.family(sink.arg, RTLAB_PF_LOAD, d), 0);
	fn(&sink);
	cr_assert_eq(ex_json_tree_dump(&t, b), 0);
	ex_json_tree_fini(&t);
}

/* numbers - exact integers, unavailable, non-finite. */
static void numbers(const struct rtlab_probe_sink *s)
{
	const struct rtlab_mval v[] = {
		{ .kind = RTLAB_MV_U64, .u = UINT64_MAX },
		{ .kind = RTLAB_MV_I64, .i = INT64_MIN },
		{ .kind = RTLAB_MV_F64, .f = 0.1 },
		{ .kind = RTLAB_MV_F64, .f = NAN },
		{ .kind = RTLAB_MV_U64, .st = RTLAB_PV_MALFORMED },
		{ .kind = RTLAB_MV_F64, .f = -INFINITY },
		{ .kind = RTLAB_MV_U64, .u = INT64_MAX },
		{ .kind = RTLAB_MV_U64, .u = (uint64_t)INT64_MAX + 1 },
		{ .kind = RTLAB_MV_I64, .i = INT64_MAX },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char n[8];
		struct rtlab_label l = { "i", n };

		snprintf(n, sizeof(n), "%zu", i);
		cr_assert_eq(s->sample(s->arg, &m_bytes, &l, 1, &v[i]), 0);
	}
	cr_assert_eq(s->sample(s->arg, &m_total, NULL, 0, &v[0]), 0);
}

/* The shape of the documentation, values exact, unavailable and non-finite explained. */
Test(json, shape_and_exact_values)
{
	static const char head[] = "{\"families\":{\"load\":{\"collected_ns\":12345,"
		"\"error\":null,\"why\":\"\",\"metrics\":{\"test_bytes\":{\"type\":\"gauge\","
		"\"help\":\"Bytes \\\"quoted\\\".\",\"samples\":[{\"labels\":{\"i\":\"0\"},";
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_buf b = { 0 };
	json_t *j, *fam, *samples;

	d->t_ns[RTLAB_PF_LOAD] = 12345;
	write_samples(&b, d, numbers);
	cr_assert_null(memchr(b.data, '\n', b.len), "one line");
	/* The documented shape and key order, compact. */
	cr_assert(strncmp(b.data, head, sizeof(head) - 1) == 0, "%s", b.data);
	/* Exact integers up to INT64_MAX (either kind), a double above. */
	cr_assert(strstr(b.data, "\"value\":-9223372036854775808}") != NULL, "%s", b.data);
	cr_assert(strstr(b.data, "\"i\":\"6\"},\"value\":9223372036854775807}") != NULL, "%s",
		  b.data);
	cr_assert(strstr(b.data, "\"i\":\"8\"},\"value\":9223372036854775807}") != NULL, "%s",
		  b.data);
	cr_assert(strstr(b.data, "\"i\":\"0\"},\"value\":1.8446744073709552e19}") != NULL, "%s",
		  b.data);
	cr_assert(strstr(b.data, "\"i\":\"7\"},\"value\":9.2233720368547758e18}") != NULL, "%s",
		  b.data);
	/* null, then why. */
	cr_assert(strstr(b.data, "\"value\":null,\"nonfinite\":\"NaN\"}") != NULL, "%s", b.data);
	cr_assert(strstr(b.data, "\"value\":null,\"unavailable\":\"malformed\"}") != NULL, "%s",
		  b.data);
	j = parse(&b);
	fam = json_object_get(json_object_get(j, "families"), "load");
	cr_assert_eq(json_integer_value(json_object_get(fam, "collected_ns")), 0);
	cr_assert_float_eq(json_real_value(json_object_get(fam, "collected_ns")), 12345, 0);
	cr_assert(json_is_null(json_object_get(fam, "error")));
	cr_assert_str_eq(json_string_value(json_object_get(fam, "why")), "");
	fam = json_object_get(fam, "metrics");
	cr_assert_eq(json_object_size(fam), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(fam, "test_total"),
							   "type")), "counter");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(fam, "test_bytes"),
							   "help")), "Bytes \"quoted\".");
	samples = json_object_get(json_object_get(fam, "test_bytes"), "samples");
	cr_assert_eq(json_array_size(samples), 9);
	cr_assert_float_eq(json_real_value(json_object_get(json_array_get(samples, 0), "value")),
			   18446744073709551615.0, 0);
	cr_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(json_array_get(samples, 1), "labels"), "i")), "1");
	cr_assert_float_eq(json_real_value(json_object_get(json_array_get(samples, 2), "value")),
			   0.1, 0);
	cr_assert(json_is_null(json_object_get(json_array_get(samples, 3), "value")));
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(samples, 3),
							   "nonfinite")), "NaN");
	cr_assert(json_is_null(json_object_get(json_array_get(samples, 4), "value")));
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(samples, 4),
							   "unavailable")), "malformed");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(samples, 5),
							   "nonfinite")), "-Inf");
	json_decref(j);
	rtlab_buf_free(&b);
	rtlab_probe_data_free(d);
}

static const char *const hostile[] = {
	"q\"b\\n\nt\tc\x01\x1f\x7f", "bad\xff\xfe", "overlong\xc0\xaf", "surr\xed\xbf\xbf",
	"cut\xf0\x9f\x98", "ok \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "",
};

/* hostile_samples - hostile label names and values. */
static void hostile_samples(const struct rtlab_probe_sink *s)
{
	const struct rtlab_mval v = { .kind = RTLAB_MV_U64, .u = 1 };

	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		struct rtlab_label l[] = { { "v", hostile[i] }, { hostile[i][0] ? hostile[i] : "e",
								  "x" } };

		cr_assert_eq(s->sample(s->arg, &m_bytes, l, 2, &v), 0);
	}
}

/* Hostile strings: the text still parses; valid text comes back as it was, bad bytes as \xHH. */
Test(json, hostile_strings_parse)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_buf b = { 0 };
	json_t *j, *samples;

	d->t_ns[RTLAB_PF_LOAD] = 1;
	d->err[RTLAB_PF_LOAD] = -ENOENT;
	snprintf(d->why[RTLAB_PF_LOAD], sizeof(d->why[0]), "/proc/x\xff:1: \"bad\"\n");
	write_samples(&b, d, hostile_samples);
	j = parse(&b);
	samples = json_object_get(json_object_get(json_object_get(json_object_get(
		json_object_get(j, "families"), "load"), "metrics"), "test_bytes"), "samples");
	cr_assert_eq(json_array_size(samples), sizeof(hostile) / sizeof(hostile[0]));
	cr_assert_str_eq(json_string_value(json_object_get(
		json_object_get(json_array_get(samples, 0), "labels"), "v")), hostile[0]);
	cr_assert_str_eq(json_string_value(json_object_get(
		json_object_get(json_array_get(samples, 1), "labels"), "v")), "bad\\xff\\xfe");
	cr_assert_str_eq(json_string_value(json_object_get(
		json_object_get(json_array_get(samples, 2), "labels"), "v")), "overlong\\xc0\\xaf");
	cr_assert_str_eq(json_string_value(json_object_get(
		json_object_get(json_array_get(samples, 3), "labels"), "v")),
		"surr\\xed\\xbf\\xbf");
	cr_assert_str_eq(json_string_value(json_object_get(
		json_object_get(json_array_get(samples, 4), "labels"), "v")), "cut\\xf0\\x9f\\x98");
	cr_assert_str_eq(json_string_value(json_object_get(
		json_object_get(json_array_get(samples, 5), "labels"), "v")), hostile[5]);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(
		json_object_get(j, "families"), "load"), "error")), strerrordesc_np(ENOENT));
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(
		json_object_get(j, "families"), "load"), "why")), "/proc/x\\xff:1: \"bad\"\n");
	json_decref(j);
	rtlab_buf_free(&b);
	rtlab_probe_data_free(d);
}

/* A family on a fixture tree through rtlab_probe_json(): the load values as collected. */
Test(json, fixture_family)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_buf b = { 0 };
	json_t *j, *load1;

	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PROBE_ALL, d), 0);
	cr_assert_eq(rtlab_probe_json(d, RTLAB_PROBE_ALL, &b), 0);
	cr_assert_null(memchr(b.data, '\n', b.len), "one line");
	j = parse(&b);
	load1 = json_object_get(json_object_get(json_object_get(json_object_get(
		json_object_get(j, "families"), "load"), "metrics"), "node_load1"), "samples");
	cr_assert_float_eq(json_number_value(json_object_get(json_array_get(load1, 0), "value")),
			   d->load.load1.v, 0);
	json_decref(j);
	/* Nothing collected: an empty object of families. */
	rtlab_buf_reset(&b);
	memset(d->t_ns, 0, sizeof(d->t_ns));
	cr_assert_eq(rtlab_probe_json(d, RTLAB_PROBE_ALL, &b), 0);
	cr_assert_str_eq(b.data, "{\"families\":{}}");
	rtlab_buf_free(&b);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* Every byte value in a string escapes to JSON that parses back to the same or \xHH text. */
Test(json, every_byte_escapes)
{
	struct rtlab_buf b = { 0 };

	for (int c = 1; c < 256; c++) {
		char s[2] = { (char)c, 0 }, want[8];
		json_t *j;

		rtlab_buf_reset(&b);
		cr_assert_eq(rtlab_buf_puts(&b, "\""), 0);
		cr_assert_eq(ex_escape_str(&b, s, EX_ESC_JSON), 0);
		cr_assert_eq(rtlab_buf_puts(&b, "\""), 0);
		j = json_loadb(b.data, b.len, JSON_DECODE_ANY, NULL);
		cr_assert_not_null(j, "byte %#x: %s", c, b.data);
		if (c < 0x80)
			snprintf(want, sizeof(want), "%c", c);
		else
			snprintf(want, sizeof(want), "\\x%02x", c);
		cr_assert_str_eq(json_string_value(j), want, "byte %#x", c);
		json_decref(j);
	}
	rtlab_buf_free(&b);
}

/* again_and_skipped - a name coming back, a label given twice, samples the writer skips. */
static void again_and_skipped(const struct rtlab_probe_sink *s)
{
	const struct rtlab_metric noname = { NULL, "h", RTLAB_METRIC_GAUGE };
	const struct rtlab_mval v = { .kind = RTLAB_MV_U64, .u = 1 };
	const struct rtlab_mval bad = { .kind = 3 };
	const struct rtlab_label twice[] = { { "a", "first" }, { "a", "last" } };
	const struct rtlab_label nullname = { NULL, "x" };

	cr_assert_eq(s->sample(s->arg, &m_bytes, NULL, 0, &v), 0);
	cr_assert_eq(s->sample(s->arg, &m_total, twice, 2, &v), 0);
	cr_assert_eq(s->sample(s->arg, &m_bytes, NULL, 0, &v), 0);
	cr_assert_eq(s->sample(s->arg, NULL, NULL, 0, &v), 0);
	cr_assert_eq(s->sample(s->arg, &noname, NULL, 0, &v), 0);
	cr_assert_eq(s->sample(s->arg, &m_bytes, &nullname, 1, &v), 0);
	cr_assert_eq(s->sample(s->arg, &m_bytes, NULL, 1, &v), 0);
	cr_assert_eq(s->sample(s->arg, &m_bytes, NULL, 0, &bad), 0);
}

/* A metric name that comes back joins its metric (no key twice); bad samples are skipped. */
Test(json, name_again_and_skipped)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_buf b = { 0 };
	json_t *j, *metrics;

	d->t_ns[RTLAB_PF_LOAD] = 1;
	write_samples(&b, d, again_and_skipped);
	j = parse(&b);	/* JSON_REJECT_DUPLICATES */
	metrics = json_object_get(json_object_get(json_object_get(j, "families"), "load"),
				  "metrics");
	cr_assert_eq(json_object_size(metrics), 2, "%s", b.data);
	cr_assert_eq(json_array_size(json_object_get(json_object_get(metrics, "test_bytes"),
						     "samples")), 2, "%s", b.data);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(
		json_object_get(json_object_get(metrics, "test_total"), "samples"), 0), "labels"),
		"a")), "last");
	json_decref(j);
	rtlab_buf_free(&b);
	rtlab_probe_data_free(d);
}

/* Samples before any family are skipped; a sample's strings are copied (the caller's may go). */
Test(json, before_family_and_copies)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_mval v = { .kind = RTLAB_MV_I64, .i = -1 };
	struct rtlab_buf b = { 0 };
	struct ex_json_tree t;
	struct rtlab_probe_sink sink;
	char val[8] = "before";
	struct rtlab_label l = { "l", val };

	d->t_ns[RTLAB_PF_LOAD] = 1;
	cr_assert_eq(ex_json_tree_init(&t), 0);
	sink = ex_json_tree_sink(&t);
	cr_assert_eq(sink.sample(sink.arg, &m_bytes, &l, 1, &v), 0);
	cr_assert_eq(sink.family(sink.arg, RTLAB_PF__COUNT, d), 0);
	cr_assert_eq(sink.sample(sink.arg, &m_bytes, &l, 1, &v), 0);
	cr_assert_eq(sink.family(sink.arg, RTLAB_PF_LOAD, d), 0);
	cr_assert_eq(sink.sample(sink.arg, &m_bytes, &l, 1, &v), 0);
	strcpy(val, "after");
	cr_assert_eq(rtlab_buf_puts(&b, "prefix "), 0);
	cr_assert_eq(ex_json_tree_dump(&t, &b), 0);
	ex_json_tree_fini(&t);
	cr_assert_str_eq(b.data, "prefix {\"families\":{\"load\":{\"collected_ns\":1,"
			 "\"error\":null,\"why\":\"\",\"metrics\":{\"test_bytes\":{\"type\":"
			 "\"gauge\",\"help\":\"Bytes \\\"quoted\\\".\",\"samples\":["
			 "{\"labels\":{\"l\":\"before\"},\"value\":-1}]}}}}}");
	rtlab_buf_free(&b);
	rtlab_probe_data_free(d);
}

/* jansson's allocator, failing its allocation number fail_at, counting what is live. */
static size_t fail_at = SIZE_MAX, nalloc;
static long live;

/* failing_malloc - malloc() unless this is the allocation to fail. */
static void *failing_malloc(size_t n)
{
	void *p;

	if (nalloc++ == fail_at)
		return NULL;
	p = malloc(n);
	if (p)
		live++;
	return p;
}

/* counted_free - free() of a jansson block. */
static void counted_free(void *p)
{
	if (p)
		live--;
	free(p);
}

/* try_samples - numbers() and the hostile strings without asserting: the first error. */
static int try_samples(const struct rtlab_probe_sink *s)
{
	const struct rtlab_mval v[] = {
		{ .kind = RTLAB_MV_U64, .u = UINT64_MAX }, { .kind = RTLAB_MV_I64, .i = -5 },
		{ .kind = RTLAB_MV_F64, .f = 0.25 }, { .kind = RTLAB_MV_F64, .f = NAN },
		{ .kind = RTLAB_MV_U64, .st = RTLAB_PV_MALFORMED },
	};
	int r = 0;

	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]) && !r; i++) {
		struct rtlab_label l[] = { { "v", hostile[i] }, { hostile[i], "x" } };
		const struct rtlab_metric m = { hostile[i], hostile[i], RTLAB_METRIC_COUNTER };

		r = s->sample(s->arg, i % 2 ? &m_bytes : &m_total, l, 2, &v[i % 5]);
		if (!r)
			r = s->sample(s->arg, &m, l, 1, &v[(i + 1) % 5]);
	}
	return r;
}

/* render_failing - a family with try_samples() into @b, jansson failing at @at; the result. */
static int render_failing(struct rtlab_buf *b, const struct rtlab_probe_data *d, size_t at)
{
	struct ex_json_tree t;
	struct rtlab_probe_sink sink;
	int r;

	fail_at = at;
	nalloc = 0;
	r = ex_json_tree_init(&t);
	sink = ex_json_tree_sink(&t);
	if (!r)
		r = sink.family(sink.arg, RTLAB_PF_LOAD, d);
	if (!r)
		r = try_samples(&sink);
	if (!r)
		r = sink.family(sink.arg, RTLAB_PF_MEM, d);
	if (!r)
		r = ex_json_tree_dump(&t, b);
	ex_json_tree_fini(&t);
	fail_at = SIZE_MAX;
	return r;
}

/* Each jansson allocation failing in turn: -ENOMEM, nothing left allocated, buffer unchanged. */
Test(json, every_allocation_failure)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_buf b = { 0 };
	size_t total, at;
	json_t *j;

	json_set_alloc_funcs(failing_malloc, counted_free);
	d->t_ns[RTLAB_PF_LOAD] = d->t_ns[RTLAB_PF_MEM] = 7;
	d->err[RTLAB_PF_MEM] = -EIO;
	snprintf(d->why[RTLAB_PF_MEM], sizeof(d->why[0]), "meminfo\xfe:3");
	cr_assert_eq(rtlab_buf_puts(&b, "keep"), 0);
	cr_assert_eq(render_failing(&b, d, SIZE_MAX), 0);
	total = nalloc;
	cr_assert_eq(live, 0);
	cr_assert_gt(total, 50, "%zu", total);
	for (at = 0; at < total; at++) {
		rtlab_buf_reset(&b);
		cr_assert_eq(rtlab_buf_puts(&b, "keep"), 0);
		cr_assert_eq(render_failing(&b, d, at), -ENOMEM, "allocation %zu of %zu", at,
			     total);
		cr_assert_eq(live, 0, "allocation %zu: %ld blocks left", at, live);
		cr_assert_str_eq(b.data, "keep", "allocation %zu", at);
	}
	/* And once more without failure: the whole text, which parses. */
	rtlab_buf_reset(&b);
	cr_assert_eq(render_failing(&b, d, SIZE_MAX), 0);
	json_set_alloc_funcs(malloc, free);
	j = parse(&b);
	cr_assert_eq(json_object_size(json_object_get(j, "families")), 2);
	json_decref(j);
	rtlab_buf_free(&b);
	rtlab_probe_data_free(d);
}

/* rtlab_probe_json() on a fixture with jansson failing here and there: -ENOMEM, nothing left. */
Test(json, fixture_allocation_failures)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_buf b = { 0 };
	size_t total, step, at;
	int r;

	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PROBE_ALL, d), 0);
	json_set_alloc_funcs(failing_malloc, counted_free);
	nalloc = 0;
	cr_assert_eq(rtlab_probe_json(d, RTLAB_PROBE_ALL, &b), 0);
	total = nalloc;
	cr_assert_eq(live, 0);
	step = total / 400 + 1;
	/* Spread over the walk, and each of the last ones (the dump's). */
	for (at = 0; at < total; at += at + 64 >= total ? 1 : step) {
		rtlab_buf_reset(&b);
		fail_at = at;
		nalloc = 0;
		r = rtlab_probe_json(d, RTLAB_PROBE_ALL, &b);
		fail_at = SIZE_MAX;
		cr_assert_eq(r, -ENOMEM, "allocation %zu of %zu", at, total);
		cr_assert_eq(live, 0, "allocation %zu: %ld blocks left", at, live);
		cr_assert_eq(b.len, 0, "allocation %zu", at);
	}
	json_set_alloc_funcs(malloc, free);
	rtlab_buf_free(&b);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}
