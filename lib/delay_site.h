/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Delay sites: the functions of btrfs.ko a workload's "delay" can stop a
 * thread at. A workload names a site by a 32-bit id, the hash of the
 * function's name, so the binary form stays fixed-size and a workload keeps
 * its meaning on any btrfs.ko that has a function of that name (another
 * variant, another kernel series).
 *
 * The site table is a file of function names, one per line, that setup
 * writes for each variant from its btrfs.ko (every function in a .text
 * section but lwfuzz's own and compiler-split cold parts) and the guest
 * finds in its initramfs; this file writes and reads it.
 *
 * Text forms need a name for an id: this process's known names are the
 * loaded table's and every name the text parser has met
 * (site_learn). An id no one knows prints as "site:1a2b3c4d".
 */
#ifndef LWFUZZ_DELAY_SITE_H
#define LWFUZZ_DELAY_SITE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SITE_NAME_MAX 127 /* bytes of a name (lib/lwfuzz_kmod.h fits it) */
/* Where the guest finds its variant's table. */
#define SITE_TABLE_GUEST "/lib/lwfuzz/sites"

struct site_table {
	char **names;
	uint32_t *ids; /* ids[i] is site_id(names[i]) */
	size_t n;
};

uint32_t site_id(const char *name);
/* 1 when a function of that name is a site (see above), else 0. */
int site_candidate(const char *name);

/* Load a table; -1 with the reason in @why. */
int site_table_load(const char *path, struct site_table *t, char *why,
		    size_t whylen);
/* Write @names (n of them) that are candidates as a table, atomically. */
int site_table_write(const char *path, char *const *names, size_t n);
void site_table_free(struct site_table *t);
/* The name of @id in @t, or NULL. */
const char *site_table_name(const struct site_table *t, uint32_t id);

/* This process's names: every name of @t (kept until exit). */
void site_know_table(const struct site_table *t);
/* Remember @name; its id. */
uint32_t site_learn(const char *name);
/* The text of @id: its name, or "site:%08x" (@buf of SITE_NAME_MAX + 1). */
const char *site_text(uint32_t id, char *buf);
/* "btrfs_sync_log" or "site:1a2b3c4d" -> id; -1 when malformed. */
int site_parse(const char *s, uint32_t *id);

#endif
