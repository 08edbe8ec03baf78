// SPDX-License-Identifier: GPL-2.0
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log_reader.h"
#include "lib/log_scan.h"

/* btrfs's primary super block and its total_bytes field. */
#define BTRFS_SUPER_OFFSET 65536ULL
#define SUPER_TOTAL_BYTES 0x70

static void look_for_super(struct log_reader *r, const struct log_entry *e,
			   struct log_scan *s)
{
	uint64_t ss = log_super(r)->sectorsize;
	uint64_t start = e->sector * ss, field;
	uint64_t want = BTRFS_SUPER_OFFSET + SUPER_TOTAL_BYTES;

	if (!e->data_bytes || start > want || start + e->data_bytes < want + 8)
		return;
	if (log_read_data(r, e, want - start, &field, 8) == 0)
		s->btrfs_total_bytes = le64toh(field);
}

int log_scan(const char *path, uint64_t device_bytes, struct log_scan *s,
	     char *why, size_t whylen)
{
	struct log_reader *r = log_open(path, device_bytes, why, whylen);
	struct log_entry *e = malloc(sizeof(*e));
	int ret = -1;

	memset(s, 0, sizeof(*s));
	if (!r || !e)
		goto out;
	uint64_t ss = log_super(r)->sectorsize;

	while ((ret = log_next(r, e, why, whylen)) == 1) {
		uint64_t end = (e->sector + e->nr_sectors) * ss;

		s->entries++;
		if (end > s->max_end)
			s->max_end = end;
		if ((e->flags & LOG_MARK) && !strcmp(e->mark, "mkfs"))
			s->has_mkfs_mark = 1;
		look_for_super(r, e, s);
	}
out:
	free(e);
	log_close(r);
	return ret;
}

uint64_t log_scan_device_bytes(const struct log_scan *s)
{
	return s->btrfs_total_bytes > s->max_end ? s->btrfs_total_bytes
						 : s->max_end;
}
