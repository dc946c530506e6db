/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-proc-parse.c - the proc group's pure parsers on fixtures and on damaged input. */
#include <sys/resource.h>

#include "../test-probe.h"
#include "proc-test.h"

#include "proc/proc-parse.h"

/* A stat line whose comm holds blanks and parentheses: the last ')' ends it. */
Test(proc_stat, comm_with_parentheses_and_blanks)
{
	const char *s = "77 ((a) b)) S 1 77 77 0 -1 4194560 10 20 30 40 5 6 7 8 20 0 1 0 "
			"1234 5000 12 18446744073709551615 1 2 3 4 5 6 7 8 9 0 0 0 17 1 0 0 "
			"0 0 0 11 12 13 14 15 16 17 0\n";
	struct rtlab_proc_stat st;

	cr_assert_eq(proc_stat_parse(s, strlen(s), &st), 0);
	cr_assert_str_eq(st.comm, "(a) b)");
	cr_assert_eq(st.pid.v, 77);
	cr_assert_eq(st.state, 'S');
	cr_assert_eq(st.ppid.v, 1);
	cr_assert_eq((int64_t)st.tpgid.v, -1);
	cr_assert_eq(st.minflt.v, 10);
	cr_assert_eq(st.cmajflt.v, 40);
	cr_assert_eq(st.utime_ticks.v, 5);
	cr_assert_eq(st.stime_ticks.v, 6);
	cr_assert_eq(st.priority.v, 20);
	cr_assert_eq(st.num_threads.v, 1);
	cr_assert_eq(st.starttime_ticks.v, 1234);
	cr_assert_eq(st.vsize_bytes.v, 5000);
	cr_assert_eq(st.rss_pages.v, 12);
	cr_assert_eq(st.rsslim_bytes.v, UINT64_MAX);
	cr_assert_eq(st.exit_signal.v, 17);
	cr_assert_eq(st.processor.v, 1);
	cr_assert_eq(st.env_end.v, 17);
	cr_assert_eq(st.exit_code.st, RTLAB_PV_OK);
	cr_assert_eq(proc_stat_state(s, strlen(s)), 'S');
}

/* The hand-made fixture: a name with a newline, an escape and a byte that is not UTF-8. */
Test(proc_stat, hostile_fixture_name_is_kept_as_bytes)
{
	size_t len;
	char *buf = fixture_load("vm", "/proc/4242/stat", &len);
	struct rtlab_proc_stat st;

	cr_assert_eq(proc_stat_parse(buf, len, &st), 0);
	cr_assert_str_eq(st.comm, "(a) b)\n\x1b[31m\xff");
	cr_assert_eq(st.state, 'R');
	cr_assert_eq(st.utime_ticks.v, 1234);
	cr_assert_eq(st.stime_ticks.v, 567);
	cr_assert_eq((int64_t)st.priority.v, -51);
	cr_assert_eq(st.rt_priority.v, 50);
	cr_assert_eq(st.policy.v, 1);
	free(buf);
}

/* Every captured process parses completely. */
Test(proc_stat, captured_fixtures_parse)
{
	static const char *const files[] = { "/proc/2/stat", "/proc/4175/stat", "/proc/4179/stat",
					     "/proc/4180/stat", "/proc/4175/task/4176/stat" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len;
		char *buf = fixture_load("vm", files[i], &len);
		struct rtlab_proc_stat st;

		cr_assert_eq(proc_stat_parse(buf, len, &st), 0, "%s", files[i]);
		cr_assert_eq(st.exit_code.st, RTLAB_PV_OK, "%s", files[i]);
		free(buf);
	}
}

/* Cut anywhere, the line never yields a made-up value: the cut field and the rest are malformed. */
Test(proc_stat, truncated_is_malformed_from_the_cut)
{
	const char *s = "10 (x) S 1 10 10 0 -1 0 1 2 3 4 55";
	struct rtlab_proc_stat st;

	cr_assert_eq(proc_stat_parse(s, strlen(s), &st), -EBADMSG);
	cr_assert_eq(st.cmajflt.st, RTLAB_PV_OK);
	cr_assert_eq(st.utime_ticks.st, RTLAB_PV_MALFORMED, "a number cut by the end may be cut");
	cr_assert_eq(st.exit_code.st, RTLAB_PV_MALFORMED);
	for (size_t n = 0; n < strlen(s); n++) {
		cr_assert_eq(proc_stat_parse(s, n, &st), -EBADMSG);
		cr_assert_neq(st.exit_code.st, RTLAB_PV_OK);
	}
}

/* Numbers at the edge of 64 bits: the largest is read, one more is malformed. */
Test(proc_stat, sixty_four_bit_edges)
{
	const char *ok = "1 (x) S 1 1 1 0 -9223372036854775808 0 0 0 0 0 0 0 0 0 20 0 1 0 "
			 "1 1 1 18446744073709551615\n";
	const char *over = "1 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1 "
			   "18446744073709551616\n";
	const char *longer = "1 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1 "
			     "000000000000000000001\n";
	struct rtlab_proc_stat st;

	cr_assert_eq(proc_stat_parse(ok, strlen(ok), &st), 0);
	cr_assert_eq((int64_t)st.tpgid.v, INT64_MIN);
	cr_assert_eq(st.rsslim_bytes.v, UINT64_MAX);
	cr_assert_eq(st.startcode.st, RTLAB_PV_ABSENT);
	cr_assert_eq(proc_stat_parse(over, strlen(over), &st), -EBADMSG);
	cr_assert_eq(st.rss_pages.v, 1);
	cr_assert_eq(st.rsslim_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(proc_stat_parse(longer, strlen(longer), &st), -EBADMSG);
	cr_assert_eq(st.rsslim_bytes.st, RTLAB_PV_MALFORMED);
}

/* An older kernel's complete but shorter line: the missing fields are absent, not malformed. */
Test(proc_stat, short_complete_line_is_absent)
{
	const char *s = "10 (x) S 1 10 10 0 -1 0 1 2 3 4 5 6 7 8 20 0 1 0 99 100 1 "
			"4294967295 1 2 3 4 5 6 7 8 9 0 0 0 17 0 0 0\n";
	struct rtlab_proc_stat st;

	cr_assert_eq(proc_stat_parse(s, strlen(s), &st), 0);
	cr_assert_eq(st.policy.v, 0);
	cr_assert_eq(st.policy.st, RTLAB_PV_OK);
	cr_assert_eq(st.delayacct_blkio_ticks.st, RTLAB_PV_ABSENT);
	cr_assert_eq(st.exit_code.st, RTLAB_PV_ABSENT);
}

/* Garbage and a missing ')' are malformed everywhere. */
Test(proc_stat, garbage)
{
	struct rtlab_proc_stat st;

	cr_assert_eq(proc_stat_parse("x", 1, &st), -EBADMSG);
	cr_assert_eq(st.pid.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(proc_stat_parse("12 (abc S 1 2", 13, &st), -EBADMSG);
	cr_assert_eq(st.pid.v, 12);
	cr_assert_eq(st.comm_st, RTLAB_PV_MALFORMED);
	cr_assert_eq(st.ppid.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(proc_stat_parse("12 (a) -5 1\n", 12, &st), -EBADMSG);
	cr_assert_eq(proc_stat_state("12 (a", 5), '\0');
}

/* statm: seven page counts; lib and dirty are always 0 and not a measurement. */
Test(proc_statm, fixture_and_damage)
{
	size_t len;
	char *buf = fixture_load("vm", "/proc/4179/statm", &len);
	struct rtlab_proc_statm m;

	cr_assert_eq(proc_statm_parse(buf, len, &m), 0);
	cr_assert_eq(m.size_pages.v, 4717);
	cr_assert_eq(m.resident_pages.v, 178);
	cr_assert_eq(m.data_pages.v, 4185);
	cr_assert_eq(m.lib_pages.st, RTLAB_PV_UNSUPPORTED);
	cr_assert_eq(m.dirty_pages.st, RTLAB_PV_UNSUPPORTED);
	cr_assert_eq(proc_statm_parse(buf, 8, &m), -EBADMSG);
	cr_assert_eq(m.size_pages.st, RTLAB_PV_OK);
	cr_assert_eq(m.resident_pages.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(m.data_pages.st, RTLAB_PV_MALFORMED);
	free(buf);
}

/* status: ids, memory in bytes, masks, lists, texts. */
Test(proc_status, fixture_fields)
{
	size_t len;
	char *buf = fixture_load("vm", "/proc/4175/status", &len);
	struct rtlab_proc_status s;

	cr_assert_eq(proc_status_parse(buf, len, &s), 0);
	cr_assert_str_eq(s.name, "fx-workload");
	cr_assert_eq(s.state, 'S');
	cr_assert_eq(s.pid.v, 4175);
	cr_assert_eq(s.tgid.v, 4175);
	cr_assert_eq(s.uid[0].st, RTLAB_PV_OK);
	cr_assert_eq(s.uid[3].st, RTLAB_PV_OK);
	cr_assert_eq(s.umask.v, 022);
	cr_assert_eq(s.threads.v, 3);
	cr_assert_eq(s.groups_st, RTLAB_PV_OK);
	cr_assert_eq(s.n_groups, 0);
	cr_assert(s.vm_rss_bytes.v > 0 && s.vm_rss_bytes.v % 1024 == 0);
	cr_assert_eq(s.cap_eff.st, RTLAB_PV_OK);
	cr_assert_eq(s.sig_blk.st, RTLAB_PV_OK);
	cr_assert_eq(s.sigq_limit.st, RTLAB_PV_OK);
	cr_assert_str_eq(s.cpus_allowed_list, "0-1");
	cr_assert_eq(s.voluntary_ctxt_switches.st, RTLAB_PV_OK);
	cr_assert_eq(s.ns_pid.v, 4175);
	free(buf);
}

/* Hand-written lines: groups, an octal umask, hex masks, several namespace ids. */
Test(proc_status, lists_masks_and_namespaces)
{
	const char *s = "Name:\tx\\ny\nUmask:\t0027\nUid:\t1000\t1001\t1002\t1003\n"
			"Groups:\t4 24 27 1000 \nNSpid:\t4242\t7\t1\nSigQ:\t2/63429\n"
			"SigBlk:\t0000000000010000\nCapEff:\t000001ffffffffff\nVmSwap:\t    12 kB\n"
			"Unknown_key:\tignored\n";
	struct rtlab_proc_status st;

	cr_assert_eq(proc_status_parse(s, strlen(s), &st), 0);
	cr_assert_str_eq(st.name, "x\\ny");
	cr_assert_eq(st.umask.v, 027);
	cr_assert_eq(st.uid[0].v, 1000);
	cr_assert_eq(st.uid[3].v, 1003);
	cr_assert_eq(st.n_groups, 4);
	cr_assert_eq(st.groups[3], 1000);
	cr_assert_eq(st.ns_pid.v, 1, "the innermost namespace's id is the last");
	cr_assert_eq(st.sigq_queued.v, 2);
	cr_assert_eq(st.sigq_limit.v, 63429);
	cr_assert_eq(st.sig_blk.v, UINT64_C(1) << 16);
	cr_assert_eq(st.cap_eff.v, UINT64_C(0x1ffffffffff));
	cr_assert_eq(st.vm_swap_bytes.v, 12 * 1024);
	cr_assert_eq(st.vm_rss_bytes.st, RTLAB_PV_ABSENT, "a key the file lacks is absent");
	cr_assert_eq(st.gid[0].st, RTLAB_PV_ABSENT);
}

/* A damaged value is malformed, the others stay; a line cut by the end is malformed. */
Test(proc_status, damaged)
{
	const char *s = "Uid:\t1000\t1001\nVmRSS:\t12x kB\nThreads:\t4\n"
			"CapEff:\t00000000000000000\nGroups:\t1 a\nVmSwap:\t1";
	struct rtlab_proc_status st;

	cr_assert_eq(proc_status_parse(s, strlen(s), &st), -EBADMSG);
	cr_assert_eq(st.uid[0].st, RTLAB_PV_MALFORMED);
	cr_assert_eq(st.vm_rss_bytes.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(st.threads.v, 4);
	cr_assert_eq(st.cap_eff.st, RTLAB_PV_MALFORMED, "17 hex digits overflow 64 bits");
	cr_assert_eq(st.groups_st, RTLAB_PV_MALFORMED);
	cr_assert_eq(st.vm_swap_bytes.st, RTLAB_PV_MALFORMED);
}

/* io: the seven counters. */
Test(proc_io, fixture_and_damage)
{
	const char *s = "rchar: 6998\nwchar: 22\nsyscr: 12\nsyscw: 1\nread_bytes: 4096\n"
			"write_bytes: 0\ncancelled_write_bytes: 0\n";
	struct rtlab_proc_io io;
	size_t len;
	char *buf = fixture_load("vm", "/proc/4179/io", &len);

	cr_assert_eq(proc_io_parse(buf, len, &io), 0);
	cr_assert_eq(io.cancelled_write_bytes.st, RTLAB_PV_OK);
	free(buf);
	cr_assert_eq(proc_io_parse(s, strlen(s), &io), 0);
	cr_assert_eq(io.rchar_bytes.v, 6998);
	cr_assert_eq(io.syscr.v, 12);
	cr_assert_eq(io.read_bytes.v, 4096);
	cr_assert_eq(proc_io_parse(s, 30, &io), -EBADMSG);
	cr_assert_eq(io.syscr.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(io.write_bytes.st, RTLAB_PV_ABSENT);
}

/* smaps_rollup: the header line is skipped, kB become bytes. */
Test(proc_smaps, fixture_and_damage)
{
	size_t len;
	char *buf = fixture_load("vm", "/proc/4175/smaps_rollup", &len);
	struct rtlab_proc_smaps s;

	cr_assert_eq(proc_smaps_parse(buf, len, &s), 0);
	cr_assert(s.rss.v > 0 && s.pss.v > 0 && s.pss.v <= s.rss.v);
	cr_assert_eq(s.rss.v, s.shared_clean.v + s.shared_dirty.v + s.private_clean.v +
				      s.private_dirty.v);
	cr_assert_eq(s.locked.st, RTLAB_PV_OK);
	cr_assert_eq(proc_smaps_parse(buf, len / 2, &s), -EBADMSG);
	cr_assert_eq(s.rss.st, RTLAB_PV_OK);
	cr_assert_eq(s.locked.st, RTLAB_PV_ABSENT);
	free(buf);
}

/* limits: every row, "unlimited", units, names mapped to resources. */
Test(proc_limits, fixture_rows)
{
	size_t len;
	char *buf = fixture_load("vm", "/proc/4175/limits", &len);
	struct rtlab_proc_limits l;

	cr_assert_eq(proc_limits_parse(buf, len, &l), 0);
	cr_assert_eq(l.count, 16);
	cr_assert_str_eq(l.row[0].name, "Max cpu time");
	cr_assert_eq(l.row[0].resource, RLIMIT_CPU);
	cr_assert_eq(l.row[0].soft.v, RTLAB_PROC_UNLIMITED);
	cr_assert_str_eq(l.row[0].unit, "seconds");
	cr_assert_str_eq(l.row[7].name, "Max open files");
	cr_assert_eq(l.row[7].resource, RLIMIT_NOFILE);
	cr_assert_str_eq(l.row[7].unit, "files");
	cr_assert_str_eq(l.row[14].name, "Max realtime priority");
	cr_assert_str_eq(l.row[14].unit, "");
	cr_assert_eq(l.row[14].hard.st, RTLAB_PV_OK);
	cr_assert_eq(l.row[15].resource, RLIMIT_RTTIME);
	free(buf);
}

/* A damaged row is malformed with its name kept; a cut file's last row is malformed. */
Test(proc_limits, damaged)
{
	const char *s = "Limit                     Soft Limit           Hard Limit     Units\n"
			"Max open files            1024                 lots           files\n"
			"Max brand new thing       5                    6              \n"
			"Max processes             100                  2";
	struct rtlab_proc_limits l;

	cr_assert_eq(proc_limits_parse(s, strlen(s), &l), -EBADMSG);
	cr_assert_eq(l.count, 3);
	cr_assert_str_eq(l.row[0].name, "Max open files");
	cr_assert_eq(l.row[0].soft.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(l.row[1].resource, -1);
	cr_assert_eq(l.row[1].hard.v, 6);
	cr_assert_eq(l.row[2].hard.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(proc_limits_parse("garbage", 7, &l), -EBADMSG);
}

/* cgroup: v1 and v2 lines, a path with a colon, a malformed line skipped. */
Test(proc_cgroup, lines)
{
	const char *s = "12:cpu,cpuacct:/user.slice\n1:name=systemd:/a:b\n"
			"0::/system.slice/x.service\nbad line\n";
	struct rtlab_proc_cgroup cg[4];
	size_t n;
	size_t len;
	char *buf = fixture_load("vm", "/proc/4175/cgroup", &len);

	cr_assert_eq(proc_cgroup_parse(s, strlen(s), cg, 4, &n), -EBADMSG);
	cr_assert_eq(n, 3);
	cr_assert_eq(cg[0].hierarchy, 12);
	cr_assert_str_eq(cg[0].controllers, "cpu,cpuacct");
	cr_assert_str_eq(cg[1].path, "/a:b");
	cr_assert_eq(cg[2].hierarchy, 0);
	cr_assert_str_eq(cg[2].controllers, "");
	cr_assert_eq(proc_cgroup_parse(s, strlen(s), cg, 1, &n), -EBADMSG);
	cr_assert_eq(n, 3, "the count goes on past the room");
	cr_assert_eq(proc_cgroup_parse(buf, len, NULL, 0, &n), 0);
	cr_assert_eq(n, 10);
	cr_assert_eq(proc_cgroup_parse(s, 20, cg, 4, &n), -EBADMSG, "a cut line is malformed");
	free(buf);
}

/* NUL lists, links, schedstat, single numbers. */
Test(proc_misc, small_files)
{
	const char args[] = "a\0\0b c\0d";
	const char *out[4];
	struct rtlab_pu64 ino, ss[3];
	struct rtlab_pi64 v;
	uint64_t n;

	cr_assert_eq(proc_nul_split(args, sizeof(args) - 1, out, 4), 4);
	cr_assert_str_eq(out[2], "b c");
	cr_assert_eq(proc_nul_split(args, sizeof(args) - 1, NULL, 0), 4);
	cr_assert_eq(proc_nul_split("", 0, out, 4), 0);
	cr_assert_eq(proc_ns_inode("net:[4026531840]", 16, &n), 0);
	cr_assert_eq(n, UINT64_C(4026531840));
	cr_assert_eq(proc_ns_inode("net:[40265", 10, &n), -EBADMSG);
	cr_assert_eq(proc_fd_classify("socket:[99]", 11, &ino), RTLAB_PROC_FD_SOCKET);
	cr_assert_eq(ino.v, 99);
	cr_assert_eq(proc_fd_classify("pipe:[x]", 8, &ino), RTLAB_PROC_FD_PIPE);
	cr_assert_eq(ino.st, RTLAB_PV_MALFORMED);
	cr_assert_eq(proc_fd_classify("anon_inode:[eventfd]", 20, &ino), RTLAB_PROC_FD_ANON);
	cr_assert_eq(proc_fd_classify("/dev/null", 9, &ino), RTLAB_PROC_FD_PATH);
	cr_assert_eq(proc_fd_classify("mnt:[4026531841]", 16, &ino), RTLAB_PROC_FD_OTHER);
	cr_assert_eq(proc_schedstat_parse("60991 10867 1\n", 14, ss), 0);
	cr_assert_eq(ss[1].v, 10867);
	cr_assert_eq(proc_schedstat_parse("60991 10867", 11, ss), -EBADMSG);
	cr_assert_eq(ss[0].st, RTLAB_PV_MALFORMED);
	cr_assert_eq(proc_i64_parse("-17\n", 4, &v), 0);
	cr_assert_eq(v.v, -17);
	cr_assert_eq(proc_i64_parse("12", 2, &v), -EBADMSG);
	cr_assert_eq(v.st, RTLAB_PV_MALFORMED);
}

/* fdinfo and maps lines. */
Test(proc_misc, fdinfo_and_maps)
{
	const char *fi = "pos:\t42\nflags:\t02100002\nmnt_id:\t24\nino:\t1234\neventfd-count: 0\n";
	const char *line = "55d4b6a1e000-55d4b6a20000 r-xp 00002000 fd:01 1234567    "
			   "/usr/bin/my prog (deleted)";
	struct rtlab_proc_fd fd;
	struct rtlab_proc_map m;
	size_t off, len;

	cr_assert_eq(proc_fdinfo_parse(fi, strlen(fi), &fd), 0);
	cr_assert_eq(fd.pos.v, 42);
	cr_assert_eq(fd.flags.v, 02100002);
	cr_assert_eq(fd.ino.v, 1234);
	cr_assert_eq(proc_map_parse(line, strlen(line), &m, &off, &len), 0);
	cr_assert_eq(m.start, UINT64_C(0x55d4b6a1e000));
	cr_assert_eq(m.offset, 0x2000);
	cr_assert_eq(m.dev_major, 0xfd);
	cr_assert_eq(m.inode, 1234567);
	cr_assert_str_eq(m.perms, "r-xp");
	cr_assert_eq(len, strlen("/usr/bin/my prog (deleted)"));
	cr_assert_eq(memcmp(line + off, "/usr/bin/my", 11), 0);
	cr_assert_eq(proc_map_parse("7f00-7f10 rw-p 0 00:00 0", 24, &m, &off, &len), 0);
	cr_assert_eq(len, 0);
	cr_assert_eq(proc_map_parse("7f00-7f10 rw", 12, &m, &off, &len), -EBADMSG);
}

/* /proc/stat's cpu line and btime, /proc/meminfo's few values. */
Test(proc_sys, stat_and_meminfo_fixtures)
{
	uint64_t ticks[RTLAB_PROC_CPU__COUNT], ncpus, bt;
	struct proc_meminfo mi;
	size_t len;
	char *buf = fixture_load("vm", "/proc/stat", &len);

	cr_assert_eq(proc_cpu_line_parse(buf, len, ticks, &ncpus), 0);
	cr_assert_eq(ncpus, 2);
	cr_assert_eq(proc_btime_parse(buf, len, &bt), 0);
	cr_assert_eq(bt, (uint64_t)VM_BTIME());
	cr_assert_eq(proc_cpu_line_parse(buf, 10, ticks, &ncpus), -EBADMSG);
	cr_assert_eq(proc_btime_parse(buf, 100, &bt), -EBADMSG);
	free(buf);
	buf = fixture_load("manycore", "/proc/stat", &len);
	cr_assert_eq(proc_cpu_line_parse(buf, len, ticks, &ncpus), 0);
	cr_assert_gt(ncpus, 32);
	free(buf);
	buf = fixture_load("vm", "/proc/meminfo", &len);
	cr_assert_eq(proc_meminfo_parse(buf, len, &mi), 0);
	cr_assert_eq(mi.total.v, (uint64_t)VM_MEMTOTAL_BYTES());
	cr_assert_eq(mi.swap_free.st, RTLAB_PV_OK);
	free(buf);
}

/* The names the views print. */
Test(proc_names, states_policies_ttys_caps)
{
	char buf[256];

	cr_assert_str_eq(rtlab_proc_state_name('D'), "disk sleep");
	cr_assert_str_eq(rtlab_proc_state_name('Q'), "unknown");
	cr_assert_eq(rtlab_proc_state_index('R'), 0);
	cr_assert_eq(rtlab_proc_state_index('\0'), RTLAB_PROC_NSTATES - 1);
	cr_assert_str_eq(rtlab_proc_policy_name(1), "SCHED_FIFO");
	cr_assert_null(rtlab_proc_policy_name(4));
	cr_assert_str_eq(rtlab_proc_tty_name(34816, buf, sizeof(buf)), "pts/0");
	cr_assert_str_eq(rtlab_proc_tty_name(1025, buf, sizeof(buf)), "tty1");
	cr_assert_str_eq(rtlab_proc_tty_name((4 << 8) | 64, buf, sizeof(buf)), "ttyS0");
	cr_assert_str_eq(rtlab_proc_tty_name(0, buf, sizeof(buf)), "");
	cr_assert_eq(rtlab_proc_cap_names(0, buf, sizeof(buf)), 0);
	cr_assert_gt(rtlab_proc_cap_names((1 << 0) | (1 << 21), buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "cap_chown,cap_sys_admin");
	cr_assert_eq(rtlab_proc_cap_names(~UINT64_C(0), buf, 20), -ENOSPC);
	cr_assert_str_eq(buf, "cap_chown");
	cr_assert_str_eq(rtlab_proc_ns_name(RTLAB_PROC_NS_NET), "net");
	cr_assert_str_eq(rtlab_proc_src_name(RTLAB_PROC_SRC_SMAPS_ROLLUP), "smaps_rollup");
}
