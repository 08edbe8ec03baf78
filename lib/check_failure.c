// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <string.h>

#include "lib/check_failure.h"

void check_failure_text(FILE *f, const struct check_failure *fd)
{
	fprintf(f, "%s", fd->check);
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
	if (!fd->detail[0]) {
		fputc('\n', f);
		return;
	}
	if (!strchr(fd->detail, '\n')) {
		fprintf(f, ": %s\n", fd->detail);
		return;
	}
	/* Multi-line output (btrfs check): the first line and the lines that
	 * say what is wrong; the JSON report keeps all of it. */
	const char *p = fd->detail, *nl = strchr(p, '\n');

	fprintf(f, ": %.*s\n", (int)(nl - p), p);
	for (p = nl + 1; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		if (memmem(p, len, "error", 5) || memmem(p, len, "ERROR", 5) ||
		    memmem(p, len, "missing", 7))
			fprintf(f, "      %.*s\n", len, p);
		if (!nl)
			break;
	}
}
