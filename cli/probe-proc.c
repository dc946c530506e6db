/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probe-proc.c - "rtlab probe proc PID": every field of ProcessFull, grouped,
 * as text (escaped for the terminal) or JSON (text made valid UTF-8 first).
 *
 * The scalar fields are described once, in tables of sections, and printed
 * by both outputs; the lists (command line, groups, limits, namespaces,
 * cgroups, files, threads, children, environment, maps) have their own code.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "probe-cli.h"
#include "probe-cmds.h"

#define CMD "probe proc"

/* How a field is stored. */
enum fkind {
	K_U,		/* struct rtlab_pu64 */
	K_I,		/* struct rtlab_pi64 */
	K_F,		/* struct rtlab_pf64 */
	K_TEXT,		/* char[] and its state byte */
	K_STATE,	/* a state letter and its state byte */
};

/* How a field reads. */
enum ffmt {
	F_NUM,
	F_BYTES,	/* with a human size */
	F_PAGES,	/* pages, with a human size */
	F_TICKS,	/* clock ticks, with seconds */
	F_HEX,		/* a mask */
	F_OCT,
	F_PCT,
	F_EPOCH,	/* seconds since the epoch, with a date */
	F_CAPS,		/* a capability mask, with names */
	F_POLICY,	/* SCHED_*, with its name */
	F_TTY,		/* stat's tty_nr, with a device name */
	F_LIMIT,	/* RTLAB_PROC_UNLIMITED reads "unlimited" */
};

struct field {
	const char *key;
	uint8_t kind, fmt;
	size_t off, st_off;
};

#define PF struct rtlab_proc_full
#define FU(key, m, fmt) { key, K_U, fmt, offsetof(PF, m), 0 }
#define FI(key, m, fmt) { key, K_I, fmt, offsetof(PF, m), 0 }
#define FF(key, m, fmt) { key, K_F, fmt, offsetof(PF, m), 0 }
#define FT(key, m) { key, K_TEXT, F_NUM, offsetof(PF, m), offsetof(PF, m##_st) }
#define FS(key, m) { key, K_STATE, F_NUM, offsetof(PF, m), offsetof(PF, m##_st) }

static const struct field f_identity[] = {
	FI("pid", stat.pid, F_NUM),
	FI("ppid", stat.ppid, F_NUM),
	FI("pgid", stat.pgrp, F_NUM),
	FI("sid", stat.session, F_NUM),
	FI("tgid", status.tgid, F_NUM),
	FI("tty_nr", stat.tty_nr, F_TTY),
	FI("tpgid", stat.tpgid, F_NUM),
	FI("tracer_pid", status.tracer_pid, F_NUM),
	FI("ngid", status.ngid, F_NUM),
	FI("ns_tgid", status.ns_tgid, F_NUM),
	FI("ns_pid", status.ns_pid, F_NUM),
	FI("ns_pgid", status.ns_pgid, F_NUM),
	FI("ns_sid", status.ns_sid, F_NUM),
};

static const struct field f_names[] = {
	FT("comm", comm),
	FT("stat_comm", stat.comm),
	FT("status_name", status.name),
	FT("exe", exe),
	FT("cwd", cwd),
	FT("root", root),
};

static const struct field f_creds[] = {
	FU("uid_real", status.uid[0], F_NUM),
	FU("uid_effective", status.uid[1], F_NUM),
	FU("uid_saved", status.uid[2], F_NUM),
	FU("uid_fs", status.uid[3], F_NUM),
	FU("gid_real", status.gid[0], F_NUM),
	FU("gid_effective", status.gid[1], F_NUM),
	FU("gid_saved", status.gid[2], F_NUM),
	FU("gid_fs", status.gid[3], F_NUM),
	FU("umask", status.umask, F_OCT),
};

static const struct field f_state[] = {
	FS("state", stat.state),
	FS("status_state", status.state),
	FI("nice", stat.nice, F_NUM),
	FI("priority", stat.priority, F_NUM),
	FU("policy", stat.policy, F_POLICY),
	FU("rt_priority", stat.rt_priority, F_NUM),
	FI("num_threads", stat.num_threads, F_NUM),
	FU("status_threads", status.threads, F_NUM),
	FU("kthread", status.kthread, F_NUM),
	FU("flags", stat.flags, F_HEX),
	FU("start_ticks", stat.starttime_ticks, F_TICKS),
	FF("start_time", start_unix_s, F_EPOCH),
	FU("wchan", stat.wchan, F_NUM),
	FI("exit_signal", stat.exit_signal, F_NUM),
	FI("exit_code", stat.exit_code, F_NUM),
	FI("itrealvalue", stat.itrealvalue, F_NUM),
	FU("core_dumping", status.core_dumping, F_NUM),
	FU("thp_enabled", status.thp_enabled, F_NUM),
};

static const struct field f_sched[] = {
	FU("policy", sched.policy, F_POLICY),
	FU("flags", sched.flags, F_HEX),
	FI("nice", sched.nice, F_NUM),
	FU("priority", sched.priority, F_NUM),
	FU("runtime_ns", sched.runtime_ns, F_NUM),
	FU("deadline_ns", sched.deadline_ns, F_NUM),
	FU("period_ns", sched.period_ns, F_NUM),
	FU("util_min", sched.util_min, F_NUM),
	FU("util_max", sched.util_max, F_NUM),
	FU("run_ns", sched_run_ns, F_NUM),
	FU("wait_ns", sched_wait_ns, F_NUM),
	FU("timeslices", sched_timeslices, F_NUM),
	FU("voluntary_ctxt_switches", status.voluntary_ctxt_switches, F_NUM),
	FU("nonvoluntary_ctxt_switches", status.nonvoluntary_ctxt_switches, F_NUM),
	FU("delayacct_blkio_ticks", stat.delayacct_blkio_ticks, F_TICKS),
};

static const struct field f_cpu[] = {
	FU("utime_ticks", stat.utime_ticks, F_TICKS),
	FU("stime_ticks", stat.stime_ticks, F_TICKS),
	FI("cutime_ticks", stat.cutime_ticks, F_TICKS),
	FI("cstime_ticks", stat.cstime_ticks, F_TICKS),
	FU("guest_time_ticks", stat.guest_time_ticks, F_TICKS),
	FI("cguest_time_ticks", stat.cguest_time_ticks, F_TICKS),
	FF("cpu_pct", cpu_pct, F_PCT),
	FI("last_cpu", stat.processor, F_NUM),
	FT("cpus_allowed_list", status.cpus_allowed_list),
	FU("affinity_cpus", affinity_cpus, F_NUM),
	FT("mems_allowed_list", status.mems_allowed_list),
};

static const struct field f_mem[] = {
	FU("rss_bytes", mem.rss_bytes, F_BYTES),
	FU("vms_bytes", mem.vms_bytes, F_BYTES),
	FU("shared_bytes", mem.shared_bytes, F_BYTES),
	FU("text_bytes", mem.text_bytes, F_BYTES),
	FU("data_bytes", mem.data_bytes, F_BYTES),
	FU("lib_bytes", mem.lib_bytes, F_BYTES),
	FU("dirty_bytes", mem.dirty_bytes, F_BYTES),
	FU("swap_bytes", mem.swap_bytes, F_BYTES),
	FU("pss_bytes", mem.pss_bytes, F_BYTES),
	FU("pss_anon_bytes", mem.pss_anon_bytes, F_BYTES),
	FU("pss_file_bytes", mem.pss_file_bytes, F_BYTES),
	FU("pss_shmem_bytes", mem.pss_shmem_bytes, F_BYTES),
	FU("uss_bytes", mem.uss_bytes, F_BYTES),
	FF("mem_pct", mem.mem_pct, F_PCT),
	FU("minflt", stat.minflt, F_NUM),
	FU("majflt", stat.majflt, F_NUM),
	FU("cminflt", stat.cminflt, F_NUM),
	FU("cmajflt", stat.cmajflt, F_NUM),
	FU("vsize_bytes", stat.vsize_bytes, F_BYTES),
	FI("rss_pages", stat.rss_pages, F_NUM),
	FU("rsslim_bytes", stat.rsslim_bytes, F_LIMIT),
};

static const struct field f_status_mem[] = {
	FU("vm_peak_bytes", status.vm_peak_bytes, F_BYTES),
	FU("vm_size_bytes", status.vm_size_bytes, F_BYTES),
	FU("vm_lck_bytes", status.vm_lck_bytes, F_BYTES),
	FU("vm_pin_bytes", status.vm_pin_bytes, F_BYTES),
	FU("vm_hwm_bytes", status.vm_hwm_bytes, F_BYTES),
	FU("vm_rss_bytes", status.vm_rss_bytes, F_BYTES),
	FU("rss_anon_bytes", status.rss_anon_bytes, F_BYTES),
	FU("rss_file_bytes", status.rss_file_bytes, F_BYTES),
	FU("rss_shmem_bytes", status.rss_shmem_bytes, F_BYTES),
	FU("vm_data_bytes", status.vm_data_bytes, F_BYTES),
	FU("vm_stk_bytes", status.vm_stk_bytes, F_BYTES),
	FU("vm_exe_bytes", status.vm_exe_bytes, F_BYTES),
	FU("vm_lib_bytes", status.vm_lib_bytes, F_BYTES),
	FU("vm_pte_bytes", status.vm_pte_bytes, F_BYTES),
	FU("vm_swap_bytes", status.vm_swap_bytes, F_BYTES),
	FU("hugetlb_bytes", status.hugetlb_bytes, F_BYTES),
};

static const struct field f_statm[] = {
	FU("size_pages", statm.size_pages, F_PAGES),
	FU("resident_pages", statm.resident_pages, F_PAGES),
	FU("shared_pages", statm.shared_pages, F_PAGES),
	FU("text_pages", statm.text_pages, F_PAGES),
	FU("lib_pages", statm.lib_pages, F_PAGES),
	FU("data_pages", statm.data_pages, F_PAGES),
	FU("dirty_pages", statm.dirty_pages, F_PAGES),
};

static const struct field f_smaps[] = {
	FU("rss", smaps.rss, F_BYTES),
	FU("pss", smaps.pss, F_BYTES),
	FU("pss_dirty", smaps.pss_dirty, F_BYTES),
	FU("pss_anon", smaps.pss_anon, F_BYTES),
	FU("pss_file", smaps.pss_file, F_BYTES),
	FU("pss_shmem", smaps.pss_shmem, F_BYTES),
	FU("shared_clean", smaps.shared_clean, F_BYTES),
	FU("shared_dirty", smaps.shared_dirty, F_BYTES),
	FU("private_clean", smaps.private_clean, F_BYTES),
	FU("private_dirty", smaps.private_dirty, F_BYTES),
	FU("referenced", smaps.referenced, F_BYTES),
	FU("anonymous", smaps.anonymous, F_BYTES),
	FU("ksm", smaps.ksm, F_BYTES),
	FU("lazy_free", smaps.lazy_free, F_BYTES),
	FU("anon_huge_pages", smaps.anon_huge_pages, F_BYTES),
	FU("shmem_pmd_mapped", smaps.shmem_pmd_mapped, F_BYTES),
	FU("file_pmd_mapped", smaps.file_pmd_mapped, F_BYTES),
	FU("shared_hugetlb", smaps.shared_hugetlb, F_BYTES),
	FU("private_hugetlb", smaps.private_hugetlb, F_BYTES),
	FU("swap", smaps.swap, F_BYTES),
	FU("swap_pss", smaps.swap_pss, F_BYTES),
	FU("locked", smaps.locked, F_BYTES),
};

static const struct field f_io[] = {
	FU("rchar_bytes", io.rchar_bytes, F_BYTES),
	FU("wchar_bytes", io.wchar_bytes, F_BYTES),
	FU("syscr", io.syscr, F_NUM),
	FU("syscw", io.syscw, F_NUM),
	FU("read_bytes", io.read_bytes, F_BYTES),
	FU("write_bytes", io.write_bytes, F_BYTES),
	FU("cancelled_write_bytes", io.cancelled_write_bytes, F_BYTES),
};

static const struct field f_security[] = {
	FU("cap_inheritable", status.cap_inh, F_CAPS),
	FU("cap_permitted", status.cap_prm, F_CAPS),
	FU("cap_effective", status.cap_eff, F_CAPS),
	FU("cap_bounding", status.cap_bnd, F_CAPS),
	FU("cap_ambient", status.cap_amb, F_CAPS),
	FU("no_new_privs", status.no_new_privs, F_NUM),
	FU("seccomp", status.seccomp, F_NUM),
	FU("seccomp_filters", status.seccomp_filters, F_NUM),
	FT("speculation_store_bypass", status.spec_store_bypass),
	FT("speculation_indirect_branch", status.spec_indirect_branch),
	FT("security_label", security_label),
	FI("oom_score", oom_score, F_NUM),
	FI("oom_score_adj", oom_score_adj, F_NUM),
};

static const struct field f_signals[] = {
	FU("pending", status.sig_pnd, F_HEX),
	FU("shared_pending", status.shd_pnd, F_HEX),
	FU("blocked", status.sig_blk, F_HEX),
	FU("ignored", status.sig_ign, F_HEX),
	FU("caught", status.sig_cgt, F_HEX),
	FU("queued", status.sigq_queued, F_NUM),
	FU("queue_limit", status.sigq_limit, F_NUM),
	FU("stat_signal", stat.signal, F_HEX),
	FU("stat_blocked", stat.blocked, F_HEX),
	FU("stat_sigignore", stat.sigignore, F_HEX),
	FU("stat_sigcatch", stat.sigcatch, F_HEX),
};

static const struct field f_addresses[] = {
	FU("startcode", stat.startcode, F_HEX),
	FU("endcode", stat.endcode, F_HEX),
	FU("startstack", stat.startstack, F_HEX),
	FU("kstkesp", stat.kstkesp, F_HEX),
	FU("kstkeip", stat.kstkeip, F_HEX),
	FU("start_data", stat.start_data, F_HEX),
	FU("end_data", stat.end_data, F_HEX),
	FU("start_brk", stat.start_brk, F_HEX),
	FU("arg_start", stat.arg_start, F_HEX),
	FU("arg_end", stat.arg_end, F_HEX),
	FU("env_start", stat.env_start, F_HEX),
	FU("env_end", stat.env_end, F_HEX),
	FU("nswap", stat.nswap, F_NUM),
	FU("cnswap", stat.cnswap, F_NUM),
};

static const struct field f_files[] = {
	FU("fd_count", fd_count, F_NUM),
	FU("fdsize", status.fdsize, F_NUM),
};

#define SECTION(name, tab) { name, tab, sizeof(tab) / sizeof(tab[0]) }

static const struct section {
	const char *name;
	const struct field *fields;
	size_t n;
} sections[] = {
	SECTION("identity", f_identity),
	SECTION("names", f_names),
	SECTION("credentials", f_creds),
	SECTION("state", f_state),
	SECTION("scheduling", f_sched),
	SECTION("cpu", f_cpu),
	SECTION("memory", f_mem),
	SECTION("memory_status", f_status_mem),
	SECTION("memory_statm", f_statm),
	SECTION("memory_smaps_rollup", f_smaps),
	SECTION("io", f_io),
	SECTION("security", f_security),
	SECTION("signals", f_signals),
	SECTION("addresses", f_addresses),
	SECTION("files", f_files),
};

struct proc_opts {
	int pid;
	uint32_t flags;
	bool json;
	const char *root;
};

/* --- Values --- */

/* field_st - the state of @d in @f. */
static uint8_t field_st(const struct field *d, const PF *f)
{
	const char *base = (const char *)f;

	switch (d->kind) {
	case K_U:
		return ((const struct rtlab_pu64 *)(base + d->off))->st;
	case K_I:
		return ((const struct rtlab_pi64 *)(base + d->off))->st;
	case K_F:
		return ((const struct rtlab_pf64 *)(base + d->off))->st;
	default:
		return *(const uint8_t *)(base + d->st_off);
	}
}

/* field_u - the unsigned value of @d (its state OK). */
static uint64_t field_u(const struct field *d, const PF *f)
{
	return ((const struct rtlab_pu64 *)((const char *)f + d->off))->v;
}

/* field_i - the signed value of @d. */
static int64_t field_i(const struct field *d, const PF *f)
{
	return ((const struct rtlab_pi64 *)((const char *)f + d->off))->v;
}

/* field_f - the real value of @d. */
static double field_f(const struct field *d, const PF *f)
{
	return ((const struct rtlab_pf64 *)((const char *)f + d->off))->v;
}

/* field_text - the text (or state letter) of @d. */
static const char *field_text(const struct field *d, const PF *f)
{
	return (const char *)f + d->off;
}

/* human_bytes - "1.5 MiB". */
static const char *human_bytes(double v, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	size_t u = 0;

	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", v, units[u]);
	return buf;
}

/* ticks_per_s - the clock tick rate of the tick fields. */
static double ticks_per_s(void)
{
	long hz = sysconf(_SC_CLK_TCK);

	return hz > 0 ? (double)hz : 100.0;
}

/* --- Text output --- */

/* text_u - an unsigned value in its format. */
static void text_u(FILE *out, enum ffmt fmt, uint64_t v)
{
	char h[64], caps[1024];
	const char *name;
	long ps;

	switch (fmt) {
	case F_BYTES:
		human_bytes((double)v, h, sizeof(h));
		fprintf(out, "%llu (%s)", (unsigned long long)v, h);
		break;
	case F_PAGES:
		ps = sysconf(_SC_PAGESIZE);
		fprintf(out, "%llu (%s)", (unsigned long long)v,
			human_bytes((double)v * (double)(ps > 0 ? ps : 4096), h, sizeof(h)));
		break;
	case F_TICKS:
		fprintf(out, "%llu (%.2f s)", (unsigned long long)v, (double)v / ticks_per_s());
		break;
	case F_HEX:
		fprintf(out, "0x%016llx", (unsigned long long)v);
		break;
	case F_OCT:
		fprintf(out, "%04llo", (unsigned long long)v);
		break;
	case F_CAPS:
		rtlab_proc_cap_names(v, caps, sizeof(caps));
		fprintf(out, "0x%016llx (%s)", (unsigned long long)v, caps[0] ? caps : "none");
		break;
	case F_POLICY:
		name = rtlab_proc_policy_name(v);
		fprintf(out, "%llu (%s)", (unsigned long long)v, name ? name : "unknown");
		break;
	case F_LIMIT:
		if (v == RTLAB_PROC_UNLIMITED) {
			fputs("unlimited", out);
			break;
		}
		/* fall through */
	default:
		fprintf(out, "%llu", (unsigned long long)v);
		break;
	}
}

/* text_value - one field's value, or "n/a (state)". */
static void text_value(FILE *out, const struct field *d, const PF *f)
{
	uint8_t st = field_st(d, f);
	char esc[16384], h[64];
	double v;

	if (st != RTLAB_PV_OK) {
		fprintf(out, "n/a (%s)", rtlab_pv_state_name(st));
		return;
	}
	switch (d->kind) {
	case K_U:
		text_u(out, d->fmt, field_u(d, f));
		break;
	case K_I:
		if (d->fmt == F_TTY)
			fprintf(out, "%lld (%s)", (long long)field_i(d, f),
				field_i(d, f) ? rtlab_proc_tty_name(field_i(d, f), h, sizeof(h))
					      : "none");
		else if (d->fmt == F_TICKS)
			fprintf(out, "%lld (%.2f s)", (long long)field_i(d, f),
				(double)field_i(d, f) / ticks_per_s());
		else
			fprintf(out, "%lld", (long long)field_i(d, f));
		break;
	case K_F:
		v = field_f(d, f);
		if (d->fmt == F_EPOCH) {
			time_t t = (time_t)v;
			struct tm tm;

			localtime_r(&t, &tm);
			strftime(h, sizeof(h), "%Y-%m-%d %H:%M:%S", &tm);
			fprintf(out, "%.2f (%s)", v, h);
		} else {
			fprintf(out, "%.1f %%", v);
		}
		break;
	case K_STATE:
		fprintf(out, "%s (%s)", cli_escape((char[]){ *field_text(d, f), '\0' }, esc, 8),
			rtlab_proc_state_name(*field_text(d, f)));
		break;
	default:
		fputs(cli_escape(field_text(d, f), esc, sizeof(esc)), out);
		break;
	}
}

/* text_sections - every scalar field, a section at a time. */
static void text_sections(FILE *out, const PF *f)
{
	for (size_t s = 0; s < sizeof(sections) / sizeof(sections[0]); s++) {
		fprintf(out, "%s:\n", sections[s].name);
		for (size_t i = 0; i < sections[s].n; i++) {
			fprintf(out, "  %-28s ", sections[s].fields[i].key);
			text_value(out, &sections[s].fields[i], f);
			fputc('\n', out);
		}
	}
}

/* text_strings - a list of raw strings, one per line, escaped. */
static void text_strings(FILE *out, const char *title, char *const *list, uint32_t n,
			 bool truncated, uint8_t st)
{
	char esc[16384];

	if (st != RTLAB_PV_OK) {
		fprintf(out, "%s: n/a (%s)\n", title, rtlab_pv_state_name(st));
		return;
	}
	fprintf(out, "%s: %u%s\n", title, n, truncated ? " (truncated)" : "");
	for (uint32_t i = 0; i < n; i++)
		fprintf(out, "  [%u] %s\n", i, cli_escape(list[i], esc, sizeof(esc)));
}

/* text_limit - a limit value. */
static void text_limit(FILE *out, struct rtlab_pu64 v)
{
	char buf[32];

	if (v.st != RTLAB_PV_OK)
		snprintf(buf, sizeof(buf), "n/a (%s)", rtlab_pv_state_name(v.st));
	else if (v.v == RTLAB_PROC_UNLIMITED)
		snprintf(buf, sizeof(buf), "unlimited");
	else
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v.v);
	fprintf(out, " %-20s", buf);
}

/* text_tables - limits, namespaces, cgroups. */
static void text_tables(FILE *out, const PF *f)
{
	char esc[4096], esc2[512];

	fprintf(out, "groups:");
	for (uint32_t i = 0; i < f->status.n_groups; i++)
		fprintf(out, " %u", f->status.groups[i]);
	fprintf(out, "%s\n", f->status.groups_st != RTLAB_PV_OK ? " n/a"
			     : f->status.groups_truncated ? " ..."
			     : f->status.n_groups ? "" : " none");
	fprintf(out, "limits:\n  %-26s %-20s %-20s %s\n", "limit", "soft", "hard", "unit");
	for (uint32_t i = 0; i < f->limits.count; i++) {
		const struct rtlab_proc_limit *l = &f->limits.row[i];

		fprintf(out, "  %-26s", cli_escape(l->name, esc, sizeof(esc)));
		text_limit(out, l->soft);
		text_limit(out, l->hard);
		fprintf(out, " %s\n", cli_escape(l->unit, esc, sizeof(esc)));
	}
	fprintf(out, "namespaces:\n");
	for (unsigned i = 0; i < RTLAB_PROC_NS__COUNT; i++) {
		fprintf(out, "  %-28s ", rtlab_proc_ns_name(i));
		if (f->ns[i].st == RTLAB_PV_OK)
			fprintf(out, "%llu\n", (unsigned long long)f->ns[i].v);
		else
			fprintf(out, "n/a (%s)\n", rtlab_pv_state_name(f->ns[i].st));
	}
	fprintf(out, "cgroups: %u\n", f->n_cgroups);
	for (uint32_t i = 0; i < f->n_cgroups; i++)
		fprintf(out, "  %u:%s:%s\n", f->cgroups[i].hierarchy,
			cli_escape(f->cgroups[i].controllers, esc2, sizeof(esc2)),
			cli_escape(f->cgroups[i].path, esc, sizeof(esc)));
}

/* text_lists - open files, threads, children, environment, maps. */
static void text_lists(FILE *out, const PF *f)
{
	char esc[16384];

	fprintf(out, "open files: %u\n", f->n_fds);
	for (uint32_t i = 0; i < f->n_fds; i++) {
		const struct rtlab_proc_fd *d = &f->fds[i];

		fprintf(out, "  %5d %-6s %s", (int)d->fd, rtlab_proc_fd_kind_name(d->kind),
			d->target ? cli_escape(d->target, esc, sizeof(esc)) : "n/a");
		if (d->pos.st == RTLAB_PV_OK)
			fprintf(out, " (pos %llu", (unsigned long long)d->pos.v);
		if (d->flags.st == RTLAB_PV_OK)
			fprintf(out, ", flags 0%llo", (unsigned long long)d->flags.v);
		fprintf(out, "%s\n", d->pos.st == RTLAB_PV_OK ? ")" : "");
	}
	fprintf(out, "threads: %u\n", f->n_threads);
	for (uint32_t i = 0; i < f->n_threads; i++) {
		const struct rtlab_proc_stat *s = &f->threads[i].stat;

		if (s->exit_code.st != RTLAB_PV_OK && s->exit_code.st != RTLAB_PV_ABSENT) {
			fprintf(out, "  %7d n/a (%s)\n", (int)f->threads[i].tid,
				rtlab_pv_state_name(s->exit_code.st));
			continue;
		}
		fprintf(out, "  %7d %c cpu %-3lld prio %-4lld utime %llu stime %llu %s\n",
			(int)f->threads[i].tid, s->state > ' ' && s->state < 0x7f ? s->state : '?',
			(long long)s->processor.v, (long long)s->priority.v,
			(unsigned long long)s->utime_ticks.v, (unsigned long long)s->stime_ticks.v,
			cli_escape(s->comm, esc, sizeof(esc)));
	}
	fprintf(out, "children: %u", f->n_children);
	for (uint32_t i = 0; i < f->n_children; i++)
		fprintf(out, " %d", (int)f->children[i]);
	fputc('\n', out);
	if (f->flags & RTLAB_PROC_FULL_ENV)
		text_strings(out, "environment", f->env, f->n_env, f->env_truncated,
			     f->src[RTLAB_PROC_SRC_ENVIRON].st);
	if (f->flags & RTLAB_PROC_FULL_MAPS) {
		fprintf(out, "maps: %u\n", f->n_maps);
		for (uint32_t i = 0; i < f->n_maps; i++) {
			const struct rtlab_proc_map *m = &f->maps[i];

			fprintf(out, "  %012llx-%012llx %s %08llx %02x:%02x %llu %s\n",
				(unsigned long long)m->start, (unsigned long long)m->end, m->perms,
				(unsigned long long)m->offset, m->dev_major, m->dev_minor,
				(unsigned long long)m->inode,
				cli_escape(m->path, esc, sizeof(esc)));
		}
	}
}

/* text_problems - the sources that could not be read, with why. */
static void text_problems(FILE *out, const PF *f)
{
	char esc[512];
	bool any = false;

	for (unsigned s = 0; s < RTLAB_PROC_SRC__COUNT; s++) {
		if (f->src[s].st == RTLAB_PV_OK)
			continue;
		if (!any)
			fprintf(out, "unavailable:\n");
		any = true;
		fprintf(out, "  %-16s %s: %s\n", rtlab_proc_src_name(s),
			rtlab_pv_state_name(f->src[s].st),
			cli_escape(f->src[s].why, esc, sizeof(esc)));
	}
}

/* print_text - the whole process as text. */
static void print_text(FILE *out, const PF *f)
{
	char esc[1024];

	fprintf(out, "process %d (%s)\n", (int)f->pid,
		cli_escape(f->comm_st == RTLAB_PV_OK ? f->comm : f->stat.comm, esc, sizeof(esc)));
	text_strings(out, "cmdline", f->argv, f->argc, f->argv_truncated,
		     f->src[RTLAB_PROC_SRC_CMDLINE].st);
	text_sections(out, f);
	text_tables(out, f);
	text_lists(out, f);
	text_problems(out, f);
}

/* --- JSON output --- */

/* utf8_seq - the length of a strictly valid UTF-8 sequence at @s (before @end), 0 if none. */
static size_t utf8_seq(const unsigned char *s, const unsigned char *end)
{
	static const struct {
		unsigned char mask, lead, payload;
		uint32_t min;
	} forms[] = { { 0xe0, 0xc0, 0x1f, 0x80 }, { 0xf0, 0xe0, 0x0f, 0x800 },
		      { 0xf8, 0xf0, 0x07, 0x10000 } };
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		size_t n = f + 2;

		if ((s[0] & forms[f].mask) != forms[f].lead)
			continue;
		if ((size_t)(end - s) < n)
			return 0;
		cp = s[0] & forms[f].payload;
		for (size_t i = 1; i < n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		/* Overlong forms, surrogates and code points past U+10FFFF are not UTF-8. */
		if (cp < forms[f].min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		return n;
	}
	return 0;
}

/*
 * json_text - raw bytes from the system as a JSON string: valid UTF-8 is kept,
 * every other byte (and the backslash, so that the text reads back
 * unambiguously) becomes the four characters \xHH.
 */
static json_t *json_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
	char *buf = malloc((size_t)(end - p) * 4 + 1);
	size_t len = 0;
	json_t *j;

	if (!buf)
		return json_null();
	while (p < end) {
		size_t n = *p == '\\' ? 0 : utf8_seq(p, end);

		if (n == 0) {
			len += (size_t)sprintf(buf + len, "\\x%02x", *p++);
		} else {
			memcpy(buf + len, p, n);
			len += n;
			p += n;
		}
	}
	buf[len] = '\0';
	j = json_string(buf);
	free(buf);
	return j ? j : json_null();
}

/* json_u64 - an integer, or its digits as a string past INT64_MAX (JSON integers are signed). */
static json_t *json_u64(uint64_t v)
{
	char buf[24];

	if (v <= INT64_MAX)
		return json_integer((json_int_t)v);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	return json_string(buf);
}

/* json_limit - a limit: "unlimited", a number, or null. */
static json_t *json_limit(struct rtlab_pu64 v)
{
	if (v.st != RTLAB_PV_OK)
		return json_null();
	return v.v == RTLAB_PROC_UNLIMITED ? json_string("unlimited") : json_u64(v.v);
}

/* json_extra - "<key><suffix>": @val in @obj (a name next to a number). */
static void json_extra(json_t *obj, const char *key, const char *suffix, json_t *val)
{
	char k[96];

	snprintf(k, sizeof(k), "%s%s", key, suffix);
	json_object_set_new(obj, k, val);
}

/* json_field - one field: its value, or null and "<key>_state". */
static void json_field(json_t *obj, const struct field *d, const PF *f)
{
	uint8_t st = field_st(d, f);
	char buf[1024];
	const char *name;

	if (st != RTLAB_PV_OK) {
		json_object_set_new(obj, d->key, json_null());
		json_extra(obj, d->key, "_state", json_string(rtlab_pv_state_name(st)));
		return;
	}
	switch (d->kind) {
	case K_U:
		if (d->fmt == F_LIMIT)
			json_object_set_new(obj, d->key, json_limit(*(const struct rtlab_pu64 *)(
								 (const char *)f + d->off)));
		else
			json_object_set_new(obj, d->key, json_u64(field_u(d, f)));
		if (d->fmt == F_CAPS) {
			rtlab_proc_cap_names(field_u(d, f), buf, sizeof(buf));
			json_extra(obj, d->key, "_names", json_string(buf));
		} else if (d->fmt == F_POLICY && (name = rtlab_proc_policy_name(field_u(d, f)))) {
			json_extra(obj, d->key, "_name", json_string(name));
		}
		break;
	case K_I:
		json_object_set_new(obj, d->key, json_integer(field_i(d, f)));
		if (d->fmt == F_TTY) {
			rtlab_proc_tty_name(field_i(d, f), buf, 64);
			json_object_set_new(obj, "tty", json_string(buf));
		}
		break;
	case K_F:
		json_object_set_new(obj, d->key, json_real(field_f(d, f)));
		break;
	case K_STATE:
		json_object_set_new(obj, d->key, json_text((char[]){ *field_text(d, f), '\0' }));
		json_extra(obj, d->key, "_name",
			   json_string(rtlab_proc_state_name(*field_text(d, f))));
		break;
	default:
		json_object_set_new(obj, d->key, json_text(field_text(d, f)));
		break;
	}
}

/* json_strings - an array of raw strings, or null when the source failed. */
static json_t *json_strings(char *const *list, uint32_t n, uint8_t st)
{
	json_t *a;

	if (st != RTLAB_PV_OK)
		return json_null();
	a = json_array();
	for (uint32_t i = 0; i < n; i++)
		json_array_append_new(a, json_text(list[i]));
	return a;
}

/* json_opt_u64 - a value or null. */
static json_t *json_opt_u64(struct rtlab_pu64 v)
{
	return v.st == RTLAB_PV_OK ? json_u64(v.v) : json_null();
}

/* json_opt_i64 - a value or null. */
static json_t *json_opt_i64(struct rtlab_pi64 v)
{
	return v.st == RTLAB_PV_OK ? json_integer(v.v) : json_null();
}

/* json_tables - groups, limits, namespaces, cgroups. */
static void json_tables(json_t *root, const PF *f)
{
	json_t *groups = json_array(), *limits = json_array(), *ns = json_object();
	json_t *cgroups = json_array();

	for (uint32_t i = 0; i < f->status.n_groups; i++)
		json_array_append_new(groups, json_integer(f->status.groups[i]));
	json_object_set_new(root, "groups", f->status.groups_st == RTLAB_PV_OK ? groups
									       : json_null());
	if (f->status.groups_st != RTLAB_PV_OK)
		json_decref(groups);
	for (uint32_t i = 0; i < f->limits.count; i++) {
		const struct rtlab_proc_limit *l = &f->limits.row[i];

		json_array_append_new(limits, json_pack("{s:o, s:o, s:o, s:o, s:i}",
							"name", json_text(l->name),
							"soft", json_limit(l->soft),
							"hard", json_limit(l->hard),
							"unit", json_text(l->unit),
							"resource", l->resource));
	}
	json_object_set_new(root, "limits", limits);
	for (unsigned i = 0; i < RTLAB_PROC_NS__COUNT; i++)
		json_object_set_new(ns, rtlab_proc_ns_name(i), json_opt_u64(f->ns[i]));
	json_object_set_new(root, "namespaces", ns);
	for (uint32_t i = 0; i < f->n_cgroups; i++)
		json_array_append_new(cgroups, json_pack("{s:i, s:o, s:o}",
							 "hierarchy",
							 (json_int_t)f->cgroups[i].hierarchy,
							 "controllers",
							 json_text(f->cgroups[i].controllers),
							 "path", json_text(f->cgroups[i].path)));
	json_object_set_new(root, "cgroups", cgroups);
}

/* json_lists - open files, threads, children (and environment, maps when asked). */
static void json_lists(json_t *root, const PF *f)
{
	json_t *fds = json_array(), *threads = json_array(), *children = json_array();

	for (uint32_t i = 0; i < f->n_fds; i++) {
		const struct rtlab_proc_fd *d = &f->fds[i];

		json_array_append_new(fds, json_pack("{s:i, s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
						     "fd", (json_int_t)d->fd, "kind",
						     rtlab_proc_fd_kind_name(d->kind), "target",
						     d->target ? json_text(d->target) : json_null(),
						     "link_inode", json_opt_u64(d->link_inode),
						     "pos", json_opt_u64(d->pos), "flags",
						     json_opt_u64(d->flags), "mnt_id",
						     json_opt_u64(d->mnt_id), "ino",
						     json_opt_u64(d->ino)));
	}
	json_object_set_new(root, "open_files", fds);
	for (uint32_t i = 0; i < f->n_threads; i++) {
		const struct rtlab_proc_stat *s = &f->threads[i].stat;

		json_array_append_new(
			threads,
			json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "tid",
				  (json_int_t)f->threads[i].tid, "comm", json_text(s->comm),
				  "state", json_text((char[]){ s->state, '\0' }), "utime_ticks",
				  json_opt_u64(s->utime_ticks), "stime_ticks",
				  json_opt_u64(s->stime_ticks), "processor",
				  json_opt_i64(s->processor), "priority", json_opt_i64(s->priority),
				  "policy",
				  json_opt_u64(s->policy), "rt_priority",
				  json_opt_u64(s->rt_priority)));
	}
	json_object_set_new(root, "threads", threads);
	for (uint32_t i = 0; i < f->n_children; i++)
		json_array_append_new(children, json_integer(f->children[i]));
	json_object_set_new(root, "children", children);
	if (f->flags & RTLAB_PROC_FULL_ENV)
		json_object_set_new(root, "environment",
				    json_strings(f->env, f->n_env,
						 f->src[RTLAB_PROC_SRC_ENVIRON].st));
	if (f->flags & RTLAB_PROC_FULL_MAPS) {
		json_t *maps = json_array();

		for (uint32_t i = 0; i < f->n_maps; i++) {
			const struct rtlab_proc_map *m = &f->maps[i];

			json_t *o = json_pack("{s:o, s:o, s:s, s:o, s:i, s:i, s:o, s:o}",
					      "start", json_u64(m->start), "end", json_u64(m->end),
					      "perms", m->perms, "offset", json_u64(m->offset),
					      "dev_major", (json_int_t)m->dev_major,
					      "dev_minor", (json_int_t)m->dev_minor,
					      "inode", json_u64(m->inode),
					      "path", json_text(m->path));

			json_array_append_new(maps, o);
		}
		json_object_set_new(root, "maps", maps);
	}
}

/* print_json - the whole process as one JSON object. */
static int print_json(FILE *out, const PF *f)
{
	json_t *root = json_object(), *src = json_object();
	int r;

	json_object_set_new(root, "pid", json_integer(f->pid));
	json_object_set_new(root, "cmdline", json_strings(f->argv, f->argc,
							  f->src[RTLAB_PROC_SRC_CMDLINE].st));
	json_object_set_new(root, "cmdline_truncated", json_boolean(f->argv_truncated));
	for (size_t s = 0; s < sizeof(sections) / sizeof(sections[0]); s++) {
		json_t *obj = json_object();

		for (size_t i = 0; i < sections[s].n; i++)
			json_field(obj, &sections[s].fields[i], f);
		json_object_set_new(root, sections[s].name, obj);
	}
	json_tables(root, f);
	json_lists(root, f);
	for (unsigned s = 0; s < RTLAB_PROC_SRC__COUNT; s++)
		json_object_set_new(src, rtlab_proc_src_name(s),
				    json_pack("{s:s, s:o}", "state",
					      rtlab_pv_state_name(f->src[s].st), "why",
					      json_text(f->src[s].why)));
	json_object_set_new(root, "sources", src);
	r = json_dumpf(root, out, JSON_INDENT(2));
	fputc('\n', out);
	json_decref(root);
	return r;
}

/* --- The command --- */

/* usage - the view's help. */
static void usage(FILE *out)
{
	fprintf(out, "usage: rtlab probe proc PID [--json] [--env] [--maps] [--root DIR]\n\n"
		     "Everything the kernel tells about one process: identity, names, command\n"
		     "line, credentials, state, scheduling, CPU, memory (RSS, PSS, USS, swap),\n"
		     "I/O, limits, capabilities, seccomp, namespaces, cgroups, signals, open\n"
		     "files, threads, children.  What cannot be read shows why (n/a (denied)).\n\n"
		     "options:\n"
		     "  -j, --json      one JSON object\n"
		     "  -e, --env       the environment too (the process's owner or root only)\n"
		     "  -m, --maps      the memory maps too\n"
		     "  -r, --root DIR  read /proc below DIR (a captured tree)\n"
		     "  -h, --help      show this help\n\n"
		     "Exit status: 0, 1 if there is no such process, 2 for bad options.\n");
}

/* parse_args - the options and the PID: EXIT_OK, -1 (help shown), or EXIT_USAGE. */
static int parse_args(int argc, char **argv, struct proc_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },	 { "env", no_argument, NULL, 'e' },
		{ "maps", no_argument, NULL, 'm' },	 { "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },	 { NULL, 0, NULL, 0 },
	};
	char esc[256];
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "jemr:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'e':
			o->flags |= RTLAB_PROC_FULL_ENV;
			break;
		case 'm':
			o->flags |= RTLAB_PROC_FULL_MAPS;
			break;
		case 'r':
			if (probe_opt_root(CMD, optarg) != EXIT_OK)
				return EXIT_USAGE;
			o->root = optarg;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			return cli_usage_error(CMD, "unknown option or missing value '%s'",
					       cli_escape(argv[optind - 1], esc, sizeof(esc)));
		}
	}
	if (optind >= argc)
		return cli_usage_error(CMD, "a PID is needed: rtlab probe proc PID");
	if (argc - optind > 1)
		return cli_usage_error(CMD, "one PID only ('%s' is extra)",
				       cli_escape(argv[optind + 1], esc, sizeof(esc)));
	if (rtlab_parse_int(argv[optind], &o->pid) < 0 || o->pid <= 0)
		return cli_usage_error(CMD, "'%s' is not a process id",
				       cli_escape(argv[optind], esc, sizeof(esc)));
	return EXIT_OK;
}

/* probe_cmd_proc - "rtlab probe proc PID". */
int probe_cmd_proc(int argc, char **argv, struct rtlab_ctx *ctx)
{
	struct proc_opts o = { 0 };
	struct rtlab_probe_opts po = { 0 };
	struct rtlab_probe *p = NULL;
	struct rtlab_proc_full *f;
	int r = parse_args(argc, argv, &o);

	if (r != EXIT_OK)
		return r < 0 ? EXIT_OK : r;
	po.root = o.root;
	r = rtlab_probe_new(ctx, &po, &p);
	f = calloc(1, sizeof(*f));
	if (r < 0 || !f) {
		fprintf(stderr, "rtlab probe: %s\n", strerror(r < 0 ? -r : ENOMEM));
		free(f);
		rtlab_probe_free(p);
		return EXIT_FAIL;
	}
	r = rtlab_proc_full_read(p, o.pid, o.flags, f);
	if (r == -ESRCH)
		fprintf(stderr, "rtlab probe: no process %d\n", o.pid);
	else if (r < 0)
		fprintf(stderr, "rtlab probe: process %d: %s\n", o.pid, strerror(-r));
	else if (o.json)
		r = print_json(stdout, f) < 0 ? -EIO : 0;
	else
		print_text(stdout, f);
	rtlab_proc_full_release(f);
	free(f);
	rtlab_probe_free(p);
	return r < 0 ? EXIT_FAIL : EXIT_OK;
}
