// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "setup/modules_dep.h"

struct mod {
	char *path;
	char name[64];
	char **deps;
	size_t ndeps;
	int state; /* 0 unvisited, 1 visiting, 2 done */
};

struct moddep {
	struct mod *mods;
	size_t n;
	char **builtin;
	size_t nbuiltin;
	const char **order;
	size_t norder;
};

void moddep_name_of(const char *path, char *name, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t i = 0;

	base = base ? base + 1 : path;
	for (; base[i] && i + 1 < len; i++) {
		if (!strncmp(base + i, ".ko", 3))
			break;
		name[i] = base[i] == '-' ? '_' : base[i];
	}
	name[i] = '\0';
}

static void *xrealloc(void *p, size_t sz)
{
	void *q = realloc(p, sz);

	if (!q)
		abort();
	return q;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		abort();
	return d;
}

/* Split @line (without newline) "path: dep dep" into @mod. */
static int parse_line(const char *line, size_t len, struct mod *mod)
{
	const char *colon = memchr(line, ':', len);
	const char *p, *end = line + len;

	if (!colon || colon == line)
		return -1;
	memset(mod, 0, sizeof(*mod));
	mod->path = xstrndup(line, colon - line);
	moddep_name_of(mod->path, mod->name, sizeof(mod->name));
	for (p = colon + 1; p < end;) {
		size_t n;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		n = 0;
		while (p + n < end && p[n] != ' ' && p[n] != '\t')
			n++;
		if (!n)
			break;
		mod->deps = xrealloc(mod->deps,
				     (mod->ndeps + 1) * sizeof(*mod->deps));
		mod->deps[mod->ndeps++] = xstrndup(p, n);
		p += n;
	}
	return 0;
}

static void parse_builtin(struct moddep *m, const char *text)
{
	for (const char *p = text; p && *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char name[64];
		char *path = xstrndup(p, len);

		moddep_name_of(path, name, sizeof(name));
		free(path);
		if (len) {
			m->builtin = xrealloc(
				m->builtin, (m->nbuiltin + 1) * sizeof(char *));
			m->builtin[m->nbuiltin++] =
				xstrndup(name, strlen(name));
		}
		p = end ? end + 1 : NULL;
	}
}

struct moddep *moddep_parse(const char *dep_text, const char *builtin_text,
			    char *why, size_t whylen)
{
	struct moddep *m = calloc(1, sizeof(*m));
	unsigned int lineno = 0;

	if (!m)
		abort();
	for (const char *p = dep_text; p && *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		lineno++;
		if (len && p[0] != '#') {
			m->mods = xrealloc(m->mods,
					   (m->n + 1) * sizeof(*m->mods));
			if (parse_line(p, len, &m->mods[m->n])) {
				snprintf(
					why, whylen,
					"modules.dep line %u: expected 'path: deps'",
					lineno);
				moddep_free(m);
				return NULL;
			}
			m->n++;
		}
		p = end ? end + 1 : NULL;
	}
	if (builtin_text)
		parse_builtin(m, builtin_text);
	return m;
}

void moddep_free(struct moddep *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		for (size_t j = 0; j < m->mods[i].ndeps; j++)
			free(m->mods[i].deps[j]);
		free(m->mods[i].deps);
		free(m->mods[i].path);
	}
	for (size_t i = 0; i < m->nbuiltin; i++)
		free(m->builtin[i]);
	free(m->builtin);
	free(m->mods);
	free(m->order);
	free(m);
}

static struct mod *find(struct moddep *m, const char *name, int by_path)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(by_path ? m->mods[i].path : m->mods[i].name, name))
			return &m->mods[i];
	return NULL;
}

static int is_builtin(struct moddep *m, const char *name)
{
	for (size_t i = 0; i < m->nbuiltin; i++)
		if (!strcmp(m->builtin[i], name))
			return 1;
	return 0;
}

/* Depth-first: a module goes into the order after all of its deps. */
static int visit(struct moddep *m, struct mod *mod, char *why, size_t whylen)
{
	if (mod->state == 2)
		return 0;
	if (mod->state == 1) {
		snprintf(why, whylen, "modules.dep has a cycle through %s",
			 mod->path);
		return -1;
	}
	mod->state = 1;
	for (size_t i = 0; i < mod->ndeps; i++) {
		struct mod *dep = find(m, mod->deps[i], 1);

		if (!dep) {
			snprintf(why, whylen, "%s needs %s, not in modules.dep",
				 mod->path, mod->deps[i]);
			return -1;
		}
		if (visit(m, dep, why, whylen))
			return -1;
	}
	mod->state = 2;
	m->order = xrealloc(m->order, (m->norder + 1) * sizeof(char *));
	m->order[m->norder++] = mod->path;
	return 0;
}

int moddep_resolve(struct moddep *m, const char *const names[], size_t n,
		   const char ***out, char *why, size_t whylen)
{
	for (size_t i = 0; i < m->n; i++)
		m->mods[i].state = 0;
	m->norder = 0;
	for (size_t i = 0; i < n; i++) {
		char name[64];
		struct mod *mod;

		moddep_name_of(names[i], name, sizeof(name));
		mod = find(m, name, 0);
		if (!mod && is_builtin(m, name))
			continue;
		if (!mod) {
			snprintf(
				why, whylen,
				"module %s is neither in modules.dep nor built in",
				names[i]);
			return -1;
		}
		if (visit(m, mod, why, whylen))
			return -1;
	}
	*out = m->order;
	return (int)m->norder;
}
