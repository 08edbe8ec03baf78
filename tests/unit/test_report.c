// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the replay report's one owner (lib/report.h). What the
 * replayer writes reads back field for field, names of any bytes give
 * valid JSON, and what is not a version-1 report is refused with a reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json_quote.h"
#include "lib/report.h"

/* "dir/ünïcødé" in UTF-8. */
#define UTF8_PATH "dir/\xc3\xbcn\xc3\xaf\x63\xc3\xb8\x64\xc3\xa9"

static char *write_report(const struct report *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(report_write(f, r), 0);
	assert_int_equal(fclose(f), 0);
	return text;
}

static char *quoted(const char *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	json_quote(f, s);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void parse_ok(const char *json, struct report *r)
{
	char why[256] = "";

	if (report_parse(json, strlen(json), r, why, sizeof(why)))
		fail_msg("report_parse: %s\n%s", why, json);
}

/* Refused, with @reason in what it says and nothing left in @r. */
static void refused(const char *json, const char *reason)
{
	struct report r;
	char why[256] = "";

	assert_int_equal(report_parse(json, strlen(json), &r, why, sizeof(why)),
			 -1);
	if (!strstr(why, reason))
		fail_msg("refused for '%s', not '%s':\n%s", why, reason, json);
	assert_null(r.failures);
	assert_int_equal(r.nfailures, 0);
	assert_null(r.start_mark);
}

static const struct check_failure csum = {
	.check = "missing-csum",
	.root = 5,
	.ino = 257,
	.path = "racy",
	.has_file_range = 1,
	.file_start = 524288,
	.file_end = 589824,
	.has_disk_range = 1,
	.disk_start = 14155776,
	.disk_end = 14221312,
	.detail = "regular extent without data checksums",
};

static const struct check_failure fsck = {
	.check = "fsck",
	.detail = "btrfs check --readonly exited 1: line one\n"
		  "ERROR: \"quoted\" \\ back\tslash\n",
};

static void assert_check_equal(const struct check_failure *a,
			       const struct check_failure *b)
{
	assert_string_equal(a->check, b->check);
	assert_int_equal(a->root, b->root);
	assert_int_equal(a->ino, b->ino);
	assert_string_equal(a->path, b->path);
	assert_int_equal(a->has_file_range, b->has_file_range);
	assert_int_equal(a->file_start, b->file_start);
	assert_int_equal(a->file_end, b->file_end);
	assert_int_equal(a->has_disk_range, b->has_disk_range);
	assert_int_equal(a->disk_start, b->disk_start);
	assert_int_equal(a->disk_end, b->disk_end);
	assert_string_equal(a->detail, b->detail);
}

static void write_then_parse(void **state)
{
	struct check_failure read = { .check = "read",
				      .path = UTF8_PATH,
				      .has_file_range = 1,
				      .file_start = 0,
				      .file_end = 4096,
				      .detail = "Input/output error" };
	struct check_failure first[] = { csum, read }, second[] = { fsck };
	struct report_failure failures[] = {
		{ .point = 6,
		  .entry = 1280,
		  .flags = "FUA|METADATA",
		  .mark = "",
		  .checks = first,
		  .nchecks = 2 },
		{ .point = 9,
		  .entry = (1ULL << 63) + 5,
		  .flags = "MARK",
		  .mark = "lwfuzz-expect:f0",
		  .checks = second,
		  .nchecks = 1 },
	};
	struct report w = { .log_entries = 1298,
			    .log_sectorsize = 512,
			    .start_mark = "mkfs",
			    .fsck = 1,
			    .failures = failures,
			    .nfailures = 2,
			    .points_total = 12,
			    .points_checked = 11,
			    .points_failed = 2,
			    .findings = 3,
			    .extents_checked = 34,
			    .regular_extents_checked = 16,
			    .files_read = 11,
			    .seconds = 1.9,
			    .verdict = REPORT_CORRUPT },
		      r;
	char *text = write_report(&w);
	const char *names[4];

	(void)state;
	parse_ok(text, &r);
	assert_int_equal(r.version, REPORT_VERSION);
	assert_int_equal(r.log_entries, 1298);
	assert_int_equal(r.log_sectorsize, 512);
	assert_string_equal(r.start_mark, "mkfs");
	assert_true(r.fsck);
	assert_int_equal(r.nfailures, 2);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(r.failures[i].point, failures[i].point);
		assert_true(r.failures[i].entry == failures[i].entry);
		assert_string_equal(r.failures[i].flags, failures[i].flags);
		assert_string_equal(r.failures[i].mark, failures[i].mark);
		assert_int_equal(r.failures[i].nchecks, failures[i].nchecks);
		for (size_t j = 0; j < failures[i].nchecks; j++)
			assert_check_equal(&r.failures[i].checks[j],
					   &failures[i].checks[j]);
	}
	assert_int_equal(r.points_total, 12);
	assert_int_equal(r.points_checked, 11);
	assert_int_equal(r.points_failed, 2);
	assert_int_equal(r.findings, 3);
	assert_int_equal(r.extents_checked, 34);
	assert_int_equal(r.regular_extents_checked, 16);
	assert_int_equal(r.files_read, 11);
	assert_float_equal(r.seconds, 1.9, 0.001);
	assert_int_equal(r.verdict, REPORT_CORRUPT);
	assert_int_equal(report_check_names(&r, names, 4), 3);
	assert_string_equal(names[0], "missing-csum");
	assert_string_equal(names[1], "read");
	assert_string_equal(names[2], "fsck");
	assert_int_equal(report_check_names(&r, names, 1), 1);
	report_free(&r);
	assert_null(r.failures);
	report_free(&r);
	free(text);
}

/*
 * The layout of docs/replay.md: a member a line, a failing point a line.
 * Scripts and the end-to-end tests grep it (scripts/demo.sh,
 * tests/e2e/test_race.sh, test_replay.sh).
 */
static void writes_the_documented_layout(void **state)
{
	struct check_failure checks[] = { csum };
	struct report_failure fl = { .point = 6,
				     .entry = 1280,
				     .flags = "FUA|METADATA",
				     .mark = "",
				     .checks = checks,
				     .nchecks = 1 };
	struct report w = { .log_entries = 1298,
			    .log_sectorsize = 512,
			    .failures = &fl,
			    .nfailures = 1,
			    .points_total = 12,
			    .points_checked = 12,
			    .points_failed = 1,
			    .findings = 1,
			    .seconds = 1.9,
			    .verdict = REPORT_CLEAN };
	char *text = write_report(&w);

	(void)state;
	assert_non_null(strstr(
		text,
		"{\n  \"version\": 1,\n  \"log\": {\"entries\": 1298, \"sectorsize\": 512},\n  \"start_mark\": null,\n  \"fsck\": false,\n  \"failures\": [\n    {\"point\": 6, \"entry\": 1280, \"flags\": \"FUA|METADATA\", \"mark\": \"\", \"findings\": [{\"check\": \"missing-csum\", \"root\": 5, \"ino\": 257, \"path\": \"racy\", \"file_range\": [524288, 589824], \"disk_range\": [14155776, 14221312], \"detail\": \"regular extent without data checksums\"}]}\n  ],\n"));
	assert_non_null(strstr(text, "\n  \"points_checked\": 12,\n"));
	assert_non_null(strstr(text, "\n  \"seconds\": 1.90,\n"));
	assert_non_null(strstr(text, "\n  \"verdict\": \"clean\"\n}\n"));
	free(text);
}

static void a_clean_report_has_no_failures(void **state)
{
	struct report w = { .log_entries = 10,
			    .log_sectorsize = 4096,
			    .start_mark = "mkfs",
			    .points_total = 3,
			    .points_checked = 3,
			    .verdict = REPORT_CLEAN },
		      r;
	char *text = write_report(&w);

	(void)state;
	parse_ok(text, &r);
	assert_int_equal(r.nfailures, 0);
	assert_int_equal(r.points_checked, 3);
	assert_int_equal(r.verdict, REPORT_CLEAN);
	assert_int_equal(report_check_names(&r, NULL, 0), 0);
	report_free(&r);
	free(text);
}

/* A UTF-8 name is written as its characters and reads back as it was. */
static void utf8_comes_back_byte_for_byte(void **state)
{
	struct check_failure c = { .check = "read",
				   .path = UTF8_PATH,
				   .detail = "cannot read " UTF8_PATH };
	struct report_failure fl = { .point = 1,
				     .entry = 7,
				     .flags = "MARK",
				     .mark = "\xe2\x9c\x93 \xf0\x9f\x98\x80",
				     .checks = &c,
				     .nchecks = 1 };
	struct report w = { .start_mark = UTF8_PATH,
			    .failures = &fl,
			    .nfailures = 1,
			    .verdict = REPORT_CORRUPT },
		      r;
	char *text = write_report(&w);

	(void)state;
	assert_non_null(strstr(text, "\"path\": \"" UTF8_PATH "\""));
	assert_non_null(
		strstr(text, "\"mark\": \"\xe2\x9c\x93 \xf0\x9f\x98\x80\""));
	assert_null(strstr(text, "\\u00"));
	parse_ok(text, &r);
	assert_memory_equal(r.failures[0].checks[0].path, UTF8_PATH,
			    sizeof(UTF8_PATH));
	assert_string_equal(r.failures[0].checks[0].detail,
			    "cannot read " UTF8_PATH);
	assert_string_equal(r.failures[0].mark, fl.mark);
	assert_string_equal(r.start_mark, UTF8_PATH);
	report_free(&r);
	free(text);
}

/*
 * Bytes that are not UTF-8 (a corrupt crash state's names, a log's
 * marks) still make valid JSON: each as \u00XX, which reads back as the
 * character U+00XX.
 */
static void invalid_utf8_gives_valid_json(void **state)
{
	struct check_failure c = { .check = "read",
				   .path = "bad\xff\xfe/x\xc3(",
				   .detail = "truncated \xe2\x9c" };
	struct report_failure fl = { .point = 1,
				     .entry = 7,
				     .flags = "MARK",
				     .mark = "\xc0\x80 overlong",
				     .checks = &c,
				     .nchecks = 1 };
	struct report w = { .failures = &fl,
			    .nfailures = 1,
			    .verdict = REPORT_CORRUPT },
		      r;
	char *text = write_report(&w);

	(void)state;
	assert_non_null(
		strstr(text, "\"path\": \"bad\\u00ff\\u00fe/x\\u00c3(\""));
	/* report_parse takes UTF-8 only: this is valid JSON. */
	parse_ok(text, &r);
	assert_string_equal(r.failures[0].checks[0].path,
			    "bad\xc3\xbf\xc3\xbe/x\xc3\x83(");
	assert_string_equal(r.failures[0].checks[0].detail,
			    "truncated \xc3\xa2\xc2\x9c");
	assert_string_equal(r.failures[0].mark, "\xc3\x80\xc2\x80 overlong");
	report_free(&r);
	free(text);
}

static void quoting(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "\"\"" },
		{ "a\"b\\c/d", "\"a\\\"b\\\\c/d\"" },
		{ "\n\t\r\x01\x1f\x7f", "\"\\n\\t\\r\\u0001\\u001f\\u007f\"" },
		/* 2, 3 and 4 bytes, the ends of the ranges */
		{ "\xc2\x80\xdf\xbf", "\"\xc2\x80\xdf\xbf\"" },
		{ "\xe0\xa0\x80\xef\xbf\xbf", "\"\xe0\xa0\x80\xef\xbf\xbf\"" },
		{ "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
		  "\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"" },
		/* overlong, surrogate, above U+10FFFF, stray continuation */
		{ "\xc1\xbf", "\"\\u00c1\\u00bf\"" },
		{ "\xe0\x9f\xbf", "\"\\u00e0\\u009f\\u00bf\"" },
		{ "\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"" },
		{ "\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\"" },
		{ "\xf5\x80", "\"\\u00f5\\u0080\"" },
		{ "\x80x", "\"\\u0080x\"" },
		/* cut short, at the end and before an ASCII byte */
		{ "\xf0\x9f\x98", "\"\\u00f0\\u009f\\u0098\"" },
		{ "\xe2\x9c"
		  "a",
		  "\"\\u00e2\\u009ca\"" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *q = quoted(cases[i].in);

		assert_string_equal(q, cases[i].out);
		free(q);
	}
}

#define HEAD                                                                   \
	"{\"version\": 1, \"log\": {\"entries\": 5, \"sectorsize\": 512}, \"start_mark\": null, \"fsck\": false, "
#define TAIL                                                                   \
	"\"points_total\": 1, \"points_checked\": 1, \"points_failed\": 0, "   \
	"\"findings\": 0, \"extents_checked\": 0, "                            \
	"\"regular_extents_checked\": 0, \"files_read\": 0, "                  \
	"\"seconds\": 0.25, \"verdict\": \"clean\"}"

static void malformed_json_is_refused(void **state)
{
	struct report r;

	(void)state;
	refused("", "not JSON");
	refused("   ", "not JSON");
	refused("{", "not JSON");
	refused(HEAD "\"failures\": [", "not JSON");
	refused("version: 1", "not JSON");
	refused("{\"version\": 1,}", "not JSON");
	refused(HEAD "\"failures\": []," TAIL " trailing", "not JSON");
	refused(HEAD "\"failures\": []," TAIL "}", "not JSON");
	refused("[1, 2]", "not a JSON object");
	refused("null", "not a JSON object");
	refused("{\"version\": 1, \"start_mark\": \"\xff\"}", "not JSON");
	/* Without room for a reason, or no place to put one. */
	assert_int_equal(report_parse("{", 1, &r, NULL, 0), -1);
	assert_int_equal(report_parse("{}", 2, &r, NULL, 0), -1);
	/* Only @len bytes count. */
	parse_ok(HEAD "\"failures\": []," TAIL, &r);
	report_free(&r);
	assert_int_equal(report_parse(HEAD "\"failures\": []," TAIL,
				      strlen(HEAD), &r, NULL, 0),
			 -1);
}

static void other_versions_and_shapes_are_refused(void **state)
{
	(void)state;
	refused("{\"version\": 2}", "version 2: this lwfuzz reads version 1");
	refused("{\"version\": 0}", "version 0");
	refused("{\"version\": \"1\"}", "version: not an integer");
	refused("{\"log\": {}}", "version: missing");
	refused("{\"version\": 1, \"log\": {\"entries\": 5}}",
		"log.sectorsize: missing");
	refused("{\"version\": 1, \"log\": {\"entries\": -5, \"sectorsize\": 1}}",
		"log.entries: negative");
	refused(HEAD "\"failures\": {}," TAIL, "failures: not an array");
	refused(HEAD
		"\"failures\": [{\"point\": 1, \"entry\": 2, \"flags\": \"FUA\", \"mark\": \"\", \"findings\": [{\"check\": 3, \"detail\": \"\"}]}]," TAIL,
		"failures[0].findings[0].check: not a string");
	refused(HEAD
		"\"failures\": [{\"point\": 1, \"entry\": 2, \"flags\": \"FUA\", \"mark\": \"\", \"findings\": [{\"check\": \"read\", \"detail\": \"\", \"file_range\": [1]}]}]," TAIL,
		"failures[0].findings[0].file_range: not [start, end]");
	refused(HEAD
		"\"failures\": [{\"point\": 1, \"flags\": \"FUA\", \"mark\": \"\", \"findings\": []}]," TAIL,
		"failures[0].entry: missing");
	refused(HEAD "\"failures\": [], \"points_total\": 1}",
		"points_checked: missing");
	refused(HEAD
		"\"failures\": [],"
		"\"points_total\": 1, \"points_checked\": 1, \"points_failed\": 0, \"findings\": 0, \"extents_checked\": 0, \"regular_extents_checked\": 0, \"files_read\": 0, \"seconds\": 0.25, \"verdict\": \"fine\"}",
		"verdict: 'fine' is none of clean, corrupt, error");
}

/* A later writer's members are ignored; spacing is nobody's business. */
static void later_fields_and_any_spacing_read(void **state)
{
	static const char compact[] =
		"{\"version\":1,\"log\":{\"entries\":5,\"sectorsize\":512,\"new\":1},"
		"\"start_mark\":\"mkfs\",\"fsck\":true,\"added\":[{}],\"failures\":[{"
		"\"point\":3,\"entry\":4,\"flags\":\"FLUSH\",\"mark\":\"\",\"later\":null,"
		"\"findings\":[{\"check\":\"data\",\"detail\":\"x\",\"why\":\"y\"}]}],"
		"\"points_total\":4,\"points_checked\":4,\"points_failed\":1,"
		"\"findings\":1,\"extents_checked\":0,\"regular_extents_checked\":0,"
		"\"files_read\":0,\"seconds\":2,\"verdict\":\"corrupt\"}";
	struct report r;

	(void)state;
	parse_ok(compact, &r);
	assert_int_equal(r.failures[0].entry, 4);
	assert_string_equal(r.failures[0].checks[0].check, "data");
	assert_int_equal(r.failures[0].checks[0].ino, 0);
	assert_false(r.failures[0].checks[0].has_file_range);
	assert_float_equal(r.seconds, 2.0, 0.001);
	report_free(&r);
}

/* docs/replay.md's example, as the fprintf writer before json-c wrote it. */
static void a_report_of_the_old_writer_reads(void **state)
{
	static const char old[] =
		"{\n"
		"  \"version\": 1,\n"
		"  \"log\": {\"entries\": 1298, \"sectorsize\": 512},\n"
		"  \"start_mark\": \"mkfs\",\n"
		"  \"fsck\": false,\n"
		"  \"failures\": [\n"
		"    {\"point\": 6, \"entry\": 1280, \"flags\": \"FUA|METADATA\", \"mark\": \"\", \"findings\": [{\"check\": \"missing-csum\", \"root\": 5, \"ino\": 257, \"path\": \"racy\", \"file_range\": [524288, 589824], \"disk_range\": [14155776, 14221312], \"detail\": \"regular extent has no data checksums\"}, {\"check\": \"read\", \"path\": \"racy\", \"file_range\": [524288, 589824], \"detail\": \"Input/output error\"}]},\n"
		"    {\"point\": 7, \"entry\": 1290, \"flags\": \"MARK\", \"mark\": \"lwfuzz-expect:racy \\u00e9\", \"findings\": [{\"check\": \"fsck\", \"detail\": \"btrfs check --readonly exited 1: a\\nERROR: b\"}]}\n"
		"  ],\n"
		"  \"points_total\": 12,\n"
		"  \"points_checked\": 12,\n"
		"  \"points_failed\": 3,\n"
		"  \"findings\": 9,\n"
		"  \"extents_checked\": 34,\n"
		"  \"regular_extents_checked\": 16,\n"
		"  \"files_read\": 11,\n"
		"  \"seconds\": 1.90,\n"
		"  \"verdict\": \"corrupt\"\n"
		"}\n";
	struct report r;

	(void)state;
	parse_ok(old, &r);
	assert_string_equal(r.start_mark, "mkfs");
	assert_false(r.fsck);
	assert_int_equal(r.nfailures, 2);
	assert_check_equal(
		&r.failures[0].checks[0],
		&(struct check_failure){
			.check = "missing-csum",
			.root = 5,
			.ino = 257,
			.path = "racy",
			.has_file_range = 1,
			.file_start = 524288,
			.file_end = 589824,
			.has_disk_range = 1,
			.disk_start = 14155776,
			.disk_end = 14221312,
			.detail = "regular extent has no data checksums" });
	assert_string_equal(r.failures[0].checks[1].check, "read");
	assert_false(r.failures[0].checks[1].has_disk_range);
	assert_string_equal(r.failures[1].mark, "lwfuzz-expect:racy \xc3\xa9");
	assert_string_equal(r.failures[1].checks[0].detail,
			    "btrfs check --readonly exited 1: a\nERROR: b");
	assert_int_equal(r.points_failed, 3);
	assert_int_equal(r.findings, 9);
	assert_int_equal(r.verdict, REPORT_CORRUPT);
	report_free(&r);
}

/*
 * The parts of one log's replay (--jobs) make one report: failures in
 * order, counts added, the total once, the slower part's time, the worse
 * verdict.
 */
static void parts_make_one_report(void **state)
{
	struct check_failure c1[] = { csum }, c2[] = { fsck };
	struct report_failure f1 = { .point = 3, .entry = 1270,
				     .flags = "FUA", .mark = "",
				     .checks = c1, .nchecks = 1 },
			      f2 = { .point = 9, .entry = 1290,
				     .flags = "FLUSH", .mark = "m",
				     .checks = c2, .nchecks = 1 };
	struct report p1 = { .log_entries = 1300, .log_sectorsize = 512,
			     .start_mark = "mkfs", .failures = &f1,
			     .nfailures = 1, .points_total = 10,
			     .points_checked = 5, .points_failed = 1,
			     .findings = 1, .extents_checked = 7,
			     .regular_extents_checked = 3, .files_read = 4,
			     .seconds = 2.5, .verdict = REPORT_CORRUPT },
		      p2 = p1, a, b, whole = { 0 }, back;
	char *t1, *t2, *text;

	(void)state;
	p2.failures = &f2;
	p2.seconds = 3.25;
	p2.verdict = REPORT_CORRUPT;
	t1 = write_report(&p1);
	t2 = write_report(&p2);
	parse_ok(t1, &a);
	parse_ok(t2, &b);
	assert_int_equal(report_absorb(&whole, &a), 0);
	assert_null(a.failures);
	/* One part absorbed into nothing is that part. */
	assert_int_equal(whole.nfailures, 1);
	assert_int_equal(whole.points_checked, 5);
	assert_int_equal(report_absorb(&whole, &b), 0);
	text = write_report(&whole);
	parse_ok(text, &back);
	assert_int_equal(back.log_entries, 1300);
	assert_string_equal(back.start_mark, "mkfs");
	assert_int_equal(back.nfailures, 2);
	assert_int_equal(back.failures[0].point, 3);
	assert_int_equal(back.failures[1].point, 9);
	assert_string_equal(back.failures[1].checks[0].check, "fsck");
	assert_int_equal(back.points_total, 10);
	assert_int_equal(back.points_checked, 10);
	assert_int_equal(back.points_failed, 2);
	assert_int_equal(back.findings, 2);
	assert_int_equal(back.extents_checked, 14);
	assert_int_equal(back.regular_extents_checked, 6);
	assert_int_equal(back.files_read, 8);
	assert_float_equal(back.seconds, 3.25, 0.001);
	assert_int_equal(back.verdict, REPORT_CORRUPT);
	report_free(&back);
	free(text);

	/*
	 * A clean part does not clean a corrupt one, nor a quicker part
	 * shorten the time, nor a later part's start mark replace the
	 * first's; an error wins.
	 */
	p2.nfailures = 0;
	p2.verdict = REPORT_CLEAN;
	p2.seconds = 1.0;
	p2.start_mark = "other";
	free(t2);
	t2 = write_report(&p2);
	parse_ok(t2, &b);
	assert_int_equal(report_absorb(&whole, &b), 0);
	assert_int_equal(whole.verdict, REPORT_CORRUPT);
	assert_float_equal(whole.seconds, 3.25, 0.001);
	assert_string_equal(whole.start_mark, "mkfs");
	p2.verdict = REPORT_ERROR;
	free(t2);
	t2 = write_report(&p2);
	parse_ok(t2, &b);
	assert_int_equal(report_absorb(&whole, &b), 0);
	assert_int_equal(whole.verdict, REPORT_ERROR);
	assert_int_equal(whole.nfailures, 2);
	report_free(&whole);
	free(t1);
	free(t2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(write_then_parse),
		cmocka_unit_test(writes_the_documented_layout),
		cmocka_unit_test(a_clean_report_has_no_failures),
		cmocka_unit_test(utf8_comes_back_byte_for_byte),
		cmocka_unit_test(invalid_utf8_gives_valid_json),
		cmocka_unit_test(quoting),
		cmocka_unit_test(malformed_json_is_refused),
		cmocka_unit_test(other_versions_and_shapes_are_refused),
		cmocka_unit_test(later_fields_and_any_spacing_read),
		cmocka_unit_test(a_report_of_the_old_writer_reads),
		cmocka_unit_test(parts_make_one_report),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
