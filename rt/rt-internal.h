/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rt-internal.h - helpers shared inside the rt/ module (not installed). */
#ifndef RTLAB_RT_INTERNAL_H
#define RTLAB_RT_INTERNAL_H

#include <rtlab/sched.h>

#include "core-internal.h"

/*
 * rt_perm_error - log a refusal for lack of @cap while doing @what, with the
 * way to grant it (or a note that the capability is there and something
 * else refused), and return @r.
 */
int rt_perm_error(const struct rtlab_ctx *ctx, int r, enum rtlab_cap cap, const char *what);

/* rt_gettid - the kernel thread id of the caller. */
pid_t rt_gettid(void);

#endif /* RTLAB_RT_INTERNAL_H */
