/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-kvfiles-parse.c - io, smaps_rollup, fdinfo and meminfo: "Key: value" tables. */
#include "probe-internal.h"
#include "proc/proc-parse.h"

#define KV_N(tab) (sizeof(tab) / sizeof((tab)[0]))

#define IO struct rtlab_proc_io
static const struct kv_field io_tab[] = {
	KV_F("rchar", KV_U64, IO, rchar_bytes),
	KV_F("wchar", KV_U64, IO, wchar_bytes),
	KV_F("syscr", KV_U64, IO, syscr),
	KV_F("syscw", KV_U64, IO, syscw),
	KV_F("read_bytes", KV_U64, IO, read_bytes),
	KV_F("write_bytes", KV_U64, IO, write_bytes),
	KV_F("cancelled_write_bytes", KV_U64, IO, cancelled_write_bytes),
};

#define SM struct rtlab_proc_smaps
static const struct kv_field smaps_tab[] = {
	KV_F("Rss", KV_KB, SM, rss),
	KV_F("Pss", KV_KB, SM, pss),
	KV_F("Pss_Dirty", KV_KB, SM, pss_dirty),
	KV_F("Pss_Anon", KV_KB, SM, pss_anon),
	KV_F("Pss_File", KV_KB, SM, pss_file),
	KV_F("Pss_Shmem", KV_KB, SM, pss_shmem),
	KV_F("Shared_Clean", KV_KB, SM, shared_clean),
	KV_F("Shared_Dirty", KV_KB, SM, shared_dirty),
	KV_F("Private_Clean", KV_KB, SM, private_clean),
	KV_F("Private_Dirty", KV_KB, SM, private_dirty),
	KV_F("Referenced", KV_KB, SM, referenced),
	KV_F("Anonymous", KV_KB, SM, anonymous),
	KV_F("KSM", KV_KB, SM, ksm),
	KV_F("LazyFree", KV_KB, SM, lazy_free),
	KV_F("AnonHugePages", KV_KB, SM, anon_huge_pages),
	KV_F("ShmemPmdMapped", KV_KB, SM, shmem_pmd_mapped),
	KV_F("FilePmdMapped", KV_KB, SM, file_pmd_mapped),
	KV_F("Shared_Hugetlb", KV_KB, SM, shared_hugetlb),
	KV_F("Private_Hugetlb", KV_KB, SM, private_hugetlb),
	KV_F("Swap", KV_KB, SM, swap),
	KV_F("SwapPss", KV_KB, SM, swap_pss),
	KV_F("Locked", KV_KB, SM, locked),
};

#define FDI struct rtlab_proc_fd
static const struct kv_field fdinfo_tab[] = {
	KV_F("pos", KV_U64, FDI, pos),
	KV_F("flags", KV_OCT, FDI, flags),
	KV_F("mnt_id", KV_U64, FDI, mnt_id),
	KV_F("ino", KV_U64, FDI, ino),
};

#define MI struct proc_meminfo
static const struct kv_field meminfo_tab[] = {
	KV_F("MemTotal", KV_KB, MI, total),
	KV_F("MemFree", KV_KB, MI, free),
	KV_F("MemAvailable", KV_KB, MI, available),
	KV_F("SwapTotal", KV_KB, MI, swap_total),
	KV_F("SwapFree", KV_KB, MI, swap_free),
};

/* proc_io_parse - /proc/<pid>/io. */
int proc_io_parse(const char *buf, size_t len, struct rtlab_proc_io *out)
{
	return kv_parse(buf, len, io_tab, KV_N(io_tab), out);
}

/* proc_io_mark - every field in state @st. */
void proc_io_mark(struct rtlab_proc_io *io, uint8_t st)
{
	kv_mark(io_tab, KV_N(io_tab), io, st);
}

/* proc_smaps_parse - /proc/<pid>/smaps_rollup: the header line has no key of the table. */
int proc_smaps_parse(const char *buf, size_t len, struct rtlab_proc_smaps *out)
{
	return kv_parse(buf, len, smaps_tab, KV_N(smaps_tab), out);
}

/* proc_smaps_mark - every field in state @st. */
void proc_smaps_mark(struct rtlab_proc_smaps *s, uint8_t st)
{
	kv_mark(smaps_tab, KV_N(smaps_tab), s, st);
}

/* proc_fdinfo_parse - pos, flags, mnt_id, ino of /proc/<pid>/fdinfo/<fd>. */
int proc_fdinfo_parse(const char *buf, size_t len, struct rtlab_proc_fd *out)
{
	return kv_parse(buf, len, fdinfo_tab, KV_N(fdinfo_tab), out);
}

/* proc_meminfo_parse - the few /proc/meminfo lines the walk's header shows. */
int proc_meminfo_parse(const char *buf, size_t len, struct proc_meminfo *out)
{
	return kv_parse(buf, len, meminfo_tab, KV_N(meminfo_tab), out);
}

/* proc_meminfo_mark - every field in state @st. */
void proc_meminfo_mark(struct proc_meminfo *m, uint8_t st)
{
	kv_mark(meminfo_tab, KV_N(meminfo_tab), m, st);
}
