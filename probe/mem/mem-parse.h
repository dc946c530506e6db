/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mem-parse.h - pure parsers of the mem group's sources (unit-tested, fuzzed).
 *
 * They read [buf, buf + len) only (no NUL needed), mark what they cannot read
 * RTLAB_PV_MALFORMED, and report the first problem's line in a struct
 * mem_perr.  A last line without its newline was cut short: its values are
 * not trusted.  Arrays they grow are freed with the *_free() functions.
 */
#ifndef RTLAB_PROBE_MEM_PARSE_H
#define RTLAB_PROBE_MEM_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include <rtlab/probe.h>

#include "probe-parse.h"

/* Where a parser met its first problem. */
struct mem_perr {
	unsigned line;		/* 1-based; 0: no problem */
	char what[48];		/* the key, or what was wrong */
};

/* mem_load64 - 8 bytes at @p, unaligned. */
static inline uint64_t mem_load64(const char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* mem_load32 - 4 bytes at @p, unaligned. */
static inline uint32_t mem_load32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * mem_same - [a, a + n) equals [b, b + n): memcmp inlined for short keys,
 * with two overlapping loads from each end instead of a byte loop.
 */
static inline bool mem_same(const char *a, const char *b, size_t n)
{
	for (; n > 16; a += 8, b += 8, n -= 8)
		if (mem_load64(a) != mem_load64(b))
			return false;
	if (n >= 8)
		return mem_load64(a) == mem_load64(b) &&
		       mem_load64(a + n - 8) == mem_load64(b + n - 8);
	if (n >= 4)
		return mem_load32(a) == mem_load32(b) &&
		       mem_load32(a + n - 4) == mem_load32(b + n - 4);
	for (; n; a++, b++, n--)
		if (*a != *b)
			return false;
	return true;
}

/* mem_blanks - pp_skip_blanks() that strides over runs of spaces 8 at a time (meminfo pads). */
static inline const char *mem_blanks(const char *p, const char *end)
{
	while (end - p >= 8 && mem_load64(p) == UINT64_C(0x2020202020202020))
		p += 8;
	return pp_skip_blanks(p, end);
}

/*
 * mem_u64 - pp_u64() for the hot paths: no overflow test for up to 19
 * digits (they cannot overflow); longer numbers take pp_u64's careful way.
 */
static inline bool mem_u64(const char **pp, const char *end, uint64_t *ret)
{
	const char *p = mem_blanks(*pp, end), *s = p;
	uint64_t v = 0;

	for (; p < end && p - s < 19 && (unsigned)(*p - '0') < 10; p++)
		v = v * 10 + (unsigned)(*p - '0');
	if (p == s)
		return false;
	if (p < end && (unsigned)(*p - '0') < 10)
		return pp_u64(pp, end, ret);
	*ret = v;
	*pp = p;
	return true;
}

/* mem_perr_set - record line @line and @what (@wl bytes) unless a problem is recorded. */
void mem_perr_set(struct mem_perr *e, unsigned line, const char *what, size_t wl);

/* --- meminfo (meminfo-keys.c, meminfo-parse.c) --- */

/* One key of /proc/meminfo with a named field in struct rtlab_meminfo. */
struct meminfo_key {
	const char *key;	/* as printed, "Active(anon)" */
	const char *metric;	/* node_memory_Active_anon_bytes */
	const char *numa_metric;	/* node_memory_numa_Active_anon */
	const char *help;
	uint16_t off;		/* offsetof(struct rtlab_meminfo, field) */
	uint8_t len;		/* strlen(key) */
	bool kb;		/* printed in kB (bytes in the field); else a count */
	bool node_only;		/* printed by nodeN/meminfo only */
};

/* The keys, in the order /proc/meminfo prints them (node-only keys where nodes print them). */
extern const struct meminfo_key meminfo_keys[];
extern const size_t meminfo_nkeys;

/* meminfo_field - the field of @mi that key @k feeds. */
static inline struct rtlab_pu64 *meminfo_field(struct rtlab_meminfo *mi,
					       const struct meminfo_key *k)
{
	return (struct rtlab_pu64 *)((char *)mi + k->off);
}

/* meminfo_cfield - the same, read-only. */
static inline const struct rtlab_pu64 *meminfo_cfield(const struct rtlab_meminfo *mi,
						      const struct meminfo_key *k)
{
	return (const struct rtlab_pu64 *)((const char *)mi + k->off);
}

/*
 * meminfo_key_find - the index of key [k, k + n) in meminfo_keys, or -1.
 * *@cursor is where the search starts and is left after the key found: keys
 * in the kernel's order are found with one comparison each.
 */
int meminfo_key_find(const char *k, size_t n, size_t *cursor);

/* meminfo_mangle - node_exporter's metric form of a key: "Active(anon)" → "Active_anon". */
void meminfo_mangle(const char *k, size_t n, char *dst, size_t size);

/*
 * meminfo_parse - /proc/meminfo into @out.  Every field starts ABSENT; keys
 * without a field go to out->extra.  Returns 0, or -EBADMSG with @err set
 * if a line could not be read (its field, if known, is MALFORMED).
 */
int meminfo_parse(const char *buf, size_t len, struct rtlab_meminfo *out, struct mem_perr *err);

/* node_meminfo_parse - the same for nodeN/meminfo ("Node 0 MemTotal: ... kB"). */
int node_meminfo_parse(const char *buf, size_t len, struct rtlab_meminfo *out,
		       struct mem_perr *err);

/* meminfo_mark - every field of @mi in state @st, no extras. */
void meminfo_mark(struct rtlab_meminfo *mi, enum rtlab_pv_state st);

/* mem_derive - used, percentages and swap used of @m from its meminfo fields. */
void mem_derive(struct rtlab_probe_mem *m);

/* --- /proc/swaps (swaps-parse.c) --- */

/*
 * swaps_parse - /proc/swaps into out->swaps (grown as needed).  Returns 0,
 * -EBADMSG with @err set (the bad line's values MALFORMED), or -ENOMEM.
 */
int swaps_parse(const char *buf, size_t len, struct rtlab_probe_mem *out, struct mem_perr *err);

/* mem_free_arrays - free what the parsers grew in @m. */
void mem_free_arrays(struct rtlab_probe_mem *m);

/* --- "name value" lists: vmstat, numastat (stat-list.c, vmstat-parse.c) --- */

/*
 * stat_list_parse - "name value" lines into @l, in order.  An item whose name
 * is the one it had at the last reading keeps its previous value in prev (for
 * rates); a new one gets prev NOT_READY and, if @prefix is not NULL, metric
 * "<prefix><name><suffix>".  *@changed: the list of names is not the last
 * one.  Returns 0, -EBADMSG with @err set (the bad values MALFORMED), or -ENOMEM.
 */
int stat_list_parse(const char *buf, size_t len, struct rtlab_vmstat_list *l, const char *prefix,
		    const char *suffix, bool *changed, struct mem_perr *err);

/* stat_list_mark - every value of @l in state @st (prev too: no rate across a gap). */
void stat_list_mark(struct rtlab_vmstat_list *l, enum rtlab_pv_state st);

/* stat_list_free - free @l's items. */
void stat_list_free(struct rtlab_vmstat_list *l);

/*
 * vmstat_parse - /proc/vmstat into @out: every line, metric node_vmstat_<name>,
 * and the named fields.  Returns 0, -EBADMSG with @err set, or -ENOMEM.
 */
int vmstat_parse(const char *buf, size_t len, struct rtlab_probe_vmstat *out, struct mem_perr *err);

/* vmstat_mark - every value and named field of @v in state @st. */
void vmstat_mark(struct rtlab_probe_vmstat *v, enum rtlab_pv_state st);

/*
 * vmstat_rates - the per-second rate of each counter of @v over @dt_ns (0:
 * no previous reading, every rate NOT_READY).  A counter that went back
 * (reset) is NOT_READY for this interval.
 */
void vmstat_rates(struct rtlab_probe_vmstat *v, uint64_t dt_ns);

/* vmstat_is_counter - is /proc/vmstat's @name an event counter (not a gauge)? */
bool vmstat_is_counter(const char *name, size_t n);

/* --- NUMA (numa-parse.c) --- */

/*
 * numa_distance_parse - nodeN/distance ("10 21") into @out->distance.
 * Returns 0, or -EBADMSG (distance_st MALFORMED).
 */
int numa_distance_parse(const char *buf, size_t len, struct rtlab_numa_node *out);

/* numa_node_free - free the lists of @n. */
void numa_node_free(struct rtlab_numa_node *n);

/* --- PSI (psi-parse.c) --- */

/*
 * psi_parse - one /proc/pressure file ("some avg10=0.00 avg60=0.00
 * avg300=0.00 total=0" and a "full" line) into @out.  A line that is not
 * printed is ABSENT.  Returns 0, or -EBADMSG with @err set.
 */
int psi_parse(const char *buf, size_t len, struct rtlab_psi_pressure *out, struct mem_perr *err);

/* psi_mark - both lines of @ps in state @st. */
void psi_mark(struct rtlab_psi_pressure *ps, enum rtlab_pv_state st);

#endif /* RTLAB_PROBE_MEM_PARSE_H */
