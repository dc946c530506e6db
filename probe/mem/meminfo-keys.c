/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* meminfo-keys.c - the meminfo keys with a named field, their metric names, their lookup. */
#include <stddef.h>
#include <string.h>

#include "mem/mem-parse.h"

#define HELP(k) "Memory information field " k "."

/* A key printed in kB, stored in bytes: node_memory_<m>_bytes, node_memory_numa_<m>. */
#define KB(k, m, f)                                                                     \
	{ .key = k, .metric = "node_memory_" m "_bytes", .numa_metric = "node_memory_numa_" m, \
	  .help = HELP(k), .off = offsetof(struct rtlab_meminfo, f), .len = sizeof(k) - 1, \
	  .kb = true }

/* A key whose name needs no mangling. */
#define K(name, f) KB(#name, #name, f)

/* A key that nodeN/meminfo prints but /proc/meminfo does not. */
#define NODE(name, f)                                                                   \
	{ .key = #name, .metric = "node_memory_" #name "_bytes",                        \
	  .numa_metric = "node_memory_numa_" #name, .help = HELP(#name),                \
	  .off = offsetof(struct rtlab_meminfo, f), .len = sizeof(#name) - 1, .kb = true, \
	  .node_only = true }

/* A count (HugePages_*): no unit, no _bytes. */
#define COUNT(name, f)                                                                  \
	{ .key = #name, .metric = "node_memory_" #name, .numa_metric = "node_memory_numa_" #name, \
	  .help = HELP(#name), .off = offsetof(struct rtlab_meminfo, f),                  \
	  .len = sizeof(#name) - 1, .kb = false }

/*
 * In the order of fs/proc/meminfo.c, hugetlb and the architectures, the
 * node-only keys where drivers/base/node.c prints them: a key not printed
 * costs the search a step forward, not a turn of the table.
 */
const struct meminfo_key meminfo_keys[] = {
	K(MemTotal, mem_total_bytes),
	K(MemFree, mem_free_bytes),
	NODE(MemUsed, mem_used_bytes),
	K(MemAvailable, mem_available_bytes),
	K(Buffers, buffers_bytes),
	K(Cached, cached_bytes),
	K(SwapCached, swap_cached_bytes),
	K(Active, active_bytes),
	K(Inactive, inactive_bytes),
	KB("Active(anon)", "Active_anon", active_anon_bytes),
	KB("Inactive(anon)", "Inactive_anon", inactive_anon_bytes),
	KB("Active(file)", "Active_file", active_file_bytes),
	KB("Inactive(file)", "Inactive_file", inactive_file_bytes),
	K(Unevictable, unevictable_bytes),
	K(Mlocked, mlocked_bytes),
	K(HighTotal, high_total_bytes),
	K(HighFree, high_free_bytes),
	K(LowTotal, low_total_bytes),
	K(LowFree, low_free_bytes),
	K(MmapCopy, mmap_copy_bytes),
	K(SwapTotal, swap_total_bytes),
	K(SwapFree, swap_free_bytes),
	K(Zswap, zswap_bytes),
	K(Zswapped, zswapped_bytes),
	K(Dirty, dirty_bytes),
	K(Writeback, writeback_bytes),
	NODE(FilePages, file_pages_bytes),
	K(AnonPages, anon_pages_bytes),
	K(Mapped, mapped_bytes),
	K(Shmem, shmem_bytes),
	K(KReclaimable, kreclaimable_bytes),
	K(Slab, slab_bytes),
	K(SReclaimable, sreclaimable_bytes),
	K(SUnreclaim, sunreclaim_bytes),
	K(KernelStack, kernel_stack_bytes),
	K(ShadowCallStack, shadow_call_stack_bytes),
	K(PageTables, page_tables_bytes),
	K(SecPageTables, sec_page_tables_bytes),
	K(NFS_Unstable, nfs_unstable_bytes),
	K(Bounce, bounce_bytes),
	K(WritebackTmp, writeback_tmp_bytes),
	K(CommitLimit, commit_limit_bytes),
	K(Committed_AS, committed_as_bytes),
	K(VmallocTotal, vmalloc_total_bytes),
	K(VmallocUsed, vmalloc_used_bytes),
	K(VmallocChunk, vmalloc_chunk_bytes),
	K(Percpu, percpu_bytes),
	K(EarlyMemtestBad, early_memtest_bad_bytes),
	K(HardwareCorrupted, hardware_corrupted_bytes),
	K(AnonHugePages, anon_huge_pages_bytes),
	K(ShmemHugePages, shmem_huge_pages_bytes),
	K(ShmemPmdMapped, shmem_pmd_mapped_bytes),
	K(FileHugePages, file_huge_pages_bytes),
	K(FilePmdMapped, file_pmd_mapped_bytes),
	K(CmaTotal, cma_total_bytes),
	K(CmaFree, cma_free_bytes),
	K(Unaccepted, unaccepted_bytes),
	K(Balloon, balloon_bytes),
	K(GPUActive, gpu_active_bytes),
	K(GPUReclaim, gpu_reclaim_bytes),
	COUNT(HugePages_Total, hugepages_total),
	COUNT(HugePages_Free, hugepages_free),
	COUNT(HugePages_Rsvd, hugepages_rsvd),
	COUNT(HugePages_Surp, hugepages_surp),
	K(Hugepagesize, hugepagesize_bytes),
	K(Hugetlb, hugetlb_bytes),
	K(DirectMap4k, direct_map_4k_bytes),
	K(DirectMap2M, direct_map_2m_bytes),
	K(DirectMap4M, direct_map_4m_bytes),
	K(DirectMap1G, direct_map_1g_bytes),
	K(DirectMap1M, direct_map_1m_bytes),
	K(DirectMap2G, direct_map_2g_bytes),
	K(Quicklists, quicklists_bytes),
};

const size_t meminfo_nkeys = sizeof(meminfo_keys) / sizeof(meminfo_keys[0]);

/* meminfo_key_find - search from *@cursor, wrapping once; a hit moves the cursor past it. */
int meminfo_key_find(const char *k, size_t n, size_t *cursor)
{
	size_t i = *cursor < meminfo_nkeys ? *cursor : 0;

	if (n == 0)
		return -1;
	for (size_t tries = 0; tries < meminfo_nkeys; tries++) {
		const struct meminfo_key *e = &meminfo_keys[i];

		/* Length and first byte reject almost every other key before memcmp. */
		if (e->len == n && e->key[0] == k[0] && memcmp(e->key, k, n) == 0) {
			*cursor = i + 1;
			return (int)i;
		}
		if (++i == meminfo_nkeys)
			i = 0;
	}
	return -1;
}

/*
 * meminfo_mangle - "(x)" becomes "_x" as node_exporter does; any other byte a
 * Prometheus name cannot hold becomes '_'.  Cut to fit @size.
 */
void meminfo_mangle(const char *k, size_t n, char *dst, size_t size)
{
	size_t o = 0;

	if (size == 0)
		return;
	for (size_t i = 0; i < n && o + 1 < size; i++) {
		char c = k[i];

		if (c == ')')
			continue;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			c = '_';
		dst[o++] = c;
	}
	dst[o] = '\0';
}

/* mem_perr_set - the first problem only. */
void mem_perr_set(struct mem_perr *e, unsigned line, const char *what, size_t wl)
{
	size_t n;

	if (e->line)
		return;
	e->line = line;
	n = wl < sizeof(e->what) ? wl : sizeof(e->what) - 1;
	memcpy(e->what, what, n);
	e->what[n] = '\0';
}
