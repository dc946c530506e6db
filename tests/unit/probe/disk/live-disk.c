/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * live-disk.c - the disk and fs families on this machine against independent
 * sources: statvfs(3) and df(1) for the root file system, /proc/diskstats
 * read directly for the device list.
 *
 * Tolerances: size and inode count of / are exact against statvfs (they only
 * change on resize); free space moves while the tests run, so avail is
 * compared within 1% of the size (df rounds nothing with -B1).
 */
#include <sys/statvfs.h>

#include "../test-probe.h"

/* root_mount - the visible mount at "/" in @d. */
static const struct rtlab_fs_mount *root_mount(const struct rtlab_probe_data *d)
{
	for (size_t i = 0; i < d->fs.nmounts; i++)
		if (!d->fs.mounts[i].hidden && strcmp(d->fs.mounts[i].mount_point, "/") == 0)
			return &d->fs.mounts[i];
	cr_assert_fail("no / in /proc/self/mountinfo");
	return NULL;
}

/* near - |a - b| <= tol. */
static bool near(uint64_t a, uint64_t b, uint64_t tol)
{
	return (a > b ? a - b : b - a) <= tol;
}

/* The root file system against statvfs(3) done here. */
Test(disk_live, root_fs_against_statvfs)
{
	struct rtlab_probe *p = probe_at("", NULL);
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_fs_mount *m;
	struct statvfs st;
	uint64_t unit;

	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_FS), d), 0);
	cr_assert_eq(statvfs("/", &st), 0);
	unit = st.f_frsize ? st.f_frsize : st.f_bsize;
	m = root_mount(d);
	cr_assert_eq(m->size_bytes.st, RTLAB_PV_OK, "%s", d->why[RTLAB_PF_FS]);
	cr_assert_eq(m->size_bytes.v, (uint64_t)st.f_blocks * unit);
	cr_assert_eq(m->files.v, (uint64_t)st.f_files);
	cr_assert(near(m->avail_bytes.v, (uint64_t)st.f_bavail * unit, m->size_bytes.v / 100),
		  "avail %llu vs %llu", (unsigned long long)m->avail_bytes.v,
		  (unsigned long long)st.f_bavail * unit);
	cr_assert(near(m->files_free.v, (uint64_t)st.f_ffree, (uint64_t)st.f_files / 100));
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* The root file system against df -B1 --output=size,avail /. */
Test(disk_live, root_fs_against_df)
{
	struct rtlab_probe *p = probe_at("", NULL);
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	const struct rtlab_fs_mount *m;
	unsigned long long size, avail;
	char line[256];
	FILE *f = popen("df -B1 --output=size,avail / 2>/dev/null", "r");

	if (!f)
		cr_skip_test("df: cannot run");
	if (!fgets(line, sizeof(line), f) || !fgets(line, sizeof(line), f) ||
	    sscanf(line, "%llu %llu", &size, &avail) != 2) {
		pclose(f);
		cr_skip_test("df: no usable output");
	}
	pclose(f);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_FS), d), 0);
	m = root_mount(d);
	cr_assert_eq(m->size_bytes.v, size, "df size");
	cr_assert(near(m->avail_bytes.v, avail, size / 100), "avail %llu vs df %llu",
		  (unsigned long long)m->avail_bytes.v, avail);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}

/* The device list is the lines of /proc/diskstats, in order. */
Test(disk_live, devices_are_diskstats_lines)
{
	struct rtlab_probe *p = probe_at("", NULL);
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	char line[512], name[64];
	size_t n = 0;
	unsigned major, minor;
	FILE *f = fopen("/proc/diskstats", "r");

	cr_assert_not_null(f);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_DISK), d), 0);
	cr_assert_eq(d->err[RTLAB_PF_DISK], 0, "%s", d->why[RTLAB_PF_DISK]);
	while (fgets(line, sizeof(line), f)) {
		cr_assert_eq(sscanf(line, "%u %u %63s", &major, &minor, name), 3);
		cr_assert_lt(n, d->disk.ndevs, "more lines than devices");
		cr_assert_str_eq(d->disk.devs[n].name, name);
		cr_assert_eq(d->disk.devs[n].major, major);
		cr_assert_eq(d->disk.devs[n].minor, minor);
		cr_assert_eq(d->disk.devs[n].stat[RTLAB_DISK_READS].st, RTLAB_PV_OK);
		n++;
	}
	fclose(f);
	cr_assert_eq(n, d->disk.ndevs);
	rtlab_probe_free(p);
	rtlab_probe_data_free(d);
}
