/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workloads: short programs of file operations in concurrent threads, the
 * unit lwfuzz runs, records and mutates.
 *
 * Operations name paths in a small tree: one to three components, each a
 * name from a fixed alphabet of sixteen (f0..f7, d0..d3, l0, l1, s0, s1),
 * or "." for the top directory. A path is a 16-bit id, so every byte
 * string can decode into a valid workload; the names suggest a type but
 * any name can hold a file, a directory or a symlink. A path that an
 * operation opened keeps its descriptors (a buffered and an O_DIRECT one)
 * until "close": operations on that path use them even after a rename or
 * unlink, which is how a workload fsyncs an unlinked file. Text form:
 * docs/workloads.md.
 */
#ifndef LWFUZZ_WORKLOAD_H
#define LWFUZZ_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#define WL_MAX_THREADS 4
#define WL_MAX_OPS 64 /* per thread */
#define WL_BLOCK 4096u
#define WL_MAX_OFF (64u << 20) /* offsets below 64 MiB */
#define WL_MAX_LEN (4u << 20) /* at most 4 MiB per operation */
#define WL_MAX_SLEEP_MS 2000u
#define WL_MAX_ID 15u /* barrier and mark ids */
#define WL_MAX_XATTR 4000u /* bytes of an xattr value */
#define WL_XATTR_NAMES 4u /* user.x0 .. user.x3 */
#define WL_MAX_MODE 07777u
#define WL_MAX_DELAY_MS 1000u /* LWFUZZ_DELAY_MAX_MS */
#define WL_MAX_DELAY_HIT 1000u /* LWFUZZ_DELAY_MAX_HIT */

/*
 * Path ids: bits 0-3, 4-7, 8-11 the components (first is outermost), bits
 * 12-13 the depth minus one; depth bits 3 is the top directory ".".
 */
#define WL_NAMES 16u
#define WL_PATH_DEPTH_MAX 3u
#define WL_PATH_TOP 0x3000u
#define WL_PATH_MASK 0x3fffu
#define WL_PATH_IDS (WL_PATH_MASK + 1)
#define WL_PATH_TEXT 16 /* "d3/d3/f7" and its NUL fit */

enum wl_code {
	WL_OPEN, /* path, flags OPEN_* */
	WL_CLOSE, /* path */
	WL_FALLOCATE, /* path, off, len, flags FALLOC_* (a mode) */
	WL_PWRITE, /* path, off, len, flags IO_DIRECT, arg seed */
	WL_PREAD, /* path, off, len, flags IO_DIRECT */
	WL_MWRITE, /* path, off, len, flags MWRITE_MSYNC, arg seed: mmap */
	WL_FSYNC, /* path (a file or a directory) */
	WL_FDATASYNC, /* path */
	WL_SYNC_RANGE, /* path, off, len: sync_file_range, promises nothing */
	WL_SYNC, /* - */
	WL_SYNCFS, /* - */
	WL_TRUNCATE, /* path, len */
	WL_RENAME, /* path -> path2, flags RENAME_* */
	WL_LINK, /* path -> path2 */
	WL_UNLINK, /* path */
	WL_MKDIR, /* path */
	WL_RMDIR, /* path */
	WL_SYMLINK, /* symlink at path2 whose target is the text of path */
	WL_TMPFILE, /* O_TMPFILE in path's directory, kept as path's fd */
	WL_LINKAT, /* give path's O_TMPFILE descriptor the name path */
	WL_SETXATTR, /* path, flags name index, len, arg seed */
	WL_REMOVEXATTR, /* path, flags name index */
	WL_CHMOD, /* path, arg mode */
	WL_CLONE, /* FICLONERANGE path [off, off+len) to path2 at arg */
	WL_COPY_RANGE, /* copy_file_range, same fields as clone */
	WL_SUBVOL, /* create a subvolume at path */
	WL_SNAPSHOT, /* snapshot of the top subvolume at path */
	WL_TOUCH, /* futimens(path): an inode update for fsync to log */
	WL_MARK, /* arg: mark id, a log mark "op-mark-<id>" */
	WL_SLEEP, /* arg: milliseconds */
	WL_BARRIER, /* arg: barrier id */
	WL_DELAY, /* arg: site id (lib/delay_site.h), len: ms, off: hit */
	WL_NCODES
};

#define OPEN_CREAT (1u << 0)
#define OPEN_TRUNC (1u << 1)
#define OPEN_DSYNC (1u << 2)
#define OPEN_NOCOW (1u << 3) /* chattr +C after creation: NODATASUM */
#define OPEN_SYNC (1u << 4)
#define OPEN_FLAGS 5
#define OPEN_MASK 0x1fu
#define IO_DIRECT (1u << 0)
#define MWRITE_MSYNC (1u << 0) /* msync(MS_SYNC) before munmap */
#define FALLOC_KEEP_SIZE 1u
#define FALLOC_PUNCH_HOLE 2u
#define FALLOC_ZERO_RANGE 3u
#define FALLOC_ZERO_RANGE_KEEP 4u
#define FALLOC_COLLAPSE_RANGE 5u
#define FALLOC_INSERT_RANGE 6u
#define FALLOC_MODES 7u
#define RENAME_PLAIN 0u
#define RENAME_EXCH 1u /* RENAME_EXCHANGE */
#define RENAME_NOREPL 2u /* RENAME_NOREPLACE */

struct wl_op {
	uint8_t code, flags;
	uint16_t path, path2;
	uint32_t off, len, arg;
};

struct wl_thread {
	unsigned int nops;
	struct wl_op ops[WL_MAX_OPS];
	unsigned int line[WL_MAX_OPS]; /* text line of each op (0: none) */
};

/*
 * The file system a workload runs on: mkfs.btrfs features and node size,
 * mount options. All zero is mkfs's and the kernel's defaults.
 */
#define FS_NO_HOLES_OFF (1u << 0) /* -O ^no-holes */
#define FS_SKINNY_OFF (1u << 1) /* -O ^skinny-metadata */
#define FS_EXTREF_OFF (1u << 2) /* -O ^extref: at most ~100 links a name */
#define FS_FST_OFF (1u << 3) /* -R ^free-space-tree, mounted space_cache=v1 */
#define FS_MKFS_MASK 0xfu
#define FS_NODESIZES 6 /* default, 4K, 8K, 16K, 32K, 64K */
#define MNT_NODATASUM (1u << 0)
#define MNT_NODATACOW (1u << 1)
#define MNT_FLUSHONCOMMIT (1u << 2)
#define MNT_COMPRESS(m) (((m) >> 3) & 3) /* none, zstd, lzo, force zstd */
#define MNT_DISCARD(m) (((m) >> 5) & 3) /* none, sync, async */
#define MNT_MASK 0x7fu
#define MNT_MAX_COMMIT 300u

struct wl_fs {
	uint8_t mkfs; /* FS_* */
	uint8_t nodesize; /* 0 default, else 2^(11 + nodesize) bytes */
	uint8_t mount; /* MNT_* */
	uint16_t commit; /* commit=N seconds; 0 default */
};

struct workload {
	struct wl_fs fs;
	unsigned int nthreads;
	struct wl_thread threads[WL_MAX_THREADS];
};

/* mkfs.btrfs's -O list ("^no-holes,^extref") and -R list
 * ("^free-space-tree"); either may be empty. */
void wl_fs_features(const struct wl_fs *fs, char *buf, size_t len);
void wl_fs_runtime_features(const struct wl_fs *fs, char *buf, size_t len);
/* The node size in bytes, 0 for mkfs's default. */
unsigned int wl_fs_nodesize(const struct wl_fs *fs);
/* mount(2)'s data string ("compress=zstd,commit=5", maybe empty). */
void wl_fs_mount_data(const struct wl_fs *fs, char *buf, size_t len);
/* Fold raw values into valid options (what decoding does). */
void wl_fs_fold(struct wl_fs *fs);
/* Parse the words of a "mkfs" or "mount" line; -1 names the bad word. */
int wl_fs_parse(struct wl_fs *fs, int mount, char *const *words, int n,
		const char **bad);
/* The "mkfs ..." and "mount ..." lines (empty when all defaults). */
void wl_fs_format(const struct wl_fs *fs, char *buf, size_t len);

/* Which fields an operation uses. */
#define WL_F_PATH (1u << 0)
#define WL_F_PATH2 (1u << 1)
#define WL_F_OFF (1u << 2)
#define WL_F_LEN (1u << 3)
#define WL_F_FLAGS (1u << 4)
#define WL_F_ARG (1u << 5)
unsigned int wl_fields(unsigned int code);
/*
 * 1 when @op changes what @path names or holds: it writes, resizes or
 * renames it or a directory above it (a touch, a read or a durability
 * point changes nothing).
 */
int wl_op_changes(const struct wl_op *op, uint16_t path);

/* The index of @w among @words (empty words never match), or -1. */
int wl_word_index(const char *w, const char *const *words, unsigned int n);

/* The name of @code in the text form ("pwrite"). */
const char *wl_code_name(unsigned int code);

/* Path ids. */
unsigned int wl_path_depth(uint16_t path); /* 0 for "." */
unsigned int wl_path_name(uint16_t path, unsigned int i); /* component i */
uint16_t wl_path_make(const unsigned int *names, unsigned int depth);
uint16_t wl_path_parent(uint16_t path); /* "." for "." */
/* 1 when @a is @b or below it. */
int wl_path_within(uint16_t a, uint16_t b);
/* The canonical id of any 16-bit value (unused bits cleared). */
uint16_t wl_path_fold(uint16_t raw);
/* "d0/f1" into @buf (WL_PATH_TEXT bytes). */
const char *wl_path_text(uint16_t path, char *buf);
/* "d0/f1" -> id; -1 when malformed. */
int wl_path_parse(const char *s, uint16_t *path);
/* The text of name @n ("f0", "d3", "l1", "s0"). */
const char *wl_name_text(unsigned int n);

/*
 * Check every op's values against the limits and the alignment direct IO
 * and cloning need. Returns 0, or -1 with "line N: ..." (or "thread T op
 * I: ...") in @why.
 */
int wl_validate(const struct workload *w, char *why, size_t whylen);

/* Parse the text form; -1 with "line N: ..." in @why. */
int wl_parse_text(const char *text, struct workload *w, char *why,
		  size_t whylen);
/* The text form into a malloc'ed string. */
char *wl_format_text(const struct workload *w);

/*
 * The binary form AFL++ mutates: "LW" 2 nthreads, 5 bytes of file system
 * options (mkfs, nodesize, mount, le16 commit), then per thread a count
 * and 18 bytes per op. Decoding maps every value into its valid range, so
 * every byte string that starts with the header decodes to a valid
 * workload; anything else is rejected at once (-1).
 */
#define WL_BIN_VERSION 2
#define WL_OP_BYTES 18
size_t wl_encode(const struct workload *w, unsigned char *buf, size_t len);
int wl_decode(const unsigned char *buf, size_t len, struct workload *w);
#define WL_FS_BYTES 5
#define WL_BIN_MAX \
	(4 + WL_FS_BYTES + WL_MAX_THREADS * (1 + WL_MAX_OPS * WL_OP_BYTES))

/* Fold one op's raw values into its valid ranges (what decoding does). */
void wl_op_fold(struct wl_op *op);

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
