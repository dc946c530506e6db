/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz-export.c - the Prometheus and JSON writers on arbitrary text as label
 * value, label name, metric name, HELP and why: the output must always be
 * strict UTF-8, one line per sample (plus HELP and TYPE), and JSON (a
 * jansson tree, dumped) that parses, giving valid text back unchanged; and
 * the value's bits as a double, whose text must read back as the same bits.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "export/json-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* check_utf8 - abort unless @b is strict UTF-8. */
static void check_utf8(const struct rtlab_buf *b)
{
	for (size_t i = 0; i < b->len;) {
		size_t n = rtlab_utf8_len((const unsigned char *)b->data + i, b->len - i);

		if (!n)
			abort();
		i += n;
	}
}

/* utf8_ok - @s (@n bytes) is strict UTF-8 without NUL. */
static bool utf8_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k = rtlab_utf8_len((const unsigned char *)s + i, n - i);

		if (!k)
			return false;
		i += k;
	}
	return true;
}

/* fuzz_prom - one good sample with @s as label value and help, one with @s as names. */
static void fuzz_prom(const char *s, const struct rtlab_mval *v)
{
	const struct rtlab_metric good = { "fuzz_metric", s, RTLAB_METRIC_COUNTER };
	const struct rtlab_metric named = { s, "h", RTLAB_METRIC_GAUGE };
	const struct rtlab_label l[] = { { "l", s }, { "x", "1" } };
	const struct rtlab_label ln = { s, "v" };
	struct rtlab_buf b = { 0 };
	struct rtlab_prom w;
	size_t lines = 0, headers = 0;

	rtlab_prom_init(&w, &b);
	if (rtlab_prom_sample(&w, &good, l, 2, v) || rtlab_prom_sample(&w, &named, &ln, 1, v))
		abort();
	check_utf8(&b);
	for (size_t i = 0; i < b.len; i++) {
		lines += b.data[i] == '\n';
		headers += (i == 0 || b.data[i - 1] == '\n') &&
			   strncmp(b.data + i, "# TYPE ", 7) == 0;
	}
	/* One line per sample, HELP and TYPE per new name: no line broken by the text. */
	if (lines != w.written + 2 * headers || w.written + w.invalid + w.unavailable != 2)
		abort();
	rtlab_buf_free(&b);
}

/*
 * fuzz_json - the same through the JSON writer (@s also as a metric name);
 * the text must parse and give @s back where it is valid.
 */
static void fuzz_json(const char *s, const struct rtlab_mval *v)
{
	const struct rtlab_metric m = { "fuzz_metric", s, RTLAB_METRIC_GAUGE };
	const struct rtlab_metric named = { s, "h", RTLAB_METRIC_COUNTER };
	const struct rtlab_label l = { s, s };
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_buf b = { 0 };
	struct rtlab_probe_sink sink;
	struct ex_json_tree t;
	json_t *j, *fam, *label;
	bool valid = utf8_ok(s, strlen(s));

	if (!d)
		abort();
	d->t_ns[RTLAB_PF_LOAD] = 1;
	snprintf(d->why[RTLAB_PF_LOAD], sizeof(d->why[0]), "%s", s);
	if (ex_json_tree_init(&t))
		abort();
	sink = ex_json_tree_sink(&t);
	if (sink.family(sink.arg, RTLAB_PF_LOAD, d) || sink.sample(sink.arg, &m, &l, 1, v) ||
	    sink.sample(sink.arg, &named, &l, 1, v) || ex_json_tree_dump(&t, &b))
		abort();
	ex_json_tree_fini(&t);
	check_utf8(&b);
	j = json_loadb(b.data, b.len, JSON_DECODE_INT_AS_REAL | JSON_REJECT_DUPLICATES, NULL);
	if (!j)
		abort();
	fam = json_object_get(json_object_get(j, "families"), "load");
	if (valid && strlen(s) < sizeof(d->why[0]) &&
	    strcmp(json_string_value(json_object_get(fam, "why")), s) != 0)
		abort();
	/* Valid text as a label's name and value comes back unchanged. */
	label = json_object_get(json_array_get(json_object_get(json_object_get(json_object_get(
		fam, "metrics"), "fuzz_metric"), "samples"), 0), "labels");
	if (valid && (!json_is_string(json_object_get(label, s)) ||
		      strcmp(json_string_value(json_object_get(label, s)), s) != 0))
		abort();
	json_decref(j);
	rtlab_buf_free(&b);
	rtlab_probe_data_free(d);
}

/* fuzz_double - the bits of @v as a double: its text reads back as the same bits (or NaN). */
static void fuzz_double(const struct rtlab_mval *v)
{
	char buf[32];
	double back;

	rtlab_fmt_double(v->f, buf, sizeof(buf));
	back = strtod(buf, NULL);
	if (v->f != v->f ? strcmp(buf, "NaN") != 0 : memcmp(&back, &v->f, sizeof(back)) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct rtlab_mval v = { .kind = RTLAB_MV_U64 };

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	/* The first bytes also make the value: kind, state and bits. */
	if (size >= 10) {
		v.kind = data[0] % 3;
		v.st = data[1] % 4 == 0 ? (uint8_t)(data[1] % RTLAB_PV__COUNT) : RTLAB_PV_OK;
		memcpy(&v.u, data + 2, sizeof(v.u));
	}
	fuzz_prom(s, &v);
	fuzz_json(s, &v);
	fuzz_double(&v);
	free(s);
	return 0;
}
