// SPDX-License-Identifier: GPL-2.0
/*
 * What the file system promised, written into the log as marks
 * (lib/promise_mark.h) at the moment a durability point returns. The rules
 * and the fstests that hold btrfs to them: docs/workloads.md, "Promises".
 *
 * A promise is made only about what nobody changed while the durability
 * point ran: counters of namespace changes, of changes to each inode and
 * of all changes are sampled before it starts and compared once it
 * returned. Before anything a promise is about changes, its forget mark
 * goes into the log first. Where btrfs's guarantee is unclear, nothing is
 * promised: a name is promised only under directories whose own names are
 * durable (or new, for fsync of a file), a directory's entries only when
 * its name is durable.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "guest/driver_int.h"
#include "replay/fs_state.h"
#include "lib/fsutil.h"

/* Per path: a cross-directory rename moved an entry out of it. */
#define PATH_MOVED_OUT (1u << 3)

static uint16_t all_paths[WL_PATH_IDS];
static unsigned int nall_paths;

int model_init(struct run *r)
{
	r->m = calloc(1, sizeof(*r->m));
	if (!r->m)
		return -1;
	r->m->flags[WL_PATH_TOP] = PATH_DURABLE;
	if (!nall_paths)
		for (unsigned int p = 0; p < WL_PATH_IDS; p++)
			if (wl_path_fold(p) == p && p != WL_PATH_TOP)
				all_paths[nall_paths++] = p;
	return 0;
}

void model_free(struct run *r)
{
	for (unsigned int i = 0; i < WL_PATH_IDS; i++)
		free(r->m->held[i]);
	free(r->m);
	r->m = NULL;
}

struct ino_track *ino_track(struct run *r, uint64_t ino)
{
	struct ino_track *t = r->m->inos;

	for (unsigned int i = 0; i < INO_TRACK; i++) {
		struct ino_track *e = &t[(ino + i) % INO_TRACK];

		if (e->ino == ino || !e->ino) {
			e->ino = ino;
			return e;
		}
	}
	/* Full: share a slot; shared counters only make more things busy. */
	return &t[ino % INO_TRACK];
}

static void forget_path(struct run *r, uint16_t p)
{
	char m[64], text[WL_PATH_TEXT];

	if (!(r->m->flags[p] & PATH_PROMISED))
		return;
	r->m->flags[p] &= ~PATH_PROMISED;
	free(r->m->held[p]);
	r->m->held[p] = NULL;
	snprintf(m, sizeof(m), FORGET_PREFIX "%s", wl_path_text(p, text));
	mark_locked(r, m);
}

static void forget_ino(struct run *r, uint64_t ino)
{
	for (unsigned int i = 0; ino && i < nall_paths; i++) {
		uint16_t p = all_paths[i];

		if ((r->m->flags[p] & PATH_PROMISED) && r->m->pino[p] == ino)
			forget_path(r, p);
	}
}

static int emit(struct run *r, uint16_t path, const struct promise *p,
		uint64_t ino);

/*
 * Inode @ino's link count changes (a link, an unlink, a rename over it):
 * its other names keep every promise but the link count.
 */
static void weaken_ino(struct run *r, uint64_t ino)
{
	for (unsigned int i = 0; ino && i < nall_paths; i++) {
		uint16_t p = all_paths[i];
		struct promise *h = r->m->held[p], weak;

		if (!(r->m->flags[p] & PATH_PROMISED) || r->m->pino[p] != ino)
			continue;
		if (!h || !(h->facts & PF_NLINK))
			continue;
		weak = *h;
		weak.facts &= ~PF_NLINK;
		if (!weak.facts || (weak.facts & PF_RANGE)) {
			forget_path(r, p);
			continue;
		}
		emit(r, p, &weak, ino);
	}
}

/* @p and everything below it no longer name what they named. */
static void forget_subtree(struct run *r, uint16_t p)
{
	for (unsigned int i = 0; i < nall_paths; i++) {
		uint16_t q = all_paths[i];

		if (!wl_path_within(q, p))
			continue;
		forget_path(r, q);
		r->m->flags[q] = 0;
		r->m->removed[q] = 0;
	}
}

void ns_begin(struct run *r, const uint16_t *paths, unsigned int n,
	      const uint64_t *inos, unsigned int ni)
{
	struct model *m = r->m;

	m->ns_gen++;
	m->ns_busy++;
	m->all_gen++;
	m->all_busy++;
	for (unsigned int i = 0; i < n; i++) {
		forget_subtree(r, paths[i]);
		forget_path(r, wl_path_parent(paths[i])); /* its entries */
	}
	for (unsigned int i = 0; i < ni; i++)
		weaken_ino(r, inos[i]); /* link counts change */
}

void ns_end(struct run *r)
{
	r->m->ns_gen++;
	r->m->ns_busy--;
	r->m->all_gen++;
	r->m->all_busy--;
}

void ino_begin(struct run *r, uint64_t ino)
{
	struct ino_track *t = ino_track(r, ino);

	t->gen++;
	t->busy++;
	r->m->all_gen++;
	r->m->all_busy++;
	forget_ino(r, ino);
}

void ino_end(struct run *r, uint64_t ino)
{
	struct ino_track *t = ino_track(r, ino);

	t->gen++;
	t->busy--;
	r->m->all_gen++;
	r->m->all_busy--;
}

void model_created_dir(struct run *r, uint16_t path)
{
	r->m->flags[path] |= PATH_FRESH;
}

void model_removed(struct run *r, uint16_t path, uint64_t ino)
{
	r->m->removed[path] = ino;
}

void model_moved_out(struct run *r, uint16_t dir)
{
	r->m->flags[dir] |= PATH_MOVED_OUT;
}

void sync_point_begin(struct run *r, struct sync_point *sp, int fd)
{
	struct stat st;

	pthread_mutex_lock(&r->lock);
	sp->ns_gen = r->m->ns_gen;
	sp->ns_quiet = !r->m->ns_busy;
	sp->all_gen = r->m->all_gen;
	sp->all_quiet = !r->m->all_busy;
	sp->ino_quiet = 0;
	if (fd >= 0 && fstat(fd, &st) == 0) {
		struct ino_track *t = ino_track(r, st.st_ino);

		sp->ino = st.st_ino;
		sp->dev = st.st_dev;
		sp->ino_gen = t->gen;
		sp->ino_quiet = !t->busy;
	}
	pthread_mutex_unlock(&r->lock);
}

/* Caller holds the lock: nothing changed the names since @sp began. */
static int ns_still_quiet(struct run *r, const struct sync_point *sp)
{
	return sp->ns_quiet && !r->m->ns_busy && r->m->ns_gen == sp->ns_gen;
}

static int ino_still_quiet(struct run *r, const struct sync_point *sp)
{
	struct ino_track *t = ino_track(r, sp->ino);

	return sp->ino_quiet && !t->busy && t->gen == sp->ino_gen;
}

static int all_still_quiet(struct run *r, const struct sync_point *sp)
{
	return sp->all_quiet && !r->m->all_busy && r->m->all_gen == sp->all_gen;
}

/* Every ancestor of @p has a durable name (or, @fresh_ok, a new one). */
static int ancestors_ok(struct run *r, uint16_t p, int fresh_ok)
{
	unsigned int want = PATH_DURABLE | (fresh_ok ? PATH_FRESH : 0);

	for (uint16_t a = wl_path_parent(p); a != WL_PATH_TOP;
	     a = wl_path_parent(a))
		if (!(r->m->flags[a] & want))
			return 0;
	return 1;
}

/* The paths that exist, with their lstat, in a tree of our names. */
struct found {
	uint16_t path;
	struct stat st;
};

struct tree {
	struct found *f;
	size_t n, cap;
};

static int name_index(const char *s)
{
	for (unsigned int k = 0; k < WL_NAMES; k++)
		if (!strcmp(s, wl_name_text(k)))
			return k;
	return -1;
}

static void walk(const char *dir, unsigned int *names, unsigned int depth,
		 struct tree *t)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		int k = name_index(e->d_name);
		struct found f;
		char *path;

		if (k < 0)
			continue;
		names[depth] = k;
		f.path = wl_path_make(names, depth + 1);
		path = path_join(dir, e->d_name);
		if (lstat(path, &f.st) == 0) {
			if (t->n == t->cap) {
				size_t cap = t->cap ? 2 * t->cap : 64;
				struct found *nf =
					realloc(t->f, cap * sizeof(*nf));

				if (!nf) {
					free(path);
					break;
				}
				t->f = nf;
				t->cap = cap;
			}
			t->f[t->n++] = f;
			if (S_ISDIR(f.st.st_mode) &&
			    depth + 1 < WL_PATH_DEPTH_MAX)
				walk(path, names, depth + 1, t);
		}
		free(path);
	}
	closedir(d);
}

static void tree_read(struct run *r, struct tree *t)
{
	unsigned int names[WL_PATH_DEPTH_MAX];

	memset(t, 0, sizeof(*t));
	walk(r->cfg->mnt, names, 0, t);
}

/* A promise about @path, filled from @st for the facts in @facts. */
static void fill(struct promise *p, uint16_t path, const struct fs_state *st,
		 unsigned int facts, const char *rule, const char *by)
{
	char text[WL_PATH_TEXT];

	memset(p, 0, sizeof(*p));
	snprintf(p->path, sizeof(p->path), "%s", wl_path_text(path, text));
	snprintf(p->rule, sizeof(p->rule), "%s", rule);
	snprintf(p->by, sizeof(p->by), "%s", by);
	p->facts = facts;
	p->type = st->type;
	p->ino[0] = st->ino;
	p->nino = 1;
	p->size = st->size;
	p->content = st->content;
	p->nlink = st->nlink;
	p->mode = st->mode;
	p->xattr = st->xattr;
	snprintf(p->target, sizeof(p->target), "%s", st->target);
	snprintf(p->entries, sizeof(p->entries), "%s", st->entries);
}

/* Caller holds the lock. 1 when the mark went into the log. */
static int emit(struct run *r, uint16_t path, const struct promise *p,
		uint64_t ino)
{
	char m[PROMISE_MARK_MAX + 1];

	if (promise_mark_format(m, sizeof(m), p))
		return 0;
	mark_locked(r, m);
	r->m->flags[path] |= PATH_PROMISED;
	r->m->pino[path] = ino;
	r->res->expectations++;
	/* A range sits beside the state promise it does not replace. */
	if (!(p->facts & PF_RANGE)) {
		if (!r->m->held[path])
			r->m->held[path] = malloc(sizeof(*p));
		if (r->m->held[path])
			*r->m->held[path] = *p;
	}
	return 1;
}

/* After a group of promises: a crash point of its own. */
static void emit_done(struct run *r, const char *by, int n)
{
	char m[64];

	if (!n)
		return;
	snprintf(m, sizeof(m), "promised-%s", by);
	mark_locked(r, m);
}

/* The state of every path in @t (facts as @facts asks), or NULL. */
static struct fs_state *read_states(struct run *r, const struct tree *t,
				    const int *want, unsigned int facts)
{
	struct fs_state *s = calloc(t->n ? t->n : 1, sizeof(*s));
	char text[WL_PATH_TEXT];

	for (size_t i = 0; s && i < t->n; i++) {
		char *path;

		if (want && !want[i])
			continue;
		path = path_join(r->cfg->mnt, wl_path_text(t->f[i].path, text));
		if (fs_state_read(path, facts, &s[i]))
			s[i].type = FT_NONE;
		free(path);
	}
	return s;
}

static int names_ino(const struct found *f, const struct sync_point *sp)
{
	return f->st.st_ino == sp->ino && f->st.st_dev == sp->dev;
}

/*
 * What a durability point will promise: the paths it is about are found
 * before it starts (a walk of a few directories, so that the point itself
 * starts when the workload says); their states are read once it returned,
 * and the marks written only if nothing changed since it started (then
 * what was read is what it made durable).
 */
struct pending {
	enum promise_kind kind;
	struct sync_point sp;
	struct tree t;
	int *want; /* per path of t: the promise is about it */
	unsigned int facts; /* the facts to read of each */
	struct fs_state *s; /* per path of t, where wanted */
	struct fs_state top; /* sync, or fsync of the top directory */
	int read_top; /* read the top directory's state too */
	size_t di; /* the fsynced directory's index in t; t.n: the top */
	uint16_t d; /* the fsynced directory */
	int dir; /* fsync of a directory */
};

#define FILE_FACTS                                                       \
	(PF_TYPE | PF_INO | PF_SIZE | PF_CONTENT | PF_NLINK | PF_MODE | \
	 PF_XATTR)
#define DATA_FACTS (PF_TYPE | PF_INO | PF_SIZE | PF_CONTENT)

static void prepare_dir(struct run *r, struct pending *p)
{
	struct tree *t = &p->t;
	struct stat st;

	p->d = WL_PATH_TOP;
	p->di = t->n;
	for (size_t i = 0; i < t->n; i++)
		if (names_ino(&t->f[i], &p->sp) && S_ISDIR(t->f[i].st.st_mode)) {
			p->d = t->f[i].path;
			p->di = i;
		}
	/* Not below the top: the top itself, or a removed directory. */
	if (p->di == t->n && (stat(r->cfg->mnt, &st) ||
			      st.st_ino != p->sp.ino || st.st_dev != p->sp.dev))
		return;
	p->dir = 1;
	p->read_top = p->di == t->n;
	p->facts = PF_ENTRIES | PF_TARGET;
	for (size_t i = 0; i < t->n; i++)
		p->want[i] = i == p->di || wl_path_parent(t->f[i].path) == p->d;
}

struct pending *promise_prepare(struct run *r, const struct sync_point *sp,
				int fd, enum promise_kind kind)
{
	struct pending *p = calloc(1, sizeof(*p));
	struct stat st;

	if (!p)
		return NULL;
	p->kind = kind;
	p->sp = *sp;
	tree_read(r, &p->t);
	p->want = calloc(p->t.n + 1, sizeof(*p->want));
	if (!p->want)
		return p;
	switch (kind) {
	case PROMISE_SYNC:
		if (!sp->all_quiet)
			break;
		p->read_top = 1;
		p->facts = PF_CONTENT | PF_XATTR | PF_TARGET | PF_ENTRIES;
		for (size_t i = 0; i < p->t.n; i++)
			p->want[i] = 1;
		break;
	case PROMISE_RANGE:
		for (size_t i = 0; i < p->t.n; i++)
			p->want[i] = names_ino(&p->t.f[i], sp) &&
				     S_ISREG(p->t.f[i].st.st_mode);
		break;
	case PROMISE_FSYNC:
	case PROMISE_FDATASYNC:
		if (fd < 0 || fstat(fd, &st))
			break;
		if (S_ISDIR(st.st_mode)) {
			if (kind == PROMISE_FSYNC)
				prepare_dir(r, p);
			break;
		}
		if (!S_ISREG(st.st_mode))
			break;
		p->facts = kind == PROMISE_FSYNC ? FILE_FACTS : DATA_FACTS;
		for (size_t i = 0; i < p->t.n; i++)
			p->want[i] = names_ino(&p->t.f[i], sp) &&
				     S_ISREG(p->t.f[i].st.st_mode);
		break;
	}
	return p;
}

/* After the point returned: the states its promise will be about. */
static int read_pending(struct run *r, struct pending *p)
{
	if (!p->want || !p->facts)
		return -1;
	if (p->read_top &&
	    fs_state_read(r->cfg->mnt, p->facts & ~PF_CONTENT, &p->top))
		return -1;
	p->s = read_states(r, &p->t, p->want, p->facts);
	return p->s ? 0 : -1;
}

static void pending_free(struct pending *p)
{
	if (!p)
		return;
	free(p->t.f);
	free(p->want);
	free(p->s);
	free(p);
}

/* fsync and fdatasync of a regular file. Caller holds the lock. */
static int commit_file(struct run *r, const struct pending *p)
{
	int datasync = p->kind == PROMISE_FDATASYNC, n = 0;
	const struct sync_point *sp = &p->sp;
	const struct tree *t = &p->t;

	if (!ns_still_quiet(r, sp) || !ino_still_quiet(r, sp))
		return 0;
	for (size_t i = 0; i < t->n; i++) {
		uint16_t path = t->f[i].path;
		struct promise pr;

		if (!p->want[i] || p->s[i].type != FT_REG || p->s[i].err ||
		    p->s[i].ino != sp->ino)
			continue;
		/* fdatasync persists data, not names: only a durable one. */
		if (datasync ? !(r->m->flags[path] & PATH_DURABLE) :
			       !ancestors_ok(r, path, 1))
			continue;
		fill(&pr, path, &p->s[i], datasync ? DATA_FACTS : FILE_FACTS,
		     datasync ? "fdatasync" : "fsync", sp->by);
		n += emit(r, path, &pr, sp->ino);
		if (!datasync)
			r->m->flags[path] |= PATH_DURABLE;
	}
	/* Names unlinked from the inode stay gone once it is fsynced. */
	for (unsigned int i = 0; !datasync && i < nall_paths; i++) {
		uint16_t path = all_paths[i];
		struct fs_state none = { .type = FT_NONE };
		struct promise pr;
		int named = 0;

		if (r->m->removed[path] != sp->ino || !ancestors_ok(r, path, 1))
			continue;
		for (size_t j = 0; j < t->n && !named; j++)
			named = t->f[j].path == path && names_ino(&t->f[j], sp);
		if (named)
			continue;
		fill(&pr, path, &none, PF_NOTINO, "fsync-unlinked", sp->by);
		pr.notino = sp->ino;
		n += emit(r, path, &pr, sp->ino);
	}
	return n;
}

/* fsync of a directory: its entries, their types, symlink targets. */
static int commit_dir(struct run *r, const struct pending *p)
{
	const struct fs_state *ds;
	const struct tree *t = &p->t;
	uint16_t d = p->d;
	struct promise pr;
	int n = 0;

	if (!p->s)
		return 0; /* nothing was read: nothing to promise */
	ds = p->di < p->t.n ? &p->s[p->di] : &p->top;
	/* A new directory's fsync persists its name too (generic/321). */
	if (!ns_still_quiet(r, &p->sp) ||
	    !(r->m->flags[d] & (PATH_DURABLE | PATH_FRESH)) ||
	    !ancestors_ok(r, d, 1) || (r->m->flags[d] & PATH_MOVED_OUT) ||
	    ds->err || ds->type != FT_DIR)
		return 0;
	r->m->flags[d] |= PATH_DURABLE;
	fill(&pr, d, ds, PF_TYPE | PF_INO | PF_ENTRIES, "fsync-dir", p->sp.by);
	n += emit(r, d, &pr, p->sp.ino);
	for (size_t i = 0; i < t->n; i++) {
		uint16_t c = t->f[i].path;

		if (!p->want[i] || i == p->di || p->s[i].type == FT_NONE ||
		    p->s[i].err)
			continue;
		/* A stronger promise of the same entry stays as it is. */
		if (r->m->held[c] && (r->m->held[c]->facts & PF_TYPE) &&
		    r->m->held[c]->type == p->s[i].type) {
			r->m->flags[c] |= PATH_DURABLE;
			continue;
		}
		fill(&pr, c, &p->s[i],
		     PF_TYPE | (p->s[i].type == FT_LNK ? PF_TARGET : 0),
		     "fsync-dir", p->sp.by);
		n += emit(r, c, &pr, p->s[i].ino);
		r->m->flags[c] |= PATH_DURABLE;
	}
	return n;
}

/* sync and syncfs: everything, when nothing at all changed meanwhile. */
static int commit_sync(struct run *r, const struct pending *p)
{
	int n = 0;

	if (!all_still_quiet(r, &p->sp))
		return 0;
	/* Every path below the top, then the top directory itself. */
	for (size_t i = 0; i <= p->t.n; i++) {
		const struct fs_state *st = i < p->t.n ? &p->s[i] : &p->top;
		uint16_t path = i < p->t.n ? p->t.f[i].path : WL_PATH_TOP;
		unsigned int facts = PF_TYPE | PF_INO | PF_MODE;
		struct promise pr;

		if (st->type == FT_NONE || st->err)
			continue;
		if (st->type == FT_REG)
			facts |= PF_SIZE | PF_CONTENT | PF_NLINK | PF_XATTR;
		else if (st->type == FT_DIR)
			facts |= PF_ENTRIES | PF_XATTR;
		else if (st->type == FT_LNK)
			facts |= PF_TARGET;
		fill(&pr, path, st, facts, "sync", p->sp.by);
		n += emit(r, path, &pr, st->ino);
		r->m->flags[path] = (r->m->flags[path] | PATH_DURABLE) &
				    ~PATH_MOVED_OUT;
	}
	r->m->flags[WL_PATH_TOP] &= ~PATH_MOVED_OUT;
	return n;
}

void promise_commit(struct run *r, struct pending *p, int succeeded)
{
	int n = 0;

	if (!p)
		return;
	if (succeeded && p->kind != PROMISE_RANGE && read_pending(r, p))
		succeeded = 0;
	pthread_mutex_lock(&r->lock);
	if (succeeded && p->kind != PROMISE_RANGE) {
		if (p->kind == PROMISE_SYNC)
			n = commit_sync(r, p);
		else if (p->dir)
			n = commit_dir(r, p);
		else
			n = commit_file(r, p);
	}
	emit_done(r, p->sp.by, n);
	pthread_mutex_unlock(&r->lock);
	pending_free(p);
}

/* O_SYNC and O_DSYNC writes, msync: the bytes of the range. */
void promise_commit_range(struct run *r, struct pending *p, uint64_t off,
			  uint64_t len, uint64_t digest, const char *rule)
{
	int n = 0;

	if (!p)
		return;
	pthread_mutex_lock(&r->lock);
	for (size_t i = 0; p->want && i < p->t.n; i++) {
		uint16_t path = p->t.f[i].path;
		struct fs_state none = { .type = FT_NONE };
		struct promise pr;

		if (!p->want[i] || !(r->m->flags[path] & PATH_DURABLE) ||
		    !ns_still_quiet(r, &p->sp) || !ino_still_quiet(r, &p->sp))
			continue;
		fill(&pr, path, &none, PF_RANGE, rule, p->sp.by);
		pr.off = off;
		pr.len = len;
		pr.range = digest;
		n += emit(r, path, &pr, p->sp.ino);
	}
	emit_done(r, p->sp.by, n);
	pthread_mutex_unlock(&r->lock);
	pending_free(p);
}

/*
 * Rename atomicity: once both names were durable, the destination names
 * the old or the new inode in every later crash state, never nothing
 * (for RENAME_EXCHANGE, both names). rename_point_begin() before the
 * rename's ns_begin(), promise_rename() after its ns_end(); the caller
 * holds the lock for both.
 */
void rename_point_begin(struct run *r, struct rename_point *rp, uint16_t a,
			uint16_t b)
{
	char ta[WL_PATH_TEXT], tb[WL_PATH_TEXT];
	char *pa = path_join(r->cfg->mnt, wl_path_text(a, ta)),
	     *pb = path_join(r->cfg->mnt, wl_path_text(b, tb));
	struct stat sa, sb;

	rp->durable = !r->m->ns_busy && (r->m->flags[a] & PATH_DURABLE) &&
		      (r->m->flags[b] & PATH_DURABLE) && !lstat(pa, &sa) &&
		      !lstat(pb, &sb);
	rp->ino_a = rp->durable ? sa.st_ino : 0;
	rp->ino_b = rp->durable ? sb.st_ino : 0;
	free(pa);
	free(pb);
}

void promise_rename(struct run *r, const struct rename_point *rp, uint16_t a,
		    uint16_t b, int exchange, const char *by)
{
	struct fs_state none = { .type = FT_NONE };
	struct promise pr;
	int n = 0;

	if (!rp->durable || r->m->ns_busy || r->m->ns_gen != rp->ns_gen + 1)
		return;
	fill(&pr, b, &none, PF_INO, "rename", by);
	pr.ino[0] = rp->ino_b;
	pr.ino[1] = rp->ino_a;
	pr.nino = 2;
	n += emit(r, b, &pr, rp->ino_a);
	if (exchange) {
		fill(&pr, a, &none, PF_INO, "rename", by);
		pr.ino[0] = rp->ino_a;
		pr.ino[1] = rp->ino_b;
		pr.nino = 2;
		n += emit(r, a, &pr, rp->ino_b);
	}
	emit_done(r, by, n);
}
