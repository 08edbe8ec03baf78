/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a dm-log-writes log (drivers/md/dm-log-writes.c): a super block
 * in the first log sector, then per entry one sector of header (struct
 * log_write_entry, a mark's text after it) followed by the entry's data,
 * nr_sectors device sectors, except for discards, which carry none.
 *
 * The reader streams: it holds one entry at a time and never more than a
 * sector of the log in memory. Everything it reads is checked against the
 * log's own size and, when known, the size of the device the log was
 * recorded from.
 */
#ifndef LWFUZZ_LOG_READER_H
#define LWFUZZ_LOG_READER_H

#include <stddef.h>
#include <stdint.h>

#define LOG_MAGIC 0x6a736677736872ULL
#define LOG_VERSION 1

/* Entry flags, as the kernel writes them. */
#define LOG_FLUSH (1u << 0)
#define LOG_FUA (1u << 1)
#define LOG_DISCARD (1u << 2)
#define LOG_MARK (1u << 3)
#define LOG_METADATA (1u << 4)
#define LOG_KNOWN_FLAGS 0x1fu

/* Bytes of a log entry header; a mark's text follows it in its sector. */
#define LOG_ENTRY_HDR 32
/* The kernel's end-of-log mark. */
#define LOG_END_MARK "dm-log-writes-end"

struct log_super {
	uint64_t magic;
	uint64_t version;
	uint64_t nr_entries;
	uint32_t sectorsize;
};

struct log_entry {
	uint64_t index; /* 0-based position in the log */
	uint64_t sector; /* first device sector (sectorsize units) */
	uint64_t nr_sectors; /* device sectors written or discarded */
	uint64_t flags;
	uint64_t data_len; /* a mark's text length */
	uint64_t log_offset; /* byte offset of the entry header */
	uint64_t data_offset; /* byte offset of the data in the log */
	uint64_t data_bytes; /* bytes of data (0 for discards, marks) */
	char mark[4096]; /* the mark's text, NUL-terminated */
};

struct log_reader;

/*
 * Open a log in an image file or block device. @target_bytes is the size of
 * the device the log was recorded from (0: unknown, no range check). NULL
 * with one line in @why (what and where) on any error.
 */
struct log_reader *log_open(const char *path, uint64_t target_bytes, char *why,
			    size_t whylen);
/* The same over an open descriptor of @size bytes (not closed by us). */
struct log_reader *log_open_fd(int fd, uint64_t size, uint64_t target_bytes,
			       char *why, size_t whylen);
void log_close(struct log_reader *r);

const struct log_super *log_super(const struct log_reader *r);

/*
 * The next entry into @e: 1, 0 after the last (nr_entries of the super
 * block), -1 with one line in @why when the entry is malformed.
 */
int log_next(struct log_reader *r, struct log_entry *e, char *why,
	     size_t whylen);

/* Read @len bytes of @e's data from byte @off of it; 0 or -1. */
int log_read_data(struct log_reader *r, const struct log_entry *e, uint64_t off,
		  void *buf, size_t len);

/*
 * A log's super block as the kernel writes it (28 bytes into @buf, which
 * holds @sectorsize bytes; the rest zeroed): for writing a log that joins
 * two logs' entries (guest/fs_template).
 */
void log_super_encode(void *buf, uint64_t nr_entries, uint32_t sectorsize);

/* "FLUSH|FUA|METADATA" for @flags (static buffer); "-" for none. */
const char *log_flags_str(uint64_t flags);

#endif
