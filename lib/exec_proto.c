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

/*
 * Wait until @fd is readable within the bound: 1 readable, 0 ask again
 * (the caller does not give up yet), -1 timed out or given up.
 */
static int wait_readable(int fd, const struct wait_bound *b)
{
	struct pollfd pf = { fd, POLLIN, 0 };
	int ms = (int)((b->deadline - lw_now()) * 1000), ready;

	if (ms <= 0)
		return -1;
	ready = poll(&pf, 1, b->give_up && ms > 1000 ? 1000 : ms);
	if (ready == 0 && b->give_up && !b->give_up(b->arg))
		return 0;
	/* A signal (Ctrl-C in the campaign) ends the wait too. */
	return ready > 0 ? 1 : -1;
}

/*
 * Move all of @len bytes, reads within @b when it is given. The host
 * sends to a socket with MSG_NOSIGNAL (a guest that died closed its end:
 * EPIPE, not a SIGPIPE that kills the campaign); the guest reads and
 * writes a serial port, where send() does not work and the host's death
 * is the VM's.
 */
enum xfer { XFER_SEND, XFER_READ, XFER_WRITE };

static int xfer_full(int fd, void *buf, size_t len, enum xfer how,
		     const struct wait_bound *b)
{
	char *p = buf;

	while (len) {
		ssize_t n;

		if (b && how == XFER_READ) {
			int ready = wait_readable(fd, b);

			if (ready < 0)
				return -1;
			if (!ready)
				continue;
		}
		n = how == XFER_SEND   ? send(fd, p, len, MSG_NOSIGNAL)
		    : how == XFER_READ ? read(fd, p, len)
				       : write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* Read exactly @len bytes within the bound. */
static int read_full(int fd, void *buf, size_t len, const struct wait_bound *b)
{
	return xfer_full(fd, buf, len, XFER_READ, b);
}

static int write_full(int fd, const void *buf, size_t len)
{
	return xfer_full(fd, (void *)buf, len, XFER_SEND, NULL);
}

static uint32_t get_le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t get_le16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

static void put_le16(unsigned char *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

uint8_t exec_bucket(unsigned long n)
{
	uint8_t b = 0;

	while (n && b < 15) {
		n >>= 1;
		b++;
	}
	return b;
}

void exec_features_pack(const struct exec_features *f,
			unsigned char out[EXEC_FEATURES])
{
	put_le32(out, f->ok_codes);
	put_le32(out + 4, f->err_codes);
	put_le32(out + 8, f->checks);
	out[12] = f->points;
	out[13] = f->promises;
	out[14] = f->points_failed;
	out[15] = f->regular_extents;
	memcpy(out + 16, f->overlap, EXEC_OVERLAP_BYTES);
	out += 16 + EXEC_OVERLAP_BYTES;
	out[0] = f->delays;
	out[1] = f->delays_fired;
	out[2] = f->cov_on;
	out[3] = 0;
	memcpy(out + 4, f->cov, COV_BYTES);
	out += 4 + COV_BYTES;
	for (unsigned int t = 0; t < EXEC_THREADS; t++) {
		put_le16(out, f->nsites[t]);
		put_le16(out + 2, f->nshared[t]);
		out += 4;
	}
	for (unsigned int t = 0; t < EXEC_THREADS; t++)
		for (unsigned int i = 0; i < EXEC_THREAD_SITES; i++, out += 4)
			put_le32(out, f->sites[t][i]);
}

void exec_features_unpack(const unsigned char in[EXEC_FEATURES],
			  struct exec_features *f)
{
	f->ok_codes = get_le32(in);
	f->err_codes = get_le32(in + 4);
	f->checks = get_le32(in + 8);
	f->points = in[12];
	f->promises = in[13];
	f->points_failed = in[14];
	f->regular_extents = in[15];
	memcpy(f->overlap, in + 16, EXEC_OVERLAP_BYTES);
	in += 16 + EXEC_OVERLAP_BYTES;
	f->delays = in[0];
	f->delays_fired = in[1];
	f->cov_on = in[2];
	f->reserved = 0;
	memcpy(f->cov, in + 4, COV_BYTES);
	in += 4 + COV_BYTES;
	for (unsigned int t = 0; t < EXEC_THREADS; t++) {
		f->nsites[t] = get_le16(in);
		f->nshared[t] = get_le16(in + 2);
		if (f->nsites[t] > EXEC_THREAD_SITES)
			f->nsites[t] = EXEC_THREAD_SITES;
		if (f->nshared[t] > f->nsites[t])
			f->nshared[t] = f->nsites[t];
		in += 4;
	}
	for (unsigned int t = 0; t < EXEC_THREADS; t++)
		for (unsigned int i = 0; i < EXEC_THREAD_SITES; i++, in += 4)
			f->sites[t][i] = get_le32(in);
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
	put_le32(hdr + 4, len);
	if (write_full(fd, hdr, 8) || write_full(fd, wl, len) ||
	    read_full(fd, hdr, sizeof(hdr), &b) || memcmp(hdr, "LWRS", 4))
		return -1;
	rep->status = get_le32(hdr + 4);
	exec_features_unpack(hdr + 8, &rep->features);
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

static int port_write(int fd, const void *buf, size_t len)
{
	return xfer_full(fd, (void *)buf, len, XFER_WRITE, NULL);
}

static int port_read(int fd, void *buf, size_t len)
{
	return xfer_full(fd, buf, len, XFER_READ, NULL);
}

int exec_serve_ready(int fd)
{
	return port_write(fd, "LWRY\0\0\0\0", 8);
}

int exec_serve_next(int fd, unsigned char *buf, size_t max, size_t *len)
{
	unsigned char hdr[8];
	uint32_t n;

	if (port_read(fd, hdr, 8) || memcmp(hdr, "LWRQ", 4))
		return -1;
	n = get_le32(hdr + 4);
	if (!n)
		return 0;
	if (n > max || port_read(fd, buf, n))
		return -1;
	*len = n;
	return 1;
}

int exec_serve_reply(int fd, int status, const struct exec_features *f,
		     const char *report, size_t report_len)
{
	unsigned char hdr[8 + EXEC_FEATURES + 4];

	memcpy(hdr, "LWRS", 4);
	put_le32(hdr + 4, status);
	exec_features_pack(f, hdr + 8);
	put_le32(hdr + 8 + EXEC_FEATURES, report ? report_len : 0);
	if (port_write(fd, hdr, sizeof(hdr)) ||
	    (report && report_len && port_write(fd, report, report_len)))
		return -1;
	return 0;
}
