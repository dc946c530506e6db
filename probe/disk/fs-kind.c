/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fs-kind.c - file system types: network, memory, pseudo, and node_exporter's exclusions. */
#include <string.h>

#include "disk/disk-parse.h"

/*
 * Types whose statvfs may block on a server or a user-space daemon: they are
 * asked on the worker thread, with a timeout.  Every "fuse.*" subtype too.
 */
static const char *const network_types[] = {
	"nfs",	    "nfs4",	"cifs",	    "smb3",    "smbfs",	  "ncpfs",   "ceph",
	"glusterfs", "9p",	"afs",	    "coda",    "davfs",	  "lustre",  "gpfs",
	"beegfs",   "orangefs", "pvfs2",    "ocfs2",   "gfs2",	  "virtiofs", "vboxsf",
	"sshfs",    "fuse",	"fuseblk",  "cvfs",    "panfs",
};

/* Memory-backed file systems holding real files. */
static const char *const memory_types[] = { "tmpfs", "ramfs", "rootfs" };

/* Kernel interfaces: no user data, size 0 or meaningless. */
static const char *const pseudo_types[] = {
	"proc",	     "sysfs",	   "cgroup",   "cgroup2",  "devpts",	 "devtmpfs", "debugfs",
	"tracefs",   "securityfs", "configfs", "pstore",   "bpf",	 "mqueue",   "hugetlbfs",
	"fusectl",   "nsfs",	   "rpc_pipefs", "selinuxfs", "efivarfs", "binfmt_misc",
	"autofs",    "binder",	   "procfs",
};

/*
 * node_exporter's default --collector.filesystem.fs-types-exclude (1.5):
 * ^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|
 * hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|
 * securityfs|selinuxfs|squashfs|sysfs|tracefs)$
 */
static const char *const excluded_types[] = {
	"autofs",  "binfmt_misc", "bpf",	"cgroup",     "cgroup2",    "configfs",
	"debugfs", "devpts",	  "devtmpfs",	"fusectl",    "hugetlbfs",  "iso9660",
	"mqueue",  "nsfs",	  "overlay",	"proc",	      "procfs",	    "pstore",
	"rpc_pipefs", "securityfs", "selinuxfs", "squashfs", "sysfs",	    "tracefs",
};

/* in_list - is @s one of the @n strings of @list? */
static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

#define IN(s, list) in_list((s), (list), sizeof(list) / sizeof((list)[0]))

/* fs_kind_of - network, memory, pseudo, else local. */
enum rtlab_fs_kind fs_kind_of(const char *fstype)
{
	if (strncmp(fstype, "fuse.", 5) == 0 || IN(fstype, network_types))
		return RTLAB_FS_KIND_NETWORK;
	if (IN(fstype, memory_types))
		return RTLAB_FS_KIND_MEMORY;
	if (IN(fstype, pseudo_types))
		return RTLAB_FS_KIND_PSEUDO;
	return RTLAB_FS_KIND_LOCAL;
}

/* fs_excluded - in node_exporter's default exclusion list? */
bool fs_excluded(const char *fstype)
{
	return IN(fstype, excluded_types);
}
