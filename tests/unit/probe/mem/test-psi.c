/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-psi.c - the psi family: some/full lines, missing resources, damaged input, metrics. */
#include "mem-test.h"

/* parse_str - psi_parse of a string. */
static int parse_str(const char *s, struct rtlab_psi_pressure *ps, struct mem_perr *err)
{
	return psi_parse(s, strlen(s), ps, err);
}

/* Both lines, every value. */
Test(psi, parses_some_and_full)
{
	struct rtlab_psi_pressure ps;
	struct mem_perr err;

	cr_assert_eq(parse_str("some avg10=2.53 avg60=1.27 avg300=0.85 total=7775407\n"
			       "full avg10=100.00 avg60=0.01 avg300=0.00 "
			       "total=18446744073709551615\n",
			       &ps, &err), 0);
	cr_assert_float_eq(ps.some.avg10.v, 2.53, 1e-12);
	cr_assert_float_eq(ps.some.avg60.v, 1.27, 1e-12);
	cr_assert_float_eq(ps.some.avg300.v, 0.85, 1e-12);
	cr_assert_eq(ps.some.total_us.v, 7775407);
	cr_assert_float_eq(ps.full.avg10.v, 100.0, 1e-12);
	cr_assert_eq(ps.full.total_us.v, UINT64_MAX);
}

/* cpu before 5.13 has no "full" line, irq no "some" line: ABSENT, not zero. */
Test(psi, missing_line_is_absent)
{
	struct rtlab_psi_pressure ps;
	struct mem_perr err;

	cr_assert_eq(parse_str("some avg10=0.00 avg60=0.00 avg300=0.00 total=5\n", &ps, &err), 0);
	cr_assert_eq(ps.full.avg10.st, RTLAB_PV_ABSENT);
	cr_assert_eq(ps.full.total_us.st, RTLAB_PV_ABSENT);
	cr_assert_eq(parse_str("full avg10=0.12 avg60=0.10 avg300=0.08 total=3456789\n", &ps, &err),
		     0);
	cr_assert_eq(ps.some.total_us.st, RTLAB_PV_ABSENT);
	cr_assert_eq(ps.full.total_us.v, 3456789);
}

/* A bad value: that value malformed, the others read; the line named. */
Test(psi, damaged)
{
	struct rtlab_psi_pressure ps;
	struct mem_perr err;

	cr_assert_eq(parse_str("some avg10=x avg60=1.00 avg300=2.00 total=5\n"
			       "full avg10=1.00 avg60=1.00 avg300=1.00 total=5x\n", &ps, &err),
		     -EBADMSG);
	cr_assert_eq(err.line, 1);
	cr_assert_str_eq(err.what, "some");
	cr_assert_eq(ps.some.avg10.st, RTLAB_PV_MALFORMED);
	cr_assert_float_eq(ps.some.avg60.v, 1.0, 1e-12);
	cr_assert_eq(ps.some.total_us.v, 5);
	cr_assert_eq(ps.full.total_us.st, RTLAB_PV_MALFORMED);
	/* A value left out is malformed too. */
	cr_assert_eq(parse_str("some avg10=1.00 avg300=2.00 total=5\n", &ps, &err), -EBADMSG);
	cr_assert_eq(ps.some.avg60.st, RTLAB_PV_MALFORMED);
	/* Cut short: nothing of that line is trusted. */
	cr_assert_eq(parse_str("some avg10=1.00 avg60=1.00 avg300=1.00 total=12", &ps, &err),
		     -EBADMSG);
	cr_assert_eq(ps.some.total_us.st, RTLAB_PV_MALFORMED);
	/* A line that is neither some nor full. */
	cr_assert_eq(parse_str("\nmost avg10=1.00\n", &ps, &err), -EBADMSG);
	cr_assert_eq(err.line, 2);
}

/* The captured machine: cpu, memory, io read; no irq file (no IRQ time accounting), no why. */
Test(psi, family_vm)
{
	struct rtlab_probe_data *d = collect_fixture("vm", RTLAB_PF_PSI);
	size_t len;
	char *buf = fixture_load("vm", "/proc/pressure/io", &len);
	unsigned long long total;

	cr_assert_eq(d->err[RTLAB_PF_PSI], 0);
	cr_assert_str_empty(d->why[RTLAB_PF_PSI]);
	cr_assert_eq(d->psi.res[RTLAB_PSI_CPU].some.total_us.st, RTLAB_PV_OK);
	cr_assert_eq(d->psi.res[RTLAB_PSI_MEMORY].full.avg300.st, RTLAB_PV_OK);
	cr_assert(sscanf(strstr(buf, "total="), "total=%llu", &total) == 1);
	cr_assert_eq(d->psi.res[RTLAB_PSI_IO].some.total_us.v, total);
	cr_assert_eq(d->psi.res[RTLAB_PSI_IRQ].full.total_us.st, RTLAB_PV_ABSENT);
	free(buf);
	rtlab_probe_data_free(d);
}

/* No /proc/pressure (CONFIG_PSI off): every value absent, the file named, the family failed. */
Test(psi, family_without_psi)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe *p;
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	p = probe_at(root, NULL);
	for (int i = 0; i < 2; i++) {
		/* The second time from what the first one learned (the files are not re-tried). */
		cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_PSI), d), 0);
		cr_assert_eq(d->err[RTLAB_PF_PSI], -ENOENT);
		cr_assert_eq(d->psi.res[RTLAB_PSI_CPU].some.avg10.st, RTLAB_PV_ABSENT);
		cr_assert_eq(d->psi.res[RTLAB_PSI_IO].full.total_us.st, RTLAB_PV_ABSENT);
		cr_assert(strstr(d->why[RTLAB_PF_PSI], "/proc/pressure/cpu") != NULL, "%s",
			  d->why[RTLAB_PF_PSI]);
	}
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* One damaged file: its line named, the other resources fine. */
Test(psi, family_damaged_file)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/pressure/cpu", "some avg10=0.00 avg60=0.00 avg300=0.00 total=1\n");
	tree_put(root, "/proc/pressure/memory", "some avg10=0.00 avg60=0.00 avg300=0.00 total=1\n"
						"full avg10=?\n");
	tree_put(root, "/proc/pressure/io", "some avg10=0.00 avg60=0.00 avg300=0.00 total=1\n");
	collect_one(root, RTLAB_PF_PSI, d);
	cr_assert_eq(d->err[RTLAB_PF_PSI], 0);
	cr_assert_eq(d->psi.res[RTLAB_PSI_MEMORY].full.avg10.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(d->psi.res[RTLAB_PSI_CPU].full.avg10.st, RTLAB_PV_ABSENT);
	cr_assert(strstr(d->why[RTLAB_PF_PSI], "/proc/pressure/memory:2") != NULL, "%s",
		  d->why[RTLAB_PF_PSI]);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* Metrics: node_exporter's stall counters in seconds, the averages as ratios. */
Test(psi, metrics)
{
	struct rtlab_probe_data *d = collect_fixture("manycore", RTLAB_PF_PSI);
	struct rec r = rec_emit(d, RTLAB_PF_PSI);
	const struct got *g;

	g = rec_get(&r, "node_pressure_cpu_waiting_seconds_total", "");
	cr_assert_eq(g->type, RTLAB_METRIC_COUNTER);
	cr_assert_float_eq(g->v.f, 9876.54321, 1e-9);
	cr_assert_float_eq(rec_get(&r, "node_pressure_memory_stalled_seconds_total", "")->v.f,
			   98.765432, 1e-9);
	cr_assert_float_eq(rec_get(&r, "node_pressure_io_waiting_seconds_total", "")->v.f,
			   456.789012, 1e-9);
	cr_assert_float_eq(rec_get(&r, "node_pressure_irq_stalled_seconds_total", "")->v.f,
			   3.456789, 1e-9);
	cr_assert_null(rec_find(&r, "node_pressure_irq_waiting_seconds_total", ""));
	cr_assert_float_eq(rec_get(&r, "rtlab_pressure_avg_ratio",
				   "resource=cpu,kind=some,window=10s")->v.f, 0.1253, 1e-12);
	cr_assert_float_eq(rec_get(&r, "rtlab_pressure_avg_ratio",
				   "resource=io,kind=full,window=300s")->v.f, 0.0188, 1e-12);
	cr_assert_null(rec_find(&r, "rtlab_pressure_avg_ratio",
				"resource=irq,kind=some,window=10s"));
	rec_free(&r);
	rtlab_probe_data_free(d);
}
