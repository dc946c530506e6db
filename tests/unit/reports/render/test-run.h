/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-run.h - synthetic run folders for the report tests: a run.db written
 * with the store API (tasks, latencies and misses through a writer ring,
 * histograms, events), probe tables made by the probe recorder on a fixture
 * tree, exact times set afterwards; plus file and HTML checks.
 * Header-only: each test executable includes it once.
 */
#ifndef RTLAB_TEST_RUN_H
#define RTLAB_TEST_RUN_H

#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <rtlab/probe-record.h>
#include <rtlab/report.h>
#include <rtlab/store.h>

/* The run's start, as the tests set it: times below are relative to it. */
#define T0_NS 1000000000ULL
#define SEC_NS 1000000000ULL
#define US_NS 1000ULL

/* A latency sample to write. */
struct sample {
	uint64_t t_ns;
	int cpu;
	uint64_t latency_ns;
};

/* tmp_dir - a fresh folder in @buf. */
static inline void tmp_dir(char *buf, size_t size)
{
	snprintf(buf, size, "/tmp/rtlab-report-XXXXXX");
	cr_assert_not_null(mkdtemp(buf), "mkdtemp: %s", strerror(errno));
}

/* rm_one - nftw() callback: remove the entry. */
static inline int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* rm_tree - remove @dir and everything below it. */
static inline void rm_tree(const char *dir)
{
	cr_assert_eq(nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0, "removing %s: %s", dir,
		     strerror(errno));
}

/* exec_sql - run @sql on @dir/run.db. */
static inline void exec_sql(const char *dir, const char *sql)
{
	char path[PATH_MAX + 16], *msg = NULL;
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/run.db", dir);
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s: %s", sql,
		     msg ? msg : "?");
	sqlite3_close(db);
}

/* run_new - @dir/run.db with the run row (scenario @scenario); its start set to T0_NS. */
static inline struct rtlab_store *run_new(const char *dir, const char *name, const char *scenario)
{
	struct rtlab_run_info info = { name, scenario, strlen(scenario), 42, 10 * SEC_NS };
	struct rtlab_store *st;

	cr_assert_eq(rtlab_store_create(dir, &st), 0);
	cr_assert_eq(rtlab_store_begin(st, &info), 0);
	return st;
}

/* task_new - a task row; its id. */
static inline uint32_t task_new(struct rtlab_store *st, const char *name)
{
	struct rtlab_store_task t = { name, "fifo", 80, SEC_NS / 1000, SEC_NS / 1000, 0, "0" };
	uint32_t id = 0;

	cr_assert_eq(rtlab_store_add_task(st, &t, &id), 0);
	return id;
}

/* samples_put - @n samples of task @id, and a miss at each time in @miss_t (@nm of them). */
static inline void samples_put(struct rtlab_store *st, uint32_t id, const struct sample *s,
			       size_t n, const uint64_t *miss_t, size_t nm)
{
	struct rtlab_writer *w;
	struct rtlab_ring *ring;

	cr_assert_eq(rtlab_writer_new(st, 0, &w), 0);
	cr_assert_eq(rtlab_writer_ring(w, id, n + nm + 16, &ring), 0);
	for (size_t i = 0; i < n; i++)
		cr_assert(rtlab_ring_latency(ring, s[i].t_ns, s[i].cpu, s[i].latency_ns));
	for (size_t i = 0; i < nm; i++)
		cr_assert(rtlab_ring_miss(ring, miss_t[i], i, miss_t[i] - 1));
	cr_assert_eq(rtlab_writer_start(w, -1), 0);
	cr_assert_eq(rtlab_writer_stop(w), 0);
	rtlab_writer_free(w);
}

/* task_end - the task's counters. */
static inline void task_end(struct rtlab_store *st, uint32_t id, uint64_t jobs, uint64_t misses)
{
	struct rtlab_store_task_end e = { jobs, 0, misses, 0, 0, 0 };

	cr_assert_eq(rtlab_store_end_task(st, id, &e), 0);
}

/* run_end - the status, then the start and end times set to T0_NS and T0_NS + @len_ns. */
static inline void run_end(struct rtlab_store *st, const char *dir, enum rtlab_run_status s,
			   uint64_t len_ns)
{
	char sql[160];

	if (s != RTLAB_RUN_INCOMPLETE)
		cr_assert_eq(rtlab_store_end(st, s), 0);
	rtlab_store_close(st);
	snprintf(sql, sizeof(sql), "UPDATE run SET start_ns = %llu, end_ns = %llu",
		 (unsigned long long)T0_NS,
		 s == RTLAB_RUN_INCOMPLETE ? 0ULL : (unsigned long long)(T0_NS + len_ns));
	exec_sql(dir, sql);
}

/*
 * probe_tables - the probe tables of @dir/run.db, made by the recorder with one
 * sample of the "vm" fixture; that sample's rows are then removed, so a test
 * adds exactly the samples it wants with probe_put().
 */
static inline void probe_tables(const char *dir)
{
	struct rtlab_probe_opts po = { 0 };
	struct rtlab_probe_recorder_opts ro = { .families = RTLAB_PF_BIT(RTLAB_PF_LOAD) |
							    RTLAB_PF_BIT(RTLAB_PF_PSI) |
							    RTLAB_PF_BIT(RTLAB_PF_MEM) };
	struct rtlab_probe_recorder *r;
	struct rtlab_probe *p;
	char root[PATH_MAX], db[PATH_MAX + 16];

	snprintf(root, sizeof(root), "%s/probe/vm", FIXTURES_DIR);
	snprintf(db, sizeof(db), "%s/run.db", dir);
	po.root = root;
	cr_assert_eq(rtlab_probe_new(NULL, &po, &p), 0);
	cr_assert_eq(rtlab_probe_recorder_open(NULL, p, db, &ro, &r), 0);
	cr_assert_eq(rtlab_probe_recorder_sample(r), 0);
	rtlab_probe_recorder_close(r);
	rtlab_probe_free(p);
	exec_sql(dir, "DELETE FROM probe_sample");
}

/* probe_put - a sample of metric @name{@labels} at @t_ns: @value, or NULL with @state. */
static inline void probe_put(const char *dir, const char *name, const char *labels,
			     uint64_t t_ns, double value, int state)
{
	char path[PATH_MAX + 16];
	sqlite3_stmt *st;
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/run.db", dir);
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "INSERT INTO probe_sample SELECT ?1, id, ?2, ?3"
					" FROM probe_metric WHERE name = ?4 AND labels = ?5", -1,
					&st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, (int64_t)t_ns);
	if (state)
		sqlite3_bind_null(st, 2);
	else
		sqlite3_bind_double(st, 2, value);
	sqlite3_bind_int(st, 3, state);
	sqlite3_bind_text(st, 4, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, labels, -1, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
	cr_assert_eq(sqlite3_changes(db), 1, "no metric %s{%s}", name, labels);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* slurp - the whole file (malloc'ed, NUL-terminated), or NULL if it cannot be read. */
static inline char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* slurp_in - @dir/@name, which must exist. */
static inline char *slurp_in(const char *dir, const char *name)
{
	char path[PATH_MAX + 64];
	char *s;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	s = slurp(path);
	cr_assert_not_null(s, "%s: %s", path, strerror(errno));
	return s;
}

/* count_str - occurrences of @needle in @s. */
static inline size_t count_str(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* is_void - an HTML element without an end tag. */
static inline bool is_void(const char *name)
{
	static const char *const v[] = { "meta", "br", "img", "hr", "link", "input", "col", NULL };

	for (size_t i = 0; v[i]; i++)
		if (strcmp(v[i], name) == 0)
			return true;
	return false;
}

/* skip_past - the character after @end in @p, or NULL. */
static inline const char *skip_past(const char *p, const char *end)
{
	const char *q = strstr(p, end);

	return q ? q + strlen(end) : NULL;
}

/*
 * html_check - @s is well formed: every element closed in order (void ones
 * aside), every '<' starts a tag, every '&' an entity.  Returns NULL or why not.
 */
static inline const char *html_check(const char *s, char *why, size_t size)
{
	char stack[256][24];
	size_t depth = 0;
	const char *p = s;

	while (*p) {
		char name[24];
		size_t n = 0;
		bool close;

		if (*p == '&') {
			const char *q = p + 1;

			if (*q == '#')
				q++;
			while (isalnum((unsigned char)*q))
				q++;
			if (*q != ';' || q == p + 1)
				return snprintf(why, size, "bare & at %.40s", p), why;
			p = q + 1;
			continue;
		}
		if (*p != '<') {
			p++;
			continue;
		}
		if (strncmp(p, "<!--", 4) == 0 || strncmp(p, "<![CDATA[", 9) == 0 ||
		    strncmp(p, "<!", 2) == 0) {
			p = skip_past(p, strncmp(p, "<!--", 4) == 0 ? "-->" :
					 strncmp(p, "<![", 3) == 0 ? "]]>" : ">");
			if (!p)
				return snprintf(why, size, "unterminated <!"), why;
			continue;
		}
		close = p[1] == '/';
		p += close ? 2 : 1;
		while ((isalnum((unsigned char)*p) || *p == ':' || *p == '-') &&
		       n + 1 < sizeof(name))
			name[n++] = (char)tolower((unsigned char)*p++);
		name[n] = '\0';
		if (!n)
			return snprintf(why, size, "'<' that starts no tag at %.40s", p - 1), why;
		/* Attributes: skip to the '>' outside quotes. */
		for (char q = 0; *p && (q || *p != '>'); p++)
			q = q ? (*p == q ? 0 : q) : (*p == '"' || *p == '\'') ? *p : 0;
		if (!*p)
			return snprintf(why, size, "unterminated <%s", name), why;
		if (close) {
			if (!depth || strcmp(stack[depth - 1], name) != 0)
				return snprintf(why, size, "</%s> closes <%s>", name,
						depth ? stack[depth - 1] : "nothing"), why;
			depth--;
		} else if (p[-1] != '/' && !is_void(name)) {
			cr_assert_lt(depth, 256);
			snprintf(stack[depth++], sizeof(stack[0]), "%s", name);
		}
		p++;
	}
	if (depth)
		return snprintf(why, size, "<%s> never closed", stack[depth - 1]), why;
	return NULL;
}

/* assert_html - @html is well formed and one whole page. */
static inline void assert_html(const char *html)
{
	char why[256];
	const char *bad = html_check(html, why, sizeof(why));

	cr_assert_null(bad, "report.html: %s", bad ? bad : "");
	cr_assert(strncmp(html, "<!DOCTYPE html>", 15) == 0);
	cr_assert(strstr(html, "</html>"));
	cr_assert_null(strstr(html, "<?xml"), "an XML declaration inside the page");
}

/* have_gnuplot - gnuplot is on PATH (the report needs it). */
static inline bool have_gnuplot(void)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	for (const char *p = path ? path : ""; *p;) {
		size_t len = strcspn(p, ":");

		snprintf(buf, sizeof(buf), "%.*s/gnuplot", (int)len, p);
		if (access(buf, X_OK) == 0)
			return true;
		p += len + (p[len] == ':');
	}
	return false;
}

/* report_make - open @dir and write its report (into @out, NULL: @dir); 0 or the error. */
static inline int report_make(const char *dir, const char *out, unsigned max_points, char *err,
			      size_t size)
{
	struct rtlab_report_opts o = { .out_dir = out, .max_points = max_points };
	struct rtlab_report *rep;
	int r = rtlab_report_open(dir, &rep, err, size);

	if (r < 0)
		return r;
	r = rtlab_report_write(rep, &o, err, size);
	rtlab_report_free(rep);
	return r;
}

#endif /* RTLAB_TEST_RUN_H */
