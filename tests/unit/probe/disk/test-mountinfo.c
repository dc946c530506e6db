/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-mountinfo.c - mountinfo parser: fields, octal escapes, hostile names, damaged lines. */
#include "../test-probe.h"

#include "disk/disk-parse.h"

/* load - the raid tree's mountinfo into @fs (freed with done()). */
static void load(const char *tree, struct rtlab_probe_fs *fs)
{
	size_t len;
	char *buf = fixture_load(tree, "/proc/self/mountinfo", &len);

	cr_assert_eq(mountinfo_parse(buf, len, fs), 0);
	/* The strings live in fs->strs, not in the buffer. */
	memset(buf, 'x', len);
	free(buf);
}

/* done - free what the parser grew. */
static void done(struct rtlab_probe_fs *fs)
{
	free(fs->mounts);
	free(fs->strs);
}

/* by_id - the mount with id @id. */
static const struct rtlab_fs_mount *by_id(const struct rtlab_probe_fs *fs, uint32_t id)
{
	for (size_t i = 0; i < fs->nmounts; i++)
		if (fs->mounts[i].mount_id == id)
			return &fs->mounts[i];
	cr_assert_fail("no mount %u", id);
	return NULL;
}

/* Every field of a line, optional tags included. */
Test(mountinfo, fields)
{
	struct rtlab_probe_fs fs = { 0 };
	const struct rtlab_fs_mount *m;

	load("raid", &fs);
	cr_assert_eq(fs.nmounts, 20);
	m = by_id(&fs, 33);
	cr_assert_eq(m->parent_id, 32);
	cr_assert_eq(m->major, 0);
	cr_assert_eq(m->minor, 40);
	cr_assert_str_eq(m->root, "/snapshots");
	cr_assert_str_eq(m->mount_point, "/backup/snap");
	cr_assert_str_eq(m->options, "ro,relatime");
	cr_assert_str_eq(m->tags, "shared:33");
	cr_assert_str_eq(m->fstype, "btrfs");
	cr_assert_str_eq(m->source, "/dev/sdl1");
	cr_assert_str_eq(m->super_options, "ro,space_cache=v2,subvolid=257,subvol=/snapshots");
	cr_assert_eq(m->readonly.v, 1);
	cr_assert_eq(m->kind, RTLAB_FS_KIND_LOCAL);
	cr_assert_eq(m->size_bytes.st, RTLAB_PV_ABSENT, "statvfs is the collector's");
	cr_assert_eq(by_id(&fs, 26)->readonly.v, 0);
	cr_assert_eq(by_id(&fs, 26)->major, 253);
	done(&fs);
}

/* Octal escapes decoded: space, newline, tab, backslash; quotes kept as they are. */
Test(mountinfo, escapes_and_hostile_names)
{
	struct rtlab_probe_fs fs = { 0 };

	load("raid", &fs);
	cr_assert_str_eq(by_id(&fs, 50)->mount_point, "/data/with space");
	cr_assert_str_eq(by_id(&fs, 51)->mount_point, "/data/new\nline\ttab");
	cr_assert_str_eq(by_id(&fs, 52)->mount_point, "/data/\"quoted\"\\back's");
	cr_assert_eq(by_id(&fs, 52)->readonly.v, 1);
	done(&fs);
}

/* Kinds, node_exporter's exclusions, and a mount covered by a later one. */
Test(mountinfo, kinds_exclusions_hidden)
{
	struct rtlab_probe_fs fs = { 0 };

	load("raid", &fs);
	cr_assert_eq(by_id(&fs, 40)->kind, RTLAB_FS_KIND_NETWORK);
	cr_assert_eq(by_id(&fs, 41)->kind, RTLAB_FS_KIND_NETWORK);
	cr_assert_eq(by_id(&fs, 42)->kind, RTLAB_FS_KIND_NETWORK, "fuse.sshfs");
	cr_assert_eq(by_id(&fs, 25)->kind, RTLAB_FS_KIND_MEMORY);
	cr_assert_eq(by_id(&fs, 21)->kind, RTLAB_FS_KIND_PSEUDO);
	cr_assert_eq(by_id(&fs, 27)->kind, RTLAB_FS_KIND_PSEUDO);
	cr_assert(by_id(&fs, 21)->excluded);
	cr_assert(by_id(&fs, 23)->excluded, "devtmpfs");
	cr_assert(by_id(&fs, 70)->excluded, "autofs");
	cr_assert(by_id(&fs, 80)->excluded, "squashfs");
	cr_assert(!by_id(&fs, 25)->excluded, "tmpfs is reported");
	cr_assert(!by_id(&fs, 26)->excluded);
	cr_assert(by_id(&fs, 60)->hidden, "tmpfs covered by the vfat mount");
	cr_assert(!by_id(&fs, 61)->hidden);
	cr_assert(!by_id(&fs, 26)->hidden);
	done(&fs);
}

/* Unescaping at the edges: short, non-octal, out of range and \000 sequences are kept. */
Test(mountinfo, unescape_edges)
{
	char out[32];

	cr_assert_eq(mnt_unescape(out, "a\\040b", 6), 3);
	cr_assert_str_eq(out, "a b");
	cr_assert_eq(mnt_unescape(out, "a\\04", 4), 4);
	cr_assert_str_eq(out, "a\\04");
	cr_assert_eq(mnt_unescape(out, "\\999\\400", 8), 8);
	cr_assert_str_eq(out, "\\999\\400");
	cr_assert_eq(mnt_unescape(out, "\\000x", 5), 5);
	cr_assert_str_eq(out, "\\000x");
	cr_assert_eq(mnt_unescape(out, "\\377", 4), 1);
	cr_assert_eq((unsigned char)out[0], 0xff);
	cr_assert_eq(mnt_unescape(out, "\\134\\134", 8), 2);
	cr_assert_str_eq(out, "\\\\");
}

/* Damaged lines are skipped and the first one's number kept; the others still parse. */
Test(mountinfo, damaged_lines)
{
	const char *s = "26 1 253:0 / / rw - ext4 /dev/sda1 rw\n"
			"27 26 0:5 / /x rw shared:1 ext4 /dev/sda2 rw\n"	/* no "-" */
			"28 26 zz / /y rw - ext4 /dev/sda3 rw\n"
			"29 26 8:4 / /z rw -\n"
			"garbage\n"
			"30 26 8:5 / /w rw - xfs /dev/sda5 rw";		/* no final newline */
	struct rtlab_probe_fs fs = { 0 };

	cr_assert_eq(mountinfo_parse(s, strlen(s), &fs), -EBADMSG);
	cr_assert_eq(fs.nmounts, 2);
	cr_assert_eq(fs.bad_line, 2);
	cr_assert_str_eq(fs.mounts[0].mount_point, "/");
	cr_assert_str_eq(fs.mounts[1].mount_point, "/w");
	cr_assert_str_eq(fs.mounts[1].super_options, "rw");
	cr_assert_eq(mountinfo_parse("", 0, &fs), 0);
	cr_assert_eq(fs.nmounts, 0);
	done(&fs);
}

/* A parse re-uses its arrays; a longer file grows them, and old strings are not kept. */
Test(mountinfo, reparse)
{
	struct rtlab_probe_fs fs = { 0 };
	const char *a = "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n";
	const char *b =
		"1 0 8:1 / / rw - ext4 /dev/sda1 rw\n2 1 8:2 / /home rw - ext4 /dev/sda2 rw\n";

	cr_assert_eq(mountinfo_parse(b, strlen(b), &fs), 0);
	cr_assert_eq(fs.nmounts, 2);
	cr_assert_eq(mountinfo_parse(a, strlen(a), &fs), 0);
	cr_assert_eq(fs.nmounts, 1);
	cr_assert_str_eq(fs.mounts[0].source, "/dev/sda1");
	done(&fs);
}

/* The captured vm file parses whole. */
Test(mountinfo, vm_fixture)
{
	struct rtlab_probe_fs fs = { 0 };
	size_t len, lines = 0;
	char *buf = fixture_load("vm", "/proc/self/mountinfo", &len);

	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	cr_assert_eq(mountinfo_parse(buf, len, &fs), 0);
	cr_assert_eq(fs.nmounts, lines);
	cr_assert_str_eq(fs.mounts[fs.nmounts > 5 ? 5 : 0].mount_point, "/");
	free(buf);
	done(&fs);
}
