// SPDX-License-Identifier: GPL-2.0
/*
 * AFL++ harness: the binary workload decoder. Property: whatever decodes
 * is valid, and encoding it decodes to the same workload again.
 */
#include "harness.h"
#include "lib/workload.h"

static void one_input(const unsigned char *buf, size_t len)
{
	unsigned char out[WL_BIN_MAX];
	struct workload w, back;
	char why[512];
	size_t n;

	if (wl_decode(buf, len, &w))
		return;
	if (wl_validate(&w, why, sizeof(why)))
		abort();
	n = wl_encode(&w, out, sizeof(out));
	if (!n || wl_decode(out, n, &back) || !wl_equal(&w, &back))
		abort();
}
