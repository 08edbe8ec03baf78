/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Promises carried by dm-log-writes marks: what a durability point (an
 * fsync that returned, say) promised, so the replayer can hold every later
 * crash state to it. This module owns the mark language; nobody else
 * parses it.
 *
 *   lwfuzz-state:FACTS:PATH   PATH must show FACTS at every crash point
 *                             after this mark (until forgotten)
 *   lwfuzz-expect:OFF:LEN:DIGEST:PATH
 *                             bytes [OFF, OFF+LEN) of PATH hash to DIGEST
 *                             (16 hex digits of 64-bit FNV-1a); the form
 *                             of logs written before lwfuzz-state
 *   lwfuzz-forget:PATH        drop PATH's promises (before PATH, the
 *                             inode it names, or its entries change)
 *
 * FACTS is a comma-separated list of KEY=VALUE, none holding ':' or ',':
 *   rule=NAME      the rule of docs/workloads.md that made the promise
 *   by=MARK        the durability point's own mark ("fsync-t0-o3")
 *   type=reg|dir|lnk
 *   ino=N[|M]      PATH names inode N (or M: a rename's two outcomes)
 *   notino=N       PATH is missing or names another inode than N
 *   size=N  content=HEX  nlink=N  mode=OCTAL  xattr=HEX (sorted pairs)
 *   target=TEXT    the symlink's target
 *   entries=LIST   the directory's entries, exactly: "rf0/dd1/ll0", each
 *                  a type letter (r, d, l, o) and a name, sorted by name
 *   off=N len=N range=HEX   bytes [off, off+len) hash to HEX
 *
 * PATH is relative to the file system's top (no leading '/', no spaces: a
 * mark is one word). A state mark replaces the earlier state mark of the
 * same PATH; a range (expect marks, or state marks with off/len) replaces
 * the overlapping ranges of the same PATH. A mark is at most 480 bytes
 * with 512-byte log sectors.
 */
#ifndef LWFUZZ_PROMISE_MARK_H
#define LWFUZZ_PROMISE_MARK_H

#include <stddef.h>
#include <stdint.h>

#define EXPECT_PREFIX "lwfuzz-expect:"
#define FORGET_PREFIX "lwfuzz-forget:"
#define STATE_PREFIX "lwfuzz-state:"
#define PROMISE_PATH_MAX 400
#define PROMISE_MARK_MAX 480
#define PROMISE_TARGET_MAX 64
#define PROMISE_ENTRIES_MAX 200

/* The facts a promise holds its path to. */
#define PF_RANGE (1u << 0)
#define PF_TYPE (1u << 1)
#define PF_INO (1u << 2)
#define PF_NOTINO (1u << 3)
#define PF_SIZE (1u << 4)
#define PF_CONTENT (1u << 5)
#define PF_NLINK (1u << 6)
#define PF_MODE (1u << 7)
#define PF_XATTR (1u << 8)
#define PF_TARGET (1u << 9)
#define PF_ENTRIES (1u << 10)

enum fs_type { FT_NONE, FT_REG, FT_DIR, FT_LNK, FT_OTHER };

struct promise {
	char path[PROMISE_PATH_MAX + 1];
	unsigned int facts;
	char rule[24], by[40];
	enum fs_type type;
	uint64_t ino[2];
	unsigned int nino;
	uint64_t notino, size, content, xattr;
	uint32_t nlink, mode;
	uint64_t off, len, range; /* PF_RANGE */
	char target[PROMISE_TARGET_MAX + 1];
	char entries[PROMISE_ENTRIES_MAX + 1];
	uint64_t entry; /* log entry of the mark (set by the replayer) */
};

enum mark_kind { MARK_OTHER, MARK_EXPECT, MARK_STATE, MARK_FORGET, MARK_BAD };

/* What @mark is; fills @p for MARK_EXPECT and MARK_STATE (path only for
 * MARK_FORGET). */
enum mark_kind promise_mark_parse(const char *mark, struct promise *p);
/*
 * The state mark for @p into @buf (PROMISE_MARK_MAX + 1 bytes is always
 * enough room for a mark that is valid); -1 when it does not fit in @len
 * or PATH is bad.
 */
int promise_mark_format(char *buf, size_t len, const struct promise *p);
/* The expect mark (range only) for @p. */
int expect_mark_format(char *buf, size_t len, const struct promise *p);
/* The name of @t in marks ("reg"), and its letter in entry lists ('r'). */
const char *fs_type_name(enum fs_type t);
char fs_type_letter(enum fs_type t);

/* The active promises while replaying. */
struct promise_set {
	struct promise *p;
	size_t n, cap;
};

/* Apply a parsed mark: add/replace (EXPECT, STATE) or drop (FORGET). */
int promise_set_apply(struct promise_set *s, enum mark_kind kind,
		      const struct promise *p);
void promise_set_free(struct promise_set *s);

#endif
