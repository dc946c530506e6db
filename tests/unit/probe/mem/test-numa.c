/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-numa.c - the numa family: nodes, their meminfo, numastat, CPUs, distances. */
#include "mem-test.h"

/* stat_of - the value of line @name in @l, which must be there. */
static uint64_t stat_of(const struct rtlab_vmstat_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].name, name) == 0) {
			cr_assert_eq(l->items[i].value.st, RTLAB_PV_OK, "%s", name);
			return l->items[i].value.v;
		}
	cr_assert_fail("no line %s", name);
	return 0;
}

/* The two-socket server: two nodes, their memory, allocations, CPUs and distances. */
Test(numa, manycore_two_nodes)
{
	struct rtlab_probe_data *d = collect_fixture("manycore", RTLAB_PF_NUMA);
	const struct rtlab_numa_node *n0, *n1;

	cr_assert_eq(d->err[RTLAB_PF_NUMA], 0, "%s", d->why[RTLAB_PF_NUMA]);
	cr_assert_str_empty(d->why[RTLAB_PF_NUMA]);
	cr_assert_eq(d->numa.node_count.v, 2);
	cr_assert_eq(d->numa.n_nodes, 2);
	n0 = &d->numa.nodes[0];
	n1 = &d->numa.nodes[1];
	cr_assert_eq(n0->id, 0);
	cr_assert_eq(n1->id, 1);
	cr_assert_eq(n1->mem.mem_total_bytes.v, 132096016ULL * 1024);
	cr_assert_eq(n1->mem.mem_used_bytes.v, (132096016ULL - 101120344) * 1024);
	cr_assert_eq(n0->mem.file_pages_bytes.v, 18230444ULL * 1024);
	cr_assert_eq(n0->mem.inactive_anon_bytes.v, 3210448ULL * 1024);
	cr_assert_eq(n0->mem.hugepages_free.v, 500);
	cr_assert_eq(n0->mem.mem_available_bytes.st, RTLAB_PV_ABSENT);
	cr_assert_eq(n0->mem.n_extra, 0);
	cr_assert_eq(stat_of(&n0->numastat, "numa_hit"), 1234567890);
	cr_assert_eq(stat_of(&n1->numastat, "other_node"), 998776 + 2304455);
	cr_assert_gt(n1->vmstat.n, 50);
	cr_assert_str_eq(n0->cpulist, "0-15,32-47");
	cr_assert_eq(n0->cpus.v, 32);
	/* CPUs 62 and 63 are offline on this tree: a node lists its online CPUs. */
	cr_assert_eq(n1->cpus.v, 30);
	cr_assert_eq(n1->distance_st, RTLAB_PV_OK);
	cr_assert_eq(n1->n_distance, 2);
	cr_assert_eq(n1->distance[0], 21);
	cr_assert_eq(n1->distance[1], 10);
	/* The nodes' memory adds up to /proc/meminfo's on this tree. */
	cr_assert_eq(n0->mem.mem_total_bytes.v + n1->mem.mem_total_bytes.v,
		     263984304ULL * 1024);
	rtlab_probe_data_free(d);
}

/* The captured machine: one node. */
Test(numa, vm_one_node)
{
	struct rtlab_probe_data *d = collect_fixture("vm", RTLAB_PF_NUMA);

	cr_assert_eq(d->numa.node_count.v, 1);
	cr_assert_eq(d->numa.nodes[0].mem.mem_total_bytes.st, RTLAB_PV_OK);
	cr_assert_eq(d->numa.nodes[0].distance[0], 10);
	cr_assert_str_empty(d->why[RTLAB_PF_NUMA]);
	rtlab_probe_data_free(d);
}

/* node_meminfo_parse: the "Node N" prefix, damaged lines. */
Test(numa, node_meminfo_damaged)
{
	static const char s[] = "Node 0 MemTotal:  100 kB\nNode 0 MemFree:  zz kB\nMemUsed: 1 kB\n"
				"Node 0 HugePages_Total:     3\nNode 0 Slab:  7";
	struct rtlab_meminfo mi;
	struct mem_perr err;

	cr_assert_eq(node_meminfo_parse(s, sizeof(s) - 1, &mi, &err), -EBADMSG);
	cr_assert_eq(err.line, 2);
	cr_assert_eq(mi.mem_total_bytes.v, 102400);
	cr_assert_eq(mi.mem_free_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(mi.mem_used_bytes.st, RTLAB_PV_ABSENT);
	cr_assert_eq(mi.hugepages_total.v, 3);
	cr_assert_eq(mi.slab_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(node_meminfo_parse("Node 0 Newer:  2 kB\n", 20, &mi, &err), 0);
	cr_assert_str_eq(mi.extra[0].metric, "node_memory_numa_Newer");
}

/* numa_distance_parse: one whole line of numbers. */
Test(numa, distance_parse)
{
	struct rtlab_numa_node n = { 0 };
	char many[1024];
	size_t o = 0;

	cr_assert_eq(numa_distance_parse("10 21 31\n", 9, &n), 0);
	cr_assert_eq(n.n_distance, 3);
	cr_assert_eq(n.distance[2], 31);
	cr_assert_eq(numa_distance_parse("10 2x\n", 6, &n), -EBADMSG);
	cr_assert_eq(n.distance_st, RTLAB_PV_MALFORMED);
	cr_assert_eq(n.n_distance, 0);
	cr_assert_eq(numa_distance_parse("10 21", 5, &n), -EBADMSG);
	cr_assert_eq(numa_distance_parse("", 0, &n), -EBADMSG);
	cr_assert_eq(numa_distance_parse("10 99999\n", 9, &n), -EBADMSG);
	for (int i = 0; i < 100; i++)
		o += (size_t)snprintf(many + o, sizeof(many) - o, "%s%d", i ? " " : "", 10 + i);
	many[o++] = '\n';
	cr_assert_eq(numa_distance_parse(many, o, &n), 0);
	cr_assert_eq(n.n_distance, RTLAB_NUMA_DIST_MAX);
}

/* Nodes come and go (memory hotplug): the list follows, sparse ids in order. */
Test(numa, nodes_follow_hotplug)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct rtlab_probe_opts o = { .ttl_slow_ns = 1 };
	char root[PATH_MAX], path[PATH_MAX + 64];
	struct rtlab_probe *p;

	tree_new(root, sizeof(root));
	tree_put(root, "/sys/devices/system/node/node0/meminfo", "Node 0 MemTotal: 4 kB\n");
	tree_put(root, "/sys/devices/system/node/node0/cpulist", "0-3\n");
	tree_put(root, "/sys/devices/system/node/possible", "0-3\n");
	p = probe_at(root, &o);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_NUMA), d), 0);
	cr_assert_eq(d->numa.n_nodes, 1);
	cr_assert_eq(d->numa.nodes[0].cpus.v, 4);
	/* Files a node lacks: their values carry the reason. */
	cr_assert_eq(d->numa.nodes[0].distance_st, RTLAB_PV_ABSENT);
	cr_assert_neq(d->why[RTLAB_PF_NUMA][0], '\0');
	tree_put(root, "/sys/devices/system/node/node12/meminfo", "Node 12 MemTotal: 8 kB\n");
	tree_put(root, "/sys/devices/system/node/node2/meminfo", "Node 2 MemTotal: 16 kB\n");
	usleep(1000);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_NUMA), d), 0);
	cr_assert_eq(d->numa.n_nodes, 3);
	cr_assert_eq(d->numa.nodes[1].id, 2);
	cr_assert_eq(d->numa.nodes[2].id, 12);
	cr_assert_eq(d->numa.nodes[2].mem.mem_total_bytes.v, 8192);
	snprintf(path, sizeof(path), "%s/sys/devices/system/node/node2/meminfo", root);
	cr_assert_eq(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/sys/devices/system/node/node2", root);
	cr_assert_eq(rmdir(path), 0);
	usleep(1000);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_NUMA), d), 0);
	cr_assert_eq(d->numa.n_nodes, 2);
	cr_assert_eq(d->numa.nodes[1].mem.mem_total_bytes.v, 8192);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* A kernel without NUMA (no node directory): the count absent, the directory named. */
Test(numa, no_node_directory)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	collect_one(root, RTLAB_PF_NUMA, d);
	cr_assert_eq(d->numa.node_count.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->numa.n_nodes, 0);
	cr_assert(strstr(d->why[RTLAB_PF_NUMA], "/sys/devices/system/node") != NULL);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* A damaged node file: why names it and its line. */
Test(numa, why_names_node_file_and_line)
{
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	tree_put(root, "/sys/devices/system/node/node0/meminfo",
		 "Node 0 MemTotal: 4 kB\nNode 0 MemFree: ? kB\n");
	collect_one(root, RTLAB_PF_NUMA, d);
	cr_assert_eq(d->numa.nodes[0].mem.mem_free_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert(strstr(d->why[RTLAB_PF_NUMA], "/sys/devices/system/node/node0/meminfo:2") != NULL,
		  "%s", d->why[RTLAB_PF_NUMA]);
	rtlab_probe_data_free(d);
	tree_free(root);
}

/* Metrics: node_exporter's meminfo_numa names with {node}, in runs; the rest rtlab_. */
Test(numa, metrics)
{
	struct rtlab_probe_data *d = collect_fixture("manycore", RTLAB_PF_NUMA);
	struct rec r = rec_emit(d, RTLAB_PF_NUMA);
	const struct got *g;

	cr_assert(rtlab_probe_family_is_slow(RTLAB_PF_NUMA));
	cr_assert_eq(rec_get(&r, "rtlab_numa_nodes", "")->v.u, 2);
	cr_assert_eq(rec_get(&r, "node_memory_numa_MemTotal", "node=1")->v.u, 132096016ULL * 1024);
	cr_assert_eq(rec_get(&r, "node_memory_numa_Active_anon", "node=0")->v.u, 6120340ULL * 1024);
	cr_assert_eq(rec_get(&r, "node_memory_numa_HugePages_Total", "node=1")->v.u, 512);
	cr_assert_null(rec_find(&r, "node_memory_numa_MemAvailable", "node=0"));
	g = rec_get(&r, "node_memory_numa_numa_hit_total", "node=0");
	cr_assert_eq(g->type, RTLAB_METRIC_COUNTER);
	cr_assert_eq(g->v.u, 1234567890);
	rec_get(&r, "node_memory_numa_interleave_hit_total", "node=1");
	cr_assert_eq(rec_get(&r, "rtlab_numa_node_cpus", "node=1")->v.u, 30);
	rec_get(&r, "rtlab_numa_node_info", "node=1,cpulist=16-31,48-61");
	cr_assert_eq(rec_get(&r, "rtlab_numa_distance", "node=0,to=1")->v.u, 21);
	rec_get(&r, "rtlab_numa_vmstat", "node=1,name=nr_free_pages");
	rec_free(&r);
	rtlab_probe_data_free(d);
}
