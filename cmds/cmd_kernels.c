// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmds/cmds.h"
#include "cmds/options.h"
#include "setup/kmod_build.h"
#include "setup/layout.h"
#include "lib/json_quote.h"
#include "lib/msg.h"
#include "setup/variants.h"
#include "vm/accel.h"

static const char kernels_usage[] =
	"usage: lwfuzz kernels [--json]\n\n"
	"List the kernel variants (kmod-patch/variants), the kernel release set\n"
	"up in the cache, the patches of kmod-patch/series each applies, and\n"
	"whether each is built: 'built' (current), 'stale' (the patches or the\n"
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
	char why[256];
	enum vm_accel a = vm_accel_probe(why, sizeof(why));

	printf("kernel release: %s\n",
	       ks->release[0] ? ks->release
			      : "(not set up; run 'lwfuzz setup')");
	printf("accelerator: %s%s%s%s\n", vm_accel_name(a), *why ? " (" : "",
	       why, *why ? ")" : "");
	for (size_t i = 0; i < ps->nvariants; i++) {
		const struct variant *v = &ps->variants[i];

		printf("\n%-6s  %s\n", v->name, state_of(l, ks, ps, v));
		if (!v->npatches)
			printf("        (no patches: Debian's source)\n");
		for (size_t j = 0; j < v->npatches; j++)
			printf("        %s\n", variant_patch(ps, v, j));
	}
}

static void print_json(const struct layout *l, const struct kstate *ks,
		       const struct patch_set *ps)
{
	char why[256];
	enum vm_accel a = vm_accel_probe(why, sizeof(why));

	printf("{\"release\": \"%s\", \"accel\": \"%s\", \"accel_why\": ",
	       ks->release, vm_accel_name(a));
	json_quote(stdout, why);
	printf(", \"variants\": [");
	for (size_t i = 0; i < ps->nvariants; i++) {
		const struct variant *v = &ps->variants[i];

		printf("%s{\"name\": \"%s\", \"state\": \"%s\", \"patches\": [",
		       i ? ", " : "", v->name, state_of(l, ks, ps, v));
		for (size_t j = 0; j < v->npatches; j++)
			printf("%s\"%s\"", j ? ", " : "", variant_patch(ps, v, j));
		printf("]}");
	}
	printf("]}\n");
}

int cmd_kernels(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct patch_set ps;
	struct kstate ks = { 0 };
	struct layout l;
	int c, json = 0;

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
	if (layout_load_patches(&l, &ps)) {
		layout_free(&l);
		return EXIT_ERROR;
	}
	kstate_load(&l, &ks);
	if (json)
		print_json(&l, &ks, &ps);
	else
		print_text(&l, &ks, &ps);
	variants_free(&ps);
	layout_free(&l);
	return EXIT_CLEAN;
}
