/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-proc-walk.c - the process walk and the procs family on fixture trees:
 * CPU % not ready then computed, pid reuse, processes that end, damage.
 */
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../test-probe.h"
#include "proc-test.h"

/* The captured processes and the system files the walk reads, from the vm tree. */
static const char *const vm_parts[] = { "/proc/2", "/proc/4175", "/proc/4179", "/proc/4180",
					"/proc/4242", "/proc/stat", "/proc/meminfo",
					"/proc/loadavg", "/proc/sys/kernel" };

/* The copy in progress: nftw passes no argument. */
static char copy_src[PATH_MAX], copy_dst[PATH_MAX];

/* copy_one - one entry of the vm tree into the copy: directory, file or link. */
static int copy_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	char to[2 * PATH_MAX], buf[PATH_MAX];
	ssize_t n;
	FILE *in, *out;

	(void)ftw;
	snprintf(to, sizeof(to), "%s%s", copy_dst, path + strlen(copy_src));
	if (type == FTW_D)
		return mkdir(to, 0755) == 0 || errno == EEXIST ? 0 : -1;
	if (type == FTW_SL) {
		n = readlink(path, buf, sizeof(buf) - 1);
		if (n < 0)
			return -1;
		buf[n] = '\0';
		return symlink(buf, to);
	}
	in = fopen(path, "rb");
	out = fopen(to, "wb");
	cr_assert(in && out, "copy %s", path);
	while ((n = (ssize_t)fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, (size_t)n, out);
	fclose(in);
	fclose(out);
	(void)st;
	return 0;
}

/*
 * vm_copy - the captured processes of the vm tree in a temporary tree of
 * their own, so that files other families add to the vm tree change nothing.
 */
static void vm_copy(char *root, size_t size)
{
	tree_new(root, size);
	for (size_t i = 0; i < sizeof(vm_parts) / sizeof(vm_parts[0]); i++) {
		snprintf(copy_src, sizeof(copy_src), "%s/probe/vm%s", FIXTURES_DIR, vm_parts[i]);
		snprintf(copy_dst, sizeof(copy_dst), "%s%s", root, vm_parts[i]);
		/* The directories above the part. */
		for (char *q = strchr(copy_dst + strlen(root) + 1, '/'); q; q = strchr(q + 1, '/')) {
			*q = '\0';
			cr_assert(mkdir(copy_dst, 0755) == 0 || errno == EEXIST, "%s", copy_dst);
			*q = '/';
		}
		cr_assert_eq(nftw(copy_src, copy_one, 16, FTW_PHYS), 0, "%s", copy_src);
	}
}

/* A stat line of pid @pid with @utime ticks, started at @start ticks. */
static void put_stat(const char *root, int pid, unsigned utime, unsigned start, const char *comm)
{
	char path[64], line[512];

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	snprintf(line, sizeof(line),
		 "%d (%s) S 1 %d %d 0 -1 4194560 100 0 0 0 %u 10 0 0 20 0 1 0 %u 1048576 25 "
		 "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		 pid, comm, pid, pid, utime, start);
	tree_put(root, path, line);
}

/* A tree with /proc/stat (btime), /proc/meminfo and processes 100 and 101. */
static void small_tree(char *root, size_t size)
{
	tree_new(root, size);
	tree_put(root, "/proc/stat", "cpu  10 0 10 100 0 0 0 0 0 0\ncpu0 10 0 10 100 0 0 0 0 0 0\n"
				     "btime 1700000000\n");
	tree_put(root, "/proc/meminfo", "MemTotal:  1048576 kB\nMemFree:  524288 kB\n");
	tree_put(root, "/proc/loadavg", "0.10 0.20 0.30 1/50 101\n");
	put_stat(root, 100, 50, 1000, "a (b)");
	put_stat(root, 101, 0, 2000, "idle one");
}

/* walker_at - a probe and a walker below @root. */
static struct rtlab_proc_walker *walker_at(const char *root, struct rtlab_probe **p)
{
	struct rtlab_proc_walker *w = NULL;

	*p = probe_at(root, NULL);
	cr_assert_eq(rtlab_proc_walker_new(*p, &w), 0);
	return w;
}

/* find - the entry of @pid, or NULL. */
static const struct rtlab_proc_entry *find(const struct rtlab_proc_table *t, int pid)
{
	for (size_t i = 0; i < t->count; i++)
		if (t->procs[i].pid == pid)
			return &t->procs[i];
	return NULL;
}

/* The captured tree: every process, by pid, counted by state, the derived values. */
Test(proc_walk, fixture_tree)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_proc_walker *w;
	struct rtlab_proc_table t = { 0 };
	const struct rtlab_proc_entry *e;
	long ps = sysconf(_SC_PAGESIZE);

	vm_copy(root, sizeof(root));
	w = walker_at(root, &p);
	cr_assert_eq(rtlab_proc_walk(w, RTLAB_PROC_W_THREADS | RTLAB_PROC_W_CMDLINE, &t), 0);
	cr_assert_eq(t.count, 5);
	for (size_t i = 1; i < t.count; i++)
		cr_assert_lt(t.procs[i - 1].pid, t.procs[i].pid);
	cr_assert_eq(t.by_state[rtlab_proc_state_index('S')], 3);
	cr_assert_eq(t.by_state[rtlab_proc_state_index('Z')], 1);
	cr_assert_eq(t.by_state[rtlab_proc_state_index('R')], 1);
	cr_assert_eq(t.threads.v, 7);
	cr_assert_eq(t.thread_by_state[rtlab_proc_state_index('S')].v, 5);
	e = find(&t, 4179);
	cr_assert_not_null(e);
	cr_assert_str_eq(e->stat.comm, "fx-sleeper");
	cr_assert_eq(e->rss_bytes.v, 130 * (uint64_t)ps);
	cr_assert_eq(e->cpu_pct.st, RTLAB_PV_NOT_READY);
	cr_assert_float_eq(e->mem_pct.v, 130.0 * (double)ps / VM_MEMTOTAL_BYTES() * 100, 1e-9);
	cr_assert_float_eq(e->start_unix_s.v, VM_BTIME() + 200526.0 / sysconf(_SC_CLK_TCK), 1e-3);
	cr_assert(e->is_new);
	cr_assert_eq(e->status.pid.st, RTLAB_PV_ABSENT, "a group not asked for is absent");
	cr_assert_eq(e->io.rchar_bytes.st, RTLAB_PV_ABSENT);
	cr_assert_eq(e->cmdline_st, RTLAB_PV_OK);
	cr_assert_str_eq(e->cmdline, "./tmp/proc-exp/fx-workload");
	e = find(&t, 4242);
	cr_assert_str_eq(e->stat.comm, "(a) b)\n\x1b[31m\xff");
	cr_assert_eq(e->cmdline_len, 34, "the args with their NULs, without the last");
	e = find(&t, 2);
	cr_assert_eq(e->cmdline_len, 0);
	cr_assert_eq(t.load1.st, RTLAB_PV_ABSENT, "the header was not asked for");
	rtlab_proc_table_release(&t);
	rtlab_proc_walker_free(w);
	rtlab_probe_free(p);
	tree_free(root);
}

/* The optional groups on the fixture, and the header. */
Test(proc_walk, groups_and_header)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_proc_walker *w;
	struct rtlab_proc_table t = { 0 };
	const struct rtlab_proc_entry *e;
	uint32_t all = RTLAB_PROC_W_STATM | RTLAB_PROC_W_STATUS | RTLAB_PROC_W_IO |
		       RTLAB_PROC_W_FDS | RTLAB_PROC_W_OWNER | RTLAB_PROC_W_SYSTEM;

	vm_copy(root, sizeof(root));
	w = walker_at(root, &p);
	cr_assert_eq(rtlab_proc_walk(w, all, &t), 0);
	e = find(&t, 4175);
	cr_assert_eq(e->statm.size_pages.st, RTLAB_PV_OK);
	cr_assert_eq(e->status.threads.v, 3);
	cr_assert_eq(e->io.rchar_bytes.st, RTLAB_PV_OK);
	cr_assert_eq(e->fd_count.v, 5);
	cr_assert_eq(e->owner_uid.st, RTLAB_PV_OK);
	cr_assert_eq(e->cmdline_st, RTLAB_PV_ABSENT);
	cr_assert_eq(find(&t, 4242)->fd_count.v, 6);
	cr_assert_eq(find(&t, 4180)->fd_count.st, RTLAB_PV_ABSENT, "the zombie has no fd dir");
	cr_assert_eq(t.mem_total_bytes.v, (uint64_t)VM_MEMTOTAL_BYTES());
	cr_assert_eq(t.load1.st, RTLAB_PV_OK);
	cr_assert_eq(t.ncpus.v, 2);
	cr_assert_eq(t.cpu_pct[RTLAB_PROC_CPU_USER].st, RTLAB_PV_NOT_READY);
	/* Asked no more: the groups go back to absent. */
	cr_assert_eq(rtlab_proc_walk(w, 0, &t), 0);
	e = find(&t, 4175);
	cr_assert_eq(e->statm.size_pages.st, RTLAB_PV_ABSENT);
	cr_assert_eq(e->fd_count.st, RTLAB_PV_ABSENT);
	cr_assert_eq(e->owner_uid.st, RTLAB_PV_ABSENT);
	rtlab_proc_table_release(&t);
	rtlab_proc_walker_free(w);
	rtlab_probe_free(p);
	tree_free(root);
}

/* CPU %: not ready for a new process, then (utime + stime) delta over the interval. */
Test(proc_walk, cpu_percent_not_ready_then_computed)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_proc_walker *w;
	struct rtlab_proc_table t = { 0 };
	const struct rtlab_proc_entry *e;
	double expect;

	small_tree(root, sizeof(root));
	w = walker_at(root, &p);
	cr_assert_eq(rtlab_proc_walk(w, RTLAB_PROC_W_SYSTEM, &t), 0);
	cr_assert_eq(t.count, 2);
	cr_assert_eq(t.interval_ns, 0);
	cr_assert_eq(find(&t, 100)->cpu_pct.st, RTLAB_PV_NOT_READY);
	cr_assert_str_eq(find(&t, 100)->stat.comm, "a (b)");
	usleep(20000);
	put_stat(root, 100, 80, 1000, "a (b)");
	tree_put(root, "/proc/stat", "cpu  40 0 10 130 0 0 0 0 0 0\nbtime 1700000000\n");
	cr_assert_eq(rtlab_proc_walk(w, RTLAB_PROC_W_SYSTEM, &t), 0);
	cr_assert_gt(t.interval_ns, 0);
	e = find(&t, 100);
	cr_assert_eq(e->cpu_pct.st, RTLAB_PV_OK);
	expect = 30.0 / (double)sysconf(_SC_CLK_TCK) / ((double)t.interval_ns / 1e9) * 100;
	cr_assert_float_eq(e->cpu_pct.v, expect, 1e-6);
	cr_assert(!e->is_new);
	e = find(&t, 101);
	cr_assert_eq(e->cpu_pct.st, RTLAB_PV_OK);
	cr_assert_float_eq(e->cpu_pct.v, 0.0, 1e-12, "a real 0, after a real interval");
	cr_assert_float_eq(t.cpu_pct[RTLAB_PROC_CPU_USER].v, 50.0, 1e-9);
	cr_assert_float_eq(t.cpu_pct[RTLAB_PROC_CPU_IDLE].v, 50.0, 1e-9);
	cr_assert_float_eq(e->mem_pct.v, 25.0 * sysconf(_SC_PAGESIZE) / 1073741824.0 * 100, 1e-9);
	cr_assert_float_eq(e->start_unix_s.v, 1700000000.0 + 2000.0 / sysconf(_SC_CLK_TCK), 1e-6);
	rtlab_proc_table_release(&t);
	rtlab_proc_walker_free(w);
	rtlab_probe_free(p);
	tree_free(root);
}

/* A pid whose start time changed is another process: new, CPU % not ready again. */
Test(proc_walk, pid_reuse_is_detected)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_proc_walker *w;
	struct rtlab_proc_table t = { 0 };
	const struct rtlab_proc_entry *e;

	small_tree(root, sizeof(root));
	w = walker_at(root, &p);
	cr_assert_eq(rtlab_proc_walk(w, 0, &t), 0);
	cr_assert_eq(rtlab_proc_walk(w, 0, &t), 0);
	cr_assert_eq(find(&t, 100)->cpu_pct.st, RTLAB_PV_OK);
	put_stat(root, 100, 900, 5000, "newcomer");
	cr_assert_eq(rtlab_proc_walk(w, 0, &t), 0);
	e = find(&t, 100);
	cr_assert(e->is_new);
	cr_assert_str_eq(e->stat.comm, "newcomer");
	cr_assert_eq(e->cpu_pct.st, RTLAB_PV_NOT_READY, "not 900 ticks in one interval");
	cr_assert_eq(rtlab_proc_walk(w, 0, &t), 0);
	cr_assert_eq(find(&t, 100)->cpu_pct.st, RTLAB_PV_OK);
	rtlab_proc_table_release(&t);
	rtlab_proc_walker_free(w);
	rtlab_probe_free(p);
	tree_free(root);
}

/* Processes that end leave the table; new ones enter it in pid order. */
Test(proc_walk, processes_come_and_go)
{
	char root[PATH_MAX], path[PATH_MAX + 32];
	struct rtlab_probe *p;
	struct rtlab_proc_walker *w;
	struct rtlab_proc_table t = { 0 };

	small_tree(root, sizeof(root));
	for (int pid = 300; pid > 200; pid -= 7)
		put_stat(root, pid, 1, 10, "many");
	w = walker_at(root, &p);
	cr_assert_eq(rtlab_proc_walk(w, 0, &t), 0);
	cr_assert_eq(t.count, 2 + 15);
	for (size_t i = 1; i < t.count; i++)
		cr_assert_lt(t.procs[i - 1].pid, t.procs[i].pid, "sorted though listed unsorted");
	snprintf(path, sizeof(path), "%s/proc/100/stat", root);
	cr_assert_eq(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/proc/100", root);
	cr_assert_eq(rmdir(path), 0);
	put_stat(root, 50, 1, 10, "early");
	cr_assert_eq(rtlab_proc_walk(w, 0, &t), 0);
	cr_assert_eq(t.count, 2 + 15);
	cr_assert_null(find(&t, 100));
	cr_assert_eq(t.procs[0].pid, 50);
	cr_assert(t.procs[0].is_new);
	cr_assert(!find(&t, 101)->is_new);
	rtlab_proc_table_release(&t);
	rtlab_proc_walker_free(w);
	rtlab_probe_free(p);
	tree_free(root);
}

/* A damaged stat keeps the process, its fields malformed, the reason naming the file. */
Test(proc_walk, damaged_stat_is_malformed_with_why)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_proc_walker *w;
	struct rtlab_proc_table t = { 0 };
	const struct rtlab_proc_entry *e;

	small_tree(root, sizeof(root));
	tree_put(root, "/proc/101/stat", "101 (cut) S 1 101 101 0 -1 4194560 100 0 0");
	tree_put(root, "/proc/meminfo", "MemFree: 12 kB\n");
	w = walker_at(root, &p);
	cr_assert_eq(rtlab_proc_walk(w, RTLAB_PROC_W_STATUS, &t), 0);
	e = find(&t, 101);
	cr_assert_not_null(e);
	cr_assert_eq(e->stat.state, 'S');
	cr_assert_eq(e->cpu_ticks.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(e->cpu_pct.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(e->rss_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(e->status.pid.st, RTLAB_PV_ABSENT, "no status file in this tree");
	cr_assert_eq(find(&t, 100)->mem_pct.st, RTLAB_PV_ABSENT, "no MemTotal");
	cr_assert(strstr(t.why, "/proc/") != NULL, "%s", t.why);
	rtlab_proc_table_release(&t);
	rtlab_proc_walker_free(w);
	rtlab_probe_free(p);
	tree_free(root);
}

/* No /proc at all: the walker cannot be made; the family says why. */
Test(proc_walk, missing_proc)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_proc_walker *w = NULL;
	struct rtlab_probe_data *d = rtlab_probe_data_new();

	tree_new(root, sizeof(root));
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_proc_walker_new(p, &w), -ENOENT);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_PROCS), d), 0);
	cr_assert_eq(d->err[RTLAB_PF_PROCS], -ENOENT);
	cr_assert_eq(d->procs.pids.st, RTLAB_PV_ABSENT);
	cr_assert_eq(d->procs.pid_max.st, RTLAB_PV_ABSENT);
	cr_assert(strstr(d->why[RTLAB_PF_PROCS], "/proc") != NULL);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
	tree_free(root);
}

/* A sink collecting the samples' names, label values and values as text. */
struct seen {
	char text[4096];
};

/* seen_sample - "name{label=value} value;" appended. */
static int seen_sample(void *arg, const struct rtlab_metric *m, const struct rtlab_label *l,
		       size_t nl, const struct rtlab_mval *v)
{
	struct seen *s = arg;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof(s->text) - len, "%s%s%s%s%s %llu;", m->name, nl ? "{" : "",
		 nl ? l[0].value : "", nl ? "}" : "", v->st == RTLAB_PV_OK ? "" : "!",
		 (unsigned long long)v->u);
	return 0;
}

/* The family on the captured tree: node_exporter's names, states seen only. */
Test(procs_family, fixture_counts_and_metrics)
{
	char root[PATH_MAX];
	struct rtlab_probe *p;
	struct rtlab_probe_data *d = rtlab_probe_data_new();
	struct seen s = { "" };
	struct rtlab_probe_sink sink = { .arg = &s, .sample = seen_sample };

	vm_copy(root, sizeof(root));
	p = probe_at(root, NULL);
	cr_assert_eq(rtlab_probe_collect(p, RTLAB_PF_BIT(RTLAB_PF_PROCS), d), 0);
	cr_assert_eq(d->err[RTLAB_PF_PROCS], 0, "%s", d->why[RTLAB_PF_PROCS]);
	cr_assert_eq(d->procs.pids.v, 5);
	cr_assert_eq(d->procs.threads.v, 7);
	cr_assert_eq(d->procs.kernel_threads.v, 1);
	cr_assert_eq(d->procs.state[rtlab_proc_state_index('Z')].v, 1);
	cr_assert_eq(d->procs.thread_state[rtlab_proc_state_index('S')].v, 5);
	cr_assert_eq(d->procs.pid_max.st, RTLAB_PV_OK);
	cr_assert_eq(d->procs.threads_max.st, RTLAB_PV_OK);
	cr_assert_eq(rtlab_probe_emit(d, RTLAB_PF_BIT(RTLAB_PF_PROCS), &sink), 0);
	cr_assert(strstr(s.text, "node_processes_pids 5;") != NULL, "%s", s.text);
	cr_assert(strstr(s.text, "node_processes_threads 7;") != NULL, "%s", s.text);
	cr_assert(strstr(s.text, "node_processes_state{S} 3;") != NULL, "%s", s.text);
	cr_assert(strstr(s.text, "node_processes_state{Z} 1;") != NULL, "%s", s.text);
	cr_assert(strstr(s.text, "node_processes_state{D}") == NULL, "%s", s.text);
	cr_assert(strstr(s.text, "node_processes_threads_state{S} 5;") != NULL, "%s", s.text);
	cr_assert(strstr(s.text, "node_processes_max_processes ") != NULL, "%s", s.text);
	cr_assert(strstr(s.text, "node_processes_max_threads ") != NULL, "%s", s.text);
	rtlab_probe_data_free(d);
	rtlab_probe_free(p);
	tree_free(root);
}
