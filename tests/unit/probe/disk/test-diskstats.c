/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-diskstats.c - /proc/diskstats and queue attribute parsers on good and damaged input. */
#include "../test-probe.h"

#include "disk/disk-parse.h"
#include "probe-internal.h"

/* parse - @text into a fresh @dk (freed by the caller). */
static int parse(const char *text, struct rtlab_probe_disk *dk)
{
	return diskstats_parse(text, strlen(text), dk);
}

/* The 20-field line of Linux 5.5+: every counter in file order. */
Test(diskstats, twenty_fields)
{
	const char *s = "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n";
	struct rtlab_probe_disk dk = { 0 };

	cr_assert_eq(parse(s, &dk), 0);
	cr_assert_eq(dk.ndevs, 1);
	cr_assert_str_eq(dk.devs[0].name, "sda");
	cr_assert_eq(dk.devs[0].major, 8);
	cr_assert_eq(dk.devs[0].minor, 0);
	cr_assert_eq(dk.devs[0].nfields, 20);
	for (unsigned i = 0; i < RTLAB_DISK_STAT__COUNT; i++) {
		cr_assert_eq(dk.devs[0].stat[i].st, RTLAB_PV_OK, "field %u", i);
		cr_assert_eq(dk.devs[0].stat[i].v, i + 1, "field %u", i);
	}
	cr_assert_eq(dk.devs[0].rate[RTLAB_DISK_UTILIZATION].st, RTLAB_PV_NOT_READY);
	cr_assert_eq(dk.devs[0].size_bytes.st, RTLAB_PV_ABSENT);
	free(dk.devs);
}

/* 18 fields (4.18 to 5.4): discards read, flushes unsupported; 14 fields: neither. */
Test(diskstats, older_kernels_mark_missing_fields_unsupported)
{
	const char *s = " 259 0 nvme0n1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n"
			"   8 16 sdb 1 2 3 4 5 6 7 8 9 10 11\n";
	struct rtlab_probe_disk dk = { 0 };

	cr_assert_eq(parse(s, &dk), 0);
	cr_assert_eq(dk.ndevs, 2);
	cr_assert_eq(dk.devs[0].nfields, 18);
	cr_assert_eq(dk.devs[0].stat[RTLAB_DISK_DISCARD_MS].st, RTLAB_PV_OK);
	cr_assert_eq(dk.devs[0].stat[RTLAB_DISK_DISCARD_MS].v, 15);
	cr_assert_eq(dk.devs[0].stat[RTLAB_DISK_FLUSHES].st, RTLAB_PV_UNSUPPORTED);
	cr_assert_eq(dk.devs[1].nfields, 14);
	cr_assert_eq(dk.devs[1].stat[RTLAB_DISK_WEIGHTED_IO_MS].v, 11);
	cr_assert_eq(dk.devs[1].stat[RTLAB_DISK_DISCARDS].st, RTLAB_PV_UNSUPPORTED);
	cr_assert_eq(dk.devs[1].stat[RTLAB_DISK_FLUSH_MS].st, RTLAB_PV_UNSUPPORTED);
	free(dk.devs);
}

/* A future kernel's extra fields are counted and ignored. */
Test(diskstats, extra_fields_ignored)
{
	const char *s = "8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19";
	struct rtlab_probe_disk dk = { 0 };

	cr_assert_eq(parse(s, &dk), 0);
	cr_assert_eq(dk.devs[0].nfields, 22);
	cr_assert_eq(dk.devs[0].stat[RTLAB_DISK_FLUSH_MS].v, 17);
	free(dk.devs);
}

/* Truncated lines: what was read stays, the rest is malformed, never zero-but-ok. */
Test(diskstats, truncated_is_malformed)
{
	const char *s = "8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13\n8 1 sda1 1 2 3";
	struct rtlab_probe_disk dk = { 0 };

	cr_assert_eq(parse(s, &dk), -EBADMSG);
	cr_assert_eq(dk.ndevs, 2);
	cr_assert_eq(dk.devs[0].stat[RTLAB_DISK_DISCARDS_MERGED].st, RTLAB_PV_OK);
	cr_assert_eq(dk.devs[0].stat[RTLAB_DISK_DISCARD_SECTORS].st, RTLAB_PV_MALFORMED);
	cr_assert_eq(dk.devs[1].stat[RTLAB_DISK_READ_SECTORS].v, 3);
	cr_assert_eq(dk.devs[1].stat[RTLAB_DISK_READ_MS].st, RTLAB_PV_MALFORMED);
	free(dk.devs);
}

/* Garbage: lines without major, minor and name are skipped; "12x" is not a number. */
Test(diskstats, garbage_lines)
{
	const char *s = "garbage here\n\n   \n8 0\n8 0 sda 1 2x 3\n99999999999 0 big 1\n"
			"8 16 sdb 18446744073709551616 2\n";
	struct rtlab_probe_disk dk = { 0 };

	cr_assert_eq(parse(s, &dk), -EBADMSG);
	cr_assert_eq(dk.ndevs, 2);
	cr_assert_str_eq(dk.devs[0].name, "sda");
	cr_assert_eq(dk.devs[0].stat[RTLAB_DISK_READS].v, 1);
	cr_assert_eq(dk.devs[0].stat[RTLAB_DISK_READS_MERGED].st, RTLAB_PV_MALFORMED);
	cr_assert_str_eq(dk.devs[1].name, "sdb");
	cr_assert_eq(dk.devs[1].stat[RTLAB_DISK_READS].st, RTLAB_PV_MALFORMED, "overflow");
	free(dk.devs);
}

/* The same device at the same index keeps what sysfs said; another one starts afresh. */
Test(diskstats, entries_keep_sysfs_only_for_the_same_device)
{
	struct rtlab_probe_disk dk = { 0 };

	cr_assert_eq(parse("8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n8 16 sdb 1 2 3 4 5 6 7 8 9 10 11\n",
			   &dk), 0);
	PV_SET(dk.devs[0].size_bytes, 1000);
	PV_SET(dk.devs[1].size_bytes, 2000);
	cr_assert_eq(parse("8 0 sda 2 2 3 4 5 6 7 8 9 10 11\n8 32 sdc 1 2 3 4 5 6 7 8 9 10 11\n",
			   &dk), 0);
	cr_assert_eq(dk.devs[0].size_bytes.v, 1000);
	cr_assert_eq(dk.devs[0].stat[RTLAB_DISK_READS].v, 2);
	cr_assert_str_eq(dk.devs[1].name, "sdc");
	cr_assert_eq(dk.devs[1].size_bytes.st, RTLAB_PV_ABSENT);
	free(dk.devs);
}

/* Kinds from names; partitions are told by sysfs, not here. */
Test(diskstats, kinds_from_names)
{
	cr_assert_eq(disk_kind_of("loop7"), RTLAB_DISK_KIND_LOOP);
	cr_assert_eq(disk_kind_of("dm-12"), RTLAB_DISK_KIND_DM);
	cr_assert_eq(disk_kind_of("md127"), RTLAB_DISK_KIND_MD);
	cr_assert_eq(disk_kind_of("ram0"), RTLAB_DISK_KIND_RAM);
	cr_assert_eq(disk_kind_of("zram0"), RTLAB_DISK_KIND_ZRAM);
	cr_assert_eq(disk_kind_of("sda1"), RTLAB_DISK_KIND_DISK);
	cr_assert_eq(disk_kind_of("mdx"), RTLAB_DISK_KIND_DISK);
	cr_assert_eq(disk_kind_of("loop"), RTLAB_DISK_KIND_DISK);
}

/* Every line of the fixtures is a device. */
Test(diskstats, fixtures_parse)
{
	static const char *const trees[] = { "vm", "raid" };

	for (size_t t = 0; t < 2; t++) {
		size_t len, lines = 0;
		char *buf = fixture_load(trees[t], "/proc/diskstats", &len);
		struct rtlab_probe_disk dk = { 0 };

		for (size_t i = 0; i < len; i++)
			lines += buf[i] == '\n';
		cr_assert_eq(diskstats_parse(buf, len, &dk), 0, "%s", trees[t]);
		cr_assert_eq(dk.ndevs, lines, "%s", trees[t]);
		cr_assert_eq(dk.devs[0].nfields, 20);
		free(dk.devs);
		free(buf);
	}
}

/* queue/scheduler: the bracketed one, and the list. */
Test(diskstats, scheduler_list)
{
	char sel[32], list[64];
	const char *s = "none [mq-deadline] kyber bfq \n";

	cr_assert_eq(disk_sched_parse(s, strlen(s), sel, sizeof(sel), list, sizeof(list)), 0);
	cr_assert_str_eq(sel, "mq-deadline");
	cr_assert_str_eq(list, "none mq-deadline kyber bfq");
	cr_assert_eq(disk_sched_parse("none\n", 5, sel, sizeof(sel), list, sizeof(list)), 0);
	cr_assert_str_eq(sel, "none");
	cr_assert_eq(disk_sched_parse("a b\n", 4, sel, sizeof(sel), list, sizeof(list)), -EBADMSG);
	cr_assert_eq(disk_sched_parse("", 0, sel, sizeof(sel), list, sizeof(list)), -EBADMSG);
	/* A list longer than the room is cut, still terminated. */
	cr_assert_eq(disk_sched_parse(s, strlen(s), sel, 4, list, 8), 0);
	cr_assert_str_eq(sel, "mq-");
	cr_assert_str_eq(list, "none mq");
}

/* One-number and one-word attributes. */
Test(diskstats, sysfs_values)
{
	uint64_t v;
	char w[8];

	cr_assert_eq(sysfs_u64_parse("512\n", 4, &v), 0);
	cr_assert_eq(v, 512);
	cr_assert_eq(sysfs_u64_parse("512 \n", 5, &v), 0);
	cr_assert_eq(sysfs_u64_parse("5x\n", 3, &v), -EBADMSG);
	cr_assert_eq(sysfs_u64_parse("-1\n", 3, &v), -EBADMSG);
	cr_assert_eq(sysfs_u64_parse("", 0, &v), -EBADMSG);
	cr_assert_eq(sysfs_word_parse("  clean \nx", 10, w, sizeof(w)), 0);
	cr_assert_str_eq(w, "clean");
	cr_assert_eq(sysfs_word_parse("\n", 1, w, sizeof(w)), -EBADMSG);
	cr_assert_eq(sysfs_word_parse("write-pending\n", 14, w, sizeof(w)), 0);
	cr_assert_str_eq(w, "write-p");
}
