// SPDX-License-Identifier: GPL-2.0
/*
 * The binary form. Decoding folds every field into its valid range (and
 * aligns direct IO), so AFL++'s byte-level mutations of a workload always
 * give another valid workload; the encoder writes canonical values, which
 * decode to themselves.
 */
#include <string.h>

#include "lib/workload.h"


static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static uint16_t get16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

size_t wl_encode(const struct workload *w, unsigned char *buf, size_t len)
{
	size_t pos = 4;

	if (len < 4)
		return 0;
	buf[0] = 'L';
	buf[1] = 'W';
	buf[2] = WL_BIN_VERSION;
	buf[3] = w->nthreads;
	if (len < 4 + WL_FS_BYTES)
		return 0;
	buf[pos++] = w->fs.mkfs;
	buf[pos++] = w->fs.nodesize;
	buf[pos++] = w->fs.mount;
	put16(buf + pos, w->fs.commit);
	pos += 2;
	for (unsigned int t = 0; t < w->nthreads; t++) {
		const struct wl_thread *th = &w->threads[t];

		if (pos + 1 + th->nops * WL_OP_BYTES > len)
			return 0;
		buf[pos++] = th->nops;
		for (unsigned int i = 0; i < th->nops; i++) {
			const struct wl_op *op = &th->ops[i];
			unsigned char *p = buf + pos;

			p[0] = op->code;
			p[1] = op->flags;
			put16(p + 2, op->path);
			put16(p + 4, op->path2);
			put32(p + 6, op->off);
			put32(p + 10, op->len);
			put32(p + 14, op->arg);
			pos += WL_OP_BYTES;
		}
	}
	return pos;
}

/* Identity on [lo, hi], folded into it otherwise. */
static uint32_t fold(uint32_t v, uint32_t lo, uint32_t hi)
{
	if (v >= lo && v <= hi)
		return v;
	return lo + v % (hi - lo + 1);
}

static uint32_t align_down(uint32_t v)
{
	return v - v % WL_BLOCK;
}

/* The flags an op keeps: its bits, or a mode folded into range. */
static uint8_t fold_flags(const struct wl_op *op)
{
	switch (op->code) {
	case WL_OPEN:
		return op->flags & OPEN_MASK;
	case WL_FALLOCATE:
		return fold(op->flags, 0, FALLOC_MODES - 1);
	case WL_PWRITE:
	case WL_PREAD:
	case WL_MWRITE: /* IO_DIRECT, MWRITE_MSYNC: bit 0 */
		return op->flags & 1u;
	case WL_RENAME:
		return fold(op->flags, 0, RENAME_NOREPL);
	case WL_SETXATTR:
	case WL_REMOVEXATTR:
		return op->flags % WL_XATTR_NAMES;
	}
	return 0;
}

/* A path an op may name: "." only for fsync and fdatasync. */
static uint16_t fold_path(const struct wl_op *op, uint16_t raw)
{
	uint16_t p = wl_path_fold(raw);

	if (p == WL_PATH_TOP && op->code != WL_FSYNC &&
	    op->code != WL_FDATASYNC)
		return 0;
	return p;
}

void wl_op_fold(struct wl_op *op)
{
	unsigned int use;

	op->code %= WL_NCODES;
	if (op->code == WL_DELAY) {
		op->flags = 0;
		op->path = op->path2 = 0;
		op->len = fold(op->len, 1, WL_MAX_DELAY_MS);
		op->off = fold(op->off, 1, WL_MAX_DELAY_HIT);
		return;
	}
	use = wl_fields(op->code);
	op->path = use & WL_F_PATH ? fold_path(op, op->path) : 0;
	op->path2 = use & WL_F_PATH2 ? fold_path(op, op->path2) : 0;
	op->off = use & WL_F_OFF ? op->off % WL_MAX_OFF : 0;
	if (op->code == WL_TRUNCATE)
		op->len %= WL_MAX_OFF;
	else if (op->code == WL_SETXATTR)
		op->len = fold(op->len, 0, WL_MAX_XATTR);
	else
		op->len = use & WL_F_LEN ? fold(op->len, 1, WL_MAX_LEN) : 0;
	op->flags = fold_flags(op);
	if (((op->code == WL_PWRITE || op->code == WL_PREAD) &&
	     (op->flags & IO_DIRECT)) ||
	    op->code == WL_CLONE) {
		op->off = align_down(op->off);
		op->len = align_down(op->len);
		if (!op->len)
			op->len = WL_BLOCK;
	}
	if (op->code == WL_SLEEP)
		op->arg = fold(op->arg, 0, WL_MAX_SLEEP_MS);
	else if (op->code == WL_MARK || op->code == WL_BARRIER)
		op->arg = fold(op->arg, 0, WL_MAX_ID);
	else if (op->code == WL_CHMOD)
		op->arg &= WL_MAX_MODE;
	else if (op->code == WL_CLONE)
		op->arg = align_down(op->arg % WL_MAX_OFF);
	else if (op->code == WL_COPY_RANGE)
		op->arg %= WL_MAX_OFF;
	else if (!(use & WL_F_ARG))
		op->arg = 0;
}

int wl_decode(const unsigned char *buf, size_t len, struct workload *w)
{
	size_t pos = 4;

	memset(w, 0, sizeof(*w));
	if (len < 4 || buf[0] != 'L' || buf[1] != 'W' || buf[2] != WL_BIN_VERSION)
		return -1;
	w->nthreads = fold(buf[3], 1, WL_MAX_THREADS);
	/* Short inputs keep the defaults for what they lack. */
	if (pos < len)
		w->fs.mkfs = buf[pos++];
	if (pos < len)
		w->fs.nodesize = buf[pos++];
	if (pos < len)
		w->fs.mount = buf[pos++];
	if (pos + 2 <= len) {
		w->fs.commit = get16(buf + pos);
		pos += 2;
	} else {
		pos = len;
	}
	wl_fs_fold(&w->fs);
	for (unsigned int t = 0; t < w->nthreads; t++) {
		struct wl_thread *th = &w->threads[t];
		unsigned int n = pos < len ? buf[pos++] % (WL_MAX_OPS + 1) : 0;

		/* A short input ends the thread where its bytes end. */
		for (unsigned int i = 0; i < n && pos + WL_OP_BYTES <= len; i++) {
			struct wl_op *op = &th->ops[th->nops++];
			const unsigned char *p = buf + pos;

			op->code = p[0];
			op->flags = p[1];
			op->path = get16(p + 2);
			op->path2 = get16(p + 4);
			op->off = get32(p + 6);
			op->len = get32(p + 10);
			op->arg = get32(p + 14);
			wl_op_fold(op);
			pos += WL_OP_BYTES;
		}
	}
	return 0;
}
