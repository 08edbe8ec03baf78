// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmds/cmds.h"
#include "setup/layout.h"
#include "lib/msg.h"
#include "setup/setup.h"
#include "setup/variants.h"

static const char setup_usage[] =
	"usage: lwfuzz setup [OPTIONS]\n\n"
	"Prepare everything lwfuzz runs on, reusing the cache where nothing changed:\n"
	"  1. the Debian packages (apt-get, when root), including the cloud\n"
	"     kernel's headers for the release the registry names today;\n"
	"  2. that kernel's image, downloaded and unpacked (never installed);\n"
	"  3. fs/btrfs from linux-source-6.1, patched per kmod-patch/series and\n"
	"     built out of tree for each variant (stock, buggy, fixed);\n"
	"  4. each variant's initramfs.\n"
	"The cache is $LWFUZZ_CACHE (default ~/.cache/lwfuzz).\n\n"
	"  -k, --kernel V    only this variant (repeatable)\n"
	"  -n, --no-install  never run apt-get; fail if a package is missing\n"
	"  -u, --update      run 'apt-get update' first (picks up a new kernel ABI)\n"
	"  -q, --quiet       only errors\n"
	"  -h, --help        this text\n";

struct setup_opts {
	const char *only[8];
	size_t nonly;
	int install, update;
};

static int wanted(const struct setup_opts *o, const char *name)
{
	if (!o->nonly)
		return 1;
	for (size_t i = 0; i < o->nonly; i++)
		if (!strcmp(o->only[i], name))
			return 1;
	return 0;
}

static int build_variants(const struct layout *l, const struct kstate *ks,
			  const struct patch_set *ps,
			  const struct setup_opts *o)
{
	for (size_t i = 0; i < ps->nvariants; i++) {
		const struct variant *v = &ps->variants[i];
		double t0 = lw_now();
		int kb, ib;

		if (!wanted(o, v->name))
			continue;
		if (kmod_build(l, ks, ps, v, &kb) ||
		    initramfs_build_base(l, ks, v, &ib))
			return -1;
		lw_info("%-6s %s (%.1f s)", v->name,
			kb   ? "built"
			: ib ? "initramfs rebuilt"
			     : "up to date",
			lw_now() - t0);
	}
	return 0;
}

static int parse(int argc, char **argv, struct setup_opts *o)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "no-install", no_argument, NULL, 'n' },
		{ "update", no_argument, NULL, 'u' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->install = 1;
	optind = 0;
	while ((c = getopt_long(argc, argv, "k:nuqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (o->nonly == 8)
				return -1;
			o->only[o->nonly++] = optarg;
			break;
		case 'n':
			o->install = 0;
			break;
		case 'u':
			o->update = 1;
			break;
		case 'q':
			lw_set_quiet(1);
			break;
		case 'h':
			fputs(setup_usage, stdout);
			return 1;
		default:
			return -1;
		}
	}
	return optind < argc ? -1 : 0;
}

int cmd_setup(int argc, char **argv)
{
	struct setup_opts o;
	struct patch_set ps = { 0 };
	struct kstate ks = { 0 };
	struct layout l;
	double t0 = lw_now(), t;
	int ret = parse(argc, argv, &o);

	if (ret)
		return ret > 0 ? 0
			       : (lw_err("bad arguments; see 'lwfuzz setup --help'"),
				  2);
	if (layout_init(&l))
		return 1;
	ret = 1;
	if (layout_load_patches(&l, &ps))
		goto out;
	for (size_t i = 0; i < o.nonly; i++) {
		if (!variant_find(&ps, o.only[i])) {
			lw_err("unknown kernel variant '%s'; choose one of: %s",
			       o.only[i], variant_names(&ps));
			goto out;
		}
	}
	lw_info("checking packages");
	if (deps_ensure(&ks, o.install, o.update))
		goto out;
	lw_info("kernel %s (image %s, source %s) (%.1f s)", ks.release,
		ks.image_version, ks.source_version, lw_now() - t0);
	t = lw_now();
	if (kernel_fetch(&l, &ks) || source_extract(&l, &ks))
		goto out;
	lw_info("kernel image and btrfs source ready (%.1f s)", lw_now() - t);
	if (build_variants(&l, &ks, &ps, &o))
		goto out;
	if (kstate_save(&l, &ks)) {
		lw_err("cannot write %s/kernel.state", l.cache);
		goto out;
	}
	lw_info("setup done in %.1f s; cache %s", lw_now() - t0, l.cache);
	ret = 0;
out:
	variants_free(&ps);
	layout_free(&l);
	return ret;
}
