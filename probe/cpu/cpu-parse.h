/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpu-parse.h - pure parsers of the cpu group's sources (unit-tested, fuzzed). */
#ifndef RTLAB_PROBE_CPU_PARSE_H
#define RTLAB_PROBE_CPU_PARSE_H

#include <stddef.h>

#include <rtlab/probe.h>

/* The highest CPU number + 1 the parsers accept (the kernel's largest NR_CPUS). */
#define CPU_MAX 8192
#define CPU_WORDS (CPU_MAX / 64)

/*
 * load_parse - /proc/loadavg ("0.52 0.58 0.59 2/611 12345\n") into @out.
 * Fields that cannot be read are RTLAB_PV_MALFORMED.  Returns 0, or
 * -EBADMSG if any field was malformed.
 */
int load_parse(const char *buf, size_t len, struct rtlab_probe_load *out);

/*
 * cpustat_parse - /proc/stat into @out: the "cpu" line into out->total, each
 * "cpuN" line into out->cpus[N].times (the array grown with cpu_grow(),
 * in_stat set on the CPUs seen, cleared on the others), and the counters.
 * Fields the file lacks are RTLAB_PV_ABSENT (older kernels have fewer
 * columns), unreadable ones RTLAB_PV_MALFORMED with out->bad_line set.
 * Only ticks are set: see cpu_times_rate().  Returns 0, -EBADMSG if
 * something was malformed, or -ENOMEM.
 */
int cpustat_parse(const char *buf, size_t len, struct rtlab_probe_cpu *out);

/*
 * cpu_times_rate - the seconds of @t's ticks (@sec_per_tick each) and the
 * shares of the interval since the previous reading (kept in @t): not ready
 * on the first reading, unchanged when no tick passed.
 */
void cpu_times_rate(struct rtlab_cpu_times *t, double sec_per_tick);

/* cpustat_mark - everything cpustat_parse() sets in state @st (for a file that cannot be read). */
void cpustat_mark(struct rtlab_probe_cpu *c, enum rtlab_pv_state st);

/* cpu_times_mark - every tick of @t in state @st, its rates forgotten. */
void cpu_times_mark(struct rtlab_cpu_times *t, enum rtlab_pv_state st);

/*
 * cpu_grow - make out->cpus hold CPUs 0..@n-1 (n <= CPU_MAX), the new ones
 * numbered and with every field RTLAB_PV_ABSENT.  Returns 0 or -ENOMEM.
 */
int cpu_grow(struct rtlab_probe_cpu *c, size_t n);

/* cpu_data_release - free the per-CPU array of @c. */
void cpu_data_release(struct rtlab_probe_cpu *c);

/*
 * cpu_list_parse - a sysfs CPU list ("0-3,8,10-11\n", "" for none) into the
 * bitmap @bits (CPU_WORDS words, cleared first); *@count gets the number of
 * CPUs, *@end the highest + 1 (0 if none).  Returns 0, -EBADMSG on a syntax
 * error, -ERANGE on a CPU >= CPU_MAX (the others are kept).
 */
int cpu_list_parse(const char *buf, size_t len, uint64_t *bits, uint32_t *count, uint32_t *end);

/* cpu_list_has - true if CPU @cpu is set in @bits. */
static inline bool cpu_list_has(const uint64_t *bits, size_t cpu)
{
	return cpu < CPU_MAX && (bits[cpu / 64] >> (cpu % 64)) & 1;
}

/* cpu_sysfs_u64_parse - a sysfs number ("1234\n"); -EBADMSG if it is anything else. */
int cpu_sysfs_u64_parse(const char *buf, size_t len, uint64_t *ret);

/* cpu_sysfs_i64_parse - a signed sysfs number ("-1\n"). */
int cpu_sysfs_i64_parse(const char *buf, size_t len, int64_t *ret);

/* cpu_sysfs_text_parse - the first line of a sysfs text without surrounding blanks into @out. */
void cpu_sysfs_text_parse(const char *buf, size_t len, struct rtlab_cpu_text *out);

/*
 * interrupts_parse - /proc/interrupts into @out: out->irq (a column per
 * "CPUn" of the header; per row its name, counts, total, and the text after
 * the counts split as node_exporter does: numbered rows "info" = the chip,
 * "devices" = the rest; other rows "info" = the description), and the ERR and
 * MIS totals (RTLAB_PV_ABSENT when missing).  Arrays grow with probe_grow().
 * Returns 0, -EBADMSG if something was malformed (out->irq.bad_line), or -ENOMEM.
 */
int interrupts_parse(const char *buf, size_t len, struct rtlab_probe_interrupts *out);

/* softirqs_parse - /proc/softirqs into @out, as interrupts_parse() does its table. */
int softirqs_parse(const char *buf, size_t len, struct rtlab_irq_table *out);

/* irq_table_release - free the arrays of @t. */
void irq_table_release(struct rtlab_irq_table *t);

#endif /* RTLAB_PROBE_CPU_PARSE_H */
