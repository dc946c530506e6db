/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cleanup.h - scope-bound cleanup (systemd style): _cleanup_(fn) and TAKE_PTR(). */
#ifndef RTLAB_CLEANUP_H
#define RTLAB_CLEANUP_H

#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

#define TAKE_PTR(p)                              \
	({                                       \
		__typeof__(p) _tp_ = (p);        \
		(p) = NULL;                      \
		_tp_;                            \
	})

#define TAKE_FD(fd)                              \
	({                                       \
		int _tf_ = (fd);                 \
		(fd) = -1;                       \
		_tf_;                            \
	})

/* freep - for _cleanup_(freep) char *p. */
static inline void freep(void *p)
{
	free(*(void **)p);
}

/* closep - for _cleanup_(closep) int fd = -1. */
static inline void closep(int *fd)
{
	if (*fd >= 0)
		(void)close(*fd);
}

#endif /* RTLAB_CLEANUP_H */
