// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmds/cmds.h"
#include "cmds/options.h"
#include "setup/layout.h"
#include "lib/msg.h"
#include "setup/series.h"
#include "setup/setup.h"
#include "setup/variants.h"

static const char setup_usage[] =
	"usage: lwfuzz setup [OPTIONS]\n\n"
	"Prepare everything lwfuzz runs on, reusing the cache where nothing changed,\n"
	"for each kernel series it builds (6.1 unless -s or -k name another):\n"
	"  1. the Debian packages (apt-get, when root), including the series'\n"
	"     cloud kernel headers for the release the registry names today and\n"
	"     its linux-source package;\n"
	"  2. that kernel's image, downloaded and unpacked (never installed);\n"
	"  3. fs/btrfs from the source, patched per the series' kmod-patch\n"
	"     directory and built out of tree for each variant;\n"
	"  4. each variant's initramfs.\n"
	"Variants: {variants}.\n"
	"The cache is $LWFUZZ_CACHE (default ~/.cache/lwfuzz).\n\n"
	"  -k, --kernel V    only this variant (repeatable; also a bisect prefix,\n"
	"                    series-N, or 6.12:series-N)\n"
	"  -s, --series S    every variant of kernel series S (repeatable;\n"
	"                    6.1, 6.12)\n"
	"      --own NAME    add a kernel of your own as own:NAME, from\n"
	"      --image FILE  its bzImage and\n"
	"      --modules DIR its lib/modules/RELEASE (or the INSTALL_MOD_PATH of\n"
	"                    'make modules_install'); btrfs, dm-log-writes and\n"
	"                    dm-snapshot must be modules there or built in. It\n"
	"                    runs as it is: no patches, no coverage, no delays\n"
	"      --tree DIR    or from a built kernel tree: its bzImage and the\n"
	"                    modules its 'make modules_install' installs\n"
	"  -n, --no-install  never run apt-get; fail if a package is missing\n"
	"  -u, --update      run 'apt-get update' first (picks up a new kernel ABI)\n"
	"  -q, --quiet       only errors\n"
	"  -h, --help        this text\n\n"
	"Exit status: 0 set up, 2 error.\n";

static const char *const cmd = "setup";

struct setup_opts {
	const char *only[8];
	size_t nonly;
	const struct kseries *series[4]; /* every variant of these */
	size_t nseries;
	/* --own NAME with --image and --modules, or --tree */
	const char *own, *image, *modules, *tree;
	int install, update;
};

/* Does -k name a variant of @s? */
static int names_series(const struct setup_opts *o, const struct kseries *s)
{
	for (size_t i = 0; i < o->nonly; i++)
		if (kseries_of(o->only[i]) == s)
			return 1;
	return 0;
}

/* Is @s to be set up at all: named by -s or -k, or the default. */
static int wanted(const struct setup_opts *o, const struct kseries *s)
{
	for (size_t i = 0; i < o->nseries; i++)
		if (o->series[i] == s)
			return 2;
	if (names_series(o, s))
		return 1;
	return !o->nonly && !o->nseries && !o->own && s == kseries_default()
		       ? 2
		       : 0;
}

/* Every variant of @s (@all), or those of @s that -k named. */
static int build_variants(const struct layout *l, const struct kstate *ks,
			  const struct patch_set *ps,
			  const struct setup_opts *o, int all)
{
	size_t n = all ? ps->nvariants : o->nonly;

	for (size_t i = 0; i < n; i++) {
		struct variant v;
		double t0 = lw_now();
		int kb, ib;

		if (all)
			v = ps->variants[i];
		else if (kseries_of(o->only[i]) != ks->series)
			continue;
		else if (variant_lookup(ps, o->only[i], &v))
			return -1;
		if (kmod_build(l, ks, ps, &v, 1, &kb) ||
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
		{ "series", required_argument, NULL, 's' },
		{ "own", required_argument, NULL, 'O' },
		{ "image", required_argument, NULL, 'I' },
		{ "modules", required_argument, NULL, 'M' },
		{ "tree", required_argument, NULL, 'T' },
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
	while ((c = getopt_long(argc, argv, ":k:s:nuqh", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (o->nonly == 8)
				return opt_too_many(cmd, "--kernel", 8);
			if (opt_kernel(cmd, optarg, &o->only[o->nonly]))
				return -1;
			o->nonly++;
			break;
		case 's':
			if (o->nseries == 4)
				return opt_too_many(cmd, "--series", 4);
			o->series[o->nseries] = kseries_find(optarg);
			if (!o->series[o->nseries])
				return opt_usage_error(
					cmd,
					"unknown kernel series '%s' for --series; choose one of: %s",
					optarg, kseries_names());
			o->nseries++;
			break;
		case 'O':
			o->own = optarg;
			break;
		case 'I':
			o->image = optarg;
			break;
		case 'M':
			o->modules = optarg;
			break;
		case 'T':
			o->tree = optarg;
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
	if (o->tree && (o->image || o->modules))
		return opt_usage_error(cmd,
				       "--tree or --image with --modules, not both");
	if (o->tree ? !o->own :
		      !o->own != !o->image || !o->own != !o->modules)
		return opt_usage_error(cmd,
				       "--own goes with --image and --modules, or with --tree");
	return 0;
}

/* Packages, kernel, source and the wanted variants of one series. */
static int setup_series(const struct layout *l, const struct kseries *s,
			const struct setup_opts *o, int all)
{
	struct patch_set ps = { 0 };
	struct kstate ks = { .series = s };
	double t0 = lw_now(), t;
	int ret = -1;

	if (layout_load_patches(l, s, &ps))
		return -1;
	lw_info("checking packages for kernel series %s", s->name);
	if (deps_ensure(&ks, o->install, o->update))
		goto out;
	lw_info("kernel %s (image %s, source %s) (%.1f s)", ks.release,
		ks.image_version, ks.source_version, lw_now() - t0);
	t = lw_now();
	if (kernel_fetch(l, &ks) || source_extract(l, &ks))
		goto out;
	lw_info("kernel image and btrfs source ready (%.1f s)", lw_now() - t);
	if (build_variants(l, &ks, &ps, o, all))
		goto out;
	if (kstate_save(l, &ks)) {
		lw_err("cannot write %s/%s", l->cache, s->state_file);
		goto out;
	}
	ret = 0;
out:
	variants_free(&ps);
	return ret;
}

int cmd_setup(int argc, char **argv)
{
	struct setup_opts o;
	struct layout l;
	double t0 = lw_now();
	int ret = parse(argc, argv, &o);

	if (ret)
		return ret > 0 ? EXIT_CLEAN : EXIT_ERROR;
	if (layout_init(&l))
		return EXIT_ERROR;
	ret = EXIT_ERROR;
	if (o.own && (o.tree ? own_kernel_setup_tree(&l, o.own, o.tree) :
			       own_kernel_setup(&l, o.own, o.image, o.modules)))
		goto out;
	for (size_t i = 0; kseries_all[i]; i++) {
		int w = wanted(&o, kseries_all[i]);

		if (w && setup_series(&l, kseries_all[i], &o, w == 2))
			goto out;
	}
	lw_info("setup done in %.1f s; cache %s", lw_now() - t0, l.cache);
	ret = EXIT_CLEAN;
out:
	layout_free(&l);
	return ret;
}
