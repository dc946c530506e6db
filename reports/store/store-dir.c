/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* store-dir.c - a new run folder: <runs>/<name>-<UTC time>[-N], never an existing one. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <rtlab/store.h>

/* mkdirs - @path and its parents (like mkdir -p). */
static int mkdirs(const char *path)
{
	char tmp[PATH_MAX];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, path, n + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(tmp, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

/* rtlab_run_dir_make - see store.h. */
int rtlab_run_dir_make(const char *runs, const char *name, char *dir, size_t size)
{
	char safe[64], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int r;

	runs = runs && runs[0] ? runs : "runs";
	r = mkdirs(runs);
	if (r < 0)
		return r;
	/* Only what a folder name may safely hold. */
	snprintf(safe, sizeof(safe), "%s", name && name[0] ? name : "run");
	for (char *p = safe; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			*p = '_';
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (int n = 1; n < 100; n++) {
		int len = n == 1 ? snprintf(dir, size, "%s/%s-%s", runs, safe, stamp) :
			  snprintf(dir, size, "%s/%s-%s-%d", runs, safe, stamp, n);

		if (len < 0 || (size_t)len >= size)
			return -ENAMETOOLONG;
		if (mkdir(dir, 0755) == 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}
