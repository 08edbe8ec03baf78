// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "vm/qemu_cmdline.h"

/*
 * panic=-1 with -no-reboot turns a panic into a QEMU exit the host sees at
 * once; oops=panic does the same for an oops, which would otherwise leave a
 * half-dead file system to time out on. mitigations=off because speculative
 * execution defences only cost time under TCG.
 */
const char vm_base_append[] =
	"console=ttyS0 panic=-1 oops=panic mitigations=off loglevel=4 "
	"rdinit=/init i8042.noaux i8042.nokbd i8042.nopnp tsc=reliable";

struct argv_buf {
	char **v;
	size_t n;
};

static void add(struct argv_buf *a, char *s)
{
	char **nv = realloc(a->v, (a->n + 2) * sizeof(char *));

	if (!nv)
		abort();
	a->v = nv;
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

static void add2(struct argv_buf *a, const char *opt, char *val)
{
	add(a, xasprintf("%s", opt));
	add(a, val);
}

/* QEMU's option parser splits on commas; a literal comma is doubled. */
static char *qemu_escape(const char *s)
{
	size_t n = strlen(s), extra = 0;

	for (size_t i = 0; i < n; i++)
		extra += s[i] == ',';
	char *out = malloc(n + extra + 1), *p = out;

	if (!out)
		abort();
	for (size_t i = 0; i < n; i++) {
		*p++ = s[i];
		if (s[i] == ',')
			*p++ = ',';
	}
	*p = '\0';
	return out;
}

static void add_disk(struct argv_buf *a, const struct vm_disk *d, size_t i)
{
	char *path = qemu_escape(d->path);

	/* Discards and zeroing punch holes in the image: replaying a log's
	 * whole-device discard costs nothing and images stay sparse. */
	add2(a, "-drive",
	     xasprintf("file=%s,format=raw,if=none,id=d%zu,cache=unsafe,"
		       "discard=unmap,detect-zeroes=unmap%s",
		       path, i, d->readonly ? ",readonly=on" : ""));
	add2(a, "-device",
	     xasprintf("virtio-blk-pci,drive=d%zu,serial=%s,discard=on,"
		       "write-zeroes=on",
		       i, d->serial));
	free(path);
}

char **qemu_argv(const struct vm_config *cfg)
{
	struct argv_buf a = { 0 };
	char *path;

	if (!cfg->kernel || !cfg->initrd || !cfg->console_path)
		return NULL;
	add(&a, xasprintf("%s", cfg->qemu ? cfg->qemu : "qemu-system-x86_64"));
	add2(&a, "-machine", xasprintf("q35"));
	if (cfg->accel == VM_ACCEL_KVM) {
		add2(&a, "-accel", xasprintf("kvm"));
		add2(&a, "-cpu", xasprintf("host"));
	} else {
		add2(&a, "-accel", xasprintf("tcg,thread=multi"));
		add2(&a, "-cpu", xasprintf("max"));
	}
	add2(&a, "-smp", xasprintf("%u", cfg->cpus ? cfg->cpus : 2));
	add2(&a, "-m", xasprintf("%u", cfg->mem_mb ? cfg->mem_mb : 1024));
	add(&a, xasprintf("-nodefaults"));
	add(&a, xasprintf("-no-reboot"));
	add2(&a, "-display", xasprintf("none"));
	add2(&a, "-kernel", xasprintf("%s", cfg->kernel));
	add2(&a, "-initrd", xasprintf("%s", cfg->initrd));
	add2(&a, "-append",
	     cfg->append && *cfg->append
		     ? xasprintf("%s %s", vm_base_append, cfg->append)
		     : xasprintf("%s", vm_base_append));
	path = qemu_escape(cfg->console_path);
	add2(&a, "-chardev", xasprintf("file,id=con,path=%s", path));
	free(path);
	add2(&a, "-serial", xasprintf("chardev:con"));
	add2(&a, "-chardev",
	     xasprintf("file,id=out,path=/proc/self/fd/%d", cfg->output_fd));
	add2(&a, "-serial", xasprintf("chardev:out"));
	if (cfg->ctl_socket) {
		/* A server socket the host connects to, one client at a time:
		 * the guest's requests channel (ttyS2). */
		path = qemu_escape(cfg->ctl_socket);
		add2(&a, "-chardev",
		     xasprintf("socket,id=ctl,path=%s,server=on,wait=off",
			       path));
		free(path);
		add2(&a, "-serial", xasprintf("chardev:ctl"));
	}
	for (size_t i = 0; i < cfg->ndisks; i++)
		add_disk(&a, &cfg->disks[i], i);
	return a.v;
}

void qemu_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}
