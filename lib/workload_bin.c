// SPDX-License-Identifier: GPL-2.0
/*
 * The binary form. Decoding folds every field into its valid range (and
 * aligns direct IO), so AFL++'s byte-level mutations of a workload always
 * give another valid workload; the encoder writes canonical values, which
 * decode to themselves.
 */
#include <string.h>

#include "lib/workload.h"

#define OP_BYTES 16

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
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
	buf[2] = 1;
	buf[3] = w->nthreads;
	for (unsigned int t = 0; t < w->nthreads; t++) {
		const struct wl_thread *th = &w->threads[t];

		if (pos + 1 + th->nops * OP_BYTES > len)
			return 0;
		buf[pos++] = th->nops;
		for (unsigned int i = 0; i < th->nops; i++) {
			const struct wl_op *op = &th->ops[i];
			unsigned char *p = buf + pos;

			p[0] = op->code;
			p[1] = op->file;
			p[2] = op->file2;
			p[3] = op->flags;
			put32(p + 4, op->off);
			put32(p + 8, op->len);
			put32(p + 12, op->arg);
			pos += OP_BYTES;
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

/* Map raw fields into the op's valid ranges; unused fields become 0. */
static void canonicalize(struct wl_op *op)
{
	unsigned int use;

	op->code %= WL_NCODES;
	use = wl_fields(op->code);
	op->file = use & WL_F_FILE ? op->file % WL_FILES : 0;
	if (op->code == WL_MKDIR)
		op->file %= WL_DIRS;
	if (op->code == WL_SUBVOL || op->code == WL_SNAPSHOT)
		op->file %= WL_SUBVOLS;
	op->file2 = use & WL_F_FILE2 ? op->file2 % WL_FILES : 0;
	op->off = use & WL_F_OFF ? op->off % WL_MAX_OFF : 0;
	if (op->code == WL_TRUNCATE)
		op->len %= WL_MAX_OFF;
	else
		op->len = use & WL_F_LEN ? fold(op->len, 1, WL_MAX_LEN) : 0;
	if (op->code == WL_OPEN)
		op->flags &= OPEN_MASK;
	else if (op->code == WL_FALLOCATE)
		op->flags = fold(op->flags, 0, FALLOC_ZERO_RANGE);
	else if (op->code == WL_PWRITE || op->code == WL_PREAD)
		op->flags &= IO_DIRECT;
	else
		op->flags = 0;
	if ((op->code == WL_PWRITE || op->code == WL_PREAD) &&
	    (op->flags & IO_DIRECT)) {
		op->off -= op->off % WL_BLOCK;
		op->len -= op->len % WL_BLOCK;
		if (!op->len)
			op->len = WL_BLOCK;
	}
	if (op->code == WL_SLEEP)
		op->arg = fold(op->arg, 0, WL_MAX_SLEEP_MS);
	else if (op->code == WL_MARK || op->code == WL_BARRIER)
		op->arg = fold(op->arg, 0, WL_MAX_ID);
	else if (!(use & WL_F_ARG))
		op->arg = 0;
}

int wl_decode(const unsigned char *buf, size_t len, struct workload *w)
{
	size_t pos = 4;

	memset(w, 0, sizeof(*w));
	if (len < 5 || buf[0] != 'L' || buf[1] != 'W' || buf[2] != 1)
		return -1;
	w->nthreads = fold(buf[3], 1, WL_MAX_THREADS);
	for (unsigned int t = 0; t < w->nthreads; t++) {
		struct wl_thread *th = &w->threads[t];
		unsigned int n = pos < len ? buf[pos++] % (WL_MAX_OPS + 1) : 0;

		/* A short input ends the thread where its bytes end. */
		for (unsigned int i = 0; i < n && pos + OP_BYTES <= len; i++) {
			struct wl_op *op = &th->ops[th->nops++];
			const unsigned char *p = buf + pos;

			op->code = p[0];
			op->file = p[1];
			op->file2 = p[2];
			op->flags = p[3];
			op->off = get32(p + 4);
			op->len = get32(p + 8);
			op->arg = get32(p + 12);
			canonicalize(op);
			pos += OP_BYTES;
		}
	}
	return 0;
}
