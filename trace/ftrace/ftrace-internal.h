/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ftrace-internal.h - the ftrace recorder's parts: names, instance, page spool, parser, store. */
#ifndef RTLAB_FTRACE_INTERNAL_H
#define RTLAB_FTRACE_INTERNAL_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <rtlab/ftrace.h>

#include "core-internal.h"

struct tep_handle;
struct tep_event;
struct tep_record;
struct kbuffer;
struct tracefs_instance;
struct sqlite3;

#define FTRACE_NAME_MAX 64
#define FTRACE_FILTER_MAX 4096

/* ---- ftrace-spec.c: pure helpers (names, filters, stats) ---- */

/* An event spec split into system and event globs ("*" for "event" alone). */
struct ftrace_spec {
	char system[FTRACE_NAME_MAX];
	char event[FTRACE_NAME_MAX];
};

/* ftrace_spec_parse - "sys:ev", "ev", globs; -EINVAL for an empty part or bad characters. */
int ftrace_spec_parse(const char *s, struct ftrace_spec *ret);

/*
 * ftrace_filter_build - @filter (or NULL) and'ed with "common_pid == P || ..."
 * for @pids into @buf.  Returns the length or -EINVAL (bad pid), -ENOSPC.
 */
int ftrace_filter_build(const char *filter, const pid_t *pids, size_t npids, char *buf,
			size_t size);

/* ftrace_instance_name_parse - pid of "rtlab-<pid>-<n>", or -EINVAL. */
int ftrace_instance_name_parse(const char *name, pid_t *ret_pid);

/* ftrace_stats_parse - "overrun:" and "dropped events:" of a per_cpu/cpuN/stats text. */
int ftrace_stats_parse(const char *text, uint64_t *ret_overrun, uint64_t *ret_dropped);

/* ---- ftrace-fs.c: tracefs itself ---- */

/* ftrace_fs_find - the tracefs mount point into @buf; -ENOENT when none. */
int ftrace_fs_find(const struct rtlab_ctx *ctx, char *buf, size_t size);

/* ftrace_fs_mount - find tracefs or mount it at /sys/kernel/tracing (*ret_mounted). */
int ftrace_fs_mount(const struct rtlab_ctx *ctx, char *buf, size_t size, bool *ret_mounted);

/* ftrace_fs_read - the whole of <dir>/<file>, NUL-terminated, malloc'd; NULL with errno. */
char *ftrace_fs_read(const char *dir, const char *file, size_t *ret_len);

/* ftrace_instance_disable - events off, tracing off in instance folder @dir. */
void ftrace_instance_disable(const char *dir);

/* ---- ftrace-spool.c: raw pages kept aside until they are parsed ---- */

/* A page as kept: the CPU, its payload length and the times of its first and last event. */
struct ftrace_page_hdr {
	uint32_t cpu;
	uint32_t len;
	uint64_t t_first, t_last;
};

struct ftrace_spool {
	size_t page_size;		/* bytes per page slot */
	size_t slot;			/* header + page_size */
	unsigned char *mem;		/* in-memory pages */
	size_t mem_cap, mem_n;		/* slots */
	int fd;				/* unnamed temporary file, -1 until needed */
	uint64_t file_n;		/* slots in the file */
};

int ftrace_spool_init(struct ftrace_spool *sp, size_t page_size, size_t mem_pages);
void ftrace_spool_free(struct ftrace_spool *sp);
/* ftrace_spool_add - keep one page; 0 or -errno. */
int ftrace_spool_add(struct ftrace_spool *sp, const struct ftrace_page_hdr *h, const void *page);
/* ftrace_spool_flush - every page in memory to the file. */
int ftrace_spool_flush(struct ftrace_spool *sp);
/*
 * ftrace_spool_trim - pages in memory that end before @horizon_ns: into the
 * file when @keep says so, dropped otherwise; *@ret_dropped counts dropped pages.
 */
int ftrace_spool_trim(struct ftrace_spool *sp, uint64_t horizon_ns,
		      bool (*keep)(const struct ftrace_page_hdr *h, void *data), void *data,
		      uint64_t *ret_dropped);
/* ftrace_spool_each - call @fn on every page (file first, then memory); stops on < 0. */
int ftrace_spool_each(struct ftrace_spool *sp,
		      int (*fn)(const struct ftrace_page_hdr *h, void *page, void *data),
		      void *data);

/* ---- ftrace-json.c: an event's own fields as JSON ---- */

/* A growing text buffer, reused from event to event. */
struct ftrace_buf {
	char *p;			/* NUL-terminated */
	size_t len, cap;
};

void ftrace_buf_free(struct ftrace_buf *b);

/*
 * ftrace_fields_json - @rec's fields (common_* left out) as a compact JSON
 * object into @b (replacing what it held); 0 or -ENOMEM.
 */
int ftrace_fields_json(struct ftrace_buf *b, struct tep_event *ev, const struct tep_record *rec);

/* ---- ftrace-comm.c: pid -> comm, learnt from the events themselves ---- */

struct ftrace_comms;

struct ftrace_comms *ftrace_comms_new(void);
void ftrace_comms_free(struct ftrace_comms *c);
/* ftrace_comms_learn - remember the comm/pid pairs an event carries (prev_, next_, plain). */
void ftrace_comms_learn(struct ftrace_comms *c, struct tep_event *ev, struct tep_record *rec);
/* ftrace_comms_get - the comm of @pid, or NULL. */
const char *ftrace_comms_get(const struct ftrace_comms *c, int pid);

/* ---- ftrace-db.c: the trace tables ---- */

struct ftrace_db;

/* ftrace_db_open - a connection to @path; @schema: create the trace tables if missing. */
int ftrace_db_open(const struct rtlab_ctx *ctx, const char *path, bool schema,
		   struct ftrace_db **ret);
void ftrace_db_close(struct ftrace_db *db);
struct sqlite3 *ftrace_db_sqlite(struct ftrace_db *db);
int ftrace_db_event(struct ftrace_db *db, uint64_t t_ns, int cpu, int pid, const char *comm,
		    const char *event, const char *fields);
int ftrace_db_lost(struct ftrace_db *db, int cpu, const char *source, uint64_t count);
int ftrace_db_window(struct ftrace_db *db, uint64_t start_ns, uint64_t end_ns,
		     const char *reason);
int ftrace_db_page(struct ftrace_db *db, int cpu, uint64_t seq, const void *data, size_t len);
int ftrace_db_format(struct ftrace_db *db, const char *system, const char *name, int id,
		     const char *format);
int ftrace_db_meta(struct ftrace_db *db, const char *key, const char *value);
/* ftrace_db_commit - end the open batch. */
int ftrace_db_commit(struct ftrace_db *db);
/* ftrace_db_begin_bulk - one immediate transaction, synchronous=OFF, until commit/rollback. */
int ftrace_db_begin_bulk(struct ftrace_db *db);
/* ftrace_db_index_drop / _make - trace_event's index, dropped and built again around a bulk. */
int ftrace_db_index_drop(struct ftrace_db *db);
int ftrace_db_index_make(struct ftrace_db *db);
/* ftrace_db_rollback - drop the open transaction. */
void ftrace_db_rollback(struct ftrace_db *db);

/* ---- ftrace-load.c: what parsing the stored pages needs, read back from run.db ---- */

/* The trace_meta keys. */
#define FTRACE_META_HEADER_PAGE "header_page"
#define FTRACE_META_LONG_SIZE "long_size"
#define FTRACE_META_BIG_ENDIAN "big_endian"
#define FTRACE_META_PAGE_SIZE "page_size"
#define FTRACE_META_NCPUS "ncpus"
#define FTRACE_META_KEEP_NS "keep_ns"
#define FTRACE_META_CMDLINES "saved_cmdlines"
#define FTRACE_META_MATERIALIZED "materialized"

/* A span of kept time (breaktrace). */
struct ftrace_window {
	uint64_t lo, hi;
};

/* The parser of one run: formats, page layout, windows. */
struct ftrace_loaded {
	struct tep_handle *tep;
	struct kbuffer *kb;
	size_t page_size;
	int ncpus;
	uint64_t keep_ns;		/* 0: every event is kept */
	struct ftrace_window *win;	/* merged, sorted */
	size_t nwin;
};

/*
 * ftrace_load - read trace_meta, trace_format and trace_window of @db into
 * @ret; -ENODATA when no recording was stored, -EBADMSG (logged, naming
 * the row) when one is unusable.
 */
int ftrace_load(const struct rtlab_ctx *ctx, struct ftrace_db *db, struct ftrace_loaded *ret);
void ftrace_loaded_free(struct ftrace_loaded *l);
/* ftrace_windows_has - whether @t_ns lies in one of @n merged windows. */
bool ftrace_windows_has(const struct ftrace_window *w, size_t n, uint64_t t_ns);
/* ftrace_windows_meet - whether [lo, hi] meets one of @n merged windows. */
bool ftrace_windows_meet(const struct ftrace_window *w, size_t n, uint64_t lo, uint64_t hi);
/*
 * ftrace_page_check - whether @len bytes at @page hold a whole sub-buffer
 * for a kernel of @long_size; 0, or -EBADMSG with the reason in @why.
 */
int ftrace_page_check(const void *page, size_t len, size_t page_size, int long_size,
		      bool big_endian, char *why, size_t size);

/* ---- the recorder ---- */

/* A resolved event: its names, its filter, its id, how many were read. */
struct ftrace_event {
	char system[FTRACE_NAME_MAX];
	char name[FTRACE_NAME_MAX];
	char full[2 * FTRACE_NAME_MAX];	/* "system:name" */
	int spec;			/* the index of the spec that named it */
	int id;
	char *format;			/* its events/<system>/<name>/format text */
	uint64_t count;
};

struct rtlab_ftrace {
	struct rtlab_ctx *ctx;
	char db_path[PATH_MAX];
	char name[FTRACE_NAME_MAX];
	char tracing_dir[PATH_MAX];
	char inst_dir[PATH_MAX];
	bool mounted;			/* tracefs mounted by this recorder */
	bool created;			/* the instance folder exists */
	struct tracefs_instance *inst;
	struct tep_handle *tep;		/* the recorded events' formats only */
	char *header_page;		/* events/header_page text */
	struct kbuffer *kb;		/* page parser: the kernel's long size, endianness */
	struct ftrace_event *evs;
	size_t nevs;
	int ncpus;
	int *fds;			/* per-CPU trace_pipe_raw, O_NONBLOCK */
	int wake_fd;			/* eventfd: wakes the reader to stop */
	struct ftrace_db *db;
	struct ftrace_window *win;	/* merged spike windows, at stop */
	size_t nwin;
	struct ftrace_spool spool;
	unsigned char *page;		/* read buffer */
	pthread_t thread;
	bool started, stopped;
	int quit;			/* atomic: the reader ends */
	int reader_err;
	uint64_t keep_ns;
	bool defer_parse;
	char reason[64];
	uint64_t spike[RTLAB_FTRACE_MAX_SPIKES];
	uint64_t nspikes;		/* atomic: slots taken (may exceed the array) */
	uint64_t over_min, over_max;	/* atomic: spikes past the array */
	uint64_t pages_dropped;		/* pages outside every window */
	struct rtlab_ftrace_stats st;
};

/* ftrace_reader - the recorder thread. */
void *ftrace_reader(void *arg);
/* ftrace_drain - read every CPU's buffer until it is empty; 0 or -errno. */
int ftrace_drain(struct rtlab_ftrace *f);
/* ftrace_page_keep - whether a page overlaps a spike window (keep mode). */
bool ftrace_page_keep(const struct ftrace_page_hdr *h, void *data);
/*
 * ftrace_store_all - at stop: lost counts, windows, the parser's meta and
 * formats, and the kept pages (counting their events per type); 0 or -errno.
 */
int ftrace_store_all(struct rtlab_ftrace *f, struct ftrace_db *db);

/* ftrace_setup - create the instance, clock, buffers, events, filters (open's work). */
int ftrace_setup(struct rtlab_ftrace *f, const struct rtlab_ftrace_opts *o);
/* ftrace_enable - every event on, then tracing_on; on failure nothing stays enabled. */
int ftrace_enable(struct rtlab_ftrace *f);
/* ftrace_teardown - disable, close the buffers, remove the instance, unmount. */
void ftrace_teardown(struct rtlab_ftrace *f);

#endif /* RTLAB_FTRACE_INTERNAL_H */
