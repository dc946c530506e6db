/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-vmstat.c - the vmstat family: every line kept, named fields, rates, damaged input. */
#include "mem-test.h"

/* parse_str - vmstat_parse of a string into @v. */
static int parse_str(const char *s, struct rtlab_probe_vmstat *v, struct mem_perr *err)
{
	return vmstat_parse(s, strlen(s), v, err);
}

/* item - the line @name of @v, which must be there. */
static const struct rtlab_vmstat_item *item(const struct rtlab_probe_vmstat *v, const char *name)
{
	for (size_t i = 0; i < v->lines.n; i++)
		if (strcmp(v->lines.items[i].name, name) == 0)
			return &v->lines.items[i];
	cr_assert_fail("no line %s", name);
	return NULL;
}

/* Every line of the captured file kept in order, the named fields from them. */
Test(vmstat, vm_fixture_every_line)
{
	size_t len, lines = 0;
	char *buf = fixture_load("vm", "/proc/vmstat", &len);
	struct rtlab_probe_vmstat v = { 0 };
	struct mem_perr err;
	unsigned long long x;

	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	cr_assert_eq(vmstat_parse(buf, len, &v, &err), 0, "line %u: %s", err.line, err.what);
	cr_assert_eq(v.lines.n, lines);
	for (size_t i = 0; i < v.lines.n; i++) {
		const struct rtlab_vmstat_item *it = &v.lines.items[i];
		char metric[96];

		cr_assert(kv_value(buf, it->name, &x), "%s", it->name);
		cr_assert_eq(it->value.v, x, "%s", it->name);
		snprintf(metric, sizeof(metric), "node_vmstat_%s", it->name);
		cr_assert_str_eq(it->metric, metric);
	}
	cr_assert(kv_value(buf, "pgfault", &x));
	cr_assert_eq(v.pgfault.v, x);
	cr_assert(kv_value(buf, "nr_free_pages", &x));
	cr_assert_eq(v.nr_free_pages.v, x);
	cr_assert(item(&v, "pgfault")->counter);
	cr_assert(item(&v, "nr_dirtied")->counter);
	cr_assert_not(item(&v, "nr_free_pages")->counter);
	cr_assert_not(item(&v, "workingset_nodes")->counter);
	cr_assert_eq(item(&v, "nr_free_pages")->rate_per_s.st, RTLAB_PV_UNSUPPORTED);
	cr_assert_eq(item(&v, "pgfault")->rate_per_s.st, RTLAB_PV_NOT_READY);
	stat_list_free(&v.lines);
	free(buf);
}

/* A line this kernel does not print leaves its named field absent, even on a first empty read. */
Test(vmstat, named_absent)
{
	struct rtlab_probe_vmstat v = { 0 };
	struct mem_perr err;

	cr_assert_eq(vmstat_parse("", 0, &v, &err), 0);
	cr_assert_eq(v.pgfault.st, RTLAB_PV_ABSENT);
	cr_assert_eq(parse_str("pgfault 10\n", &v, &err), 0);
	cr_assert_eq(v.pgfault.v, 10);
	cr_assert_eq(v.oom_kill.st, RTLAB_PV_ABSENT);
	stat_list_free(&v.lines);
}

/* Rates: NOT_READY first, then (now - before) / interval; a counter going back is not a rate. */
Test(vmstat, rates_from_two_readings)
{
	struct rtlab_probe_vmstat v = { 0 };
	struct mem_perr err;

	cr_assert_eq(parse_str("nr_free_pages 5\npgfault 1000\npswpin 7\n", &v, &err), 0);
	vmstat_rates(&v, 0);
	cr_assert_eq(item(&v, "pgfault")->rate_per_s.st, RTLAB_PV_NOT_READY);
	cr_assert_eq(parse_str("nr_free_pages 9\npgfault 3000\npswpin 6\n", &v, &err), 0);
	vmstat_rates(&v, 500000000);
	cr_assert_eq(item(&v, "pgfault")->rate_per_s.st, RTLAB_PV_OK);
	cr_assert_float_eq(item(&v, "pgfault")->rate_per_s.v, 4000.0, 1e-9);
	cr_assert_eq(item(&v, "pswpin")->rate_per_s.st, RTLAB_PV_NOT_READY);
	cr_assert_eq(item(&v, "nr_free_pages")->rate_per_s.st, RTLAB_PV_UNSUPPORTED);
	stat_list_free(&v.lines);
}

/* A new line (newer kernel, module) starts without a rate; the others keep theirs. */
Test(vmstat, layout_change)
{
	struct rtlab_probe_vmstat v = { 0 };
	struct mem_perr err;

	cr_assert_eq(parse_str("pgfault 1\npgmajfault 1\n", &v, &err), 0);
	cr_assert_eq(parse_str("pgfault 3\nnew_counter 5\npgmajfault 2\n", &v, &err), 0);
	vmstat_rates(&v, 1000000000);
	cr_assert_eq(v.lines.n, 3);
	cr_assert_float_eq(item(&v, "pgfault")->rate_per_s.v, 2.0, 1e-9);
	cr_assert_eq(item(&v, "new_counter")->rate_per_s.st, RTLAB_PV_NOT_READY);
	/* pgmajfault moved: it is new at its place, so no rate this time. */
	cr_assert_eq(item(&v, "pgmajfault")->rate_per_s.st, RTLAB_PV_NOT_READY);
	cr_assert_eq(v.pgmajfault.v, 2);
	cr_assert_eq(parse_str("pgfault 4\n", &v, &err), 0);
	cr_assert_eq(v.lines.n, 1);
	cr_assert_eq(v.pgmajfault.st, RTLAB_PV_ABSENT);
	stat_list_free(&v.lines);
}

/* A bad value: that line malformed (and its named field), the line named. */
Test(vmstat, damaged)
{
	struct rtlab_probe_vmstat v = { 0 };
	struct mem_perr err;

	cr_assert_eq(parse_str("pgfault xyz\npgmajfault 4\n", &v, &err), -EBADMSG);
	cr_assert_eq(err.line, 1);
	cr_assert_str_eq(err.what, "pgfault");
	cr_assert_eq(v.pgfault.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(v.pgmajfault.v, 4);
	/* Cut short: the last value is not trusted. */
	cr_assert_eq(parse_str("pgfault 12\npgmajfault 4", &v, &err), -EBADMSG);
	cr_assert_eq(v.pgfault.v, 12);
	cr_assert_eq(v.pgmajfault.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(err.line, 2);
	/* Blank and nameless lines; trailing garbage after a number. */
	cr_assert_eq(parse_str("\n   \npgfault 1 2\n", &v, &err), -EBADMSG);
	cr_assert_eq(err.line, 2);
	cr_assert_eq(v.pgfault.st, RTLAB_PV_MALFORMED);
	stat_list_free(&v.lines);
}

/* The family on a tree whose file changes between readings: NOT_READY, then a rate. */
Test(vmstat, family_rate_between_collections)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	char root[PATH_MAX];
	uint64_t t1;
	double want;

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/vmstat", "nr_free_pages 100\npgfault 1000\n");
	collect_one(root, RTLAB_PF_VMSTAT, d);
	cr_assert_eq(item(&d->vmstat, "pgfault")->rate_per_s.st, RTLAB_PV_NOT_READY);
	t1 = d->t_ns[RTLAB_PF_VMSTAT];
	tree_put(root, "/proc/vmstat", "nr_free_pages 90\npgfault 1500\n");
	usleep(2000);
	collect_one(root, RTLAB_PF_VMSTAT, d);
	want = 500.0 * 1e9 / (double)(d->t_ns[RTLAB_PF_VMSTAT] - t1);
	cr_assert_eq(item(&d->vmstat, "pgfault")->rate_per_s.st, RTLAB_PV_OK);
	cr_assert_float_eq(item(&d->vmstat, "pgfault")->rate_per_s.v, want, want * 1e-9);
	cr_assert_eq(d->vmstat.nr_free_pages.v, 90);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* A missing file: absent, the file named; the lines read before are marked, not zeroed. */
Test(vmstat, family_missing_file)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	char root[PATH_MAX], path[PATH_MAX + 16];

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/vmstat", "pgfault 1000\n");
	collect_one(root, RTLAB_PF_VMSTAT, d);
	snprintf(path, sizeof(path), "%s/proc/vmstat", root);
	cr_assert_eq(unlink(path), 0);
	collect_one(root, RTLAB_PF_VMSTAT, d);
	cr_assert_eq(d->err[RTLAB_PF_VMSTAT], -ENOENT);
	cr_assert_eq(d->vmstat.pgfault.st, RTLAB_PV_ABSENT);
	cr_assert_eq(item(&d->vmstat, "pgfault")->value.st, RTLAB_PV_ABSENT);
	cr_assert_eq(item(&d->vmstat, "pgfault")->rate_per_s.st, RTLAB_PV_ABSENT);
	cr_assert(strstr(d->why[RTLAB_PF_VMSTAT], "/proc/vmstat") != NULL);
	/* Back: no rate across the gap. */
	tree_put(root, "/proc/vmstat", "pgfault 2000\n");
	collect_one(root, RTLAB_PF_VMSTAT, d);
	cr_assert_eq(item(&d->vmstat, "pgfault")->rate_per_s.st, RTLAB_PV_NOT_READY);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* Metrics: node_vmstat_<name> for every line, rates of counters only. */
Test(vmstat, metrics)
{
	struct rtlab_probe_data *d = collect_fixture("manycore", RTLAB_PF_VMSTAT);
	struct rec r = rec_emit(d, RTLAB_PF_VMSTAT);
	size_t counters = 0;

	for (size_t i = 0; i < d->vmstat.lines.n; i++) {
		const struct rtlab_vmstat_item *it = &d->vmstat.lines.items[i];
		char labels[64];

		cr_assert_eq(rec_get(&r, it->metric, "")->v.u, it->value.v);
		snprintf(labels, sizeof(labels), "name=%s", it->name);
		if (it->counter) {
			counters++;
			cr_assert_eq(rec_get(&r, "rtlab_vmstat_rate_per_second", labels)->v.st,
				     RTLAB_PV_NOT_READY);
		} else {
			cr_assert_null(rec_find(&r, "rtlab_vmstat_rate_per_second", labels));
		}
	}
	cr_assert_eq(r.n, d->vmstat.lines.n + counters);
	cr_assert_eq(rec_get(&r, "node_vmstat_pgfault", "")->v.u, d->vmstat.pgfault.v);
	rec_free(&r);
	rtlab_probe_data_free(d);
}
