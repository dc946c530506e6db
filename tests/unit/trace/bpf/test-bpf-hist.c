/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-bpf-hist.c - eBPF histogram slots, merging, and the name tables (no BPF loaded). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

#include <rtlab/bpf.h>

#include "bpf/bpf-internal.h"

/* Every value falls in the range of its own slot, for both units. */
Test(bpf_hist, slot_holds_value)
{
	static const uint32_t units[] = { 1, 1000 };

	for (size_t u = 0; u < 2; u++) {
		for (uint64_t v = 0; v < (1ULL << 38); v = v * 3 + 1) {
			unsigned s = rtlab_bpf_slot_of(units[u], v);
			uint64_t lo, hi;

			cr_assert_eq(rtlab_bpf_slot_range(units[u], s, &lo, &hi), 0);
			cr_assert(v >= lo && v < hi, "unit %u: %llu not in slot %u [%llu, %llu)",
				  units[u], (unsigned long long)v, s, (unsigned long long)lo,
				  (unsigned long long)hi);
		}
	}
}

/* µs slots are libbpf-tools' ones: 0 -> 1, 2 -> 3, 4 -> 7 µs. */
Test(bpf_hist, usec_slots_match_libbpf_tools)
{
	uint64_t lo, hi;

	cr_assert_eq(rtlab_bpf_slot_range(1000, 0, &lo, &hi), 0);
	cr_assert(lo == 0 && hi == 2000);
	cr_assert_eq(rtlab_bpf_slot_range(1000, 2, &lo, &hi), 0);
	cr_assert(lo == 4000 && hi == 8000);
	cr_assert_eq(rtlab_bpf_slot_of(1000, 1999), 0);
	cr_assert_eq(rtlab_bpf_slot_of(1000, 2000), 1);
	cr_assert_eq(rtlab_bpf_slot_of(1000, 7999), 2);
	cr_assert_eq(rtlab_bpf_slot_of(1, UINT64_MAX), RTLAB_BPF_SLOTS - 1);
	cr_assert_eq(rtlab_bpf_slot_range(1000, RTLAB_BPF_SLOTS, &lo, &hi), -EINVAL);
	cr_assert_eq(rtlab_bpf_slot_range(10, 0, &lo, &hi), -EINVAL);
}

/* Adjacent slots tile the line: hi of one is lo of the next. */
Test(bpf_hist, slots_are_contiguous)
{
	uint64_t lo, hi, prev_hi = 0;

	for (unsigned s = 0; s < RTLAB_BPF_SLOTS; s++) {
		cr_assert_eq(rtlab_bpf_slot_range(1, s, &lo, &hi), 0);
		cr_assert_eq(lo, prev_hi, "slot %u starts at %llu", s, (unsigned long long)lo);
		cr_assert_gt(hi, lo);
		prev_hi = hi;
	}
}

/* Merging adds counts and sums, keeps the larger max; buckets read back. */
Test(bpf_hist, merge_and_bucket)
{
	struct rtlab_bpf_hist a = { .unit_ns = 1000, .count = 3, .sum_ns = 30, .max_ns = 20 };
	struct rtlab_bpf_hist b = { .unit_ns = 1000, .count = 2, .sum_ns = UINT64_MAX,
				    .max_ns = 10 };
	uint64_t lo = 0, hi = 0;

	a.slots[1] = 3;
	b.slots[1] = 1;
	b.slots[5] = 1;
	rtlab_bpf_hist_merge(&a, &b);
	cr_assert_eq(a.count, 5);
	cr_assert_eq(a.sum_ns, UINT64_MAX, "the sum saturates");
	cr_assert_eq(a.max_ns, 20);
	cr_assert_eq(rtlab_bpf_hist_bucket(&a, 1, &lo, &hi), 4);
	cr_assert(lo == 2000 && hi == 4000);
	cr_assert_eq(rtlab_bpf_hist_bucket(&a, 5, NULL, NULL), 1);
	cr_assert_eq(rtlab_bpf_hist_bucket(&a, RTLAB_BPF_SLOTS, &lo, &hi), 0);
}

/* The "all" total of keyed histograms is their sum. */
Test(bpf_hist, total)
{
	struct rtlab_bpf_hist h[3] = { { .count = 1, .sum_ns = 5, .max_ns = 5 },
				       { .count = 2, .sum_ns = 7, .max_ns = 6 } };

	h[0].slots[2] = 1;
	h[1].slots[2] = 2;
	cr_assert_eq(bpf_hists_add_total(h, 2, RTLAB_BPF_SYSCALLS, 1), 3);
	cr_assert_str_eq(h[2].key, "all");
	cr_assert(h[2].count == 3 && h[2].sum_ns == 12 && h[2].max_ns == 6);
	cr_assert_eq(h[2].slots[2], 3);
	cr_assert(bpf_tool_keyed(RTLAB_BPF_OFFCPU, RTLAB_BPF_MODE_ALL));
	cr_assert(!bpf_tool_keyed(RTLAB_BPF_RUNQLAT, RTLAB_BPF_MODE_ALL));
	cr_assert(bpf_tool_keyed(RTLAB_BPF_RUNQLAT, RTLAB_BPF_MODE_CPU));
}

/* The generated syscall table agrees with the C library's SYS_ numbers. */
Test(bpf_names, syscalls)
{
	cr_assert_str_eq(rtlab_bpf_syscall_name(SYS_read), "read");
	cr_assert_str_eq(rtlab_bpf_syscall_name(SYS_getppid), "getppid");
	cr_assert_str_eq(rtlab_bpf_syscall_name(SYS_clock_nanosleep), "clock_nanosleep");
	cr_assert_str_eq(rtlab_bpf_syscall_name(SYS_futex), "futex");
	cr_assert_str_eq(rtlab_bpf_syscall_name(SYS_io_uring_setup), "io_uring_setup");
	cr_assert_null(rtlab_bpf_syscall_name(-1));
	cr_assert_null(rtlab_bpf_syscall_name(100000));
}

/* Softirq vectors and task states. */
Test(bpf_names, softirqs_and_states)
{
	cr_assert_str_eq(rtlab_bpf_softirq_name(0), "HI");
	cr_assert_str_eq(rtlab_bpf_softirq_name(3), "NET_RX");
	cr_assert_str_eq(rtlab_bpf_softirq_name(9), "RCU");
	cr_assert_null(rtlab_bpf_softirq_name(10));
	cr_assert_str_eq(rtlab_bpf_state_name(0, false), "R");
	cr_assert_str_eq(rtlab_bpf_state_name(1, true), "R");
	cr_assert_str_eq(rtlab_bpf_state_name(1, false), "S");
	cr_assert_str_eq(rtlab_bpf_state_name(2, false), "D");
	cr_assert_str_eq(rtlab_bpf_state_name(0x402, false), "I");
	cr_assert_str_eq(rtlab_bpf_state_name(4, false), "T");
	cr_assert_str_eq(rtlab_bpf_state_name(0x20, false), "Z");
	cr_assert_str_eq(rtlab_bpf_state_name(0x10000, false), "?");
}

/* Tool lists, as a scenario's "[record] bpf = runqlat, offcpu" gives them. */
Test(bpf_names, tools_parse)
{
	unsigned mask = 0;
	char bad[32];

	cr_assert_eq(rtlab_bpf_tools_parse("runqlat, offcpu", &mask, bad, sizeof(bad)), 0);
	cr_assert_eq(mask, (1u << RTLAB_BPF_RUNQLAT) | (1u << RTLAB_BPF_OFFCPU));
	cr_assert_eq(rtlab_bpf_tools_parse(" irqtime syscalls ", &mask, NULL, 0), 0);
	cr_assert_eq(mask, (1u << RTLAB_BPF_IRQTIME) | (1u << RTLAB_BPF_SYSCALLS));
	cr_assert_eq(rtlab_bpf_tools_parse("runqlat,offcp", &mask, bad, sizeof(bad)), -EINVAL);
	cr_assert_str_eq(bad, "offcp");
	cr_assert_eq(rtlab_bpf_tools_parse(" , ", &mask, bad, sizeof(bad)), -EINVAL);
	cr_assert_str_eq(rtlab_bpf_tool_name(RTLAB_BPF_IRQTIME), "irqtime");
	cr_assert_null(rtlab_bpf_tool_name(_RTLAB_BPF_TOOL_MAX));
}

struct key_case {
	int tool;
	unsigned mode, id, sub;
	char name[16];
	char key[40];
	char detail[4];
};

static struct key_case key_cases[] = {
	{ RTLAB_BPF_RUNQLAT, RTLAB_BPF_MODE_ALL, 0, 0, "", "all", "" },
	{ RTLAB_BPF_RUNQLAT, RTLAB_BPF_MODE_CPU, 0, 1, "", "cpu1", "" },
	{ RTLAB_BPF_RUNQLAT, RTLAB_BPF_MODE_PID, 0, 1234, "hackbench", "pid 1234 (hackbench)", "" },
	{ RTLAB_BPF_SYSCALLS, 0, SYS_write, 0, "", "write", "" },
	{ RTLAB_BPF_SYSCALLS, 0, 9999, 0, "", "syscall 9999", "" },
	{ RTLAB_BPF_OFFCPU, 0, 57, 2, "kworker/0:1", "pid 57 (kworker/0:1)", "D" },
	{ RTLAB_BPF_IRQTIME, 0, RTLAB_BPF_HARDIRQ, 24, "virtio0-input", "hardirq 24 virtio0-input",
	  "" },
	{ RTLAB_BPF_IRQTIME, 0, RTLAB_BPF_SOFTIRQ, 3, "", "softirq NET_RX", "" },
	{ RTLAB_BPF_IRQTIME, 0, RTLAB_BPF_SOFTIRQ, 12, "", "softirq 12", "" },
};

ParameterizedTestParameters(bpf_names, keys)
{
	return cr_make_param_array(struct key_case, key_cases,
				   sizeof(key_cases) / sizeof(key_cases[0]));
}

/* Map keys become the run store's key texts. */
ParameterizedTest(struct key_case *c, bpf_names, keys)
{
	struct rtlab_bpf_hkey k = { .id = c->id, .sub = c->sub };
	struct rtlab_bpf_hist h = { 0 };

	bpf_hist_from_key(&h, (enum rtlab_bpf_tool)c->tool, c->mode, &k, c->name);
	cr_assert_str_eq(h.key, c->key);
	cr_assert_str_eq(h.detail, c->detail);
	cr_assert_eq((int)h.tool, c->tool);
}
