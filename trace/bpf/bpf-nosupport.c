/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bpf-nosupport.c - the eBPF loader of a build without eBPF support: -ENOTSUP. */
#include <errno.h>

#include "bpf-internal.h"

/* rtlab_bpf_supported - this build has no eBPF support. */
RTLAB_API bool rtlab_bpf_supported(void)
{
	return false;
}

/* rtlab_bpf_open - not available in this build. */
RTLAB_API int rtlab_bpf_open(struct rtlab_ctx *ctx, const struct rtlab_bpf_opts *opts,
			     struct rtlab_bpf **ret)
{
	(void)ctx;
	(void)opts;
	*ret = NULL;
	return -ENOTSUP;
}

/* rtlab_bpf_start - not available in this build. */
RTLAB_API int rtlab_bpf_start(struct rtlab_bpf *b)
{
	(void)b;
	return -ENOTSUP;
}

/* rtlab_bpf_stop - not available in this build. */
RTLAB_API int rtlab_bpf_stop(struct rtlab_bpf *b)
{
	(void)b;
	return -ENOTSUP;
}

/* rtlab_bpf_read - not available in this build. */
RTLAB_API int rtlab_bpf_read(struct rtlab_bpf *b, enum rtlab_bpf_tool tool,
			     struct rtlab_bpf_hist **ret, size_t *ret_n)
{
	(void)b;
	(void)tool;
	*ret = NULL;
	*ret_n = 0;
	return -ENOTSUP;
}

/* rtlab_bpf_lost - nothing was counted. */
RTLAB_API uint64_t rtlab_bpf_lost(struct rtlab_bpf *b, enum rtlab_bpf_tool tool)
{
	(void)b;
	(void)tool;
	return 0;
}

/* rtlab_bpf_store - not available in this build. */
RTLAB_API int rtlab_bpf_store(struct rtlab_bpf *b, const char *db_path)
{
	(void)b;
	(void)db_path;
	return -ENOTSUP;
}

/* rtlab_bpf_close - nothing was opened. */
RTLAB_API struct rtlab_bpf *rtlab_bpf_close(struct rtlab_bpf *b)
{
	(void)b;
	return NULL;
}
