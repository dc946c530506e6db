/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mhd-bare.c - the RSS of a bare libmicrohttpd server: the least a /metrics
 * server built on this machine's libmicrohttpd can weigh.
 *
 *	bench-mhd-bare [--rounds N]
 *
 * Starts a daemon on a loopback port of the kernel's choice that answers
 * every GET with a constant four-byte body, GETs it N times (default 50) over
 * new connections from this process, and prints VmRSS / VmHWM and the shared
 * libraries mapped.  Nothing of rtlab is linked: the figures are those of the
 * C library and libmicrohttpd with what it pulls in (Debian's build links
 * GnuTLS and initializes it at load time, whether TLS is used or not).
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* answer - the same short body for every request. */
static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **con_cls)
{
	static const char body[] = "x 1\n";
	struct MHD_Response *r;
	enum MHD_Result ret;

	(void)cls, (void)url, (void)method, (void)version, (void)upload;
	(void)upload_size, (void)con_cls;
	r = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body,
					    MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* get - one GET of / on 127.0.0.1:@port, read to the end; 0 or -1. */
static int get(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	static const char req[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
	char buf[4096];
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ssize_t n;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1)) {
		close(fd);
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return n < 0 ? -1 : 0;
}

/* show_status - the VmRSS and VmHWM lines of this process, and its shared libraries. */
static void show_status(void)
{
	char line[512];
	FILE *f = fopen("/proc/self/status", "r");
	int libs = 0;

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "VmRSS:", 6) == 0 || strncmp(line, "VmHWM:", 6) == 0)
			fputs(line, stdout);
	if (f)
		fclose(f);
	f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof(line), f)) {
		/* the first mapping of each library is at offset 0 and readable */
		if (strstr(line, ".so") && strstr(line, " r--p 00000000 "))
			libs++;
	}
	if (f)
		fclose(f);
	printf("shared libraries mapped: %d\n", libs);
}

int main(int argc, char **argv)
{
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	long rounds = 50;

	if (argc == 3 && strcmp(argv[1], "--rounds") == 0) {
		rounds = strtol(argv[2], NULL, 10);
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [--rounds N]\n", argv[0]);
		return 2;
	}
	if (rounds < 1)
		return 2;
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
			     answer, NULL, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "bench-mhd-bare: cannot start a daemon\n");
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	for (long i = 0; info && i < rounds; i++)
		if (get(info->port) < 0) {
			fprintf(stderr, "bench-mhd-bare: GET failed\n");
			MHD_stop_daemon(d);
			return 1;
		}
	show_status();
	MHD_stop_daemon(d);
	return 0;
}
