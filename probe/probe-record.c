/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* probe-record.c - storing probe samples into SQLite, once or every interval on a thread. */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rtlab/probe-record.h>

#include "probe-internal.h"

#define DEFAULT_INTERVAL_NS UINT64_C(1000000000)
#define LABELS_MAX 4096

struct metric_slot {
	char *key;		/* name '\0' labels */
	size_t keylen;
	int64_t id;
};

struct rtlab_probe_recorder {
	struct rtlab_ctx *ctx;
	struct rtlab_probe *probe;
	struct rtlab_probe_data *data;
	uint64_t families;
	uint64_t interval_ns;
	sqlite3 *db;
	sqlite3_stmt *ins_metric, *ins_sample, *ins_problem;
	struct metric_slot *slots;	/* open addressing, power-of-two size */
	size_t nslots, nused;
	uint64_t t_ns;			/* time of the sample being stored */
	const char *family;		/* family of the samples being stored */
	int err;
	uint64_t samples;

	pthread_t thread;
	bool running;
	bool stop;
	pthread_mutex_t lock;
	pthread_cond_t wake;
};

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"CREATE TABLE IF NOT EXISTS probe_metric(id INTEGER PRIMARY KEY, family TEXT NOT NULL,"
	" name TEXT NOT NULL, labels TEXT NOT NULL, type TEXT NOT NULL, help TEXT,"
	" UNIQUE(name, labels));"
	"CREATE TABLE IF NOT EXISTS probe_sample(t_ns INTEGER NOT NULL,"
	" metric INTEGER NOT NULL REFERENCES probe_metric(id), value, state INTEGER NOT NULL);"
	"CREATE INDEX IF NOT EXISTS probe_sample_metric ON probe_sample(metric, t_ns);"
	"CREATE TABLE IF NOT EXISTS probe_problem(t_ns INTEGER NOT NULL, family TEXT NOT NULL,"
	" error INTEGER NOT NULL, why TEXT NOT NULL);";

/* hash - FNV-1a of @n bytes. */
static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * UINT64_C(1099511628211);
	return h;
}

/* slot_find - the slot holding @key, or the empty slot where it belongs. */
static struct metric_slot *slot_find(struct metric_slot *slots, size_t nslots, const char *key,
				     size_t keylen)
{
	size_t i = (size_t)hash(key, keylen) & (nslots - 1);

	while (slots[i].key &&
	       (slots[i].keylen != keylen || memcmp(slots[i].key, key, keylen) != 0))
		i = (i + 1) & (nslots - 1);
	return &slots[i];
}

/* slots_grow - double the table (rehash). */
static int slots_grow(struct rtlab_probe_recorder *r)
{
	size_t n = r->nslots ? r->nslots * 2 : 256;
	struct metric_slot *s = calloc(n, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < r->nslots; i++)
		if (r->slots[i].key)
			*slot_find(s, n, r->slots[i].key, r->slots[i].keylen) = r->slots[i];
	free(r->slots);
	r->slots = s;
	r->nslots = n;
	return 0;
}

/* labels_text - @l as k="v",... (Prometheus escaping) into @buf; false if it does not fit. */
static bool labels_text(const struct rtlab_label *l, size_t nl, char *buf, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < nl; i++) {
		int n = snprintf(buf + o, size - o, "%s%s=\"", i ? "," : "", l[i].name);

		if (n < 0 || (size_t)n >= size - o)
			return false;
		o += (size_t)n;
		for (const char *c = l[i].value ? l[i].value : ""; *c; c++) {
			const char *esc = *c == '\\' ? "\\\\" : *c == '"' ? "\\\"" :
					  *c == '\n' ? "\\n" : NULL;
			size_t k = esc ? strlen(esc) : 1;

			if (o + k + 2 >= size)
				return false;
			memcpy(buf + o, esc ? esc : c, k);
			o += k;
		}
		buf[o++] = '"';
	}
	buf[o] = '\0';
	return true;
}

/* metric_id - the row id of @m with labels @labels, inserted the first time. */
static int metric_id(struct rtlab_probe_recorder *r, const struct rtlab_metric *m,
		     const char *labels, int64_t *id)
{
	size_t nl = strlen(m->name), ll = strlen(labels), keylen = nl + 1 + ll;
	char key[LABELS_MAX + 256];
	struct metric_slot *s;

	if (keylen >= sizeof(key))
		return -ENAMETOOLONG;
	memcpy(key, m->name, nl + 1);
	memcpy(key + nl + 1, labels, ll);
	if ((r->nused + 1) * 2 > r->nslots && slots_grow(r) < 0)
		return -ENOMEM;
	s = slot_find(r->slots, r->nslots, key, keylen);
	if (s->key) {
		*id = s->id;
		return 0;
	}
	sqlite3_reset(r->ins_metric);
	sqlite3_bind_text(r->ins_metric, 1, r->family, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->ins_metric, 2, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->ins_metric, 3, labels, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->ins_metric, 4, m->type == RTLAB_METRIC_COUNTER ? "counter" : "gauge",
			  -1, SQLITE_STATIC);
	sqlite3_bind_text(r->ins_metric, 5, m->help, -1, SQLITE_STATIC);
	if (sqlite3_step(r->ins_metric) != SQLITE_ROW) {
		sqlite3_reset(r->ins_metric);
		return -EIO;
	}
	s->id = sqlite3_column_int64(r->ins_metric, 0);
	/* Finish the statement now: an open RETURNING statement blocks COMMIT. */
	sqlite3_reset(r->ins_metric);
	s->key = malloc(keylen);
	if (!s->key)
		return -ENOMEM;
	memcpy(s->key, key, keylen);
	s->keylen = keylen;
	r->nused++;
	*id = s->id;
	return 0;
}

/* on_family - remember the family of the samples that follow. */
static int on_family(void *arg, enum rtlab_probe_family f, const struct rtlab_probe_data *d)
{
	struct rtlab_probe_recorder *r = arg;

	(void)d;
	r->family = rtlab_probe_family_name(f);
	return 0;
}

/* on_sample - one row of probe_sample. */
static int on_sample(void *arg, const struct rtlab_metric *m, const struct rtlab_label *l,
		     size_t nl, const struct rtlab_mval *v)
{
	struct rtlab_probe_recorder *r = arg;
	char labels[LABELS_MAX];
	int64_t id;
	int e;

	if (!labels_text(l, nl, labels, sizeof(labels)))
		return 0;	/* a label set this long is not a metric worth a row */
	e = metric_id(r, m, labels, &id);
	if (e < 0)
		return e;
	sqlite3_reset(r->ins_sample);
	sqlite3_bind_int64(r->ins_sample, 1, (int64_t)r->t_ns);
	sqlite3_bind_int64(r->ins_sample, 2, id);
	if (v->st != RTLAB_PV_OK)
		sqlite3_bind_null(r->ins_sample, 3);
	else if (v->kind == RTLAB_MV_U64 && v->u <= INT64_MAX)
		sqlite3_bind_int64(r->ins_sample, 3, (int64_t)v->u);
	else if (v->kind == RTLAB_MV_U64)
		sqlite3_bind_double(r->ins_sample, 3, (double)v->u);
	else if (v->kind == RTLAB_MV_I64)
		sqlite3_bind_int64(r->ins_sample, 3, v->i);
	else
		sqlite3_bind_double(r->ins_sample, 3, v->f);
	sqlite3_bind_int(r->ins_sample, 4, v->st);
	return sqlite3_step(r->ins_sample) == SQLITE_DONE ? 0 : -EIO;
}

/* store_problems - one probe_problem row per family that had one in this sample. */
static int store_problems(struct rtlab_probe_recorder *r)
{
	for (unsigned f = 0; f < RTLAB_PF__COUNT; f++) {
		if (!(r->families & RTLAB_PF_BIT(f)) || r->data->t_ns[f] != r->t_ns ||
		    !r->data->why[f][0])
			continue;
		sqlite3_reset(r->ins_problem);
		sqlite3_bind_int64(r->ins_problem, 1, (int64_t)r->t_ns);
		sqlite3_bind_text(r->ins_problem, 2, rtlab_probe_family_name(f), -1, SQLITE_STATIC);
		sqlite3_bind_int(r->ins_problem, 3, r->data->err[f]);
		sqlite3_bind_text(r->ins_problem, 4, r->data->why[f], -1, SQLITE_STATIC);
		if (sqlite3_step(r->ins_problem) != SQLITE_DONE)
			return -EIO;
	}
	return 0;
}

/* rtlab_probe_recorder_sample - collect, then store everything in one transaction. */
int rtlab_probe_recorder_sample(struct rtlab_probe_recorder *r)
{
	const struct rtlab_probe_sink sink = { .arg = r, .family = on_family,
					       .sample = on_sample };
	int e;

	e = rtlab_probe_collect(r->probe, r->families, r->data);
	if (e < 0)
		return e;
	r->t_ns = 0;
	for (unsigned f = 0; f < RTLAB_PF__COUNT; f++)
		if ((r->families & RTLAB_PF_BIT(f)) && r->data->t_ns[f] > r->t_ns)
			r->t_ns = r->data->t_ns[f];
	if (sqlite3_exec(r->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return rtlab_err(r->ctx, -EIO, "probe record: %s", sqlite3_errmsg(r->db));
	e = rtlab_probe_emit(r->data, r->families, &sink);
	if (!e)
		e = store_problems(r);
	if (e < 0) {
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
		return rtlab_err(r->ctx, e, "probe record: cannot store a sample: %s",
				 e == -EIO ? sqlite3_errmsg(r->db) : strerror(-e));
	}
	if (sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return rtlab_err(r->ctx, -EIO, "probe record: %s", sqlite3_errmsg(r->db));
	r->samples++;
	return 0;
}

/* prepare - compile the insert statements. */
static int prepare(struct rtlab_probe_recorder *r)
{
	static const char *const sql[] = {
		"INSERT INTO probe_metric(family, name, labels, type, help) VALUES(?,?,?,?,?)"
		" ON CONFLICT(name, labels) DO UPDATE SET family=excluded.family RETURNING id",
		"INSERT INTO probe_sample(t_ns, metric, value, state) VALUES(?,?,?,?)",
		"INSERT INTO probe_problem(t_ns, family, error, why) VALUES(?,?,?,?)",
	};
	sqlite3_stmt **st[] = { &r->ins_metric, &r->ins_sample, &r->ins_problem };

	for (size_t i = 0; i < RTLAB_ARRAY_SIZE(sql); i++)
		if (sqlite3_prepare_v2(r->db, sql[i], -1, st[i], NULL) != SQLITE_OK)
			return -EIO;
	return 0;
}

/* rtlab_probe_recorder_open - open (create) the database and its tables. */
int rtlab_probe_recorder_open(struct rtlab_ctx *ctx, struct rtlab_probe *p, const char *db_path,
			      const struct rtlab_probe_recorder_opts *opts,
			      struct rtlab_probe_recorder **ret)
{
	struct rtlab_probe_recorder *r;
	pthread_condattr_t ca;

	if (!p || !db_path || !*db_path)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->ctx = ctx;
	r->probe = p;
	r->families = opts && opts->families ? opts->families : RTLAB_PROBE_DEFAULT;
	r->interval_ns = opts && opts->interval_ns ? opts->interval_ns : DEFAULT_INTERVAL_NS;
	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->wake, &ca);
	pthread_condattr_destroy(&ca);
	r->data = rtlab_probe_data_new();
	if (!r->data) {
		rtlab_probe_recorder_close(r);
		return -ENOMEM;
	}
	/* Another connection (a run's writer) may hold the write lock for a moment. */
	if (sqlite3_open_v2(db_path, &r->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(r->db, 5000) != SQLITE_OK ||
	    sqlite3_exec(r->db, schema, NULL, NULL, NULL) != SQLITE_OK || prepare(r) < 0) {
		int e = rtlab_err(ctx, -EIO, "probe record: %s: %s", db_path,
				  r->db ? sqlite3_errmsg(r->db) : "cannot open");

		rtlab_probe_recorder_close(r);
		return e;
	}
	*ret = r;
	return 0;
}

/* recorder_thread - a sample every interval, on absolute times, until stop. */
static void *recorder_thread(void *arg)
{
	struct rtlab_probe_recorder *r = arg;
	uint64_t next = rtlab_now_ns();

	pthread_mutex_lock(&r->lock);
	while (!r->stop) {
		struct timespec ts;
		int e;

		pthread_mutex_unlock(&r->lock);
		e = rtlab_probe_recorder_sample(r);
		pthread_mutex_lock(&r->lock);
		if (e < 0 && !r->err)
			r->err = e;
		next += r->interval_ns;
		/* Behind by more than a period (a slow disk): skip, do not burst. */
		if (rtlab_now_ns() > next)
			next = rtlab_now_ns();
		ts = rtlab_ts_from_ns(next);
		while (!r->stop && pthread_cond_timedwait(&r->wake, &r->lock, &ts) == 0)
			;
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* rtlab_probe_recorder_start - the sampling thread. */
int rtlab_probe_recorder_start(struct rtlab_probe_recorder *r)
{
	int e;

	if (r->running)
		return -EALREADY;
	r->stop = false;
	e = pthread_create(&r->thread, NULL, recorder_thread, r);
	if (e)
		return rtlab_err(r->ctx, -e, "probe record: cannot start the thread");
	r->running = true;
	return 0;
}

/* rtlab_probe_recorder_stop - wake the thread and wait for it. */
int rtlab_probe_recorder_stop(struct rtlab_probe_recorder *r)
{
	if (r->running) {
		pthread_mutex_lock(&r->lock);
		r->stop = true;
		pthread_cond_signal(&r->wake);
		pthread_mutex_unlock(&r->lock);
		pthread_join(r->thread, NULL);
		r->running = false;
	}
	return r->err;
}

/* rtlab_probe_recorder_samples - samples stored. */
uint64_t rtlab_probe_recorder_samples(const struct rtlab_probe_recorder *r)
{
	return r->samples;
}

/* rtlab_probe_recorder_close - stop, finalize, close, free. */
struct rtlab_probe_recorder *rtlab_probe_recorder_close(struct rtlab_probe_recorder *r)
{
	if (!r)
		return NULL;
	rtlab_probe_recorder_stop(r);
	sqlite3_finalize(r->ins_metric);
	sqlite3_finalize(r->ins_sample);
	sqlite3_finalize(r->ins_problem);
	sqlite3_close(r->db);
	for (size_t i = 0; i < r->nslots; i++)
		free(r->slots[i].key);
	free(r->slots);
	rtlab_probe_data_free(r->data);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
	free(r);
	return NULL;
}
