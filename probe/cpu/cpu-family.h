/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpu-family.h - what the cpu family's files share: its state and its sysfs readers. */
#ifndef RTLAB_PROBE_CPU_FAMILY_H
#define RTLAB_PROBE_CPU_FAMILY_H

#include "cpu/cpu-parse.h"
#include "probe-internal.h"
#include "probe-parse.h"

#define CPU_SYS "/sys/devices/system/cpu"

/* Offsets of fields in the per-CPU, per-C-state and system structs; table sizes. */
#define L_OFF(f) offsetof(struct rtlab_cpu_logical, f)
#define S_OFF(f) offsetof(struct rtlab_cpu_idle_state, f)
#define I_OFF(f) offsetof(struct rtlab_probe_cpuidle, f)
#define C_OFF(f) offsetof(struct rtlab_probe_cpu, f)
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* At most this many per-CPU files are kept open by a family (and a quarter of RLIMIT_NOFILE). */
#define CPU_FD_BUDGET_MAX 4096

/* The cpu family's per-CPU files, kept open and re-read with pread. */
enum cpu_kf_slot {
	KF_SCALING_CUR,		/* read on every collection */
	KF_CPUINFO_CUR,
	KF_CORE_THR,
	KF_CORE_THR_MS,
	KF_PKG_THR,
	KF_PKG_THR_MS,
	KF_STATIC,		/* then one per static file, read when the static fields are */
};

#define CPU_STATIC_FILES 15
#define CPU_KF_SLOTS (KF_STATIC + CPU_STATIC_FILES)

/* A slot's fd: >= 0 open, KF_UNTRIED, or KF_FAILED(errno) until the next reset. */
#define KF_UNTRIED (-1)
#define KF_FAILED(err) (-1000 - (err))
#define KF_ERRNO(fd) (-1000 - (fd))

/* Per-CPU files below <root>/sys/devices/system/cpu kept open: @per slots a CPU. */
struct cpu_kf {
	int dir;			/* the directory, or -errno */
	int *fd;			/* ncpu * per slots */
	size_t per;
	size_t ncpu;
	size_t cap;			/* slots allocated */
	unsigned nfds;			/* fds kept open */
	unsigned budget;		/* the most fds kept (then open, read, close) */
};

struct cpu_state {
	struct probe_src stat;		/* /proc/stat */
	struct probe_src online;	/* /sys/devices/system/cpu/online */
	struct cpu_kf kf;		/* CPU_KF_SLOTS per CPU */
	long hz;			/* USER_HZ: sysconf(_SC_CLK_TCK), read at open */
	double sec_per_tick;
	uint64_t online_bits[CPU_WORDS];
	uint64_t scratch[CPU_WORDS];
	bool online_ok;			/* online_bits holds the last online set */
	uint64_t gen;			/* bumped when the online set changes */
};

/* What a file holds, and the field type it fills. */
enum cpu_kind {
	K_U64,			/* struct rtlab_pu64 */
	K_I64,			/* struct rtlab_pi64 */
	K_TEXT,			/* struct rtlab_cpu_text */
};

/* Where a value comes from, for probe_why(): cpu < 0 means file is a full path. */
struct cpu_where {
	long cpu;
	int state;		/* C-state, or -1 */
	const char *file;
};

/* --- cpu-files.c --- */

/* cpu_where_why - "path: reason" (":1: malformed" for a value that did not parse). */
void cpu_where_why(struct probe_cx *cx, const struct cpu_where *w, int err);

/* cpu_field_mark - the field of @kind at @f in state @st (a text emptied). */
void cpu_field_mark(void *f, uint8_t kind, uint8_t st);

/*
 * cpu_field_got - the outcome of reading a file (@n bytes of @buf, or -errno)
 * into the field of @kind at @f; a file that is not there is absent, no why.
 */
void cpu_field_got(struct probe_cx *cx, void *f, uint8_t kind, const char *buf, ssize_t n,
		   const struct cpu_where *w);

/* cpu_at_read - read <dir>/<fmt...> once (open, pread, close): the length or -errno. */
ssize_t cpu_at_read(const struct cpu_kf *kf, char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * cpu_kf_read - read slot @slot of CPU @cpu with its kept fd, or open it
 * (<dir>/<fmt...>) and keep it while the fd budget lasts (traced for @p).  A failure is
 * remembered until the next cpu_kf_reset(), so a missing file costs no syscall.
 */
ssize_t cpu_kf_read(struct cpu_kf *kf, const struct rtlab_probe *p, size_t cpu, size_t slot,
		    char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* cpu_kf_init - @per slots a CPU, no CPU and no directory yet. */
void cpu_kf_init(struct cpu_kf *kf, size_t per);

/* cpu_kf_dir - open <root>/sys/devices/system/cpu if not yet: 0 or -errno (with a why). */
int cpu_kf_dir(struct probe_cx *cx, struct cpu_kf *kf);

/* cpu_kf_reset - close every kept fd (@close_all) or forget only the failures. */
void cpu_kf_reset(struct cpu_kf *kf, bool close_all);

/* cpu_kf_grow - slots for each of CPUs 0..n-1.  Returns 0 or -ENOMEM. */
int cpu_kf_grow(struct cpu_kf *kf, size_t n);

/* cpu_kf_fini - close everything and free the slots. */
void cpu_kf_fini(struct cpu_kf *kf);

/* --- cpu-sets.c --- */

/* cpu_sets - possible and present (counts, flags); the CPU array grown to hold them. */
int cpu_sets(struct probe_cx *cx, struct cpu_state *s);

/* cpu_flags - isolated and nohz_full (0/1 per CPU, absent without the file). */
void cpu_flags(struct probe_cx *cx, struct cpu_state *s);

/* cpu_nodes - each CPU's NUMA node from /sys/devices/system/node/node*\/cpulist. */
void cpu_nodes(struct probe_cx *cx, struct cpu_state *s);

/* cpu_firsts - which online CPU is the first of its core and of its package. */
void cpu_firsts(struct rtlab_probe_cpu *c);

/* --- cpu-sysfs.c, cpu-emit.c, cpuidle.c --- */

/* cpu_static_read - topology, CPU sets, cpufreq limits, boost. */
void cpu_static_read(struct probe_cx *cx, struct cpu_state *s);

/* cpu_dynamic_read - current frequencies and throttle counts. */
void cpu_dynamic_read(struct probe_cx *cx, struct cpu_state *s);

/* cpu_emit - the family's samples. */
void cpu_emit(struct probe_emit *e, const struct rtlab_probe_data *d);

/* cpuidle_emit - the cpuidle family's samples. */
void cpuidle_emit(struct probe_emit *e, const struct rtlab_probe_data *d);

#endif /* RTLAB_PROBE_CPU_FAMILY_H */
