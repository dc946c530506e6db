/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * live-hw.c - the thermal, power and gpu families against node_exporter's
 * hwmon, thermal_zone, rapl, powersupplyclass and drm collectors: on the
 * laptop and amdgpu fixture trees (node_exporter reads them with
 * --path.sysfs) and on this machine's /sys.
 *
 * Every node_* sample rtlab has must be in node_exporter's output with the
 * same labels (the rapl path label less the tree's root), and every sample
 * node_exporter has under a name rtlab emits must be in rtlab's, except
 * node_exporter's drm metrics of non-amdgpu cards (its collector labels any
 * card "amd").  Tolerances: fixture trees 1e-9 relative (the same files);
 * this machine: *_celsius 2 °C, *_joules_total 2 % (counters move between
 * the two reads), other values 5 % + 1.
 */
#include <math.h>

#include "../export/http-util.h"
#include "../export/prom-parse.h"
#include "../export/spawn-util.h"
#include "../test-probe.h"
#include "hw-test.h"

#define NODE_EXPORTER "/usr/bin/prometheus-node-exporter"
#define HW_FAMILIES \
	(RTLAB_PF_BIT(RTLAB_PF_THERMAL) | RTLAB_PF_BIT(RTLAB_PF_POWER) | RTLAB_PF_BIT(RTLAB_PF_GPU))

TestSuite(hw_live, .fini = children_kill, .timeout = 120);

/* ne_fetch - node_exporter's hw collectors reading @sysfs (NULL: /sys) into @set. */
static void ne_fetch(const char *sysfs, struct pp_set *set)
{
	char listen[64], path[PATH_MAX + 16];
	char *argv[] = { NODE_EXPORTER, listen, "--collector.disable-defaults",
			 "--collector.hwmon", "--collector.thermal_zone", "--collector.rapl",
			 "--collector.powersupplyclass", "--collector.drm",
			 sysfs ? path : NULL, NULL };
	struct rtlab_buf r = { 0 };
	long long end = ms_now() + 15000;
	int port = free_port(), st;
	pid_t pid;

	snprintf(listen, sizeof(listen), "--web.listen-address=127.0.0.1:%d", port);
	snprintf(path, sizeof(path), "--path.sysfs=%s", sysfs ? sysfs : "");
	pid = spawn(argv, NULL, NULL, NULL);
	while ((st = http_get10(port, "/metrics", &r)) != 200 && ms_now() < end)
		usleep(100000);
	stop(pid, 5000);
	cr_assert_eq(st, 200, "node_exporter did not answer on port %d", port);
	cr_assert(pp_parse(http_body(&r), set), "node_exporter's text: %s", set->err);
	rtlab_buf_free(&r);
}

/* unroot - @key with "<root>/sys/" label values made "/sys/" (node_exporter's rapl paths). */
static void unroot(char *key, const char *root)
{
	char pat[PATH_MAX + 8];
	char *at;
	size_t n;

	if (!root || !root[0])
		return;
	n = (size_t)snprintf(pat, sizeof(pat), "\"%s/sys/", root);
	while ((at = strstr(key, pat)) != NULL)
		memmove(at + 1, at + n - 5, strlen(at + n - 5) + 1);
}

/* tolerance - how far apart the two values may be. */
static double tolerance(const char *key, double a, double b, bool live)
{
	double big = fabs(a) > fabs(b) ? fabs(a) : fabs(b);

	if (!live)
		return big * 1e-9;
	if (strstr(key, "_celsius"))
		return 2.0;
	if (strstr(key, "_joules_total") || strstr(key, "_joule_total"))
		return big * 0.02;
	return big * 0.05 + 1;
}

/* value - a captured sample as a double. */
static double value(const struct cap_sample *s)
{
	return s->v.kind == RTLAB_MV_U64 ? (double)s->v.u :
	       s->v.kind == RTLAB_MV_I64 ? (double)s->v.i : s->v.f;
}

/* ours_has_name - does rtlab emit the metric name of @key? */
static bool ours_has_name(const struct capture *c, const char *key)
{
	size_t n = strcspn(key, "{");

	for (size_t i = 0; i < c->n; i++)
		if (strncmp(c->s[i].key, key, n) == 0 && (c->s[i].key[n] == '{' || !c->s[i].key[n]))
			return true;
	return false;
}

/* drm_foreign - a node_drm sample of a card rtlab does not call amdgpu. */
static bool drm_foreign(const struct capture *c, const char *key)
{
	const char *card = strstr(key, "card=\"");
	char want[64];
	size_t n;

	if (strncmp(key, "node_drm_", 9) != 0 || !card)
		return false;
	n = strcspn(card + 6, "\"");
	snprintf(want, sizeof(want), "node_drm_memory_vram_size_bytes{card=\"%.*s\"}", (int)n,
		 card + 6);
	return !cap_find(c, want);
}

/* compare - rtlab's hw families on @root ("" for /) against node_exporter; the samples compared. */
static size_t compare(const char *root)
{
	char sysfs[PATH_MAX];
	struct rtlab_probe *p = probe_at(root, NULL);
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct capture c = { 0 };
	struct pp_set ne;
	size_t compared = 0, bad = 0;
	bool live = !root[0];

	snprintf(sysfs, sizeof(sysfs), "%s/sys", root);
	ne_fetch(live ? NULL : sysfs, &ne);
	cr_assert_eq(rtlab_probe_collect(p, HW_FAMILIES, d), 0);
	capture_families(&c, d, HW_FAMILIES);
	for (size_t i = 0; i < ne.n; i++)
		unroot(ne.s[i].key, root);
	for (size_t i = 0; i < c.n; i++) {
		const struct cap_sample *s = &c.s[i];
		const struct pp_sample *b;

		if (strncmp(s->key, "node_", 5) != 0 || s->v.st != RTLAB_PV_OK)
			continue;
		b = pp_find(&ne, s->key);
		if (!b) {
			bad++;
			cr_log_warn("%s: rtlab has %s, node_exporter does not", root, s->key);
			continue;
		}
		compared++;
		if (fabs(value(s) - b->value) > tolerance(s->key, value(s), b->value, live)) {
			bad++;
			cr_log_warn("%s: %s: rtlab %.17g, node_exporter %.17g", root, s->key,
				    value(s), b->value);
		}
	}
	for (size_t i = 0; i < ne.n; i++) {
		const char *key = ne.s[i].key;

		if (!ours_has_name(&c, key) || cap_find(&c, key) || drm_foreign(&c, key))
			continue;
		bad++;
		cr_log_warn("%s: node_exporter has %s, rtlab does not", root, key);
	}
	cr_log_info("%s: %zu samples compared with node_exporter", live ? "/" : root, compared);
	cr_expect_eq(bad, 0, "%s: %zu samples differ from node_exporter", root, bad);
	pp_free(&ne);
	capture_free(&c);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
	return compared;
}

/* need_node_exporter - skip when it is not installed. */
static void need_node_exporter(void)
{
	if (access(NODE_EXPORTER, X_OK) != 0)
		cr_skip_test("%s is not installed (apt-get install prometheus-node-exporter)",
			     NODE_EXPORTER);
}

/* The laptop tree: zones, cooling devices, five hwmon chips, RAPL, three supplies. */
Test(hw_live, laptop_tree_matches_node_exporter)
{
	char root[PATH_MAX];

	need_node_exporter();
	cr_expect_geq(compare(fixture_root("laptop", root, sizeof(root))), 50);
}

/* The amdgpu tree: the cards' hwmon chips and node_exporter's drm metrics. */
Test(hw_live, amdgpu_tree_matches_node_exporter)
{
	char root[PATH_MAX];

	need_node_exporter();
	cr_expect_geq(compare(fixture_root("amdgpu", root, sizeof(root))), 25);
}

/* This machine (a VM may have no sensor at all: then both have nothing). */
Test(hw_live, this_machine_matches_node_exporter)
{
	need_node_exporter();
	compare("");
}
