// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.c - /sys/kernel/debug/xdpmeta/: read-only views of the other
 * rooms. Only this file creates debugfs files. Every file is root-only
 * (0400) and prints no kernel addresses.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "xdpmeta_int.h"

static struct dentry *xdpmeta_debugfs_dir;

static int xdpmeta_devices_open(struct inode *inode, struct file *file)
{
	return single_open(file, xdpmeta_hook_devices_show, NULL);
}

static const struct file_operations xdpmeta_devices_fops = {
	.owner = THIS_MODULE,
	.open = xdpmeta_devices_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int xdpmeta_keys_open(struct inode *inode, struct file *file)
{
	return single_open(file, xdpmeta_registry_keys_show, NULL);
}

static const struct file_operations xdpmeta_keys_fops = {
	.owner = THIS_MODULE,
	.open = xdpmeta_keys_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

int xdpmeta_debugfs_init(void)
{
	struct dentry *dir;

	dir = debugfs_create_dir(XDPMETA_NAME, NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	debugfs_create_file("devices", 0400, dir, NULL, &xdpmeta_devices_fops);
	debugfs_create_file("keys", 0400, dir, NULL, &xdpmeta_keys_fops);
	xdpmeta_debugfs_dir = dir;
	return 0;
}

/*
 * Waits for readers that are inside a file's operations: call it before
 * tearing down what those files show.
 */
void xdpmeta_debugfs_exit(void)
{
	debugfs_remove_recursive(xdpmeta_debugfs_dir);
	xdpmeta_debugfs_dir = NULL;
}
