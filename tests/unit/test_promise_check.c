// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the persistence oracle, one rule at a time. For each rule a
 * promise is made from a real directory tree (as the driver makes it, via
 * fs_state_read), then checked against a crash state that keeps it and
 * one that breaks it; the broken one must be reported with the check kind,
 * the path, the rule and its durability point.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "replay/fs_state.h"
#include "replay/promise_check.h"
#include "lib/fsutil.h"

static char root[64];

struct sink {
	struct failure_sink s;
	char check[16], path[1024], detail[2048];
};

static void collect(struct failure_sink *s, const struct check_failure *f)
{
	struct sink *k = (struct sink *)s;

	/* The first broken fact names the check; every detail is kept. */
	if (!s->count++) {
		snprintf(k->check, sizeof(k->check), "%s", f->check);
		snprintf(k->path, sizeof(k->path), "%s", f->path);
	}
	size_t n = strlen(k->detail);

	snprintf(k->detail + n, sizeof(k->detail) - n, "%s | ", f->detail);
}

static char *at(const char *rel)
{
	return xasprintf("%s/%s", root, rel);
}

static void put(const char *rel, const char *data)
{
	char *p = at(rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	close(fd);
	free(p);
}

static void run(const char *cmd_fmt, const char *a, const char *b)
{
	char *pa = at(a), *pb = b ? at(b) : NULL, *cmd;

	cmd = xasprintf(cmd_fmt, pa, pb);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(pa);
	free(pb);
}

/* A promise of @facts about @rel as it is now, under @rule. */
static struct promise promise_of(const char *rel, unsigned int facts,
				 const char *rule)
{
	struct promise p = { .facts = facts, .nino = 1, .entry = 42 };
	struct fs_state st;
	char *path = at(rel);

	assert_int_equal(fs_state_read(path, facts, &st), 0);
	assert_int_equal(st.err, 0);
	free(path);
	snprintf(p.path, sizeof(p.path), "%s", rel);
	snprintf(p.rule, sizeof(p.rule), "%s", rule);
	snprintf(p.by, sizeof(p.by), "%s-t0-o1", rule);
	p.type = st.type;
	p.ino[0] = st.ino;
	p.size = st.size;
	p.content = st.content;
	p.nlink = st.nlink;
	p.mode = st.mode;
	p.xattr = st.xattr;
	strcpy(p.target, st.target);
	strcpy(p.entries, st.entries);
	return p;
}

/* Check @p against the tree now: 0 kept, else how many broke. */
static unsigned long check(const struct promise *p, struct sink *k)
{
	struct promise_set s = { 0 };

	memset(k, 0, sizeof(*k));
	k->s.report = collect;
	assert_int_equal(promise_set_apply(&s, MARK_STATE, p), 0);
	promise_check(root, &s, &k->s);
	promise_set_free(&s);
	return k->s.count;
}

static void broke(const struct promise *p, const char *kind,
		  const char *needle)
{
	struct sink k;

	if (!check(p, &k))
		fail_msg("%s: the broken state passed", p->rule);
	assert_string_equal(k.check, kind);
	assert_string_equal(k.path, p->path);
	if (!strstr(k.detail, needle) || !strstr(k.detail, p->by) ||
	    !strstr(k.detail, "log entry 42"))
		fail_msg("detail '%s' lacks '%s', its rule or its mark",
			 k.detail, needle);
}

static void kept(const struct promise *p)
{
	struct sink k;

	if (check(p, &k))
		fail_msg("%s: a kept promise failed: %s %s", p->rule, k.check,
			 k.detail);
}

static int setup(void **state)
{
	(void)state;
	strcpy(root, "/tmp/lwfuzz-oracle.XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf %s", root);
	int ret = system(cmd);

	(void)state;
	free(cmd);
	return ret;
}

static void reset(void)
{
	run("rm -rf %s; mkdir %s", "", "");
}

#define FILE_FACTS                                                       \
	(PF_TYPE | PF_INO | PF_SIZE | PF_CONTENT | PF_NLINK | PF_MODE | \
	 PF_XATTR)

/* fsync(file): content and size. */
static void fsync_content(void **state)
{
	struct promise p;

	(void)state;
	reset();
	put("f0", "hello");
	p = promise_of("f0", FILE_FACTS, "fsync");
	kept(&p);
	put("f0", "jello");
	broke(&p, "data", "expected content digest");
	put("f0", "hello!");
	broke(&p, "data", "expected size 5, found 6");
}

/* fsync(file): its name, and the inode behind it. */
static void fsync_names(void **state)
{
	struct promise p;

	(void)state;
	reset();
	put("f0", "x");
	p = promise_of("f0", FILE_FACTS, "fsync");
	run("rm %s", "f0", NULL);
	broke(&p, "name", "expected reg of the promised inode, found no such file");
	put("f0", "x"); /* a new inode, the same name and data */
	p.ino[0] += 1000000;
	broke(&p, "name", "expected inode");
	run("rm %s; mkdir %s", "f0", "f0");
	broke(&p, "name", "expected type reg, found dir");
}

/* fsync(file): link count, mode, xattrs. */
static void fsync_attributes(void **state)
{
	struct promise p;
	char *f0 = at("f0");

	(void)state;
	reset();
	put("f0", "x");
	run("ln %s %s", "f0", "f1");
	assert_int_equal(setxattr(f0, "user.x0", "v", 1, 0), 0);
	p = promise_of("f0", FILE_FACTS, "fsync");
	kept(&p);
	run("rm %s", "f1", NULL);
	broke(&p, "attr", "expected link count 2, found 1");
	run("ln %s %s", "f0", "f1");
	assert_int_equal(chmod(f0, 0600), 0);
	broke(&p, "attr", "expected mode 0644, found 0600");
	assert_int_equal(chmod(f0, 0644), 0);
	kept(&p);
	assert_int_equal(setxattr(f0, "user.x0", "w", 1, 0), 0);
	broke(&p, "attr", "expected xattrs digest");
	assert_int_equal(setxattr(f0, "user.x0", "v", 1, 0), 0);
	assert_int_equal(setxattr(f0, "user.x1", "", 0, 0), 0);
	broke(&p, "attr", "(2 user xattrs)");
	free(f0);
}

/* fsync of an unlinked file: its old name stays gone. */
static void fsync_unlinked(void **state)
{
	struct promise p;

	(void)state;
	reset();
	put("d0", "x");
	p = promise_of("d0", PF_TYPE, "fsync-unlinked");
	p.facts = PF_NOTINO;
	p.notino = p.ino[0];
	broke(&p, "name", "was unlinked, found it still named here");
	run("rm %s", "d0", NULL);
	kept(&p);
	put("d0", "x"); /* another inode may take the name */
	p.notino += 1000000;
	kept(&p);
}

/* fdatasync: data and size, not the mode. */
static void fdatasync_data(void **state)
{
	struct promise p;
	char *f0 = at("f0");

	(void)state;
	reset();
	put("f0", "abc");
	p = promise_of("f0", PF_TYPE | PF_INO | PF_SIZE | PF_CONTENT,
		       "fdatasync");
	assert_int_equal(chmod(f0, 0600), 0);
	kept(&p);
	put("f0", "ab");
	broke(&p, "data", "expected size 3, found 2");
	free(f0);
}

/* fsync(dir): exactly its entries, their types, symlink targets. */
static void fsync_dir(void **state)
{
	struct promise d, l;

	(void)state;
	reset();
	run("mkdir %s; touch %s", "d0", "d0/f0");
	run("ln -s d0/f0 %s; mkdir %s", "d0/l0", "d0/d1");
	d = promise_of("d0", PF_TYPE | PF_INO | PF_ENTRIES, "fsync-dir");
	assert_string_equal(d.entries, "dd1/rf0/ll0");
	l = promise_of("d0/l0", PF_TYPE | PF_TARGET, "fsync-dir");
	kept(&d);
	kept(&l);
	run("mv %s %s", "d0/l0", "d0/l1");
	broke(&d, "name", "(lost: l0) (unexpected: l1)");
	broke(&l, "name", "expected lnk, found no such file");
	run("mv %s %s", "d0/l1", "d0/l0");
	run("rm %s; ln -s f2 %s", "d0/l0", "d0/l0");
	kept(&d);
	broke(&l, "name", "expected symlink target 'd0/f0', found 'f2'");
	run("rm %s; mkdir %s", "d0/f0", "d0/f0");
	broke(&d, "name", "expected entries 'dd1/rf0/ll0', found 'dd1/df0/ll0'");
}

/* sync: everything, the top directory included. */
static void sync_everything(void **state)
{
	struct promise top;

	(void)state;
	reset();
	run("mkdir %s; touch %s", "d0", "f1");
	top = promise_of(".", PF_TYPE | PF_INO | PF_ENTRIES | PF_MODE | PF_XATTR,
			 "sync");
	kept(&top);
	run("rmdir %s", "d0", NULL);
	broke(&top, "name", "(lost: d0)");
}

/* O_SYNC / O_DSYNC writes and msync: the bytes of the range. */
static void synced_range(void **state)
{
	struct promise p = { .path = "f0", .facts = PF_RANGE, .rule = "msync",
			     .by = "mwrite-t0-o4", .off = 2, .len = 3,
			     .entry = 42 };
	char *f0 = at("f0");

	(void)state;
	reset();
	put("f0", "..abc...");
	assert_int_equal(fs_range_digest(f0, 2, 3, &p.range), 0);
	kept(&p);
	put("f0", "..abX...");
	broke(&p, "data", "bytes 2..5: digest");
	put("f0", "..a");
	broke(&p, "data", "the file ends inside the range");
	/* An expect mark of an older log: no rule, no point to name. */
	p.rule[0] = p.by[0] = '\0';
	broke(&p, "data", "promised at log entry 42: bytes 2..5");
	free(f0);
}

/* rename: the destination names the old or the new inode, never nothing. */
static void rename_atomic(void **state)
{
	struct promise a, b;

	(void)state;
	reset();
	put("f0", "new");
	put("f1", "old");
	/* Extra links keep both inodes (and their numbers) alive. */
	run("ln %s %s", "f0", "keep_new");
	run("ln %s %s", "f1", "keep_old");
	a = promise_of("f0", PF_INO, "rename");
	b = promise_of("f1", PF_INO, "rename");
	b.ino[1] = a.ino[0];
	b.nino = 2;
	kept(&b); /* the old inode */
	run("mv %s %s", "f0", "f1");
	kept(&b); /* the new one */
	run("rm %s", "f1", NULL);
	broke(&b, "name", "found no such file");
	put("f9", "other");
	run("mv %s %s", "f9", "f1");
	broke(&b, "name", " or ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fsync_content),
		cmocka_unit_test(fsync_names),
		cmocka_unit_test(fsync_attributes),
		cmocka_unit_test(fsync_unlinked),
		cmocka_unit_test(fdatasync_data),
		cmocka_unit_test(fsync_dir),
		cmocka_unit_test(sync_everything),
		cmocka_unit_test(synced_range),
		cmocka_unit_test(rename_atomic),
	};

	return cmocka_run_group_tests_name("promise_check", tests, setup,
					   teardown);
}
