/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a check reports about a crash state. The JSON field names are the
 * stable report format (docs/replay.md).
 */
#ifndef LWFUZZ_FINDING_H
#define LWFUZZ_FINDING_H

#include <stdint.h>
#include <stdio.h>

struct finding {
	const char *check; /* "missing-csum", "mount", "read", "fsck", ... */
	uint64_t root, ino;
	char path[1024];
	int has_file_range, has_disk_range;
	uint64_t file_start, file_end; /* [start, end) in the file */
	uint64_t disk_start, disk_end; /* [start, end) btrfs logical bytes */
	char detail[2048];
};

/* Where a check sends its findings. */
struct finding_sink {
	void (*report)(struct finding_sink *sink, const struct finding *f);
	unsigned long count;
};

/* One JSON object (no newline) / one line of text. */
void finding_json(FILE *f, const struct finding *fd);
void finding_text(FILE *f, const struct finding *fd);

#endif
