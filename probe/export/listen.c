/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* listen.c - "HOST:PORT", "[IPv6]:PORT" and ":PORT" as socket addresses, and back. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "export/export-internal.h"

#define HOST_MAX 64

/* parse_port - 0..65535, digits only. */
static int parse_port(const char *s, in_port_t *ret)
{
	unsigned long v = 0;
	size_t n = 0;

	for (; s[n] >= '0' && s[n] <= '9'; n++) {
		v = v * 10 + (unsigned long)(s[n] - '0');
		if (v > 65535)
			return -EINVAL;
	}
	if (n == 0 || s[n])
		return -EINVAL;
	*ret = htons((in_port_t)v);
	return 0;
}

/* set_v6 - @ret as the IPv6 address @host (NULL: any). */
static int set_v6(const char *host, in_port_t port, struct rtlab_listen_addr *ret)
{
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ret->ss;

	a->sin6_family = AF_INET6;
	a->sin6_port = port;
	a->sin6_addr = in6addr_any;
	if (host && inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
		return -EINVAL;
	ret->len = sizeof(*a);
	return 0;
}

/* set_v4 - @ret as the IPv4 address @host ("localhost" is 127.0.0.1). */
static int set_v4(const char *host, in_port_t port, struct rtlab_listen_addr *ret)
{
	struct sockaddr_in *a = (struct sockaddr_in *)&ret->ss;

	a->sin_family = AF_INET;
	a->sin_port = port;
	if (strcmp(host, "localhost") == 0)
		host = "127.0.0.1";
	if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
		return -EINVAL;
	ret->len = sizeof(*a);
	return 0;
}

/* rtlab_listen_parse - see probe-export.h. */
int rtlab_listen_parse(const char *s, struct rtlab_listen_addr *ret)
{
	char host[HOST_MAX];
	const char *colon;
	in_port_t port;
	size_t hlen;

	memset(ret, 0, sizeof(*ret));
	if (!s)
		return -EINVAL;
	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (!end || end[1] != ':' || (hlen = (size_t)(end - s - 1)) == 0 ||
		    hlen >= sizeof(host) || parse_port(end + 2, &port) < 0)
			return -EINVAL;
		memcpy(host, s + 1, hlen);
		host[hlen] = '\0';
		return set_v6(host, port, ret);
	}
	colon = strchr(s, ':');
	/* No port, or an IPv6 address without brackets. */
	if (!colon || strchr(colon + 1, ':') || parse_port(colon + 1, &port) < 0)
		return -EINVAL;
	hlen = (size_t)(colon - s);
	if (hlen == 0) {
		ret->any = true;
		return set_v6(NULL, port, ret);
	}
	if (hlen >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	return set_v4(host, port, ret);
}

/* rtlab_sockaddr_format - the address as "host:port" ("[v6]:port"). */
int rtlab_sockaddr_format(const struct sockaddr *sa, socklen_t len, char *buf, size_t size)
{
	char host[INET6_ADDRSTRLEN];
	unsigned int port;
	int n;

	if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
		port = ntohs(a->sin_port);
		n = snprintf(buf, size, "%s:%u", host, port);
	} else if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
		port = ntohs(a->sin6_port);
		n = snprintf(buf, size, "[%s]:%u", host, port);
	} else {
		return -EAFNOSUPPORT;
	}
	return n < 0 || (size_t)n >= size ? -ENOSPC : n;
}
