/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-table.c - the table of "rtlab probe" (cli/probe-table.c): headers per
 * family state, aligned columns, human values, and hostile text escaped so
 * that it cannot drive the terminal or break a row.
 */
#include "../test-probe.h"

#include "../../../../cli/probe-cli.h"

static const struct rtlab_metric m_bytes = { "test_memory_bytes", "h", RTLAB_METRIC_GAUGE };
static const struct rtlab_metric m_long = { "test_a_much_longer_metric_name_seconds", "h",
					    RTLAB_METRIC_GAUGE };

/* render - the table of @t for the load family, as text (malloc'd). */
static char *render(const struct probe_table *t, const struct rtlab_probe_data *d,
		    uint64_t families)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert_not_null(f);
	probe_table_write(f, t, d, families);
	cr_assert_eq(fclose(f), 0);
	return text;
}

/* Rows aligned, values in human units, unavailable with the reason. */
Test(table, aligned_rows_and_units)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct probe_table t = { 0 };
	struct rtlab_probe_sink s = probe_table_sink(&t);
	struct rtlab_mval gib = { .kind = RTLAB_MV_U64, .u = 3ULL << 29 };
	struct rtlab_mval na = { .kind = RTLAB_MV_F64, .st = RTLAB_PV_NOT_READY };
	struct rtlab_label l = { "device", "sda" };
	char *text, *line2, *line3;

	d->t_ns[RTLAB_PF_LOAD] = 1;
	cr_assert_eq(s.family(s.arg, RTLAB_PF_LOAD, d), 0);
	cr_assert_eq(s.sample(s.arg, &m_bytes, &l, 1, &gib), 0);
	cr_assert_eq(s.sample(s.arg, &m_long, NULL, 0, &na), 0);
	text = render(&t, d, RTLAB_PF_BIT(RTLAB_PF_LOAD) | RTLAB_PF_BIT(RTLAB_PF_CPU));
	cr_assert_eq(strncmp(text, "load  (collected)\n", 18), 0, "%s", text);
	line2 = strchr(text, '\n') + 1;
	line3 = strchr(line2, '\n') + 1;
	cr_assert_eq(strncmp(line2, "  test_memory_bytes ", 20), 0, "%s", text);
	cr_assert(strstr(line2, "device=sda") != NULL, "%s", text);
	/* The label column starts at the same place on both rows. */
	cr_assert_eq(strstr(line2, "device=sda") - line2,
		     strlen("  test_a_much_longer_metric_name_seconds  "), "%s", text);
	/* Values right-aligned: both rows end at the same column. */
	cr_assert_eq(strchr(line2, '\n') - line2, strchr(line3, '\n') - line3, "%s", text);
	cr_assert(strstr(line2, "1.50 GiB\n") != NULL, "%s", text);
	cr_assert(strstr(line3, "n/a (not ready)\n") != NULL, "%s", text);
	cr_assert(strstr(text, "\nnot in this build: cpu\n") != NULL, "%s", text);
	free(text);
	probe_table_free(&t);
	rtlab_probe_data_free(d);
}

/* Headers: an error with its reason, problems seen, a family without samples. */
Test(table, family_headers)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct probe_table t = { 0 };
	char *text;

	d->t_ns[RTLAB_PF_LOAD] = 1;
	d->err[RTLAB_PF_LOAD] = -ENOENT;
	snprintf(d->why[RTLAB_PF_LOAD], sizeof(d->why[0]), "/proc/loadavg: gone");
	d->t_ns[RTLAB_PF_CPU] = 1;
	snprintf(d->why[RTLAB_PF_CPU], sizeof(d->why[0]), "/proc/stat:3: malformed");
	text = render(&t, d, RTLAB_PF_BIT(RTLAB_PF_LOAD) | RTLAB_PF_BIT(RTLAB_PF_CPU));
	cr_assert_str_eq(text, "cpu  (collected; /proc/stat:3: malformed)\n  (no samples)\n\n"
			       "load  (error: No such file or directory: /proc/loadavg: gone)\n"
			       "  (no samples)\n");
	free(text);
	rtlab_probe_data_free(d);
}

/* Escape sequences, newlines and bad UTF-8 from the system never reach the terminal raw. */
Test(table, hostile_text_is_escaped)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct probe_table t = { 0 };
	struct rtlab_probe_sink s = probe_table_sink(&t);
	struct rtlab_mval v = { .kind = RTLAB_MV_U64, .u = 1 };
	struct rtlab_label l = { "name\x1b[2J", "eth0\n\x1b]0;pwned\x07\xff" };
	char *text;

	d->t_ns[RTLAB_PF_LOAD] = 1;
	snprintf(d->why[RTLAB_PF_LOAD], sizeof(d->why[0]), "why\x1b[31m\nx");
	cr_assert_eq(s.family(s.arg, RTLAB_PF_LOAD, d), 0);
	cr_assert_eq(s.sample(s.arg, &(struct rtlab_metric){ "evil\x1b[1m", "h", 0 }, &l, 1, &v),
		     0);
	text = render(&t, d, RTLAB_PF_BIT(RTLAB_PF_LOAD));
	cr_assert_null(strchr(text, '\x1b'), "%s", text);
	cr_assert_null(strchr(text, '\x07'));
	cr_assert_null(strchr(text, '\xff'));
	cr_assert(strstr(text, "eth0\\x0a\\x1b]0;pwned\\x07\\xff") != NULL, "%s", text);
	/* Three lines: header, row, nothing else. */
	cr_assert_eq(strchr(strchr(text, '\n') + 1, '\n')[1], '\0', "%s", text);
	free(text);
	probe_table_free(&t);
	rtlab_probe_data_free(d);
}

/* The whole path on a fixture tree. */
Test(table, fixture_print)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_LOAD), d), 0);
	cr_assert_eq(probe_table_print(f, d, RTLAB_PF_BIT(RTLAB_PF_LOAD)), 0);
	fclose(f);
	cr_assert(strstr(text, "load  (collected)\n  node_load1 ") == text, "%s", text);
	free(text);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
}
