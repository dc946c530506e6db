/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-raid.c - the raid family on the hand-made raid tree (md degraded and
 * resyncing, LVM and crypt device-mapper devices, a raid1 btrfs, zfs pools),
 * on the vm tree (none of them: absent with a reason), and its metrics.
 */
#include "../test-probe.h"

#include "alloc-count.h"

/* collect - the raid family of tree @tree into a new data (caller frees). */
static struct rtlab_probe_data *collect(const char *tree)
{
	struct rtlab_probe *p = probe_fixture(tree);
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_RAID), d), 0);
	cr_assert_eq(d->err[RTLAB_PF_RAID], 0);
	rtlab_probe_free(p);
	return d;
}

/* md arrays with their sysfs attributes. */
Test(raid, md_sysfs)
{
	struct rtlab_probe_data *d = collect("raid");
	const struct rtlab_md_array *a = &d->raid.md[0];

	cr_assert_eq(d->why[RTLAB_PF_RAID][0], '\0', "%s", d->why[RTLAB_PF_RAID]);
	cr_assert_eq(d->raid.md_arrays.v, 5);
	cr_assert_str_eq(a->array_state, "clean");
	cr_assert_str_eq(a->level, "raid1");
	cr_assert_str_eq(a->sync_action, "recover");
	cr_assert_eq(a->raid_disks.v, 2);
	cr_assert_eq(a->degraded.v, 1);
	cr_assert_eq(a->sync_completed_sectors.v, 262144);
	cr_assert_eq(a->sync_total_sectors.v, 2093056);
	cr_assert_eq(a->mismatch_sectors.v, 0);
	cr_assert_eq(d->raid.md[2].degraded.st, RTLAB_PV_ABSENT, "raid0 has no degraded");
	cr_assert_eq(d->raid.md[4].sync_completed_sectors.st, RTLAB_PV_ABSENT, "delayed");
	cr_assert_eq(d->raid.md[4].mismatch_sectors.v, 128);
	rtlab_probe_data_free(d);
}

/* device-mapper: LVM volumes split into group and volume, others not. */
Test(raid, device_mapper)
{
	struct rtlab_probe_data *d = collect("raid");
	const struct rtlab_dm_dev *dm = d->raid.dm;

	cr_assert_eq(d->raid.dm_devices.v, 4);
	for (size_t i = 0; i < d->raid.ndm; i++) {
		if (strcmp(dm[i].device, "dm-1") == 0) {
			cr_assert_str_eq(dm[i].vg, "my-vg");
			cr_assert_str_eq(dm[i].lv, "my-lv");
		} else if (strcmp(dm[i].device, "dm-2") == 0) {
			cr_assert_str_eq(dm[i].vg, "", "a crypt device is not LVM");
			cr_assert(strncmp(dm[i].uuid, "CRYPT-LUKS2-", 12) == 0);
		} else if (strcmp(dm[i].device, "dm-3") == 0) {
			cr_assert_str_eq(dm[i].layer, "real");
		}
		cr_assert_eq(dm[i].suspended.v, 0);
		cr_assert_eq(dm[i].name_st, RTLAB_PV_OK);
	}
	rtlab_probe_data_free(d);
}

/* btrfs: label with a space, allocation per type and profile, devices. */
Test(raid, btrfs)
{
	struct rtlab_probe_data *d = collect("raid");
	const struct rtlab_btrfs_fs *fs = &d->raid.btrfs[0];
	const struct rtlab_btrfs_alloc *data = &fs->alloc[RTLAB_BTRFS_DATA];

	cr_assert_eq(d->raid.btrfs_filesystems.v, 1, "features/ is not a file system");
	cr_assert_str_eq(fs->uuid, "7b1e8f2c-3d4a-4c5b-9e6f-0a1b2c3d4e5f");
	cr_assert_str_eq(fs->label, "backup pool");
	cr_assert_eq(fs->nodesize.v, 16384);
	cr_assert_eq(fs->global_rsv_size.v, 536870912);
	cr_assert_eq(data->total_bytes.v, 800ull << 30);
	cr_assert_eq(data->disk_total.v, 1600ull << 30);
	cr_assert_eq(data->nprofiles, 1);
	cr_assert_str_eq(data->profiles[0].name, "raid1");
	cr_assert_eq(data->profiles[0].used_bytes.v, (612ull << 30) + 123456789);
	cr_assert_eq(fs->alloc[RTLAB_BTRFS_SYSTEM].bytes_used.v, 131072);
	cr_assert_eq(fs->ndevs, 2);
	cr_assert_eq(d->raid.btrfs_devs[fs->first_dev].size_bytes.v, 3907027087ull * 512);
	rtlab_probe_data_free(d);
}

/* zfs: ARC counters and pools; arcstats (a file) is not a pool. */
Test(raid, zfs)
{
	struct rtlab_probe_data *d = collect("raid");

	cr_assert_eq(d->raid.zfs_pools.v, 2);
	for (size_t i = 0; i < d->raid.nzfs; i++) {
		const struct rtlab_zfs_pool *z = &d->raid.zfs[i];

		cr_assert_str_eq(z->state, strcmp(z->name, "tank") == 0 ? "ONLINE" : "DEGRADED",
				 "%s", z->name);
	}
	cr_assert_eq(d->raid.arc[RTLAB_ZFS_ARC_MISSES].v, 192234);
	rtlab_probe_data_free(d);
}

/* This VM has none of them: absent (md, zfs) or empty (btrfs module, dm), with the reason. */
Test(raid, vm_absent_with_reason)
{
	struct rtlab_probe_data *d = collect("vm");

	cr_assert_eq(d->raid.md_arrays.st, RTLAB_PV_ABSENT);
	cr_assert(strstr(d->why[RTLAB_PF_RAID], "/proc/mdstat"), "%s", d->why[RTLAB_PF_RAID]);
	cr_assert_eq(d->raid.nmd, 0);
	cr_assert_eq(d->raid.dm_devices.st, RTLAB_PV_OK);
	cr_assert_eq(d->raid.dm_devices.v, 0);
	cr_assert_eq(d->raid.btrfs_filesystems.st, RTLAB_PV_OK);
	cr_assert_eq(d->raid.btrfs_filesystems.v, 0);
	cr_assert_eq(d->raid.zfs_pools.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->raid.arc_st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->raid.arc[RTLAB_ZFS_ARC_HITS].st, RTLAB_PV_ABSENT);
	rtlab_probe_data_free(d);
}

/* Damaged files: a malformed md attribute and a truncated mdstat are named. */
Test(raid, damaged)
{
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	char root[PATH_MAX];

	tree_new(root, sizeof(root));
	tree_put(root, "/proc/mdstat",
		 "md0 : active raid1 sdb1[1] sda1[0]\n      1046528 blocks super 1.2 [2/2] [UU]\n");
	tree_put(root, "/sys/block/md0/md/degraded", "x\n");
	tree_put(root, "/proc/spl/kstat/zfs/arcstats", "13 1 0x01 1 2 3 4\n");
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_RAID), d), 0);
	cr_assert_eq(d->raid.md[0].degraded.st, RTLAB_PV_MALFORMED);
	cr_assert(strstr(d->why[RTLAB_PF_RAID], "/sys/block/md0/md/degraded:1"), "%s",
		  d->why[RTLAB_PF_RAID]);
	cr_assert_eq(d->raid.md[0].array_state_st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->raid.arc_st, RTLAB_PV_MALFORMED);
	cr_assert_eq(d->raid.zfs_pools.v, 0);
	rtlab_probe_free(p);

	tree_put(root, "/proc/mdstat", "md0 : active raid1 sdb1[1] sda1[0]\n      10");
	rtlab_probe_data_free(d);	/* a slow family: new data, not a TTL cache hit */
	d = rtlab_probe_data_new();
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_RAID), d), 0);
	cr_assert(strstr(d->why[RTLAB_PF_RAID], "/proc/mdstat:1"), "%s", d->why[RTLAB_PF_RAID]);
	cr_assert_eq(d->raid.md[0].blocks_kb.st, RTLAB_PV_MALFORMED);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
	tree_free(root);
}

struct raid_seen {
	double md0_recovering, md0_failed, md4_synced, md2_synced, ratio, degraded, arc_hits;
	unsigned md_states, zfs_states, btrfs_info;
};

/* label - the value of label @name, or "". */
static const char *label(const struct rtlab_label *l, size_t nl, const char *name)
{
	for (size_t i = 0; i < nl; i++)
		if (strcmp(l[i].name, name) == 0)
			return l[i].value;
	return "";
}

/* value - a sample as a double. */
static double value(const struct rtlab_mval *v)
{
	return v->kind == RTLAB_MV_F64	 ? v->f
	       : v->kind == RTLAB_MV_I64 ? (double)v->i
					 : (double)v->u;
}

/* raid_sample - what the metrics test checks. */
static int raid_sample(void *arg, const struct rtlab_metric *m, const struct rtlab_label *l,
		       size_t nl, const struct rtlab_mval *v)
{
	struct raid_seen *s = arg;
	const char *dev = label(l, nl, "device"), *state = label(l, nl, "state");

	if (strcmp(m->name, "node_md_state") == 0) {
		s->md_states++;
		if (strcmp(dev, "md0") == 0 && strcmp(state, "recovering") == 0)
			s->md0_recovering = value(v);
	} else if (strcmp(m->name, "node_md_disks") == 0 && strcmp(dev, "md0") == 0 &&
		   strcmp(state, "failed") == 0) {
		s->md0_failed = value(v);
	} else if (strcmp(m->name, "node_md_blocks_synced") == 0) {
		if (strcmp(dev, "md4") == 0)
			s->md4_synced = value(v);
		if (strcmp(dev, "md2") == 0)
			s->md2_synced = value(v);
	} else if (strcmp(m->name, "node_btrfs_allocation_ratio") == 0 &&
		   strcmp(label(l, nl, "block_group_type"), "data") == 0) {
		s->ratio = value(v);
	} else if (strcmp(m->name, "node_zfs_zpool_state") == 0) {
		s->zfs_states++;
		if (strcmp(label(l, nl, "zpool"), "backup") == 0 && strcmp(state, "degraded") == 0)
			s->degraded = value(v);
	} else if (strcmp(m->name, "node_zfs_arc_hits") == 0) {
		s->arc_hits = value(v);
	} else if (strcmp(m->name, "node_btrfs_info") == 0) {
		s->btrfs_info++;
		cr_assert_str_eq(label(l, nl, "label"), "backup pool");
	}
	return 0;
}

/* Metrics: node_exporter's mdadm, btrfs and zfs names, labels and rules. */
Test(raid, metrics)
{
	struct rtlab_probe_data *d = collect("raid");
	struct raid_seen seen = { 0 };
	struct rtlab_probe_sink sink = { .arg = &seen, .sample = raid_sample };

	cr_assert_eq(rtlab_probe_emit(d, RTLAB_PF_BIT(RTLAB_PF_RAID), &sink), 0);
	cr_assert_eq(seen.md_states, 5 * 5);
	cr_assert_float_eq(seen.md0_recovering, 1, 0);
	cr_assert_float_eq(seen.md0_failed, 1, 0);
	cr_assert_float_eq(seen.md4_synced, 0, 0, "resync=DELAYED: nothing synced yet");
	cr_assert_float_eq(seen.md2_synced, 2093056, 0);
	cr_assert_float_eq(seen.ratio, 2, 0, "raid1");
	cr_assert_eq(seen.zfs_states, 2 * 7);
	cr_assert_float_eq(seen.degraded, 1, 0);
	cr_assert_float_eq(seen.arc_hits, 8373493, 0);
	cr_assert_eq(seen.btrfs_info, 1);
	rtlab_probe_data_free(d);
}

/* Once warm, a collection allocates nothing. */
Test(raid, no_allocation_when_warm)
{
	struct rtlab_probe_opts o = { .ttl_slow_ns = 1 };	/* collected every time */
	struct rtlab_probe_data *d;
	struct rtlab_probe *p;
	char root[PATH_MAX];
	unsigned long n;

	if (!ALLOC_COUNTING)
		cr_skip_test("malloc is AddressSanitizer's: counted in the plain build");
	d = rtlab_probe_data_new();
	p = probe_at(fixture_root("raid", root, sizeof(root)), &o);
	n = alloc_in_collections(p, RTLAB_PF_BIT(RTLAB_PF_RAID), d);
	cr_assert_eq(n, 0, "%lu allocations", n);
	cr_assert_eq(d->raid.nmd, 5);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}
