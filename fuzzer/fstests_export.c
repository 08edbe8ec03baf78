// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzer/fstests_export.h"
#include "lib/delay_site.h"
#include "lib/fsutil.h"

#define MNT "$SCRATCH_MNT/"
#define QUIET ">> $seqres.full 2>&1"

struct gen {
	FILE *f;
	const struct workload *w;
	unsigned int syncs; /* fsyncs so far: mark and sum names */
	uint8_t *osync; /* per path: opened O_DSYNC (1) or O_SYNC (2) */
	const char *unsupported; /* an operation with no shell form */
	int shared; /* more than one thread: changes are bracketed */
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

/* A path as a word for the helpers' file names: "d0/f1" -> "d0_f1". */
static const char *path_key(uint16_t path, char *buf)
{
	wl_path_text(path, buf);
	for (char *c = buf; *c; c++)
		if (*c == '/')
			*c = '_';
	return buf;
}

/* " d0_f1 d0": @path and the directories above it (not the top). */
static void emit_keys(struct gen *g, uint16_t path)
{
	char key[WL_PATH_TEXT];

	for (uint16_t p = path; p != WL_PATH_TOP; p = wl_path_parent(p))
		fprintf(g->f, " %s", path_key(p, key));
}

/*
 * In a workload of several threads every change is bracketed by
 * lwfuzz_begin/lwfuzz_end with the paths it changes, so an fsync can tell
 * whether another thread changed its file while it ran.
 */
static void emit_bracket(struct gen *g, const struct wl_op *op, int end)
{
	unsigned int use = wl_fields(op->code);
	char key[WL_PATH_TEXT];

	if (!g->shared || (!wl_op_changes(op, op->path) && !wl_op_changes(op, op->path2)))
		return;
	fprintf(g->f, "	lwfuzz_%s", end ? "end" : "begin");
	if (use & WL_F_PATH)
		fprintf(g->f, " %s", path_key(op->path, key));
	if (use & WL_F_PATH2)
		fprintf(g->f, " %s", path_key(op->path2, key));
	fputc('\n', g->f);
}

/* "$SCRATCH_MNT/d0/f1" */
static const char *mnt_path(uint16_t path, char *buf, size_t len)
{
	char text[WL_PATH_TEXT];

	snprintf(buf, len, MNT "%s", wl_path_text(path, text));
	return buf;
}

static void xfs_io(struct gen *g, uint16_t path, const char *opts,
		   const char *cmd)
{
	char p[64];

	fprintf(g->f, "\t$XFS_IO_PROG %s-c \"%s\" %s " QUIET "\n", opts, cmd,
		mnt_path(path, p, sizeof(p)));
}

static const char *sync_opt(const struct gen *g, uint16_t path)
{
	return g->osync[path] == 2 ? "-s " : g->osync[path] ? "-D " : "";
}

static void emit_io(struct gen *g, const struct wl_op *op)
{
	char cmd[160], opts[16];
	int direct = op->flags & IO_DIRECT;

	snprintf(opts, sizeof(opts), "-f %s%s", direct ? "-d " : "",
		 sync_opt(g, op->path));
	if (op->code == WL_PWRITE)
		snprintf(cmd, sizeof(cmd), "pwrite -S 0x%02x -b 1m %u %u",
			 fill_byte(op->arg), op->off, op->len);
	else
		snprintf(cmd, sizeof(cmd), "pread -b 1m %u %u", op->off,
			 op->len);
	xfs_io(g, op->path, opts, cmd);
}

static void emit_mwrite(struct gen *g, const struct wl_op *op)
{
	char p[64];

	fprintf(g->f,
		"\t$XFS_IO_PROG -c \"mmap -rw %u %u\" -c \"mwrite -S 0x%02x %u %u\"%s %s " QUIET
		"\n",
		op->off, op->len, fill_byte(op->arg), op->off, op->len,
		op->flags & MWRITE_MSYNC ? " -c \"msync -s\"" : "",
		mnt_path(op->path, p, sizeof(p)));
}

static void emit_falloc(struct gen *g, const struct wl_op *op)
{
	static const char *const cmd[FALLOC_MODES] = {
		"falloc",   "falloc -k", "fpunch", "fzero",
		"fzero -k", "fcollapse", "finsert"
	};
	char buf[96];

	snprintf(buf, sizeof(buf), "%s %u %u", cmd[op->flags % FALLOC_MODES],
		 op->off, op->len);
	xfs_io(g, op->path, "-f ", buf);
}

static void emit_open(struct gen *g, const struct wl_op *op)
{
	char p[64];

	mnt_path(op->path, p, sizeof(p));
	if (op->flags & OPEN_CREAT)
		fprintf(g->f, "\ttouch %s " QUIET "\n", p);
	if (op->flags & OPEN_NOCOW)
		fprintf(g->f, "\tchattr +C %s " QUIET "\n", p);
	if (op->flags & OPEN_TRUNC)
		fprintf(g->f, "\ttruncate -s 0 %s " QUIET "\n", p);
	g->osync[op->path] = op->flags & OPEN_SYNC  ? 2 :
			     op->flags & OPEN_DSYNC ? 1 :
						      0;
}

static void emit_sync(struct gen *g, const struct wl_op *op)
{
	const char *cmd = op->code == WL_FSYNC ? "fsync" : "fdatasync";
	char text[WL_PATH_TEXT];

	fprintf(g->f, "\tlwfuzz_sync %s %s %u", cmd,
		wl_path_text(op->path, text), g->syncs++);
	if (g->shared)
		emit_keys(g, op->path);
	fputc('\n', g->f);
}

static void emit_two(struct gen *g, const char *cmd, const struct wl_op *op)
{
	char a[64], b[64];

	fprintf(g->f, "\t%s %s %s " QUIET "\n", cmd,
		mnt_path(op->path, a, sizeof(a)),
		mnt_path(op->path2, b, sizeof(b)));
}

static void emit_one(struct gen *g, const char *cmd, uint16_t path)
{
	char p[64];

	fprintf(g->f, "\t%s %s " QUIET "\n", cmd, mnt_path(path, p, sizeof(p)));
}

static void emit_names(struct gen *g, const struct wl_op *op)
{
	static const char *const rename_cmd[] = {
		"$here/src/renameat2", "$here/src/renameat2 -x",
		"$here/src/renameat2 -n"
	};
	char text[WL_PATH_TEXT], p[64], buf[160];

	switch (op->code) {
	case WL_RENAME:
		emit_two(g, rename_cmd[op->flags % 3], op);
		break;
	case WL_LINK:
		emit_two(g, "ln", op);
		break;
	case WL_UNLINK:
		emit_one(g, "rm -f", op->path);
		break;
	case WL_MKDIR:
		emit_one(g, "mkdir", op->path);
		break;
	case WL_RMDIR:
		emit_one(g, "rmdir", op->path);
		break;
	case WL_SYMLINK:
		fprintf(g->f, "\tln -s %s %s " QUIET "\n",
			wl_path_text(op->path, text),
			mnt_path(op->path2, p, sizeof(p)));
		break;
	case WL_SETXATTR:
		snprintf(buf, sizeof(buf),
			 "$SETFATTR_PROG -n user.x%u -v \"$(head -c %u /dev/zero | tr '\\\\0' x)\"",
			 op->flags, op->len);
		emit_one(g, buf, op->path);
		break;
	case WL_REMOVEXATTR:
		snprintf(buf, sizeof(buf), "$SETFATTR_PROG -x user.x%u",
			 op->flags);
		emit_one(g, buf, op->path);
		break;
	case WL_CHMOD:
		snprintf(buf, sizeof(buf), "chmod %o", op->arg);
		emit_one(g, buf, op->path);
		break;
	case WL_SUBVOL:
		emit_one(g, "$BTRFS_UTIL_PROG subvolume create", op->path);
		break;
	case WL_SNAPSHOT:
		emit_one(g, "$BTRFS_UTIL_PROG subvolume snapshot $SCRATCH_MNT",
			 op->path);
		break;
	}
}

static void emit_clone(struct gen *g, const struct wl_op *op)
{
	char src[64], cmd[160];

	mnt_path(op->path, src, sizeof(src));
	if (op->code == WL_CLONE)
		snprintf(cmd, sizeof(cmd), "reflink %s %u %u %u", src, op->off,
			 op->arg, op->len);
	else
		snprintf(cmd, sizeof(cmd), "copy_range -s %u -d %u -l %u %s",
			 op->off, op->arg, op->len, src);
	xfs_io(g, op->path2, "", cmd);
}

static void emit_op(struct gen *g, const struct wl_op *op)
{
	char text[WL_PATH_TEXT], buf[96];

	switch (op->code) {
	case WL_OPEN:
		emit_open(g, op);
		break;
	case WL_CLOSE:
		fprintf(g->f, "\t: close %s\n", wl_path_text(op->path, text));
		break;
	case WL_FALLOCATE:
		emit_falloc(g, op);
		break;
	case WL_PWRITE:
	case WL_PREAD:
		emit_io(g, op);
		break;
	case WL_MWRITE:
		emit_mwrite(g, op);
		break;
	case WL_FSYNC:
	case WL_FDATASYNC:
		emit_sync(g, op);
		break;
	case WL_SYNC_RANGE:
		snprintf(buf, sizeof(buf), "sync_range -b -w -a %u %u", op->off,
			 op->len);
		xfs_io(g, op->path, "", buf);
		break;
	case WL_SYNC:
		fprintf(g->f, "\tsync\n");
		break;
	case WL_SYNCFS:
		fprintf(g->f, "\t$XFS_IO_PROG -c syncfs $SCRATCH_MNT\n");
		break;
	case WL_TRUNCATE:
		snprintf(buf, sizeof(buf), "truncate -s %u", op->len);
		emit_one(g, buf, op->path);
		break;
	case WL_CLONE:
	case WL_COPY_RANGE:
		emit_clone(g, op);
		break;
	case WL_TMPFILE:
	case WL_LINKAT:
		/* xfs_io's O_TMPFILE lives one invocation: no shell form. */
		if (!g->unsupported)
			g->unsupported = wl_code_name(op->code);
		break;
	case WL_TOUCH:
		emit_one(g, "touch -c", op->path);
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
	case WL_DELAY: {
		char site[SITE_NAME_MAX + 1];

		/* Without lwfuzz.ko the scratch device's writes wait instead. */
		fprintf(g->f,
			"\t# lwfuzz delay plan (needs lwfuzz.ko; dm-delay stands in): %u ms at %s, hit %u\n",
			op->len, site_text(op->arg, site), op->off);
		break;
	}
	default:
		emit_names(g, op);
	}
}

static void emit_header(FILE *f, const struct fstests_info *i,
			const struct workload *w, unsigned int delay)
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
		"# each fsync that returned marks the log. It promises its file's\n"
		"# content when no other thread changed the file (or a directory\n"
		"# above it) while it ran. The log is then replayed, in log order, to\n"
		"# every FUA write and every such mark: mount (log replay), read every\n"
		"# file, compare each promised file with its content when its fsync\n"
		"# returned, unmount, btrfs check.\n"
		"#\n"
		". ./common/preamble\n"
		"_begin_fstest auto log metadata recoveryloop\n\n"
		"_cleanup()\n{\n\tcd /\n\t_log_writes_cleanup &> /dev/null\n",
		w->nthreads);
	if (delay)
		fputs("\t$DMSETUP_PROG remove lwfuzz-delay &> /dev/null\n", f);
	fputs("\trm -rf $tmp.*\n}\n\n"
	      ". ./common/filter\n"
	      ". ./common/dmlogwrites\n\n"
	      "_supported_fs btrfs\n"
	      "_require_scratch\n"
	      "_require_log_writes\n",
	      f);
	if (delay)
		fputs("_require_dm_target delay\n", f);
	fputs("_require_xfs_io_command \"falloc\"\n"
	      "_require_xfs_io_command \"fpunch\"\n"
	      "_require_xfs_io_command \"fzero\"\n"
	      "_require_attrs\n\n",
	      f);
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
	      "# lwfuzz_begin KEY... / lwfuzz_end KEY...: a change of these paths\n"
	      "# (d0_f1 for d0/f1) is running / has ended.\n"
	      "lwfuzz_begin()\n{\n"
	      "\tlocal k\n"
	      "\tlwfuzz_op=$((lwfuzz_op + 1))\n"
	      "\tfor k; do\n"
	      "\t\t: > $tmp.busy.$k.$BASHPID.$lwfuzz_op\n"
	      "\tdone\n}\n\n"
	      "lwfuzz_end()\n{\n"
	      "\tlocal k\n"
	      "\tfor k; do\n"
	      "\t\techo >> $tmp.gen.$k\n"
	      "\t\trm -f $tmp.busy.$k.$BASHPID.$lwfuzz_op\n"
	      "\tdone\n}\n\n"
	      "# lwfuzz_state KEY...: \"busy\" while a change of one of these paths\n"
	      "# runs, else how many have ended.\n"
	      "lwfuzz_state()\n{\n"
	      "\tlocal k\n"
	      "\tfor k; do\n"
	      "\t\tcompgen -G \"$tmp.busy.$k.*\" > /dev/null && echo busy && return\n"
	      "\tdone\n"
	      "\tfor k; do\n"
	      "\t\tcat $tmp.gen.$k 2> /dev/null\n"
	      "\tdone | wc -l\n}\n\n"
	      "# lwfuzz_sync fsync|fdatasync FILE K [KEY...]: once it returned, FILE's\n"
	      "# content is promised (log mark synced_K), unless another thread\n"
	      "# changed FILE or a directory above it (the KEYs) while the fsync ran\n"
	      "# or before its promise was taken: lwfuzz's rule, a promise is made\n"
	      "# only about what nobody changed during the durability point.\n"
	      "lwfuzz_sync()\n{\n"
	      "\tlocal cmd=$1 f=$2 k=$3 before sum\n"
	      "\tshift 3\n"
	      "\tbefore=$(lwfuzz_state \"$@\")\n"
	      "\t$XFS_IO_PROG -c $cmd $SCRATCH_MNT/$f >> $seqres.full 2>&1 || return\n"
	      "\t[ -f $SCRATCH_MNT/$f ] || return\n"
	      "\tsum=$(md5sum < $SCRATCH_MNT/$f)\n"
	      "\t_log_writes_mark synced_$k\n"
	      "\tif [ $before = busy ] || [ $(lwfuzz_state \"$@\") != $before ]; then\n"
	      "\t\techo \"$cmd $k of $f: another thread changed it meanwhile; no promise\" >> $seqres.full\n"
	      "\t\treturn\n\tfi\n"
	      "\techo $f > $tmp.file.$k\n"
	      "\techo \"$sum\" > $tmp.sum.$k\n}\n\n"
	      "# lwfuzz_check [K]: mount the replayed device, read every file,\n"
	      "# compare promise K's file, unmount, btrfs check.\n"
	      "lwfuzz_check()\n{\n"
	      "\t_scratch_mount\n"
	      "\tfind $SCRATCH_MNT -type f -exec cat {} + > /dev/null\n"
	      "\tif [ -n \"$1\" ]; then\n"
	      "\t\tf=$(cat $tmp.file.$1)\n"
	      "\t\tif [ ! -f $SCRATCH_MNT/$f ]; then\n"
	      "\t\t\techo \"$f is missing after fsync $1 returned\"\n"
	      "\t\telif ! md5sum < $SCRATCH_MNT/$f | cmp -s - $tmp.sum.$1; then\n"
	      "\t\t\techo \"$f differs from its content when fsync $1 returned\"\n"
	      "\t\tfi\n\tfi\n"
	      "\t_scratch_unmount\n"
	      "\t_check_scratch_fs\n}\n\n",
	      f);
}

/*
 * A workload with lwfuzz delay plans: its stall inside btrfs becomes
 * every write of the scratch device waiting @ms ms (dm-delay under
 * dm-log-writes), during the workload only.
 */
static void emit_delay_dev(FILE *f, unsigned int ms)
{
	fprintf(f,
		"# The finding ran with lwfuzz delay plans (lwfuzz.ko stalls a thread\n"
		"# inside btrfs). Here every write of the scratch device waits %u ms\n"
		"# during the workload instead (dm-delay under dm-log-writes): a log\n"
		"# commit then takes longer than another thread's wait, the same kind\n"
		"# of window. dm-log-writes logs a write when it completes and a mark\n"
		"# at once, so the log order is what the kernel promised when.\n"
		"lwfuzz_delay_size=$(blockdev --getsz $SCRATCH_DEV)\n"
		"lwfuzz_delay()\n{\n"
		"\tlocal t=\"0 $lwfuzz_delay_size delay $SCRATCH_DEV 0 0 $SCRATCH_DEV 0 $1\"\n"
		"\t$DMSETUP_PROG suspend lwfuzz-delay &&\n"
		"\t$DMSETUP_PROG load lwfuzz-delay --table \"$t\" &&\n"
		"\t$DMSETUP_PROG resume lwfuzz-delay || _fail \"cannot set the write delay\"\n"
		"}\n"
		"$DMSETUP_PROG create lwfuzz-delay --table \\\n"
		"\t\"0 $lwfuzz_delay_size delay $SCRATCH_DEV 0 0\" || _fail \"no dm-delay device\"\n"
		"_log_writes_init /dev/mapper/lwfuzz-delay\n",
		ms);
}

static void emit_replay(FILE *f, int delayed)
{
	fputs("_log_writes_unmount\n"
	      "_log_writes_remove\n", f);
	if (delayed)
		fputs("$DMSETUP_PROG remove lwfuzz-delay\n", f);
	fputs("\n# The crash points in log order: every FUA write (log commits, super\n"
	      "# blocks) and the moment each promised fsync returned.\n"
	      "cur=$(_log_writes_find_next_fua 0)\n"
	      "while [ -n \"$cur\" ]; do\n"
	      "\techo $cur >> $tmp.points\n"
	      "\tcur=$(_log_writes_find_next_fua $(($cur + 1)))\n"
	      "done\n"
	      "for sum in $(ls $tmp.sum.* 2>/dev/null); do\n"
	      "\tk=${sum##*.}\n"
	      "\tentry=$($here/src/log-writes/replay-log --log $LOGWRITES_DEV \\\n"
	      "\t\t--find --end-mark synced_$k)\n"
	      "\t[ -n \"$entry\" ] || _fail \"no mark synced_$k in the log\"\n"
	      "\techo $entry $k >> $tmp.points\n"
	      "done\n"
	      "sort -n -k1,1 $tmp.points > $tmp.order 2>/dev/null\n"
	      "while read entry k; do\n"
	      "\t_log_writes_replay_log_range $entry $SCRATCH_DEV >> $seqres.full\n"
	      "\tlwfuzz_check $k\n"
	      "done < $tmp.order\n\n"
	      "echo \"Silence is golden\"\n"
	      "status=0\n"
	      "exit\n",
	      f);
}

/* The workload's file system: its mkfs features and mount options. */
static void emit_mkfs_mount(FILE *f, const struct wl_fs *fs)
{
	char feat[128], rt[64], data[160];

	wl_fs_features(fs, feat, sizeof(feat));
	wl_fs_runtime_features(fs, rt, sizeof(rt));
	wl_fs_mount_data(fs, data, sizeof(data));
	fputs("_log_writes_mkfs", f);
	if (feat[0])
		fprintf(f, " -O %s", feat);
	if (rt[0])
		fprintf(f, " -R %s", rt);
	if (wl_fs_nodesize(fs))
		fprintf(f, " -n %u", wl_fs_nodesize(fs));
	fputs(" >> $seqres.full 2>&1\n_log_writes_mount", f);
	if (data[0])
		fprintf(f, " -o %s", data);
	fputs("\n\n", f);
}

char *fstests_script(const struct workload *w, const struct fstests_info *i,
		     char *why, size_t whylen)
{
	struct gen g = { .w = w };
	unsigned int delay = 0; /* the longest delay plan, ms */
	char *text = NULL;
	size_t len = 0;

	g.osync = calloc(WL_PATH_IDS, 1);
	g.f = g.osync ? open_memstream(&text, &len) : NULL;
	if (!g.f) {
		free(g.osync);
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	g.shared = w->nthreads > 1;
	for (unsigned int t = 0; t < w->nthreads; t++)
		for (unsigned int k = 0; k < w->threads[t].nops; k++)
			if (w->threads[t].ops[k].code == WL_DELAY &&
			    w->threads[t].ops[k].len > delay)
				delay = w->threads[t].ops[k].len;
	emit_header(g.f, i, w, delay);
	emit_helpers(g.f);
	if (delay)
		emit_delay_dev(g.f, delay);
	else
		fputs("_log_writes_init $SCRATCH_DEV\n", g.f);
	emit_mkfs_mount(g.f, &w->fs);
	if (i->delay_ms >= 0)
		fprintf(g.f,
			"# The test bed's knob that widens the race window.\n"
			"knob=/sys/module/btrfs/parameters/dio_race_delay_ms\n"
			"[ -w $knob ] && echo %d > $knob\n\n",
			i->delay_ms);
	for (unsigned int t = 0; t < w->nthreads; t++) {
		fprintf(g.f, "thread_%u()\n{\n", t);
		for (unsigned int k = 0; k < w->threads[t].nops; k++) {
			emit_bracket(&g, &w->threads[t].ops[k], 0);
			emit_op(&g, &w->threads[t].ops[k]);
			emit_bracket(&g, &w->threads[t].ops[k], 1);
		}
		fprintf(g.f, "\t:\n}\n\n");
	}
	if (delay)
		fprintf(g.f, "lwfuzz_delay %u\n", delay);
	for (unsigned int t = 0; t < w->nthreads; t++)
		fprintf(g.f, "thread_%u &\n", t);
	fprintf(g.f, "wait\n\n");
	if (delay)
		fprintf(g.f, "lwfuzz_delay 0\n");
	if (i->delay_ms >= 0)
		fprintf(g.f, "[ -w $knob ] && echo 0 > $knob\n");
	emit_replay(g.f, delay > 0);
	fclose(g.f);
	free(g.osync);
	if (g.unsupported) {
		snprintf(why, whylen,
			 "%s has no form in an fstests test (xfs_io keeps an O_TMPFILE only within one command); minimize it away or write this test by hand",
			 g.unsupported);
		free(text);
		return NULL;
	}
	return text;
}

char *fstests_golden(const struct fstests_info *i)
{
	return xasprintf("QA output created by %s\nSilence is golden\n",
			 i->name);
}
