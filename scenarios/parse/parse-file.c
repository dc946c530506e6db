/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* parse-file.c - read a scenario file whole, then parse it. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "parse-state.h"

/* read_all - the whole file at @path, NUL-terminated; 0 or -errno (-EFBIG: too large). */
static int read_all(const char *path, char **ret, size_t *ret_len)
{
	_cleanup_(closep) int fd = open(path, O_RDONLY | O_CLOEXEC);
	_cleanup_(freep) char *buf = NULL;
	size_t len = 0, cap = 0;

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *p;

			if (cap > SC_FILE_MAX)
				return -EFBIG;
			cap = cap ? 2 * cap : 4096;
			p = realloc(buf, cap + 1);
			if (!p)
				return -ENOMEM;
			buf = p;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > SC_FILE_MAX)
		return -EFBIG;
	buf[len] = '\0';
	*ret = TAKE_PTR(buf);
	*ret_len = len;
	return 0;
}

/* rtlab_scenario_parse_file - read @path and parse it. */
int rtlab_scenario_parse_file(const char *path, struct rtlab_scenario **ret, char *err,
			      size_t errsize)
{
	char *text = NULL;
	size_t len = 0;
	int r = sc_check_args(path, 0, ret, err, errsize);

	if (r < 0)
		return r;
	r = read_all(path, &text, &len);
	if (r == -EFBIG) {
		sc_msg(err, errsize, path, 0, "larger than %d bytes: not a scenario file",
		       SC_FILE_MAX);
		return r;
	}
	if (r < 0) {
		sc_msg(err, errsize, path, 0, "cannot read the file: %s", strerror(-r));
		return r;
	}
	return sc_parse_owned(path, text, len, ret, err, errsize);
}
