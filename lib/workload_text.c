// SPDX-License-Identifier: GPL-2.0
/*
 * The text form of workloads (grammar in docs/workloads.md): one operation
 * per line, "thread" starts the next thread, "#" starts a comment.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/delay_site.h"
#include "lib/workload.h"

#define MAX_WORDS 12

struct line {
	unsigned int no;
	int n;
	char *w[MAX_WORDS];
	char buf[256];
};

static int fail(char *why, size_t whylen, const struct line *l, const char *fmt,
		const char *arg)
{
	int n = snprintf(why, whylen, "line %u: ", l->no);

	snprintf(why + n, whylen - n, fmt, arg);
	return -1;
}

/* "64K", "1M", "4096" -> bytes; -1 when malformed or too big. */
static int parse_size(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtoull(s, &end, 10);
	if (!strcmp(end, "ms"))
		end += 2; /* "100ms" for sleep */
	else if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	else if (*end == 'G' || *end == 'g')
		v <<= 30, end++;
	if (*end || v > UINT32_MAX)
		return -1;
	*out = v;
	return 0;
}

static int find_code(const char *name)
{
	for (unsigned int c = 0; c < WL_NCODES; c++)
		if (!strcmp(wl_code_name(c), name))
			return c;
	return -1;
}

static const char *const open_flags[OPEN_FLAGS] = { "creat", "trunc",
						     "dsync", "nocow", "sync" };
static const char *const falloc_modes[FALLOC_MODES] = {
	"",		"keep_size",	  "punch_hole",	  "zero_range",
	"zero_range_keep", "collapse_range", "insert_range",
};
static const char *const rename_flags[] = { "", "exchange", "noreplace" };

/* An optional word after the positional arguments. */
static int parse_flag(struct wl_op *op, const char *w)
{
	uint32_t v;
	int k;

	switch (op->code) {
	case WL_OPEN:
		k = wl_word_index(w, open_flags, OPEN_FLAGS);
		return k < 0 ? -1 : (op->flags |= 1u << k, 0);
	case WL_FALLOCATE:
		k = wl_word_index(w, falloc_modes, FALLOC_MODES);
		return k < 0 ? -1 : (op->flags = k, 0);
	case WL_RENAME:
		k = wl_word_index(w, rename_flags, 3);
		return k < 0 ? -1 : (op->flags = k, 0);
	case WL_PWRITE:
	case WL_PREAD:
		if (!strcmp(w, "direct"))
			return op->flags |= IO_DIRECT, 0;
		break;
	case WL_MWRITE:
		if (!strcmp(w, "msync"))
			return op->flags |= MWRITE_MSYNC, 0;
		break;
	}
	if ((op->code == WL_PWRITE || op->code == WL_MWRITE ||
	     op->code == WL_SETXATTR) &&
	    !strncmp(w, "seed=", 5) && !parse_size(w + 5, &v))
		return op->arg = v, 0;
	return -1;
}

/* "x2" -> 2 */
static int parse_xattr(const char *s, uint8_t *out)
{
	if (s[0] != 'x' || s[1] < '0' || s[1] >= '0' + (int)WL_XATTR_NAMES ||
	    s[2])
		return -1;
	*out = s[1] - '0';
	return 0;
}

static int parse_mode(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '7')
		return -1;
	v = strtoul(s, &end, 8);
	if (*end || v > WL_MAX_MODE)
		return -1;
	*out = v;
	return 0;
}

/* "delay SITE MS [hit N]" */
static int parse_delay(const struct line *l, struct wl_op *op, char *why,
		       size_t whylen)
{
	if (l->n < 2 || site_parse(l->w[1], &op->arg))
		return fail(why, whylen, l,
			    "%s: expected a btrfs function name (a delay site)",
			    l->w[0]);
	if (l->n < 3 || parse_size(l->w[2], &op->len))
		return fail(why, whylen, l, "%s: expected a time like 200ms",
			    l->w[0]);
	op->off = 1;
	if (l->n == 5 && !strcmp(l->w[3], "hit") &&
	    !parse_size(l->w[4], &op->off))
		return 0;
	if (l->n == 3)
		return 0;
	return fail(why, whylen, l, "%s: expected 'hit N' or nothing after the time",
		    l->w[0]);
}

/* Positional arguments, in order, for an op's fields. */
static int parse_op(const struct line *l, struct wl_op *op, char *why,
		    size_t whylen)
{
	unsigned int use = wl_fields(op->code);
	int i = 1;

	if (op->code == WL_DELAY)
		return parse_delay(l, op, why, whylen);
	if ((use & WL_F_PATH) &&
	    (i >= l->n || wl_path_parse(l->w[i++], &op->path)))
		return fail(why, whylen, l,
			    "%s: expected a path like f0, d0/f1 or d0/d1/l0",
			    l->w[0]);
	if ((use & WL_F_PATH2) &&
	    (i >= l->n || wl_path_parse(l->w[i++], &op->path2)))
		return fail(why, whylen, l, "%s: expected a second path",
			    l->w[0]);
	if ((op->code == WL_SETXATTR || op->code == WL_REMOVEXATTR) &&
	    (i >= l->n || parse_xattr(l->w[i++], &op->flags)))
		return fail(why, whylen, l, "%s: expected an xattr x0..x3",
			    l->w[0]);
	if ((use & WL_F_OFF) && (i >= l->n || parse_size(l->w[i++], &op->off)))
		return fail(why, whylen, l, "%s: expected an offset", l->w[0]);
	if ((use & WL_F_LEN) && (i >= l->n || parse_size(l->w[i++], &op->len)))
		return fail(why, whylen, l, "%s: expected a length", l->w[0]);
	if ((op->code == WL_CLONE || op->code == WL_COPY_RANGE) &&
	    (i >= l->n || parse_size(l->w[i++], &op->arg)))
		return fail(why, whylen, l,
			    "%s: expected a destination offset", l->w[0]);
	if (op->code == WL_CHMOD &&
	    (i >= l->n || parse_mode(l->w[i++], &op->arg)))
		return fail(why, whylen, l, "%s: expected an octal mode",
			    l->w[0]);
	if ((op->code == WL_MARK || op->code == WL_SLEEP ||
	     op->code == WL_BARRIER) &&
	    (i >= l->n || parse_size(l->w[i++], &op->arg)))
		return fail(why, whylen, l, "%s: expected a number", l->w[0]);
	for (; i < l->n; i++)
		if (parse_flag(op, l->w[i]))
			return fail(why, whylen, l, "unexpected '%s'", l->w[i]);
	return 0;
}

static void split(struct line *l, const char *text, size_t len)
{
	char *p;

	if (len >= sizeof(l->buf))
		len = sizeof(l->buf) - 1;
	memcpy(l->buf, text, len);
	l->buf[len] = '\0';
	p = strchr(l->buf, '#');
	if (p)
		*p = '\0';
	l->n = 0;
	for (p = strtok(l->buf, " \t\r"); p && l->n < MAX_WORDS;
	     p = strtok(NULL, " \t\r"))
		l->w[l->n++] = p;
}

static int add_line(struct workload *w, int *started, const struct line *l,
		    char *why, size_t whylen)
{
	struct wl_thread *th;
	struct wl_op op = { 0 };
	int code;

	if (!strcmp(l->w[0], "mkfs") || !strcmp(l->w[0], "mount")) {
		const char *bad = NULL;

		if (wl_fs_parse(&w->fs, l->w[0][1] == 'o', l->w + 1, l->n - 1,
				&bad))
			return fail(why, whylen, l, "%s: unknown or repeated option",
				    bad);
		return 0;
	}
	if (!strcmp(l->w[0], "thread")) {
		if (*started && w->nthreads == WL_MAX_THREADS)
			return fail(why, whylen, l, "more than %s threads",
				    "4");
		w->nthreads += *started;
		*started = 1;
		return 0;
	}
	code = find_code(l->w[0]);
	if (code < 0)
		return fail(why, whylen, l, "unknown operation '%s'", l->w[0]);
	*started = 1;
	th = &w->threads[w->nthreads - 1];
	if (th->nops == WL_MAX_OPS)
		return fail(why, whylen, l,
			    "more than %s operations in a thread", "64");
	op.code = code;
	if (parse_op(l, &op, why, whylen))
		return -1;
	th->line[th->nops] = l->no;
	th->ops[th->nops++] = op;
	return 0;
}

int wl_parse_text(const char *text, struct workload *w, char *why,
		  size_t whylen)
{
	struct line l = { 0 };
	int started = 0;

	memset(w, 0, sizeof(*w));
	w->nthreads = 1;
	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		l.no++;
		if (len >= sizeof(l.buf))
			return fail(why, whylen, &l,
				    "line longer than %s bytes", "255");
		split(&l, p, len);
		if (l.n && add_line(w, &started, &l, why, whylen))
			return -1;
		p = end ? end + 1 : p + len;
	}
	return wl_validate(w, why, whylen);
}

static void put_size(FILE *f, uint32_t v)
{
	if (v && !(v % (1u << 20)))
		fprintf(f, " %" PRIu32 "M", v >> 20);
	else if (v && !(v % 1024))
		fprintf(f, " %" PRIu32 "K", v >> 10);
	else
		fprintf(f, " %" PRIu32, v);
}

static void format_op(FILE *f, const struct wl_op *op)
{
	unsigned int use = wl_fields(op->code);
	char p[WL_PATH_TEXT];

	fprintf(f, "\t%s", wl_code_name(op->code));
	if (op->code == WL_DELAY) {
		char site[SITE_NAME_MAX + 1];

		fprintf(f, " %s %" PRIu32 "ms", site_text(op->arg, site),
			op->len);
		if (op->off != 1)
			fprintf(f, " hit %" PRIu32, op->off);
		fputc('\n', f);
		return;
	}
	if (use & WL_F_PATH)
		fprintf(f, " %s", wl_path_text(op->path, p));
	if (use & WL_F_PATH2)
		fprintf(f, " %s", wl_path_text(op->path2, p));
	if (op->code == WL_SETXATTR || op->code == WL_REMOVEXATTR)
		fprintf(f, " x%u", op->flags);
	if (use & WL_F_OFF)
		put_size(f, op->off);
	if (use & WL_F_LEN)
		put_size(f, op->len);
	if (op->code == WL_CLONE || op->code == WL_COPY_RANGE)
		put_size(f, op->arg);
	if (op->code == WL_CHMOD)
		fprintf(f, " 0%" PRIo32, op->arg);
	if (op->code == WL_MARK || op->code == WL_BARRIER)
		fprintf(f, " %" PRIu32, op->arg);
	if (op->code == WL_SLEEP)
		fprintf(f, " %" PRIu32 "ms", op->arg);
	if (op->code == WL_OPEN)
		for (int i = 0; i < OPEN_FLAGS; i++)
			if (op->flags & (1u << i))
				fprintf(f, " %s", open_flags[i]);
	if (op->code == WL_FALLOCATE && op->flags)
		fprintf(f, " %s", falloc_modes[op->flags % FALLOC_MODES]);
	if (op->code == WL_RENAME && op->flags)
		fprintf(f, " %s", rename_flags[op->flags % 3]);
	if ((op->code == WL_PWRITE || op->code == WL_PREAD) &&
	    (op->flags & IO_DIRECT))
		fprintf(f, " direct");
	if (op->code == WL_MWRITE && (op->flags & MWRITE_MSYNC))
		fprintf(f, " msync");
	if ((op->code == WL_PWRITE || op->code == WL_MWRITE ||
	     op->code == WL_SETXATTR) &&
	    op->arg)
		fprintf(f, " seed=%" PRIu32, op->arg);
	fputc('\n', f);
}

char *wl_format_text(const struct workload *w)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	char fs[256];

	if (!f)
		return NULL;
	wl_fs_format(&w->fs, fs, sizeof(fs));
	fputs(fs, f);
	for (unsigned int t = 0; t < w->nthreads; t++) {
		fprintf(f, "thread\n");
		for (unsigned int i = 0; i < w->threads[t].nops; i++)
			format_op(f, &w->threads[t].ops[i]);
	}
	fclose(f);
	return out;
}
