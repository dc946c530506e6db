/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ftrace-comm.c - pid -> comm learnt from the events (sched_switch, sched_wakeup...). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "ftrace-internal.h"

#define COMMS_SLOTS 16384	/* power of two */
#define COMMS_CACHE 16		/* events whose comm/pid fields are looked up */
#define COMM_LEN 16

/* The field pairs that name a task: "<p>comm" with "<p>pid". */
static const char *const pair_prefix[] = { "prev_", "next_", "" };
#define NPAIRS (sizeof(pair_prefix) / sizeof(pair_prefix[0]))

struct comm_slot {
	int pid;		/* 0: empty */
	char comm[COMM_LEN];
};

struct comm_cache {
	const struct tep_event *ev;
	struct tep_format_field *comm[NPAIRS], *pid[NPAIRS];
};

struct ftrace_comms {
	struct comm_slot slot[COMMS_SLOTS];
	struct comm_cache cache[COMMS_CACHE];
	size_t ncache;
};

/* ftrace_comms_new - an empty map. */
struct ftrace_comms *ftrace_comms_new(void)
{
	return calloc(1, sizeof(struct ftrace_comms));
}

/* ftrace_comms_free - free it (NULL is fine). */
void ftrace_comms_free(struct ftrace_comms *c)
{
	free(c);
}

/* comm_find - the slot of @pid, or the empty slot where it would go (NULL: full). */
static struct comm_slot *comm_find(const struct ftrace_comms *c, int pid)
{
	unsigned int h = ((unsigned int)pid * 2654435761u) & (COMMS_SLOTS - 1);

	for (unsigned int i = 0; i < COMMS_SLOTS; i++) {
		const struct comm_slot *s = &c->slot[(h + i) & (COMMS_SLOTS - 1)];

		if (s->pid == pid || s->pid == 0)
			return (struct comm_slot *)s;
	}
	return NULL;
}

/* comm_set - remember @comm for @pid. */
static void comm_set(struct ftrace_comms *c, int pid, const char *comm, size_t n)
{
	struct comm_slot *s;

	if (pid <= 0)
		return;
	s = comm_find(c, pid);
	if (!s)
		return;
	s->pid = pid;
	n = strnlen(comm, n < COMM_LEN - 1 ? n : COMM_LEN - 1);
	memcpy(s->comm, comm, n);
	s->comm[n] = '\0';
}

/* cache_get - the comm/pid field pairs of @ev (looked up once). */
static const struct comm_cache *cache_get(struct ftrace_comms *c, struct tep_event *ev)
{
	struct comm_cache *e;
	char name[32];

	for (size_t i = 0; i < c->ncache; i++)
		if (c->cache[i].ev == ev)
			return &c->cache[i];
	e = &c->cache[c->ncache < COMMS_CACHE ? c->ncache++ : COMMS_CACHE - 1];
	e->ev = ev;
	for (size_t i = 0; i < NPAIRS; i++) {
		strcpy(name, pair_prefix[i]);
		strcat(name, "comm");
		e->comm[i] = tep_find_field(ev, name);
		strcpy(name, pair_prefix[i]);
		strcat(name, "pid");
		e->pid[i] = tep_find_field(ev, name);
	}
	return e;
}

/* ftrace_comms_learn - the comm/pid pairs of one event. */
void ftrace_comms_learn(struct ftrace_comms *c, struct tep_event *ev, struct tep_record *rec)
{
	const struct comm_cache *e = cache_get(c, ev);

	for (size_t i = 0; i < NPAIRS; i++) {
		unsigned long long pid;
		const struct tep_format_field *cf = e->comm[i];

		if (!cf || !e->pid[i] || (cf->flags & TEP_FIELD_IS_DYNAMIC))
			continue;
		if (cf->offset + cf->size > rec->size)
			continue;
		if (tep_read_number_field(e->pid[i], rec->data, &pid) < 0)
			continue;
		comm_set(c, (int)pid, (const char *)rec->data + cf->offset, (size_t)cf->size);
	}
}

/* ftrace_comms_get - the comm last seen for @pid, or NULL. */
const char *ftrace_comms_get(const struct ftrace_comms *c, int pid)
{
	const struct comm_slot *s = pid > 0 ? comm_find(c, pid) : NULL;

	return s && s->pid == pid ? s->comm : NULL;
}
