// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "setup/series.h"

/*
 * Both are Debian bookworm's cloud flavour: small, virtio built in, and
 * btrfs, dm-log-writes, dm-snapshot and dm-delay as modules. 6.1 keeps the
 * cache names it had before series existed (kernel.state, kmod-patch/).
 */
static const struct kseries series_6_1 = {
	.name = "6.1",
	.prefix = "",
	.image_meta = "linux-image-cloud-amd64",
	.source_pkg = "linux-source-6.1",
	.patch_dir = "kmod-patch",
	.state_file = "kernel.state",
};

static const struct kseries series_6_12 = {
	.name = "6.12",
	.prefix = "6.12:",
	.image_meta = "linux-image-6.12-cloud-amd64",
	.source_pkg = "linux-source-6.12",
	.patch_dir = "kmod-patch/6.12",
	.state_file = "kernel-6.12.state",
};

/* A user's kernel brings its image and modules; nothing is fetched. */
const struct kseries kseries_own = {
	.name = "own",
	.prefix = "own:",
	.own = 1,
};

const struct kseries *const kseries_all[] = { &series_6_1, &series_6_12,
					      NULL };

const struct kseries *kseries_default(void)
{
	return &series_6_1;
}

const struct kseries *kseries_find(const char *name)
{
	for (size_t i = 0; kseries_all[i]; i++)
		if (!strcmp(kseries_all[i]->name, name))
			return kseries_all[i];
	return NULL;
}

/* A name that is safe as one path component. */
static int kernel_own_name_valid(const char *name)
{
	size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz"
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

	return n && !name[n] && name[0] != '.' && n < 24;
}

const struct kseries *kseries_of(const char *kernel)
{
	const char *colon = strchr(kernel, ':');
	char name[16];

	if (!colon)
		return kseries_default();
	if ((size_t)(colon - kernel) >= sizeof(name))
		return NULL;
	snprintf(name, sizeof(name), "%.*s", (int)(colon - kernel), kernel);
	if (!strcmp(name, kseries_own.name))
		return kernel_own_name_valid(colon + 1) ? &kseries_own : NULL;
	return kseries_find(name);
}

const char *kseries_names(void)
{
	static char buf[128];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; kseries_all[i] && len < sizeof(buf); i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				i ? ", " : "", kseries_all[i]->name);
	return buf;
}
