/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Poison: what the replay target holds where the log never wrote. Every
 * 4 KiB block is the 16-byte unit "LWFZPOIS" + le64 block number, repeated,
 * so a file that reads back poison exposes device content that was never
 * written — stale data — and says which block it came from.
 */
#ifndef LWFUZZ_POISON_H
#define LWFUZZ_POISON_H

#include <stddef.h>
#include <stdint.h>

#define POISON_BLOCK 4096u

/* Fill @buf (POISON_BLOCK bytes) with block @blockno's poison. */
void poison_fill(uint64_t blockno, void *buf);
/* The block number if @buf (POISON_BLOCK bytes) is poison, else -1. */
int64_t poison_block_of(const void *buf);
/* Poison [off, off+len) of @fd, rounded out to whole blocks; 0 or -errno. */
int poison_range(int fd, uint64_t off, uint64_t len);

#endif
