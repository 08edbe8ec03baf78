// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/cpio.h"
#include "lib/fsutil.h"
#include "lib/hash.h"
#include "setup/initramfs.h"
#include "lib/spawn.h"

enum ifs_kind { IFS_FILE, IFS_DATA, IFS_SYMLINK, IFS_DIR };

struct ifs_entry {
	enum ifs_kind kind;
	char *name;
	char *src; /* host path, symlink target, or data */
	size_t len;
	unsigned int mode;
};

struct ifs_list {
	struct ifs_entry *e;
	size_t n;
};

struct ifs_list *ifs_new(void)
{
	struct ifs_list *l = calloc(1, sizeof(*l));

	if (!l)
		abort();
	return l;
}

void ifs_free(struct ifs_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->e[i].name);
		free(l->e[i].src);
	}
	free(l->e);
	free(l);
}

static int has(const struct ifs_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->e[i].name, name))
			return 1;
	return 0;
}

static void add(struct ifs_list *l, enum ifs_kind kind, const char *name,
		const char *src, size_t len, unsigned int mode)
{
	struct ifs_entry *e;

	/* Names are archive-relative: "/bin/x" and "bin/x" are one. */
	while (*name == '/')
		name++;
	if (has(l, name))
		return;
	l->e = realloc(l->e, (l->n + 1) * sizeof(*l->e));
	if (!l->e)
		abort();
	e = &l->e[l->n++];
	e->kind = kind;
	e->name = xasprintf("%s", name);
	e->src = malloc(len + 1);
	if (!e->src)
		abort();
	memcpy(e->src, src, len);
	e->src[len] = '\0';
	e->len = len;
	e->mode = mode;
}

void ifs_add_file(struct ifs_list *l, const char *name, const char *host,
		  unsigned int mode)
{
	add(l, IFS_FILE, name, host, strlen(host), mode);
}

void ifs_add_data(struct ifs_list *l, const char *name, const void *buf,
		  size_t len, unsigned int mode)
{
	add(l, IFS_DATA, name, buf, len, mode);
}

void ifs_add_symlink(struct ifs_list *l, const char *name, const char *target)
{
	add(l, IFS_SYMLINK, name, target, strlen(target), 0777);
}

void ifs_add_dir(struct ifs_list *l, const char *name)
{
	add(l, IFS_DIR, name, "", 0, 0755);
}

const char *ldd_next_path(const char **pos, char *buf, size_t len)
{
	const char *p = *pos;

	while (p && *p) {
		const char *end = strchr(p, '\n');
		size_t llen = end ? (size_t)(end - p) : strlen(p);
		const char *slash = memchr(p, '/', llen);

		*pos = end ? end + 1 : p + llen;
		if (slash) {
			size_t n = strcspn(slash, " \t\n(");

			if (n < len) {
				memcpy(buf, slash, n);
				buf[n] = '\0';
				return buf;
			}
		}
		p = *pos;
	}
	return NULL;
}

int ifs_add_binary(struct ifs_list *l, const char *host)
{
	char *argv[] = { "ldd", (char *)host, NULL };
	char *out, lib[4096];
	const char *pos;
	int st;

	ifs_add_file(l, host, host, 0755);
	st = spawn_capture(argv, &out);
	/* ldd fails on static binaries: they need nothing. */
	if (out && strstr(out, "not a dynamic executable")) {
		free(out);
		return 0;
	}
	if (st || !out || strstr(out, "not found")) {
		free(out);
		return -1;
	}
	pos = out;
	while (ldd_next_path(&pos, lib, sizeof(lib)))
		ifs_add_file(l, lib, lib, 0755);
	free(out);
	return 0;
}

uint64_t ifs_key(const struct ifs_list *l, uint64_t h)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct ifs_entry *e = &l->e[i];
		struct stat st;

		h = hash_str(h, e->name);
		h = hash_bytes(h, e->src, e->len);
		h = hash_bytes(h, &e->mode, sizeof(e->mode));
		if (e->kind == IFS_FILE && stat(e->src, &st) == 0) {
			h = hash_bytes(h, &st.st_size, sizeof(st.st_size));
			h = hash_bytes(h, &st.st_mtim, sizeof(st.st_mtim));
		}
	}
	return h;
}

/* The kernel will not create a file whose directory is not there yet. */
static int write_parents(struct cpio_writer *w, const char *name,
			 struct ifs_list *done)
{
	char *dir = xasprintf("%s", name);
	int ret = 0;

	for (char *p = strchr(dir, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (!has(done, dir)) {
			ifs_add_dir(done, dir);
			ret = cpio_add_dir(w, dir, 0755);
		}
		*p = '/';
		if (ret)
			break;
	}
	free(dir);
	return ret;
}

static int write_entry(struct cpio_writer *w, const struct ifs_entry *e)
{
	switch (e->kind) {
	case IFS_FILE:
		return cpio_add_file(w, e->name, e->src, e->mode);
	case IFS_DATA:
		return cpio_add_data(w, e->name, e->mode, e->src, e->len);
	case IFS_SYMLINK:
		return cpio_add_symlink(w, e->name, e->src);
	case IFS_DIR:
		return cpio_add_dir(w, e->name, e->mode);
	}
	return -1;
}

int ifs_write(const struct ifs_list *l, int fd)
{
	struct ifs_list *done = ifs_new();
	struct cpio_writer w;
	int ret = 0;

	cpio_writer_init(&w, fd);
	for (size_t i = 0; i < l->n && !ret; i++) {
		const struct ifs_entry *e = &l->e[i];

		ret = write_parents(&w, e->name, done);
		if (!ret && !(e->kind == IFS_DIR && has(done, e->name))) {
			ifs_add_dir(done, e->name);
			ret = write_entry(&w, e);
		}
	}
	if (!ret)
		ret = cpio_finish(&w);
	ifs_free(done);
	if (ret && w.err)
		errno = w.err;
	return ret;
}
