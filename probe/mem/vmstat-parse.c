/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmstat-parse.c - /proc/vmstat: every line, the named fields, counters' rates. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "mem/mem-parse.h"
#include "probe-internal.h"

/* A line of /proc/vmstat with a named field of its own (the field has the kernel's name). */
struct vmstat_named {
	const char *name;
	uint16_t off;		/* offsetof(struct rtlab_probe_vmstat, field) */
};

#define N(f) { #f, offsetof(struct rtlab_probe_vmstat, f) }

static const struct vmstat_named named[] = {
	N(nr_free_pages), N(nr_dirty), N(nr_writeback), N(nr_dirty_threshold),
	N(nr_dirty_background_threshold), N(pgpgin), N(pgpgout), N(pswpin), N(pswpout),
	N(pgfault), N(pgmajfault), N(pgfree), N(pgactivate), N(pgdeactivate), N(pgrefill),
	N(pgsteal_kswapd), N(pgsteal_direct), N(pgsteal_khugepaged), N(pgsteal_anon),
	N(pgsteal_file), N(pgscan_kswapd), N(pgscan_direct), N(pgscan_khugepaged),
	N(pgscan_direct_throttle), N(pgscan_anon), N(pgscan_file), N(pginodesteal),
	N(slabs_scanned), N(kswapd_inodesteal), N(pageoutrun), N(allocstall_dma32),
	N(allocstall_normal), N(allocstall_movable), N(compact_stall), N(compact_fail),
	N(compact_success), N(oom_kill), N(workingset_nodes), N(workingset_refault_anon),
	N(workingset_refault_file), N(workingset_activate_anon), N(workingset_activate_file),
	N(workingset_restore_anon), N(workingset_restore_file), N(workingset_nodereclaim),
	N(thp_fault_alloc), N(thp_fault_fallback), N(thp_collapse_alloc),
	N(thp_collapse_alloc_failed), N(thp_split_page), N(thp_split_pmd), N(thp_swpout),
	N(thp_swpout_fallback), N(numa_hit), N(numa_miss), N(numa_foreign), N(numa_interleave),
	N(numa_local), N(numa_other), N(numa_pte_updates), N(numa_hint_faults),
	N(numa_hint_faults_local), N(numa_pages_migrated), N(pgmigrate_success),
	N(pgmigrate_fail), N(zswpin), N(zswpout), N(swap_ra), N(swap_ra_hit),
};

#define N_NAMED (sizeof(named) / sizeof(named[0]))

/* The "nr_" lines that count events rather than hold a level. */
static const char *const nr_counters[] = {
	"nr_dirtied", "nr_written", "nr_foll_pin_acquired", "nr_foll_pin_released",
	"nr_vmscan_write", "nr_vmscan_immediate_reclaim", "nr_throttled_written",
};

/* named_field - the named field of slot @i. */
static struct rtlab_pu64 *named_field(struct rtlab_probe_vmstat *v, size_t i)
{
	return (struct rtlab_pu64 *)((char *)v + named[i].off);
}

/* vmstat_is_counter - nr_* are levels (but a few), workingset_nodes too; the rest count. */
bool vmstat_is_counter(const char *name, size_t n)
{
	if (n == 16 && memcmp(name, "workingset_nodes", 16) == 0)
		return false;
	if (n < 3 || memcmp(name, "nr_", 3) != 0)
		return true;
	for (size_t i = 0; i < sizeof(nr_counters) / sizeof(nr_counters[0]); i++)
		if (strlen(nr_counters[i]) == n && memcmp(nr_counters[i], name, n) == 0)
			return true;
	return false;
}

/* vmstat_map - after the list of names changed: each line's kind and named slot. */
static void vmstat_map(struct rtlab_probe_vmstat *v)
{
	for (size_t i = 0; i < v->lines.n; i++) {
		struct rtlab_vmstat_item *it = &v->lines.items[i];

		it->counter = vmstat_is_counter(it->name, it->name_len);
		if (!it->counter)
			PV_NA(it->rate_per_s, RTLAB_PV_UNSUPPORTED);
		it->slot = -1;
		for (size_t k = 0; k < N_NAMED; k++) {
			if (strcmp(named[k].name, it->name) == 0) {
				it->slot = (int16_t)k;
				break;
			}
		}
	}
}

/* named_update - the named fields from their lines; ABSENT if this kernel has no such line. */
static void named_update(struct rtlab_probe_vmstat *v)
{
	for (size_t k = 0; k < N_NAMED; k++)
		PV_NA(*named_field(v, k), RTLAB_PV_ABSENT);
	for (size_t i = 0; i < v->lines.n; i++) {
		const struct rtlab_vmstat_item *it = &v->lines.items[i];

		if (it->slot >= 0)
			*named_field(v, (size_t)it->slot) = it->value;
	}
}

/* vmstat_parse - the lines, then the named fields (re-mapped only when the names changed). */
int vmstat_parse(const char *buf, size_t len, struct rtlab_probe_vmstat *out, struct mem_perr *err)
{
	bool changed;
	int r = stat_list_parse(buf, len, &out->lines, "node_vmstat_", NULL, &changed, err);

	if (r == -ENOMEM)
		return r;
	if (changed)
		vmstat_map(out);
	named_update(out);
	return r;
}

/* vmstat_mark - the lines and the named fields. */
void vmstat_mark(struct rtlab_probe_vmstat *v, enum rtlab_pv_state st)
{
	stat_list_mark(&v->lines, st);
	for (size_t k = 0; k < N_NAMED; k++)
		PV_NA(*named_field(v, k), st);
}

/* vmstat_rates - (value - prev) / interval for every counter. */
void vmstat_rates(struct rtlab_probe_vmstat *v, uint64_t dt_ns)
{
	double per_s = dt_ns ? 1e9 / (double)dt_ns : 0.0;

	for (size_t i = 0; i < v->lines.n; i++) {
		struct rtlab_vmstat_item *it = &v->lines.items[i];

		if (!it->counter)
			continue;
		if (it->value.st != RTLAB_PV_OK)
			PV_NA(it->rate_per_s, it->value.st);
		else if (dt_ns && it->prev.st == RTLAB_PV_OK && it->value.v >= it->prev.v)
			PV_SET(it->rate_per_s, (double)(it->value.v - it->prev.v) * per_s);
		else
			PV_NA(it->rate_per_s, RTLAB_PV_NOT_READY);
	}
}
