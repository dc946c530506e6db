/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* zfs-arc.h - the arcstats counters kept: X(enum rtlab_zfs_arc_stat value, name in the file). */
#ifndef RTLAB_PROBE_ZFS_ARC_H
#define RTLAB_PROBE_ZFS_ARC_H

#define ZFS_ARC_LIST(X) \
	X(RTLAB_ZFS_ARC_HITS, "hits") \
	X(RTLAB_ZFS_ARC_MISSES, "misses") \
	X(RTLAB_ZFS_ARC_DEMAND_DATA_HITS, "demand_data_hits") \
	X(RTLAB_ZFS_ARC_DEMAND_DATA_MISSES, "demand_data_misses") \
	X(RTLAB_ZFS_ARC_DEMAND_METADATA_HITS, "demand_metadata_hits") \
	X(RTLAB_ZFS_ARC_DEMAND_METADATA_MISSES, "demand_metadata_misses") \
	X(RTLAB_ZFS_ARC_PREFETCH_DATA_HITS, "prefetch_data_hits") \
	X(RTLAB_ZFS_ARC_PREFETCH_DATA_MISSES, "prefetch_data_misses") \
	X(RTLAB_ZFS_ARC_PREFETCH_METADATA_HITS, "prefetch_metadata_hits") \
	X(RTLAB_ZFS_ARC_PREFETCH_METADATA_MISSES, "prefetch_metadata_misses") \
	X(RTLAB_ZFS_ARC_MRU_HITS, "mru_hits") \
	X(RTLAB_ZFS_ARC_MRU_GHOST_HITS, "mru_ghost_hits") \
	X(RTLAB_ZFS_ARC_MFU_HITS, "mfu_hits") \
	X(RTLAB_ZFS_ARC_MFU_GHOST_HITS, "mfu_ghost_hits") \
	X(RTLAB_ZFS_ARC_DELETED, "deleted") \
	X(RTLAB_ZFS_ARC_EVICT_SKIP, "evict_skip") \
	X(RTLAB_ZFS_ARC_SIZE, "size") \
	X(RTLAB_ZFS_ARC_C, "c") \
	X(RTLAB_ZFS_ARC_C_MIN, "c_min") \
	X(RTLAB_ZFS_ARC_C_MAX, "c_max") \
	X(RTLAB_ZFS_ARC_DATA_SIZE, "data_size") \
	X(RTLAB_ZFS_ARC_METADATA_SIZE, "metadata_size") \
	X(RTLAB_ZFS_ARC_DNODE_SIZE, "dnode_size") \
	X(RTLAB_ZFS_ARC_DBUF_SIZE, "dbuf_size") \
	X(RTLAB_ZFS_ARC_HDR_SIZE, "hdr_size") \
	X(RTLAB_ZFS_ARC_L2_HDR_SIZE, "l2_hdr_size") \
	X(RTLAB_ZFS_ARC_ANON_SIZE, "anon_size") \
	X(RTLAB_ZFS_ARC_MRU_SIZE, "mru_size") \
	X(RTLAB_ZFS_ARC_MFU_SIZE, "mfu_size") \
	X(RTLAB_ZFS_ARC_COMPRESSED_SIZE, "compressed_size") \
	X(RTLAB_ZFS_ARC_UNCOMPRESSED_SIZE, "uncompressed_size") \
	X(RTLAB_ZFS_ARC_OVERHEAD_SIZE, "overhead_size") \
	X(RTLAB_ZFS_ARC_META_USED, "arc_meta_used") \
	X(RTLAB_ZFS_ARC_META_LIMIT, "arc_meta_limit") \
	X(RTLAB_ZFS_ARC_MEMORY_THROTTLE_COUNT, "memory_throttle_count") \
	X(RTLAB_ZFS_ARC_MEMORY_DIRECT_COUNT, "memory_direct_count") \
	X(RTLAB_ZFS_ARC_MEMORY_INDIRECT_COUNT, "memory_indirect_count") \
	X(RTLAB_ZFS_ARC_NO_GROW, "arc_no_grow") \
	X(RTLAB_ZFS_ARC_L2_HITS, "l2_hits") \
	X(RTLAB_ZFS_ARC_L2_MISSES, "l2_misses") \
	X(RTLAB_ZFS_ARC_L2_SIZE, "l2_size") \
	X(RTLAB_ZFS_ARC_L2_ASIZE, "l2_asize") \
	X(RTLAB_ZFS_ARC_L2_READ_BYTES, "l2_read_bytes") \
	X(RTLAB_ZFS_ARC_L2_WRITE_BYTES, "l2_write_bytes") \
	X(RTLAB_ZFS_ARC_P, "p") \
	X(RTLAB_ZFS_ARC_HASH_ELEMENTS, "hash_elements") \
	X(RTLAB_ZFS_ARC_MUTEX_MISS, "mutex_miss") \
	X(RTLAB_ZFS_ARC_ACCESS_SKIP, "access_skip") \
	X(RTLAB_ZFS_ARC_BONUS_SIZE, "bonus_size") \
	X(RTLAB_ZFS_ARC_PRUNE, "arc_prune") \
	X(RTLAB_ZFS_ARC_META_MAX, "arc_meta_max") \
	X(RTLAB_ZFS_ARC_TEMPRESERVE, "arc_tempreserve") \
	X(RTLAB_ZFS_ARC_LOANED_BYTES, "arc_loaned_bytes") \
	X(RTLAB_ZFS_ARC_MEMORY_ALL_BYTES, "memory_all_bytes")

#endif /* RTLAB_PROBE_ZFS_ARC_H */
