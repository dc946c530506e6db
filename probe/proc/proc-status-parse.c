/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* proc-status-parse.c - /proc/<pid>/status. */
#include "probe-internal.h"
#include "proc/proc-parse.h"

#define S struct rtlab_proc_status

/* In the kernel's order (the parser tries the next key first). */
static const struct kv_field status_tab[] = {
	KV_T("Name", KV_TEXT, S, name),
	KV_F("Umask", KV_OCT, S, umask),
	KV_T("State", KV_STATE, S, state),
	KV_F("Tgid", KV_I64, S, tgid),
	KV_F("Ngid", KV_I64, S, ngid),
	KV_F("Pid", KV_I64, S, pid),
	KV_F("PPid", KV_I64, S, ppid),
	KV_F("TracerPid", KV_I64, S, tracer_pid),
	KV_F("Uid", KV_U64X4, S, uid),
	KV_F("Gid", KV_U64X4, S, gid),
	KV_F("FDSize", KV_U64, S, fdsize),
	KV_F("Groups", KV_GROUPS, S, groups),
	KV_F("NStgid", KV_LAST, S, ns_tgid),
	KV_F("NSpid", KV_LAST, S, ns_pid),
	KV_F("NSpgid", KV_LAST, S, ns_pgid),
	KV_F("NSsid", KV_LAST, S, ns_sid),
	KV_F("Kthread", KV_U64, S, kthread),
	KV_F("VmPeak", KV_KB, S, vm_peak_bytes),
	KV_F("VmSize", KV_KB, S, vm_size_bytes),
	KV_F("VmLck", KV_KB, S, vm_lck_bytes),
	KV_F("VmPin", KV_KB, S, vm_pin_bytes),
	KV_F("VmHWM", KV_KB, S, vm_hwm_bytes),
	KV_F("VmRSS", KV_KB, S, vm_rss_bytes),
	KV_F("RssAnon", KV_KB, S, rss_anon_bytes),
	KV_F("RssFile", KV_KB, S, rss_file_bytes),
	KV_F("RssShmem", KV_KB, S, rss_shmem_bytes),
	KV_F("VmData", KV_KB, S, vm_data_bytes),
	KV_F("VmStk", KV_KB, S, vm_stk_bytes),
	KV_F("VmExe", KV_KB, S, vm_exe_bytes),
	KV_F("VmLib", KV_KB, S, vm_lib_bytes),
	KV_F("VmPTE", KV_KB, S, vm_pte_bytes),
	KV_F("VmSwap", KV_KB, S, vm_swap_bytes),
	KV_F("HugetlbPages", KV_KB, S, hugetlb_bytes),
	KV_F("CoreDumping", KV_U64, S, core_dumping),
	KV_F("THP_enabled", KV_U64, S, thp_enabled),
	KV_F("Threads", KV_U64, S, threads),
	KV_F("SigQ", KV_PAIR, S, sigq_queued),
	KV_F("SigPnd", KV_HEX, S, sig_pnd),
	KV_F("ShdPnd", KV_HEX, S, shd_pnd),
	KV_F("SigBlk", KV_HEX, S, sig_blk),
	KV_F("SigIgn", KV_HEX, S, sig_ign),
	KV_F("SigCgt", KV_HEX, S, sig_cgt),
	KV_F("CapInh", KV_HEX, S, cap_inh),
	KV_F("CapPrm", KV_HEX, S, cap_prm),
	KV_F("CapEff", KV_HEX, S, cap_eff),
	KV_F("CapBnd", KV_HEX, S, cap_bnd),
	KV_F("CapAmb", KV_HEX, S, cap_amb),
	KV_F("NoNewPrivs", KV_U64, S, no_new_privs),
	KV_F("Seccomp", KV_U64, S, seccomp),
	KV_F("Seccomp_filters", KV_U64, S, seccomp_filters),
	KV_T("Speculation_Store_Bypass", KV_TEXT, S, spec_store_bypass),
	KV_T("SpeculationIndirectBranch", KV_TEXT, S, spec_indirect_branch),
	KV_T("Cpus_allowed_list", KV_TEXT, S, cpus_allowed_list),
	KV_T("Mems_allowed_list", KV_TEXT, S, mems_allowed_list),
	KV_F("voluntary_ctxt_switches", KV_U64, S, voluntary_ctxt_switches),
	KV_F("nonvoluntary_ctxt_switches", KV_U64, S, nonvoluntary_ctxt_switches),
};

#define NSTATUS (sizeof(status_tab) / sizeof(status_tab[0]))

/* proc_status_parse - the lines of /proc/<pid>/status. */
int proc_status_parse(const char *buf, size_t len, struct rtlab_proc_status *out)
{
	return kv_parse(buf, len, status_tab, NSTATUS, out);
}

/* proc_status_mark - every field in state @st. */
void proc_status_mark(struct rtlab_proc_status *s, uint8_t st)
{
	kv_mark(status_tab, NSTATUS, s, st);
}
