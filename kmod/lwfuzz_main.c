// SPDX-License-Identifier: GPL-2.0
/*
 * lwfuzz.ko: the guest's kernel helper of lwfuzz (see lib/lwfuzz_kmod.h for
 * its ABI). Built by lwfuzz setup with every btrfs variant, out of tree,
 * against the same kernel headers, and loaded after btrfs.ko.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>

#include "lwfuzz.h"

static struct proc_dir_entry *lwfuzz_dir;

static int __init lwfuzz_init(void)
{
	lwfuzz_dir = proc_mkdir("lwfuzz", NULL);
	if (!lwfuzz_dir)
		return -ENOMEM;
	if (!proc_create("delay", 0600, lwfuzz_dir, &lwfuzz_delay_ops) ||
	    !proc_create("cov", 0600, lwfuzz_dir, &lwfuzz_cov_ops)) {
		proc_remove(lwfuzz_dir);
		return -ENOMEM;
	}
	return 0;
}

static void __exit lwfuzz_exit(void)
{
	proc_remove(lwfuzz_dir);
}

module_init(lwfuzz_init);
module_exit(lwfuzz_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lwfuzz: delay injection into btrfs.ko and its coverage read-out");
