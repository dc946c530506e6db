/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe-disk.h - the storage families' data: block devices (/proc/diskstats
 * and /sys/block), mounted file systems (mountinfo and statvfs), and software
 * RAID and volume managers (md, device-mapper/LVM, btrfs, zfs).
 *
 * Arrays (pointer, count, capacity) are grown by the probe and freed by
 * rtlab_probe_data_free(); they and the strings they point to stay valid
 * until the next collection of their family into the same data.  Strings
 * come from the system as bytes: they may hold any character but NUL.
 */
#ifndef RTLAB_PROBE_DISK_H
#define RTLAB_PROBE_DISK_H

#include <rtlab/probe-types.h>

/* ------------------------------------------------------------------------ */
/* Block devices: RTLAB_PF_DISK                                               */
/* ------------------------------------------------------------------------ */

/* What a block device is, from its name and /sys/block.  Nothing is filtered out. */
enum rtlab_disk_kind {
	RTLAB_DISK_KIND_DISK,		/* a whole disk: sd*, nvme*n*, vd*, mmcblk*, ... */
	RTLAB_DISK_KIND_PARTITION,	/* a partition (it has a parent whole disk) */
	RTLAB_DISK_KIND_LOOP,		/* loop* */
	RTLAB_DISK_KIND_DM,		/* dm-*: device-mapper (LVM, dm-crypt, multipath) */
	RTLAB_DISK_KIND_MD,		/* md*: md software RAID */
	RTLAB_DISK_KIND_RAM,		/* ram*: RAM disk (brd) */
	RTLAB_DISK_KIND_ZRAM,		/* zram*: compressed RAM disk */
	RTLAB_DISK_KIND__COUNT,
};

/*
 * The counters of one /proc/diskstats line, in the file's order (kernel
 * Documentation/admin-guide/iostats.rst).  Lines have 14 fields (before
 * 4.18), 18 (discards, 4.18+) or 20 (flushes, 5.5+); the counters a line
 * lacks are RTLAB_PV_UNSUPPORTED.  The _MS counters are 32-bit in the
 * kernel and wrap around; the others are unsigned long.
 */
enum rtlab_disk_stat {
	RTLAB_DISK_READS,		/* reads completed */
	RTLAB_DISK_READS_MERGED,	/* adjacent reads merged into one */
	RTLAB_DISK_READ_SECTORS,	/* 512-byte sectors read */
	RTLAB_DISK_READ_MS,		/* ms spent by all reads */
	RTLAB_DISK_WRITES,		/* writes completed */
	RTLAB_DISK_WRITES_MERGED,	/* adjacent writes merged into one */
	RTLAB_DISK_WRITE_SECTORS,	/* 512-byte sectors written */
	RTLAB_DISK_WRITE_MS,		/* ms spent by all writes */
	RTLAB_DISK_IN_FLIGHT,		/* I/Os in progress now (a gauge, not a counter) */
	RTLAB_DISK_IO_MS,		/* ms during which I/O was in progress */
	RTLAB_DISK_WEIGHTED_IO_MS,	/* ms spent doing I/O, times the I/Os in progress */
	RTLAB_DISK_DISCARDS,		/* discards completed (18+ fields) */
	RTLAB_DISK_DISCARDS_MERGED,	/* discards merged */
	RTLAB_DISK_DISCARD_SECTORS,	/* 512-byte sectors discarded */
	RTLAB_DISK_DISCARD_MS,		/* ms spent by all discards */
	RTLAB_DISK_FLUSHES,		/* flush requests completed (20 fields) */
	RTLAB_DISK_FLUSH_MS,		/* ms spent by all flushes */
	RTLAB_DISK_STAT__COUNT,
};

/*
 * Values over the interval between two collections into the same data
 * (RTLAB_PV_NOT_READY on the first one, and after a counter went backwards).
 */
enum rtlab_disk_rate {
	RTLAB_DISK_READS_PER_S,		/* reads completed per second */
	RTLAB_DISK_WRITES_PER_S,	/* writes completed per second */
	RTLAB_DISK_READ_BYTES_PER_S,	/* bytes read per second */
	RTLAB_DISK_WRITE_BYTES_PER_S,	/* bytes written per second */
	RTLAB_DISK_DISCARDS_PER_S,	/* discards completed per second */
	RTLAB_DISK_DISCARD_BYTES_PER_S,	/* bytes discarded per second */
	RTLAB_DISK_FLUSHES_PER_S,	/* flushes completed per second */
	RTLAB_DISK_UTILIZATION,		/* busy time / interval, 0..1 (iostat %util / 100) */
	RTLAB_DISK_QUEUE_LENGTH,	/* mean I/Os in progress (iostat aqu-sz) */
	RTLAB_DISK_READ_AWAIT_S, /* mean seconds per read completed (iostat r_await); 0 if none */
	RTLAB_DISK_WRITE_AWAIT_S,	/* mean seconds per write completed (w_await); 0 if none */
	RTLAB_DISK_RATE__COUNT,
};

/*
 * Request-queue attributes of /sys/block/<dev>/queue (and device/queue_depth).
 * Partitions have no queue of their own: theirs are their disk's.
 */
enum rtlab_disk_queue {
	RTLAB_DISK_Q_NR_REQUESTS,	/* nr_requests: requests the queue may hold */
	RTLAB_DISK_Q_ROTATIONAL,	/* rotational: 1 spinning disk, 0 solid state */
	RTLAB_DISK_Q_LOGICAL_BLOCK,	/* logical_block_size, bytes */
	RTLAB_DISK_Q_PHYSICAL_BLOCK,	/* physical_block_size, bytes */
	RTLAB_DISK_Q_READ_AHEAD_KB,	/* read_ahead_kb, KiB */
	RTLAB_DISK_Q_MAX_SECTORS_KB,	/* max_sectors_kb: largest request, KiB */
	RTLAB_DISK_Q_DISCARD_MAX,	/* discard_max_bytes: 0 = no discard support */
	RTLAB_DISK_Q_DISCARD_GRANULARITY, /* discard_granularity, bytes */
	RTLAB_DISK_Q_DEPTH,		/* device/queue_depth (SCSI/SATA), absent elsewhere */
	RTLAB_DISK_Q__COUNT,
};

/* One line of /proc/diskstats with what /sys/block says about the device. */
struct rtlab_disk_dev {
	char name[32];			/* kernel name: "sda", "nvme0n1p1", "dm-0" */
	uint32_t major;
	uint32_t minor;
	uint8_t kind;			/* enum rtlab_disk_kind */
	uint8_t nfields;		/* its line's fields: 14, 18, 20 (more on later kernels) */
	struct rtlab_pu64 stat[RTLAB_DISK_STAT__COUNT];	/* enum rtlab_disk_stat */
	struct rtlab_pf64 rate[RTLAB_DISK_RATE__COUNT];	/* enum rtlab_disk_rate */

	/* From sysfs, re-read on the slow TTL or when the device set changes. */
	struct rtlab_pu64 size_bytes;	/* size (512-byte sectors) x 512 */
	char parent[32];		/* a partition's whole disk, else "" */
	struct rtlab_pu64 partition;	/* a partition's number (absent for whole disks) */
	struct rtlab_pu64 partitions;	/* a whole disk's partitions (absent for partitions) */
	char scheduler[32];		/* the I/O scheduler in use: "mq-deadline", "none" */
	char schedulers[128];		/* those available, space-separated */
	uint8_t scheduler_st;		/* state of scheduler and schedulers */
	struct rtlab_pu64 queue[RTLAB_DISK_Q__COUNT];	/* enum rtlab_disk_queue */
};

/* The counters of the previous reading, to make rates (internal). */
struct rtlab_disk_prev {
	uint32_t major;
	uint32_t minor;
	uint64_t stat[RTLAB_DISK_STAT__COUNT];
	uint8_t st[RTLAB_DISK_STAT__COUNT];
};

struct rtlab_probe_disk {
	struct rtlab_disk_dev *devs;	/* in /proc/diskstats order */
	size_t ndevs;
	size_t devs_cap;
	/* Internal: the previous reading and when sysfs was last read (CLOCK_MONOTONIC ns). */
	struct rtlab_disk_prev *prev;
	size_t nprev;
	size_t prev_cap;
	uint64_t sysfs_ns;
};

/* ------------------------------------------------------------------------ */
/* Mounted file systems: RTLAB_PF_FS                                          */
/* ------------------------------------------------------------------------ */

/* What a mount's file system type is. */
enum rtlab_fs_kind {
	RTLAB_FS_KIND_LOCAL,		/* on a local block device (ext4, xfs, btrfs, vfat...) */
	RTLAB_FS_KIND_NETWORK, /* nfs, cifs, fuse.*, ceph, 9p...: statvfs'ed off the hot path */
	RTLAB_FS_KIND_MEMORY,		/* tmpfs, ramfs: real files held in memory */
	RTLAB_FS_KIND_PSEUDO, /* kernel interfaces: proc, sysfs, cgroup, devpts, debugfs... */
	RTLAB_FS_KIND__COUNT,
};

/*
 * One line of /proc/self/mountinfo (the mounts this process sees, which are
 * those it can statvfs) and its statvfs.  String fields have their octal
 * escapes (\040 for a space, \012 for a newline...) decoded.
 */
struct rtlab_fs_mount {
	uint32_t mount_id;
	uint32_t parent_id;
	uint32_t major;			/* st_dev of the file system */
	uint32_t minor;
	const char *root;		/* the root of the mount inside its file system */
	const char *mount_point;	/* where it is mounted */
	const char *options;		/* per-mount options: "rw,nosuid,relatime" */
	const char *tags;		/* optional fields: "shared:1 master:2", "" if none */
	const char *fstype;		/* "ext4", "fuse.sshfs" */
	const char *source;		/* "/dev/sda1", "server:/export", "none" */
	const char *super_options;	/* per-superblock options */
	uint8_t kind;			/* enum rtlab_fs_kind */
	bool hidden;			/* covered by a later mount at the same point: not asked */
	bool excluded;			/* a type node_exporter leaves out (fs-kind.c) */
	struct rtlab_pu64 readonly;	/* 1 if "ro" in the mount or superblock options */

	/* statvfs(2) of the mount point; RTLAB_PV_TIMEOUT: a network mount did not answer. */
	int error;			/* 0 or -errno of statvfs (-ETIMEDOUT: no answer in time) */
	struct rtlab_pu64 block_bytes;	/* f_frsize: the unit of the block counts */
	struct rtlab_pu64 size_bytes;	/* f_blocks x f_frsize */
	struct rtlab_pu64 free_bytes;	/* f_bfree x f_frsize: free, root included */
	struct rtlab_pu64 avail_bytes;	/* f_bavail x f_frsize: free for unprivileged users */
	struct rtlab_pu64 used_bytes;	/* (f_blocks - f_bfree) x f_frsize */
	struct rtlab_pu64 files;	/* f_files: inodes */
	struct rtlab_pu64 files_free;	/* f_ffree: free inodes */
	struct rtlab_pu64 name_max;	/* f_namemax: longest file name, bytes */
	int32_t slot;			/* internal: the statvfs worker's job during a collection */
};

struct rtlab_probe_fs {
	struct rtlab_fs_mount *mounts;	/* in mountinfo order (mount order) */
	size_t nmounts;
	size_t mounts_cap;
	/* The mounts' strings (internal storage the const char * above point into). */
	char *strs;
	size_t strs_len;
	size_t strs_cap;
	size_t bad_line;		/* internal: first malformed line of mountinfo, 0 if none */
};

/* ------------------------------------------------------------------------ */
/* Software RAID and volume managers: RTLAB_PF_RAID                           */
/* ------------------------------------------------------------------------ */

/* md member flags, from the suffixes of /proc/mdstat ("sdb1[1](F)"). */
#define RTLAB_MD_FAULTY		0x01	/* (F) */
#define RTLAB_MD_SPARE		0x02	/* (S) */
#define RTLAB_MD_WRITE_MOSTLY	0x04	/* (W) */
#define RTLAB_MD_JOURNAL	0x08	/* (J) */
#define RTLAB_MD_REPLACEMENT	0x10	/* (R) */

/* A component device of an md array. */
struct rtlab_md_member {
	char name[32];			/* "sda1" */
	uint32_t array;			/* index of its array in md[] */
	struct rtlab_pu64 role;		/* the number in brackets (descriptor slot) */
	uint8_t flags;			/* RTLAB_MD_* */
};

/* md array state, as in /proc/mdstat. */
enum rtlab_md_run {
	RTLAB_MD_ACTIVE,
	RTLAB_MD_INACTIVE,
	RTLAB_MD_BROKEN,		/* raid0/linear with a member missing (kernel 5.5+) */
};

/* The resync line of /proc/mdstat. */
enum rtlab_md_sync {
	RTLAB_MD_SYNC_NONE,
	RTLAB_MD_SYNC_RESYNC,
	RTLAB_MD_SYNC_RECOVERY,
	RTLAB_MD_SYNC_CHECK,
	RTLAB_MD_SYNC_RESHAPE,
};

/* One md array: /proc/mdstat and /sys/block/<md>/md. */
struct rtlab_md_array {
	char name[32];			/* "md0" */
	uint8_t run;			/* enum rtlab_md_run */
	uint8_t read_only;		/* 0, 1 "(read-only)", 2 "(auto-read-only)" */
	char personality[16];		/* "raid1", "raid5", "linear"; "" when inactive */
	char super[32];			/* metadata: "1.2", "external:imsm"; "" for 0.90 */
	struct rtlab_pu64 blocks_kb;	/* array size, 1 KiB blocks */
	struct rtlab_pu64 disks_required;	/* n of [n/m]; members for raid0/linear */
	struct rtlab_pu64 disks_active;	/* m of [n/m] */
	struct rtlab_pu64 disks_failed;	/* members marked (F) */
	struct rtlab_pu64 disks_spare;	/* members marked (S) */
	struct rtlab_pu64 disks_down;	/* '_' in the [UU_] map */
	char map[64];			/* the [UU_] map without brackets, "" if none */
	uint8_t sync;			/* enum rtlab_md_sync */
	char sync_wait[16];		/* "DELAYED", "PENDING", "REMOTE" when waiting, else "" */
	struct rtlab_pf64 sync_ratio;	/* progress 0..1 */
	struct rtlab_pu64 sync_done_kb;	/* (done/total) of the resync line, 1 KiB blocks */
	struct rtlab_pu64 sync_total_kb;
	struct rtlab_pf64 sync_finish_s;	/* the kernel's estimate of time left, seconds */
	struct rtlab_pu64 sync_speed_kbps;	/* KiB/s */
	struct rtlab_pu64 blocks_synced_kb;	/* node_exporter's blocks_synced: done, or blocks */
	struct rtlab_pu64 bitmap_pages;	/* write-intent bitmap "bitmap: used/total pages" */
	struct rtlab_pu64 bitmap_pages_total;

	/* /sys/block/<md>/md/ */
	char array_state[24];		/* array_state: "clean", "active", "read-auto"... */
	char level[16];			/* level: "raid1" */
	char sync_action[16];		/* sync_action: "idle", "resync", "recover", "check"... */
	uint8_t array_state_st;		/* state of array_state */
	uint8_t level_st;		/* state of level */
	uint8_t sync_action_st;		/* state of sync_action */
	struct rtlab_pu64 raid_disks;	/* raid_disks */
	struct rtlab_pu64 degraded;	/* degraded: missing devices */
	struct rtlab_pu64 mismatch_sectors;	/* md/mismatch_cnt: last check/repair, sectors */
	struct rtlab_pu64 sync_completed_sectors; /* sync_completed "done / total" */
	struct rtlab_pu64 sync_total_sectors;

	size_t first_member;		/* its members are md_members[first_member..+nmembers) */
	size_t nmembers;
};

/* A device-mapper device: /sys/block/dm-N/dm. */
struct rtlab_dm_dev {
	char device[32];		/* "dm-0" */
	char name[128];			/* dm/name: "vg0-root" (DM_NAME_LEN) */
	char uuid[130];			/* dm/uuid: "LVM-<vg uuid><lv uuid>", "CRYPT-..." */
	char vg[128];			/* LVM volume group, from the name; "" if not LVM */
	char lv[128];			/* LVM logical volume ("--" unescaped) */
	char layer[32];			/* LVM layer: "real", "cow", "tpool"...; usually "" */
	uint8_t name_st;
	uint8_t uuid_st;
	struct rtlab_pu64 suspended;	/* dm/suspended */
};

/* btrfs block group types: /sys/fs/btrfs/<uuid>/allocation/<type>. */
enum rtlab_btrfs_group {
	RTLAB_BTRFS_DATA,
	RTLAB_BTRFS_METADATA,
	RTLAB_BTRFS_SYSTEM,
	RTLAB_BTRFS_GROUP__COUNT,
};

#define RTLAB_BTRFS_PROFILES_MAX 10

/* Space of one RAID profile of a block group type: allocation/<type>/<profile>/. */
struct rtlab_btrfs_profile {
	char name[16];			/* "single", "dup", "raid1", "raid10", "raid5"... */
	struct rtlab_pu64 total_bytes;	/* allocated to the profile (logical) */
	struct rtlab_pu64 used_bytes;	/* used in it (logical) */
};

/* One block group type's allocation/<type>/ counters. */
struct rtlab_btrfs_alloc {
	struct rtlab_pu64 total_bytes;	/* logical space allocated to chunks */
	struct rtlab_pu64 bytes_used;	/* logical space used */
	struct rtlab_pu64 bytes_reserved;
	struct rtlab_pu64 bytes_pinned;
	struct rtlab_pu64 bytes_may_use;
	struct rtlab_pu64 bytes_readonly;
	struct rtlab_pu64 disk_total;	/* raw disk space allocated (profile copies included) */
	struct rtlab_pu64 disk_used;	/* raw disk space used */
	struct rtlab_btrfs_profile profiles[RTLAB_BTRFS_PROFILES_MAX];
	size_t nprofiles;
};

/* A mounted btrfs file system: /sys/fs/btrfs/<uuid>/. */
struct rtlab_btrfs_fs {
	char uuid[40];			/* metadata_uuid (else the directory name) */
	char label[256];		/* label, "" if none (BTRFS_LABEL_SIZE) */
	uint8_t label_st;
	struct rtlab_pu64 nodesize;	/* bytes */
	struct rtlab_pu64 sectorsize;	/* bytes */
	struct rtlab_pu64 global_rsv_size;	/* allocation/global_rsv_size, bytes */
	struct rtlab_pu64 global_rsv_reserved;
	struct rtlab_btrfs_alloc alloc[RTLAB_BTRFS_GROUP__COUNT];
	size_t first_dev;		/* its devices are btrfs_devs[first_dev..+ndevs) */
	size_t ndevs;
};

/* A device of a btrfs file system: /sys/fs/btrfs/<uuid>/devices/<name>. */
struct rtlab_btrfs_dev {
	char name[32];			/* "sda2" */
	uint32_t fs;			/* index of its file system in btrfs[] */
	struct rtlab_pu64 size_bytes;	/* devices/<name>/size x 512 */
};

/* The main ARC counters of /proc/spl/kstat/zfs/arcstats (names as in the file). */
enum rtlab_zfs_arc_stat {
	RTLAB_ZFS_ARC_HITS,
	RTLAB_ZFS_ARC_MISSES,
	RTLAB_ZFS_ARC_DEMAND_DATA_HITS,
	RTLAB_ZFS_ARC_DEMAND_DATA_MISSES,
	RTLAB_ZFS_ARC_DEMAND_METADATA_HITS,
	RTLAB_ZFS_ARC_DEMAND_METADATA_MISSES,
	RTLAB_ZFS_ARC_PREFETCH_DATA_HITS,
	RTLAB_ZFS_ARC_PREFETCH_DATA_MISSES,
	RTLAB_ZFS_ARC_PREFETCH_METADATA_HITS,
	RTLAB_ZFS_ARC_PREFETCH_METADATA_MISSES,
	RTLAB_ZFS_ARC_MRU_HITS,
	RTLAB_ZFS_ARC_MRU_GHOST_HITS,
	RTLAB_ZFS_ARC_MFU_HITS,
	RTLAB_ZFS_ARC_MFU_GHOST_HITS,
	RTLAB_ZFS_ARC_DELETED,
	RTLAB_ZFS_ARC_EVICT_SKIP,
	RTLAB_ZFS_ARC_SIZE,		/* bytes */
	RTLAB_ZFS_ARC_C,		/* target size, bytes */
	RTLAB_ZFS_ARC_C_MIN,
	RTLAB_ZFS_ARC_C_MAX,
	RTLAB_ZFS_ARC_DATA_SIZE,
	RTLAB_ZFS_ARC_METADATA_SIZE,
	RTLAB_ZFS_ARC_DNODE_SIZE,
	RTLAB_ZFS_ARC_DBUF_SIZE,
	RTLAB_ZFS_ARC_HDR_SIZE,
	RTLAB_ZFS_ARC_L2_HDR_SIZE,
	RTLAB_ZFS_ARC_ANON_SIZE,
	RTLAB_ZFS_ARC_MRU_SIZE,
	RTLAB_ZFS_ARC_MFU_SIZE,
	RTLAB_ZFS_ARC_COMPRESSED_SIZE,
	RTLAB_ZFS_ARC_UNCOMPRESSED_SIZE,
	RTLAB_ZFS_ARC_OVERHEAD_SIZE,
	RTLAB_ZFS_ARC_META_USED,	/* arc_meta_used (before OpenZFS 2.2) */
	RTLAB_ZFS_ARC_META_LIMIT,	/* arc_meta_limit (before OpenZFS 2.2) */
	RTLAB_ZFS_ARC_MEMORY_THROTTLE_COUNT,
	RTLAB_ZFS_ARC_MEMORY_DIRECT_COUNT,
	RTLAB_ZFS_ARC_MEMORY_INDIRECT_COUNT,
	RTLAB_ZFS_ARC_NO_GROW,		/* arc_no_grow */
	RTLAB_ZFS_ARC_L2_HITS,
	RTLAB_ZFS_ARC_L2_MISSES,
	RTLAB_ZFS_ARC_L2_SIZE,
	RTLAB_ZFS_ARC_L2_ASIZE,
	RTLAB_ZFS_ARC_L2_READ_BYTES,
	RTLAB_ZFS_ARC_L2_WRITE_BYTES,
	RTLAB_ZFS_ARC_P,		/* MRU target size, bytes (before OpenZFS 2.2) */
	RTLAB_ZFS_ARC_HASH_ELEMENTS,
	RTLAB_ZFS_ARC_MUTEX_MISS,
	RTLAB_ZFS_ARC_ACCESS_SKIP,
	RTLAB_ZFS_ARC_BONUS_SIZE,
	RTLAB_ZFS_ARC_PRUNE,		/* arc_prune */
	RTLAB_ZFS_ARC_META_MAX,		/* arc_meta_max (before OpenZFS 2.2) */
	RTLAB_ZFS_ARC_TEMPRESERVE,	/* arc_tempreserve */
	RTLAB_ZFS_ARC_LOANED_BYTES,	/* arc_loaned_bytes */
	RTLAB_ZFS_ARC_MEMORY_ALL_BYTES,
	RTLAB_ZFS_ARC__COUNT,
};

/* A zfs pool: /proc/spl/kstat/zfs/<pool>/state. */
struct rtlab_zfs_pool {
	char name[256];			/* pool name (ZFS_MAX_DATASET_NAME_LEN) */
	char state[16];			/* "ONLINE", "DEGRADED", "FAULTED", "SUSPENDED"... */
	uint8_t state_st;
};

struct rtlab_probe_raid {
	/* md: /proc/mdstat, /sys/block/md* (md_arrays is RTLAB_PV_ABSENT without md). */
	struct rtlab_pu64 md_arrays;
	struct rtlab_md_array *md;
	size_t nmd;
	size_t md_cap;
	struct rtlab_md_member *md_members;
	size_t nmd_members;
	size_t md_members_cap;
	size_t md_bad_line;		/* internal: first malformed line of mdstat, 0 if none */

	/* device-mapper: /sys/block/dm-* (dm_devices 0 when there is none). */
	struct rtlab_pu64 dm_devices;
	struct rtlab_dm_dev *dm;
	size_t ndm;
	size_t dm_cap;

	/* btrfs: /sys/fs/btrfs (btrfs_filesystems is RTLAB_PV_ABSENT without the module). */
	struct rtlab_pu64 btrfs_filesystems;
	struct rtlab_btrfs_fs *btrfs;
	size_t nbtrfs;
	size_t btrfs_cap;
	struct rtlab_btrfs_dev *btrfs_devs;
	size_t nbtrfs_devs;
	size_t btrfs_devs_cap;

	/* zfs: /proc/spl/kstat/zfs (zfs_pools is RTLAB_PV_ABSENT without the module). */
	struct rtlab_pu64 zfs_pools;
	struct rtlab_zfs_pool *zfs;
	size_t nzfs;
	size_t zfs_cap;
	uint8_t arc_st;			/* state of arcstats as a whole */
	struct rtlab_pu64 arc[RTLAB_ZFS_ARC__COUNT];	/* enum rtlab_zfs_arc_stat */
};

#endif /* RTLAB_PROBE_DISK_H */
