/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rt-mem.c - memory locking and stack prefaulting for RT threads. */
#include <alloca.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rt-internal.h"

#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

#define RT_PREFAULT_MAX (8u << 20)

/* rtlab_mem_lock - mlockall() with the chosen flags. */
int rtlab_mem_lock(struct rtlab_ctx *ctx, unsigned int flags)
{
	int mcl = 0, r;

	if (flags & RTLAB_MLOCK_CURRENT)
		mcl |= MCL_CURRENT;
	if (flags & RTLAB_MLOCK_FUTURE)
		mcl |= MCL_FUTURE;
	if (flags & RTLAB_MLOCK_ONFAULT)
		mcl |= MCL_ONFAULT;
#ifdef __SANITIZE_ADDRESS__
	/* ASan reserves terabytes of shadow: lock only the pages actually touched. */
	if (mcl & MCL_FUTURE)
		mcl |= MCL_ONFAULT;
#endif
	if (!(mcl & (MCL_CURRENT | MCL_FUTURE)))
		return rtlab_err(ctx, -EINVAL, "mlock: choose current and/or future memory");
	if (mlockall(mcl) == 0)
		return 0;
	r = -errno;
	if (r == -EPERM || r == -ENOMEM)
		return rt_perm_error(ctx, r, RTLAB_CAP_IPC_LOCK, "lock memory (mlockall)");
	return rtlab_err(ctx, r, "cannot lock memory (mlockall): %s", strerror(-r));
}

/* rtlab_mem_unlock - munlockall(). */
int rtlab_mem_unlock(struct rtlab_ctx *ctx)
{
	int r;

	if (munlockall() == 0)
		return 0;
	r = -errno;
	return rtlab_err(ctx, r, "cannot unlock memory: %s", strerror(-r));
}

/* rtlab_stack_prefault - write one byte per page of @bytes of stack. */
void rtlab_stack_prefault(size_t bytes)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	volatile unsigned char *p;

	if (bytes > RT_PREFAULT_MAX)
		bytes = RT_PREFAULT_MAX;
	if (bytes == 0)
		return;
	p = alloca(bytes);
	for (size_t i = 0; i < bytes; i += page)
		p[i] = 0;
	p[bytes - 1] = 0;
}
