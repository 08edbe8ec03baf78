// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/exec_proto.h"
#include "lib/msg.h"

int exec_connect(const char *socket_path, unsigned int wait_s)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	double end = lw_now() + wait_s;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", socket_path);
	do {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd >= 0 &&
		    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		if (fd >= 0)
			close(fd);
		usleep(100 * 1000);
	} while (lw_now() < end);
	return -1;
}

struct wait_bound {
	double deadline;
	int (*give_up)(void *);
	void *arg;
};

/* Read exactly @len bytes within the bound. */
static int read_full(int fd, void *buf, size_t len, const struct wait_bound *b)
{
	char *p = buf;

	while (len) {
		struct pollfd pf = { fd, POLLIN, 0 };
		int ms = (int)((b->deadline - lw_now()) * 1000), ready;
		ssize_t n;

		if (ms <= 0)
			return -1;
		ready = poll(&pf, 1, b->give_up && ms > 1000 ? 1000 : ms);
		if (ready == 0 && b->give_up && !b->give_up(b->arg))
			continue;
		if (ready <= 0)
			return -1;
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		/* A guest that died closed its end: EPIPE, not SIGPIPE. */
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static uint32_t get_le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

int exec_wait_ready(int fd, unsigned int timeout_s)
{
	unsigned char hdr[8];
	struct wait_bound b = { lw_now() + timeout_s, NULL, NULL };

	if (read_full(fd, hdr, 8, &b))
		return -1;
	return memcmp(hdr, "LWRY", 4) ? -1 : 0;
}

int exec_request(int fd, const unsigned char *wl, size_t len,
		 struct exec_reply *rep, unsigned int timeout_s)
{
	return exec_request_until(fd, wl, len, rep, timeout_s, NULL, NULL);
}

int exec_request_until(int fd, const unsigned char *wl, size_t len,
		       struct exec_reply *rep, unsigned int timeout_s,
		       int (*give_up)(void *), void *arg)
{
	unsigned char hdr[8 + EXEC_FEATURES + 4];
	struct wait_bound b = { lw_now() + timeout_s, give_up, arg };
	uint32_t rlen;

	memset(rep, 0, sizeof(*rep));
	memcpy(hdr, "LWRQ", 4);
	hdr[4] = len;
	hdr[5] = len >> 8;
	hdr[6] = len >> 16;
	hdr[7] = len >> 24;
	if (write_full(fd, hdr, 8) || write_full(fd, wl, len) ||
	    read_full(fd, hdr, sizeof(hdr), &b) || memcmp(hdr, "LWRS", 4))
		return -1;
	rep->status = get_le32(hdr + 4);
	memcpy(rep->features, hdr + 8, EXEC_FEATURES);
	rlen = get_le32(hdr + 8 + EXEC_FEATURES);
	if (rlen > (16u << 20))
		return -1;
	rep->report = malloc(rlen + 1);
	if (!rep->report || read_full(fd, rep->report, rlen, &b)) {
		free(rep->report);
		rep->report = NULL;
		return -1;
	}
	rep->report[rlen] = '\0';
	rep->report_len = rlen;
	return 0;
}

int exec_quit(int fd)
{
	return write_full(fd, "LWRQ\0\0\0\0", 8);
}
