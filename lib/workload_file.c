// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "lib/msg.h"
#include "lib/workload_file.h"

int wl_load_buf(const char *buf, size_t len, struct workload *w, char *why,
		size_t whylen)
{
	if (len >= 3 && !memcmp(buf, "LW", 2) && buf[2] >= 1 && buf[2] <= 9) {
		if (buf[2] != WL_BIN_VERSION) {
			snprintf(
				why, whylen,
				"a binary workload of version %d; this lwfuzz reads version %d (give it the workload's text form)",
				buf[2], WL_BIN_VERSION);
			return -1;
		}
		if (!wl_decode((const unsigned char *)buf, len, w))
			return 0;
		snprintf(
			why, whylen,
			"not a binary workload (its header says so, its body does not decode)");
		return -1;
	}
	if (memchr(buf, '\0', len)) {
		snprintf(why, whylen,
			 "not a workload: a NUL byte in a text workload");
		return -1;
	}
	return wl_parse_text(buf, w, why, whylen);
}

int wl_load_file(const char *path, struct workload *w)
{
	size_t len;
	char *buf = read_file(path, &len), why[512];
	int ret;

	if (!buf) {
		lw_err("%s: %s", path, strerror(errno));
		return -1;
	}
	ret = wl_load_buf(buf, len, w, why, sizeof(why));
	if (ret)
		lw_err("%s: %s", path, why);
	free(buf);
	return ret;
}
