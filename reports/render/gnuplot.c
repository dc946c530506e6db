/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gnuplot.c - finding gnuplot and running it on a script: no shell, output kept for errors. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "render/render-internal.h"

extern char **environ;

#define INSTALL_HINT "install the package gnuplot-nox (apt-get install gnuplot-nox)"

/* is_program - @path is an executable regular file; its absolute path into @ret. */
static bool is_program(const char *path, char ret[PATH_MAX])
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0 &&
	       realpath(path, ret) != NULL;
}

/* render_gnuplot_find - a path as it is, a name through PATH. */
int render_gnuplot_find(const char *prog, char *path, size_t size, char *err, size_t err_size)
{
	char cand[PATH_MAX], abs[PATH_MAX];
	const char *dirs = getenv("PATH"), *p;

	if (!prog || !*prog)
		prog = "gnuplot";
	if (strchr(prog, '/')) {
		if (is_program(prog, abs) && snprintf(path, size, "%s", abs) < (int)size)
			return 0;
		return render_err(err, err_size, -ENOENT, "gnuplot: %s is not an executable "
				  "program; " INSTALL_HINT, prog);
	}
	if (!dirs)
		dirs = "/usr/local/bin:/usr/bin:/bin";
	for (p = dirs;; p++) {
		size_t len = strcspn(p, ":");
		/* An empty entry is the current folder. */
		int dlen = len ? (int)len : 1;

		if (snprintf(cand, sizeof(cand), "%.*s/%s", dlen, len ? p : ".", prog) <
			    (int)sizeof(cand) &&
		    is_program(cand, abs) && snprintf(path, size, "%s", abs) < (int)size)
			return 0;
		p += len;
		if (!*p)
			break;
	}
	return render_err(err, err_size, -ENOENT, "gnuplot not found ('%s' is not on PATH); "
			  INSTALL_HINT, prog);
}

/* log_tail - the end of gnuplot's output, on one line, into @buf. */
static void log_tail(const char *dir, const char *log, char *buf, size_t size)
{
	char path[PATH_MAX], raw[512];
	ssize_t n = -1;
	size_t len = 0;
	int fd;

	buf[0] = '\0';
	if (snprintf(path, sizeof(path), "%s/%s", dir, log) >= (int)sizeof(path))
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		off_t end = lseek(fd, 0, SEEK_END);

		if (end >= 0 && lseek(fd, end > (off_t)sizeof(raw) ? end - (off_t)sizeof(raw) : 0,
				      SEEK_SET) >= 0)
			n = read(fd, raw, sizeof(raw));
		close(fd);
	}
	/* Runs of white space (gnuplot indents and writes several lines) become one space. */
	for (ssize_t i = 0; i < n && len + 1 < size; i++) {
		bool space = raw[i] == ' ' || raw[i] == '\n' || raw[i] == '\t' || raw[i] == '\r';

		if (space && (len == 0 || buf[len - 1] == ' '))
			continue;
		buf[len++] = space ? ' ' : raw[i];
	}
	while (len && buf[len - 1] == ' ')
		len--;
	buf[len] = '\0';
}

/* spawn - start @path in @dir, stdin from @script, stdout and stderr into @log. */
static int spawn(const char *path, const char *dir, const char *script, const char *log,
		 pid_t *ret_pid)
{
	char *const argv[] = { (char *)"gnuplot", NULL };
	posix_spawn_file_actions_t fa;
	int rc = posix_spawn_file_actions_init(&fa);

	if (rc)
		return -rc;
	rc = posix_spawn_file_actions_addchdir_np(&fa, dir);
	if (!rc)
		rc = posix_spawn_file_actions_addopen(&fa, 0, script, O_RDONLY, 0);
	if (!rc)
		rc = posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC,
						      0600);
	if (!rc)
		rc = posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (!rc)
		rc = posix_spawn(ret_pid, path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return -rc;
}

/* render_gnuplot_run - run it and wait; its complaint in @err when it fails. */
int render_gnuplot_run(const char *path, const char *dir, const char *script, const char *log,
		       char *err, size_t err_size)
{
	char tail[512];
	pid_t pid;
	int status, r = spawn(path, dir, script, log, &pid);

	if (r < 0)
		return render_err(err, err_size, -EIO, "gnuplot: cannot run %s: %s", path,
				  strerror(-r));
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return render_err(err, err_size, -EIO, "gnuplot: waiting for it: %s",
					  strerror(errno));
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	log_tail(dir, log, tail, sizeof(tail));
	if (WIFSIGNALED(status))
		return render_err(err, err_size, -EIO, "gnuplot was killed by signal %d: %s",
				  WTERMSIG(status), tail);
	return render_err(err, err_size, -EIO, "gnuplot failed (exit status %d): %s",
			  WEXITSTATUS(status), tail);
}
