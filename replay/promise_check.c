// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/fs_state.h"
#include "replay/promise_check.h"
#include "lib/fsutil.h"

/* Report one broken fact of @p: "RULE promise of BY (log entry N): ...". */
static void broken(struct failure_sink *sink, const struct promise *p,
		   const char *check, const char *fmt, ...)
{
	struct check_failure f = { .check = check };
	size_t n;
	va_list ap;

	snprintf(f.path, sizeof(f.path), "%s", p->path);
	if (p->facts & PF_RANGE) {
		f.has_file_range = 1;
		f.file_start = p->off;
		f.file_end = p->off + p->len;
	}
	/* An expect mark of an older log names neither rule nor point. */
	if (p->rule[0])
		n = snprintf(f.detail, sizeof(f.detail),
			     "%s promise of %s (log entry %" PRIu64 "): ",
			     p->rule, p->by[0] ? p->by : "-", p->entry);
	else
		n = snprintf(f.detail, sizeof(f.detail),
			     "promised at log entry %" PRIu64 ": ", p->entry);
	va_start(ap, fmt);
	if (n < sizeof(f.detail))
		vsnprintf(f.detail + n, sizeof(f.detail) - n, fmt, ap);
	va_end(ap);
	sink->report(sink, &f);
}

static void check_range(const char *path, const struct promise *p,
			struct failure_sink *sink)
{
	uint64_t got = 0;
	int ret = fs_range_digest(path, p->off, p->len, &got);

	if (ret)
		broken(sink, p, "data", "bytes %" PRIu64 "..%" PRIu64 ": %s",
		       p->off, p->off + p->len,
		       ret == -ENODATA ? "the file ends inside the range" :
					 strerror(-ret));
	else if (got != p->range)
		broken(sink, p, "data",
		       "bytes %" PRIu64 "..%" PRIu64 ": digest %016" PRIx64
		       ", found %016" PRIx64,
		       p->off, p->off + p->len, p->range, got);
}

static int ino_promised(const struct promise *p, uint64_t ino)
{
	return ino == p->ino[0] || (p->nino == 2 && ino == p->ino[1]);
}

static void check_name(const struct promise *p, const struct fs_state *st,
		       struct failure_sink *sink)
{
	if ((p->facts & PF_NOTINO) && st->type != FT_NONE &&
	    st->ino == p->notino)
		broken(sink, p, "name",
		       "inode %" PRIu64 " was unlinked, found it still named here",
		       p->notino);
	if (!(p->facts & (PF_TYPE | PF_INO)))
		return;
	if (st->type == FT_NONE) {
		broken(sink, p, "name", "expected %s%s, found no such file",
		       (p->facts & PF_TYPE) ? fs_type_name(p->type) : "a file",
		       (p->facts & PF_INO) ? " of the promised inode" : "");
		return;
	}
	if ((p->facts & PF_TYPE) && st->type != p->type)
		broken(sink, p, "name", "expected type %s, found %s",
		       fs_type_name(p->type), fs_type_name(st->type));
	if ((p->facts & PF_INO) && !ino_promised(p, st->ino)) {
		if (p->nino == 2)
			broken(sink, p, "name",
			       "expected inode %" PRIu64 " or %" PRIu64
			       ", found inode %" PRIu64,
			       p->ino[0], p->ino[1], st->ino);
		else
			broken(sink, p, "name",
			       "expected inode %" PRIu64 ", found inode %" PRIu64,
			       p->ino[0], st->ino);
	}
}

/* Names in @a missing from @b, as "f0, d1". */
static void missing_names(const char *a, const char *b, char *out, size_t len)
{
	char copy[PROMISE_ENTRIES_MAX + 1], *save = NULL;
	size_t used = 0;

	out[0] = '\0';
	snprintf(copy, sizeof(copy), "%s", a);
	for (char *e = strtok_r(copy, "/", &save); e;
	     e = strtok_r(NULL, "/", &save)) {
		const char *s = b;
		size_t el = strlen(e + 1);
		int found = 0;

		while (*s && !found) {
			const char *end = strchr(s, '/');
			size_t l = end ? (size_t)(end - s) : strlen(s);

			found = l == el + 1 && !strncmp(s + 1, e + 1, el);
			s = end ? end + 1 : s + l;
		}
		if (!found && used < len)
			used += snprintf(out + used, len - used, "%s%s",
					 used ? ", " : "", e + 1);
	}
}

static void check_entries(const struct promise *p, const struct fs_state *st,
			  struct failure_sink *sink)
{
	char gone[256], extra[256], why[600];
	size_t n;

	if (!strcmp(p->entries, st->entries))
		return;
	missing_names(p->entries, st->entries, gone, sizeof(gone));
	missing_names(st->entries, p->entries, extra, sizeof(extra));
	n = snprintf(why, sizeof(why), "expected entries '%s', found '%s'",
		     p->entries, st->entries);
	if (gone[0] && n < sizeof(why))
		n += snprintf(why + n, sizeof(why) - n, " (lost: %s)", gone);
	if (extra[0] && n < sizeof(why))
		snprintf(why + n, sizeof(why) - n, " (unexpected: %s)", extra);
	broken(sink, p, "name", "%s", why);
}

static void check_state(const char *path, const struct promise *p,
			struct failure_sink *sink)
{
	struct fs_state st;
	int ret = fs_state_read(path, p->facts, &st);

	if (ret && ret != -ENOENT && ret != -ENOTDIR) {
		broken(sink, p, "name", "lstat: %s", strerror(-ret));
		return;
	}
	check_name(p, &st, sink);
	if (st.type == FT_NONE || ((p->facts & PF_TYPE) && st.type != p->type))
		return; /* nothing more to compare */
	if (st.err) {
		broken(sink, p, "data", "reading it: %s", strerror(st.err));
		return;
	}
	if ((p->facts & PF_SIZE) && st.size != p->size)
		broken(sink, p, "data",
		       "expected size %" PRIu64 ", found %" PRIu64, p->size,
		       st.size);
	else if ((p->facts & PF_CONTENT) && st.content != p->content)
		broken(sink, p, "data",
		       "expected content digest %016" PRIx64 ", found %016" PRIx64,
		       p->content, st.content);
	if ((p->facts & PF_NLINK) && st.nlink != p->nlink)
		broken(sink, p, "attr", "expected link count %" PRIu32
		       ", found %" PRIu32, p->nlink, st.nlink);
	if ((p->facts & PF_MODE) && st.mode != p->mode)
		broken(sink, p, "attr", "expected mode %04" PRIo32
		       ", found %04" PRIo32, p->mode, st.mode);
	if ((p->facts & PF_XATTR) && st.xattr != p->xattr)
		broken(sink, p, "attr",
		       "expected xattrs digest %016" PRIx64
		       ", found %016" PRIx64 " (%u user xattrs)",
		       p->xattr, st.xattr, st.nxattr);
	if ((p->facts & PF_TARGET) && strcmp(st.target, p->target))
		broken(sink, p, "name", "expected symlink target '%s', found '%s'",
		       p->target, st.target);
	if (p->facts & PF_ENTRIES)
		check_entries(p, &st, sink);
	if (p->facts & PF_RANGE)
		check_range(path, p, sink);
}

void promise_check(const char *mnt, const struct promise_set *s,
		   struct failure_sink *sink)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct promise *p = &s->p[i];
		char *path = path_join(mnt, p->path);

		if (p->facts == PF_RANGE)
			check_range(path, p, sink);
		else
			check_state(path, p, sink);
		free(path);
	}
}
