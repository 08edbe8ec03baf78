// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cmds/cmds.h"
#include "cmds/options.h"
#include "setup/kmod_build.h"
#include "setup/layout.h"
#include "setup/series.h"
#include "lib/fsutil.h"
#include "lib/json_quote.h"
#include "lib/msg.h"
#include "setup/variants.h"
#include "vm/accel.h"

static const char kernels_usage[] =
	"usage: lwfuzz kernels [--json]\n\n"
	"List, per kernel series (6.1: kmod-patch/, 6.12: kmod-patch/6.12/), the\n"
	"kernel release set up in the cache, the variants with the patches each\n"
	"applies (a 6.12 variant is named 6.12:VARIANT), and whether each is\n"
	"built: 'built' (current), 'stale' (the patches or the\n"
	"source changed since; run 'lwfuzz setup') or 'not built'; and the\n"
	"accelerator QEMU gets by default here (kvm, or tcg and why not kvm).\n\n"
	"  -j, --json   one JSON object instead of text\n"
	"  -h, --help   this text\n\n"
	"Exit status: 0 listed, 2 error.\n";

static const char *const cmd = "kernels";

static const char *state_of(const struct layout *l, const struct kstate *ks,
			    const struct patch_set *ps, const struct variant *v)
{
	char want[32], have[32];

	if (kmod_cached_key(l, v->name, have, sizeof(have)))
		return "not built";
	if (!ks->release[0] || kmod_key(l, ks, ps, v, want, sizeof(want)))
		return "stale";
	return strcmp(want, have) ? "stale" : "built";
}

static void print_text(const struct layout *l, const struct kstate *ks,
		       const struct patch_set *ps)
{
	printf("\nseries %s: kernel release %s\n", ks->series->name,
	       ks->release[0] ? ks->release : "(not set up; run 'lwfuzz setup')");
	for (size_t i = 0; i < ps->nvariants; i++) {
		const struct variant *v = &ps->variants[i];

		printf("  %-18s %s\n", v->name, state_of(l, ks, ps, v));
		if (!v->npatches)
			printf("        (no patches: Debian's source)\n");
		for (size_t j = 0; j < v->npatches; j++)
			printf("        %s\n", variant_patch(ps, v, j));
	}
}

static void print_json(const struct layout *l, const struct kstate *ks,
		       const struct patch_set *ps, int first)
{
	printf("%s{\"series\": \"%s\", \"release\": \"%s\", \"variants\": [",
	       first ? "" : ", ", ks->series->name, ks->release);
	for (size_t i = 0; i < ps->nvariants; i++) {
		const struct variant *v = &ps->variants[i];

		printf("%s{\"name\": \"%s\", \"state\": \"%s\", \"patches\": [",
		       i ? ", " : "", v->name, state_of(l, ks, ps, v));
		for (size_t j = 0; j < v->npatches; j++)
			printf("%s\"%s\"", j ? ", " : "", variant_patch(ps, v, j));
		printf("]}");
	}
	printf("]}");
}

/* Users' own kernels (`lwfuzz setup --own`): cache/kernel/own/NAME. */
static void list_own(const struct layout *l, int json)
{
	char *root = xasprintf("%s/kernel/own", l->cache);
	DIR *d = opendir(root);
	struct dirent *e;
	int n = 0;

	if (json)
		printf(", \"own\": [");
	while (d && (e = readdir(d))) {
		char *name = xasprintf("own:%s", e->d_name);
		struct kstate ks;

		if (e->d_name[0] != '.' && !kstate_load_for(l, name, &ks)) {
			if (json) {
				printf("%s{\"name\": \"%s\", \"release\": ",
				       n ? ", " : "", name);
				json_quote(stdout, ks.release);
				printf(", \"origin\": ");
				json_quote(stdout, ks.origin);
				printf("}");
			} else {
				printf("%s%-20s release %s\n%20s %s\n",
				       n ? "" : "\nown kernels (as given: no patches, coverage or delays):\n",
				       name, ks.release, "", ks.origin);
			}
			n++;
		}
		free(name);
	}
	if (d)
		closedir(d);
	if (json)
		printf("]");
	free(root);
}

/* Every series, each with its state and variants. */
static int list(const struct layout *l, int json)
{
	char why[256];
	enum vm_accel a = vm_accel_probe(why, sizeof(why));

	if (json) {
		printf("{\"accel\": \"%s\", \"accel_why\": ",
		       vm_accel_name(a));
		json_quote(stdout, why);
		printf(", \"series\": [");
	} else {
		printf("accelerator: %s%s%s%s\n", vm_accel_name(a),
		       *why ? " (" : "", why, *why ? ")" : "");
	}
	for (size_t i = 0; kseries_all[i]; i++) {
		struct patch_set ps;
		struct kstate ks;

		if (layout_load_patches(l, kseries_all[i], &ps))
			return -1;
		kstate_load(l, kseries_all[i], &ks);
		if (json)
			print_json(l, &ks, &ps, !i);
		else
			print_text(l, &ks, &ps);
		variants_free(&ps);
	}
	if (json)
		printf("]");
	list_own(l, json);
	if (json)
		printf("}\n");
	return 0;
}

int cmd_kernels(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct layout l;
	int c, json = 0, ret;

	opt_begin();
	while ((c = getopt_long(argc, argv, ":jh", longopts, NULL)) != -1) {
		if (c == 'h') {
			opt_help(kernels_usage);
			return EXIT_CLEAN;
		}
		if (c != 'j') {
			opt_bad_option(cmd, argv, c);
			return EXIT_ERROR;
		}
		json = 1;
	}
	if (optind < argc) {
		opt_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
		return EXIT_ERROR;
	}
	if (layout_init(&l))
		return EXIT_ERROR;
	ret = list(&l, json);
	layout_free(&l);
	return ret ? EXIT_ERROR : EXIT_CLEAN;
}
