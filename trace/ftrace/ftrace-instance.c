/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ftrace-instance.c - the run's instance: events resolved, clock, buffers, filters, removal. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <traceevent/kbuffer.h>
#include <tracefs/tracefs.h>

#include "ftrace-internal.h"

#define MAX_EVENTS 4096
#define INSTANCE_TRIES 1000

/* event_add - append sys:name (once) for spec @spec. */
static int event_add(struct rtlab_ftrace *f, const char *sys, const char *name, int spec)
{
	struct ftrace_event *e;

	for (size_t i = 0; i < f->nevs; i++)
		if (!strcmp(f->evs[i].system, sys) && !strcmp(f->evs[i].name, name))
			return 0;
	if (f->nevs == MAX_EVENTS)
		return rtlab_err(f->ctx, -E2BIG, "ftrace: more than %d events", MAX_EVENTS);
	e = realloc(f->evs, (f->nevs + 1) * sizeof(*e));
	if (!e)
		return -ENOMEM;
	f->evs = e;
	e = &f->evs[f->nevs++];
	memset(e, 0, sizeof(*e));
	rtlab_strlcpy(e->system, sys, sizeof(e->system));
	rtlab_strlcpy(e->name, name, sizeof(e->name));
	snprintf(e->full, sizeof(e->full), "%s:%s", sys, name);
	e->spec = spec;
	e->id = -1;
	return 0;
}

/* resolve_system - the events of @sys that match @sp. */
static int resolve_system(struct rtlab_ftrace *f, const char *sys, const struct ftrace_spec *sp,
			  int spec)
{
	char **evs = tracefs_system_events(f->tracing_dir, sys);
	int r = 0;

	for (char **e = evs; e && *e && r >= 0; e++)
		if (fnmatch(sp->event, *e, 0) == 0)
			r = event_add(f, sys, *e, spec);
	tracefs_list_free(evs);
	return r;
}

/* resolve_events - every spec into events; one that matches nothing is an error. */
static int resolve_events(struct rtlab_ftrace *f, const struct rtlab_ftrace_opts *o)
{
	char **systems = tracefs_event_systems(f->tracing_dir);
	int r = 0;

	if (!systems)
		return rtlab_err(f->ctx, -ENOTSUP, "ftrace: no event systems in %s/events",
				 f->tracing_dir);
	for (size_t i = 0; i < o->nevents && r >= 0; i++) {
		struct ftrace_spec sp;
		size_t before = f->nevs;
		bool glob = false;

		if (ftrace_spec_parse(o->events[i], &sp) < 0) {
			r = rtlab_err(f->ctx, -EINVAL, "ftrace: '%s' is not an event name "
				      "(system:event, event, or a glob of them)", o->events[i]);
			break;
		}
		glob = strpbrk(sp.system, "*?[") != NULL;
		for (char **s = systems; *s && r >= 0; s++)
			if (fnmatch(sp.system, *s, 0) == 0 && !(glob && !strcmp(*s, "ftrace")))
				r = resolve_system(f, *s, &sp, (int)i);
		if (r >= 0 && f->nevs == before)
			r = rtlab_err(f->ctx, -EINVAL,
				      "ftrace: no event of this kernel matches '%s'", o->events[i]);
	}
	tracefs_list_free(systems);
	return r;
}

/* instance_create - mkdir instances/rtlab-<pid>-<n>, the first n that is free. */
static int instance_create(struct rtlab_ftrace *f)
{
	for (int n = 0; n < INSTANCE_TRIES; n++) {
		snprintf(f->name, sizeof(f->name), "rtlab-%d-%d", (int)getpid(), n);
		if ((size_t)snprintf(f->inst_dir, sizeof(f->inst_dir), "%s/instances/%s",
				     f->tracing_dir, f->name) >= sizeof(f->inst_dir))
			return -ENAMETOOLONG;
		if (mkdir(f->inst_dir, 0750) == 0) {
			f->created = true;
			f->inst = tracefs_instance_alloc(f->tracing_dir, f->name);
			return f->inst ? 0 : -ENOMEM;
		}
		if (errno != EEXIST) {
			int r = -errno;

			return rtlab_err(f->ctx, r, "ftrace: cannot create instance %s: %s",
					 f->inst_dir, strerror(-r));
		}
	}
	return rtlab_err(f->ctx, -EEXIST, "ftrace: %d rtlab instances of this pid exist",
			 INSTANCE_TRIES);
}

/* inst_write - write @s into the instance's @file; logs what failed. */
static int inst_write(struct rtlab_ftrace *f, const char *file, const char *s)
{
	if (tracefs_instance_file_write(f->inst, file, s) < 0) {
		int r = errno ? -errno : -EIO;

		return rtlab_err(f->ctx, r, "ftrace: %s/%s: cannot write '%s': %s", f->inst_dir,
				 file, s, strerror(-r));
	}
	return 0;
}

/* set_filters - each event's filter (its spec's filter and'ed with the pid list). */
static int set_filters(struct rtlab_ftrace *f, const struct rtlab_ftrace_opts *o)
{
	char buf[FTRACE_FILTER_MAX];

	for (size_t i = 0; i < f->nevs; i++) {
		struct ftrace_event *e = &f->evs[i];
		const char *flt = o->filters ? o->filters[e->spec] : NULL;
		int r = ftrace_filter_build(flt, o->pids, o->npids, buf, sizeof(buf));

		if (r < 0)
			return rtlab_err(f->ctx, r, "ftrace: %s: filter too long or bad pid list",
					 e->full);
		if (r == 0)
			continue;
		if (tracefs_event_file_write(f->inst, e->system, e->name, "filter", buf) < 0)
			return rtlab_err(f->ctx, -EINVAL, "ftrace: %s: the kernel refused the "
					 "filter '%s' (field names: %s/events/%s/%s/format)",
					 e->full, buf, f->tracing_dir, e->system, e->name);
	}
	return 0;
}

/* read_tracefs - <tracing dir>/@file, malloc'd into *@ret; logs what failed. */
static int read_tracefs(struct rtlab_ftrace *f, const char *file, char **ret, size_t *ret_len)
{
	*ret = ftrace_fs_read(f->tracing_dir, file, ret_len);
	if (!*ret) {
		int r = -errno;

		return rtlab_err(f->ctx, r, "ftrace: %s/%s: %s", f->tracing_dir, file,
				 strerror(-r));
	}
	return 0;
}

/* load_event - one recorded event's format, parsed; its id. */
static int load_event(struct rtlab_ftrace *f, struct ftrace_event *e)
{
	char file[3 * FTRACE_NAME_MAX];
	struct tep_event *ev;
	size_t len;
	int r;

	snprintf(file, sizeof(file), "events/%s/%s/format", e->system, e->name);
	r = read_tracefs(f, file, &e->format, &len);
	if (r < 0)
		return r;
	if (tep_parse_event(f->tep, e->format, len, e->system) != TEP_ERRNO__SUCCESS)
		return rtlab_err(f->ctx, -EIO, "ftrace: %s/%s: cannot parse the format",
				 f->tracing_dir, file);
	ev = tep_find_event_by_name(f->tep, e->system, e->name);
	e->id = ev ? ev->id : -1;
	return 0;
}

/*
 * load_formats - the sub-buffer header and the recorded events' formats
 * only (no kallsyms or printk formats: fields are stored raw), the parser.
 */
static int load_formats(struct rtlab_ftrace *f)
{
	int long_size = (int)sizeof(long);
	size_t len;
	int r;

	f->tep = tep_alloc();
	if (!f->tep)
		return -ENOMEM;
	tep_set_file_bigendian(f->tep, tep_is_local_bigendian(f->tep) ? TEP_BIG_ENDIAN :
			       TEP_LITTLE_ENDIAN);
	tep_set_long_size(f->tep, long_size);
	tep_set_page_size(f->tep, (int)sysconf(_SC_PAGESIZE));
	r = read_tracefs(f, "events/header_page", &f->header_page, &len);
	if (r < 0)
		return r;
	if (tep_parse_header_page(f->tep, f->header_page, len, long_size) < 0)
		return rtlab_err(f->ctx, -EIO, "ftrace: %s/events/header_page: cannot parse it",
				 f->tracing_dir);
	/* The kernel's long: the size of the commit field of the sub-buffer header. */
	if (tep_get_header_page_size(f->tep) == 4 || tep_get_header_page_size(f->tep) == 8)
		tep_set_long_size(f->tep, tep_get_header_page_size(f->tep));
	for (size_t i = 0; i < f->nevs && r >= 0; i++)
		r = load_event(f, &f->evs[i]);
	if (r < 0)
		return r;
	f->kb = kbuffer_alloc(tep_get_long_size(f->tep) == 4 ? KBUFFER_LSIZE_4 : KBUFFER_LSIZE_8,
			      tep_is_file_bigendian(f->tep) ? KBUFFER_ENDIAN_BIG :
			      KBUFFER_ENDIAN_LITTLE);
	return f->kb ? 0 : -ENOMEM;
}

/* open_buffers - per_cpu/cpuN/trace_pipe_raw of each CPU, non-blocking. */
static int open_buffers(struct rtlab_ftrace *f)
{
	char path[PATH_MAX + 64];
	int n = 0;

	for (;; n++) {
		snprintf(path, sizeof(path), "%s/per_cpu/cpu%d", f->inst_dir, n);
		if (access(path, F_OK) < 0)
			break;
	}
	if (n == 0)
		return rtlab_err(f->ctx, -ENOTSUP, "ftrace: %s has no per_cpu buffers",
				 f->inst_dir);
	f->fds = malloc((size_t)n * sizeof(*f->fds));
	if (!f->fds)
		return -ENOMEM;
	for (f->ncpus = 0; f->ncpus < n; f->ncpus++) {
		snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/trace_pipe_raw", f->inst_dir,
			 f->ncpus);
		f->fds[f->ncpus] = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (f->fds[f->ncpus] < 0) {
			int r = -errno;

			return rtlab_err(f->ctx, r, "ftrace: %s: %s", path, strerror(-r));
		}
	}
	return 0;
}

/* sub_buffer_size - the ring buffer's page size (buffer_subbuf_size_kb where there is one). */
static size_t sub_buffer_size(struct rtlab_ftrace *f)
{
	long long kb = 0;

	if (tracefs_file_exists(f->inst, "buffer_subbuf_size_kb") &&
	    tracefs_instance_file_read_number(f->inst, "buffer_subbuf_size_kb", &kb) == 0 &&
	    kb > 0 && kb <= 1024)
		return (size_t)kb * 1024;
	return (size_t)sysconf(_SC_PAGESIZE);
}

/* ftrace_setup - everything open does, in order; the caller tears down on failure. */
int ftrace_setup(struct rtlab_ftrace *f, const struct rtlab_ftrace_opts *o)
{
	char kb[32];
	int r;

	r = ftrace_fs_mount(f->ctx, f->tracing_dir, sizeof(f->tracing_dir), &f->mounted);
	if (r < 0)
		return r;
	r = resolve_events(f, o);
	if (r < 0)
		return r;
	r = instance_create(f);
	if (r < 0)
		return r;
	r = inst_write(f, "tracing_on", "0");
	if (r >= 0)
		r = inst_write(f, "trace_clock", "mono");
	if (r >= 0 && o->buffer_kb) {
		snprintf(kb, sizeof(kb), "%u", o->buffer_kb);
		r = inst_write(f, "buffer_size_kb", kb);
	}
	if (r >= 0)
		r = set_filters(f, o);
	if (r >= 0)
		r = load_formats(f);
	if (r >= 0)
		r = open_buffers(f);
	if (r >= 0) {
		size_t page = sub_buffer_size(f);

		f->page = malloc(page);
		r = f->page ? ftrace_spool_init(&f->spool, page, 1024) : -ENOMEM;
	}
	return r;
}

/* ftrace_enable - every event on, then tracing on. */
int ftrace_enable(struct rtlab_ftrace *f)
{
	for (size_t i = 0; i < f->nevs; i++)
		if (tracefs_event_file_write(f->inst, f->evs[i].system, f->evs[i].name, "enable",
					     "1") < 0) {
			int r = errno ? -errno : -EIO;

			ftrace_instance_disable(f->inst_dir);
			return rtlab_err(f->ctx, r, "ftrace: cannot enable %s: %s", f->evs[i].full,
					 strerror(-r));
		}
	return inst_write(f, "tracing_on", "1");
}

/* remove_dir - rmdir the instance, retrying while the kernel still holds it. */
static int remove_dir(const char *dir)
{
	const struct timespec pause = { 0, 10 * 1000 * 1000 };

	for (int i = 0; i < 100; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return -errno;
		nanosleep(&pause, NULL);
	}
	return -EBUSY;
}

/* ftrace_teardown - nothing enabled, buffers closed, instance removed, tracefs unmounted. */
void ftrace_teardown(struct rtlab_ftrace *f)
{
	int r;

	if (f->created)
		ftrace_instance_disable(f->inst_dir);
	for (int i = 0; i < f->ncpus; i++)
		(void)close(f->fds[i]);
	f->ncpus = 0;
	if (f->created) {
		r = remove_dir(f->inst_dir);
		if (r < 0)
			rtlab_log(f->ctx, RTLAB_LOG_ERROR, "ftrace: cannot remove instance %s: %s "
				  "('rtlab doctor --fix' removes it later)", f->inst_dir,
				  strerror(-r));
		f->created = false;
	}
	tracefs_instance_free(f->inst);
	f->inst = NULL;
	if (f->mounted && umount2(f->tracing_dir, 0) < 0)
		rtlab_log(f->ctx, RTLAB_LOG_DEBUG, "ftrace: tracefs stays mounted at %s: %s",
			  f->tracing_dir, strerror(errno));
	f->mounted = false;
}
