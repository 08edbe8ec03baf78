// SPDX-License-Identifier: GPL-2.0
/*
 * Path ids of the workload language: up to three components from an
 * alphabet of sixteen names, packed in 14 bits (workload.h).
 */
#include <stdio.h>
#include <string.h>

#include "lib/workload.h"

static const char *const names[WL_NAMES] = {
	"f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7",
	"d0", "d1", "d2", "d3", "l0", "l1", "s0", "s1",
};

const char *wl_name_text(unsigned int n)
{
	return names[n % WL_NAMES];
}

unsigned int wl_path_depth(uint16_t path)
{
	unsigned int d = (path >> 12) & 3;

	return d == 3 ? 0 : d + 1;
}

unsigned int wl_path_name(uint16_t path, unsigned int i)
{
	return (path >> (4 * i)) & 0xf;
}

uint16_t wl_path_make(const unsigned int *n, unsigned int depth)
{
	uint16_t p = 0;

	if (!depth || depth > WL_PATH_DEPTH_MAX)
		return WL_PATH_TOP;
	for (unsigned int i = 0; i < depth; i++)
		p |= (n[i] & 0xf) << (4 * i);
	return p | (depth - 1) << 12;
}

uint16_t wl_path_fold(uint16_t raw)
{
	unsigned int n[WL_PATH_DEPTH_MAX], d = wl_path_depth(raw);

	for (unsigned int i = 0; i < d; i++)
		n[i] = wl_path_name(raw, i);
	return wl_path_make(n, d);
}

uint16_t wl_path_parent(uint16_t path)
{
	unsigned int n[WL_PATH_DEPTH_MAX], d = wl_path_depth(path);

	for (unsigned int i = 0; i + 1 < d; i++)
		n[i] = wl_path_name(path, i);
	return d > 1 ? wl_path_make(n, d - 1) : WL_PATH_TOP;
}

int wl_path_within(uint16_t a, uint16_t b)
{
	unsigned int da = wl_path_depth(a), db = wl_path_depth(b);

	if (da < db)
		return 0;
	for (unsigned int i = 0; i < db; i++)
		if (wl_path_name(a, i) != wl_path_name(b, i))
			return 0;
	return 1;
}

const char *wl_path_text(uint16_t path, char *buf)
{
	unsigned int d = wl_path_depth(path);
	size_t used = 0;

	if (!d)
		return strcpy(buf, ".");
	for (unsigned int i = 0; i < d; i++)
		used += snprintf(buf + used, WL_PATH_TEXT - used, "%s%s",
				 i ? "/" : "", names[wl_path_name(path, i)]);
	return buf;
}

static int name_of(const char *s, size_t len)
{
	for (unsigned int n = 0; n < WL_NAMES; n++)
		if (len == 2 && !strncmp(s, names[n], 2))
			return n;
	return -1;
}

int wl_path_parse(const char *s, uint16_t *path)
{
	unsigned int n[WL_PATH_DEPTH_MAX], d = 0;

	if (!strcmp(s, ".")) {
		*path = WL_PATH_TOP;
		return 0;
	}
	for (;;) {
		const char *slash = strchr(s, '/');
		size_t len = slash ? (size_t)(slash - s) : strlen(s);
		int k = name_of(s, len);

		if (k < 0 || d == WL_PATH_DEPTH_MAX)
			return -1;
		n[d++] = k;
		if (!slash)
			break;
		s = slash + 1;
	}
	*path = wl_path_make(n, d);
	return 0;
}
