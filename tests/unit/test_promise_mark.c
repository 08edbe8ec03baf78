// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the promise mark language (lib/promise_mark.h). State marks
 * and the older expect marks round-trip; malformed marks are told apart;
 * the set of active promises replaces and forgets as documented.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "lib/promise_mark.h"

static void expect_round_trip(void **state)
{
	struct promise x = { .path = "dir/file", .off = 4096, .len = 65536,
			     .range = 0x0123456789abcdefULL },
		       y;
	char mark[512];

	(void)state;
	assert_int_equal(expect_mark_format(mark, sizeof(mark), &x), 0);
	assert_string_equal(mark,
			    "lwfuzz-expect:4096:65536:0123456789abcdef:dir/file");
	assert_int_equal(promise_mark_parse(mark, &y), MARK_EXPECT);
	assert_string_equal(y.path, "dir/file");
	assert_int_equal(y.facts, PF_RANGE);
	assert_int_equal(y.off, 4096);
	assert_int_equal(y.len, 65536);
	assert_true(y.range == x.range);
}

static void state_round_trip(void **state)
{
	struct promise x = { .path = "d0/d1/f2",
			     .facts = PF_TYPE | PF_INO | PF_SIZE | PF_CONTENT |
				      PF_NLINK | PF_MODE | PF_XATTR,
			     .rule = "fsync",
			     .by = "fsync-t0-o3",
			     .type = FT_REG,
			     .ino = { 257, 0 },
			     .nino = 1,
			     .size = 8192,
			     .content = 0xfeedULL,
			     .nlink = 2,
			     .mode = 0644,
			     .xattr = 0xabcULL },
		       y;
	char mark[PROMISE_MARK_MAX + 1];

	(void)state;
	assert_int_equal(promise_mark_format(mark, sizeof(mark), &x), 0);
	assert_string_equal(
		mark,
		"lwfuzz-state:rule=fsync,by=fsync-t0-o3,type=reg,ino=257,size=8192,content=000000000000feed,nlink=2,mode=0644,xattr=0000000000000abc:d0/d1/f2");
	assert_int_equal(promise_mark_parse(mark, &y), MARK_STATE);
	assert_int_equal(y.facts, x.facts);
	assert_string_equal(y.rule, "fsync");
	assert_string_equal(y.by, "fsync-t0-o3");
	assert_int_equal(y.type, FT_REG);
	assert_int_equal(y.ino[0], 257);
	assert_int_equal(y.size, 8192);
	assert_true(y.content == 0xfeed);
	assert_int_equal(y.nlink, 2);
	assert_int_equal(y.mode, 0644);
	assert_true(y.xattr == 0xabc);
	assert_string_equal(y.path, "d0/d1/f2");
}

static void state_facts_of_names(void **state)
{
	struct promise y;

	(void)state;
	assert_int_equal(
		promise_mark_parse(
			"lwfuzz-state:rule=fsync-dir,type=dir,ino=256,entries=dd0/rf1/ll0:.",
			&y),
		MARK_STATE);
	assert_int_equal(y.facts, PF_TYPE | PF_INO | PF_ENTRIES);
	assert_string_equal(y.entries, "dd0/rf1/ll0");
	assert_string_equal(y.path, ".");
	assert_int_equal(promise_mark_parse(
				 "lwfuzz-state:rule=rename,ino=260|261:d0/f1",
				 &y),
			 MARK_STATE);
	assert_int_equal(y.nino, 2);
	assert_int_equal(y.ino[1], 261);
	assert_int_equal(
		promise_mark_parse(
			"lwfuzz-state:rule=fsync-unlinked,notino=258:f0", &y),
		MARK_STATE);
	assert_int_equal(y.facts, PF_NOTINO);
	assert_int_equal(y.notino, 258);
	assert_int_equal(promise_mark_parse(
				 "lwfuzz-state:rule=fsync-dir,type=lnk,target=d0/f1:l0",
				 &y),
			 MARK_STATE);
	assert_string_equal(y.target, "d0/f1");
	assert_int_equal(
		promise_mark_parse(
			"lwfuzz-state:rule=msync,off=4096,len=100,range=ff:f0",
			&y),
		MARK_STATE);
	assert_int_equal(y.facts, PF_RANGE);
	assert_int_equal(y.len, 100);
}

static void other_and_bad_marks(void **state)
{
	struct promise x;

	(void)state;
	assert_int_equal(promise_mark_parse("mkfs", &x), MARK_OTHER);
	assert_int_equal(promise_mark_parse("promised-fsync-t0-o1", &x),
			 MARK_OTHER);
	assert_int_equal(promise_mark_parse("lwfuzz-forget:a/b", &x),
			 MARK_FORGET);
	assert_string_equal(x.path, "a/b");
	assert_int_equal(promise_mark_parse("lwfuzz-expect:1:2:ff", &x),
			 MARK_BAD);
	assert_int_equal(promise_mark_parse("lwfuzz-expect:x:2:ff:f", &x),
			 MARK_BAD);
	assert_int_equal(promise_mark_parse("lwfuzz-expect:1:2:ff:/abs", &x),
			 MARK_BAD);
	assert_int_equal(promise_mark_parse("lwfuzz-expect:1:2:ff:../up", &x),
			 MARK_BAD);
	assert_int_equal(
		promise_mark_parse("lwfuzz-expect:18446744073709551615:2:ff:f",
				   &x),
		MARK_BAD);
	assert_int_equal(promise_mark_parse("lwfuzz-forget:", &x), MARK_BAD);
	/* A fact we do not know, a bad number, no path, no facts. */
	assert_int_equal(promise_mark_parse("lwfuzz-state:color=red:f0", &x),
			 MARK_BAD);
	assert_int_equal(promise_mark_parse("lwfuzz-state:size=12x:f0", &x),
			 MARK_BAD);
	assert_int_equal(promise_mark_parse("lwfuzz-state:size=-1:f0", &x),
			 MARK_BAD);
	assert_int_equal(promise_mark_parse("lwfuzz-state:type=reg", &x),
			 MARK_BAD);
	assert_int_equal(promise_mark_parse("lwfuzz-state:rule=x:f0", &x),
			 MARK_BAD);
	assert_int_equal(promise_mark_parse("lwfuzz-state:type=sock:f0", &x),
			 MARK_BAD);
	assert_int_equal(promise_mark_parse("lwfuzz-state:mode=9:f0", &x),
			 MARK_BAD);
}

static void format_refuses_what_cannot_parse(void **state)
{
	struct promise x = { .path = "f0", .facts = PF_TARGET,
			     .target = "a,b" };
	char mark[PROMISE_MARK_MAX + 1];

	(void)state;
	assert_int_equal(promise_mark_format(mark, sizeof(mark), &x), -1);
	strcpy(x.target, "ok");
	strcpy(x.path, "has space");
	assert_int_equal(promise_mark_format(mark, sizeof(mark), &x), -1);
	strcpy(x.path, "f0");
	assert_int_equal(promise_mark_format(mark, 10, &x), -1);
	assert_int_equal(promise_mark_format(mark, sizeof(mark), &x), 0);
}

static void set_replaces_and_forgets(void **state)
{
	struct promise_set s = { 0 };
	struct promise a = { .path = "f", .facts = PF_RANGE, .len = 4096 };
	struct promise b = { .path = "f", .facts = PF_RANGE, .off = 8192,
			     .len = 4096 };
	struct promise c = { .path = "f", .facts = PF_RANGE, .off = 2048,
			     .len = 4096 };
	struct promise g = { .path = "g", .facts = PF_RANGE, .len = 1 };
	struct promise st1 = { .path = "f", .facts = PF_TYPE, .size = 1 };
	struct promise st2 = { .path = "f", .facts = PF_SIZE, .size = 2 };

	(void)state;
	assert_int_equal(promise_set_apply(&s, MARK_EXPECT, &a), 0);
	assert_int_equal(promise_set_apply(&s, MARK_EXPECT, &b), 0);
	assert_int_equal(promise_set_apply(&s, MARK_EXPECT, &g), 0);
	assert_int_equal(s.n, 3);
	/* c overlaps a, not b: a goes. */
	assert_int_equal(promise_set_apply(&s, MARK_EXPECT, &c), 0);
	assert_int_equal(s.n, 3);
	/* A state mark sits beside ranges; the next one replaces it. */
	assert_int_equal(promise_set_apply(&s, MARK_STATE, &st1), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(promise_set_apply(&s, MARK_STATE, &st2), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.p[3].size, 2);
	/* Forget drops every promise of the path. */
	assert_int_equal(promise_set_apply(&s, MARK_FORGET, &a), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.p[0].path, "g");
	assert_int_equal(promise_set_apply(&s, MARK_OTHER, &a), 0);
	assert_int_equal(s.n, 1);
	promise_set_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(expect_round_trip),
		cmocka_unit_test(state_round_trip),
		cmocka_unit_test(state_facts_of_names),
		cmocka_unit_test(other_and_bad_marks),
		cmocka_unit_test(format_refuses_what_cannot_parse),
		cmocka_unit_test(set_replaces_and_forgets),
	};

	return cmocka_run_group_tests_name("promise_mark", tests, NULL, NULL);
}
