/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-kept.c - small files re-read through kept fds: fresh content, gone files, a full table. */
#include "test-probe.h"

#include <dirent.h>
#include <unistd.h>

#include "probe-internal.h"

/* open_fds - how many fds this process has open. */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* read_str - probe_read_kept() of @path, which must succeed, into @buf. */
static void read_str(struct rtlab_probe *p, const char *path, char *buf, size_t size)
{
	ssize_t n = probe_read_kept(p, path, buf, size);

	cr_assert_geq(n, 0, "%s: %s", path, strerror((int)-n));
}

/* A file written anew in place is read anew: a kept fd is re-read from offset 0. */
Test(kept, content_changed_in_place)
{
	char root[PATH_MAX], buf[64];
	struct rtlab_probe *p;

	tree_new(root, sizeof(root));
	tree_put(root, "/sys/block/vdz/size", "100\n");
	p = probe_at(root, NULL);
	read_str(p, "/sys/block/vdz/size", buf, sizeof(buf));
	cr_assert_str_eq(buf, "100\n");
	tree_put(root, "/sys/block/vdz/size", "2\n");
	read_str(p, "/sys/block/vdz/size", buf, sizeof(buf));
	cr_assert_str_eq(buf, "2\n");
	rtlab_probe_free(p);
	tree_free(root);
}

/* A file replaced (renamed over) or removed is looked up again, never read from the old inode. */
Test(kept, replaced_removed_then_back)
{
	char root[PATH_MAX], buf[64], a[PATH_MAX + 32], b[PATH_MAX + 32];
	struct rtlab_probe *p;

	tree_new(root, sizeof(root));
	tree_put(root, "/sys/block/vdz/queue/rotational", "1\n");
	tree_put(root, "/sys/block/vdz/new", "0\n");
	p = probe_at(root, NULL);
	read_str(p, "/sys/block/vdz/queue/rotational", buf, sizeof(buf));
	cr_assert_str_eq(buf, "1\n");
	snprintf(a, sizeof(a), "%s/sys/block/vdz/new", root);
	snprintf(b, sizeof(b), "%s/sys/block/vdz/queue/rotational", root);
	cr_assert_eq(rename(a, b), 0);
	read_str(p, "/sys/block/vdz/queue/rotational", buf, sizeof(buf));
	cr_assert_str_eq(buf, "0\n", "read from the replaced file: %s", buf);
	cr_assert_eq(unlink(b), 0);
	cr_assert_eq(probe_read_kept(p, "/sys/block/vdz/queue/rotational", buf, sizeof(buf)),
		     -ENOENT);
	tree_put(root, "/sys/block/vdz/queue/rotational", "1\n");
	read_str(p, "/sys/block/vdz/queue/rotational", buf, sizeof(buf));
	cr_assert_str_eq(buf, "1\n");
	rtlab_probe_free(p);
	tree_free(root);
}

/* More paths than the table keeps, and a path too long for it: all read right, fds bounded. */
Test(kept, full_table_and_long_paths_fall_back)
{
	char root[PATH_MAX], path[256], want[32], buf[64];
	struct rtlab_probe *p;
	int before, after;

	tree_new(root, sizeof(root));
	for (int i = 0; i < 400; i++) {
		snprintf(path, sizeof(path), "/sys/block/d%d/size", i);
		snprintf(want, sizeof(want), "%d\n", i);
		tree_put(root, path, want);
	}
	snprintf(path, sizeof(path), "/sys/block/%0150d/size", 7);
	tree_put(root, path, "long\n");
	p = probe_at(root, NULL);
	before = open_fds();
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 400; i++) {
			snprintf(path, sizeof(path), "/sys/block/d%d/size", i);
			snprintf(want, sizeof(want), "%d\n", i);
			read_str(p, path, buf, sizeof(buf));
			cr_assert_str_eq(buf, want);
		}
		snprintf(path, sizeof(path), "/sys/block/%0150d/size", 7);
		read_str(p, path, buf, sizeof(buf));
		cr_assert_str_eq(buf, "long\n");
	}
	after = open_fds();
	cr_assert_gt(after, before, "no fd kept");
	cr_assert_leq(after - before, 256, "%d fds kept", after - before);
	rtlab_probe_free(p);
	cr_assert_eq(open_fds(), before, "fds left open after rtlab_probe_free");
	tree_free(root);
}

/* On the live sysfs: the same bytes as a plain read, and one fd however often it is read. */
Test(kept, live_sysfs_attribute)
{
	struct rtlab_probe *p = probe_at("", NULL);
	char path[PATH_MAX], buf[64], want[64];
	struct dirent *e;
	DIR *d = opendir("/sys/block");
	int before;
	FILE *f;

	if (!d)
		cr_skip_test("no /sys/block on this machine");
	while ((e = readdir(d)) && e->d_name[0] == '.')
		;
	if (!e) {
		closedir(d);
		cr_skip_test("no block device in /sys/block");
	}
	snprintf(path, sizeof(path), "/sys/block/%s/size", e->d_name);
	closedir(d);
	read_str(p, path, buf, sizeof(buf));
	before = open_fds();
	for (int i = 0; i < 100; i++)
		read_str(p, path, buf, sizeof(buf));
	cr_assert_eq(open_fds(), before);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(want, sizeof(want), f));
	fclose(f);
	cr_assert_str_eq(buf, want);
	cr_assert_eq(probe_read_kept(p, "/sys/block/no-such-device/size", buf, sizeof(buf)),
		     -ENOENT);
	rtlab_probe_free(p);
}

/* count_entry - count the entries of a listing. */
static int count_entry(const char *name, unsigned char type, void *arg)
{
	(void)name, (void)type;
	(*(int *)arg)++;
	return 0;
}

/* list_count - entries of @path through a kept fd, or -errno. */
static int list_count(struct rtlab_probe *p, const char *path)
{
	int n = 0, r = probe_dir_each_kept(p, path, count_entry, &n);

	return r < 0 ? r : n;
}

/* A kept directory fd sees entries come and go, and a directory removed then made again. */
Test(kept, directory_listing_follows_changes)
{
	char root[PATH_MAX], cmd[PATH_MAX + 64];
	struct rtlab_probe *p;

	tree_new(root, sizeof(root));
	tree_put(root, "/sys/fs/btrfs/features/x", "1\n");
	p = probe_at(root, NULL);
	cr_assert_eq(list_count(p, "/sys/fs/btrfs"), 1);
	tree_put(root, "/sys/fs/btrfs/0123-uuid/label", "data\n");
	cr_assert_eq(list_count(p, "/sys/fs/btrfs"), 2);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/sys/fs/btrfs'", root);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(list_count(p, "/sys/fs/btrfs"), -ENOENT);
	tree_put(root, "/sys/fs/btrfs/features/x", "1\n");
	tree_put(root, "/sys/fs/btrfs/features/y", "1\n");
	tree_put(root, "/sys/fs/btrfs/4567-uuid/label", "more\n");
	cr_assert_eq(list_count(p, "/sys/fs/btrfs"), 2);
	rtlab_probe_free(p);
	tree_free(root);
}
