// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "lib/kmod_req.h"

_Static_assert(sizeof(struct lwfuzz_delay_req) == 16 + LWFUZZ_SITE_LEN,
	       "the delay request has no padding");
_Static_assert(sizeof(struct lwfuzz_delay_status) == 16,
	       "the delay status has no padding");

int kmod_delay_req(struct lwfuzz_delay_req *req, const char *site,
		   uint32_t hit, uint32_t ms)
{
	size_t len = strlen(site);

	memset(req, 0, sizeof(*req));
	if (!len || len >= sizeof(req->site) || strchr(site, ':') || hit < 1 ||
	    hit > LWFUZZ_DELAY_MAX_HIT || ms < 1 || ms > LWFUZZ_DELAY_MAX_MS)
		return -1;
	req->version = LWFUZZ_DELAY_VERSION;
	req->hit = hit;
	req->ms = ms;
	memcpy(req->site, site, len);
	return 0;
}

int kmod_delay_statuses(size_t len)
{
	if (len % sizeof(struct lwfuzz_delay_status) ||
	    len / sizeof(struct lwfuzz_delay_status) > LWFUZZ_DELAY_MAX_PLANS)
		return -1;
	return len / sizeof(struct lwfuzz_delay_status);
}
