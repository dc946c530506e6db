/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-load.c - the load family: parser on good and damaged input, collection on fixtures. */
#include "../test-probe.h"

#include "cpu/cpu-parse.h"

/* Good input: every field read exactly. */
Test(load, parses_loadavg)
{
	const char *s = "0.52 10.58 100.09 2/611 12345\n";
	struct rtlab_probe_load l;

	cr_assert_eq(load_parse(s, strlen(s), &l), 0);
	cr_assert_float_eq(l.load1.v, 0.52, 1e-9);
	cr_assert_float_eq(l.load5.v, 10.58, 1e-9);
	cr_assert_float_eq(l.load15.v, 100.09, 1e-9);
	cr_assert_eq(l.runnable.v, 2);
	cr_assert_eq(l.entities.v, 611);
	cr_assert_eq(l.last_pid.v, 12345);
	cr_assert_eq(l.last_pid.st, RTLAB_PV_OK);
}

/* Truncated input: what was read stays, the rest is malformed, never zero-but-ok. */
Test(load, truncated_is_malformed_not_zero)
{
	const char *s = "0.52 0.58 0.59 2/";
	struct rtlab_probe_load l;

	cr_assert_eq(load_parse(s, strlen(s), &l), -EBADMSG);
	cr_assert_eq(l.load15.st, RTLAB_PV_OK);
	cr_assert_eq(l.entities.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(l.last_pid.st, RTLAB_PV_MALFORMED);
}

/* Garbage: every field malformed. */
Test(load, garbage_is_all_malformed)
{
	const char *s = "x\0y";
	struct rtlab_probe_load l;

	cr_assert_eq(load_parse(s, 3, &l), -EBADMSG);
	cr_assert_eq(l.load1.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(l.runnable.st, RTLAB_PV_MALFORMED);
}

/* The family on a fixture tree, then on a tree without the file. */
Test(load, collects_from_fixture_and_names_missing_file)
{
	struct rtlab_probe *p = probe_fixture("vm");
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	char root[PATH_MAX];

	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_LOAD), d), 0);
	cr_assert_neq(d->t_ns[RTLAB_PF_LOAD], 0);
	cr_assert_eq(d->err[RTLAB_PF_LOAD], 0, "%s", d->why[RTLAB_PF_LOAD]);
	cr_assert_eq(d->load.entities.st, RTLAB_PV_OK);
	rtlab_probe_free(p);

	tree_new(root, sizeof(root));
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_LOAD), d), 0);
	cr_assert_eq(d->load.load1.st, RTLAB_PV_ABSENT);
	cr_assert(strstr(d->why[RTLAB_PF_LOAD], "/proc/loadavg") != NULL, "%s",
		  d->why[RTLAB_PF_LOAD]);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}
