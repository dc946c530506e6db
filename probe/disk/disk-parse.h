/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * disk-parse.h - pure parsers of the disk group's sources (unit-tested, fuzzed).
 *
 * None reads past @len (the buffer need not be NUL-terminated) and none does
 * I/O.  Those that fill arrays grow them with probe_grow(), which allocates
 * only while an array is too small.  A field that cannot be read is
 * RTLAB_PV_MALFORMED; the return value says whether anything was.
 */
#ifndef RTLAB_PROBE_DISK_PARSE_H
#define RTLAB_PROBE_DISK_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include <rtlab/probe.h>

/* --- Block devices --- */

/*
 * diskstats_parse - /proc/diskstats into out->devs (out->ndevs set).  An
 * entry keeps its sysfs fields when the line at its index is the same device
 * as last time; otherwise they are reset (absent) and its rates not ready.
 * Returns 0, -EBADMSG if a line or field was malformed (unreadable lines are
 * skipped), or -ENOMEM.
 */
int diskstats_parse(const char *buf, size_t len, struct rtlab_probe_disk *out);

/* disk_kind_of - the kind a block device's name says (never PARTITION: sysfs says that). */
enum rtlab_disk_kind disk_kind_of(const char *name);

/*
 * disk_sched_parse - queue/scheduler ("none [mq-deadline] kyber bfq\n"): the
 * selected one into @sel and all of them, space-separated, into @list.
 * Returns 0 or -EBADMSG (no word, or several and none selected).
 */
int disk_sched_parse(const char *buf, size_t len, char *sel, size_t sel_size, char *list,
		     size_t list_size);

/*
 * sysfs_u64_parse - a sysfs attribute holding one unsigned decimal number and
 * an optional newline.  Returns 0 or -EBADMSG.
 */
int sysfs_u64_parse(const char *buf, size_t len, uint64_t *ret);

/*
 * sysfs_word_parse - the first line of a sysfs attribute, blanks trimmed,
 * into @dst (truncated).  Returns 0, or -EBADMSG if it is empty.
 */
int sysfs_word_parse(const char *buf, size_t len, char *dst, size_t size);

/* --- Mounted file systems --- */

/*
 * mountinfo_parse - /proc/<pid>/mountinfo into out->mounts, its strings
 * (octal escapes decoded) into out->strs.  Sets each mount's kind, hidden,
 * excluded and readonly; marks its statvfs fields absent (the
 * collector fills them).  Returns 0, -EBADMSG if a line was malformed (it
 * is skipped), or -ENOMEM.
 */
int mountinfo_parse(const char *buf, size_t len, struct rtlab_probe_fs *out);

/*
 * mnt_unescape - decode the octal escapes the kernel writes in mountinfo
 * (\040 space, \011 tab, \012 newline, \134 backslash) from [@src, +@n) into
 * @dst, which has room for @n + 1 bytes.  Other bytes are kept as they are.
 * Returns the decoded length (@dst is NUL-terminated).
 */
size_t mnt_unescape(char *dst, const char *src, size_t n);

/* fs_kind_of - the kind of file system type @fstype is. */
enum rtlab_fs_kind fs_kind_of(const char *fstype);

/* fs_excluded - true for the types node_exporter leaves out of its metrics by default. */
bool fs_excluded(const char *fstype);

/* --- md, device-mapper, btrfs, zfs --- */

/*
 * mdstat_parse - /proc/mdstat into out->md and out->md_members (the sysfs
 * fields of each array are marked absent).  Returns 0, -EBADMSG if an array's
 * lines were malformed (its fields are marked), or -ENOMEM.
 */
int mdstat_parse(const char *buf, size_t len, struct rtlab_probe_raid *out);

/*
 * md_sync_completed_parse - md/sync_completed: "123 / 4567\n" into @done and
 * @total (sectors).  Returns 0, -ENODATA for "none" (no sync running; also
 * "delayed"), or -EBADMSG.
 */
int md_sync_completed_parse(const char *buf, size_t len, uint64_t *done, uint64_t *total);

/*
 * dm_lvm_split - an LVM device-mapper name "vg-lv[-layer]" (a '-' inside a
 * name is doubled) into its parts, unescaped.  Returns 0, or -EINVAL if it
 * has no single '-' separator.
 */
int dm_lvm_split(const char *name, char *vg, size_t vg_size, char *lv, size_t lv_size,
		 char *layer, size_t layer_size);

/*
 * arcstats_parse - /proc/spl/kstat/zfs/arcstats (a kstat header line, then
 * "name type data" and one "name type value" line per counter) into
 * out->arc[]; counters not in the file are RTLAB_PV_ABSENT.  Returns 0 or
 * -EBADMSG (no "name type data" header, or a known counter unreadable).
 */
int arcstats_parse(const char *buf, size_t len, struct rtlab_probe_raid *out);

/* zfs_arc_name - the arcstats name of counter @i ("hits"), NULL if out of range. */
const char *zfs_arc_name(unsigned i);

#endif /* RTLAB_PROBE_DISK_PARSE_H */
