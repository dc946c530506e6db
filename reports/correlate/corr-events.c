/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * corr-events.c - a CPU's time line before a spike, from the trace_event rows:
 * sched_switch intervals, hard IRQ and softirq entry/exit pairs, syscalls in
 * flight, and the wake-ups of the measured thread on any CPU.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "correlate/correlate-internal.h"

#define OPEN_MAX 16	/* open IRQs, softirqs or syscalls followed at once */

/* What a row is. */
enum ev_kind {
	EV_SWITCH,
	EV_WAKING,
	EV_WAKEUP,
	EV_IRQ_IN,
	EV_IRQ_OUT,
	EV_SOFT_IN,
	EV_SOFT_OUT,
	EV_SYS_IN,
	EV_SYS_OUT,
	EV_OTHER,
};

static const struct {
	const char *event;
	enum ev_kind kind;
} ev_kinds[] = {
	{ "sched:sched_switch", EV_SWITCH },
	{ "sched:sched_waking", EV_WAKING },
	{ "sched:sched_wakeup", EV_WAKEUP },
	{ "irq:irq_handler_entry", EV_IRQ_IN },
	{ "irq:irq_handler_exit", EV_IRQ_OUT },
	{ "irq:softirq_entry", EV_SOFT_IN },
	{ "irq:softirq_exit", EV_SOFT_OUT },
	{ "raw_syscalls:sys_enter", EV_SYS_IN },
	{ "raw_syscalls:sys_exit", EV_SYS_OUT },
};

/* The rows of one CPU in a window: every kind on the spike's CPU, wake-ups elsewhere. */
static const char *const ev_sql[2] = {
	"SELECT t_ns, pid, comm, event, fields FROM trace_event WHERE cpu = ?1"
	" AND t_ns BETWEEN ?2 AND ?3 ORDER BY t_ns, rowid",
	"SELECT t_ns, pid, comm, event, fields FROM trace_event WHERE cpu = ?1"
	" AND t_ns BETWEEN ?2 AND ?3 AND event IN ('sched:sched_waking', 'sched:sched_wakeup')"
	" ORDER BY t_ns, rowid",
};

/* One decoded row. */
struct ev {
	uint64_t t_ns;
	int cpu, pid;
	const char *comm;
	enum ev_kind kind;
	json_t *f;		/* its fields */
};

/* The time line being built. */
struct tl {
	struct rtlab_corr_spike *s;
	uint64_t from_ns, to_ns;		/* the window */
	bool have_cur;
	struct rtlab_corr_item cur;		/* the task running now */
	uint64_t cur_seen_ns;			/* the last event showing it current */
	struct rtlab_corr_item open[OPEN_MAX];	/* IRQs, softirqs, syscalls begun, not ended */
	size_t nopen;
	size_t cap;
};

/* fnum - integer field @name of @f, or @dflt. */
static int fnum(json_t *f, const char *name, int dflt)
{
	json_t *v = json_object_get(f, name);

	return json_is_integer(v) ? (int)json_integer_value(v) : dflt;
}

/* fstr - string field @name of @f, or NULL. */
static const char *fstr(json_t *f, const char *name)
{
	return json_string_value(json_object_get(f, name));
}

/* item - an item of @kind from @start_ns, everything else unknown. */
static struct rtlab_corr_item item(enum rtlab_corr_kind kind, uint64_t start_ns, int cpu)
{
	return (struct rtlab_corr_item){ .kind = kind, .start_ns = start_ns, .end_ns = start_ns,
					 .cpu = cpu, .pid = -1, .prio = RTLAB_CORR_PRIO_NONE,
					 .num = -1 };
}

/* push - @it onto the spike's time line; 0 or -ENOMEM. */
static int push(struct tl *tl, const struct rtlab_corr_item *it)
{
	struct rtlab_corr_spike *s = tl->s;

	if (s->nitems == tl->cap) {
		size_t cap = tl->cap ? 2 * tl->cap : 64;
		void *v = realloc(s->items, cap * sizeof(*s->items));

		if (!v)
			return -ENOMEM;
		s->items = v;
		tl->cap = cap;
	}
	s->items[s->nitems++] = *it;
	return 0;
}

/* close_at - @it ends at @t_ns and goes onto the time line. */
static int close_at(struct tl *tl, struct rtlab_corr_item *it, uint64_t t_ns, bool open_end)
{
	it->end_ns = t_ns;
	it->open_end = open_end;
	return push(tl, it);
}

/* start_cur - the task current since the window's start: @pid, @comm, @prio. */
static void start_cur(struct tl *tl, int pid, const char *comm, int prio)
{
	tl->cur = item(RTLAB_CORR_RUN, tl->from_ns, tl->s->cpu);
	tl->cur.open_start = true;
	tl->cur.pid = pid;
	tl->cur.prio = prio;
	corr_copy(tl->cur.name, sizeof(tl->cur.name), comm);
	tl->have_cur = true;
	tl->cur_seen_ns = tl->from_ns;
}

/*
 * missed_switch - an event shows @pid current on the CPU while the time line
 * has another task there: the switch to @pid was not recorded.  The task the
 * time line had ends at its last sign of life; @pid ran from then (inferred).
 */
static int missed_switch(struct tl *tl, int pid, const char *comm, int prio)
{
	uint64_t from = tl->cur_seen_ns;
	int r = close_at(tl, &tl->cur, from, false);

	tl->cur = item(RTLAB_CORR_RUN, from, tl->s->cpu);
	tl->cur.inferred = true;
	tl->cur.pid = pid;
	tl->cur.prio = prio;
	corr_copy(tl->cur.name, sizeof(tl->cur.name), comm);
	return r;
}

/* on_switch - the running task ends, the next one starts. */
static int on_switch(struct tl *tl, const struct ev *e)
{
	int next = fnum(e->f, "next_pid", -1), r;

	int prev = fnum(e->f, "prev_pid", -1);

	if (!tl->have_cur)
		start_cur(tl, prev, fstr(e->f, "prev_comm"),
			  fnum(e->f, "prev_prio", RTLAB_CORR_PRIO_NONE));
	else if (prev >= 0 && prev != tl->cur.pid &&
		 missed_switch(tl, prev, fstr(e->f, "prev_comm"),
			       fnum(e->f, "prev_prio", RTLAB_CORR_PRIO_NONE)) < 0)
		return -ENOMEM;
	r = close_at(tl, &tl->cur, e->t_ns, false);
	tl->cur = item(RTLAB_CORR_RUN, e->t_ns, e->cpu);
	tl->cur.pid = next;
	tl->cur_seen_ns = e->t_ns;
	tl->cur.prio = fnum(e->f, "next_prio", RTLAB_CORR_PRIO_NONE);
	corr_copy(tl->cur.name, sizeof(tl->cur.name), fstr(e->f, "next_comm"));
	if (next == tl->s->tid && next > 0) {
		tl->s->has_switch_in = true;
		tl->s->switch_in_ns = e->t_ns;
		if (tl->cur.prio != RTLAB_CORR_PRIO_NONE)
			tl->s->task_prio = tl->cur.prio;
	}
	return r;
}

/* on_wake - a wake-up of the measured thread: an item, and the last time of its kind. */
static int on_wake(struct tl *tl, const struct ev *e)
{
	struct rtlab_corr_item it = item(RTLAB_CORR_WAKE, e->t_ns, e->cpu);

	if (tl->s->tid <= 0 || fnum(e->f, "pid", -1) != tl->s->tid)
		return 0;
	it.pid = tl->s->tid;
	it.num = e->kind == EV_WAKING;
	corr_copy(it.name, sizeof(it.name), it.num ? "sched_waking" : "sched_wakeup");
	return push(tl, &it);
}

/* on_begin - an IRQ, softirq or syscall begins: it is open until its end. */
static int on_begin(struct tl *tl, const struct ev *e)
{
	static const enum rtlab_corr_kind kinds[] = {
		[EV_IRQ_IN] = RTLAB_CORR_IRQ, [EV_SOFT_IN] = RTLAB_CORR_SOFTIRQ,
		[EV_SYS_IN] = RTLAB_CORR_SYSCALL,
	};
	struct rtlab_corr_item it = item(kinds[e->kind], e->t_ns, e->cpu);

	if (tl->nopen == OPEN_MAX)
		return 0;
	if (e->kind == EV_IRQ_IN) {
		it.num = fnum(e->f, "irq", -1);
		corr_copy(it.name, sizeof(it.name), fstr(e->f, "name"));
	} else if (e->kind == EV_SOFT_IN) {
		it.num = fnum(e->f, "vec", -1);
		corr_copy(it.name, sizeof(it.name), corr_softirq_name(it.num));
	} else {
		it.num = fnum(e->f, "id", -1);
		it.pid = e->pid;
		corr_copy(it.name, sizeof(it.name), e->comm);
	}
	tl->open[tl->nopen++] = it;
	return 0;
}

/* matches - @it is what the end event @e ends. */
static bool matches(const struct rtlab_corr_item *it, const struct ev *e)
{
	switch (e->kind) {
	case EV_IRQ_OUT:
		return it->kind == RTLAB_CORR_IRQ && it->num == fnum(e->f, "irq", -2);
	case EV_SOFT_OUT:
		return it->kind == RTLAB_CORR_SOFTIRQ && it->num == fnum(e->f, "vec", -2);
	default:
		return it->kind == RTLAB_CORR_SYSCALL && it->pid == e->pid;
	}
}

/* unmatched - the end of something begun before the window: from the window's start. */
static struct rtlab_corr_item unmatched(const struct tl *tl, const struct ev *e)
{
	static const enum rtlab_corr_kind kinds[] = {
		[EV_IRQ_OUT] = RTLAB_CORR_IRQ, [EV_SOFT_OUT] = RTLAB_CORR_SOFTIRQ,
		[EV_SYS_OUT] = RTLAB_CORR_SYSCALL,
	};
	struct rtlab_corr_item it = item(kinds[e->kind], tl->from_ns, e->cpu);

	it.open_start = true;
	if (e->kind == EV_IRQ_OUT) {
		it.num = fnum(e->f, "irq", -1);
	} else if (e->kind == EV_SOFT_OUT) {
		it.num = fnum(e->f, "vec", -1);
		corr_copy(it.name, sizeof(it.name), corr_softirq_name(it.num));
	} else {
		it.num = fnum(e->f, "id", -1);
		it.pid = e->pid;
		corr_copy(it.name, sizeof(it.name), e->comm);
	}
	return it;
}

/* on_end - an IRQ, softirq or syscall ends; a syscall is kept if it was in the gap. */
static int on_end(struct tl *tl, const struct ev *e)
{
	struct rtlab_corr_item it;
	size_t i = tl->nopen;

	while (i > 0 && !matches(&tl->open[i - 1], e))
		i--;
	if (i == 0) {
		it = unmatched(tl, e);
	} else {
		it = tl->open[i - 1];
		memmove(&tl->open[i - 1], &tl->open[i], (tl->nopen - i) * sizeof(tl->open[0]));
		tl->nopen--;
	}
	if (it.kind == RTLAB_CORR_SYSCALL && e->t_ns <= tl->s->programmed_ns)
		return 0;
	return close_at(tl, &it, e->t_ns, false);
}

/* on_event - one row of the spike's CPU or, for wake-ups, of any CPU. */
static int on_event(struct tl *tl, const struct ev *e)
{
	bool wake = e->kind == EV_WAKING || e->kind == EV_WAKEUP;

	if (e->cpu != tl->s->cpu || e->kind == EV_OTHER)
		return wake ? on_wake(tl, e) : 0;
	if (!tl->have_cur && e->kind != EV_SWITCH)
		start_cur(tl, e->pid, e->comm, RTLAB_CORR_PRIO_NONE);
	/* Any event but a switch shows which task is current (common_pid). */
	if (e->kind != EV_SWITCH && e->pid >= 0 && e->pid != tl->cur.pid &&
	    missed_switch(tl, e->pid, e->comm, RTLAB_CORR_PRIO_NONE) < 0)
		return -ENOMEM;
	if (e->kind != EV_SWITCH)
		tl->cur_seen_ns = e->t_ns;
	if (wake)
		return on_wake(tl, e);
	switch (e->kind) {
	case EV_SWITCH:
		return on_switch(tl, e);
	case EV_IRQ_IN:
	case EV_SOFT_IN:
	case EV_SYS_IN:
		return on_begin(tl, e);
	default:
		return on_end(tl, e);
	}
}

/* ev_kind_of - the kind of event @name. */
static enum ev_kind ev_kind_of(const char *name)
{
	for (size_t i = 0; name && i < sizeof(ev_kinds) / sizeof(ev_kinds[0]); i++)
		if (strcmp(ev_kinds[i].event, name) == 0)
			return ev_kinds[i].kind;
	return EV_OTHER;
}

/* read_cpu - the rows of @cpu in the window through @st (one of ev_sql). */
static int read_cpu(sqlite3_stmt *st, struct tl *tl, int cpu)
{
	int r = 0, rc;

	sqlite3_bind_int(st, 1, cpu);
	sqlite3_bind_int64(st, 2, (int64_t)tl->from_ns);
	sqlite3_bind_int64(st, 3, (int64_t)tl->to_ns);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *fields = (const char *)sqlite3_column_text(st, 4);
		struct ev e = { (uint64_t)sqlite3_column_int64(st, 0), cpu,
				sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 :
									 sqlite3_column_int(st, 1),
				(const char *)sqlite3_column_text(st, 2),
				ev_kind_of((const char *)sqlite3_column_text(st, 3)), NULL };

		e.f = fields ? json_loads(fields, 0, NULL) : NULL;
		if (!e.f)
			e.f = json_object();
		if (!e.f)
			return -ENOMEM;
		r = on_event(tl, &e);
		json_decref(e.f);
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = -EIO;
	sqlite3_reset(st);
	return r;
}

/*
 * pick_wakeup - the wake-up that let the thread run: the last one before its
 * switch-in (or the spike), sched_waking (when it began) rather than
 * sched_wakeup (when it was done) when both were recorded.
 */
static void pick_wakeup(struct rtlab_corr_spike *s)
{
	uint64_t limit = s->has_switch_in ? s->switch_in_ns : s->t_ns, last[2] = { 0, 0 };
	bool seen[2] = { false, false };

	for (size_t i = 0; i < s->nitems; i++) {
		const struct rtlab_corr_item *it = &s->items[i];

		if (it->kind != RTLAB_CORR_WAKE || it->start_ns > limit)
			continue;
		if (!seen[it->num] || it->start_ns > last[it->num])
			last[it->num] = it->start_ns;
		seen[it->num] = true;
	}
	s->has_wakeup = seen[0] || seen[1];
	s->wakeup_ns = seen[1] ? last[1] : last[0];
}

/* finish - close what is still open at the spike. */
static int finish(struct tl *tl)
{
	int r = 0;

	if (tl->have_cur)
		r = close_at(tl, &tl->cur, tl->to_ns, true);
	for (size_t i = 0; r == 0 && i < tl->nopen; i++)
		r = close_at(tl, &tl->open[i], tl->to_ns, true);
	return r;
}

/* cmp_item - by start time, then kind, for qsort. */
static int cmp_item(const void *a, const void *b)
{
	const struct rtlab_corr_item *x = a, *y = b;

	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	return (x->kind > y->kind) - (x->kind < y->kind);
}

/* corr_events_read - the spike's CPU first, then the wake-ups on the others. */
int corr_events_read(sqlite3 *db, struct rtlab_corr_spike *s, int max_cpu)
{
	struct tl tl = { .s = s, .from_ns = s->t_ns - s->window_ns, .to_ns = s->t_ns };
	sqlite3_stmt *st[2] = { NULL, NULL };
	int r = 0;

	for (int i = 0; i < 2; i++)
		if (sqlite3_prepare_v2(db, ev_sql[i], -1, &st[i], NULL) != SQLITE_OK)
			r = -EIO;
	if (r == 0)
		r = read_cpu(st[0], &tl, s->cpu);
	for (int cpu = 0; r == 0 && cpu <= max_cpu; cpu++)
		if (cpu != s->cpu)
			r = read_cpu(st[1], &tl, cpu);
	if (r == 0)
		r = finish(&tl);
	if (r == 0)
		pick_wakeup(s);
	sqlite3_finalize(st[0]);
	sqlite3_finalize(st[1]);
	if (r == 0)
		qsort(s->items, s->nitems, sizeof(*s->items), cmp_item);
	return r;
}
