/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * http-util.h - a raw HTTP/1.1 client for the server tests: send exact bytes,
 * read the whole answer, pick out status and body.  Header-only.
 */
#ifndef RTLAB_TEST_HTTP_UTIL_H
#define RTLAB_TEST_HTTP_UTIL_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <rtlab/rtlab.h>

#define HTTP_TIMEOUT_S 10

/* http_connect - a socket connected to 127.0.0.1:@port with I/O timeouts, or -1. */
static inline int http_connect(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct timeval tv = { .tv_sec = HTTP_TIMEOUT_S };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* http_send_all - the whole of @s; false if the peer closed or timed out first. */
static inline bool http_send_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);

		if (w <= 0)
			return false;
		s += w;
		n -= (size_t)w;
	}
	return true;
}

/* http_read_all - everything until the peer closes (or the timeout) into @resp. */
static inline void http_read_all(int fd, struct rtlab_buf *resp)
{
	char chunk[16384];
	ssize_t r;

	rtlab_buf_reset(resp);
	rtlab_buf_append(resp, "", 0);
	while ((r = recv(fd, chunk, sizeof(chunk), 0)) > 0)
		rtlab_buf_append(resp, chunk, (size_t)r);
}

/*
 * http_raw - send @n bytes of @req to 127.0.0.1:@port, read the answer until
 * the server closes.  Returns the status (0 if no status line came back: the
 * server closed without answering), -1 if it could not connect.
 */
static inline int http_raw(int port, const char *req, size_t n, struct rtlab_buf *resp)
{
	int fd = http_connect(port), status = 0;

	if (fd < 0)
		return -1;
	/* No half close after it: Go servers take it for a client gone and cancel. */
	http_send_all(fd, req, n);
	http_read_all(fd, resp);
	close(fd);
	if (resp->len >= 12 && strncmp(resp->data, "HTTP/1.", 7) == 0)
		status = atoi(resp->data + 9);
	return status;
}

/* http_request - "METHOD PATH HTTP/1.1" with Connection: close; the status as http_raw(). */
static inline int http_request(int port, const char *method, const char *path,
			       struct rtlab_buf *resp)
{
	char req[512];
	int n = snprintf(req, sizeof(req),
			 "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", method,
			 path);

	return http_raw(port, req, (size_t)n, resp);
}

/* http_get10 - "GET PATH HTTP/1.0": servers answer without chunks and close after it. */
static inline int http_get10(int port, const char *path, struct rtlab_buf *resp)
{
	char req[1024];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", path);

	return http_raw(port, req, (size_t)n, resp);
}

/* http_body - the body of an answer in @resp ("" if none). */
static inline const char *http_body(const struct rtlab_buf *resp)
{
	const char *p = resp->data ? strstr(resp->data, "\r\n\r\n") : NULL;

	return p ? p + 4 : "";
}

/* http_header - does the answer's header block hold the line @line (case as sent)? */
static inline bool http_header(const struct rtlab_buf *resp, const char *line)
{
	const char *end = resp->data ? strstr(resp->data, "\r\n\r\n") : NULL;
	const char *p = resp->data ? strstr(resp->data, line) : NULL;

	return p && end && p < end;
}

#endif /* RTLAB_TEST_HTTP_UTIL_H */
