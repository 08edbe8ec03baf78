/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host side of the execution protocol with a serving guest
 * (`lwfuzz-agent run --serve`), over the Unix socket QEMU exposes for the
 * guest's ttyS2: request "LWRQ" le32 length + workload (binary form; a
 * zero length ends the guest's loop), reply "LWRS" le32 status,
 * EXEC_FEATURES feature bytes, le32 length + JSON report.
 */
#ifndef LWFUZZ_EXEC_PROTO_H
#define LWFUZZ_EXEC_PROTO_H

#include <stddef.h>
#include <stdint.h>

/*
 * 16 bytes of what the execution reached (operations, checks, counts),
 * then the driver's bitmap of operation pairs that ran concurrently.
 */
#define EXEC_FEATURES_BASE 16
#define EXEC_FEATURES (EXEC_FEATURES_BASE + 96)

/* The guest gave up: a thread is stuck in the kernel; it shuts down. */
#define EXEC_STUCK 3

struct exec_reply {
	int status; /* 0 clean, 1 a check failed, 2 error, EXEC_STUCK */
	unsigned char features[EXEC_FEATURES];
	char *report; /* malloc'ed JSON, may be NULL */
	size_t report_len;
};

/* Connect to the guest's socket, retrying for up to @wait_s seconds. */
int exec_connect(const char *socket_path, unsigned int wait_s);
/* Wait for the guest's ready frame on a fresh connection. */
int exec_wait_ready(int fd, unsigned int timeout_s);
/* Send one workload (binary form) and read the reply; 0 or -1. */
int exec_request(int fd, const unsigned char *wl, size_t len,
		 struct exec_reply *rep, unsigned int timeout_s);
/*
 * The same, but giving up early (-1) once @give_up(@arg) is true; it is
 * asked about once a second while the reply is awaited.
 */
int exec_request_until(int fd, const unsigned char *wl, size_t len,
		       struct exec_reply *rep, unsigned int timeout_s,
		       int (*give_up)(void *), void *arg);
/* Ask the guest to stop serving. */
int exec_quit(int fd);

#endif
