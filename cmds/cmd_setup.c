// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmds/cmds.h"
#include "cmds/options.h"
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
	"     built out of tree for each variant ({variants});\n"
	"  4. each variant's initramfs.\n"
	"The cache is $LWFUZZ_CACHE (default ~/.cache/lwfuzz).\n\n"
	"  -k, --kernel V    only this variant (repeatable; also a bisect prefix,\n"
	"                    series-N)\n"
	"  -n, --no-install  never run apt-get; fail if a package is missing\n"
	"  -u, --update      run 'apt-get update' first (picks up a new kernel ABI)\n"
	"  -q, --quiet       only errors\n"
	"  -h, --help        this text\n\n"
	"Exit status: 0 set up, 2 error.\n";

static const char *const cmd = "setup";

struct setup_opts {
	const char *only[8];
	size_t nonly;
	int install, update;
};

/* Every variant, or those -k named (a series-N among them). */
static int build_variants(const struct layout *l, const struct kstate *ks,
			  const struct patch_set *ps,
			  const struct setup_opts *o)
{
	size_t n = o->nonly ? o->nonly : ps->nvariants;

	for (size_t i = 0; i < n; i++) {
		struct variant v;
		double t0 = lw_now();
		int kb, ib;

		if (!o->nonly)
			v = ps->variants[i];
		else if (variant_lookup(ps, o->only[i], &v))
			return -1;
		if (kmod_build(l, ks, ps, &v, &kb) ||
		    initramfs_build_base(l, ks, &v, &ib))
			return -1;
		lw_info("%-6s %s (%.1f s)", v.name,
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
	opt_begin();
	while ((c = getopt_long(argc, argv, ":k:nuqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (o->nonly == 8)
				return opt_too_many(cmd, "--kernel", 8);
			if (opt_kernel(cmd, optarg, &o->only[o->nonly]))
				return -1;
			o->nonly++;
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
			opt_help(setup_usage);
			return 1;
		default:
			return opt_bad_option(cmd, argv, c);
		}
	}
	if (optind < argc)
		return opt_usage_error(cmd, "unexpected argument '%s'",
				       argv[optind]);
	return 0;
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
		return ret > 0 ? EXIT_CLEAN : EXIT_ERROR;
	if (layout_init(&l))
		return EXIT_ERROR;
	ret = EXIT_ERROR;
	if (layout_load_patches(&l, &ps))
		goto out;
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
	ret = EXIT_CLEAN;
out:
	variants_free(&ps);
	layout_free(&l);
	return ret;
}
