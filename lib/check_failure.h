/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a check reports about a crash state. In the JSON report it is a
 * "findings" item (lib/report.h); here, its line of text.
 */
#ifndef LWFUZZ_CHECK_FAILURE_H
#define LWFUZZ_CHECK_FAILURE_H

#include <stdint.h>
#include <stdio.h>

struct check_failure {
	const char *check; /* "missing-csum", "mount", "read", "fsck", ... */
	uint64_t root, ino;
	char path[1024];
	int has_file_range, has_disk_range;
	uint64_t file_start, file_end; /* [start, end) in the file */
	uint64_t disk_start, disk_end; /* [start, end) btrfs logical bytes */
	char detail[2048];
};

/* Where a check sends its findings. */
struct failure_sink {
	void (*report)(struct failure_sink *sink,
		       const struct check_failure *f);
	unsigned long count;
};

/* One line of text (a multi-line detail: its lines that matter). */
void check_failure_text(FILE *f, const struct check_failure *fd);

#endif
