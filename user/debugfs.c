// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.c - reading and writing the module's debugfs files, and saying
 * why opening one failed in a way that names the fix: permissions, debugfs
 * not mounted, module not loaded, or a module that lacks the file.
 *
 * The directory is /sys/kernel/debug/xdpmeta, or $XDPMETA_DEBUGFS. When the
 * directory is missing, its parent tells the two cases apart: a debugfs
 * mount (statfs magic) means the module is not loaded, anything else means
 * debugfs is not mounted. With $XDPMETA_DEBUGFS set, a file named
 * .xdpmeta-fake-debugfs in the parent also counts as a debugfs mount, so
 * that tests can build fake trees in a temporary directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "cli.h"

#ifndef DEBUGFS_MAGIC
#define DEBUGFS_MAGIC	0x64626720
#endif

#define XDPMETA_SYSFS_MODULE	"/sys/module/xdpmeta"

const char *xdpmeta_debugfs_dir(void)
{
	const char *env = getenv(XDPMETA_DEBUGFS_ENV);

	return env && env[0] ? env : XDPMETA_DEBUGFS_DEFAULT;
}

bool xdpmeta_module_loaded(void)
{
	return access(XDPMETA_SYSFS_MODULE, F_OK) == 0;
}

static bool xdpmeta_errno_is_perm(int err)
{
	return err == EACCES || err == EPERM;
}

/* The directory that holds dir ("/sys/kernel/debug" by default). */
static void xdpmeta_parent(const char *dir, char *buf, size_t len)
{
	char *slash;
	size_t n;

	snprintf(buf, len, "%s", dir);
	n = strlen(buf);
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		snprintf(buf, len, ".");
	else if (slash == buf)
		buf[1] = '\0';
	else
		*slash = '\0';
}

static bool xdpmeta_has_marker(const char *parent)
{
	char path[4096];

	if (!getenv(XDPMETA_DEBUGFS_ENV))
		return false;
	if (snprintf(path, sizeof(path), "%s/%s", parent,
		     XDPMETA_DEBUGFS_MARKER) >= (int)sizeof(path))
		return false;
	return access(path, F_OK) == 0;
}

/* Prints why path could not be opened (errno err) for verb ("read"). */
static void xdpmeta_debugfs_explain(const char *verb, const char *path,
				    int err)
{
	const char *dir = xdpmeta_debugfs_dir();
	char parent[4096];
	struct statfs sfs;
	struct stat st;

	if (xdpmeta_errno_is_perm(err)) {
		cli_fail(verb, path, "permission denied (run as root)");
		return;
	}
	if (err != ENOENT) {
		cli_fail(verb, path, "%s", strerror(err));
		return;
	}
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			cli_fail(verb, path,
				 "%s is not a directory (check $%s)", dir,
				 XDPMETA_DEBUGFS_ENV);
		else
			cli_fail(verb, path,
				 "the loaded xdpmeta.ko does not provide it (rebuild and reload kmod/xdpmeta.ko)");
		return;
	}
	if (xdpmeta_errno_is_perm(errno)) {
		cli_fail(verb, path, "permission denied (run as root)");
		return;
	}
	if (errno != ENOENT && errno != ENOTDIR) {
		cli_fail(verb, path, "%s", strerror(errno));
		return;
	}

	xdpmeta_parent(dir, parent, sizeof(parent));
	err = statfs(parent, &sfs) ? errno : 0;
	if ((!err && sfs.f_type == DEBUGFS_MAGIC) ||
	    xdpmeta_has_marker(parent)) {
		cli_fail(verb, path,
			 "xdpmeta is not loaded (insmod kmod/xdpmeta.ko)");
		return;
	}
	if (xdpmeta_errno_is_perm(err)) {
		cli_fail(verb, path, "permission denied (run as root)");
		return;
	}
	cli_fail(verb, path, "debugfs is not mounted (mount -t debugfs none %s)",
		 parent);
}

/* Reads <debugfs>/name; says why not unless quiet. */
static char *xdpmeta_debugfs_read_file(const char *name, char *path,
				       size_t path_len, bool quiet)
{
	size_t len = 0, cap = 4096;
	char *buf, *tmp;
	int fd, err;
	ssize_t n;

	snprintf(path, path_len, "%s/%s", xdpmeta_debugfs_dir(), name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (!quiet)
			xdpmeta_debugfs_explain("read", path, errno);
		return NULL;
	}
	buf = malloc(cap);
	if (!buf) {
		err = ENOMEM;
		goto fail;
	}
	for (;;) {
		if (cap - len < 2) {
			tmp = realloc(buf, cap * 2);
			if (!tmp) {
				err = ENOMEM;
				goto fail;
			}
			buf = tmp;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			goto fail;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		free(buf);
		if (!quiet)
			cli_fail("read", path,
				 "the file holds a NUL byte (is $%s right?)",
				 XDPMETA_DEBUGFS_ENV);
		return NULL;
	}
	return buf;

fail:
	free(buf);
	close(fd);
	if (quiet)
		return NULL;
	if (xdpmeta_errno_is_perm(err))
		cli_fail("read", path, "permission denied (run as root)");
	else
		cli_fail("read", path, "%s", strerror(err));
	return NULL;
}

char *xdpmeta_debugfs_read(const char *name, char *path, size_t path_len)
{
	return xdpmeta_debugfs_read_file(name, path, path_len, false);
}

char *xdpmeta_debugfs_read_quiet(const char *name, char *path,
				 size_t path_len)
{
	return xdpmeta_debugfs_read_file(name, path, path_len, true);
}

int xdpmeta_write_file(const char *path, const char *text, bool *opened)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd, err = 0;

	*opened = false;
	/* Like the shell's >, without O_CREAT: a missing file is an error. */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return errno;
	*opened = true;
	/* One write: sysfs and debugfs take each write() as one request. */
	do
		n = write(fd, text, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		err = errno;
	else if ((size_t)n != len)
		err = EIO;
	if (close(fd) && !err && errno != EINTR)
		err = errno;
	return err;
}

int xdpmeta_debugfs_write(const char *name, const char *text, char *path,
			  size_t path_len)
{
	bool opened;
	int err;

	snprintf(path, path_len, "%s/%s", xdpmeta_debugfs_dir(), name);
	err = xdpmeta_write_file(path, text, &opened);
	if (err && !opened) {
		xdpmeta_debugfs_explain("write", path, err);
		return -1;
	}
	return err;
}
