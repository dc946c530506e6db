/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-prom.c - the Prometheus writer: hostile label values and HELP text,
 * invalid UTF-8, HELP/TYPE once per name, unavailable samples, exact numbers,
 * name validation; and the output read back by a strict parser.
 */
#include <inttypes.h>

#include "../test-probe.h"

#include "export/export-internal.h"
#include "prom-parse.h"

static const struct rtlab_metric m_gauge = { "test_value", "A test value.", RTLAB_METRIC_GAUGE };
static const struct rtlab_metric m_counter = { "test_events_total", "Events.",
					       RTLAB_METRIC_COUNTER };

/* u64 / f64 / na - sample values. */
static struct rtlab_mval u64(uint64_t x)
{
	return (struct rtlab_mval){ .kind = RTLAB_MV_U64, .u = x };
}

static struct rtlab_mval f64(double x)
{
	return (struct rtlab_mval){ .kind = RTLAB_MV_F64, .f = x };
}

static struct rtlab_mval na(enum rtlab_pv_state st)
{
	return (struct rtlab_mval){ .kind = RTLAB_MV_U64, .st = st };
}

/* utf8_valid - the whole text is strict UTF-8. */
static bool utf8_valid(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t l = rtlab_utf8_len((const unsigned char *)s + i, n - i);

		if (!l)
			return false;
		i += l;
	}
	return true;
}

/* one_line - the single sample line written for @v (no labels). */
static const char *one_line(struct rtlab_buf *b, struct rtlab_mval v)
{
	struct rtlab_prom w;
	const char *nl;

	rtlab_buf_reset(b);
	rtlab_prom_init(&w, b);
	cr_assert_eq(rtlab_prom_sample(&w, &m_gauge, NULL, 0, &v), 0);
	cr_assert_eq(w.written, 1);
	/* After "# HELP ...\n# TYPE ...\n". */
	nl = strchr(strchr(b->data, '\n') + 1, '\n') + 1;
	return nl;
}

/* Integers exact over the whole range, doubles shortest and exact, NaN and infinities. */
Test(prom, numbers_are_exact)
{
	static const struct {
		double v;
		const char *text;
	} dbl[] = {
		{ 0.1, "0.1" }, { 0.52, "0.52" }, { 1e300, "1e+300" }, { -2.5, "-2.5" },
		{ 123456789012.0, "123456789012" }, { 1.0 / 3, "0.3333333333333333" },
		{ 0.1 + 0.2, "0.30000000000000004" }, { -0.0, "-0" }, { NAN, "NaN" },
		{ INFINITY, "+Inf" },
		{ -INFINITY, "-Inf" },
	};
	struct rtlab_buf b = { 0 };
	char want[64];

	cr_assert_str_eq(one_line(&b, u64(UINT64_MAX)), "test_value 18446744073709551615\n");
	cr_assert_str_eq(one_line(&b, u64(UINT64_MAX - 1)), "test_value 18446744073709551614\n");
	cr_assert_str_eq(one_line(&b, u64(0)), "test_value 0\n");
	cr_assert_str_eq(one_line(&b, (struct rtlab_mval){ .kind = RTLAB_MV_I64, .i = INT64_MIN }),
			 "test_value -9223372036854775808\n");
	cr_assert_str_eq(one_line(&b, (struct rtlab_mval){ .kind = RTLAB_MV_I64, .i = -1 }),
			 "test_value -1\n");
	for (size_t i = 0; i < sizeof(dbl) / sizeof(dbl[0]); i++) {
		snprintf(want, sizeof(want), "test_value %s\n", dbl[i].text);
		cr_expect_str_eq(one_line(&b, f64(dbl[i].v)), want);
	}
	rtlab_buf_free(&b);
}

/* Every double reads back as itself (shortest form). */
Test(prom, doubles_round_trip)
{
	uint64_t x = 0x9e3779b97f4a7c15;
	char buf[32];

	for (int i = 0; i < 100000; i++) {
		double v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(&v, &x, sizeof(v));
		if (!isfinite(v))
			continue;
		rtlab_fmt_double(v, buf, sizeof(buf));
		cr_assert_eq(strtod(buf, NULL), v, "%s", buf);
	}
}

/* stdio_double - the reference: "%.15g", "%.16g" then "%.17g", the first that reads back. */
static void stdio_double(double v, char *buf, size_t size)
{
	if (isnan(v) || isinf(v)) {
		snprintf(buf, size, "%s", isnan(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf");
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

/* next_double - the double after finite @v away from zero (@up) or towards it (libm-free). */
static double next_double(double v, bool up)
{
	uint64_t b;

	memcpy(&b, &v, sizeof(b));
	if ((b << 1) == 0 && !up)
		return v;
	b = up ? b + 1 : b - 1;
	memcpy(&v, &b, sizeof(v));
	return v;
}

/* check_double - @v formatted as the reference does, and read back bit for bit. */
static void check_double(double v)
{
	char got[EX_NUM_MAX], want[64];
	size_t n = ex_fmt_f64(v, got);
	double back;

	stdio_double(v, want, sizeof(want));
	cr_assert_eq(n, strlen(got));
	cr_assert_str_eq(got, want, "%a", v);
	if (isnan(v))
		return;
	back = strtod(got, NULL);
	cr_assert_eq(memcmp(&back, &v, sizeof(v)), 0, "%a: %s reads back as %a", v, got, back);
}

/* xorshift - the next of a fixed series of pseudo-random numbers. */
static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * The formatter without stdio gives stdio's text, which reads back exactly:
 * whole numbers, each magnitude of the exact path and beyond its ends, ties
 * of the digit rounding, the power-of-two boundaries, and random doubles.
 */
Test(prom, fast_double_matches_stdio)
{
	static const double edge[] = {
		0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 1e15, 1e15 - 0.125, 1e15 - 1, 1e15 + 2,
		999999999999999.9, 0x1p52, 0x1p52 - 0.5, 0x1p53, 0x1p53 + 2, 0x1p63, 0x1p64,
		1e-6, 9.999999999999999e-7, 1.0000000000000002e-6, 1e-4, 9.99999999999999e-5,
		1e-5, 0.1, 0.2, 0.3, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 123456.0009765625,
		0x1p-20, 0x1.0000000000001p0, 0x1.fffffffffffffp-1, 3076.43, 0.52,
		5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1e300, 1e-300,
		4503599627370495.5, 0.000114801, 8.3305e-05, 18446744073709551615.0,
	};
	uint64_t x = 0x9e3779b97f4a7c15;

	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
		check_double(edge[i]);
		check_double(-edge[i]);
		check_double(next_double(edge[i], false));
		check_double(next_double(edge[i], true));
	}
	/* Every power of two and of ten in range, and their neighbours. */
	for (int e = -1074; e <= 1023; e++) {
		check_double(ldexp(1, e));
		check_double(next_double(ldexp(1, e), false));
	}
	for (int e = -323; e <= 308; e++) {
		char t[16];
		double p;

		snprintf(t, sizeof(t), "1e%d", e);
		p = strtod(t, NULL);
		check_double(p);
		check_double(next_double(p, false));
		check_double(next_double(p, true));
	}
	for (int i = 0; i < 300000; i++) {
		uint64_t r = xorshift(&x);
		double v;

		switch (i % 5) {
		case 0:		/* any bits */
			memcpy(&v, &r, sizeof(v));
			break;
		case 1:		/* 1e-8 .. 1e16, 53 random bits */
			v = (double)(r >> 11) * 0x1p-53 * 1e-8;
			for (uint64_t k = xorshift(&x) % 24; k; k--)
				v *= 10;
			break;
		case 2:		/* a rate: a count over a time */
			v = (double)(r % 100000000) / (double)(1 + xorshift(&x) % 100000);
			break;
		case 3:		/* few bits: ties of the rounding */
			v = ldexp((double)((r >> 40) | 1), -(int)(xorshift(&x) % 90));
			break;
		default:	/* a scaled counter */
			v = (double)(r % 10000000) / 100;
			break;
		}
		check_double(r & 1 ? -v : v);
	}
	check_double(NAN);
	check_double(-NAN);
	check_double(INFINITY);
	check_double(-INFINITY);
}

/* Integers over the whole range, as printf writes them. */
Test(prom, integers_match_stdio)
{
	uint64_t x = 0x2545f4914f6cdd1d;
	char got[24], want[24];

	for (int i = 0; i < 200000; i++) {
		uint64_t u = xorshift(&x) >> (i % 64);
		int64_t v = (int64_t)u;

		if (i < 64) {
			/* 0, 1, 9, 10, 99, 100 ... each power of ten and the numbers around it. */
			u = 1;
			for (int k = 0; k < i / 3 && u <= UINT64_MAX / 10; k++)
				u *= 10;
			u = u - 1 + (uint64_t)(i % 3);
			v = i % 2 ? -(int64_t)(u / 2) : (int64_t)(u / 2);
		}
		snprintf(want, sizeof(want), "%" PRIu64, u);
		cr_assert_eq(ex_fmt_u64(u, got), strlen(want));
		cr_assert_str_eq(got, want);
		snprintf(want, sizeof(want), "%" PRId64, v);
		cr_assert_eq(ex_fmt_i64(v, got), strlen(want));
		cr_assert_str_eq(got, want);
	}
	cr_assert_eq(ex_fmt_u64(UINT64_MAX, got), 20);
	cr_assert_str_eq(got, "18446744073709551615");
	cr_assert_eq(ex_fmt_u64(0, got), 1);
	cr_assert_str_eq(got, "0");
	cr_assert_eq(ex_fmt_i64(INT64_MIN, got), 20);
	cr_assert_str_eq(got, "-9223372036854775808");
	cr_assert_eq(ex_fmt_i64(INT64_MAX, got), 19);
	cr_assert_str_eq(got, "9223372036854775807");
}

/* ref_escape - the label/HELP escaping one byte at a time, as the format defines it. */
static size_t ref_escape(const char *s, size_t n, bool label, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = rtlab_utf8_len((const unsigned char *)s + i, n - i);

		if (!len) {
			o += (size_t)sprintf(out + o, "\\\\x%02x", c);
			i++;
		} else if (c == '\\' || c == '\n' || (label && c == '"')) {
			out[o++] = '\\';
			out[o++] = c == '\n' ? 'n' : (char)c;
			i++;
		} else {
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
		}
	}
	return o;
}

/* The escaper's eight-byte steps: a byte to escape at every offset, runs of every length. */
Test(prom, escaping_at_every_offset)
{
	static const char *const special[] = { "\\", "\n", "\"", "\xff", "\xc3\xa9", "\xe2\x82",
					       "\xf0\x9f\x98\x80", "x" };
	char in[64], got[64 * EX_ESC_GROWTH], want[64 * EX_ESC_GROWTH];

	for (size_t k = 0; k < sizeof(special) / sizeof(special[0]); k++) {
		for (size_t len = 0; len <= 40; len++) {
			for (size_t at = 0; at <= len; at++) {
				size_t sl = strlen(special[k]), n = len + sl, w;

				memset(in, 'a' + (int)(len % 26), n);
				memcpy(in + at, special[k], sl);
				for (int label = 0; label <= 1; label++) {
					char *end = ex_esc_prom(got, in, n, label);

					w = ref_escape(in, n, label, want);
					cr_assert_eq((size_t)(end - got), w,
						     "special %zu len %zu at %zu", k, len, at);
					cr_assert_eq(memcmp(got, want, w), 0,
						     "special %zu len %zu at %zu", k, len, at);
				}
			}
		}
	}
}

/* Hostile label values: escaped, invalid UTF-8 as \xHH, read back as the same text. */
Test(prom, hostile_label_values_are_escaped)
{
	static const struct {
		const char *in;
		const char *out;	/* the value a reader gets back */
	} cases[] = {
		{ "plain", "plain" },
		{ "quote\"back\\slash\nnewline", "quote\"back\\slash\nnewline" },
		{ "\\\"\\n", "\\\"\\n" },
		{ "bad\xff", "bad\\xff" },
		{ "overlong\xc0\x80", "overlong\\xc0\\x80" },
		{ "surrogate\xed\xa0\x80", "surrogate\\xed\\xa0\\x80" },
		{ "cut\xe2\x82", "cut\\xe2\\x82" },
		{ "above\xf4\x90\x80\x80", "above\\xf4\\x90\\x80\\x80" },
		{ "ok \xc3\xa9 \xe6\xbc\xa2 \xf0\x9f\x98\x80",
		  "ok \xc3\xa9 \xe6\xbc\xa2 \xf0\x9f\x98\x80" },
		{ "", "" },
		{ "}{=,\" x", "}{=,\" x" },
	};
	struct rtlab_buf b = { 0 };
	struct rtlab_prom w;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rtlab_label l[] = { { "dev", cases[i].in }, { "x", "1" } };
		struct rtlab_mval v = u64(i);
		struct pp_sample s;
		struct pp_labels lab;
		const char *why = NULL;
		char *line;

		rtlab_buf_reset(&b);
		rtlab_prom_init(&w, &b);
		cr_assert_eq(rtlab_prom_sample(&w, &m_gauge, l, 2, &v), 0);
		cr_assert(utf8_valid(b.data, b.len), "case %zu: not UTF-8", i);
		line = strstr(b.data, "\ntest_value{") + 1;
		cr_assert_eq(strchr(line, '\n'), b.data + b.len - 1, "case %zu: one line", i);
		*strchr(line, '\n') = '\0';
		cr_assert(pp_sample_line(line, &s, &lab, &why), "case %zu: %s: %s", i, why, line);
		cr_assert_eq(lab.n, 2);
		cr_expect_str_eq(lab.l[0][1], cases[i].out, "case %zu", i);
		cr_expect_eq(s.value, (double)i);
	}
	rtlab_buf_free(&b);
}

/* HELP text: backslash and newline escaped, invalid UTF-8 replaced. */
Test(prom, help_is_escaped)
{
	static const struct rtlab_metric m = { "test_help", "a\\b\nc \"q\" \xff.",
					       RTLAB_METRIC_GAUGE };
	struct rtlab_buf b = { 0 };
	struct rtlab_prom w;
	struct rtlab_mval v = u64(1);

	rtlab_prom_init(&w, &b);
	cr_assert_eq(rtlab_prom_sample(&w, &m, NULL, 0, &v), 0);
	cr_assert_str_eq(b.data, "# HELP test_help a\\\\b\\nc \"q\" \\\\xff.\n"
				 "# TYPE test_help gauge\ntest_help 1\n");
	rtlab_buf_free(&b);
}

/* HELP and TYPE once per name, even when a name comes back later. */
Test(prom, help_and_type_once_per_name)
{
	struct rtlab_buf b = { 0 };
	struct rtlab_prom w;
	struct rtlab_mval v = u64(7);
	struct pp_set set;

	rtlab_prom_init(&w, &b);
	for (int i = 0; i < 3; i++) {
		char cpu[8];
		struct rtlab_label l = { "cpu", cpu };

		snprintf(cpu, sizeof(cpu), "%d", i);
		cr_assert_eq(rtlab_prom_sample(&w, &m_counter, &l, 1, &v), 0);
	}
	cr_assert_eq(rtlab_prom_sample(&w, &m_gauge, NULL, 0, &v), 0);
	cr_assert_eq(rtlab_prom_sample(&w, &m_counter, NULL, 0, &v), 0);
	cr_assert(pp_parse(b.data, &set), "%s", set.err);
	cr_assert_eq(set.n, 5);
	cr_assert_eq(set.helps, 2);
	cr_assert_eq(set.types, 2);
	cr_assert_str_eq(set.s[0].type, "counter");
	cr_assert_str_eq(set.s[3].type, "gauge");
	cr_assert_str_eq(set.s[1].key, "test_events_total{cpu=\"1\"}");
	pp_free(&set);
	rtlab_buf_free(&b);
}

/* Unavailable samples are left out, and a name whose samples all are gets no header. */
Test(prom, unavailable_samples_are_skipped)
{
	struct rtlab_buf b = { 0 };
	struct rtlab_prom w;
	struct rtlab_mval bad = na(RTLAB_PV_MALFORMED), ready = na(RTLAB_PV_NOT_READY);
	struct rtlab_mval ok = u64(3);

	rtlab_prom_init(&w, &b);
	cr_assert_eq(rtlab_prom_sample(&w, &m_counter, NULL, 0, &bad), 0);
	cr_assert_eq(rtlab_prom_sample(&w, &m_gauge, NULL, 0, &ready), 0);
	cr_assert_eq(b.len, 0);
	cr_assert_eq(rtlab_prom_sample(&w, &m_gauge, NULL, 0, &ok), 0);
	cr_assert_str_eq(b.data, "# HELP test_value A test value.\n# TYPE test_value gauge\n"
				 "test_value 3\n");
	cr_assert_eq(w.unavailable, 2);
	cr_assert_eq(w.written, 1);
	rtlab_buf_free(&b);
}

/* Names Prometheus refuses never reach the output. */
Test(prom, invalid_names_are_skipped)
{
	static const char *const bad_names[] = { "", "1abc", "a-b", "a b", "a\nb", "é", "a{" };
	static const char *const bad_labels[] = { "", "1x", "a:b", "__name__", "a-b", "x y" };
	struct rtlab_buf b = { 0 };
	struct rtlab_prom w;
	struct rtlab_mval v = u64(1);
	char longname[RTLAB_PROM_NAME_MAX + 8];

	rtlab_prom_init(&w, &b);
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		struct rtlab_metric m = { bad_names[i], "h", RTLAB_METRIC_GAUGE };

		cr_assert_eq(rtlab_prom_sample(&w, &m, NULL, 0, &v), 0);
		cr_assert_not(rtlab_prom_name_valid(bad_names[i], false));
	}
	for (size_t i = 0; i < sizeof(bad_labels) / sizeof(bad_labels[0]); i++) {
		struct rtlab_label l = { bad_labels[i], "v" };

		cr_assert_eq(rtlab_prom_sample(&w, &m_gauge, &l, 1, &v), 0);
	}
	/* The same label twice. */
	cr_assert_eq(rtlab_prom_sample(&w, &m_gauge,
				       (struct rtlab_label[]){ { "a", "1" }, { "a", "2" } }, 2, &v),
		     0);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	cr_assert_eq(rtlab_prom_sample(&w, &(struct rtlab_metric){ longname, "", 0 }, NULL, 0, &v),
		     0);
	cr_assert_eq(b.len, 0, "%s", b.data);
	cr_assert_eq(w.invalid, 7 + 6 + 1 + 1);
	cr_assert(rtlab_prom_name_valid("node_cpu:rate_5m", false));
	cr_assert(rtlab_prom_name_valid("_x9", true));
	cr_assert_not(rtlab_prom_name_valid("a:b", true));
	rtlab_buf_free(&b);
}

/* ref_name_char - a character of a metric (or label) name, as the format defines it. */
static bool ref_name_char(unsigned char c, bool first, bool label)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (c == ':' && !label) || (!first && c >= '0' && c <= '9');
}

/* The name check's eight-byte steps: every byte value at every offset of names up to 20. */
Test(prom, name_check_every_byte_at_every_offset)
{
	char name[24];

	for (size_t len = 1; len <= 20; len++) {
		for (size_t at = 0; at < len; at++) {
			for (int c = 1; c < 256; c++) {
				memset(name, 'a' + (int)(len % 26), len);
				name[len] = '\0';
				name[at] = (char)c;
				for (int label = 0; label <= 1; label++) {
					bool want = ref_name_char((unsigned char)c, at == 0, label);

					cr_assert_eq(rtlab_prom_name_valid(name, label), want,
						     "byte 0x%02x at %zu of %zu", c, at, len);
				}
			}
		}
	}
}

/* A family on a fixture tree, through rtlab_probe_prom(): parseable, with its samples. */
Test(prom, fixture_family_renders)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_buf b = { 0 };
	struct pp_set set;

	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PROBE_ALL, d), 0);
	cr_assert_eq(rtlab_probe_prom(d, RTLAB_PROBE_ALL, &b), 0);
	cr_assert(utf8_valid(b.data, b.len));
	cr_assert(pp_parse(b.data, &set), "%s", set.err);
	cr_assert_not_null(pp_find(&set, "node_load1"));
	cr_assert_eq(set.types, set.helps);
	/* Appends: a second rendering doubles the text. */
	{
		size_t len = b.len;

		cr_assert_eq(rtlab_probe_prom(d, RTLAB_PROBE_ALL, &b), 0);
		cr_assert_eq(b.len, 2 * len);
	}
	pp_free(&set);
	rtlab_buf_free(&b);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}

/* The buffer: append, printf beyond its first size, reset keeps memory, free empties. */
Test(prom, buffer_grows_and_resets)
{
	struct rtlab_buf b = { 0 };
	char big[5000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cr_assert_eq(rtlab_buf_puts(&b, "ab"), 0);
	cr_assert_eq(rtlab_buf_printf(&b, "%s|%d", big, 42), 0);
	cr_assert_eq(b.len, 2 + 4999 + 3);
	cr_assert_str_eq(b.data + b.len - 3, "|42");
	rtlab_buf_reset(&b);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.data, "");
	cr_assert_geq(b.cap, 5004);
	cr_assert_eq(rtlab_buf_append(&b, "z", 0), 0);
	rtlab_buf_free(&b);
	cr_assert_null(b.data);
	cr_assert_eq(b.cap, 0);
}
