// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzer/fstests_export.h"
#include "lib/fsutil.h"

#define MNT "$SCRATCH_MNT/"
#define QUIET ">> $seqres.full 2>&1"

struct gen {
	FILE *f;
	const struct workload *w;
	unsigned int syncs; /* fsyncs so far: mark and sum names */
	int dsync[WL_FILES]; /* opened O_DSYNC (in program order) */
};

/* xfs_io fills with one byte; derive it from the seed, never zero. */
static unsigned int fill_byte(uint32_t seed)
{
	return 1 + seed % 255;
}

/* How many threads wait at barrier @id. */
static unsigned int parties(const struct workload *w, unsigned int id)
{
	unsigned int n = 0;

	for (unsigned int t = 0; t < w->nthreads; t++)
		for (unsigned int i = 0; i < w->threads[t].nops; i++)
			if (w->threads[t].ops[i].code == WL_BARRIER &&
			    w->threads[t].ops[i].arg == id) {
				n++;
				break;
			}
	return n;
}

/* 1 when only thread @t modifies file @file: its fsync has one writer. */
static int sole_writer(const struct workload *w, unsigned int t,
		       unsigned int file)
{
	static const unsigned int writes = 1u << WL_FALLOCATE |
					   1u << WL_PWRITE | 1u << WL_TRUNCATE |
					   1u << WL_RENAME | 1u << WL_LINK |
					   1u << WL_UNLINK | 1u << WL_OPEN;

	for (unsigned int u = 0; u < w->nthreads; u++)
		for (unsigned int i = 0; u != t && i < w->threads[u].nops;
		     i++) {
			const struct wl_op *op = &w->threads[u].ops[i];

			if ((writes >> op->code & 1) &&
			    (op->file == file ||
			     ((op->code == WL_RENAME || op->code == WL_LINK) &&
			      op->file2 == file)))
				return 0;
		}
	return 1;
}

static void xfs_io(struct gen *g, const struct wl_op *op, const char *opts,
		   const char *cmd)
{
	fprintf(g->f, "\t$XFS_IO_PROG %s-c \"%s\" " MNT "f%u " QUIET "\n", opts,
		cmd, op->file);
}

static void emit_io(struct gen *g, const struct wl_op *op)
{
	char cmd[160], opts[16];
	int direct = op->flags & IO_DIRECT;

	snprintf(opts, sizeof(opts), "-f %s%s", direct ? "-d " : "",
		 g->dsync[op->file] ? "-D " : "");
	if (op->code == WL_PWRITE)
		snprintf(cmd, sizeof(cmd), "pwrite -S 0x%02x -b 1m %u %u",
			 fill_byte(op->arg), op->off, op->len);
	else
		snprintf(cmd, sizeof(cmd), "pread -b 1m %u %u", op->off,
			 op->len);
	xfs_io(g, op, opts, cmd);
}

static void emit_falloc(struct gen *g, const struct wl_op *op)
{
	static const char *const cmd[] = { "falloc", "falloc -k", "fpunch",
					   "fzero" };
	char buf[96];

	snprintf(buf, sizeof(buf), "%s %u %u", cmd[op->flags % 4], op->off,
		 op->len);
	xfs_io(g, op, "-f ", buf);
}

static void emit_open(struct gen *g, const struct wl_op *op)
{
	unsigned int n = op->file;

	if (op->flags & OPEN_CREAT)
		fprintf(g->f, "\ttouch " MNT "f%u " QUIET "\n", n);
	if (op->flags & OPEN_NOCOW)
		fprintf(g->f, "\tchattr +C " MNT "f%u " QUIET "\n", n);
	if (op->flags & OPEN_TRUNC)
		fprintf(g->f, "\ttruncate -s 0 " MNT "f%u " QUIET "\n", n);
	g->dsync[n] = !!(op->flags & OPEN_DSYNC);
}

static void emit_sync(struct gen *g, const struct wl_op *op, unsigned int t)
{
	const char *cmd = op->code == WL_FSYNC ? "fsync" : "fdatasync";
	unsigned int k = g->syncs++;

	if (sole_writer(g->w, t, op->file))
		fprintf(g->f, "\tlwfuzz_sync %s f%u %u\n", cmd, op->file, k);
	else
		fprintf(g->f,
			"\t$XFS_IO_PROG -c %s " MNT "f%u " QUIET
			"\t# other threads write f%u: no content to promise\n",
			cmd, op->file, op->file);
}

static void emit_op(struct gen *g, const struct wl_op *op, unsigned int t)
{
	unsigned int a = op->file, b = op->file2;

	switch (op->code) {
	case WL_OPEN:
		emit_open(g, op);
		break;
	case WL_CLOSE:
		fprintf(g->f, "\t: close f%u\n", a);
		break;
	case WL_FALLOCATE:
		emit_falloc(g, op);
		break;
	case WL_PWRITE:
	case WL_PREAD:
		emit_io(g, op);
		break;
	case WL_FSYNC:
	case WL_FDATASYNC:
		emit_sync(g, op, t);
		break;
	case WL_SYNC:
		fprintf(g->f, "\tsync\n");
		break;
	case WL_TRUNCATE:
		fprintf(g->f, "\ttruncate -s %u " MNT "f%u " QUIET "\n",
			op->len, a);
		break;
	case WL_RENAME:
		fprintf(g->f, "\tmv " MNT "f%u " MNT "f%u " QUIET "\n", a, b);
		break;
	case WL_LINK:
		fprintf(g->f, "\tln " MNT "f%u " MNT "f%u " QUIET "\n", a, b);
		break;
	case WL_UNLINK:
		fprintf(g->f, "\trm -f " MNT "f%u\n", a);
		break;
	case WL_MKDIR:
		fprintf(g->f, "\tmkdir -p " MNT "d%u\n", a);
		break;
	case WL_SUBVOL:
		fprintf(g->f,
			"\t$BTRFS_UTIL_PROG subvolume create " MNT "s%u " QUIET
			"\n",
			a);
		break;
	case WL_SNAPSHOT:
		fprintf(g->f,
			"\t$BTRFS_UTIL_PROG subvolume snapshot $SCRATCH_MNT " MNT
			"s%u " QUIET "\n",
			a);
		break;
	case WL_TOUCH:
		fprintf(g->f, "\ttouch -c " MNT "f%u\n", a);
		break;
	case WL_MARK:
		fprintf(g->f, "\t_log_writes_mark op_mark_%u\n", op->arg);
		break;
	case WL_SLEEP:
		fprintf(g->f, "\tsleep %u.%03u\n", op->arg / 1000,
			op->arg % 1000);
		break;
	case WL_BARRIER:
		fprintf(g->f, "\tlwfuzz_barrier %u %u\n", op->arg,
			parties(g->w, op->arg));
		break;
	}
}

static void emit_header(FILE *f, const struct fstests_info *i,
			const struct workload *w)
{
	fprintf(f,
		"#! /bin/bash\n"
		"# SPDX-License-Identifier: GPL-2.0\n"
		"#\n"
		"# FS QA Test %s\n"
		"#\n"
		"# Written by `lwfuzz export-fstests` from a crash-consistency finding.\n",
		i->name);
	if (i->signature)
		fprintf(f, "# Finding: %s\n", i->signature);
	if (i->first_failure)
		fprintf(f, "# First failing crash state (lwfuzz's log): %s\n",
			i->first_failure);
	fprintf(f,
		"#\n"
		"# %u thread(s) of file operations run on btrfs over dm-log-writes;\n"
		"# each fsync that returned marks the log. The log is then replayed to\n"
		"# every FUA write and every such mark: mount (log replay), read every\n"
		"# file, compare each fsynced file with its content when its fsync\n"
		"# returned, unmount, btrfs check.\n"
		"#\n"
		". ./common/preamble\n"
		"_begin_fstest auto log metadata recoveryloop\n\n"
		"_cleanup()\n{\n\tcd /\n\t_log_writes_cleanup &> /dev/null\n"
		"\trm -rf $tmp.*\n}\n\n"
		". ./common/filter\n"
		". ./common/dmlogwrites\n\n"
		"_supported_fs btrfs\n"
		"_require_scratch\n"
		"_require_log_writes\n"
		"_require_xfs_io_command \"falloc\"\n"
		"_require_xfs_io_command \"fpunch\"\n"
		"_require_xfs_io_command \"fzero\"\n\n",
		w->nthreads);
}

/* Barriers, promises and the checks, as shell functions. */
static void emit_helpers(FILE *f)
{
	fputs("# lwfuzz_barrier ID PARTIES: wait until PARTIES threads arrived.\n"
	      "lwfuzz_barrier()\n{\n"
	      "\tmkdir -p $tmp.barrier.$1\n"
	      "\ttouch $tmp.barrier.$1/$BASHPID\n"
	      "\twhile [ $(ls $tmp.barrier.$1 | wc -l) -lt $2 ]; do\n"
	      "\t\tsleep 0.01\n\tdone\n}\n\n"
	      "# lwfuzz_sync fsync|fdatasync FILE K: once it returned, FILE's content\n"
	      "# is promised; mark the log synced_K.\n"
	      "lwfuzz_sync()\n{\n"
	      "\t$XFS_IO_PROG -c $1 $SCRATCH_MNT/$2 >> $seqres.full 2>&1 || return\n"
	      "\techo $2 > $tmp.file.$3\n"
	      "\tmd5sum < $SCRATCH_MNT/$2 > $tmp.sum.$3\n"
	      "\t_log_writes_mark synced_$3\n}\n\n"
	      "# lwfuzz_check [K]: mount the replayed device, read every file,\n"
	      "# compare promise K's file, unmount, btrfs check.\n"
	      "lwfuzz_check()\n{\n"
	      "\t_scratch_mount\n"
	      "\tfind $SCRATCH_MNT -type f -exec cat {} + > /dev/null\n"
	      "\tif [ -n \"$1\" ]; then\n"
	      "\t\tf=$(cat $tmp.file.$1)\n"
	      "\t\tif ! md5sum < $SCRATCH_MNT/$f | cmp -s - $tmp.sum.$1; then\n"
	      "\t\t\techo \"$f differs from its content when fsync $1 returned\"\n"
	      "\t\tfi\n\tfi\n"
	      "\t_scratch_unmount\n"
	      "\t_check_scratch_fs\n}\n\n",
	      f);
}

static void emit_replay(FILE *f)
{
	fputs("_log_writes_unmount\n"
	      "_log_writes_remove\n\n"
	      "# Every FUA write (log commits, super blocks) ...\n"
	      "cur=$(_log_writes_find_next_fua 0)\n"
	      "while [ -n \"$cur\" ]; do\n"
	      "\t_log_writes_replay_log_range $cur $SCRATCH_DEV >> $seqres.full\n"
	      "\tlwfuzz_check\n"
	      "\tcur=$(_log_writes_find_next_fua $(($cur + 1)))\n"
	      "done\n\n"
	      "# ... and the moment each fsync returned.\n"
	      "for sum in $(ls $tmp.sum.* 2>/dev/null); do\n"
	      "\tk=${sum##*.}\n"
	      "\t_log_writes_replay_log synced_$k $SCRATCH_DEV >> $seqres.full\n"
	      "\tlwfuzz_check $k\n"
	      "done\n\n"
	      "echo \"Silence is golden\"\n"
	      "status=0\n"
	      "exit\n",
	      f);
}

char *fstests_script(const struct workload *w, const struct fstests_info *i)
{
	struct gen g = { .w = w };
	char *text = NULL;
	size_t len = 0;

	g.f = open_memstream(&text, &len);
	if (!g.f)
		return NULL;
	emit_header(g.f, i, w);
	emit_helpers(g.f);
	fputs("_log_writes_init $SCRATCH_DEV\n"
	      "_log_writes_mkfs >> $seqres.full 2>&1\n"
	      "_log_writes_mount\n\n",
	      g.f);
	if (i->delay_ms >= 0)
		fprintf(g.f,
			"# The test bed's knob that widens the race window.\n"
			"knob=/sys/module/btrfs/parameters/dio_race_delay_ms\n"
			"[ -w $knob ] && echo %d > $knob\n\n",
			i->delay_ms);
	for (unsigned int t = 0; t < w->nthreads; t++) {
		fprintf(g.f, "thread_%u()\n{\n", t);
		for (unsigned int k = 0; k < w->threads[t].nops; k++)
			emit_op(&g, &w->threads[t].ops[k], t);
		fprintf(g.f, "\t:\n}\n\n");
	}
	for (unsigned int t = 0; t < w->nthreads; t++)
		fprintf(g.f, "thread_%u &\n", t);
	fprintf(g.f, "wait\n\n");
	if (i->delay_ms >= 0)
		fprintf(g.f, "[ -w $knob ] && echo 0 > $knob\n");
	emit_replay(g.f);
	fclose(g.f);
	return text;
}

char *fstests_golden(const struct fstests_info *i)
{
	return xasprintf("QA output created by %s\nSilence is golden\n",
			 i->name);
}
