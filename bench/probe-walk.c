/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * probe-walk.c - the process walk (basic fields) at the current process
 * count: median and 90th percentile of N walks after a warm-up, next to the
 * floor (a bare pread of every /proc/<pid>/stat from fds kept open), and the
 * median of walks that list /proc again (a new process appeared).
 *
 *	bench-probe-walk [--rounds N]
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rtlab/rtlab.h>

/* cmp_u64 - qsort order. */
static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* stat_fds - an fd on /proc/<pid>/stat of every process now; their count in *@n. */
static int *stat_fds(size_t *n)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int *fds = NULL;
	size_t cap = 0;

	*n = 0;
	while (d && (de = readdir(d))) {
		char path[300];

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			fds = realloc(fds, cap * sizeof(*fds));
		}
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		fds[*n] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[*n] >= 0)
			(*n)++;
	}
	if (d)
		closedir(d);
	return fds;
}

int main(int argc, char **argv)
{
	size_t rounds = 2000, nfds;
	struct rtlab_proc_table t = { 0 };
	struct rtlab_proc_walker *w;
	struct rtlab_probe *p;
	uint64_t *tw, *tf;
	char buf[4096];
	int *fds;

	if (argc == 3 && strcmp(argv[1], "--rounds") == 0) {
		rounds = strtoul(argv[2], NULL, 10);
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [--rounds N]\n", argv[0]);
		return 2;
	}
	if (rounds < 1 || rtlab_probe_new(NULL, NULL, &p) < 0 || rtlab_proc_walker_new(p, &w) < 0)
		return 1;
	tw = calloc(rounds, sizeof(*tw));
	tf = calloc(rounds, sizeof(*tf));
	for (int i = 0; i < 5; i++)
		rtlab_proc_walk(w, 0, &t);
	fds = stat_fds(&nfds);
	for (size_t i = 0; i < rounds; i++) {
		uint64_t t0 = rtlab_now_ns();

		rtlab_proc_walk(w, 0, &t);
		tw[i] = rtlab_now_ns() - t0;
		t0 = rtlab_now_ns();
		for (size_t k = 0; k < nfds; k++)
			if (pread(fds[k], buf, sizeof(buf), 0) < 0)
				continue;
		tf[i] = rtlab_now_ns() - t0;
	}
	qsort(tw, rounds, sizeof(*tw), cmp_u64);
	qsort(tf, rounds, sizeof(*tf), cmp_u64);
	printf("processes %zu  walk median %.1f us  p90 %.1f us  floor (pread of each stat) "
	       "median %.1f us  ratio %.2f\n", t.count, (double)tw[rounds / 2] / 1e3,
	       (double)tw[rounds * 9 / 10] / 1e3, (double)tf[rounds / 2] / 1e3,
	       (double)tw[rounds / 2] / (double)tf[rounds / 2]);
	for (size_t k = 0; k < nfds; k++)
		close(fds[k]);
	free(fds);
	free(tw);
	free(tf);
	rtlab_proc_table_release(&t);
	rtlab_proc_walker_free(w);
	rtlab_probe_free(p);
	return 0;
}
