/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proc-test.h - what the proc group's tests share: values read from fixture
 * files other families capture (/proc/stat, /proc/meminfo), so that a new
 * capture of those files does not break these tests.  Include after
 * "../test-probe.h".
 */
#ifndef RTLAB_TEST_PROC_TEST_H
#define RTLAB_TEST_PROC_TEST_H

/*
 * fixture_value - the number after "@key" at the start of a line of
 * tests/fixtures/probe/@tree@path ("btime " in /proc/stat, "MemTotal:" in
 * /proc/meminfo), read with sscanf: independent of the parsers under test.
 */
static inline double fixture_value(const char *tree, const char *path, const char *key)
{
	size_t len, kl = strlen(key);
	char *buf = fixture_load(tree, path, &len);
	double v = -1;

	for (char *l = buf; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, key, kl) == 0) {
			cr_assert_eq(sscanf(l + kl, "%lf", &v), 1, "%s in %s", key, path);
			break;
		}
	}
	free(buf);
	cr_assert_geq(v, 0, "%s in %s%s", key, tree, path);
	return v;
}

#define VM_BTIME() fixture_value("vm", "/proc/stat", "btime ")
#define VM_MEMTOTAL_BYTES() (fixture_value("vm", "/proc/meminfo", "MemTotal:") * 1024)

#endif /* RTLAB_TEST_PROC_TEST_H */
