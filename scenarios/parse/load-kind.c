/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* load-kind.c - the names of the load kinds. */
#include <errno.h>
#include <strings.h>

#include <rtlab/scenario.h>

static const char *const kind_names[RTLAB_LOAD__COUNT] = {
	[RTLAB_LOAD_CPU] = "cpu",
	[RTLAB_LOAD_HACKBENCH] = "hackbench",
	[RTLAB_LOAD_MEMORY] = "memory",
	[RTLAB_LOAD_IO] = "io",
	[RTLAB_LOAD_TIMER] = "timer",
	[RTLAB_LOAD_SYSCALL] = "syscall",
	[RTLAB_LOAD_FORK] = "fork",
};

/* rtlab_load_kind_name - the name of @kind, or NULL. */
const char *rtlab_load_kind_name(enum rtlab_load_kind kind)
{
	return (unsigned)kind < RTLAB_LOAD__COUNT ? kind_names[kind] : NULL;
}

/* rtlab_load_kind_from_name - parse a kind name (case-insensitive). */
int rtlab_load_kind_from_name(const char *name, enum rtlab_load_kind *ret)
{
	if (!name)
		return -EINVAL;
	for (int i = 0; i < RTLAB_LOAD__COUNT; i++)
		if (strcasecmp(name, kind_names[i]) == 0) {
			*ret = (enum rtlab_load_kind)i;
			return 0;
		}
	return -EINVAL;
}
