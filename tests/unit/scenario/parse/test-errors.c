/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-errors.c - every parse error of a scenario, with the line it names:
 * small texts and the exact start of the message expected.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "test-scenario.h"

/* The structure of the file: lines, sections, keys. */
ParameterizedTestParameters(parse_errors, structure)
{
	static struct text_case cases[] = {
		{ HEAD "garbage\n",
		  "t.ini:3: expected 'key = value', a [section] or a comment, not 'garbage'" },
		{ "duration = 1s\n[scenario]\n",
		  "t.ini:1: key 'duration' comes before any section (start with [scenario])" },
		{ HEAD "[task t1\n", "t.ini:3: missing ']' at the end of the section header" },
		{ HEAD "[task t1] x\n", "t.ini:3: unexpected text after ']': 'x'" },
		{ HEAD "[ ]\n", "t.ini:3: empty section header" },
		{ HEAD "[tasks t1]\n", "t.ini:3: unknown section [tasks] (known: [scenario], " },
		{ HEAD "[Task t1]\n", "t.ini:3: unknown section [Task]" },
		{ HEAD "[task]\n", "t.ini:3: [task] needs a name: [task NAME]" },
		{ HEAD "[mutex]\n", "t.ini:3: [mutex] needs a name: [mutex NAME]" },
		{ HEAD "[record r]\n", "t.ini:3: [record] takes no name" },
		{ HEAD "[task a b]\n", "t.ini:3: bad name 'a b' in [task]: a name is 1 to 63 of" },
		{ HEAD "[load a/b]\n", "t.ini:3: bad name 'a/b' in [load]" },
		{ HEAD "[task 0123456789012345678901234567890123456789012345678901234567890123]\n",
		  "t.ini:3: bad name '0123456789" },
		{ TASK "[task t1]\nperiod = 2ms\n",
		  "t.ini:5: second [task t1] (the first is at line 3)" },
		{ HEAD "[mutex m]\n[mutex m]\n",
		  "t.ini:4: second [mutex m] (the first is at line 3)" },
		{ HEAD "[scenario]\n",
		  "t.ini:3: second [scenario] section (the first is at line 1)" },
		{ TASK "[record]\n[gate]\n[record]\n",
		  "t.ini:7: second [record] section (the first is at line 5)" },
		{ TASK "[gate]\n[gate]\n",
		  "t.ini:6: second [gate] section (the first is at line 5)" },
		{ "[task t1]\nperiod = 1ms\n", "t.ini: no [scenario] section" },
		{ TASK "bogus = 1\n",
		  "t.ini:5: unknown key 'bogus' in [task t1] (known: policy, priority, nice, " },
		{ TASK "Period = 1ms\n", "t.ini:5: unknown key 'Period' in [task t1]" },
		{ HEAD "[gate]\np99.99 = 1ms\n",
		  "t.ini:4: unknown key 'p99.99' in [gate] (known: " },
		{ "[scenario]\nduration = 1s\nlength = 2s\n",
		  "t.ini:3: unknown key 'length' in [scenario]" },
		{ TASK "period = 2ms\n",
		  "t.ini:5: key 'period' given twice in [task t1] (first at line 4)" },
		{ TASK "cpu =\n", "t.ini:5: cpu has no value" },
		{ TASK "= 5\n", "t.ini:5: a key name is missing before '='" },
		{ TASK "policy = \x1b[31mfifo\n",
		  "t.ini:5: policy = '\\x1b[31mfifo': unknown policy (use fifo, rr, deadline, " },
		{ TASK "k\x01 = 1\n", "t.ini:5: unknown key 'k\\x01' in [task t1]" },
		{ HEAD "[task t\x7f]\n", "t.ini:3: bad name 't\\x7f' in [task]" },
		{ TASK "policy = \xff\n", "t.ini:5: policy = '\\xff': unknown policy" },
		/* Indented lines are lines of their own, not continuations. */
		{ TASK "\tpolicy = rr\n    policy = rr\n",
		  "t.ini:6: key 'policy' given twice in [task t1] (first at line 5)" },
		/* Comments: ';' and '#' at the start, ' ;' after a value. */
		{ "; c\n# c\n[scenario] ; c\nduration = 1s ; c\n[task t1] # c\nperiod = 1ms\n"
		  "work = 1ms # not a comment\n",
		  "t.ini:7: work = '1ms # not a comment': unknown unit" },
	};

	return cr_make_param_array(struct text_case, cases, ARRAY_SIZE(cases));
}

/* The values of the keys of every section. */
ParameterizedTestParameters(parse_errors, values)
{
	static struct text_case cases[] = {
		{ HEAD "[task t1]\nperiod = 10\n",
		  "t.ini:4: period = '10': a duration needs a unit: ns, us, ms, s, m or h" },
		{ HEAD "[task t1]\nperiod = 10xs\n",
		  "t.ini:4: period = '10xs': unknown unit (use ns, us, ms, s, m or h)" },
		{ HEAD "[task t1]\nperiod = abc\n",
		  "t.ini:4: period = 'abc': not a duration: expected a number and a unit" },
		{ HEAD "[task t1]\nperiod = -1ms\n", "t.ini:4: period = '-1ms': not a duration" },
		{ HEAD "[task t1]\nperiod = .5ms\n", "t.ini:4: period = '.5ms': not a duration" },
		{ HEAD "[task t1]\nperiod = 1.ms\n",
		  "t.ini:4: period = '1.ms': digits expected after the decimal point" },
		{ HEAD "[task t1]\nperiod = 1.5ns\n",
		  "t.ini:4: period = '1.5ns': finer than 1 ns" },
		{ HEAD "[task t1]\nperiod = 99999999999999999999ns\n",
		  "t.ini:4: period = '99999999999999999999ns': too large" },
		{ HEAD "[task t1]\nperiod = 5124096h\n",
		  "t.ini:4: period = '5124096h': too large" },
		{ HEAD "[task t1]\nperiod = 0ms\n",
		  "t.ini:4: period = '0ms': must be at least 1ns" },
		{ TASK "priority = 0\n", "t.ini:5: priority = '0': must be 1 to 99" },
		{ TASK "priority = 100\n", "t.ini:5: priority = '100': must be 1 to 99" },
		{ TASK "priority = 80x\n", "t.ini:5: priority = '80x': not a whole number" },
		{ TASK "priority = 99999999999\n",
		  "t.ini:5: priority = '99999999999': must be 1 to 99" },
		{ TASK "policy = other\nnice = 20\n", "t.ini:6: nice = '20': must be -20 to 19" },
		{ TASK "policy = other\nnice = -21\n", "t.ini:6: nice = '-21': must be -20 to 19" },
		{ TASK "policy = sporadic\n", "t.ini:5: policy = 'sporadic': unknown policy" },
		{ TASK "cpu = 0-x\n",
		  "t.ini:5: cpu = '0-x': not a CPU list (e.g. 0-3,6): unexpected text at character "
		  "3" },
		{ TASK "cpu = 3-1\n", "t.ini:5: cpu = '3-1': not a CPU list" },
		{ TASK "cpu = 4095\n",
		  "t.ini:5: cpu = '4095': CPU number too large (at most 1023)" },
		{ TASK "work = hackbench\n",
		  "t.ini:5: work = 'hackbench': expected a duration (busy work, e.g. 200us) or "
		  "KIND[:SIZE] with KIND cpu, memory, io or syscall" },
		{ TASK "work = memory:64\n",
		  "t.ini:5: work = 'memory:64': a size needs a unit: B, KiB" },
		{ TASK "work = memory:\n", "t.ini:5: work = 'memory:': not a size" },
		{ TASK "work = cpu:abc\n",
		  "t.ini:5: work = 'cpu:abc': the size of a cpu workload is a count (a whole "
		  "number)" },
		{ TASK "work = syscall:0\n",
		  "t.ini:5: work = 'syscall:0': a syscall workload takes 1 to 1000000000 system "
		  "calls" },
		{ TASK "work = 0us\n", "t.ini:5: work = '0us': busy work must last more than 0ns" },
		{ TASK "work = memory:0B\n",
		  "t.ini:5: work = 'memory:0B': a memory workload takes 16 B to 1 GiB" },
		{ TASK "work = memory:1.5GiB\n",
		  "t.ini:5: work = 'memory:1.5GiB': a memory workload takes 16 B to 1 GiB" },
		{ TASK "work = io:2048GiB\n",
		  "t.ini:5: work = 'io:2048GiB': an io workload takes 1 B to 64 MiB" },
		{ TASK "work = cpu:99999999999999999999999\n",
		  "t.ini:5: work = 'cpu:99999999999999999999999': a cpu workload takes 1 to " },
		{ TASK "mutex = a b\n", "t.ini:5: mutex = 'a b': a mutex name is 1 to 63 of" },
		{ TASK "callback = fork\n",
		  "t.ini:5: callback = 'fork': expected KIND[:SIZE] with KIND cpu, memory, io or "
		  "syscall" },
		{ TASK "callback = 10us\n", "t.ini:5: callback = '10us': expected KIND[:SIZE]" },
		{ TASK "hold = 0us\n", "t.ini:5: hold = '0us': must be at least 1ns" },
		{ HEAD "[mutex m]\nprotocol = pip\n",
		  "t.ini:4: protocol = 'pip': unknown protocol (use inherit, protect or none)" },
		{ HEAD "[mutex m]\nprotocol = protect\nceiling = 0\n",
		  "t.ini:5: ceiling = '0': must be 1 to 99" },
		{ HEAD "[load l]\nkind = stress\n", "t.ini:4: kind = 'stress': unknown load kind" },
		{ HEAD "[load l]\nkind = cpu\nthreads = 0\n",
		  "t.ini:5: threads = '0': must be 1 to 1024" },
		{ HEAD "[load l]\nkind = cpu\nthreads = 1025\n",
		  "t.ini:5: threads = '1025': must be 1 to" },
		{ HEAD "[load l]\nkind = cpu\nintensity = 0\n",
		  "t.ini:5: intensity = '0': must be between 1 and 100 (percent)" },
		{ HEAD "[load l]\nkind = cpu\nintensity = 101%\n",
		  "t.ini:5: intensity = '101%': must be" },
		{ HEAD "[load l]\nkind = cpu\nintensity = 5x\n",
		  "t.ini:5: intensity = '5x': not a percentage" },
		{ HEAD "[load l]\nkind = memory\nsize = 1MB\n",
		  "t.ini:5: size = '1MB': unknown unit (use B, KiB, MiB, GiB (or K, M, G))" },
		{ HEAD "[load l]\nkind = memory\nsize = 0.5B\n",
		  "t.ini:5: size = '0.5B': finer than 1 byte" },
		{ HEAD "[load l]\nkind = memory\nsize = 4095B\n",
		  "t.ini:5: size = '4095B': must be 4096 B to 1099511627776 B" },
		{ HEAD "[load l]\nkind = memory\nsize = 2048GiB\n",
		  "t.ini:5: size = '2048GiB': must be 4096 B to 1099511627776 B" },
		{ TASK "[record]\nlatency = no\n",
		  "t.ini:6: latency = 'no': latency is always recorded: remove the key or set it "
		  "to yes" },
		{ TASK "[record]\nlatency = maybe\n", "t.ini:6: latency = 'maybe': not a boolean" },
		{ TASK "[record]\nprobe = 5ms\n", "t.ini:6: probe = '5ms': must be at least 10ms" },
		{ TASK "[record]\nprobe = 1s\nfamilies = cpu,bogus\n",
		  "t.ini:7: families = 'cpu,bogus': unknown probe family 'bogus' (known: default, "
		  "all, cpu, " },
		{ TASK "[record]\nprobe = 1s\nfamilies = cpu,,mem\n",
		  "t.ini:7: families = 'cpu,,mem': empty name in the list" },
		{ TASK "[record]\nftrace = sched:sched_switch, sched/x\n",
		  "t.ini:6: ftrace = 'sched:sched_switch, sched/x': 'sched/x' is not an event: "
		  "system:event, event or a glob such as irq:* (joined by commas)" },
		{ TASK "[record]\nftrace = a:b:c\n", "t.ini:6: ftrace = 'a:b:c': 'a:b:c' is not an "
		  "event" },
		{ TASK "[record]\nftrace = sched:,irq:*\n", "t.ini:6: ftrace = 'sched:,irq:*': "
		  "'sched:' is not an event" },
		{ TASK "[record]\nftrace = irq:*,\n",
		  "t.ini:6: ftrace = 'irq:*,': an empty event after the last comma" },
		{ TASK "[record]\nftrace = irq:*,,sched:*\n", "t.ini:6: ftrace = 'irq:*,,sched:*': "
		  "'' is not an event" },
		{ TASK "[record]\nftrace = sched:*\nftrace_buffer = 1KiB\n",
		  "t.ini:7: ftrace_buffer = '1KiB': the buffer is between 4KiB and 4GiB per CPU" },
		{ TASK "[record]\nftrace = sched:*\nbreaktrace = 0us\n",
		  "t.ini:7: breaktrace = '0us': must be at least" },
		{ TASK "[record]\nftrace = sched:*\nbreaktrace = 1ms\nbreaktrace_window = 10us\n",
		  "t.ini:8: breaktrace_window = '10us': must be at least 1ms" },
		{ TASK "[record]\nbpf = runqlat, bogus\n", "t.ini:6: bpf = 'runqlat, bogus': unknown "
		  "eBPF tool 'bogus' (known: runqlat, syscalls, offcpu, irqtime)" },
		{ TASK "[gate]\nmax = 10\n", "t.ini:6: max = '10': a duration needs a unit" },
		{ TASK "[gate]\np99.9 = 1.5xs\n", "t.ini:6: p99.9 = '1.5xs': unknown unit" },
		{ TASK "[gate]\nmisses = -1\n", "t.ini:6: misses = '-1': not a whole number" },
		{ TASK "[gate]\nlost = 99999999999999999999\n",
		  "t.ini:6: lost = '99999999999999999999': too large" },
		{ "[scenario]\nduration = 0s\n", "t.ini:2: duration = '0s': must be at least 1ns" },
		{ "[scenario]\nname = a/b\n", "t.ini:2: name = 'a/b': a name is 1 to 63 of" },
		{ "[scenario]\ndescription = a\x01z\n",
		  "t.ini:2: description = 'a\\x01z': control character or invalid UTF-8 at byte "
		  "2" },
		{ "[scenario]\ndescription = ab\xc3\n",
		  "t.ini:2: description = 'ab\\xc3': control character or invalid UTF-8 at byte "
		  "3" },
		{ "[scenario]\nseed = 1.5\n", "t.ini:2: seed = '1.5': not a whole number" },
	};

	return cr_make_param_array(struct text_case, cases, ARRAY_SIZE(cases));
}

/* The checks made when a section ends: required keys, keys that depend on others. */
ParameterizedTestParameters(parse_errors, sections)
{
	static struct text_case cases[] = {
		{ "[scenario]\nname = x\n",
		  "t.ini:1: [scenario] needs a duration (e.g. duration = 60s)" },
		{ "[scenario]\nname = x\n[task t1]\nperiod = 1ms\n",
		  "t.ini:1: [scenario] needs a duration" },
		{ HEAD "[task t1]\npolicy = fifo\n",
		  "t.ini:3: [task t1] needs a period (e.g. period = 1ms)" },
		{ HEAD "[task t1]\n[task t2]\nperiod = 1ms\n",
		  "t.ini:3: [task t1] needs a period" },
		{ TASK "policy = other\npriority = 5\n",
		  "t.ini:6: priority is for policies fifo and rr, not other (use nice)" },
		{ TASK "priority = 5\npolicy = deadline\nruntime = 100us\n",
		  "t.ini:5: priority is for policies fifo and rr, not deadline" },
		{ TASK "nice = 5\n",
		  "t.ini:5: nice is for policies other and batch; a fifo task has a priority "
		  "(1..99)" },
		{ TASK "policy = idle\nnice = 1\n",
		  "t.ini:6: nice is for policies other and batch, not idle" },
		{ HEAD "[task d]\npolicy = deadline\nperiod = 1ms\n",
		  "t.ini:3: [task d] has policy deadline: it needs a runtime (its CPU time per "
		  "period)" },
		{ HEAD "[mutex m]\nprotocol = protect\n",
		  "t.ini:3: [mutex m] has protocol protect: it needs a ceiling (1..99)" },
		{ HEAD "[mutex m]\nceiling = 50\n",
		  "t.ini:4: ceiling is for protocol protect, not inherit" },
		{ HEAD "[mutex m]\nceiling = 50\nprotocol = none\n",
		  "t.ini:4: ceiling is for protocol protect, not none" },
		{ HEAD "[load l]\nthreads = 2\n",
		  "t.ini:3: [load l] needs a kind (cpu, hackbench, " },
		{ HEAD "[load l]\nkind = cpu\nsize = 1MiB\n",
		  "t.ini:5: size is for memory and io loads, not cpu" },
		{ HEAD "[load l]\nthreads = 65\nkind = hackbench\n",
		  "t.ini:4: a hackbench load has at most 64 threads (groups of 20 senders and as "
		  "many receivers)" },
		{ TASK "[record]\nfamilies = cpu\n",
		  "t.ini:6: families needs probe (e.g. probe = 1s)" },
		{ TASK "[record]\nbreaktrace = 100us\n",
		  "t.ini:6: breaktrace needs ftrace (e.g. ftrace = sched:*, irq:*)" },
		{ TASK "[record]\nftrace_buffer = 1MiB\n",
		  "t.ini:6: ftrace_buffer needs ftrace (e.g. ftrace = sched:sched_switch)" },
		{ TASK "[record]\nftrace = sched:*\nbreaktrace_window = 5ms\n",
		  "t.ini:7: breaktrace_window needs breaktrace (e.g. breaktrace = 200us)" },
		/* The earliest problem is reported, even when a later line is wrong too. */
		{ HEAD "[task t1]\ngarbage\n[task t2]\n", "t.ini:3: [task t1] needs a period" },
		{ HEAD "garbage\n[task t1]\n[task t2]\n", "t.ini:3: expected 'key = value'" },
		{ HEAD "[task t1]\n[task t2]\ngarbage\n", "t.ini:3: [task t1] needs a period" },
	};

	return cr_make_param_array(struct text_case, cases, ARRAY_SIZE(cases));
}

/* check_error - parsing @c->text fails with -EINVAL and the expected message, nothing returned. */
static void check_error(const struct text_case *c)
{
	struct rtlab_scenario *sc = NULL;
	char err[RTLAB_SCENARIO_ERR_MAX] = "";
	int r = rtlab_scenario_parse_text("t.ini", c->text, strlen(c->text), &sc, err, sizeof(err));

	cr_expect_eq(r, -EINVAL, "r = %d (%s)", r, err);
	cr_expect_null(sc);
	expect_msg(err, c->want, c->text);
}

ParameterizedTest(struct text_case *c, parse_errors, structure)
{
	check_error(c);
}

ParameterizedTest(struct text_case *c, parse_errors, values)
{
	check_error(c);
}

ParameterizedTest(struct text_case *c, parse_errors, sections)
{
	check_error(c);
}

/* A NUL byte inside a line is refused with its line, not cut there. */
Test(parse_errors, nul_byte)
{
	static const char text[] = TASK "work = 1ms\0 junk\n";
	struct rtlab_scenario *sc = NULL;
	char err[RTLAB_SCENARIO_ERR_MAX];
	int r = rtlab_scenario_parse_text("t.ini", text, sizeof(text) - 1, &sc, err, sizeof(err));

	cr_assert_eq(r, -EINVAL);
	cr_expect_str_eq(err, "t.ini:5: NUL byte in the line");
}

/* A line longer than libinih's buffer is refused, not split into two lines. */
Test(parse_errors, long_line)
{
	char text[1024];
	struct rtlab_scenario *sc = NULL;
	char err[RTLAB_SCENARIO_ERR_MAX];
	int n = snprintf(text, sizeof(text), HEAD "description = ");

	memset(text + n, 'x', 300);
	text[n + 300] = '\0';
	cr_assert_eq(rtlab_scenario_parse_text("t.ini", text, strlen(text), &sc, err, sizeof(err)),
		     -EINVAL);
	expect_msg(err, "t.ini:3: line too long: 314 characters after the indentation, at most ",
		   text);
}

/* The file name is escaped in messages; the default name comes from it. */
Test(parse_errors, file_name)
{
	static const char text[] = "[scenario]\nduration = 1s\n[task t]\nperiod = 1ms\n";
	struct rtlab_scenario *sc = NULL;
	char err[RTLAB_SCENARIO_ERR_MAX];

	cr_assert_eq(rtlab_scenario_parse_text("dir/bad name\x1b.ini", text, strlen(text), &sc, err,
					       sizeof(err)), -EINVAL);
	cr_expect_str_eq(err, "dir/bad name\\x1b.ini:1: [scenario] needs a name: the file name "
	  "'bad name\\x1b.ini' cannot be one (1 to 63 of A-Z a-z 0-9 _ . -)");
}

/* Bad arguments: no name, no result, text too large. */
Test(parse_errors, arguments)
{
	struct rtlab_scenario *sc = NULL;
	char err[RTLAB_SCENARIO_ERR_MAX];
	char *big = calloc(1, 2 * 1024 * 1024);

	cr_assert_not_null(big);
	cr_expect_eq(rtlab_scenario_parse_text(NULL, "", 0, &sc, err, sizeof(err)), -EINVAL);
	cr_expect_eq(rtlab_scenario_parse_text("t.ini", "", 0, NULL, err, sizeof(err)), -EINVAL);
	cr_expect_eq(rtlab_scenario_parse_text("t.ini", NULL, 3, &sc, err, sizeof(err)), -EINVAL);
	cr_expect_eq(rtlab_scenario_parse_text("t.ini", big, 2 * 1024 * 1024, &sc, err,
					       sizeof(err)), -EFBIG);
	cr_expect_str_eq(err, "t.ini: larger than 1048576 bytes: not a scenario file");
	cr_expect_eq(rtlab_scenario_parse_text("t.ini", "", 0, &sc, NULL, 0), -EINVAL);
	cr_expect_null(sc);
	free(big);
}

/* A message is cut to the caller's buffer, still NUL-terminated. */
Test(parse_errors, small_buffer)
{
	static const char text[] = TASK "bogus = 1\n";
	struct rtlab_scenario *sc = NULL;
	char err[12];

	memset(err, 'z', sizeof(err));
	cr_assert_eq(rtlab_scenario_parse_text("t.ini", text, strlen(text), &sc, err, sizeof(err)),
		     -EINVAL);
	cr_expect_str_eq(err, "t.ini:5: un");
}
