/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe-mem.h - memory: /proc/meminfo and /proc/swaps (mem), /proc/vmstat
 * (vmstat), the NUMA nodes of /sys/devices/system/node (numa) and pressure
 * stall information of /proc/pressure (psi).
 *
 * Every value carries its state: a key this kernel does not print is
 * RTLAB_PV_ABSENT, one that cannot be read RTLAB_PV_MALFORMED, a rate on the
 * first reading RTLAB_PV_NOT_READY.  Sizes the kernel prints in kB are in
 * bytes here (_bytes); page and event counts are plain numbers.
 */
#ifndef RTLAB_PROBE_MEM_H
#define RTLAB_PROBE_MEM_H

#include <rtlab/probe-types.h>

/* How many meminfo keys without a named field one reading keeps. */
#define RTLAB_MEMINFO_EXTRA_MAX 32

/* A meminfo key this version has no named field for (one a newer kernel added). */
struct rtlab_meminfo_extra {
	char name[32];			/* the key, no ':' (cut at 31 bytes) */
	char metric[64];		/* the name it is exported as (node_exporter's mangling) */
	struct rtlab_pu64 value;	/* bytes if the kernel printed kB, else a count */
	bool bytes;			/* the kernel printed the value in kB */
};

/*
 * The keys of /proc/meminfo and of /sys/devices/system/node/nodeN/meminfo,
 * one field each, in the kernel's order.  Which keys a kernel prints depends
 * on its version, architecture and configuration (CONFIG_HIGHMEM, _ZSWAP,
 * _CMA, _TRANSPARENT_HUGEPAGE, _MEMORY_FAILURE...); the others are ABSENT.
 * HugePages_* are counts of default-size huge pages, everything else bytes.
 */
struct rtlab_meminfo {
	struct rtlab_pu64 mem_total_bytes;		/* MemTotal: usable RAM */
	struct rtlab_pu64 mem_free_bytes;		/* MemFree: RAM left unused */
	struct rtlab_pu64 mem_available_bytes;		/* MemAvailable: estimate */
	struct rtlab_pu64 buffers_bytes;		/* Buffers: block device page cache */
	struct rtlab_pu64 cached_bytes;			/* Cached: file page cache, shmem */
	struct rtlab_pu64 swap_cached_bytes;		/* SwapCached: in RAM and in swap */
	struct rtlab_pu64 active_bytes;			/* Active: recently used LRU pages */
	struct rtlab_pu64 inactive_bytes;		/* Inactive: reclaim candidates */
	struct rtlab_pu64 active_anon_bytes;		/* Active(anon) */
	struct rtlab_pu64 inactive_anon_bytes;		/* Inactive(anon) */
	struct rtlab_pu64 active_file_bytes;		/* Active(file) */
	struct rtlab_pu64 inactive_file_bytes;		/* Inactive(file) */
	struct rtlab_pu64 unevictable_bytes;		/* Unevictable: mlocked, ramfs... */
	struct rtlab_pu64 mlocked_bytes;		/* Mlocked: locked with mlock() */
	struct rtlab_pu64 high_total_bytes;		/* HighTotal (32-bit highmem) */
	struct rtlab_pu64 high_free_bytes;		/* HighFree */
	struct rtlab_pu64 low_total_bytes;		/* LowTotal */
	struct rtlab_pu64 low_free_bytes;		/* LowFree */
	struct rtlab_pu64 mmap_copy_bytes;		/* MmapCopy (no-MMU kernels) */
	struct rtlab_pu64 swap_total_bytes;		/* SwapTotal: swap space, all devices */
	struct rtlab_pu64 swap_free_bytes;		/* SwapFree: swap space unused */
	struct rtlab_pu64 zswap_bytes;			/* Zswap: zswap pool, compressed */
	struct rtlab_pu64 zswapped_bytes;		/* Zswapped: in zswap, uncompressed */
	struct rtlab_pu64 dirty_bytes;			/* Dirty: waiting for write-back */
	struct rtlab_pu64 writeback_bytes;		/* Writeback: being written back */
	struct rtlab_pu64 anon_pages_bytes;		/* AnonPages: mapped anonymous pages */
	struct rtlab_pu64 mapped_bytes;			/* Mapped: mapped files */
	struct rtlab_pu64 shmem_bytes;			/* Shmem: shared memory and tmpfs */
	struct rtlab_pu64 kreclaimable_bytes;		/* KReclaimable: kernel, reclaimable */
	struct rtlab_pu64 slab_bytes;			/* Slab: slab allocator */
	struct rtlab_pu64 sreclaimable_bytes;		/* SReclaimable: reclaimable slab */
	struct rtlab_pu64 sunreclaim_bytes;		/* SUnreclaim: unreclaimable slab */
	struct rtlab_pu64 kernel_stack_bytes;		/* KernelStack: kernel stacks */
	struct rtlab_pu64 shadow_call_stack_bytes;	/* ShadowCallStack (arm64) */
	struct rtlab_pu64 page_tables_bytes;		/* PageTables: user page tables */
	struct rtlab_pu64 sec_page_tables_bytes;	/* SecPageTables: KVM, IOMMU tables */
	struct rtlab_pu64 nfs_unstable_bytes;		/* NFS_Unstable (always 0 since 5.9) */
	struct rtlab_pu64 bounce_bytes;			/* Bounce: bounce buffers */
	struct rtlab_pu64 writeback_tmp_bytes;		/* WritebackTmp: FUSE write-back */
	struct rtlab_pu64 commit_limit_bytes;		/* CommitLimit: overcommit limit */
	struct rtlab_pu64 committed_as_bytes;		/* Committed_AS: committed */
	struct rtlab_pu64 vmalloc_total_bytes;		/* VmallocTotal: address space */
	struct rtlab_pu64 vmalloc_used_bytes;		/* VmallocUsed */
	struct rtlab_pu64 vmalloc_chunk_bytes;		/* VmallocChunk (0 since 4.4) */
	struct rtlab_pu64 percpu_bytes;			/* Percpu: per-CPU allocator */
	struct rtlab_pu64 early_memtest_bad_bytes;	/* EarlyMemtestBad: memtest= */
	struct rtlab_pu64 hardware_corrupted_bytes;	/* HardwareCorrupted: poisoned RAM */
	struct rtlab_pu64 anon_huge_pages_bytes;	/* AnonHugePages: anonymous THP */
	struct rtlab_pu64 shmem_huge_pages_bytes;	/* ShmemHugePages: shmem THP */
	struct rtlab_pu64 shmem_pmd_mapped_bytes;	/* ShmemPmdMapped: by PMDs */
	struct rtlab_pu64 file_huge_pages_bytes;	/* FileHugePages: page cache THP */
	struct rtlab_pu64 file_pmd_mapped_bytes;	/* FilePmdMapped: files mapped with PMDs */
	struct rtlab_pu64 cma_total_bytes;		/* CmaTotal: CMA reserve */
	struct rtlab_pu64 cma_free_bytes;		/* CmaFree */
	struct rtlab_pu64 unaccepted_bytes;		/* Unaccepted: by a guest */
	struct rtlab_pu64 balloon_bytes;		/* Balloon: balloon drivers */
	struct rtlab_pu64 gpu_active_bytes;		/* GPUActive: in active GPU objects */
	struct rtlab_pu64 gpu_reclaim_bytes;		/* GPUReclaim: GPU pools */
	struct rtlab_pu64 hugepages_total;		/* HugePages_Total: pool size, pages */
	struct rtlab_pu64 hugepages_free;		/* HugePages_Free: pages */
	struct rtlab_pu64 hugepages_rsvd;		/* HugePages_Rsvd: reserved, pages */
	struct rtlab_pu64 hugepages_surp;		/* HugePages_Surp: surplus, pages */
	struct rtlab_pu64 hugepagesize_bytes;		/* Hugepagesize: default size */
	struct rtlab_pu64 hugetlb_bytes;		/* Hugetlb: all hugetlb pools, all sizes */
	struct rtlab_pu64 direct_map_4k_bytes;		/* DirectMap4k: linear map */
	struct rtlab_pu64 direct_map_2m_bytes;		/* DirectMap2M (x86-64, PAE) */
	struct rtlab_pu64 direct_map_4m_bytes;		/* DirectMap4M (x86-32 without PAE) */
	struct rtlab_pu64 direct_map_1g_bytes;		/* DirectMap1G (x86-64) */
	struct rtlab_pu64 direct_map_1m_bytes;		/* DirectMap1M (s390) */
	struct rtlab_pu64 direct_map_2g_bytes;		/* DirectMap2G (s390) */
	struct rtlab_pu64 quicklists_bytes;		/* Quicklists (kernels before 5.5) */
	struct rtlab_pu64 mem_used_bytes;		/* MemUsed (NUMA nodes only) */
	struct rtlab_pu64 file_pages_bytes;		/* FilePages (NUMA nodes only) */

	/* Keys with no field above, in the order printed; n_extra_dropped: more than fit. */
	struct rtlab_meminfo_extra extra[RTLAB_MEMINFO_EXTRA_MAX];
	uint16_t n_extra;
	uint16_t n_extra_dropped;
};

/* One active swap area of /proc/swaps. */
struct rtlab_swap_device {
	char name[256];			/* its path, unescaped (cut at 255 bytes) */
	char type[16];			/* "partition" or "file" */
	struct rtlab_pu64 size_bytes;
	struct rtlab_pu64 used_bytes;
	struct rtlab_pi64 priority;	/* higher is used first; negative if not set */
};

/* /proc/meminfo, what is derived from it, and /proc/swaps. */
struct rtlab_probe_mem {
	struct rtlab_meminfo info;

	/* used = MemTotal - MemAvailable (as free(1) of procps 4 counts it). */
	struct rtlab_pu64 used_bytes;
	struct rtlab_pf64 used_percent;		/* used / MemTotal, 0..100 */
	struct rtlab_pf64 available_percent;	/* MemAvailable / MemTotal, 0..100 */
	struct rtlab_pu64 swap_used_bytes;	/* SwapTotal - SwapFree */
	struct rtlab_pf64 swap_used_percent;	/* swap used / SwapTotal; ABSENT without swap */

	/*
	 * /proc/swaps, read only while SwapTotal is not 0 (no swap area, no
	 * line to read).  swap_devices carries the list's state.
	 */
	struct rtlab_swap_device *swaps;
	size_t n_swaps, swaps_cap;
	struct rtlab_pu64 swap_devices;		/* n_swaps, with the list's state */
};

/*
 * One "name value" line of /proc/vmstat, a node's vmstat or numastat, kept
 * for every line the kernel prints, in its order.
 */
struct rtlab_vmstat_item {
	char name[48];			/* as printed (cut at 47 bytes) */
	char metric[72];		/* the metric it is exported as, "" if by label */
	struct rtlab_pu64 value;	/* pages, events or a threshold, as the kernel counts */
	struct rtlab_pu64 prev;		/* the previous reading's value (NOT_READY: none) */
	struct rtlab_pf64 rate_per_s;	/* counters of /proc/vmstat: per second over the last
					 * interval, NOT_READY on the first reading;
					 * UNSUPPORTED for gauges (nr_free_pages...) */
	bool counter;			/* a monotonic event counter (not a gauge) */
	uint8_t name_len;		/* strlen(name) */
	int16_t slot;			/* internal: the named field it feeds, or -1 */
};

/* A variable list of such lines (grown as needed, freed with the data). */
struct rtlab_vmstat_list {
	struct rtlab_vmstat_item *items;
	size_t n, cap;
};

/*
 * /proc/vmstat: every line in lines, and the most used ones in named fields
 * (ABSENT when this kernel does not print them).  Counts of pages or events
 * since boot unless the comment says otherwise; rates are in lines.
 */
struct rtlab_probe_vmstat {
	struct rtlab_vmstat_list lines;

	struct rtlab_pu64 nr_free_pages;	/* gauge: free pages */
	struct rtlab_pu64 nr_dirty;		/* gauge: dirty pages */
	struct rtlab_pu64 nr_writeback;		/* gauge: pages under write-back */
	struct rtlab_pu64 nr_dirty_threshold;	/* gauge: pages, throttling threshold */
	struct rtlab_pu64 nr_dirty_background_threshold; /* gauge: pages, flusher threshold */
	struct rtlab_pu64 pgpgin;		/* kB read from block devices */
	struct rtlab_pu64 pgpgout;		/* kB written to block devices */
	struct rtlab_pu64 pswpin;		/* pages swapped in */
	struct rtlab_pu64 pswpout;		/* pages swapped out */
	struct rtlab_pu64 pgfault;		/* page faults, minor and major */
	struct rtlab_pu64 pgmajfault;		/* major page faults (needed I/O) */
	struct rtlab_pu64 pgfree;		/* pages freed */
	struct rtlab_pu64 pgactivate;		/* pages moved to an active list */
	struct rtlab_pu64 pgdeactivate;		/* pages moved to an inactive list */
	struct rtlab_pu64 pgrefill;		/* active pages scanned */
	struct rtlab_pu64 pgsteal_kswapd;	/* pages reclaimed by kswapd */
	struct rtlab_pu64 pgsteal_direct;	/* pages reclaimed by direct reclaim */
	struct rtlab_pu64 pgsteal_khugepaged;	/* pages reclaimed by khugepaged */
	struct rtlab_pu64 pgsteal_anon;		/* anonymous pages reclaimed */
	struct rtlab_pu64 pgsteal_file;		/* file pages reclaimed */
	struct rtlab_pu64 pgscan_kswapd;	/* pages scanned by kswapd */
	struct rtlab_pu64 pgscan_direct;	/* pages scanned by direct reclaim */
	struct rtlab_pu64 pgscan_khugepaged;	/* pages scanned by khugepaged */
	struct rtlab_pu64 pgscan_direct_throttle; /* direct reclaims throttled */
	struct rtlab_pu64 pgscan_anon;		/* anonymous pages scanned */
	struct rtlab_pu64 pgscan_file;		/* file pages scanned */
	struct rtlab_pu64 pginodesteal;		/* pages reclaimed with inodes */
	struct rtlab_pu64 slabs_scanned;	/* slab objects scanned by shrinkers */
	struct rtlab_pu64 kswapd_inodesteal;	/* pages kswapd reclaimed with inodes */
	struct rtlab_pu64 pageoutrun;		/* kswapd reclaim runs */
	struct rtlab_pu64 allocstall_dma32;	/* allocations that entered direct reclaim */
	struct rtlab_pu64 allocstall_normal;
	struct rtlab_pu64 allocstall_movable;
	struct rtlab_pu64 compact_stall;	/* direct compactions */
	struct rtlab_pu64 compact_fail;
	struct rtlab_pu64 compact_success;
	struct rtlab_pu64 oom_kill;		/* processes the OOM killer killed */
	struct rtlab_pu64 workingset_nodes;	/* gauge: shadow entry nodes */
	struct rtlab_pu64 workingset_refault_anon; /* evicted pages faulted back */
	struct rtlab_pu64 workingset_refault_file;
	struct rtlab_pu64 workingset_activate_anon; /* refaults activated at once */
	struct rtlab_pu64 workingset_activate_file;
	struct rtlab_pu64 workingset_restore_anon; /* refaults of the working set */
	struct rtlab_pu64 workingset_restore_file;
	struct rtlab_pu64 workingset_nodereclaim; /* shadow nodes reclaimed */
	struct rtlab_pu64 thp_fault_alloc;	/* THP allocated at a fault */
	struct rtlab_pu64 thp_fault_fallback;	/* THP faults that fell back to small pages */
	struct rtlab_pu64 thp_collapse_alloc;	/* THP made by khugepaged */
	struct rtlab_pu64 thp_collapse_alloc_failed;
	struct rtlab_pu64 thp_split_page;	/* THP split into small pages */
	struct rtlab_pu64 thp_split_pmd;	/* PMD mappings of THP split */
	struct rtlab_pu64 thp_swpout;		/* THP swapped out whole */
	struct rtlab_pu64 thp_swpout_fallback;	/* THP split to be swapped out */
	struct rtlab_pu64 numa_hit;		/* allocations on the intended node */
	struct rtlab_pu64 numa_miss;		/* allocations here meant for another node */
	struct rtlab_pu64 numa_foreign;		/* allocations meant here, made elsewhere */
	struct rtlab_pu64 numa_interleave;	/* interleave-policy allocations */
	struct rtlab_pu64 numa_local;		/* allocations on the local node */
	struct rtlab_pu64 numa_other;		/* allocations on a remote node */
	struct rtlab_pu64 numa_pte_updates;	/* PTEs marked for NUMA hinting faults */
	struct rtlab_pu64 numa_hint_faults;	/* NUMA hinting faults */
	struct rtlab_pu64 numa_hint_faults_local;
	struct rtlab_pu64 numa_pages_migrated;	/* pages migrated by NUMA balancing */
	struct rtlab_pu64 pgmigrate_success;	/* pages migrated */
	struct rtlab_pu64 pgmigrate_fail;
	struct rtlab_pu64 zswpin;		/* pages loaded from zswap */
	struct rtlab_pu64 zswpout;		/* pages stored in zswap */
	struct rtlab_pu64 swap_ra;		/* swap readahead pages */
	struct rtlab_pu64 swap_ra_hit;		/* swap readahead pages used */
};

/* The cap on the distances kept per node. */
#define RTLAB_NUMA_DIST_MAX 64

/* One NUMA node: /sys/devices/system/node/nodeN. */
struct rtlab_numa_node {
	uint32_t id;				/* the N of nodeN */
	char cpulist[256];			/* its online CPUs as printed, "0-15,32-47" */
	struct rtlab_pu64 cpus;			/* how many CPUs the list holds */
	struct rtlab_meminfo mem;		/* meminfo: MemUsed, FilePages... */
	struct rtlab_vmstat_list numastat;	/* numastat: numa_hit, numa_miss... (pages) */
	struct rtlab_vmstat_list vmstat;	/* vmstat: the node's share of /proc/vmstat */
	uint16_t distance[RTLAB_NUMA_DIST_MAX];	/* distance to the i-th node (10: local) */
	uint16_t n_distance;
	uint8_t distance_st;			/* the state of distance[] */
};

/* The NUMA nodes, in ascending id. */
struct rtlab_probe_numa {
	struct rtlab_pu64 node_count;		/* ABSENT on a kernel without NUMA support */
	struct rtlab_numa_node *nodes;
	size_t n_nodes, nodes_cap;
};

/* The resources of /proc/pressure. */
enum rtlab_psi_resource {
	RTLAB_PSI_CPU,
	RTLAB_PSI_MEMORY,
	RTLAB_PSI_IO,
	RTLAB_PSI_IRQ,		/* since 6.1 with IRQ time accounting; "full" only */
	RTLAB_PSI__COUNT,
};

/* One "some" or "full" line. */
struct rtlab_psi_line {
	struct rtlab_pf64 avg10;	/* percent of wall time stalled, 10 s average, 0..100 */
	struct rtlab_pf64 avg60;	/* the same over 60 s */
	struct rtlab_pf64 avg300;	/* the same over 300 s */
	struct rtlab_pu64 total_us;	/* stall time since boot, microseconds */
};

/*
 * some: at least one task stalled on the resource; full: all non-idle tasks
 * stalled at once (for cpu: ABSENT before 5.13, and zero system-wide).
 */
struct rtlab_psi_pressure {
	struct rtlab_psi_line some;
	struct rtlab_psi_line full;
};

/* /proc/pressure/{cpu,memory,io,irq}; UNSUPPORTED or ABSENT when PSI is off. */
struct rtlab_probe_psi {
	struct rtlab_psi_pressure res[RTLAB_PSI__COUNT];
};

#endif /* RTLAB_PROBE_MEM_H */
