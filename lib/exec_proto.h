/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The execution protocol between the host (`lwfuzz exec`, the campaign)
 * and a serving guest (`lwfuzz-agent run --serve`), both ends, over the
 * guest's ttyS2 (a Unix socket on the host):
 *   guest: "LWRY" le32 0                       ready, once
 *   host:  "LWRQ" le32 length + workload       (binary form; length 0:
 *                                               stop serving)
 *   guest: "LWRS" le32 status, EXEC_FEATURES feature bytes,
 *          le32 length + JSON report (lib/report.h)
 * The feature bytes are struct exec_features packed by
 * exec_features_pack(); nobody else touches their layout.
 */
#ifndef LWFUZZ_EXEC_PROTO_H
#define LWFUZZ_EXEC_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "lib/cov_map.h"

/* The guest gave up: a thread is stuck in the kernel; it shuts down. */
#define EXEC_STUCK 3

/* Bytes of the operation-pair bitmap (the driver's overlap map fits). */
#define EXEC_OVERLAP_BYTES 96
/* Thread sites: per workload thread (WL_MAX_THREADS), up to this many. */
#define EXEC_THREADS 4
#define EXEC_THREAD_SITES 256
#define EXEC_FEATURES                                  \
	(16 + EXEC_OVERLAP_BYTES + 4 + COV_BYTES + 4 * EXEC_THREADS + \
	 4 * EXEC_THREADS * EXEC_THREAD_SITES)

/* What one execution reached: the campaign's feedback. */
struct exec_features {
	uint32_t ok_codes; /* bit per workload operation code that succeeded */
	uint32_t err_codes; /* ... that failed */
	uint32_t checks; /* bit per check kind that failed */
	/* Counts as log2 buckets (0 for 0, then 1 + floor(log2 n), max 15). */
	uint8_t points, promises, points_failed, regular_extents;
	/*
	 * Bit (a * WL_NCODES + b) * 2 + same_file: operation a started while
	 * b was in flight in another thread.
	 */
	uint8_t overlap[EXEC_OVERLAP_BYTES];
	/* "delay" operations armed and fired, as buckets. */
	uint8_t delays, delays_fired;
	uint8_t cov_on; /* 1: btrfs.ko collected coverage (cov is real) */
	uint8_t reserved; /* 0 */
	uint8_t cov[COV_BYTES]; /* the btrfs edges reached (lib/cov_map.h) */
	/*
	 * Thread sites: per workload thread, btrfs functions it ran (ids,
	 * lib/delay_site.h), where a delay in that thread can stop it; the
	 * first nshared of them another thread ran too (race sites).
	 */
	uint16_t nsites[EXEC_THREADS], nshared[EXEC_THREADS];
	uint32_t sites[EXEC_THREADS][EXEC_THREAD_SITES];
};

/* The bucket of a count, as the features carry it. */
uint8_t exec_bucket(unsigned long n);
void exec_features_pack(const struct exec_features *f,
			unsigned char out[EXEC_FEATURES]);
void exec_features_unpack(const unsigned char in[EXEC_FEATURES],
			  struct exec_features *f);

struct exec_reply {
	int status; /* 0 clean, 1 a check failed, 2 error, EXEC_STUCK */
	struct exec_features features;
	char *report; /* malloc'ed JSON, may be NULL */
	size_t report_len;
};

/* The host's end. */

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

/* The guest's end. */

/* Say ready. 0 or -1. */
int exec_serve_ready(int fd);
/*
 * Wait for the next request: 1 and its workload in @buf (@*len bytes), 0
 * when the host asks to stop, -1 on a broken request or a closed port.
 */
int exec_serve_next(int fd, unsigned char *buf, size_t max, size_t *len);
/* Answer one request. 0 or -1. */
int exec_serve_reply(int fd, int status, const struct exec_features *f,
		     const char *report, size_t report_len);

#endif
