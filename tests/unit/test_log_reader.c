// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the dm-log-writes reader on logs built here byte by byte,
 * well-formed ones in both sector sizes and every kind of malformed one.
 * Each malformed log must give one error line and `lwfuzz log` exit 2.
 * (run.sh runs this under valgrind: a read past a buffer fails it.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <endian.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds/cmds.h"
#include "lib/log_reader.h"

static char path[] = "/tmp/lwfuzz-test-log.XXXXXX";

struct blog {
	unsigned char *buf;
	size_t len;
	uint32_t ss;
	uint64_t n;
};

static void put64(unsigned char *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, 8);
}

static void grow(struct blog *b, size_t more)
{
	b->buf = realloc(b->buf, b->len + more);
	assert_non_null(b->buf);
	memset(b->buf + b->len, 0, more);
	b->len += more;
}

static void blog_init(struct blog *b, uint32_t ss)
{
	memset(b, 0, sizeof(*b));
	b->ss = ss;
	grow(b, ss);
	put64(b->buf, LOG_MAGIC);
	put64(b->buf + 8, LOG_VERSION);
	uint32_t s = htole32(ss);

	memcpy(b->buf + 24, &s, 4);
}

/* One entry; data sectors are filled with their own sector number. */
static void blog_add(struct blog *b, uint64_t sector, uint64_t nr,
		     uint64_t flags, const char *mark)
{
	size_t hdr = b->len;
	uint64_t data = (flags & (LOG_DISCARD | LOG_MARK)) ? 0 : nr;

	grow(b, b->ss);
	put64(b->buf + hdr, sector);
	put64(b->buf + hdr + 8, nr);
	put64(b->buf + hdr + 16, flags);
	if (mark) {
		put64(b->buf + hdr + 24, strlen(mark));
		memcpy(b->buf + hdr + 32, mark, strlen(mark));
	}
	for (uint64_t i = 0; i < data; i++) {
		grow(b, b->ss);
		memset(b->buf + b->len - b->ss, (int)((sector + i) & 0xff),
		       b->ss);
	}
	b->n++;
	put64(b->buf + 16, b->n);
}

static void blog_save(const struct blog *b, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, b->buf, len), (ssize_t)len);
	close(fd);
}

static int setup(void **state)
{
	int fd = mkstemp(path);

	(void)state;
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return unlink(path);
}

static void build_all_kinds(struct blog *b, uint32_t ss)
{
	blog_init(b, ss);
	blog_add(b, 0, 64, LOG_DISCARD, NULL);
	blog_add(b, 16, 2, 0, NULL);
	blog_add(b, 4, 1, LOG_METADATA, NULL);
	blog_add(b, 0, 0, LOG_FLUSH, NULL);
	blog_add(b, 8, 1, LOG_FUA | LOG_METADATA, NULL);
	blog_add(b, 0, 0, LOG_MARK, "mkfs");
	blog_add(b, 20, 1, LOG_FLUSH | LOG_FUA, NULL);
	blog_add(b, 0, 0, LOG_MARK, LOG_END_MARK);
}

static void reads_every_kind(uint32_t ss)
{
	struct log_entry e;
	struct log_reader *r;
	struct blog b;
	char why[512];
	unsigned char data[4096];
	static const uint64_t flags[] = { LOG_DISCARD,
					  0,
					  LOG_METADATA,
					  LOG_FLUSH,
					  LOG_FUA | LOG_METADATA,
					  LOG_MARK,
					  LOG_FLUSH | LOG_FUA,
					  LOG_MARK };

	build_all_kinds(&b, ss);
	blog_save(&b, b.len);
	r = log_open(path, 64ULL * ss, why, sizeof(why));
	assert_non_null(r);
	assert_int_equal(log_super(r)->nr_entries, 8);
	assert_int_equal(log_super(r)->sectorsize, ss);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(log_next(r, &e, why, sizeof(why)), 1);
		assert_int_equal(e.index, i);
		assert_int_equal(e.flags, flags[i]);
	}
	assert_int_equal(log_next(r, &e, why, sizeof(why)), 0);
	log_close(r);

	/* Data of entry 1 (sectors 16, 17) and the marks' text. */
	r = log_open(path, 0, why, sizeof(why));
	assert_int_equal(log_next(r, &e, why, sizeof(why)), 1);
	assert_int_equal(e.data_bytes, 0); /* a discard carries no data */
	assert_int_equal(e.nr_sectors, 64);
	assert_int_equal(log_next(r, &e, why, sizeof(why)), 1);
	assert_int_equal(e.data_bytes, 2 * ss);
	assert_int_equal(log_read_data(r, &e, ss, data, ss), 0);
	assert_int_equal(data[0], 17);
	assert_int_equal(data[ss - 1], 17);
	assert_int_equal(log_read_data(r, &e, ss, data, ss + 1), -1);
	for (int i = 2; i < 6; i++)
		assert_int_equal(log_next(r, &e, why, sizeof(why)), 1);
	assert_string_equal(e.mark, "mkfs");
	assert_int_equal(log_next(r, &e, why, sizeof(why)), 1);
	assert_int_equal(log_next(r, &e, why, sizeof(why)), 1);
	assert_string_equal(e.mark, LOG_END_MARK);
	log_close(r);
	free(b.buf);
}

static void every_kind_512(void **state)
{
	(void)state;
	reads_every_kind(512);
}

static void every_kind_4096(void **state)
{
	(void)state;
	reads_every_kind(4096);
}

/* Open + read to the end; returns the error text or NULL when clean. */
static const char *first_error(uint64_t target, char *why, size_t len)
{
	struct log_reader *r = log_open(path, target, why, len);
	struct log_entry e;
	int ret;

	if (!r)
		return why;
	while ((ret = log_next(r, &e, why, len)) == 1)
		;
	log_close(r);
	return ret < 0 ? why : NULL;
}

static void expect_error(const char *needle, uint64_t target)
{
	char why[512];
	char *argv[] = { "log", path, NULL };
	const char *err = first_error(target, why, sizeof(why));

	assert_non_null(err);
	if (!strstr(err, needle))
		fail_msg("error '%s' does not mention '%s'", err, needle);
	assert_null(strchr(err, '\n'));
	/* The command says it on one line and exits 2 (unless only the
	 * device size, which the command is not told, is at fault). */
	if (!target) {
		FILE *saved = stdout;

		stdout = fopen("/dev/null", "w");
		assert_int_equal(cmd_log(2, argv), 2);
		fclose(stdout);
		stdout = saved;
	}
}

static void malformed_logs(void **state)
{
	struct blog b;

	(void)state;
	build_all_kinds(&b, 512);

	blog_save(&b, 10);
	expect_error("too short", 0);

	b.buf[0] ^= 0xff;
	blog_save(&b, b.len);
	expect_error("not a dm-log-writes log", 0);
	b.buf[0] ^= 0xff;

	put64(b.buf + 8, 2);
	blog_save(&b, b.len);
	expect_error("unsupported log version 2", 0);
	put64(b.buf + 8, 1);

	b.buf[24] = 0x00;
	b.buf[25] = 0x03; /* 768: not a power of two */
	blog_save(&b, b.len);
	expect_error("bad sector size", 0);
	b.buf[24] = 0x00;
	b.buf[25] = 0x02;

	put64(b.buf + 16, 1000000);
	blog_save(&b, b.len);
	expect_error("claims 1000000 entries", 0);
	put64(b.buf + 16, 8);

	/* Truncated: the last data sector, then a header, cut off. */
	blog_save(&b, b.len - 512 - 100);
	expect_error("past the end of the log", 0);
	blog_save(&b, b.len - 512);
	expect_error("past the end of the log", 0);

	/* Entry 5 is the "mkfs" mark, at 1 + 1 + 3 + 2 + 1 + 2 sectors. */
	size_t mark = 10 * 512;

	put64(b.buf + mark + 24, 512 - 32 + 1);
	blog_save(&b, b.len);
	expect_error("does not fit", 0);
	put64(b.buf + mark + 24, 4);

	put64(b.buf + 512 + 24, 3); /* data_len on the discard */
	blog_save(&b, b.len);
	expect_error("not a mark", 0);
	put64(b.buf + 512 + 24, 0);

	put64(b.buf + 512 + 16, 1u << 9);
	blog_save(&b, b.len);
	expect_error("unknown flags", 0);
	put64(b.buf + 512 + 16, LOG_DISCARD);

	put64(b.buf + 512 + 8, UINT64_MAX / 4);
	blog_save(&b, b.len);
	expect_error("overflows", 0);
	put64(b.buf + 512 + 8, 64);

	/* Entries past the end of the recorded device. */
	blog_save(&b, b.len);
	expect_error("past the device", 32 * 512);

	/* And the repaired log is clean again. */
	char why[512];

	assert_null(first_error(64 * 512, why, sizeof(why)));
	free(b.buf);
}

static void flag_names(void **state)
{
	(void)state;
	assert_string_equal(log_flags_str(0), "-");
	assert_string_equal(log_flags_str(LOG_FLUSH | LOG_FUA | LOG_METADATA),
			    "FLUSH|FUA|METADATA");
	assert_string_equal(log_flags_str(LOG_DISCARD | LOG_MARK),
			    "DISCARD|MARK");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_kind_512),
		cmocka_unit_test(every_kind_4096),
		cmocka_unit_test(malformed_logs),
		cmocka_unit_test(flag_names),
	};

	return cmocka_run_group_tests_name("log_reader", tests, setup,
					   teardown);
}
