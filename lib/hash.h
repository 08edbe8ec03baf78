/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 64-bit FNV-1a, for cache keys: "did any input of this build change?".
 * Not for anything adversarial.
 */
#ifndef LWFUZZ_HASH_H
#define LWFUZZ_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_INIT 0xcbf29ce484222325ULL

uint64_t hash_bytes(uint64_t h, const void *buf, size_t len);
uint64_t hash_str(uint64_t h, const char *s); /* includes the NUL */
/* Content of the file at @path; -1 (returns h unchanged) if unreadable. */
int hash_file(uint64_t *h, const char *path);

#endif
