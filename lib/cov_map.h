/* SPDX-License-Identifier: GPL-2.0 */
/*
 * btrfs coverage as the host sees it: a bitmap of the edges one execution
 * reached (COV_BYTES bytes; bit i is edge slot i of btrfs.ko's collector,
 * lib/lwfuzz_kmod.h), cumulative bitmaps of a campaign, and the folding of
 * an execution's edges into AFL++'s map.
 */
#ifndef LWFUZZ_COV_MAP_H
#define LWFUZZ_COV_MAP_H

#include <stddef.h>
#include <stdint.h>

#define COV_EDGES 65536u /* LWFUZZ_COV_MAP */
#define COV_BYTES (COV_EDGES / 8)

/* The collector's hit counts (COV_EDGES bytes) into @bits; edges set. */
unsigned int cov_from_counts(const uint8_t *counts, uint8_t *bits);
/* Edges set in @bits. */
unsigned int cov_count(const uint8_t *bits);
/* Edges of both, and of @a alone. */
unsigned int cov_common(const uint8_t *a, const uint8_t *b);
/* OR @bits into @total; how many edges were new to it. */
unsigned int cov_merge(uint8_t *total, const uint8_t *bits);
/*
 * Each edge of @bits as one hit of its own entry of AFL++'s map (@size
 * entries): entry (edge * 0x9e3779b1) mod @size, which for a power of two
 * @size of at least COV_EDGES spreads the edges over distinct entries.
 */
void cov_fold(const uint8_t *bits, uint8_t *map, size_t size);
/*
 * OR @bits into the bitmap file @path (created when missing), under an
 * exclusive lock; the edges the file then holds, or -1.
 */
long cov_merge_file(const char *path, const uint8_t *bits);
/* Edges in the bitmap file @path; 0 when it is missing or torn. */
unsigned int cov_count_file(const char *path);

#endif
