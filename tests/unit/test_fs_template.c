// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: file system templates (guest/fs_template.c) over log files
 * written here in dm-log-writes' format and a target image file.
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
#include <unistd.h>

#include "guest/fs_template.h"
#include "lib/fsutil.h"
#include "lib/log_reader.h"
#include "lib/poison.h"

#define SS 512u
#define TARGET_BYTES (1u << 20)

struct ent {
	uint64_t sector, nr;
	uint64_t flags;
	const char *mark; /* a mark's text */
	char fill; /* a write's bytes */
};

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

/* A log of @n entries at @path; its length in bytes. */
static uint64_t write_log(const char *path, const struct ent *e, size_t n)
{
	unsigned char sec[SS];
	FILE *f = fopen(path, "w");
	uint64_t len = SS;

	assert_non_null(f);
	log_super_encode(sec, n, SS);
	assert_int_equal(fwrite(sec, SS, 1, f), 1);
	for (size_t i = 0; i < n; i++) {
		memset(sec, 0, SS);
		put64(sec, e[i].sector);
		put64(sec + 8, e[i].mark ? 0 : e[i].nr);
		put64(sec + 16, e[i].flags);
		if (e[i].mark) {
			put64(sec + 24, strlen(e[i].mark));
			memcpy(sec + 32, e[i].mark, strlen(e[i].mark));
		}
		assert_int_equal(fwrite(sec, SS, 1, f), 1);
		len += SS;
		memset(sec, e[i].fill, SS);
		for (uint64_t k = 0; !e[i].mark && k < e[i].nr; k++) {
			assert_int_equal(fwrite(sec, SS, 1, f), 1);
			len += SS;
		}
	}
	assert_int_equal(fclose(f), 0);
	return len;
}

static char dir[] = "/tmp/lwfuzz-test-tpl.XXXXXX";
static char logA[64], logA2[64], logB[64], logC[64], target[64], saved[64];

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(logA, sizeof(logA), "%s/a", dir);
	snprintf(logA2, sizeof(logA2), "%s/a2", dir);
	snprintf(logB, sizeof(logB), "%s/b", dir);
	snprintf(logC, sizeof(logC), "%s/c", dir);
	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(saved, sizeof(saved), "%s/saved", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* What the target holds at byte @off: 'P' for poison, else the byte. */
static char at(uint64_t off)
{
	unsigned char blk[POISON_BLOCK];
	int fd = open(target, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, blk, sizeof(blk), off / POISON_BLOCK *
							   POISON_BLOCK),
			 sizeof(blk));
	close(fd);
	if (poison_block_of(blk) == (int64_t)(off / POISON_BLOCK))
		return 'P';
	return blk[off % POISON_BLOCK];
}

static void poisoned_target(void)
{
	int fd = open(target, O_RDWR | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, TARGET_BYTES), 0);
	assert_int_equal(poison_range(fd, 0, TARGET_BYTES), 0);
	close(fd);
}

static void capture_switch_restore_save(void **state)
{
	/* mkfs: 4 KiB of 'A' at 0, 1 KiB of 'B' at 32 KiB, a flush, the
	 * mark; then the run's own write, which is not the template's. */
	static const struct ent a[] = {
		{ .sector = 0, .nr = 8, .fill = 'A' },
		{ .sector = 64, .nr = 2, .fill = 'B' },
		{ .flags = LOG_FLUSH },
		{ .flags = LOG_MARK, .mark = "mkfs" },
		{ .sector = 16, .nr = 8, .fill = 'x' },
		{ .flags = LOG_MARK, .mark = LOG_END_MARK },
	};
	/* A run from the template: over block 0 and at 8 KiB. */
	static const struct ent b[] = {
		{ .sector = 0, .nr = 2, .fill = 'Z', .flags = LOG_FUA },
		{ .sector = 16, .nr = 8, .fill = 'C' },
		{ .flags = LOG_MARK, .mark = "fsync f0" },
		{ .flags = LOG_MARK, .mark = LOG_END_MARK },
	};
	/* Other mkfs arguments: data at 64 KiB only. */
	static const struct ent a2[] = {
		{ .sector = 128, .nr = 8, .fill = 'D' },
		{ .flags = LOG_MARK, .mark = "mkfs" },
		{ .flags = LOG_MARK, .mark = LOG_END_MARK },
	};
	struct fs_template t, t2;
	struct log_entry *e = malloc(sizeof(*e));
	struct log_reader *r;
	uint64_t blen;
	char why[256];
	int i = 0;

	(void)state;
	write_log(logA, a, 6);
	blen = write_log(logB, b, 4);
	write_log(logA2, a2, 3);
	assert_int_equal(fs_template_capture(&t, "-O  -R  -n ", logA, why,
					     sizeof(why)),
			 0);
	assert_int_equal(t.nr_entries, 4);
	assert_int_equal(t.nwrites, 2);
	assert_int_equal(t.writes[1].off, 64 * SS);
	assert_int_equal(t.writes[1].len, 2 * SS);
	/* Headers and data of four entries: 1 + 8, 1 + 2, 1, 1 sectors. */
	assert_int_equal(t.raw_len, 14 * SS);

	poisoned_target();
	assert_int_equal(fs_template_switch(target, NULL, &t), 0);
	assert_int_equal(at(0), 'A');
	assert_int_equal(at(4095), 'A');
	assert_int_equal(at(32 * 1024), 'B');
	assert_int_equal(at(8192), 'P');

	/* The replay wrote b's data; restoring puts the base back. */
	{
		int fd = open(target, O_RDWR);
		char z[1024], c[4096];

		memset(z, 'Z', sizeof(z));
		memset(c, 'C', sizeof(c));
		assert_int_equal(pwrite(fd, z, sizeof(z), 0), sizeof(z));
		assert_int_equal(pwrite(fd, c, sizeof(c), 8192), sizeof(c));
		close(fd);
	}
	assert_int_equal(at(0), 'Z');
	assert_int_equal(fs_template_restore(&t, logB, target), 0);
	assert_int_equal(at(0), 'A');
	assert_int_equal(at(2048), 'A');
	assert_int_equal(at(8192), 'P');
	assert_int_equal(at(32 * 1024), 'B');

	/* The saved log is the template's entries, then the run's. */
	assert_int_equal(fs_template_save_log(&t, logB, blen, saved), 0);
	r = log_open(saved, 0, why, sizeof(why));
	assert_non_null(r);
	assert_int_equal(log_super(r)->nr_entries, 8);
	while (log_next(r, e, why, sizeof(why)) == 1) {
		char byte = 0;

		if (e->data_bytes)
			assert_int_equal(log_read_data(r, e, 0, &byte, 1), 0);
		switch (i++) {
		case 0:
			assert_int_equal(byte, 'A');
			break;
		case 3:
			assert_string_equal(e->mark, "mkfs");
			break;
		case 4:
			assert_int_equal(byte, 'Z');
			assert_int_equal(e->flags, LOG_FUA);
			break;
		case 6:
			assert_string_equal(e->mark, "fsync f0");
			break;
		case 7:
			assert_string_equal(e->mark, LOG_END_MARK);
			break;
		}
	}
	assert_int_equal(i, 8);
	log_close(r);

	/* No template: the log as it is, byte for byte. */
	assert_int_equal(fs_template_save_log(NULL, logB, blen, saved), 0);
	{
		size_t la, lb;
		char *x = read_file(logB, &la), *y = read_file(saved, &lb);

		assert_int_equal(la, lb);
		assert_memory_equal(x, y, la);
		free(x);
		free(y);
	}

	/* Other mkfs arguments: the old base goes back to poison. */
	assert_int_equal(fs_template_capture(&t2, "-O ^no-holes -R  -n ", logA2,
					     why, sizeof(why)),
			 0);
	assert_int_equal(fs_template_switch(target, &t, &t2), 0);
	assert_int_equal(at(0), 'P');
	assert_int_equal(at(32 * 1024), 'P');
	assert_int_equal(at(64 * 1024), 'D');
	assert_int_equal(fs_template_switch(target, &t2, NULL), 0);
	assert_int_equal(at(64 * 1024), 'P');
	fs_template_free(&t);
	fs_template_free(&t2);
	free(e);
}

static void capture_needs_the_mkfs_mark(void **state)
{
	static const struct ent c[] = {
		{ .sector = 0, .nr = 8, .fill = 'A' },
		{ .flags = LOG_MARK, .mark = LOG_END_MARK },
	};
	struct fs_template t;
	char why[256];

	(void)state;
	write_log(logC, c, 2);
	assert_int_equal(fs_template_capture(&t, "k", logC, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "no mkfs mark"));
	assert_null(t.raw);
	assert_int_equal(fs_template_capture(&t, "k", "/nonexistent", why,
					     sizeof(why)),
			 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(capture_switch_restore_save),
		cmocka_unit_test(capture_needs_the_mkfs_mark),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
