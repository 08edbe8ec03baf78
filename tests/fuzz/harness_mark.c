// SPDX-License-Identifier: GPL-2.0
/*
 * AFL++ harness: the promise mark parser (lib/promise_mark.h). Property:
 * a state mark that parses formats to a mark that parses to the same
 * promise; nothing reads past the mark.
 */
#include <string.h>

#include "harness.h"
#include "lib/promise_mark.h"

static int same(const struct promise *a, const struct promise *b)
{
	return a->facts == b->facts && !strcmp(a->path, b->path) &&
	       !strcmp(a->rule[0] ? a->rule : "-", b->rule) &&
	       !strcmp(a->by, b->by) && a->type == b->type &&
	       (!(a->facts & PF_INO) ||
		(a->nino == b->nino && a->ino[0] == b->ino[0] &&
		 (a->nino < 2 || a->ino[1] == b->ino[1]))) &&
	       a->notino == b->notino && a->size == b->size &&
	       a->content == b->content && a->nlink == b->nlink &&
	       a->mode == b->mode && a->xattr == b->xattr &&
	       a->off == b->off && a->len == b->len && a->range == b->range &&
	       !strcmp(a->target, b->target) && !strcmp(a->entries, b->entries);
}

static void one_input(const unsigned char *buf, size_t len)
{
	char *mark = malloc(len + 1), again[PROMISE_MARK_MAX + 1];
	struct promise p, q;

	if (!mark)
		abort();
	memcpy(mark, buf, len);
	mark[len] = 0;
	if (promise_mark_parse(mark, &p) == MARK_STATE &&
	    !promise_mark_format(again, sizeof(again), &p) &&
	    (promise_mark_parse(again, &q) != MARK_STATE || !same(&p, &q)))
		abort();
	free(mark);
}
