/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rt-dmalat.c - hold a CPU latency (PM QoS) request through /dev/cpu_dma_latency. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "core-internal.h"
#include <rtlab/sysinfo.h>

#define DMA_LATENCY_PATH "/dev/cpu_dma_latency"

struct rtlab_dma_latency {
	int fd;
	int32_t us;
};

/* open_error - log why the device could not be opened or written, naming the privilege. */
static void open_error(struct rtlab_ctx *ctx, const char *what, const char *path, int err)
{
	if (err == EACCES || err == EPERM)
		rtlab_err(ctx, -err, "cannot %s %s: %s (needs root, or write access to %s)", what,
			  path, strerror(err), DMA_LATENCY_PATH);
	else
		rtlab_err(ctx, -err, "cannot %s %s: %s", what, path, strerror(err));
}

/* rtlab_dma_latency_hold - open <root>/dev/cpu_dma_latency, write @us, keep it open. */
struct rtlab_dma_latency *rtlab_dma_latency_hold(struct rtlab_ctx *ctx, int32_t us)
{
	_cleanup_(closep) int fd = -1;
	struct rtlab_dma_latency *h;
	char path[PATH_MAX];
	ssize_t n;
	int r;

	if (us < 0) {
		rtlab_err(ctx, -EINVAL, "cpu_dma_latency: %d us is negative", (int)us);
		errno = EINVAL;
		return NULL;
	}
	r = rtlab_path(ctx, DMA_LATENCY_PATH, path, sizeof(path));
	if (r < 0) {
		rtlab_err(ctx, r, "%s%s: path too long", ctx->root, DMA_LATENCY_PATH);
		errno = -r;
		return NULL;
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		r = errno;
		open_error(ctx, "open", path, r);
		errno = r;
		return NULL;
	}
	n = write(fd, &us, sizeof(us));
	if (n != (ssize_t)sizeof(us)) {
		r = n < 0 ? errno : EIO;
		open_error(ctx, "write", path, r);
		errno = r;
		return NULL;
	}
	h = malloc(sizeof(*h));
	if (!h)
		return NULL;
	h->fd = TAKE_FD(fd);
	h->us = us;
	rtlab_log(ctx, RTLAB_LOG_DEBUG, "holding %s at %d us", path, (int)us);
	return h;
}

/* rtlab_dma_latency_release - close the request (the kernel drops it). */
struct rtlab_dma_latency *rtlab_dma_latency_release(struct rtlab_dma_latency *h)
{
	if (!h)
		return NULL;
	if (h->fd >= 0)
		(void)close(h->fd);
	free(h);
	return NULL;
}

/* rtlab_dma_latency_value - the value held, in us. */
int32_t rtlab_dma_latency_value(const struct rtlab_dma_latency *h)
{
	return h ? h->us : -1;
}
