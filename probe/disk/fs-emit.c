/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fs-emit.c - the fs family's metrics.
 *
 * node_filesystem_*{device,fstype,mountpoint} as node_exporter's filesystem
 * collector (device = the mount source, mountpoint decoded), for the mounts
 * that are neither over-mounted (a mount point appears once) nor of a type
 * node_exporter excludes by default (fs-kind.c lists them; node_exporter
 * also excludes some mount points by default, /dev, /proc, /sys... and
 * Debian's build /run, /mnt, /media: rtlab keeps them).  Every mount, those
 * included, is in rtlab_filesystem_mount_info.
 */
#include <inttypes.h>
#include <stdio.h>

#include "disk/disk-internal.h"

#define G RTLAB_METRIC_GAUGE

static const struct {
	struct rtlab_metric m;
	size_t off;	/* of the struct rtlab_pu64 in struct rtlab_fs_mount */
} value_metrics[] = {
	{ { "node_filesystem_size_bytes", "Filesystem size in bytes.", G },
	  offsetof(struct rtlab_fs_mount, size_bytes) },
	{ { "node_filesystem_free_bytes", "Filesystem free space in bytes.", G },
	  offsetof(struct rtlab_fs_mount, free_bytes) },
	{ { "node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.",
	    G },
	  offsetof(struct rtlab_fs_mount, avail_bytes) },
	{ { "node_filesystem_files", "Filesystem total file nodes.", G },
	  offsetof(struct rtlab_fs_mount, files) },
	{ { "node_filesystem_files_free", "Filesystem total free file nodes.", G },
	  offsetof(struct rtlab_fs_mount, files_free) },
	{ { "node_filesystem_readonly", "Filesystem read-only status.", G },
	  offsetof(struct rtlab_fs_mount, readonly) },
	{ { "rtlab_filesystem_used_bytes", "Filesystem space in use (size - free).", G },
	  offsetof(struct rtlab_fs_mount, used_bytes) },
	{ { "rtlab_filesystem_block_size_bytes", "Unit of the block counts (f_frsize).", G },
	  offsetof(struct rtlab_fs_mount, block_bytes) },
	{ { "rtlab_filesystem_name_max_bytes", "Longest file name (f_namemax).", G },
	  offsetof(struct rtlab_fs_mount, name_max) },
};

static const struct rtlab_metric m_error = {
	"node_filesystem_device_error",
	"Whether an error occurred while getting statistics for the given device.", G
};
static const struct rtlab_metric m_info = {
	"rtlab_filesystem_mount_info",
	"A line of /proc/self/mountinfo (strings decoded); kind local, network, memory or pseudo.",
	G
};

static const char *const kind_names[RTLAB_FS_KIND__COUNT] = {
	[RTLAB_FS_KIND_LOCAL] = "local",
	[RTLAB_FS_KIND_NETWORK] = "network",
	[RTLAB_FS_KIND_MEMORY] = "memory",
	[RTLAB_FS_KIND_PSEUDO] = "pseudo",
};

/* exported - in node_filesystem_*? */
static bool exported(const struct rtlab_fs_mount *m)
{
	return !m->hidden && !m->excluded;
}

/* field - the struct rtlab_pu64 at @off in @m. */
static struct rtlab_pu64 field(const struct rtlab_fs_mount *m, size_t off)
{
	return *(const struct rtlab_pu64 *)((const char *)m + off);
}

#define FS_LABELS(m)                                                                      \
	{ "device", (m)->source }, { "fstype", (m)->fstype }, { "mountpoint", (m)->mount_point }

/* emit_info - rtlab_filesystem_mount_info of every mount. */
static void emit_info(struct probe_emit *e, const struct rtlab_probe_fs *fs)
{
	for (size_t i = 0; i < fs->nmounts; i++) {
		const struct rtlab_fs_mount *m = &fs->mounts[i];
		char id[16], parent[16], dev[32];

		snprintf(id, sizeof(id), "%" PRIu32, m->mount_id);
		snprintf(parent, sizeof(parent), "%" PRIu32, m->parent_id);
		snprintf(dev, sizeof(dev), "%" PRIu32 ":%" PRIu32, m->major, m->minor);
		pe_emitl(e, &m_info, mv_one(RTLAB_PV_OK), FS_LABELS(m),
			 { "hidden", m->hidden ? "1" : "0" },
			 { "kind", m->kind < RTLAB_FS_KIND__COUNT ? kind_names[m->kind] : "" },
			 { "major_minor", dev }, { "mount_id", id }, { "options", m->options },
			 { "parent_id", parent }, { "root", m->root },
			 { "super_options", m->super_options }, { "tags", m->tags });
	}
}

/* fs_emit - node_filesystem_* of the exported mounts, then every mount's info. */
void fs_emit(struct probe_emit *e, const struct rtlab_probe_data *d)
{
	const struct rtlab_probe_fs *fs = &d->fs;

	for (size_t k = 0; k < sizeof(value_metrics) / sizeof(value_metrics[0]); k++)
		for (size_t i = 0; i < fs->nmounts; i++) {
			const struct rtlab_fs_mount *m = &fs->mounts[i];

			if (exported(m))
				pe_emitl(e, &value_metrics[k].m,
					 mv_u64(field(m, value_metrics[k].off)), FS_LABELS(m));
		}
	for (size_t i = 0; i < fs->nmounts; i++) {
		const struct rtlab_fs_mount *m = &fs->mounts[i];
		struct rtlab_pu64 err = { .v = m->error != 0, .st = RTLAB_PV_OK };

		if (exported(m))
			pe_emitl(e, &m_error, mv_u64(err), FS_LABELS(m));
	}
	emit_info(e, fs);
}
