// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/promise_mark.h"

static const char *const type_names[] = { "none", "reg", "dir", "lnk",
					  "other" };

const char *fs_type_name(enum fs_type t)
{
	return type_names[t <= FT_OTHER ? t : FT_OTHER];
}

char fs_type_letter(enum fs_type t)
{
	return "-rdlo"[t <= FT_OTHER ? t : FT_OTHER];
}

static int path_ok(const char *p)
{
	size_t n = strlen(p);

	if (!n || n > PROMISE_PATH_MAX || p[0] == '/' || strstr(p, ".."))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] == ' ' || p[i] < 0x21 || p[i] == 0x7f)
			return 0;
	return 1;
}

/* A fact's text value: no separators, no spaces. */
static int value_ok(const char *v)
{
	for (; *v; v++)
		if (*v == ',' || *v == ':' || *v <= ' ' || *v == 0x7f)
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

static int parse_expect(const char *p, struct promise *x)
{
	if (parse_u64(&p, 10, &x->off) || parse_u64(&p, 10, &x->len) ||
	    parse_u64(&p, 16, &x->range) || !path_ok(p) ||
	    x->off + x->len < x->off)
		return -1;
	strcpy(x->path, p);
	x->facts = PF_RANGE;
	return 0;
}

/* A whole number in @base that is all of @v. */
static int number(const char *v, int base, uint64_t *out)
{
	char *end;

	if (!*v || *v == '-' || *v == '+' || *v == ' ')
		return -1;
	*out = strtoull(v, &end, base);
	return *end ? -1 : 0;
}

static int copy_text(char *dst, size_t room, const char *v)
{
	if (strlen(v) >= room || !value_ok(v))
		return -1;
	strcpy(dst, v);
	return 0;
}

static int parse_type(const char *v, enum fs_type *t)
{
	for (unsigned int i = FT_REG; i <= FT_OTHER; i++)
		if (!strcmp(v, type_names[i]))
			return *t = i, 0;
	return -1;
}

/* One KEY=VALUE of a state mark. */
static int parse_fact(char *kv, struct promise *p)
{
	char *v = strchr(kv, '=');
	uint64_t n;

	if (!v)
		return -1;
	*v++ = '\0';
	if (!strcmp(kv, "rule"))
		return copy_text(p->rule, sizeof(p->rule), v);
	if (!strcmp(kv, "by"))
		return copy_text(p->by, sizeof(p->by), v);
	if (!strcmp(kv, "type"))
		return p->facts |= PF_TYPE, parse_type(v, &p->type);
	if (!strcmp(kv, "ino")) {
		char *bar = strchr(v, '|');

		if (bar)
			*bar++ = '\0';
		p->nino = bar ? 2 : 1;
		p->facts |= PF_INO;
		return number(v, 10, &p->ino[0]) ||
		       (bar && number(bar, 10, &p->ino[1]));
	}
	if (!strcmp(kv, "notino"))
		return p->facts |= PF_NOTINO, number(v, 10, &p->notino);
	if (!strcmp(kv, "size"))
		return p->facts |= PF_SIZE, number(v, 10, &p->size);
	if (!strcmp(kv, "content"))
		return p->facts |= PF_CONTENT, number(v, 16, &p->content);
	if (!strcmp(kv, "xattr"))
		return p->facts |= PF_XATTR, number(v, 16, &p->xattr);
	if (!strcmp(kv, "nlink")) {
		p->facts |= PF_NLINK;
		return number(v, 10, &n) || n > UINT32_MAX ? -1 :
							     (p->nlink = n, 0);
	}
	if (!strcmp(kv, "mode")) {
		p->facts |= PF_MODE;
		return number(v, 8, &n) || n > 07777 ? -1 : (p->mode = n, 0);
	}
	if (!strcmp(kv, "target"))
		return p->facts |= PF_TARGET,
		       copy_text(p->target, sizeof(p->target), v);
	if (!strcmp(kv, "entries"))
		return p->facts |= PF_ENTRIES,
		       copy_text(p->entries, sizeof(p->entries), v);
	if (!strcmp(kv, "off"))
		return p->facts |= PF_RANGE, number(v, 10, &p->off);
	if (!strcmp(kv, "len"))
		return p->facts |= PF_RANGE, number(v, 10, &p->len);
	if (!strcmp(kv, "range"))
		return p->facts |= PF_RANGE, number(v, 16, &p->range);
	return -1; /* a fact we do not know: we cannot judge by it */
}

static int parse_state(const char *s, struct promise *p)
{
	const char *colon = strchr(s, ':');
	char facts[PROMISE_MARK_MAX + 1], *save = NULL;
	size_t n = colon ? (size_t)(colon - s) : 0;

	if (!colon || n >= sizeof(facts) || !path_ok(colon + 1))
		return -1;
	memcpy(facts, s, n);
	facts[n] = '\0';
	for (char *kv = strtok_r(facts, ",", &save); kv;
	     kv = strtok_r(NULL, ",", &save))
		if (parse_fact(kv, p))
			return -1;
	if (!p->facts || p->off + p->len < p->off)
		return -1;
	strcpy(p->path, colon + 1);
	return 0;
}

enum mark_kind promise_mark_parse(const char *mark, struct promise *p)
{
	memset(p, 0, sizeof(*p));
	if (!strncmp(mark, FORGET_PREFIX, strlen(FORGET_PREFIX))) {
		const char *path = mark + strlen(FORGET_PREFIX);

		if (!path_ok(path))
			return MARK_BAD;
		strcpy(p->path, path);
		return MARK_FORGET;
	}
	if (!strncmp(mark, EXPECT_PREFIX, strlen(EXPECT_PREFIX)))
		return parse_expect(mark + strlen(EXPECT_PREFIX), p) ?
			       MARK_BAD :
			       MARK_EXPECT;
	if (!strncmp(mark, STATE_PREFIX, strlen(STATE_PREFIX)))
		return parse_state(mark + strlen(STATE_PREFIX), p) ? MARK_BAD :
								     MARK_STATE;
	return MARK_OTHER;
}

int expect_mark_format(char *buf, size_t len, const struct promise *p)
{
	int n;

	if (!path_ok(p->path))
		return -1;
	n = snprintf(buf, len,
		     EXPECT_PREFIX "%" PRIu64 ":%" PRIu64 ":%016" PRIx64 ":%s",
		     p->off, p->len, p->range, p->path);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int promise_mark_format(char *buf, size_t len, const struct promise *p)
{
	char facts[PROMISE_MARK_MAX + 1];
	size_t u = 0;
	int n;

#define PUT(...)                                                          \
	(u += snprintf(facts + u, u < sizeof(facts) ? sizeof(facts) - u : 0, \
		       __VA_ARGS__))
	if (!path_ok(p->path) || !value_ok(p->rule) || !value_ok(p->by) ||
	    !value_ok(p->target) || !value_ok(p->entries))
		return -1;
	PUT("rule=%s", p->rule[0] ? p->rule : "-");
	if (p->by[0])
		PUT(",by=%s", p->by);
	if (p->facts & PF_TYPE)
		PUT(",type=%s", fs_type_name(p->type));
	if ((p->facts & PF_INO) && p->nino == 2)
		PUT(",ino=%" PRIu64 "|%" PRIu64, p->ino[0], p->ino[1]);
	else if (p->facts & PF_INO)
		PUT(",ino=%" PRIu64, p->ino[0]);
	if (p->facts & PF_NOTINO)
		PUT(",notino=%" PRIu64, p->notino);
	if (p->facts & PF_SIZE)
		PUT(",size=%" PRIu64, p->size);
	if (p->facts & PF_CONTENT)
		PUT(",content=%016" PRIx64, p->content);
	if (p->facts & PF_NLINK)
		PUT(",nlink=%" PRIu32, p->nlink);
	if (p->facts & PF_MODE)
		PUT(",mode=%04" PRIo32, p->mode);
	if (p->facts & PF_XATTR)
		PUT(",xattr=%016" PRIx64, p->xattr);
	if (p->facts & PF_TARGET)
		PUT(",target=%s", p->target);
	if (p->facts & PF_ENTRIES)
		PUT(",entries=%s", p->entries);
	if (p->facts & PF_RANGE)
		PUT(",off=%" PRIu64 ",len=%" PRIu64 ",range=%016" PRIx64,
		    p->off, p->len, p->range);
#undef PUT
	if (u >= sizeof(facts))
		return -1;
	n = snprintf(buf, len, STATE_PREFIX "%s:%s", facts, p->path);
	return n < 0 || (size_t)n >= len || n > PROMISE_MARK_MAX ? -1 : 0;
}

static int same_range(const struct promise *a, const struct promise *b)
{
	return a->off < b->off + b->len && b->off < a->off + a->len;
}

/* 1 when @new takes the place of @old. */
static int replaces(const struct promise *old, const struct promise *new)
{
	if (strcmp(old->path, new->path))
		return 0;
	if ((old->facts & PF_RANGE) != (new->facts & PF_RANGE))
		return 0;
	return (new->facts & PF_RANGE) ? same_range(old, new) : 1;
}

int promise_set_apply(struct promise_set *s, enum mark_kind kind,
		      const struct promise *p)
{
	size_t j = 0;

	if (kind != MARK_EXPECT && kind != MARK_STATE && kind != MARK_FORGET)
		return 0;
	/* Drop what the new mark replaces or forgets. */
	for (size_t i = 0; i < s->n; i++) {
		int drop = kind == MARK_FORGET ? !strcmp(s->p[i].path, p->path) :
						 replaces(&s->p[i], p);

		if (!drop)
			s->p[j++] = s->p[i];
	}
	s->n = j;
	if (kind == MARK_FORGET)
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct promise *np = realloc(s->p, cap * sizeof(*np));

		if (!np)
			return -1;
		s->p = np;
		s->cap = cap;
	}
	s->p[s->n++] = *p;
	return 0;
}

void promise_set_free(struct promise_set *s)
{
	free(s->p);
	memset(s, 0, sizeof(*s));
}
