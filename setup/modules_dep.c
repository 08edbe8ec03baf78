// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <libkmod.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "setup/modules_dep.h"

/* depmod refuses cycles; a deeper chain means an index that lies. */
#define MAX_DEPTH 64
#define LAST_LEN 256

struct order {
	struct mod_load *mods;
	int n;
	const char *dirname; /* kmod's: absolute, paths start with it */
	char *why;
	size_t whylen;
};

/* libkmod's complaints become the reason we give, not stray stderr. */
static void keep_last(void *data, int priority, const char *file, int line,
		      const char *fn, const char *format, va_list args)
{
	char *last = data;

	(void)priority;
	(void)file;
	(void)line;
	(void)fn;
	vsnprintf(last, LAST_LEN, format, args);
	last[strcspn(last, "\n")] = '\0';
}

static int listed(const struct order *o, const char *name)
{
	for (int i = 0; i < o->n; i++)
		if (!strcmp(o->mods[i].name, name))
			return 1;
	return 0;
}

static void append(struct order *o, const char *name, const char *path)
{
	size_t dlen = strlen(o->dirname);
	struct mod_load *m;

	o->mods = realloc(o->mods, (o->n + 1) * sizeof(*o->mods));
	if (!o->mods)
		abort();
	m = &o->mods[o->n++];
	snprintf(m->name, sizeof(m->name), "%s", name);
	if (!strncmp(path, o->dirname, dlen) && path[dlen] == '/')
		path += dlen + 1;
	m->path = strdup(path);
	if (!m->path)
		abort();
}

/* Depth first: a module goes into the order after all of its deps. */
static int visit(struct order *o, struct kmod_module *mod, unsigned int depth)
{
	const char *name = kmod_module_get_name(mod);
	const char *path = kmod_module_get_path(mod);
	struct kmod_list *deps, *l;
	int ret = 0;

	/* No file to load: built into the kernel. */
	if (!path || listed(o, name))
		return 0;
	if (depth > MAX_DEPTH) {
		snprintf(o->why, o->whylen,
			 "modules.dep in %s has a dependency cycle through %s",
			 o->dirname, name);
		return -1;
	}
	deps = kmod_module_get_dependencies(mod);
	kmod_list_foreach(l, deps)
	{
		struct kmod_module *dep = kmod_module_get_module(l);

		ret = visit(o, dep, depth + 1);
		kmod_module_unref(dep);
		if (ret)
			break;
	}
	kmod_module_unref_list(deps);
	if (!ret)
		append(o, name, path);
	return ret;
}

int moddep_load_order(const char *mdir, const char *const names[], size_t n,
		      struct mod_load **out, char *why, size_t whylen)
{
	/* The image's modules alone: no modprobe.d of this host. */
	static const char *const no_config[] = { NULL };
	struct order o = { .why = why, .whylen = whylen };
	char last[LAST_LEN] = "", *index;
	struct kmod_ctx *ctx;
	int ret = -1;

	*out = NULL;
	index = malloc(strlen(mdir) + sizeof("/modules.dep.bin"));
	if (!index)
		abort();
	sprintf(index, "%s/modules.dep.bin", mdir);
	if (access(index, R_OK)) {
		snprintf(
			why, whylen,
			"cannot read %s: %s; run 'lwfuzz setup' (its depmod writes it)",
			index, strerror(errno));
		free(index);
		return -1;
	}
	free(index);
	ctx = kmod_new(mdir, no_config);
	if (!ctx) {
		snprintf(why, whylen, "libkmod cannot open %s", mdir);
		return -1;
	}
	kmod_set_log_fn(ctx, keep_last, last);
	o.dirname = kmod_get_dirname(ctx);
	for (size_t i = 0; i < n; i++) {
		struct kmod_list *found = NULL, *l;
		int err = kmod_module_new_from_lookup(ctx, names[i], &found);

		if (err < 0 || !found) {
			snprintf(
				why, whylen,
				"module %s is neither in %s/modules.dep nor built in%s%s",
				names[i], mdir, last[0] ? ": " : "", last);
			goto out;
		}
		kmod_list_foreach(l, found)
		{
			struct kmod_module *mod = kmod_module_get_module(l);

			err = visit(&o, mod, 0);
			kmod_module_unref(mod);
			if (err)
				break;
		}
		kmod_module_unref_list(found);
		if (err)
			goto out;
	}
	*out = o.mods;
	ret = o.n;
out:
	if (ret < 0)
		moddep_free_order(o.mods, o.n);
	kmod_unref(ctx);
	return ret;
}

int moddep_present(const char *mdir, const char *name)
{
	static const char *const no_config[] = { NULL };
	struct kmod_ctx *ctx = kmod_new(mdir, no_config);
	struct kmod_list *found = NULL;
	int err;

	if (!ctx)
		return -1;
	kmod_set_log_priority(ctx, 0);
	err = kmod_module_new_from_lookup(ctx, name, &found);
	kmod_module_unref_list(found);
	kmod_unref(ctx);
	if (err < 0)
		return -1;
	return found != NULL;
}

void moddep_free_order(struct mod_load *order, int n)
{
	for (int i = 0; i < n; i++)
		free(order[i].path);
	free(order);
}
