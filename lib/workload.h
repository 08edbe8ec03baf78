/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workloads: short programs of file operations in concurrent threads, the
 * unit lwfuzz runs, records and mutates.
 *
 * Names are fixed slots so that every byte string can decode into a valid
 * workload: files f0..f7 (at the top of the file system), directories
 * d0..d3, subvolumes/snapshots s0..s3. Each file slot has a buffered and an
 * O_DIRECT descriptor; `open` opens the buffered one, a direct pwrite or
 * pread opens the direct one on first use. Text form: docs/workloads.md.
 */
#ifndef LWFUZZ_WORKLOAD_H
#define LWFUZZ_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#define WL_MAX_THREADS 4
#define WL_MAX_OPS 64 /* per thread */
#define WL_FILES 8
#define WL_DIRS 4
#define WL_SUBVOLS 4
#define WL_BLOCK 4096u
#define WL_MAX_OFF (64u << 20) /* offsets below 64 MiB */
#define WL_MAX_LEN (4u << 20) /* at most 4 MiB per operation */
#define WL_MAX_SLEEP_MS 2000u
#define WL_MAX_ID 15u /* barrier and mark ids */

enum wl_code {
	WL_OPEN, /* file, flags OPEN_* */
	WL_CLOSE, /* file */
	WL_FALLOCATE, /* file, off, len, flags FALLOC_* */
	WL_PWRITE, /* file, off, len, flags IO_DIRECT, arg seed */
	WL_PREAD, /* file, off, len, flags IO_DIRECT */
	WL_FSYNC, /* file */
	WL_FDATASYNC, /* file */
	WL_SYNC, /* - */
	WL_TRUNCATE, /* file, len */
	WL_RENAME, /* file -> file2 */
	WL_LINK, /* file -> file2 */
	WL_UNLINK, /* file */
	WL_MKDIR, /* dir (in file) */
	WL_SUBVOL, /* create subvolume s<file> */
	WL_SNAPSHOT, /* snapshot of the top subvolume as s<file> */
	WL_TOUCH, /* futimens(file): an inode update to log */
	WL_MARK, /* arg: mark id, a log mark "op-mark-<id>" */
	WL_SLEEP, /* arg: milliseconds */
	WL_BARRIER, /* arg: barrier id */
	WL_NCODES
};

#define OPEN_CREAT (1u << 0)
#define OPEN_TRUNC (1u << 1)
#define OPEN_DSYNC (1u << 2)
#define OPEN_NOCOW (1u << 3) /* chattr +C after creation: NODATASUM */
#define OPEN_MASK 0xfu
#define IO_DIRECT (1u << 0)
#define FALLOC_KEEP_SIZE 1u
#define FALLOC_PUNCH_HOLE 2u
#define FALLOC_ZERO_RANGE 3u

struct wl_op {
	uint8_t code, file, file2, flags;
	uint32_t off, len, arg;
};

struct wl_thread {
	unsigned int nops;
	struct wl_op ops[WL_MAX_OPS];
	unsigned int line[WL_MAX_OPS]; /* text line of each op (0: none) */
};

struct workload {
	unsigned int nthreads;
	struct wl_thread threads[WL_MAX_THREADS];
};

/* Which fields an operation uses. */
#define WL_F_FILE (1u << 0)
#define WL_F_FILE2 (1u << 1)
#define WL_F_OFF (1u << 2)
#define WL_F_LEN (1u << 3)
#define WL_F_FLAGS (1u << 4)
#define WL_F_ARG (1u << 5)
unsigned int wl_fields(unsigned int code);

/* The name of @code in the text form ("pwrite"). */
const char *wl_code_name(unsigned int code);

/*
 * Check every op's values against the limits and the alignment direct IO
 * needs. Returns 0, or -1 with "line N: ..." (or "thread T op I: ...") in
 * @why.
 */
int wl_validate(const struct workload *w, char *why, size_t whylen);

/* Parse the text form; -1 with "line N: ..." in @why. */
int wl_parse_text(const char *text, struct workload *w, char *why,
		  size_t whylen);
/* The text form into a malloc'ed string. */
char *wl_format_text(const struct workload *w);

/*
 * The binary form AFL++ mutates: "LW" 1 nthreads, then per thread a count
 * and 16 bytes per op. Decoding maps every value into its valid range, so
 * every byte string that starts with the header decodes to a valid
 * workload; anything else is rejected at once (-1).
 */
size_t wl_encode(const struct workload *w, unsigned char *buf, size_t len);
int wl_decode(const unsigned char *buf, size_t len, struct workload *w);
#define WL_BIN_MAX (4 + WL_MAX_THREADS * (1 + WL_MAX_OPS * 16))

/*
 * 1 when the threads' barriers can deadlock (opposite orders, an id twice
 * in one thread while another thread has it once), else 0.
 */
int wl_barrier_deadlock(const struct workload *w);

/* 1 when the two workloads are the same program (line numbers aside). */
int wl_equal(const struct workload *a, const struct workload *b);

/*
 * The content a pwrite writes: every 8 bytes are (seed, file offset) mixed,
 * so the data is reproducible and each block names where it belongs.
 */
void wl_pattern(uint32_t seed, uint64_t off, void *buf, size_t len);

#endif
