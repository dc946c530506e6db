/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * proc-parse.h - pure parsers of the proc group's sources (unit-tested, fuzzed).
 *
 * Each takes a [buf, buf + len) range that need not be NUL-terminated and
 * never reads past it.  Fields the input lacks are RTLAB_PV_ABSENT, fields
 * that cannot be read RTLAB_PV_MALFORMED (then the parser returns -EBADMSG).
 */
#ifndef RTLAB_PROBE_PROC_PARSE_H
#define RTLAB_PROBE_PROC_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include <rtlab/probe.h>

/* --- "Key: value" files (status, io, smaps_rollup, meminfo, fdinfo), table-driven. --- */

enum kv_kind {
	KV_U64,		/* decimal */
	KV_I64,		/* decimal with a sign */
	KV_KB,		/* "123 kB": bytes */
	KV_HEX,		/* a 64-bit hexadecimal mask */
	KV_OCT,		/* octal (umask, fdinfo flags) */
	KV_U64X4,	/* four decimals (Uid:, Gid:) into 4 consecutive pu64 */
	KV_PAIR,	/* "a/b" into 2 consecutive pu64 */
	KV_LAST,	/* a list of decimals: the last (NSpid:) */
	KV_STATE,	/* "S (sleeping)": the letter, a char then its state byte at st_off */
	KV_TEXT,	/* the rest of the line into char[size], state byte at st_off */
	KV_GROUPS,	/* status Groups: (struct rtlab_proc_status only) */
};

/* One key of a table: where its value goes in the output struct. */
struct kv_field {
	const char *key;	/* without the colon */
	uint8_t kind;		/* enum kv_kind */
	uint16_t off;		/* offsetof the value */
	uint16_t st_off;	/* KV_STATE, KV_TEXT: offsetof the state byte */
	uint16_t size;		/* KV_TEXT: size of the char array */
};

/* Table entries: a value, a text or state (with its state byte), of struct @type's @field. */
#define KV_F(key, kind, type, field) { key, kind, offsetof(type, field), 0, 0 }
#define KV_T(key, kind, type, field)                                                      \
	{ key, kind, offsetof(type, field), offsetof(type, field##_st),                     \
	  sizeof(((type *)0)->field) }

/*
 * kv_parse - "Key:<blanks>value" lines into @out by @tab (@n keys).  Every
 * key of the table starts ABSENT; unknown keys are skipped; a line cut short
 * by the end of the input (no newline) is MALFORMED.  Returns 0 or -EBADMSG.
 */
int kv_parse(const char *buf, size_t len, const struct kv_field *tab, size_t n, void *out);

/* kv_mark - every field of @tab in @out in state @st. */
void kv_mark(const struct kv_field *tab, size_t n, void *out, uint8_t st);

/* proc_hex - a hexadecimal number of at most 16 digits (an optional "0x" first); *pp past it. */
bool proc_hex(const char **pp, const char *end, uint64_t *ret);

/* --- The process files. --- */

/* proc_stat_parse - /proc/<pid>/stat ("pid (comm) S ppid ..."); comm may hold ')' and blanks. */
int proc_stat_parse(const char *buf, size_t len, struct rtlab_proc_stat *out);

/* proc_stat_mark - every field of @s in state @st. */
void proc_stat_mark(struct rtlab_proc_stat *s, uint8_t st);

/* proc_stat_state - only the state letter of a stat line; '\0' if there is none. */
char proc_stat_state(const char *buf, size_t len);

/* proc_statm_parse - /proc/<pid>/statm (seven page counts). */
int proc_statm_parse(const char *buf, size_t len, struct rtlab_proc_statm *out);

/* proc_statm_mark - every field of @s in state @st. */
void proc_statm_mark(struct rtlab_proc_statm *s, uint8_t st);

/* proc_status_parse - /proc/<pid>/status. */
int proc_status_parse(const char *buf, size_t len, struct rtlab_proc_status *out);

/* proc_status_mark - every field of @s in state @st. */
void proc_status_mark(struct rtlab_proc_status *s, uint8_t st);

/* proc_io_parse - /proc/<pid>/io. */
int proc_io_parse(const char *buf, size_t len, struct rtlab_proc_io *out);

/* proc_io_mark - every field of @io in state @st. */
void proc_io_mark(struct rtlab_proc_io *io, uint8_t st);

/* proc_smaps_parse - /proc/<pid>/smaps_rollup (its header line is skipped). */
int proc_smaps_parse(const char *buf, size_t len, struct rtlab_proc_smaps *out);

/* proc_smaps_mark - every field of @s in state @st. */
void proc_smaps_mark(struct rtlab_proc_smaps *s, uint8_t st);

/* proc_limits_parse - /proc/<pid>/limits: the header line, then one row per limit. */
int proc_limits_parse(const char *buf, size_t len, struct rtlab_proc_limits *out);

/*
 * proc_cgroup_parse - /proc/<pid>/cgroup lines into @out (room for @max);
 * *@count: the good lines, which may exceed @max (call again with more room).
 * A malformed line is skipped.  Returns 0 or -EBADMSG.
 */
int proc_cgroup_parse(const char *buf, size_t len, struct rtlab_proc_cgroup *out, size_t max,
		      size_t *count);

/*
 * proc_nul_split - the NUL-separated strings of cmdline or environ: their
 * starts into @out (room for @max) and their count; a final string without
 * its NUL counts too.  The strings themselves are not NUL-terminated if
 * @buf is not: the caller copies @buf with a NUL after it first.
 */
size_t proc_nul_split(const char *buf, size_t len, const char **out, size_t max);

/* proc_ns_inode - the inode of a namespace link "net:[4026531840]"; -EBADMSG. */
int proc_ns_inode(const char *buf, size_t len, uint64_t *ret);

/* proc_fd_classify - the kind of an fd link ("socket:[123]"...) and its inode if it has one. */
enum rtlab_proc_fd_kind proc_fd_classify(const char *buf, size_t len, struct rtlab_pu64 *inode);

/* proc_fdinfo_parse - /proc/<pid>/fdinfo/<fd>: pos, flags, mnt_id, ino into @out. */
int proc_fdinfo_parse(const char *buf, size_t len, struct rtlab_proc_fd *out);

/* proc_schedstat_parse - /proc/<pid>/schedstat: "run_ns wait_ns timeslices". */
int proc_schedstat_parse(const char *buf, size_t len, struct rtlab_pu64 out[3]);

/* proc_i64_parse - a file holding one decimal (oom_score, pid_max): -EBADMSG if it is not. */
int proc_i64_parse(const char *buf, size_t len, struct rtlab_pi64 *out);

/*
 * proc_map_parse - one line of /proc/<pid>/maps into @out (path: offset and
 * length of the pathname in the line, 0 length for an anonymous mapping).
 */
int proc_map_parse(const char *buf, size_t len, struct rtlab_proc_map *out, size_t *path_off,
		   size_t *path_len);

/* --- System-wide files the walk's header reads. --- */

/* Selected /proc/meminfo values, in bytes. */
struct proc_meminfo {
	struct rtlab_pu64 total, free, available, swap_total, swap_free;
};

/* proc_meminfo_parse - MemTotal, MemFree, MemAvailable, SwapTotal, SwapFree. */
int proc_meminfo_parse(const char *buf, size_t len, struct proc_meminfo *out);

/* proc_meminfo_mark - every field of @m in state @st. */
void proc_meminfo_mark(struct proc_meminfo *m, uint8_t st);

/* proc_cpu_line_parse - /proc/stat: the "cpu" line's first 8 times (ticks) and the cpuN count. */
int proc_cpu_line_parse(const char *buf, size_t len, uint64_t ticks[RTLAB_PROC_CPU__COUNT],
			uint64_t *ncpus);

/* proc_btime_parse - /proc/stat: the "btime" line (boot time, seconds since the epoch). */
int proc_btime_parse(const char *buf, size_t len, uint64_t *ret);

#endif /* RTLAB_PROBE_PROC_PARSE_H */
