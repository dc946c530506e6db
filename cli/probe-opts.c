/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe-opts.c - the option values "rtlab probe" commands share, refused with one line. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "probe-cli.h"

/* valid_families - "cpu, load, ..., all, default" into @buf. */
static const char *valid_families(char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned f = 0; f < RTLAB_PF__COUNT && len < size; f++)
		len += (size_t)snprintf(buf + len, size - len, "%s, ", rtlab_probe_family_name(f));
	if (len < size)
		snprintf(buf + len, size - len, "all, default");
	return buf;
}

/* probe_opt_families - a family list, naming an unknown family and the valid ones. */
int probe_opt_families(const char *cmd, const char *s, uint64_t *ret)
{
	char names[512], bad[128], esc[256];
	size_t pos = 0;

	if (rtlab_probe_families_parse(s, ret, &pos) == 0)
		return EXIT_OK;
	if (!*s || pos >= strlen(s))
		return cli_usage_error(cmd, "--family: empty family list; families: %s",
				       valid_families(names, sizeof(names)));
	snprintf(bad, sizeof(bad), "%.*s", (int)strcspn(s + pos, ","), s + pos);
	return cli_usage_error(cmd, "--family: unknown family '%s'; families: %s",
			       cli_escape(bad, esc, sizeof(esc)),
			       valid_families(names, sizeof(names)));
}

/* probe_opt_duration - a positive duration, seconds by default. */
int probe_opt_duration(const char *cmd, const char *opt, const char *s, uint64_t *ret)
{
	char esc[256];
	int r = rtlab_parse_duration_ns(s, RTLAB_NSEC_PER_SEC, ret);

	if (r == 0 && *ret > 0)
		return EXIT_OK;
	return cli_usage_error(cmd, "%s: '%s' is not a duration (e.g. 2s, 500ms, 1m)%s", opt,
			       cli_escape(s, esc, sizeof(esc)),
			       r == -ERANGE ? ": too large" : r == 0 ? ": must be above 0" : "");
}

/* probe_opt_root - an existing directory. */
int probe_opt_root(const char *cmd, const char *s)
{
	char esc[1024];
	struct stat st;

	cli_escape(s, esc, sizeof(esc));
	if (stat(s, &st) < 0)
		return cli_usage_error(cmd, "--root: '%s': %s", esc, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return cli_usage_error(cmd, "--root: '%s' is not a directory", esc);
	return EXIT_OK;
}

/* probe_bad_option - the refused option by name: a missing value (@c ':') or unknown. */
int probe_bad_option(const char *cmd, int c, const char *arg, int optopt_char)
{
	char esc[256];

	if (c == ':')
		return cli_usage_error(cmd, "option '%s' needs a value",
				       cli_escape(arg, esc, sizeof(esc)));
	if (optopt_char && strncmp(arg, "--", 2) != 0)
		return cli_usage_error(cmd, "unknown option '-%c'", optopt_char);
	cli_escape(arg, esc, sizeof(esc));
	return cli_usage_error(cmd, "unknown option '%s'", esc);
}

/* probe_stop_signals - block SIGINT and SIGTERM, to be waited for with sigwait/sigtimedwait. */
void probe_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, set, NULL);
}
