// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/expect_mark.h"
#include "lib/hash.h"

static int path_ok(const char *p)
{
	size_t n = strlen(p);

	if (!n || n > EXPECT_PATH_MAX || p[0] == '/' || strstr(p, ".."))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] == ' ' || p[i] < 0x21 || p[i] == 0x7f)
			return 0;
	return 1;
}

static int parse_u64(const char **p, int base, uint64_t *v)
{
	char *end;

	if (**p < '0' || **p > 'f')
		return -1;
	*v = strtoull(*p, &end, base);
	if (*end != ':')
		return -1;
	*p = end + 1;
	return 0;
}

enum mark_kind expect_mark_parse(const char *mark, struct expectation *x)
{
	const char *p;

	memset(x, 0, sizeof(*x));
	if (!strncmp(mark, FORGET_PREFIX, strlen(FORGET_PREFIX))) {
		p = mark + strlen(FORGET_PREFIX);
		if (!path_ok(p))
			return MARK_BAD;
		strcpy(x->path, p);
		return MARK_FORGET;
	}
	if (strncmp(mark, EXPECT_PREFIX, strlen(EXPECT_PREFIX)))
		return MARK_OTHER;
	p = mark + strlen(EXPECT_PREFIX);
	if (parse_u64(&p, 10, &x->off) || parse_u64(&p, 10, &x->len) ||
	    parse_u64(&p, 16, &x->digest) || !path_ok(p) ||
	    x->off + x->len < x->off)
		return MARK_BAD;
	strcpy(x->path, p);
	return MARK_EXPECT;
}

int expect_mark_format(char *buf, size_t len, const struct expectation *x)
{
	int n;

	if (!path_ok(x->path))
		return -1;
	n = snprintf(buf, len,
		     EXPECT_PREFIX "%" PRIu64 ":%" PRIu64 ":%016" PRIx64 ":%s",
		     x->off, x->len, x->digest, x->path);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

uint64_t expect_digest(const void *buf, size_t len)
{
	return hash_bytes(HASH_INIT, buf, len);
}

static int overlaps(const struct expectation *a, const struct expectation *b)
{
	return !strcmp(a->path, b->path) && a->off < b->off + b->len &&
	       b->off < a->off + a->len;
}

int expect_set_apply(struct expect_set *s, enum mark_kind kind,
		     const struct expectation *x)
{
	size_t j = 0;

	if (kind != MARK_EXPECT && kind != MARK_FORGET)
		return 0;
	/* Drop what the new mark replaces or forgets. */
	for (size_t i = 0; i < s->n; i++) {
		int drop = kind == MARK_FORGET ? !strcmp(s->x[i].path, x->path)
					       : overlaps(&s->x[i], x);

		if (!drop)
			s->x[j++] = s->x[i];
	}
	s->n = j;
	if (kind == MARK_FORGET)
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct expectation *nx = realloc(s->x, cap * sizeof(*nx));

		if (!nx)
			return -1;
		s->x = nx;
		s->cap = cap;
	}
	s->x[s->n++] = *x;
	return 0;
}

void expect_set_free(struct expect_set *s)
{
	free(s->x);
	memset(s, 0, sizeof(*s));
}
