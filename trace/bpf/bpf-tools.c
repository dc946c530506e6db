/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bpf-tools.c - open, load, attach, detach the eBPF tools (libbpf skeletons). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core-internal.h"

#include "bpf-tools-internal.h"

#include "runqlat.skel.h"
#include "syscalls.skel.h"
#include "offcpu.skel.h"
#include "irqtime.skel.h"

#define MAX_KEYS_LIMIT (1u << 20)

/* What the loader does with one skeleton, whatever its type. */
struct tool_ops {
	void *(*open)(const struct bpf_object_open_opts *o);
	struct rtlab_bpf_cfg *(*cfg)(void *s);
	struct bpf_object *(*obj)(void *s);
	struct bpf_map *(*hists)(void *s);
	int (*load)(void *s);
	int (*attach)(void *s);
	void (*detach)(void *s);
	void (*destroy)(void *s);
};

/* Glue from the generic operations to one generated skeleton type. */
#define TOOL_GLUE(t)                                                                       \
	static void *t##_open(const struct bpf_object_open_opts *o)                        \
	{                                                                                  \
		return t##_bpf__open_opts(o);                                              \
	}                                                                                  \
	static struct rtlab_bpf_cfg *t##_cfg(void *s)                                      \
	{                                                                                  \
		return (struct rtlab_bpf_cfg *)&((struct t##_bpf *)s)->rodata->cfg;        \
	}                                                                                  \
	static struct bpf_object *t##_obj(void *s)                                         \
	{                                                                                  \
		return ((struct t##_bpf *)s)->obj;                                         \
	}                                                                                  \
	static struct bpf_map *t##_hists(void *s)                                          \
	{                                                                                  \
		return ((struct t##_bpf *)s)->maps.hists;                                  \
	}                                                                                  \
	static int t##_load(void *s)                                                       \
	{                                                                                  \
		return t##_bpf__load(s);                                                   \
	}                                                                                  \
	static int t##_attach(void *s)                                                     \
	{                                                                                  \
		return t##_bpf__attach(s);                                                 \
	}                                                                                  \
	static void t##_detach(void *s)                                                    \
	{                                                                                  \
		t##_bpf__detach(s);                                                        \
	}                                                                                  \
	static void t##_destroy(void *s)                                                   \
	{                                                                                  \
		t##_bpf__destroy(s);                                                       \
	}

#define TOOL_OPS(t)                                                                        \
	{                                                                                  \
		t##_open, t##_cfg, t##_obj, t##_hists, t##_load, t##_attach, t##_detach,   \
			t##_destroy                                                        \
	}

TOOL_GLUE(runqlat)
TOOL_GLUE(syscalls)
TOOL_GLUE(offcpu)
TOOL_GLUE(irqtime)

static const struct tool_ops tool_ops[_RTLAB_BPF_TOOL_MAX] = {
	[RTLAB_BPF_RUNQLAT] = TOOL_OPS(runqlat),
	[RTLAB_BPF_SYSCALLS] = TOOL_OPS(syscalls),
	[RTLAB_BPF_OFFCPU] = TOOL_OPS(offcpu),
	[RTLAB_BPF_IRQTIME] = TOOL_OPS(irqtime),
};

/* quiet_print - libbpf's messages are not shown: errors reach the caller through the log. */
static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* rtlab_bpf_supported - this build has eBPF support. */
RTLAB_API bool rtlab_bpf_supported(void)
{
	return true;
}

/* check_opts - the options make sense; the log names the one that does not. */
static int check_opts(const struct rtlab_ctx *ctx, const struct rtlab_bpf_opts *o)
{
	if (!o->tools || o->tools >= 1u << _RTLAB_BPF_TOOL_MAX)
		return rtlab_err(ctx, -EINVAL, "bpf: no tool, or an unknown one (mask %#x)",
				 o->tools);
	if (o->pid < 0)
		return rtlab_err(ctx, -EINVAL, "bpf: pid %d is negative", (int)o->pid);
	if ((unsigned)o->runqlat_key > RTLAB_BPF_KEY_PID)
		return rtlab_err(ctx, -EINVAL, "bpf: unknown runqlat key mode %d",
				 (int)o->runqlat_key);
	if (o->max_keys > MAX_KEYS_LIMIT)
		return rtlab_err(ctx, -EINVAL, "bpf: max_keys %u is above %u", o->max_keys,
				 MAX_KEYS_LIMIT);
	return 0;
}

/* size_maps - every hash map of @obj gets room for @keys entries. */
static int size_maps(struct bpf_object *obj, uint32_t keys)
{
	struct bpf_map *m;
	int r;

	bpf_object__for_each_map(m, obj) {
		enum bpf_map_type t = bpf_map__type(m);

		if (t != BPF_MAP_TYPE_HASH && t != BPF_MAP_TYPE_PERCPU_HASH)
			continue;
		r = bpf_map__set_max_entries(m, keys);
		if (r < 0)
			return r;
	}
	return 0;
}

/* load_error - log why a tool did not load; EPERM/EACCES become -EPERM (not allowed). */
static int load_error(const struct rtlab_ctx *ctx, const char *tool, int r)
{
	char why[256];

	if (r != -EPERM && r != -EACCES)
		return rtlab_err(ctx, r, "bpf: loading %s failed: %s", tool, strerror(-r));
	if (rtlab_bpf_check(why, sizeof(why)) < 0)
		return rtlab_err(ctx, -EPERM, "bpf: loading %s: %s", tool, why);
	return rtlab_err(ctx, -EPERM,
			 "bpf: the kernel refused to load %s (%s): BPF is not allowed here "
			 "(lockdown, an LSM, or kernel.unprivileged_bpf_disabled)",
			 tool, strerror(-r));
}

/* open_tool - open, configure and load tool @t into @b. */
static int open_tool(struct rtlab_bpf *b, enum rtlab_bpf_tool t)
{
	const struct tool_ops *ops = &tool_ops[t];
	struct bpf_object_open_opts oo = { .sz = sizeof(oo) };
	const char *name = rtlab_bpf_tool_name(t);
	struct rtlab_bpf_cfg *cfg;
	void *s;
	int r;

	s = ops->open(&oo);
	if (!s)
		return rtlab_err(b->ctx, -errno, "bpf: opening %s failed: %s", name,
				 strerror(errno));
	cfg = ops->cfg(s);
	cfg->targ_tgid = (uint32_t)b->opts.pid;
	cfg->key_mode = (uint32_t)b->opts.runqlat_key;
	cfg->unit_ns = b->opts.ns_slots ? 1 : 1000;
	r = size_maps(ops->obj(s), b->opts.max_keys ? b->opts.max_keys : RTLAB_BPF_DEFAULT_KEYS);
	if (r == 0)
		r = ops->load(s);
	if (r < 0) {
		ops->destroy(s);
		return load_error(b->ctx, name, r);
	}
	b->skel[t] = s;
	b->hists[t] = ops->hists(s);
	b->lost[t] = bpf_object__find_map_by_name(ops->obj(s), "lost");
	return 0;
}

/* rtlab_bpf_open - load the tools of @opts. */
RTLAB_API int rtlab_bpf_open(struct rtlab_ctx *ctx, const struct rtlab_bpf_opts *opts,
			     struct rtlab_bpf **ret)
{
	libbpf_print_fn_t old;
	struct rtlab_bpf *b;
	int r = 0;

	if (!opts || !ret)
		return -EINVAL;
	r = check_opts(ctx, opts);
	if (r < 0)
		return r;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->ctx = ctx;
	b->opts = *opts;
	old = libbpf_set_print(quiet_print);
	for (int t = 0; t < _RTLAB_BPF_TOOL_MAX && r == 0; t++)
		if (opts->tools & (1u << t))
			r = open_tool(b, t);
	libbpf_set_print(old);
	if (r < 0) {
		rtlab_bpf_close(b);
		return r;
	}
	*ret = b;
	return 0;
}

/* rtlab_bpf_start - attach every program. */
RTLAB_API int rtlab_bpf_start(struct rtlab_bpf *b)
{
	libbpf_print_fn_t old;
	int r;

	if (!b)
		return -EINVAL;
	for (int t = 0; t < _RTLAB_BPF_TOOL_MAX; t++) {
		if (!b->skel[t])
			continue;
		old = libbpf_set_print(quiet_print);
		r = tool_ops[t].attach(b->skel[t]);
		libbpf_set_print(old);
		if (r < 0) {
			rtlab_bpf_stop(b);
			return rtlab_err(b->ctx, r, "bpf: attaching %s failed: %s",
					 rtlab_bpf_tool_name(t), strerror(-r));
		}
	}
	b->attached = true;
	return 0;
}

/* rtlab_bpf_stop - detach every program; the maps stay readable. */
RTLAB_API int rtlab_bpf_stop(struct rtlab_bpf *b)
{
	if (!b)
		return -EINVAL;
	for (int t = 0; t < _RTLAB_BPF_TOOL_MAX; t++)
		if (b->skel[t])
			tool_ops[t].detach(b->skel[t]);
	b->attached = false;
	return 0;
}

/* rtlab_bpf_store - every opened tool's histograms into the run store. */
RTLAB_API int rtlab_bpf_store(struct rtlab_bpf *b, const char *db_path)
{
	struct rtlab_bpf_hist *h;
	size_t n;
	int r;

	if (!b || !db_path)
		return -EINVAL;
	for (int t = 0; t < _RTLAB_BPF_TOOL_MAX; t++) {
		if (!b->skel[t])
			continue;
		r = rtlab_bpf_read(b, t, &h, &n);
		if (r < 0)
			return r;
		r = rtlab_bpf_store_hists(db_path, h, n);
		free(h);
		if (r == 0)
			r = rtlab_bpf_store_lost(db_path, t, rtlab_bpf_lost(b, t));
		if (r < 0)
			return rtlab_err(b->ctx, r, "bpf: storing %s into %s failed",
					 rtlab_bpf_tool_name(t), db_path);
	}
	return 0;
}

/* rtlab_bpf_close - detach and unload everything. */
RTLAB_API struct rtlab_bpf *rtlab_bpf_close(struct rtlab_bpf *b)
{
	if (!b)
		return NULL;
	for (int t = 0; t < _RTLAB_BPF_TOOL_MAX; t++)
		if (b->skel[t])
			tool_ops[t].destroy(b->skel[t]);
	free(b);
	return NULL;
}
