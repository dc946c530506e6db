/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpu-sets.c - CPU sets: possible, present, isolated, nohz_full, NUMA nodes, first threads. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cpu/cpu-family.h"

#define NODE_SYS "/sys/devices/system/node"

/*
 * read_list - a system CPU list file into s->scratch; its count into @count
 * (may be NULL).  Returns the highest CPU + 1, or -errno (state set, why given).
 */
static int read_list(struct probe_cx *cx, struct cpu_state *s, const char *path,
		     struct rtlab_pu64 *count)
{
	struct cpu_where w = { -1, -1, path };
	char buf[4096];
	uint32_t n, end;
	ssize_t len = probe_read_small(cx->p, path, buf, sizeof(buf));
	int r;

	if (len == (ssize_t)sizeof(buf) - 1)
		len = -EFBIG;
	r = len < 0 ? (int)len : cpu_list_parse(buf, (size_t)len, s->scratch, &n, &end);
	if (r == -ERANGE)
		r = 0;
	if (r < 0) {
		if (count)
			PV_NA(*count, probe_st_from_errno(r));
		if (r != -ENOENT)
			cpu_where_why(cx, &w, r);
		return r;
	}
	if (count)
		PV_SET(*count, n);
	return (int)end;
}

/* cpu_sets - possible and present; the CPU array grown to hold them. */
int cpu_sets(struct probe_cx *cx, struct cpu_state *s)
{
	struct rtlab_probe_cpu *c = &cx->d->cpu;
	static const size_t flag[] = { L_OFF(possible), L_OFF(present) };
	static const char *const path[] = { CPU_SYS "/possible", CPU_SYS "/present" };
	struct rtlab_pu64 *count[] = { &c->possible, &c->present };

	for (size_t k = 0; k < 2; k++) {
		int end = read_list(cx, s, path[k], count[k]);
		int r = end > 0 ? cpu_grow(c, (size_t)end) : 0;

		if (r < 0)
			return r;
		for (size_t i = 0; i < c->ncpus; i++)
			*(bool *)((char *)&c->cpus[i] + flag[k]) =
				end >= 0 ? cpu_list_has(s->scratch, i) : c->cpus[i].online;
	}
	return 0;
}

/* cpu_flags - isolated and nohz_full (0/1 per CPU, absent without the file). */
void cpu_flags(struct probe_cx *cx, struct cpu_state *s)
{
	struct rtlab_probe_cpu *c = &cx->d->cpu;
	static const size_t flag[] = { L_OFF(isolated), L_OFF(nohz_full) };
	static const char *const path[] = { CPU_SYS "/isolated", CPU_SYS "/nohz_full" };

	for (size_t k = 0; k < 2; k++) {
		int end = read_list(cx, s, path[k], NULL);

		for (size_t i = 0; i < c->ncpus; i++) {
			struct rtlab_pu64 *f = (struct rtlab_pu64 *)((char *)&c->cpus[i] + flag[k]);

			if (end >= 0)
				PV_SET(*f, cpu_list_has(s->scratch, i));
			else
				PV_NA(*f, probe_st_from_errno(end));
		}
	}
}

struct node_walk {
	struct probe_cx *cx;
	struct cpu_state *s;
};

/* node_one - nodeN/cpulist: CPU's numa_node = N for each CPU in it. */
static int node_one(const char *name, unsigned char type, void *arg)
{
	struct node_walk *nw = arg;
	struct rtlab_probe_cpu *c = &nw->cx->d->cpu;
	const char *q = name + 4;
	char path[96];
	uint64_t node;

	(void)type;
	if (strncmp(name, "node", 4) != 0 || !pp_u64(&q, q + strlen(q), &node) || *q)
		return 0;
	snprintf(path, sizeof(path), NODE_SYS "/node%u/cpulist", (unsigned)node);
	if (read_list(nw->cx, nw->s, path, NULL) < 0)
		return 0;
	for (size_t i = 0; i < c->ncpus; i++) {
		if (cpu_list_has(nw->s->scratch, i))
			PV_SET(c->cpus[i].numa_node, (int64_t)node);
	}
	return 0;
}

/* cpu_nodes - each CPU's NUMA node from /sys/devices/system/node/node*\/cpulist. */
void cpu_nodes(struct probe_cx *cx, struct cpu_state *s)
{
	struct rtlab_probe_cpu *c = &cx->d->cpu;
	struct node_walk nw = { cx, s };
	int r;

	for (size_t i = 0; i < c->ncpus; i++)
		PV_NA(c->cpus[i].numa_node, RTLAB_PV_ABSENT);
	r = probe_dir_each(cx->p, NODE_SYS, node_one, &nw);
	if (r < 0 && r != -ENOENT)
		probe_why(cx, NODE_SYS ": %s", strerror(-r));
}

/* same_i64 - both values read and equal. */
static bool same_i64(struct rtlab_pi64 a, struct rtlab_pi64 b)
{
	return a.st == RTLAB_PV_OK && b.st == RTLAB_PV_OK && a.v == b.v;
}

/* cpu_firsts - which online CPU is the first of its core and of its package. */
void cpu_firsts(struct rtlab_probe_cpu *c)
{
	for (size_t i = 0; i < c->ncpus; i++) {
		struct rtlab_cpu_logical *l = &c->cpus[i];

		l->first_thread = l->online && l->core_id.st == RTLAB_PV_OK;
		l->first_in_package = l->online && l->package_id.st == RTLAB_PV_OK;
		for (size_t j = 0; j < i && (l->first_thread || l->first_in_package); j++) {
			const struct rtlab_cpu_logical *o = &c->cpus[j];

			if (!o->online || !same_i64(o->package_id, l->package_id))
				continue;
			l->first_in_package = false;
			if (same_i64(o->die_id, l->die_id) && same_i64(o->core_id, l->core_id))
				l->first_thread = false;
		}
	}
}
