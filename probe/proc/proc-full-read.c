/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-full-read.c - rtlab_proc_full_read(): the order of the reads, derived values, release. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/proc-full.h"
#include "proc/proc-parse.h"

/* The previous reading of the same struct, for CPU %. */
struct full_prev {
	int32_t pid;
	uint64_t ticks, start_ticks, t_ns;
};

/* full_stat - /proc/<pid>/stat: its absence means there is no such process. */
static int full_stat(struct full_cx *c)
{
	ssize_t n = full_read(c, "stat", 0);

	if (n == -ENOENT || n == -ESRCH)
		return -ESRCH;
	if (n < 0) {
		uint8_t st = full_src_failed(c, RTLAB_PROC_SRC_STAT, "stat", (int)n);

		proc_stat_mark(&c->f->stat, st);
		return (int)n;
	}
	if (proc_stat_parse(c->buf, (size_t)n, &c->f->stat) < 0)
		full_src(c, RTLAB_PROC_SRC_STAT, RTLAB_PV_MALFORMED, "stat", 0);
	else
		full_src(c, RTLAB_PROC_SRC_STAT, RTLAB_PV_OK, "stat", 0);
	return 0;
}

/* pages - @pages x @page_size into @out, or @pages' state. */
static void pages(struct rtlab_pu64 *out, struct rtlab_pu64 pages, uint64_t page_size)
{
	if (pages.st == RTLAB_PV_OK)
		PV_SET(*out, pages.v * page_size);
	else
		PV_NA(*out, pages.st);
}

/* sum2 - @a + @b into @out, or the state of the first that is not OK. */
static void sum2(struct rtlab_pu64 *out, struct rtlab_pu64 a, struct rtlab_pu64 b)
{
	if (a.st == RTLAB_PV_OK && b.st == RTLAB_PV_OK)
		PV_SET(*out, a.v + b.v);
	else
		PV_NA(*out, a.st != RTLAB_PV_OK ? a.st : b.st);
}

/* full_mem - the memory group from statm, status and smaps_rollup. */
static void full_mem(struct full_cx *c)
{
	struct rtlab_proc_full *f = c->f;
	struct rtlab_proc_mem *m = &f->mem;
	long ps = sysconf(_SC_PAGESIZE);
	uint64_t page = ps > 0 ? (uint64_t)ps : 4096;

	pages(&m->rss_bytes, f->statm.resident_pages, page);
	pages(&m->vms_bytes, f->statm.size_pages, page);
	pages(&m->shared_bytes, f->statm.shared_pages, page);
	pages(&m->text_bytes, f->statm.text_pages, page);
	pages(&m->data_bytes, f->statm.data_pages, page);
	m->lib_bytes = f->status.vm_lib_bytes;
	m->swap_bytes = f->status.vm_swap_bytes;
	sum2(&m->dirty_bytes, f->smaps.shared_dirty, f->smaps.private_dirty);
	sum2(&m->uss_bytes, f->smaps.private_clean, f->smaps.private_dirty);
	m->pss_bytes = f->smaps.pss;
	m->pss_anon_bytes = f->smaps.pss_anon;
	m->pss_file_bytes = f->smaps.pss_file;
	m->pss_shmem_bytes = f->smaps.pss_shmem;
	if (m->rss_bytes.st == RTLAB_PV_OK && c->mem_total.st == RTLAB_PV_OK && c->mem_total.v)
		PV_SET(m->mem_pct, (double)m->rss_bytes.v / (double)c->mem_total.v * 100.0);
	else
		PV_NA(m->mem_pct, m->rss_bytes.st != RTLAB_PV_OK ? m->rss_bytes.st
								: c->mem_total.st);
}

/* full_cpu - start time, CPU % since @prev, the affinity's CPU count. */
static void full_cpu(struct full_cx *c, const struct full_prev *prev)
{
	struct rtlab_proc_full *f = c->f;
	const struct rtlab_proc_stat *st = &f->stat;
	long hz = sysconf(_SC_CLK_TCK);
	bool ok = st->utime_ticks.st == RTLAB_PV_OK && st->stime_ticks.st == RTLAB_PV_OK &&
		  st->starttime_ticks.st == RTLAB_PV_OK;
	uint64_t ticks = st->utime_ticks.v + st->stime_ticks.v;
	cpu_set_t set;

	if (hz <= 0)
		hz = 100;
	if (c->btime.st == RTLAB_PV_OK && st->starttime_ticks.st == RTLAB_PV_OK)
		PV_SET(f->start_unix_s,
		       (double)c->btime.v + (double)st->starttime_ticks.v / (double)hz);
	else
		PV_NA(f->start_unix_s, c->btime.st != RTLAB_PV_OK ? c->btime.st
								  : st->starttime_ticks.st);
	if (ok && prev->pid == f->pid && prev->t_ns && f->t_ns > prev->t_ns &&
	    prev->start_ticks == st->starttime_ticks.v && ticks >= prev->ticks)
		PV_SET(f->cpu_pct, (double)(ticks - prev->ticks) / (double)hz /
					   ((double)(f->t_ns - prev->t_ns) / 1e9) * 100.0);
	else
		PV_NA(f->cpu_pct, ok ? RTLAB_PV_NOT_READY : RTLAB_PV_MALFORMED);
	if (ok) {
		f->prev_pid = f->pid;
		f->prev_ticks = ticks;
		f->prev_start_ticks = st->starttime_ticks.v;
		f->prev_t_ns = f->t_ns;
	}
	if (f->status.cpus_allowed_list_st != RTLAB_PV_OK)
		PV_NA(f->affinity_cpus, f->status.cpus_allowed_list_st);
	else if (rtlab_cpulist_parse(f->status.cpus_allowed_list, &set, NULL) < 0)
		PV_NA(f->affinity_cpus, RTLAB_PV_MALFORMED);
	else
		PV_SET(f->affinity_cpus, (uint64_t)CPU_COUNT(&set));
}

/* full_env - the environment, only when asked. */
static int full_env(struct full_cx *c)
{
	struct rtlab_proc_full *f = c->f;
	struct rtlab_proc_srcinfo *si = &f->src[RTLAB_PROC_SRC_ENVIRON];

	if (!(f->flags & RTLAB_PROC_FULL_ENV)) {
		si->st = RTLAB_PV_ABSENT;
		snprintf(si->why, sizeof(si->why), "environ: not asked for");
		return 0;
	}
	return full_strings(c, RTLAB_PROC_SRC_ENVIRON, "environ", &f->env, &f->n_env, &f->env_buf,
			    &f->env_truncated);
}

/* full_rest - everything after stat, in an order that reads each file once. */
static int full_rest(struct full_cx *c)
{
	struct rtlab_proc_full *f = c->f;
	int r;

	full_system(c);
	full_files(c);
	full_ns(c);
	r = full_strings(c, RTLAB_PROC_SRC_CMDLINE, "cmdline", &f->argv, &f->argc, &f->argv_buf,
			 &f->argv_truncated);
	if (r == 0)
		r = full_cgroups(c);
	if (r == 0)
		r = full_fds(c);
	if (r == 0)
		r = full_threads(c);
	if (r == 0)
		r = full_children(c);
	if (r == 0)
		r = full_env(c);
	if (r == 0 && (f->flags & RTLAB_PROC_FULL_MAPS)) {
		r = full_maps(c);
	} else if (r == 0) {
		f->src[RTLAB_PROC_SRC_MAPS].st = RTLAB_PV_ABSENT;
		snprintf(f->src[RTLAB_PROC_SRC_MAPS].why, sizeof(f->src[0].why),
			 "maps: not asked for");
	}
	return r;
}

/* rtlab_proc_full_read - one process, every source. */
int rtlab_proc_full_read(struct rtlab_probe *p, int pid, uint32_t flags,
			 struct rtlab_proc_full *out)
{
	struct full_cx c = { .p = p, .f = out, .dirfd = -1 };
	struct full_prev prev;
	char rel[32], dir[PATH_MAX];
	int r;

	if (!p || !out || pid <= 0)
		return -EINVAL;
	prev = (struct full_prev){ .pid = out->prev_pid, .ticks = out->prev_ticks,
				   .start_ticks = out->prev_start_ticks, .t_ns = out->prev_t_ns };
	rtlab_proc_full_release(out);
	out->pid = pid;
	out->flags = flags;
	out->t_ns = rtlab_now_ns();
	snprintf(rel, sizeof(rel), "/proc/%d", pid);
	r = probe_path(p, rel, dir, sizeof(dir));
	if (r < 0)
		return r;
	c.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c.dirfd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	r = full_stat(&c);
	if (r == 0)
		r = full_rest(&c);
	close(c.dirfd);
	free(c.buf);
	if (r < 0)
		return r;
	full_mem(&c);
	full_cpu(&c, &prev);
	return 0;
}

/* rtlab_proc_full_release - the lists, then everything zeroed. */
void rtlab_proc_full_release(struct rtlab_proc_full *f)
{
	if (!f)
		return;
	for (uint32_t i = 0; i < f->n_fds; i++)
		free(f->fds[i].target);
	for (uint32_t i = 0; i < f->n_maps; i++)
		free(f->maps[i].path);
	free(f->fds);
	free(f->maps);
	free(f->threads);
	free(f->children);
	free(f->cgroups);
	free(f->argv);
	free(f->argv_buf);
	free(f->env);
	free(f->env_buf);
	memset(f, 0, sizeof(*f));
}
