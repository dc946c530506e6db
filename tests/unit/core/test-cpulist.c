/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-cpulist.c - CPU list parsing and formatting, and the online CPU reader. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rtlab/core.h>

#define POISON_POS ((size_t)-1)

/*
 * One parser case: input, result, the offset reported on error, and on
 * success the canonical form rtlab_cpulist_format() gives back.  Strings are
 * inline: Criterion copies parameters into the test process.
 */
struct list_case {
	char s[64];
	int r;
	size_t pos;
	char canon[64];
};

/* The cpulist cases: singles, ranges, strides, blanks, and each kind of error. */
ParameterizedTestParameters(cpulist, parse)
{
	static struct list_case cases[] = {
		{ "0", 0, 0, "0" },
		{ "7", 0, 0, "7" },
		{ "0-3", 0, 0, "0-3" },
		{ "0-0", 0, 0, "0" },
		{ "0-3,8,10-11", 0, 0, "0-3,8,10-11" },
		{ "5,3,4", 0, 0, "3-5" },
		{ "1,1,1-2", 0, 0, "1-2" },
		{ "0-7:2", 0, 0, "0,2,4,6" },
		{ "1-9:3", 0, 0, "1,4,7" },
		{ "0-3:1", 0, 0, "0-3" },
		{ "1-7:100", 0, 0, "1" },
		{ "1-7:18446744073709551615", 0, 0, "1" },
		{ "0-7:2,1-7:2", 0, 0, "0-7" },
		{ "1023", 0, 0, "1023" },
		{ "0-1023", 0, 0, "0-1023" },
		{ "0-3\n", 0, 0, "0-3" },
		{ "  1,2 \n", 0, 0, "1-2" },
		{ "\t0-1\t", 0, 0, "0-1" },
		{ "", 0, 0, "" },
		{ "\n", 0, 0, "" },
		{ "   ", 0, 0, "" },
		{ "1-", -EINVAL, 2, "" },
		{ "3-1", -EINVAL, 2, "" },
		{ ",1", -EINVAL, 0, "" },
		{ "1,,2", -EINVAL, 2, "" },
		{ "1,", -EINVAL, 2, "" },
		{ "1, 2", -EINVAL, 2, "" },
		{ "a", -EINVAL, 0, "" },
		{ "0-3a", -EINVAL, 3, "" },
		{ "1 2", -EINVAL, 2, "" },
		{ "1;2", -EINVAL, 1, "" },
		{ "-1", -EINVAL, 0, "" },
		{ "+1", -EINVAL, 0, "" },
		{ "1--2", -EINVAL, 2, "" },
		{ "1-3:", -EINVAL, 4, "" },
		{ "1-3:0", -EINVAL, 4, "" },
		{ "1:2", -EINVAL, 1, "" },
		{ "0-3,5-4", -EINVAL, 6, "" },
		{ "1024", -ERANGE, 0, "" },
		{ "0-1024", -ERANGE, 2, "" },
		{ "0,2048", -ERANGE, 2, "" },
		{ "99999999999999999999999", -ERANGE, 0, "" },
	};

	return cr_make_param_array(struct list_case, cases, sizeof(cases) / sizeof(cases[0]));
}

/* rtlab_cpulist_parse on one case: result, ret_pos, and the set through format. */
ParameterizedTest(struct list_case *c, cpulist, parse)
{
	cpu_set_t set, before;
	size_t pos = POISON_POS;
	char buf[8192];
	int r, n;

	CPU_ZERO(&set);
	CPU_SET(999, &set);
	before = set;
	r = rtlab_cpulist_parse(c->s, &set, &pos);
	cr_assert_eq(r, c->r, "parse(\"%s\"): expected %d, got %d", c->s, c->r, r);
	if (r < 0) {
		cr_assert_eq(pos, c->pos, "parse(\"%s\"): expected error at %zu, got %zu", c->s,
			     c->pos, pos);
		cr_assert(CPU_EQUAL(&set, &before), "parse(\"%s\") changed the set on error",
			  c->s);
		return;
	}
	n = rtlab_cpulist_format(&set, buf, sizeof(buf));
	cr_assert_geq(n, 0, "format after parse(\"%s\"): %d", c->s, n);
	cr_assert_str_eq(buf, c->canon, "parse(\"%s\"): expected {%s}, got {%s}", c->s, c->canon,
			 buf);
	cr_assert_eq((size_t)n, strlen(buf), "format returned %d for \"%s\"", n, buf);
	/* ret_pos is optional. */
	cr_assert_eq(rtlab_cpulist_parse(c->s, &set, NULL), 0);
}

/* ret_pos may be NULL on error too. */
Test(cpulist, parse_null_pos)
{
	cpu_set_t set;

	cr_assert_eq(rtlab_cpulist_parse("1,,2", &set, NULL), -EINVAL);
	cr_assert_eq(rtlab_cpulist_parse("4096", &set, NULL), -ERANGE);
}

/* rng_next - xorshift64: fixed-seed pseudo-random sets. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Random sets of many densities survive format -> parse unchanged. */
Test(cpulist, format_round_trip)
{
	uint64_t seed = 0x2545f4914f6cdd1dULL;
	char buf[8192];

	for (int iter = 0; iter < 2000; iter++) {
		cpu_set_t set, back;
		unsigned int density = (unsigned int)(rng_next(&seed) % 64) + 1;
		size_t pos = POISON_POS;
		int n, r;

		CPU_ZERO(&set);
		for (int c = 0; c < CPU_SETSIZE; c++)
			if (rng_next(&seed) % 64 < density)
				CPU_SET(c, &set);
		n = rtlab_cpulist_format(&set, buf, sizeof(buf));
		cr_assert_geq(n, 0, "format: %d", n);
		cr_assert_eq((size_t)n, strlen(buf), "format returned %d for a %zu-byte string", n,
			     strlen(buf));
		r = rtlab_cpulist_parse(buf, &back, &pos);
		cr_assert_eq(r, 0, "parse(\"%s\") of formatted output: %d at %zu", buf, r, pos);
		cr_assert(CPU_EQUAL(&set, &back), "round trip of \"%s\" lost CPUs (%d -> %d)", buf,
			  CPU_COUNT(&set), CPU_COUNT(&back));
	}
}

/* Empty and full sets; -ENOSPC with a truncated NUL-terminated prefix. */
Test(cpulist, format_sizes)
{
	cpu_set_t set;
	char buf[64];
	int n;

	CPU_ZERO(&set);
	memset(buf, 'x', sizeof(buf));
	n = rtlab_cpulist_format(&set, buf, sizeof(buf));
	cr_assert(n == 0 && buf[0] == '\0', "empty set: expected \"\" and 0, got \"%s\" and %d",
		  buf, n);
	for (int c = 0; c < CPU_SETSIZE; c++)
		CPU_SET(c, &set);
	n = rtlab_cpulist_format(&set, buf, sizeof(buf));
	cr_assert_str_eq(buf, "0-1023", "full set: got \"%s\"", buf);
	cr_assert_eq(n, 6);

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CPU_SET(1, &set);
	CPU_SET(2, &set);
	CPU_SET(3, &set);
	CPU_SET(8, &set);
	n = rtlab_cpulist_format(&set, buf, 6);		/* "0-3,8" + NUL: exactly fits */
	cr_assert(n == 5 && strcmp(buf, "0-3,8") == 0, "size 6: expected 5 \"0-3,8\", got %d"
		  " \"%s\"", n, buf);
	memset(buf, 'x', sizeof(buf));
	n = rtlab_cpulist_format(&set, buf, 5);
	cr_assert_eq(n, -ENOSPC, "size 5: expected -ENOSPC, got %d", n);
	cr_assert(memchr(buf, '\0', 5) != NULL, "size 5: result not NUL-terminated");
	cr_assert(strncmp("0-3,8", buf, strlen(buf)) == 0, "size 5: \"%s\" is not a prefix",
		  buf);
	n = rtlab_cpulist_format(&set, buf, 2);
	cr_assert_eq(n, -ENOSPC, "size 2: expected -ENOSPC, got %d", n);
	cr_assert(strlen(buf) < 2, "size 2: \"%s\" overflows", buf);
	buf[0] = 'x';
	n = rtlab_cpulist_format(&set, buf, 0);
	cr_assert_eq(n, -ENOSPC, "size 0: expected -ENOSPC, got %d", n);
	cr_assert_eq(buf[0], 'x', "size 0: the buffer was written");
}

static char tmp_root[PATH_MAX];
static char last_msg[1024];
static int n_msgs;

/* capture_log - keep the last library message for the assertions. */
static void capture_log(enum rtlab_log_level level, const char *msg, void *userdata)
{
	(void)level;
	(void)userdata;
	snprintf(last_msg, sizeof(last_msg), "%s", msg);
	n_msgs++;
}

/* root_setup - a temporary root with an empty sys/devices/system/cpu directory. */
static void root_setup(void)
{
	static const char *const dirs[] = { "/sys", "/sys/devices", "/sys/devices/system",
					     "/sys/devices/system/cpu" };
	char path[PATH_MAX + 64];

	snprintf(tmp_root, sizeof(tmp_root), "%s/rtlab-cpulist-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	cr_assert_not_null(mkdtemp(tmp_root), "mkdtemp(%s): %s", tmp_root, strerror(errno));
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", tmp_root, dirs[i]);
		cr_assert_eq(mkdir(path, 0755), 0, "mkdir(%s): %s", path, strerror(errno));
	}
}

/* root_teardown - remove what root_setup() and write_online() made. */
static void root_teardown(void)
{
	static const char *const paths[] = { "/sys/devices/system/cpu/online",
					     "/sys/devices/system/cpu", "/sys/devices/system",
					     "/sys/devices", "/sys", "" };
	char path[PATH_MAX + 64];

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", tmp_root, paths[i]);
		(void)remove(path);
	}
}

/* write_online - write @text as <root>/sys/devices/system/cpu/online. */
static void write_online(const char *text)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/online", tmp_root);
	f = fopen(path, "w");
	cr_assert_not_null(f, "fopen(%s): %s", path, strerror(errno));
	cr_assert_geq(fputs(text, f), 0, "writing %s failed", path);
	cr_assert_eq(fclose(f), 0, "closing %s: %s", path, strerror(errno));
}

/* online_ctx - a context reading below tmp_root and logging into capture_log(). */
static struct rtlab_ctx *online_ctx(void)
{
	struct rtlab_ctx *ctx = rtlab_ctx_new();
	int r;

	cr_assert_not_null(ctx, "rtlab_ctx_new failed");
	rtlab_ctx_set_log_fn(ctx, capture_log, NULL, RTLAB_LOG_DEBUG);
	r = rtlab_ctx_set_root(ctx, tmp_root);
	cr_assert_eq(r, 0, "set_root(%s): %d", tmp_root, r);
	return ctx;
}

/* "0-3\n" gives CPUs 0, 1, 2 and 3, and nothing is logged. */
Test(cpulist, online, .init = root_setup, .fini = root_teardown)
{
	struct rtlab_ctx *ctx;
	cpu_set_t set;
	int r;

	write_online("0-3\n");
	ctx = online_ctx();
	r = rtlab_cpus_online(ctx, &set);
	cr_assert_eq(r, 0, "cpus_online: expected 0, got %d (%s)", r, last_msg);
	cr_assert_eq(CPU_COUNT(&set), 4, "expected 4 CPUs, got %d", CPU_COUNT(&set));
	for (int c = 0; c < 4; c++)
		cr_assert(CPU_ISSET(c, &set), "CPU %d missing", c);
	cr_assert_eq(n_msgs, 0, "unexpected log message: %s", last_msg);
	rtlab_ctx_free(ctx);
}

/* A sparse list, as on machines with CPUs taken offline. */
Test(cpulist, online_sparse, .init = root_setup, .fini = root_teardown)
{
	struct rtlab_ctx *ctx;
	cpu_set_t set;
	char buf[64];
	int r;

	write_online("0,2-3,6-7\n");
	ctx = online_ctx();
	r = rtlab_cpus_online(ctx, &set);
	cr_assert_eq(r, 0, "cpus_online: expected 0, got %d (%s)", r, last_msg);
	cr_assert_geq(rtlab_cpulist_format(&set, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "0,2-3,6-7", "expected {0,2-3,6-7}, got {%s}", buf);
	rtlab_ctx_free(ctx);
}

/* A malformed file is an error, reported once through the log function. */
Test(cpulist, online_malformed, .init = root_setup, .fini = root_teardown)
{
	struct rtlab_ctx *ctx;
	cpu_set_t set;
	int r;

	write_online("0-3x\n");
	ctx = online_ctx();
	r = rtlab_cpus_online(ctx, &set);
	cr_assert_eq(r, -EINVAL, "malformed: expected -EINVAL, got %d", r);
	cr_assert_eq(n_msgs, 1, "expected one log message, got %d", n_msgs);
	cr_assert_not_null(strstr(last_msg, "online"), "message does not name the file: %s",
			   last_msg);
	rtlab_ctx_free(ctx);
}

/* An empty file means no CPU online: an error. */
Test(cpulist, online_empty, .init = root_setup, .fini = root_teardown)
{
	struct rtlab_ctx *ctx;
	cpu_set_t set;
	int r;

	write_online("\n");
	ctx = online_ctx();
	r = rtlab_cpus_online(ctx, &set);
	cr_assert_eq(r, -EINVAL, "empty: expected -EINVAL, got %d", r);
	cr_assert_eq(n_msgs, 1, "expected one log message, got %d", n_msgs);
	rtlab_ctx_free(ctx);
}

/* A missing file gives -ENOENT. */
Test(cpulist, online_missing, .init = root_setup, .fini = root_teardown)
{
	struct rtlab_ctx *ctx = online_ctx();
	cpu_set_t set;
	int r;

	r = rtlab_cpus_online(ctx, &set);
	cr_assert_eq(r, -ENOENT, "missing: expected -ENOENT, got %d", r);
	cr_assert_eq(n_msgs, 1, "expected one log message, got %d", n_msgs);
	cr_assert_not_null(strstr(last_msg, "/sys/devices/system/cpu/online"),
			   "message does not name the file: %s", last_msg);
	rtlab_ctx_free(ctx);
}
