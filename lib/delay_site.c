// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/delay_site.h"
#include "lib/fsutil.h"
#include "lib/hash.h"

uint32_t site_id(const char *name)
{
	uint64_t h = hash_str(HASH_INIT, name);

	return (uint32_t)(h ^ (h >> 32));
}

static int valid_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > SITE_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '.')
			return 0;
	return 1;
}

int site_candidate(const char *name)
{
	/*
	 * lwfuzz's own code in btrfs.ko (the coverage collector), the cold
	 * halves gcc splits off (entered by a jump, never called), and
	 * padding symbols are not functions a thread enters.
	 */
	return valid_name(name) && strncmp(name, "__sanitizer_cov", 15) &&
	       strncmp(name, "lwfuzz_", 7) && !strstr(name, ".cold") &&
	       strncmp(name, "__pfx_", 6) && strncmp(name, "__cfi_", 6) &&
	       strncmp(name, "__UNIQUE_ID", 11);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int site_table_write(const char *path, char *const *names, size_t n)
{
	char **sorted = xcalloc(n, sizeof(*sorted));
	char *out = NULL;
	size_t len = 0, k = 0;
	FILE *f = open_memstream(&out, &len);
	int ret;

	for (size_t i = 0; i < n; i++)
		if (site_candidate(names[i]))
			sorted[k++] = names[i];
	qsort(sorted, k, sizeof(*sorted), cmp_name);
	for (size_t i = 0; i < k; i++)
		if (!i || strcmp(sorted[i], sorted[i - 1]))
			fprintf(f, "%s\n", sorted[i]);
	fclose(f);
	ret = write_file_atomic(path, out, len);
	free(out);
	free(sorted);
	return ret;
}

int site_table_load(const char *path, struct site_table *t, char *why,
		    size_t whylen)
{
	char *text = read_file(path, NULL), *save = NULL;
	size_t line = 0;

	memset(t, 0, sizeof(*t));
	if (!text) {
		snprintf(why, whylen, "cannot read the site table %s", path);
		return -1;
	}
	for (char *s = strtok_r(text, "\n", &save); s;
	     s = strtok_r(NULL, "\n", &save)) {
		line++;
		if (!site_candidate(s)) {
			snprintf(why, whylen,
				 "%s:%zu: not a function name; run 'lwfuzz setup' again",
				 path, line);
			site_table_free(t);
			free(text);
			return -1;
		}
		t->names = xrealloc(t->names, (t->n + 1) * sizeof(*t->names));
		t->ids = xrealloc(t->ids, (t->n + 1) * sizeof(*t->ids));
		t->names[t->n] = xasprintf("%s", s);
		t->ids[t->n++] = site_id(s);
	}
	free(text);
	return 0;
}

void site_table_free(struct site_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->names[i]);
	free(t->names);
	free(t->ids);
	memset(t, 0, sizeof(*t));
}

const char *site_table_name(const struct site_table *t, uint32_t id)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->ids[i] == id)
			return t->names[i];
	return NULL;
}

/* This process's names: tables it loaded and names it parsed. */
static struct site_table known;

void site_know_table(const struct site_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		site_learn(t->names[i]);
}

uint32_t site_learn(const char *name)
{
	uint32_t id = site_id(name);

	if (site_table_name(&known, id))
		return id;
	known.names = xrealloc(known.names, (known.n + 1) * sizeof(*known.names));
	known.ids = xrealloc(known.ids, (known.n + 1) * sizeof(*known.ids));
	known.names[known.n] = xasprintf("%s", name);
	known.ids[known.n++] = id;
	return id;
}

const char *site_text(uint32_t id, char *buf)
{
	const char *name = site_table_name(&known, id);

	if (name)
		return name;
	snprintf(buf, SITE_NAME_MAX + 1, "site:%08" PRIx32, id);
	return buf;
}

int site_parse(const char *s, uint32_t *id)
{
	char *end;
	unsigned long v;

	if (!strncmp(s, "site:", 5)) {
		if (!isxdigit((unsigned char)s[5]))
			return -1;
		v = strtoul(s + 5, &end, 16);
		if (*end || v > UINT32_MAX || end - s != 13)
			return -1;
		*id = v;
		return 0;
	}
	if (!site_candidate(s))
		return -1;
	*id = site_learn(s);
	return 0;
}
