/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * env-parse.h - pure parsers and detectors of the env group (quota, runtime,
 * cloud).  They read [buf, buf+len), which need not be NUL-terminated, never
 * past it, and mark what they cannot read RTLAB_PV_MALFORMED; unit-tested on
 * fixtures and fuzzed.
 */
#ifndef RTLAB_PROBE_ENV_PARSE_H
#define RTLAB_PROBE_ENV_PARSE_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>

#include <rtlab/probe.h>

/*
 * The multi-line parsers take @bad (may be NULL): the 1-based number of the
 * first malformed line, for the "file:line" of the why[] text.
 */

/* parse_bad - note line @ln as malformed (the first one kept); returns -EBADMSG. */
static inline int parse_bad(unsigned *bad, unsigned ln)
{
	if (bad && !*bad)
		*bad = ln;
	return -EBADMSG;
}

/* --- /proc/self/cgroup and the cgroup mounts of mountinfo --- */

#define CG_PATH_LEN 512

/* What /proc/self/cgroup says. */
struct cg_self {
	bool v2;				/* a "0::path" line */
	char v2_path[CG_PATH_LEN];
	bool v1[RTLAB_CGROUP__COUNT];		/* the controller has a v1 line */
	char v1_path[RTLAB_CGROUP__COUNT][CG_PATH_LEN];
};

/* One cgroup file system mount. */
struct cg_mount {
	bool found;
	char root[CG_PATH_LEN];		/* the cgroup mounted there (mountinfo field 4) */
	char point[CG_PATH_LEN];	/* where (field 5, octal escapes undone) */
};

/* The cgroup2 mount and each v1 controller's mount. */
struct cg_mounts {
	struct cg_mount v2;
	struct cg_mount v1[RTLAB_CGROUP__COUNT];
};

/*
 * cg_self_parse - "hierarchy-id:controllers:path" lines.  Returns 0, or
 * -EBADMSG if a line has no two colons (the other lines are still used).
 */
int cg_self_parse(const char *buf, size_t len, struct cg_self *out, unsigned *bad);

/*
 * cg_mounts_parse - the "cgroup2" mount and the "cgroup" mounts of each v1
 * controller (the first of each).  Returns 0, or -EBADMSG if a line is
 * malformed (skipped).
 */
int cg_mounts_parse(const char *buf, size_t len, struct cg_mounts *out, unsigned *bad);

/*
 * cg_join - the directory of cgroup @path under mount @m: point + (path less
 * the mount's root).  If @path is not below the root (another cgroup
 * namespace), the mount point itself.  Returns 0 or -ENAMETOOLONG.
 */
int cg_join(const struct cg_mount *m, const char *path, char *dir, size_t size);

/* --- Single-value cgroup files --- */

/*
 * cg_limit_parse - "max", "-1" or a number (>= 2^62: no limit) into @out.
 * Returns 0 or -EBADMSG (then @out is RTLAB_PV_MALFORMED).
 */
int cg_limit_parse(const char *buf, size_t len, struct rtlab_probe_limit *out);

/* cg_u64_parse - one number on the first line.  0 or -EBADMSG. */
int cg_u64_parse(const char *buf, size_t len, struct rtlab_pu64 *out);

/* cg_cpumax_parse - v2 cpu.max "quota period" ("max 100000").  0 or -EBADMSG. */
int cg_cpumax_parse(const char *buf, size_t len, struct rtlab_probe_limit *quota,
		    struct rtlab_pu64 *period);

/*
 * cg_cpulist_count - the number of CPUs (or nodes) of a list "0-3,8,10-11";
 * an empty list is malformed.  0 or -EBADMSG.
 */
int cg_cpulist_count(const char *buf, size_t len, struct rtlab_pu64 *out);

/* --- Flat keyed files: "key value" lines (cpu.stat, memory.stat, memory.events...) --- */

struct cg_kv {
	const char *key;
	size_t off;		/* offsetof the struct rtlab_pu64 in the target struct */
	uint32_t mul;		/* scale (1000: µs to ns); 0 means 1 */
};

/*
 * cg_kv_parse - for each line whose key is in @keys, set the rtlab_pu64 at
 * @base + off; the keys not seen become RTLAB_PV_ABSENT.  Returns 0, or
 * -EBADMSG if a known key had no number (that field is malformed).
 */
int cg_kv_parse(const char *buf, size_t len, const struct cg_kv *keys, size_t nkeys, void *base,
		unsigned *bad);

/* cg_psi_parse - the total= of the "some" and "full" lines of a *.pressure file.  0 or -EBADMSG. */
int cg_psi_parse(const char *buf, size_t len, struct rtlab_pu64 *some, struct rtlab_pu64 *full,
		 unsigned *bad);

/* --- Per-device I/O files --- */

enum cg_io_kind {
	CG_IO_MAX,     /* v2 io.max "8:0 rbps=1 wbps=max riops=max wiops=max" */
	CG_IO_STAT,    /* v2 io.stat "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=5 dios=6" */
	CG_BLKIO_RBPS, /* v1 blkio.throttle.read_bps_device "8:0 1048576" */
	CG_BLKIO_WBPS,
	CG_BLKIO_RIOPS,
	CG_BLKIO_WIOPS,
	CG_BLKIO_BYTES, /* v1 blkio.throttle.io_service_bytes "8:0 Read 4096" */
	CG_BLKIO_IOS,	/* v1 blkio.throttle.io_serviced */
};

/*
 * cg_io_parse - merge one per-device file into @devs (*@n used of @cap;
 * devices not there yet are appended, their other fields RTLAB_PV_ABSENT).
 * Returns 0, -ENOSPC if a device did not fit (the caller grows @devs and
 * parses every file again), or -EBADMSG if a line was malformed (skipped).
 */
int cg_io_parse(const char *buf, size_t len, enum cg_io_kind kind,
		struct rtlab_probe_cgroup_io *devs, size_t cap, size_t *n, unsigned *bad);

/* --- /proc/meminfo MemTotal, /proc/self/limits --- */

/* env_memtotal_parse - "MemTotal: N kB" as bytes.  0 or -EBADMSG. */
int env_memtotal_parse(const char *buf, size_t len, struct rtlab_pu64 *out);

/*
 * env_limits_parse - /proc/PID/limits into @out (by RLIMIT_* number).  Rows not
 * found are RTLAB_PV_ABSENT.  0 or -EBADMSG if a row was malformed.
 */
int env_limits_parse(const char *buf, size_t len,
		     struct rtlab_probe_rlimit out[RTLAB_PROBE_NRLIMITS], unsigned *bad);

/* --- Environment blocks and key="value" files --- */

/*
 * env_get - the value of @key in a NUL-separated environ block.  True and
 * [*val, *val + *vlen) if found (the first occurrence).
 */
bool env_get(const char *buf, size_t len, const char *key, const char **val, size_t *vlen);

/*
 * env_kv_quoted - the value of @key in key="value" lines (/run/.containerenv,
 * os-release style), quotes removed.  True if found.
 */
bool env_kv_quoted(const char *buf, size_t len, const char *key, const char **val,
		   size_t *vlen);

/* --- Detection (runtime.c and cloud.c gather the inputs) --- */

/* A source's content and whether it could be read. */
struct env_text {
	const char *buf;	/* NULL if not read */
	size_t len;
	uint8_t st;		/* RTLAB_PV_OK, ABSENT, DENIED... */
};

/* What the runtime family looked at. */
struct rt_in {
	struct env_text self_cgroup, pid1_cgroup, mountinfo;
	struct env_text pid1_environ, self_environ;
	struct env_text containerenv;		/* /run/.containerenv */
	struct env_text systemd_container;	/* /run/systemd/container */
	struct env_text osrelease, version, cmdline;
	struct env_text cpuinfo;		/* /proc/cpuinfo */
	struct env_text hyp_type;		/* /sys/hypervisor/type */
	struct env_text dt_hyp;			/* /proc/device-tree/hypervisor/compatible */
	struct env_text acpi;			/* an ACPI table header (36 bytes) */
	struct env_text k8s_ns;			/* serviceaccount/namespace */
	struct env_text hostname;		/* /proc/sys/kernel/hostname */
	struct env_text dmi[RTLAB_DMI__COUNT];
	bool dockerenv, dev_lxd, wsl_interop, proc_vz, proc_bc;
	bool k8s_sa, openshift_ca;
};

/* runtime_detect - the container, orchestrator and hypervisor signs of @in into @out. */
void runtime_detect(const struct rt_in *in, struct rtlab_probe_runtime *out);

/* What the cloud family looked at. */
struct cloud_in {
	const struct rtlab_probe_dmi_str *dmi;	/* RTLAB_DMI__COUNT entries */
	struct env_text environ;		/* the process's own */
	struct env_text hyp_uuid;		/* /sys/hypervisor/uuid (Xen) */
};

/* cloud_detect - vendor, service, instance type and id, region, with evidence. */
void cloud_detect(const struct cloud_in *in, struct rtlab_probe_cloud *out);

/* --- Helpers the detectors share (env-text.c) --- */

/* env_text_has - true if [buf, buf+len) contains @needle. */
bool env_text_has(const char *buf, size_t len, const char *needle);

/* env_text_line - the first line of @t, blanks trimmed at both ends, into @dst. */
void env_text_line(const struct env_text *t, char *dst, size_t size);

/* env_evidence_add - append "; " (if needed) and a sign to @ev (RTLAB_PROBE_EVIDENCE_LEN bytes). */
void env_evidence_add(char *ev, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* env_evidence_vadd - env_evidence_add() with a va_list. */
void env_evidence_vadd(char *ev, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* env_hex_id - the first run of exactly 64 hex digits in @buf (a container id) into @id. */
bool env_hex_id(const char *buf, size_t len, char *id, size_t size);

#endif /* RTLAB_PROBE_ENV_PARSE_H */
