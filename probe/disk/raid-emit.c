/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * raid-emit.c - the raid family's metrics: node_md_* as node_exporter's
 * mdadm collector (its states and blocks_synced rules), node_btrfs_* as its
 * btrfs collector (sysfs part), node_zfs_arc_* and node_zfs_zpool_state as
 * its zfs collector; rtlab_* for the rest (sync progress, sysfs md
 * attributes, members, device-mapper names).
 */
#include <stdio.h>
#include <string.h>

#include "disk/disk-internal.h"
#include "disk/zfs-arc.h"

#define G RTLAB_METRIC_GAUGE

#define ARC_METRIC(id, name) [id] = { "node_zfs_arc_" name, "kstat.zfs.misc.arcstats." name, G },

static const struct rtlab_metric arc_metrics[RTLAB_ZFS_ARC__COUNT] = { ZFS_ARC_LIST(ARC_METRIC) };

static const struct rtlab_metric m_md_state = { "node_md_state",
						"Indicates the state of md-device.", G };
static const struct rtlab_metric m_md_disks = {
	"node_md_disks", "Number of active/failed/spare disks of device.", G
};
static const struct rtlab_metric m_md_required = { "node_md_disks_required",
						   "Total number of disks of device.", G };
static const struct rtlab_metric m_md_blocks = { "node_md_blocks",
						 "Total number of blocks on device.", G };
static const struct rtlab_metric m_md_synced = { "node_md_blocks_synced",
						 "Number of blocks synced on device.", G };
static const struct rtlab_metric m_md_arrays = { "rtlab_md_arrays",
						 "md arrays in /proc/mdstat.", G };
static const struct rtlab_metric m_md_info = {
	"rtlab_md_info", "An md array: personality, sysfs level, array_state and sync_action.", G
};
static const struct rtlab_metric m_md_member = {
	"rtlab_md_member_info", "A component device of an md array, its role and state.", G
};

/* Per-array numbers beyond node_exporter's, with the unit conversion to apply. */
static const struct {
	struct rtlab_metric m;
	size_t off;		/* of a struct rtlab_pu64 or rtlab_pf64 in struct rtlab_md_array */
	bool f64;
	double scale;
} md_values[] = {
	{ { "rtlab_md_disks_down", "Missing slots ('_') in the [UU_] map.", G },
	  offsetof(struct rtlab_md_array, disks_down),
	  false,
	  1 },
	{ { "rtlab_md_sync_progress_ratio", "Progress of the running resync/recovery, 0 to 1.", G },
	  offsetof(struct rtlab_md_array, sync_ratio),
	  true,
	  1 },
	{ { "rtlab_md_sync_speed_bytes_per_second", "Speed of the running sync.", G },
	  offsetof(struct rtlab_md_array, sync_speed_kbps),
	  false,
	  1024 },
	{ { "rtlab_md_sync_remaining_seconds", "The kernel's estimate of the sync time left.", G },
	  offsetof(struct rtlab_md_array, sync_finish_s),
	  true,
	  1 },
	{ { "rtlab_md_raid_disks", "Devices in a complete array (md/raid_disks).", G },
	  offsetof(struct rtlab_md_array, raid_disks),
	  false,
	  1 },
	{ { "rtlab_md_degraded", "Devices missing from the array (md/degraded).", G },
	  offsetof(struct rtlab_md_array, degraded),
	  false,
	  1 },
	{ { "rtlab_md_mismatch_sectors",
	    "Sectors found inconsistent by the last check (md/mismatch_cnt).", G },
	  offsetof(struct rtlab_md_array, mismatch_sectors),
	  false,
	  1 },
	{ { "rtlab_md_sync_completed_sectors",
	    "Sectors done by the running sync (md/sync_completed).", G },
	  offsetof(struct rtlab_md_array, sync_completed_sectors),
	  false,
	  1 },
	{ { "rtlab_md_sync_total_sectors", "Sectors the running sync covers (md/sync_completed).",
	    G },
	  offsetof(struct rtlab_md_array, sync_total_sectors),
	  false,
	  1 },
	{ { "rtlab_md_bitmap_pages", "Write-intent bitmap pages in memory.", G },
	  offsetof(struct rtlab_md_array, bitmap_pages),
	  false,
	  1 },
	{ { "rtlab_md_bitmap_pages_total", "Write-intent bitmap pages.", G },
	  offsetof(struct rtlab_md_array, bitmap_pages_total),
	  false,
	  1 },
};

static const struct rtlab_metric m_dm_info = {
	"rtlab_dm_info", "A device-mapper device: its name, uuid and LVM volume group/volume.", G
};
static const struct rtlab_metric m_dm_suspended = { "rtlab_dm_suspended",
						    "1 if the device-mapper device is suspended.",
						    G };
static const struct rtlab_metric m_dm_devices = { "rtlab_dm_devices",
						  "device-mapper devices.", G };

static const struct rtlab_metric m_btrfs_info = { "node_btrfs_info", "Filesystem information",
						  G };
static const struct rtlab_metric m_btrfs_rsv = { "node_btrfs_global_rsv_size_bytes",
						 "Size of global reserve.", G };
static const struct rtlab_metric m_btrfs_reserved = {
	"node_btrfs_reserved_bytes", "Amount of space reserved for a data type", G
};
static const struct rtlab_metric m_btrfs_used = {
	"node_btrfs_used_bytes", "Amount of used space by a layout/data type", G
};
static const struct rtlab_metric m_btrfs_size = {
	"node_btrfs_size_bytes", "Amount of space allocated for a layout/data type", G
};
static const struct rtlab_metric m_btrfs_ratio = {
	"node_btrfs_allocation_ratio", "Data allocation ratio for a layout/data type", G
};
static const struct rtlab_metric m_btrfs_dev = {
	"node_btrfs_device_size_bytes", "Size of a device that is part of the filesystem.", G
};
static const struct rtlab_metric m_btrfs_fs = { "rtlab_btrfs_filesystems",
						"Mounted btrfs file systems.", G };

/* Per block group type numbers beyond node_exporter's. */
static const struct {
	struct rtlab_metric m;
	size_t off;		/* of a struct rtlab_pu64 in struct rtlab_btrfs_alloc */
} btrfs_values[] = {
	{ { "rtlab_btrfs_allocated_bytes", "Logical space allocated to chunks (total_bytes).", G },
	  offsetof(struct rtlab_btrfs_alloc, total_bytes) },
	{ { "rtlab_btrfs_group_used_bytes", "Logical space used (bytes_used).", G },
	  offsetof(struct rtlab_btrfs_alloc, bytes_used) },
	{ { "rtlab_btrfs_disk_allocated_bytes", "Raw disk space allocated (disk_total).", G },
	  offsetof(struct rtlab_btrfs_alloc, disk_total) },
	{ { "rtlab_btrfs_disk_used_bytes", "Raw disk space used (disk_used).", G },
	  offsetof(struct rtlab_btrfs_alloc, disk_used) },
	{ { "rtlab_btrfs_pinned_bytes", "Space pinned until the transaction commits.", G },
	  offsetof(struct rtlab_btrfs_alloc, bytes_pinned) },
	{ { "rtlab_btrfs_may_use_bytes", "Space reserved for pending operations.", G },
	  offsetof(struct rtlab_btrfs_alloc, bytes_may_use) },
	{ { "rtlab_btrfs_readonly_bytes", "Space in read-only block groups.", G },
	  offsetof(struct rtlab_btrfs_alloc, bytes_readonly) },
};

static const struct rtlab_metric m_zfs_state = { "node_zfs_zpool_state",
						 "kstat.zfs.misc.state", G };
static const struct rtlab_metric m_zfs_pools = { "rtlab_zfs_pools", "Imported zfs pools.", G };

static const char *const md_states[] = { "active", "inactive", "recovering", "resync", "check" };
static const char *const zfs_states[] = { "online",  "degraded", "faulted",  "offline",
					  "removed", "unavail",	 "suspended" };
static const char *const group_names[RTLAB_BTRFS_GROUP__COUNT] = {
	[RTLAB_BTRFS_DATA] = "data",
	[RTLAB_BTRFS_METADATA] = "metadata",
	[RTLAB_BTRFS_SYSTEM] = "system",
};

/* u64_at - the struct rtlab_pu64 at @off in @base. */
static struct rtlab_pu64 u64_at(const void *base, size_t off)
{
	return *(const struct rtlab_pu64 *)((const char *)base + off);
}

/* md_state_name - node_exporter's state of an array (procfs MDStat's activity state). */
static const char *md_state_name(const struct rtlab_md_array *a)
{
	if (a->sync == RTLAB_MD_SYNC_RECOVERY)
		return "recovering";
	if (a->sync == RTLAB_MD_SYNC_CHECK)
		return "check";
	if (a->sync == RTLAB_MD_SYNC_RESYNC)
		return "resync";
	return a->run == RTLAB_MD_ACTIVE ? "active" : a->run == RTLAB_MD_INACTIVE ? "inactive" : "";
}

/* emit_md_states - node_md_state{device,state}: 1 for the array's state, 0 for the others. */
static void emit_md_states(struct probe_emit *e, const struct rtlab_probe_raid *r)
{
	for (size_t i = 0; i < r->nmd; i++) {
		const char *now = md_state_name(&r->md[i]);

		for (size_t k = 0; k < sizeof(md_states) / sizeof(md_states[0]); k++) {
			struct rtlab_pu64 v = { .v = strcmp(now, md_states[k]) == 0 };

			pe_emitl(e, &m_md_state, mv_u64(v), { "device", r->md[i].name },
				 { "state", md_states[k] });
		}
	}
}

/* emit_md_disks - node_md_disks{device,state} for active, failed, spare. */
static void emit_md_disks(struct probe_emit *e, const struct rtlab_probe_raid *r)
{
	for (size_t i = 0; i < r->nmd; i++) {
		const struct rtlab_md_array *a = &r->md[i];

		pe_emitl(e, &m_md_disks, mv_u64(a->disks_active), { "device", a->name },
			 { "state", "active" });
		pe_emitl(e, &m_md_disks, mv_u64(a->disks_failed), { "device", a->name },
			 { "state", "failed" });
		pe_emitl(e, &m_md_disks, mv_u64(a->disks_spare), { "device", a->name },
			 { "state", "spare" });
	}
}

/* md_value - one of md_values[] for @a. */
static struct rtlab_mval md_value(const struct rtlab_md_array *a, size_t k)
{
	if (md_values[k].f64) {
		struct rtlab_pf64 f =
			*(const struct rtlab_pf64 *)((const char *)a + md_values[k].off);

		f.v *= md_values[k].scale;
		return mv_f64(f);
	}
	if (md_values[k].scale != 1)
		return mv_scaled(u64_at(a, md_values[k].off), md_values[k].scale);
	return mv_u64(u64_at(a, md_values[k].off));
}

/* member_state - a member's state from its flags. */
static const char *member_state(uint8_t f)
{
	if (f & RTLAB_MD_FAULTY)
		return "faulty";
	if (f & RTLAB_MD_SPARE)
		return "spare";
	if (f & RTLAB_MD_JOURNAL)
		return "journal";
	if (f & RTLAB_MD_REPLACEMENT)
		return "replacement";
	return "in_sync";
}

/* emit_md_info - rtlab_md_info and rtlab_md_member_info. */
static void emit_md_info(struct probe_emit *e, const struct rtlab_probe_raid *r)
{
	static const char *const ro[] = { "0", "1", "auto" };

	for (size_t i = 0; i < r->nmd; i++) {
		const struct rtlab_md_array *a = &r->md[i];

		pe_emitl(e, &m_md_info, mv_one(RTLAB_PV_OK), { "array_state", a->array_state },
			 { "device", a->name }, { "level", a->level },
			 { "personality", a->personality }, { "read_only", ro[a->read_only % 3] },
			 { "super", a->super }, { "sync_action", a->sync_action });
	}
	for (size_t i = 0; i < r->nmd_members; i++) {
		const struct rtlab_md_member *m = &r->md_members[i];
		char role[24];

		snprintf(role, sizeof(role), "%llu", (unsigned long long)m->role.v);
		pe_emitl(e, &m_md_member, mv_one(RTLAB_PV_OK),
			 { "device", m->array < r->nmd ? r->md[m->array].name : "" },
			 { "member", m->name }, { "role", role },
			 { "state", member_state(m->flags) },
			 { "write_mostly", m->flags & RTLAB_MD_WRITE_MOSTLY ? "1" : "0" });
	}
}

/* emit_md - the md part. */
static void emit_md(struct probe_emit *e, const struct rtlab_probe_raid *r)
{
	pe_emit(e, &m_md_arrays, mv_u64(r->md_arrays));
	emit_md_states(e, r);
	emit_md_disks(e, r);
	for (size_t i = 0; i < r->nmd; i++)
		pe_emitl(e, &m_md_required, mv_u64(r->md[i].disks_required),
			 { "device", r->md[i].name });
	for (size_t i = 0; i < r->nmd; i++)
		pe_emitl(e, &m_md_blocks, mv_u64(r->md[i].blocks_kb), { "device", r->md[i].name });
	for (size_t i = 0; i < r->nmd; i++)
		pe_emitl(e, &m_md_synced, mv_u64(r->md[i].blocks_synced_kb),
			 { "device", r->md[i].name });
	for (size_t k = 0; k < sizeof(md_values) / sizeof(md_values[0]); k++)
		for (size_t i = 0; i < r->nmd; i++)
			pe_emitl(e, &md_values[k].m, md_value(&r->md[i], k),
				 { "device", r->md[i].name });
	emit_md_info(e, r);
}

/* emit_dm - the device-mapper part. */
static void emit_dm(struct probe_emit *e, const struct rtlab_probe_raid *r)
{
	pe_emit(e, &m_dm_devices, mv_u64(r->dm_devices));
	for (size_t i = 0; i < r->ndm; i++) {
		const struct rtlab_dm_dev *dm = &r->dm[i];

		pe_emitl(e, &m_dm_info, mv_one(dm->name_st), { "device", dm->device },
			 { "layer", dm->layer }, { "lv", dm->lv }, { "name", dm->name },
			 { "uuid", dm->uuid }, { "vg", dm->vg });
	}
	for (size_t i = 0; i < r->ndm; i++)
		pe_emitl(e, &m_dm_suspended, mv_u64(r->dm[i].suspended),
			 { "device", r->dm[i].device });
}

/* btrfs_ratio - raw space per logical byte of a profile (node_exporter's, and raid1c3/4). */
static struct rtlab_pf64 btrfs_ratio(const char *profile, size_t ndevs)
{
	static const struct {
		const char *name;
		double ratio;
	} fixed[] = { { "single", 1 }, { "raid0", 1 }, { "dup", 2 },	 { "raid1", 2 },
		      { "raid10", 2 }, { "raid1c3", 3 }, { "raid1c4", 4 } };
	struct rtlab_pf64 f = { .st = RTLAB_PV_UNSUPPORTED };
	double n = (double)ndevs;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcmp(profile, fixed[i].name) == 0)
			PV_SET(f, fixed[i].ratio);
	if (strcmp(profile, "raid5") == 0 && ndevs > 1)
		PV_SET(f, n / (n - 1));
	if (strcmp(profile, "raid6") == 0 && ndevs > 2)
		PV_SET(f, n / (n - 2));
	return f;
}

/* emit_btrfs_profiles - used, size and ratio per block group type and profile. */
static void emit_btrfs_profiles(struct probe_emit *e, const struct rtlab_probe_raid *r,
				const struct rtlab_metric *m)
{
	for (size_t i = 0; i < r->nbtrfs; i++) {
		const struct rtlab_btrfs_fs *fs = &r->btrfs[i];

		for (unsigned g = 0; g < RTLAB_BTRFS_GROUP__COUNT; g++) {
			const struct rtlab_btrfs_alloc *a = &fs->alloc[g];

			for (size_t k = 0; k < a->nprofiles && k < RTLAB_BTRFS_PROFILES_MAX; k++) {
				const struct rtlab_btrfs_profile *pr = &a->profiles[k];
				struct rtlab_mval v =
					m == &m_btrfs_used ? mv_u64(pr->used_bytes)
					: m == &m_btrfs_size
						? mv_u64(pr->total_bytes)
						: mv_f64(btrfs_ratio(pr->name, fs->ndevs));

				pe_emitl(e, m, v, { "block_group_type", group_names[g] },
					 { "mode", pr->name }, { "uuid", fs->uuid });
			}
		}
	}
}

/* emit_btrfs_groups - a per block group type value of every file system. */
static void emit_btrfs_groups(struct probe_emit *e, const struct rtlab_probe_raid *r,
			      const struct rtlab_metric *m, size_t off)
{
	for (size_t i = 0; i < r->nbtrfs; i++)
		for (unsigned g = 0; g < RTLAB_BTRFS_GROUP__COUNT; g++)
			pe_emitl(e, m, mv_u64(u64_at(&r->btrfs[i].alloc[g], off)),
				 { "block_group_type", group_names[g] },
				 { "uuid", r->btrfs[i].uuid });
}

/* emit_btrfs - the btrfs part. */
static void emit_btrfs(struct probe_emit *e, const struct rtlab_probe_raid *r)
{
	pe_emit(e, &m_btrfs_fs, mv_u64(r->btrfs_filesystems));
	for (size_t i = 0; i < r->nbtrfs; i++)
		pe_emitl(e, &m_btrfs_info, mv_one(r->btrfs[i].label_st),
			 { "label", r->btrfs[i].label }, { "uuid", r->btrfs[i].uuid });
	for (size_t i = 0; i < r->nbtrfs; i++)
		pe_emitl(e, &m_btrfs_rsv, mv_u64(r->btrfs[i].global_rsv_size),
			 { "uuid", r->btrfs[i].uuid });
	emit_btrfs_groups(e, r, &m_btrfs_reserved,
			  offsetof(struct rtlab_btrfs_alloc, bytes_reserved));
	emit_btrfs_profiles(e, r, &m_btrfs_used);
	emit_btrfs_profiles(e, r, &m_btrfs_size);
	emit_btrfs_profiles(e, r, &m_btrfs_ratio);
	for (size_t i = 0; i < r->nbtrfs_devs; i++) {
		const struct rtlab_btrfs_dev *dev = &r->btrfs_devs[i];

		pe_emitl(e, &m_btrfs_dev, mv_u64(dev->size_bytes), { "device", dev->name },
			 { "uuid", dev->fs < r->nbtrfs ? r->btrfs[dev->fs].uuid : "" });
	}
	for (size_t k = 0; k < sizeof(btrfs_values) / sizeof(btrfs_values[0]); k++)
		emit_btrfs_groups(e, r, &btrfs_values[k].m, btrfs_values[k].off);
}

/* lower_eq - @a equals the lowercase @b, ignoring @a's case. */
static bool lower_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if ((*a >= 'A' && *a <= 'Z' ? *a - 'A' + 'a' : *a) != *b)
			return false;
	return !*a && !*b;
}

/* emit_zfs - the zfs part: ARC counters (when arcstats was read) and pool states. */
static void emit_zfs(struct probe_emit *e, const struct rtlab_probe_raid *r)
{
	pe_emit(e, &m_zfs_pools, mv_u64(r->zfs_pools));
	if (r->arc_st != RTLAB_PV_ABSENT)
		for (unsigned k = 0; k < RTLAB_ZFS_ARC__COUNT; k++)
			pe_emit(e, &arc_metrics[k], mv_u64(r->arc[k]));
	for (size_t i = 0; i < r->nzfs; i++)
		for (size_t k = 0; k < sizeof(zfs_states) / sizeof(zfs_states[0]); k++) {
			struct rtlab_pu64 v = { .v = lower_eq(r->zfs[i].state, zfs_states[k]),
						.st = r->zfs[i].state_st };

			pe_emitl(e, &m_zfs_state, mv_u64(v), { "state", zfs_states[k] },
				 { "zpool", r->zfs[i].name });
		}
}

/* raid_emit - md, dm, btrfs, zfs. */
void raid_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	emit_md(e, &d->raid);
	emit_dm(e, &d->raid);
	emit_btrfs(e, &d->raid);
	emit_zfs(e, &d->raid);
}
