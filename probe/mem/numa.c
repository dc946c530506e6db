/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numa.c - the numa family: each /sys/devices/system/node/nodeN (meminfo,
 * numastat, vmstat, cpulist, distance).  Slow: five files per node.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "mem/mem-family.h"
#include "probe-parse.h"

#define NODE_DIR "/sys/devices/system/node"
#define NUMA_SCAN_MAX 1024	/* the kernel's MAX_NUMNODES at most */

/* One node's files, opened once while the node exists. */
struct numa_src {
	uint32_t id;
	struct probe_src meminfo, numastat, vmstat, cpulist, distance;
};

struct numa_state {
	int dirfd;			/* NODE_DIR, opened once and re-read; -1: not open */
	struct numa_src *nodes;		/* in ascending id, as the data's nodes */
	size_t n, cap;
};

/* The node ids a directory scan found. */
struct node_scan {
	uint32_t ids[NUMA_SCAN_MAX];
	size_t n;
};

/* numa_open - nothing to open before the first scan. */
static int numa_open(struct rtlab_probe *p, void **state)
{
	struct numa_state *s = calloc(1, sizeof(*s));

	(void)p;
	if (!s)
		return -ENOMEM;
	s->dirfd = -1;
	*state = s;
	return 0;
}

/* src_close - one node's files. */
static void src_close(struct numa_src *n)
{
	probe_src_close(&n->meminfo);
	probe_src_close(&n->numastat);
	probe_src_close(&n->vmstat);
	probe_src_close(&n->cpulist);
	probe_src_close(&n->distance);
}

/* numa_close - every node's files. */
static void numa_close(void *state)
{
	struct numa_state *s = state;

	for (size_t i = 0; i < s->n; i++)
		src_close(&s->nodes[i]);
	if (s->dirfd >= 0)
		close(s->dirfd);
	free(s->nodes);
	free(s);
}

/* numa_release - the nodes' lists, then the nodes. */
static void numa_release(struct rtlab_probe_data *d)
{
	for (size_t i = 0; i < d->numa.nodes_cap; i++)
		numa_node_free(&d->numa.nodes[i]);
	free(d->numa.nodes);
	d->numa.nodes = NULL;
	d->numa.n_nodes = 0;
	d->numa.nodes_cap = 0;
}

/* scan_one - keep the id of a "node<N>" entry. */
static int scan_one(const char *name, unsigned char type, void *arg)
{
	struct node_scan *sc = arg;
	const char *p = name + 4, *end;
	uint64_t id;
	size_t i;

	(void)type;
	if (strncmp(name, "node", 4) != 0 || *p < '0' || *p > '9')
		return 0;
	end = p + strlen(p);
	if (!pp_u64(&p, end, &id) || p != end || id > UINT32_MAX || sc->n >= NUMA_SCAN_MAX)
		return 0;
	/* Insertion keeps the ids sorted: the distance files follow node order. */
	for (i = sc->n++; i > 0 && sc->ids[i - 1] > id; i--)
		sc->ids[i] = sc->ids[i - 1];
	sc->ids[i] = (uint32_t)id;
	return 0;
}

/* src_init - the files of node @id. */
static void src_init(struct numa_src *n, uint32_t id)
{
	n->id = id;
	probe_src_init(&n->meminfo, NODE_DIR "/node%u/meminfo", id);
	probe_src_init(&n->numastat, NODE_DIR "/node%u/numastat", id);
	probe_src_init(&n->vmstat, NODE_DIR "/node%u/vmstat", id);
	probe_src_init(&n->cpulist, NODE_DIR "/node%u/cpulist", id);
	probe_src_init(&n->distance, NODE_DIR "/node%u/distance", id);
}

/* numa_sync - the sources follow the nodes found (only when they changed: hotplug). */
static int numa_sync(struct numa_state *s, const struct node_scan *sc)
{
	bool same = s->n == sc->n;

	for (size_t i = 0; same && i < sc->n; i++)
		same = s->nodes[i].id == sc->ids[i];
	if (same)
		return 0;
	for (size_t i = 0; i < s->n; i++)
		src_close(&s->nodes[i]);
	s->n = 0;
	if (probe_grow((void **)&s->nodes, &s->cap, sc->n, sizeof(*s->nodes)) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < sc->n; i++)
		src_init(&s->nodes[i], sc->ids[i]);
	s->n = sc->n;
	return 0;
}

/* node_list - numastat or vmstat of a node into @l. */
static int node_list(struct probe_cx *cx, struct probe_src *src, struct rtlab_vmstat_list *l,
		     const char *prefix, const char *suffix)
{
	struct mem_perr err;
	bool changed;
	ssize_t n = mem_src_read(cx, src);
	int r;

	if (n < 0) {
		stat_list_mark(l, probe_st_from_errno((int)n));
		return n == -ENOMEM ? -ENOMEM : 0;
	}
	r = stat_list_parse(src->buf, (size_t)n, l, prefix, suffix, &changed, &err);
	if (r == -EBADMSG)
		mem_why_parse(cx, src, &err);
	return r == -ENOMEM ? r : 0;
}

/* node_cpus - the node's CPU list, kept as printed and counted. */
static void node_cpus(struct probe_cx *cx, struct probe_src *src, struct rtlab_numa_node *node)
{
	ssize_t n = mem_src_read(cx, src);
	cpu_set_t set;

	node->cpulist[0] = '\0';
	if (n < 0) {
		PV_NA(node->cpus, probe_st_from_errno((int)n));
		return;
	}
	if (n == 0 || src->buf[n - 1] != '\n' || rtlab_cpulist_parse(src->buf, &set, NULL) < 0) {
		PV_NA(node->cpus, RTLAB_PV_MALFORMED);
		probe_why(cx, "%s:1: not a CPU list", src->path);
		return;
	}
	pp_copy(node->cpulist, sizeof(node->cpulist), src->buf, (size_t)n - 1);
	PV_SET(node->cpus, (uint64_t)CPU_COUNT(&set));
}

/* node_collect - every file of one node. */
static int node_collect(struct probe_cx *cx, struct numa_src *src, struct rtlab_numa_node *node)
{
	struct mem_perr err;
	ssize_t n;

	node->id = src->id;
	n = mem_src_read(cx, &src->meminfo);
	if (n < 0)
		meminfo_mark(&node->mem, probe_st_from_errno((int)n));
	else if (node_meminfo_parse(src->meminfo.buf, (size_t)n, &node->mem, &err) < 0)
		mem_why_parse(cx, &src->meminfo, &err);
	if (node_list(cx, &src->numastat, &node->numastat, "node_memory_numa_", "_total") < 0 ||
	    node_list(cx, &src->vmstat, &node->vmstat, NULL, NULL) < 0)
		return -ENOMEM;
	node_cpus(cx, &src->cpulist, node);
	n = mem_src_read(cx, &src->distance);
	if (n < 0) {
		node->n_distance = 0;
		node->distance_st = probe_st_from_errno((int)n);
	} else if (numa_distance_parse(src->distance.buf, (size_t)n, node) < 0) {
		probe_why(cx, "%s:1: not a list of distances", src->distance.path);
	}
	return n == -ENOMEM ? -ENOMEM : 0;
}

/* scan_nodes - the node directory's "nodeN" entries (its fd kept open, re-read each time). */
static int scan_nodes(struct probe_cx *cx, struct numa_state *s, struct node_scan *sc)
{
	char path[PATH_MAX];
	int r;

	if (s->dirfd < 0) {
		r = probe_path(cx->p, NODE_DIR, path, sizeof(path));
		if (r < 0)
			return r;
		s->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (s->dirfd < 0)
			return -errno;
	}
	sc->n = 0;
	r = probe_dirfd_each(s->dirfd, scan_one, sc);
	if (r < 0) {
		close(s->dirfd);
		s->dirfd = -1;
	}
	return r;
}

/* numa_collect - find the nodes, then read each. */
static int numa_collect(struct probe_cx *cx, void *state)
{
	struct rtlab_probe_numa *nu = &cx->d->numa;
	struct node_scan sc;
	int r = scan_nodes(cx, state, &sc);

	if (r < 0) {
		nu->n_nodes = 0;
		PV_NA(nu->node_count, probe_st_from_errno(r));
		probe_why(cx, "%s: %s", NODE_DIR, strerror(-r));
		return r;
	}
	r = numa_sync(state, &sc);
	if (r < 0 || probe_grow((void **)&nu->nodes, &nu->nodes_cap, sc.n, sizeof(*nu->nodes)) < 0)
		return -ENOMEM;
	nu->n_nodes = sc.n;
	PV_SET(nu->node_count, sc.n);
	for (size_t i = 0; i < sc.n; i++)
		if (node_collect(cx, &((struct numa_state *)state)->nodes[i], &nu->nodes[i]) < 0)
			return -ENOMEM;
	return 0;
}

#define ID_STR 16

/* id_str - a node id as a label value, in @buf (ID_STR bytes). */
static const char *id_str(unsigned id, char *buf)
{
	snprintf(buf, ID_STR, "%u", id);
	return buf;
}

/* A per-node series whose metric names come from the data (numastat lines, meminfo extras). */
struct series {
	size_t (*count)(const struct rtlab_numa_node *n);
	const char *(*name)(const struct rtlab_numa_node *n, size_t j);
	struct rtlab_mval (*value)(const struct rtlab_numa_node *n, size_t j);
	const char *help;
	enum rtlab_metric_type type;
};

/* series_find - the index of @name in node @n's series, or -1. */
static long series_find(const struct series *s, const struct rtlab_numa_node *n, const char *name,
			size_t before)
{
	for (size_t j = 0; j < s->count(n) && j < before; j++)
		if (strcmp(s->name(n, j), name) == 0)
			return (long)j;
	return -1;
}

/* series_seen - was @name emitted already (an earlier node, or earlier in node @i)? */
static bool series_seen(const struct series *s, const struct rtlab_probe_numa *nu, size_t i,
			size_t j, const char *name)
{
	for (size_t k = 0; k < i; k++)
		if (series_find(s, &nu->nodes[k], name, SIZE_MAX) >= 0)
			return true;
	return series_find(s, &nu->nodes[i], name, j) >= 0;
}

/* emit_series - each name of the series once, with one sample per node that has it. */
static void emit_series(struct probe_emit *e, const struct rtlab_probe_numa *nu,
			const struct series *s)
{
	char label[ID_STR];

	for (size_t i = 0; i < nu->n_nodes; i++) {
		for (size_t j = 0; j < s->count(&nu->nodes[i]); j++) {
			const char *name = s->name(&nu->nodes[i], j);
			struct rtlab_metric m = { name, s->help, s->type };

			if (!name[0] || series_seen(s, nu, i, j, name))
				continue;
			for (size_t k = i; k < nu->n_nodes; k++) {
				long x = series_find(s, &nu->nodes[k], name, SIZE_MAX);

				if (x >= 0)
					pe_emitl(e, &m, s->value(&nu->nodes[k], (size_t)x),
						 { "node", id_str(nu->nodes[k].id, label) });
			}
		}
	}
}

/* numastat_count - the numastat series: how many lines node @n has. */
static size_t numastat_count(const struct rtlab_numa_node *n)
{
	return n->numastat.n;
}

/* numastat_name - its line @j's metric name. */
static const char *numastat_name(const struct rtlab_numa_node *n, size_t j)
{
	return n->numastat.items[j].metric;
}

/* numastat_value - its line @j's value. */
static struct rtlab_mval numastat_value(const struct rtlab_numa_node *n, size_t j)
{
	return mv_u64(n->numastat.items[j].value);
}

/* extra_count - the meminfo keys of node @n without a named field: how many. */
static size_t extra_count(const struct rtlab_numa_node *n)
{
	return n->mem.n_extra;
}

/* extra_name - key @j's metric name. */
static const char *extra_name(const struct rtlab_numa_node *n, size_t j)
{
	return n->mem.extra[j].metric;
}

/* extra_value - key @j's value. */
static struct rtlab_mval extra_value(const struct rtlab_numa_node *n, size_t j)
{
	return mv_u64(n->mem.extra[j].value);
}

static const struct series s_numastat = {
	numastat_count, numastat_name, numastat_value,
	"NUMA allocation counter of the node (numastat), pages.", RTLAB_METRIC_COUNTER
};
static const struct series s_extra = {
	extra_count, extra_name, extra_value, "Memory information field of the node.",
	RTLAB_METRIC_GAUGE
};

/* emit_meminfo - node_memory_numa_<Key>{node} for each key some node prints. */
static void emit_meminfo(struct probe_emit *e, const struct rtlab_probe_numa *nu)
{
	char label[ID_STR];

	for (size_t i = 0; i < meminfo_nkeys; i++) {
		const struct meminfo_key *k = &meminfo_keys[i];
		struct rtlab_metric m = { k->numa_metric, k->help, RTLAB_METRIC_GAUGE };
		bool any = false;

		for (size_t n = 0; n < nu->n_nodes; n++)
			any = any || meminfo_cfield(&nu->nodes[n].mem, k)->st != RTLAB_PV_ABSENT;
		for (size_t n = 0; any && n < nu->n_nodes; n++)
			pe_emitl(e, &m, mv_u64(*meminfo_cfield(&nu->nodes[n].mem, k)),
				 { "node", id_str(nu->nodes[n].id, label) });
	}
	emit_series(e, nu, &s_extra);
}

static const struct rtlab_metric m_nodes = {
	"rtlab_numa_nodes", "NUMA nodes (/sys/devices/system/node/node*).", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_cpus = {
	"rtlab_numa_node_cpus", "CPUs of the NUMA node.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_info = {
	"rtlab_numa_node_info", "The NUMA node's CPU list.", RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_distance = {
	"rtlab_numa_distance", "Relative distance from node to node (10: local).",
	RTLAB_METRIC_GAUGE
};
static const struct rtlab_metric m_vmstat = {
	"rtlab_numa_vmstat", "The node's share of a /proc/vmstat line (nodeN/vmstat).",
	RTLAB_METRIC_GAUGE
};

/* emit_node_facts - CPUs and distances. */
static void emit_node_facts(struct probe_emit *e, const struct rtlab_probe_numa *nu)
{
	const struct rtlab_numa_node *nodes = nu->nodes;
	char label[ID_STR], to[ID_STR];

	for (size_t n = 0; n < nu->n_nodes; n++)
		pe_emitl(e, &m_cpus, mv_u64(nodes[n].cpus),
			 { "node", id_str(nodes[n].id, label) });
	for (size_t n = 0; n < nu->n_nodes; n++)
		pe_emitl(e, &m_info, mv_one(nodes[n].cpus.st),
			 { "node", id_str(nodes[n].id, label) }, { "cpulist", nodes[n].cpulist });
	for (size_t n = 0; n < nu->n_nodes; n++) {
		id_str(nodes[n].id, label);
		/* The i-th distance is to the i-th online node: the nodes in ascending id. */
		for (size_t i = 0; i < nodes[n].n_distance; i++) {
			struct rtlab_pu64 dist = { nodes[n].distance[i], nodes[n].distance_st };
			unsigned to_id = i < nu->n_nodes ? nodes[i].id : (unsigned)i;

			pe_emitl(e, &m_distance, mv_u64(dist), { "node", label },
				 { "to", id_str(to_id, to) });
		}
	}
}

/* numa_emit - node_exporter's meminfo_numa metrics, then the rest with an rtlab_ prefix. */
static void numa_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	const struct rtlab_probe_numa *nu = &d->numa;
	char label[ID_STR];

	pe_emit(e, &m_nodes, mv_u64(nu->node_count));
	emit_meminfo(e, nu);
	emit_series(e, nu, &s_numastat);
	emit_node_facts(e, nu);
	for (size_t n = 0; n < nu->n_nodes; n++) {
		const struct rtlab_vmstat_list *l = &nu->nodes[n].vmstat;

		id_str(nu->nodes[n].id, label);
		for (size_t i = 0; i < l->n; i++)
			pe_emitl(e, &m_vmstat, mv_u64(l->items[i].value), { "node", label },
				 { "name", l->items[i].name });
	}
}

const struct probe_family probe_fam_numa = {
	.name = "numa",
	.id = RTLAB_PF_NUMA,
	.slow = true,
	.open = numa_open,
	.close = numa_close,
	.collect = numa_collect,
	.emit = numa_emit,
	.release = numa_release,
};
