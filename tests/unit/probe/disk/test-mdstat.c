/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-mdstat.c - mdstat, sync_completed, LVM names and arcstats parsers. */
#include "../test-probe.h"

#include "disk/disk-parse.h"

/* load - the raid tree's mdstat parsed into @r. */
static void load(struct rtlab_probe_raid *r)
{
	size_t len;
	char *buf = fixture_load("raid", "/proc/mdstat", &len);

	cr_assert_eq(mdstat_parse(buf, len, r), 0);
	free(buf);
}

/* done - free what the parser grew. */
static void done(struct rtlab_probe_raid *r)
{
	free(r->md);
	free(r->md_members);
}

/* A degraded raid1 recovering onto a new member, with a failed one and a bitmap. */
Test(mdstat, degraded_recovering_raid1)
{
	struct rtlab_probe_raid r = { 0 };
	const struct rtlab_md_array *a;
	const struct rtlab_md_member *m;

	load(&r);
	cr_assert_eq(r.nmd, 5);
	a = &r.md[0];
	cr_assert_str_eq(a->name, "md0");
	cr_assert_eq(a->run, RTLAB_MD_ACTIVE);
	cr_assert_str_eq(a->personality, "raid1");
	cr_assert_str_eq(a->super, "1.2");
	cr_assert_eq(a->blocks_kb.v, 1046528);
	cr_assert_eq(a->disks_required.v, 2);
	cr_assert_eq(a->disks_active.v, 1);
	cr_assert_eq(a->disks_failed.v, 1);
	cr_assert_eq(a->disks_spare.v, 0);
	cr_assert_eq(a->disks_down.v, 1);
	cr_assert_str_eq(a->map, "U_");
	cr_assert_eq(a->sync, RTLAB_MD_SYNC_RECOVERY);
	cr_assert_float_eq(a->sync_ratio.v, 0.125, 1e-9);
	cr_assert_eq(a->sync_done_kb.v, 131072);
	cr_assert_eq(a->sync_total_kb.v, 1046528);
	cr_assert_float_eq(a->sync_finish_s.v, 72.0, 1e-9);
	cr_assert_eq(a->sync_speed_kbps.v, 12800);
	cr_assert_eq(a->blocks_synced_kb.v, 131072);
	cr_assert_eq(a->bitmap_pages.v, 1);
	cr_assert_eq(a->bitmap_pages_total.v, 1);
	cr_assert_eq(a->array_state_st, RTLAB_PV_ABSENT, "sysfs is the collector's");
	cr_assert_eq(a->nmembers, 3);
	m = &r.md_members[a->first_member];
	cr_assert_str_eq(m[0].name, "sdc1");
	cr_assert_eq(m[0].role.v, 2);
	cr_assert_eq(m[0].flags, 0);
	cr_assert_str_eq(m[1].name, "sdb1");
	cr_assert_eq(m[1].flags, RTLAB_MD_FAULTY);
	cr_assert_eq(m[1].array, 0);
	done(&r);
}

/* raid5 resync, raid0 (member count), inactive (spare), delayed resync on a read-only array. */
Test(mdstat, other_arrays)
{
	struct rtlab_probe_raid r = { 0 };

	load(&r);
	cr_assert_eq(r.md[1].sync, RTLAB_MD_SYNC_RESYNC);
	cr_assert_float_eq(r.md[1].sync_ratio.v, 0.425, 1e-9);
	cr_assert_eq(r.md[1].disks_required.v, 3);
	cr_assert_eq(r.md[1].disks_down.v, 0);
	cr_assert_eq(r.md[1].blocks_synced_kb.v, 444928);
	cr_assert_eq(r.md[1].bitmap_pages.st, RTLAB_PV_ABSENT);
	cr_assert_str_eq(r.md[2].personality, "raid0");
	cr_assert_eq(r.md[2].disks_required.v, 2);
	cr_assert_eq(r.md[2].disks_active.v, 2);
	cr_assert_eq(r.md[2].blocks_synced_kb.v, 2093056, "not syncing: all blocks");
	cr_assert_eq(r.md[2].sync_ratio.st, RTLAB_PV_ABSENT);
	cr_assert_eq(r.md[3].run, RTLAB_MD_INACTIVE);
	cr_assert_str_eq(r.md[3].personality, "");
	cr_assert_eq(r.md[3].disks_spare.v, 1);
	cr_assert_eq(r.md[3].disks_active.v, 0);
	cr_assert_eq(r.md[3].disks_required.st, RTLAB_PV_ABSENT);
	cr_assert_eq(r.md[4].read_only, 2);
	cr_assert_str_eq(r.md[4].sync_wait, "DELAYED");
	cr_assert_eq(r.md[4].sync, RTLAB_MD_SYNC_RESYNC);
	cr_assert_eq(r.md[4].blocks_synced_kb.v, 0);
	cr_assert_eq(r.nmd_members, 11);
	done(&r);
}

/* Damaged: a cut status line, a line that is not an array, garbage; the rest still parses. */
Test(mdstat, damaged)
{
	const char *s = "Personalities : [raid1]\n"
			"md0 : active raid1 sdb1[1] sda1[0]\n"
			"      10 blocks\n"
			"md1 bogus line\n"
			"md2 : active raid1 sdd1[1] sdc1[x]\n"
			"      1046528 blocks super 1.2 [2/2] [UU]\n"
			"md3 : active raid1 sdf1[1] sde1[0]\n"
			"      104";
	struct rtlab_probe_raid r = { 0 };

	cr_assert_eq(mdstat_parse(s, strlen(s), &r), -EBADMSG);
	cr_assert_eq(r.md_bad_line, 4);
	cr_assert_eq(r.nmd, 3);
	cr_assert_eq(r.md[0].blocks_kb.v, 10);
	cr_assert_eq(r.md[0].disks_required.st, RTLAB_PV_UNSUPPORTED, "raid1 without [n/m]");
	cr_assert_str_eq(r.md[1].name, "md2");
	cr_assert_eq(r.md[1].nmembers, 1, "the unreadable member is left out");
	cr_assert_eq(r.md[2].blocks_kb.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(mdstat_parse("", 0, &r), 0);
	cr_assert_eq(r.nmd, 0);
	s = "Personalities : \nunused devices: <none>\n";
	cr_assert_eq(mdstat_parse(s, strlen(s), &r), 0);
	cr_assert_eq(r.nmd, 0);
	done(&r);
}

/* A resync line that lost its numbers is malformed, not zero. */
Test(mdstat, sync_line_without_numbers)
{
	const char *s = "md0 : active raid1 sdb1[1] sda1[0]\n"
			"      1046528 blocks super 1.2 [2/2] [UU]\n"
			"      [==>..................]  resync = \n";
	struct rtlab_probe_raid r = { 0 };

	cr_assert_eq(mdstat_parse(s, strlen(s), &r), -EBADMSG);
	cr_assert_eq(r.md[0].sync, RTLAB_MD_SYNC_RESYNC);
	cr_assert_eq(r.md[0].blocks_synced_kb.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(r.md[0].sync_ratio.st, RTLAB_PV_ABSENT);
	done(&r);
}

/* md/sync_completed. */
Test(mdstat, sync_completed)
{
	uint64_t a, b;

	cr_assert_eq(md_sync_completed_parse("262144 / 2093056\n", 17, &a, &b), 0);
	cr_assert_eq(a, 262144);
	cr_assert_eq(b, 2093056);
	cr_assert_eq(md_sync_completed_parse("none\n", 5, &a, &b), -ENODATA);
	cr_assert_eq(md_sync_completed_parse("delayed\n", 8, &a, &b), -ENODATA);
	cr_assert_eq(md_sync_completed_parse("12 /\n", 5, &a, &b), -EBADMSG);
	cr_assert_eq(md_sync_completed_parse("", 0, &a, &b), -EBADMSG);
}

/* LVM device-mapper names: "--" is a '-' inside a name. */
Test(mdstat, lvm_names)
{
	char vg[16], lv[16], layer[8];

	cr_assert_eq(dm_lvm_split("vg0-root", vg, sizeof(vg), lv, sizeof(lv), layer,
				  sizeof(layer)), 0);
	cr_assert_str_eq(vg, "vg0");
	cr_assert_str_eq(lv, "root");
	cr_assert_str_eq(layer, "");
	cr_assert_eq(dm_lvm_split("my--vg-my--lv", vg, sizeof(vg), lv, sizeof(lv), layer,
				  sizeof(layer)), 0);
	cr_assert_str_eq(vg, "my-vg");
	cr_assert_str_eq(lv, "my-lv");
	cr_assert_eq(dm_lvm_split("vg0-data-real", vg, sizeof(vg), lv, sizeof(lv), layer,
				  sizeof(layer)), 0);
	cr_assert_str_eq(lv, "data");
	cr_assert_str_eq(layer, "real");
	cr_assert_eq(dm_lvm_split("nohyphen", vg, sizeof(vg), lv, sizeof(lv), layer,
				  sizeof(layer)), -EINVAL);
	cr_assert_eq(dm_lvm_split("-x", vg, sizeof(vg), lv, sizeof(lv), layer, sizeof(layer)),
		     -EINVAL);
	cr_assert_eq(dm_lvm_split("a--b", vg, sizeof(vg), lv, sizeof(lv), layer, sizeof(layer)),
		     -EINVAL);
}

/* arcstats: the kept counters, int64 rows, absent ones; no header is malformed. */
Test(mdstat, arcstats)
{
	struct rtlab_probe_raid r = { 0 };
	size_t len;
	char *buf = fixture_load("raid", "/proc/spl/kstat/zfs/arcstats", &len);

	cr_assert_eq(arcstats_parse(buf, len, &r), 0);
	cr_assert_eq(r.arc_st, RTLAB_PV_OK);
	cr_assert_eq(r.arc[RTLAB_ZFS_ARC_HITS].v, 8373493);
	cr_assert_eq(r.arc[RTLAB_ZFS_ARC_C_MAX].v, 16565141504ull);
	cr_assert_eq(r.arc[RTLAB_ZFS_ARC_META_USED].v, 1602232320);
	cr_assert_str_eq(zfs_arc_name(RTLAB_ZFS_ARC_META_USED), "arc_meta_used");
	cr_assert_null(zfs_arc_name(RTLAB_ZFS_ARC__COUNT));
	free(buf);
	cr_assert_eq(arcstats_parse("hits 4 12\n", 10, &r), -EBADMSG);
	cr_assert_eq(r.arc_st, RTLAB_PV_MALFORMED);
	cr_assert_eq(r.arc[RTLAB_ZFS_ARC_HITS].st, RTLAB_PV_MALFORMED);
	const char *t = "x\nname type data\nhits 4 12\nmisses 7 abc\n";

	cr_assert_eq(arcstats_parse(t, strlen(t), &r), -EBADMSG);
	cr_assert_eq(r.arc[RTLAB_ZFS_ARC_HITS].v, 12);
	cr_assert_eq(r.arc[RTLAB_ZFS_ARC_MISSES].st, RTLAB_PV_MALFORMED);
	cr_assert_eq(r.arc[RTLAB_ZFS_ARC_SIZE].st, RTLAB_PV_ABSENT);
}
