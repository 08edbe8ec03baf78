/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Data expectations carried by dm-log-writes marks: what a durability
 * point (an fsync that returned, say) promised, so the replayer can hold
 * every later crash state to it.
 *
 *   lwfuzz-expect:OFF:LEN:DIGEST:PATH   bytes [OFF, OFF+LEN) of PATH must
 *                                       hash to DIGEST (16 hex digits of
 *                                       64-bit FNV-1a) at every crash point
 *                                       after this mark
 *   lwfuzz-forget:PATH                  drop PATH's expectations (before
 *                                       PATH is modified, renamed, removed)
 *
 * PATH is relative to the file system's top (no leading '/', no spaces: a
 * mark is one word). A later expectation for an overlapping range of the
 * same PATH replaces the earlier one. A mark is at most 480 bytes with 512-
 * byte log sectors.
 */
#ifndef LWFUZZ_EXPECT_MARK_H
#define LWFUZZ_EXPECT_MARK_H

#include <stddef.h>
#include <stdint.h>

#define EXPECT_PREFIX "lwfuzz-expect:"
#define FORGET_PREFIX "lwfuzz-forget:"
#define EXPECT_PATH_MAX 400

struct expectation {
	char path[EXPECT_PATH_MAX + 1];
	uint64_t off, len, digest;
	uint64_t entry; /* log entry of the mark (set by the replayer) */
};

enum mark_kind { MARK_OTHER, MARK_EXPECT, MARK_FORGET, MARK_BAD };

/* What @mark is; fills @x for MARK_EXPECT (path only for MARK_FORGET). */
enum mark_kind expect_mark_parse(const char *mark, struct expectation *x);
/* The mark text for @x into @buf; -1 when it does not fit or PATH is bad. */
int expect_mark_format(char *buf, size_t len, const struct expectation *x);
/* The digest of @len bytes. */
uint64_t expect_digest(const void *buf, size_t len);

/* The active expectations while replaying. */
struct expect_set {
	struct expectation *x;
	size_t n, cap;
};

/* Apply a parsed mark: add/replace (MARK_EXPECT) or drop (MARK_FORGET). */
int expect_set_apply(struct expect_set *s, enum mark_kind kind,
		     const struct expectation *x);
void expect_set_free(struct expect_set *s);

#endif
