// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>

#include "finding.h"
#include "json_out.h"

void finding_json(FILE *f, const struct finding *fd)
{
	fprintf(f, "{\"check\": \"%s\"", fd->check);
	if (fd->ino)
		fprintf(f, ", \"root\": %" PRIu64 ", \"ino\": %" PRIu64,
			fd->root, fd->ino);
	if (fd->path[0]) {
		fprintf(f, ", \"path\": ");
		json_string(f, fd->path);
	}
	if (fd->has_file_range)
		fprintf(f, ", \"file_range\": [%" PRIu64 ", %" PRIu64 "]",
			fd->file_start, fd->file_end);
	if (fd->has_disk_range)
		fprintf(f, ", \"disk_range\": [%" PRIu64 ", %" PRIu64 "]",
			fd->disk_start, fd->disk_end);
	fprintf(f, ", \"detail\": ");
	json_string(f, fd->detail);
	fputc('}', f);
}

void finding_text(FILE *f, const struct finding *fd)
{
	fprintf(f, "%s:", fd->check);
	if (fd->path[0])
		fprintf(f, " %s", fd->path);
	if (fd->ino)
		fprintf(f, " (root %" PRIu64 " inode %" PRIu64 ")", fd->root,
			fd->ino);
	if (fd->has_file_range)
		fprintf(f, " file [%" PRIu64 ", %" PRIu64 ")", fd->file_start,
			fd->file_end);
	if (fd->has_disk_range)
		fprintf(f, " disk [%" PRIu64 ", %" PRIu64 ")", fd->disk_start,
			fd->disk_end);
	if (fd->detail[0])
		fprintf(f, ": %s", fd->detail);
	fputc('\n', f);
}
