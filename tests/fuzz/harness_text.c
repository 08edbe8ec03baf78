// SPDX-License-Identifier: GPL-2.0
/*
 * AFL++ harness: the workload text parser. Property: a text that parses is
 * a valid workload, and its own text form parses back to the same workload.
 */
#include <string.h>

#include "harness.h"
#include "lib/workload.h"

static void one_input(const unsigned char *buf, size_t len)
{
	struct workload w, back;
	char *text = malloc(len + 1), *again, why[512];

	if (!text)
		abort();
	memcpy(text, buf, len);
	text[len] = 0;
	if (wl_parse_text(text, &w, why, sizeof(why)) == 0) {
		if (wl_validate(&w, why, sizeof(why)))
			abort();
		again = wl_format_text(&w);
		if (!again || wl_parse_text(again, &back, why, sizeof(why)) ||
		    !wl_equal(&w, &back))
			abort();
		free(again);
	}
	free(text);
}
