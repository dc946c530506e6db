/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-meminfo.c - the mem family: meminfo and swaps parsers, derived values, metrics. */
#include "mem-test.h"

/* parse_str - meminfo_parse of a string; returns its result. */
static int parse_str(const char *s, struct rtlab_meminfo *mi, struct mem_perr *err)
{
	return meminfo_parse(s, strlen(s), mi, err);
}

/* The key table: one distinct slot per key, every slot of the struct reached. */
Test(meminfo, key_table_covers_every_field_once)
{
	size_t slots = offsetof(struct rtlab_meminfo, extra) / sizeof(struct rtlab_pu64);

	cr_assert_eq(meminfo_nkeys, slots, "%zu keys for %zu fields", meminfo_nkeys, slots);
	for (size_t i = 0; i < meminfo_nkeys; i++) {
		const struct meminfo_key *k = &meminfo_keys[i];
		size_t cursor = (i * 7) % meminfo_nkeys;

		cr_assert_eq(k->len, strlen(k->key), "%s", k->key);
		cr_assert_eq(k->off % sizeof(struct rtlab_pu64), 0);
		cr_assert(rtlab_prom_name_valid(k->metric, false), "%s", k->metric);
		cr_assert(rtlab_prom_name_valid(k->numa_metric, false), "%s", k->numa_metric);
		/* Found from any starting point, and the cursor moves past it. */
		cr_assert_eq(meminfo_key_find(k->key, k->len, &cursor), (int)i, "%s", k->key);
		cr_assert_eq(cursor, i + 1);
		for (size_t j = 0; j < i; j++)
			cr_assert_neq(meminfo_keys[j].off, k->off, "%s and %s share a field",
				      meminfo_keys[j].key, k->key);
	}
	cr_assert_eq(meminfo_key_find("MemTota", 7, &(size_t){ 0 }), -1);
	cr_assert_eq(meminfo_key_find("", 0, &(size_t){ 0 }), -1);
}

/* Every line of the captured file lands in a named field, in bytes (or a count), exactly. */
Test(meminfo, vm_fixture_every_key_read_exactly)
{
	size_t len;
	char *buf = fixture_load("vm", "/proc/meminfo", &len);
	struct rtlab_meminfo mi;
	struct mem_perr err;
	unsigned long long v;

	cr_assert_eq(meminfo_parse(buf, len, &mi, &err), 0, "line %u: %s", err.line, err.what);
	cr_assert_eq(mi.n_extra, 0, "unknown key %s", mi.n_extra ? mi.extra[0].name : "");
	for (size_t i = 0; i < meminfo_nkeys; i++) {
		const struct meminfo_key *k = &meminfo_keys[i];
		const struct rtlab_pu64 *f = meminfo_cfield(&mi, k);

		if (!kv_value(buf, k->key, &v)) {
			cr_assert_eq(f->st, RTLAB_PV_ABSENT, "%s not in the file", k->key);
			continue;
		}
		cr_assert_eq(f->st, RTLAB_PV_OK, "%s", k->key);
		cr_assert_eq(f->v, k->kb ? v * 1024 : v, "%s", k->key);
	}
	cr_assert_eq(mi.high_total_bytes.st, RTLAB_PV_ABSENT);
	cr_assert_eq(mi.mem_used_bytes.st, RTLAB_PV_ABSENT);
	free(buf);
}

/* The hand-made server: hugepages are counts, "HardwareCorrupted: %5lu" reads too. */
Test(meminfo, manycore_fixture)
{
	size_t len;
	char *buf = fixture_load("manycore", "/proc/meminfo", &len);
	struct rtlab_meminfo mi;
	struct mem_perr err;

	cr_assert_eq(meminfo_parse(buf, len, &mi, &err), 0);
	cr_assert_eq(mi.mem_total_bytes.v, 263984304ULL * 1024);
	cr_assert_eq(mi.hugepages_total.v, 1024);
	cr_assert_eq(mi.hugepages_rsvd.v, 8);
	cr_assert_eq(mi.hugepagesize_bytes.v, 2048 * 1024);
	cr_assert_eq(mi.hardware_corrupted_bytes.st, RTLAB_PV_OK);
	cr_assert_eq(mi.cma_total_bytes.st, RTLAB_PV_OK);
	cr_assert_eq(mi.direct_map_1g_bytes.v, 243269632ULL * 1024);
	cr_assert_eq(mi.direct_map_4m_bytes.st, RTLAB_PV_ABSENT);
	free(buf);
}

/* Keys out of the kernel's order are found all the same. */
Test(meminfo, any_order)
{
	struct rtlab_meminfo mi;
	struct mem_perr err;

	cr_assert_eq(parse_str("DirectMap1G: 4 kB\nHugePages_Free: 3\nMemFree: 2 kB\n"
			       "Active(anon): 5 kB\nMemTotal: 1 kB\n", &mi, &err), 0);
	cr_assert_eq(mi.mem_total_bytes.v, 1024);
	cr_assert_eq(mi.mem_free_bytes.v, 2048);
	cr_assert_eq(mi.hugepages_free.v, 3);
	cr_assert_eq(mi.direct_map_1g_bytes.v, 4096);
	cr_assert_eq(mi.active_anon_bytes.v, 5120);
	cr_assert_eq(mi.n_extra, 0);
}

/* A value that is not a number: that field only, the line named. */
Test(meminfo, bad_value_is_malformed_with_its_line)
{
	struct rtlab_meminfo mi;
	struct mem_perr err;

	cr_assert_eq(parse_str("MemTotal: 100 kB\nMemFree: xyz kB\nMemAvailable: 50 kB\n", &mi,
			       &err), -EBADMSG);
	cr_assert_eq(mi.mem_free_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(mi.mem_total_bytes.v, 102400);
	cr_assert_eq(mi.mem_available_bytes.v, 51200);
	cr_assert_eq(err.line, 2);
	cr_assert_str_eq(err.what, "MemFree");
}

/* A line cut in the middle of its number is not trusted; a cut key names its line. */
Test(meminfo, truncated_mid_line)
{
	struct rtlab_meminfo mi;
	struct mem_perr err;

	cr_assert_eq(parse_str("MemTotal: 100 kB\nMemFree: 12", &mi, &err), -EBADMSG);
	cr_assert_eq(mi.mem_total_bytes.st, RTLAB_PV_OK);
	cr_assert_eq(mi.mem_free_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(mi.mem_available_bytes.st, RTLAB_PV_ABSENT);
	cr_assert_eq(parse_str("MemTotal: 100 kB\nMemFr", &mi, &err), -EBADMSG);
	cr_assert_eq(err.line, 2);
	cr_assert_eq(mi.mem_free_bytes.st, RTLAB_PV_ABSENT);
}

/* Wrong unit for the key, or bytes beyond 64 bits: malformed, not guessed. */
Test(meminfo, unit_and_overflow)
{
	struct rtlab_meminfo mi;
	struct mem_perr err;

	cr_assert_eq(parse_str("HugePages_Total: 5 kB\nMemTotal: 7\nMemFree: 7 MB\n"
			       "Cached: 18014398509481984 kB\nBuffers: 99999999999999999999 kB\n"
			       "Dirty: 18014398509481983 kB\n", &mi, &err), -EBADMSG);
	cr_assert_eq(mi.hugepages_total.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(mi.mem_total_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(mi.mem_free_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(mi.cached_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(mi.buffers_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(mi.dirty_bytes.v, 18014398509481983ULL * 1024);
	cr_assert_eq(err.line, 1);
}

/* Keys a future kernel adds are kept, with node_exporter's mangled names. */
Test(meminfo, unknown_keys_kept)
{
	struct rtlab_meminfo mi;
	struct mem_perr err;

	cr_assert_eq(parse_str("MemTotal: 1 kB\nFancyNew:   5 kB\nOddCount: 7\nWeird(key): 3 kB\n"
			       "Bad.Name: 2 kB\n", &mi, &err), 0);
	cr_assert_eq(mi.n_extra, 4);
	cr_assert_str_eq(mi.extra[0].name, "FancyNew");
	cr_assert_eq(mi.extra[0].value.v, 5120);
	cr_assert(mi.extra[0].bytes);
	cr_assert_str_eq(mi.extra[0].metric, "node_memory_FancyNew_bytes");
	cr_assert_eq(mi.extra[1].value.v, 7);
	cr_assert_not(mi.extra[1].bytes);
	cr_assert_str_eq(mi.extra[1].metric, "node_memory_OddCount");
	cr_assert_str_eq(mi.extra[2].name, "Weird(key)");
	cr_assert_str_eq(mi.extra[2].metric, "node_memory_Weird_key_bytes");
	cr_assert_str_eq(mi.extra[3].metric, "node_memory_Bad_Name_bytes");
	/* An unknown key with a bad value is kept as malformed. */
	cr_assert_eq(parse_str("Newer: x kB\n", &mi, &err), -EBADMSG);
	cr_assert_eq(mi.n_extra, 1);
	cr_assert_eq(mi.extra[0].value.st, RTLAB_PV_MALFORMED);
}

/* More unknown keys than the array holds: counted, never overflowing. */
Test(meminfo, unknown_keys_bounded)
{
	char buf[4096];
	size_t o = 0;
	struct rtlab_meminfo mi;
	struct mem_perr err;

	for (int i = 0; i < RTLAB_MEMINFO_EXTRA_MAX + 8; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "Future%d: %d kB\n", i, i);
	cr_assert_eq(meminfo_parse(buf, o, &mi, &err), 0);
	cr_assert_eq(mi.n_extra, RTLAB_MEMINFO_EXTRA_MAX);
	cr_assert_eq(mi.n_extra_dropped, 8);
	cr_assert_str_eq(mi.extra[RTLAB_MEMINFO_EXTRA_MAX - 1].name, "Future31");
}

/* Lines without a key, blank lines and a NUL inside never crash and name their line. */
Test(meminfo, garbage_lines)
{
	static const char s[] = "MemTotal: 1 kB\n\nno colon here\n: 5 kB\nMem\0Free: 2 kB\n";
	struct rtlab_meminfo mi;
	struct mem_perr err;

	cr_assert_eq(meminfo_parse(s, sizeof(s) - 1, &mi, &err), -EBADMSG);
	cr_assert_eq(err.line, 3);
	cr_assert_eq(mi.mem_total_bytes.v, 1024);
	cr_assert_eq(mi.mem_free_bytes.st, RTLAB_PV_ABSENT);
}

/* used = total - available; the shares; swap used. */
Test(meminfo, derived_values)
{
	struct rtlab_probe_mem m = { 0 };
	struct mem_perr err;

	cr_assert_eq(parse_str("MemTotal: 1000 kB\nMemAvailable: 250 kB\nSwapTotal: 400 kB\n"
			       "SwapFree: 300 kB\n", &m.info, &err), 0);
	mem_derive(&m);
	cr_assert_eq(m.used_bytes.v, 750 * 1024);
	cr_assert_float_eq(m.used_percent.v, 75.0, 1e-9);
	cr_assert_float_eq(m.available_percent.v, 25.0, 1e-9);
	cr_assert_eq(m.swap_used_bytes.v, 100 * 1024);
	cr_assert_float_eq(m.swap_used_percent.v, 25.0, 1e-9);
	/* No swap: no share of it; no MemAvailable (before 3.14): no used. */
	cr_assert_eq(parse_str("MemTotal: 1000 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n", &m.info,
			       &err), 0);
	mem_derive(&m);
	cr_assert_eq(m.swap_used_bytes.v, 0);
	cr_assert_eq(m.swap_used_percent.st, RTLAB_PV_ABSENT);
	cr_assert_eq(m.used_bytes.st, RTLAB_PV_ABSENT);
	cr_assert_eq(m.used_percent.st, RTLAB_PV_ABSENT);
	/* MemTotal 0 makes no share. */
	cr_assert_eq(parse_str("MemTotal: 0 kB\nMemAvailable: 0 kB\n", &m.info, &err), 0);
	mem_derive(&m);
	cr_assert_eq(m.used_percent.st, RTLAB_PV_MALFORMED);
}

/* /proc/swaps: the escaped path unescaped, sizes in bytes, priorities. */
Test(meminfo, swaps_manycore)
{
	size_t len;
	char *buf = fixture_load("manycore", "/proc/swaps", &len);
	struct rtlab_probe_mem m = { 0 };
	struct mem_perr err;

	cr_assert_eq(swaps_parse(buf, len, &m, &err), 0);
	cr_assert_eq(m.n_swaps, 2);
	cr_assert_str_eq(m.swaps[0].name, "/dev/nvme0n1p3");
	cr_assert_str_eq(m.swaps[0].type, "partition");
	cr_assert_eq(m.swaps[0].size_bytes.v, 8388604ULL * 1024);
	cr_assert_eq(m.swaps[0].used_bytes.v, 1048576ULL * 1024);
	cr_assert_eq(m.swaps[0].priority.v, -2);
	cr_assert_str_eq(m.swaps[1].name, "/var/swap file");
	cr_assert_str_eq(m.swaps[1].type, "file");
	cr_assert_eq(m.swaps[1].priority.v, -3);
	mem_free_arrays(&m);
	free(buf);
}

/* A damaged swap line: its numbers malformed, the line named; a cut one too. */
Test(meminfo, swaps_damaged)
{
	static const char s[] = "Filename\tType\tSize\tUsed\tPriority\n"
				"/dev/sda2 partition 10 x -1\n/swap file 20 1 5\n/cut file 30 2";
	struct rtlab_probe_mem m = { 0 };
	struct mem_perr err;

	cr_assert_eq(swaps_parse(s, sizeof(s) - 1, &m, &err), -EBADMSG);
	cr_assert_eq(err.line, 2);
	cr_assert_eq(m.n_swaps, 3);
	cr_assert_eq(m.swaps[0].used_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(m.swaps[0].size_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(m.swaps[1].priority.v, 5);
	cr_assert_eq(m.swaps[2].priority.st, RTLAB_PV_MALFORMED);
	mem_free_arrays(&m);
}

/* The family on the fixtures: no swap, no /proc/swaps read; swap, its areas. */
Test(meminfo, family_on_fixtures)
{
	struct rtlab_probe_data *d = collect_fixture("vm", RTLAB_PF_MEM);

	cr_assert_eq(d->err[RTLAB_PF_MEM], 0, "%s", d->why[RTLAB_PF_MEM]);
	cr_assert_str_empty(d->why[RTLAB_PF_MEM]);
	cr_assert_eq(d->mem.info.mem_total_bytes.st, RTLAB_PV_OK);
	cr_assert_eq(d->mem.used_bytes.v,
		     d->mem.info.mem_total_bytes.v - d->mem.info.mem_available_bytes.v);
	cr_assert_eq(d->mem.swap_devices.v, 0);
	rtlab_probe_data_free(d);

	d = collect_fixture("manycore", RTLAB_PF_MEM);
	cr_assert_eq(d->mem.swap_devices.v, 2);
	cr_assert_eq(d->mem.swap_used_bytes.v, (12582904ULL - 11534328) * 1024);
	rtlab_probe_data_free(d);
}

/* A missing /proc/meminfo: every field absent, the file named; missing /proc/swaps too. */
Test(meminfo, family_missing_files)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	collect_one(root, RTLAB_PF_MEM, d);
	cr_assert_eq(d->err[RTLAB_PF_MEM], -ENOENT);
	cr_assert_eq(d->mem.info.mem_total_bytes.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->mem.used_bytes.st, RTLAB_PV_ABSENT);
	cr_assert(strstr(d->why[RTLAB_PF_MEM], "/proc/meminfo") != NULL, "%s",
		  d->why[RTLAB_PF_MEM]);

	tree_put(root, "/proc/meminfo", "MemTotal: 8 kB\nSwapTotal: 4 kB\nSwapFree: 4 kB\n");
	collect_one(root, RTLAB_PF_MEM, d);
	cr_assert_eq(d->err[RTLAB_PF_MEM], 0);
	cr_assert_eq(d->mem.swap_devices.st, RTLAB_PV_ABSENT);
	cr_assert(strstr(d->why[RTLAB_PF_MEM], "/proc/swaps") != NULL, "%s", d->why[RTLAB_PF_MEM]);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* A damaged /proc/meminfo: the field malformed, the why names /proc/meminfo:LINE. */
Test(meminfo, family_why_names_file_and_line)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/meminfo", "MemTotal: 8 kB\nMemFree: xyz kB\n");
	collect_one(root, RTLAB_PF_MEM, d);
	cr_assert_eq(d->mem.info.mem_free_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert(strstr(d->why[RTLAB_PF_MEM], "/proc/meminfo:2") != NULL, "%s",
		  d->why[RTLAB_PF_MEM]);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* Metrics: node_exporter's names and units, swap areas by device, all in runs. */
Test(meminfo, metrics)
{
	struct rtlab_probe_data *d = collect_fixture("manycore", RTLAB_PF_MEM);
	struct rec r = rec_emit(d, RTLAB_PF_MEM);

	cr_assert_eq(rec_get(&r, "node_memory_MemAvailable_bytes", "")->v.u,
		     221700134ULL * 1024);
	cr_assert_eq(rec_get(&r, "node_memory_Active_anon_bytes", "")->v.u, 11440452ULL * 1024);
	cr_assert_eq(rec_get(&r, "node_memory_HugePages_Total", "")->v.u, 1024);
	cr_assert_eq(rec_get(&r, "node_memory_HighTotal_bytes", "")->v.st, RTLAB_PV_ABSENT);
	cr_assert_null(rec_find(&r, "node_memory_MemUsed_bytes", ""));
	cr_assert_float_eq(rec_get(&r, "rtlab_memory_used_ratio", "")->v.f,
			   (263984304.0 - 221700134.0) / 263984304.0, 1e-9);
	cr_assert_eq(rec_get(&r, "rtlab_swap_device_size_bytes", "device=/var/swap file")->v.u,
		     4194300ULL * 1024);
	cr_assert_eq(rec_get(&r, "rtlab_swap_device_priority", "device=/dev/nvme0n1p3")->v.i, -2);
	rec_get(&r, "rtlab_swap_device_info", "device=/dev/nvme0n1p3,type=partition");
	rec_free(&r);
	rtlab_probe_data_free(d);
}
