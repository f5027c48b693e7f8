// SPDX-License-Identifier: GPL-2.0
/*
 * params.c - the module's parameters in /sys/module/xdpmeta/parameters (or
 * $XDPMETA_SYSFS_PARAMS, for tests): reading and writing them, and saying
 * why that failed: module not loaded, a module without the parameter,
 * permissions.
 *
 * A parameter file holds its value and a newline. A write is one request:
 * the module takes the value or fails the write() with an errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

const char *xdpmeta_params_dir(void)
{
	const char *env = getenv(XDPMETA_PARAMS_ENV);

	return env && env[0] ? env : XDPMETA_PARAMS_DEFAULT;
}

static void xdpmeta_param_path(const char *name, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", xdpmeta_params_dir(), name);
}

/*
 * The module's sysfs directory, the parent of the parameters directory: it
 * exists while the module is loaded (a module without parameters has no
 * parameters directory).
 */
static bool xdpmeta_param_module_dir_exists(void)
{
	char dir[4096];
	char *slash;
	size_t n;

	snprintf(dir, sizeof(dir), "%s", xdpmeta_params_dir());
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	slash = strrchr(dir, '/');
	if (!slash)
		return access(".", F_OK) == 0;
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return access(dir, F_OK) == 0;
}

int xdpmeta_param_fail(const char *verb, const char *what, const char *name,
		       int err)
{
	const char *dir = xdpmeta_params_dir();
	char path[4096];
	struct stat st;

	xdpmeta_param_path(name, path, sizeof(path));
	if (err == EACCES || err == EPERM)
		return cli_fail(verb, what, "permission denied (run as root)");
	if (err != ENOENT) {
		if (strcmp(what, path))
			return cli_fail(verb, what, "%s: %s", path,
					strerror(err));
		return cli_fail(verb, what, "%s", strerror(err));
	}
	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
		return cli_fail(verb, what, "%s is not a directory (check $%s)",
				dir, XDPMETA_PARAMS_ENV);
	if (stat(dir, &st) && !xdpmeta_param_module_dir_exists())
		return cli_fail(verb, what,
				"xdpmeta is not loaded (insmod kmod/xdpmeta.ko)");
	return cli_fail(verb, what,
			"the loaded xdpmeta.ko has no parameter %s (rebuild and reload kmod/xdpmeta.ko)",
			name);
}

int xdpmeta_param_read(const char *name, char *buf, size_t len)
{
	char path[4096];
	size_t got = 0;
	ssize_t n;
	int fd, err;

	xdpmeta_param_path(name, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		xdpmeta_param_fail("read", path, name, errno);
		return -1;
	}
	for (;;) {
		if (got == len - 1) {
			close(fd);
			cli_fail("read", path,
				 "the value is longer than %zu bytes (is $%s right?)",
				 len - 2, XDPMETA_PARAMS_ENV);
			return -1;
		}
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			close(fd);
			xdpmeta_param_fail("read", path, name, err);
			return -1;
		}
		if (n == 0)
			break;
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	if (strlen(buf) != got) {
		cli_fail("read", path, "the file holds a NUL byte (is $%s right?)",
			 XDPMETA_PARAMS_ENV);
		return -1;
	}
	while (got && (buf[got - 1] == '\n' || buf[got - 1] == ' ' ||
		       buf[got - 1] == '\t'))
		buf[--got] = '\0';
	return 0;
}

int xdpmeta_param_write(const char *name, const char *value)
{
	char path[4096], line[256];
	bool opened;

	xdpmeta_param_path(name, path, sizeof(path));
	if (snprintf(line, sizeof(line), "%s\n", value) >= (int)sizeof(line))
		return EINVAL;
	return xdpmeta_write_file(path, line, &opened);
}
