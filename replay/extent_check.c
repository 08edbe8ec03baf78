// SPDX-License-Identifier: GPL-2.0
#include "replay/extent_check.h"

int extent_needs_csum(const struct file_extent *fe, struct byte_range *need)
{
	if (fe->type != FE_REG || fe->nodatasum || !fe->disk_bytenr)
		return 0;
	if (fe->compression) {
		need->start = fe->disk_bytenr;
		need->end = fe->disk_bytenr + fe->disk_num_bytes;
	} else {
		need->start = fe->disk_bytenr + fe->offset;
		need->end = need->start + fe->num_bytes;
	}
	return need->end > need->start;
}

/* First item that could cover @pos: the last one starting at or before. */
static size_t first_candidate(const struct csum_range *c, size_t n,
			      uint64_t pos)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c[mid].start <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : 0;
}

size_t csum_gaps(const struct csum_range *csums, size_t n,
		 struct byte_range need, struct byte_range *gaps, size_t max)
{
	uint64_t pos = need.start;
	size_t ngaps = 0;

	/* The last item starting at or before the range may reach into it. */
	for (size_t i = first_candidate(csums, n, pos); i < n && pos < need.end;
	     i++) {
		uint64_t s = csums[i].start, e = s + csums[i].len;

		if (e <= pos)
			continue;
		if (s >= need.end)
			break;
		if (s > pos) {
			if (ngaps < max)
				gaps[ngaps] = (struct byte_range){ pos, s };
			ngaps++;
		}
		pos = e;
	}
	if (pos < need.end) {
		if (ngaps < max)
			gaps[ngaps] = (struct byte_range){ pos, need.end };
		ngaps++;
	}
	return ngaps;
}
