// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the xdpmeta CLI as a whole: its argument parsing
 * and command dispatch, and its readers of every debugfs file and module
 * parameter the module writes. The CLI's files are linked in as they are
 * (main() renamed); each input is a fake debugfs tree and a command line:
 *
 *   @argv               then one argument per line (at most 16)
 *   @devices, @keys, @mb, @features, @objects, @mb_policy
 *                       then that file's bytes, up to the next "\n@"
 *   @p.mb_mode, @p.mb_policy
 *                       the module parameters' files
 *
 * Files that no section names do not exist. The tree is in a directory of
 * its own (XDPMETA_DEBUGFS, XDPMETA_SYSFS_PARAMS, the fake-debugfs marker),
 * which is also the working directory and holds the tree's BPF objects
 * (XDPMETA_FUZZ_BPFDIR), so that `check NAME.bpf.o DEV` reads a real one.
 * A '/' in an argument becomes '_': the CLI reads only what is here.
 * Its stdout and stderr go to files here for the run (file descriptors 1
 * and 2: `check` prints from a child process).
 *
 * The run is in a network namespace of its own where it can make one
 * (root): `prog attach|detach` change a device's XDP programs when the
 * module is loaded, and there they find only that namespace's lo, which
 * xdpmeta does not hook. (Without the module, or without root, they fail
 * before any change.)
 *
 * What is checked, besides ASan/UBSan/LeakSanitizer on every path:
 *  - the exit status is 0, 1 (operation failed), 2 (usage) or 3 (check:
 *    refused);
 *  - status 1 comes with a "Couldn't <verb> '<what>': <why>" line, status
 *    2 with a "Usage: xdpmeta" line, on stderr;
 *  - with --json, a successful command other than help/--version prints
 *    exactly one JSON document.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli.h"

int xdpmeta_cli_main(int argc, char **argv);

#define FAIL(...) do { fprintf(real_err, "cli_fuzz: " __VA_ARGS__); abort(); } while (0)
#define MAX_ARGS 16

static FILE *real_err;
static char top[256];
static int out_fd, err_fd, saved_out, saved_err;

/* What the run wrote to fd (a file here), NUL-terminated; fd is emptied. */
static char *take(int fd)
{
	off_t len = lseek(fd, 0, SEEK_END);
	char *buf = malloc(len > 0 ? (size_t)len + 1 : 1);

	if (!buf)
		FAIL("out of memory\n");
	if (len > 0 && pread(fd, buf, len, 0) != len)
		FAIL("cannot read back the output: %s\n", strerror(errno));
	buf[len > 0 ? len : 0] = '\0';
	if (ftruncate(fd, 0))
		FAIL("ftruncate: %s\n", strerror(errno));
	lseek(fd, 0, SEEK_SET);
	return buf;
}

static const char *const files[] = {
	"devices", "keys", "mb", "features", "objects", "mb_policy",
	"p.mb_mode", "p.mb_policy", NULL
};

static void path_of(char *buf, size_t len, const char *name)
{
	if (!strncmp(name, "p.", 2))
		snprintf(buf, len, "%s/params/%s", top, name + 2);
	else
		snprintf(buf, len, "%s/debug/xdpmeta/%s", top, name);
}

static void copy_objects(const char *dir)
{
	char src[4096], dst[4096], buf[65536];
	struct dirent *de;
	DIR *d = opendir(dir);
	ssize_t n;
	int in, out;

	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l < 6 || strcmp(de->d_name + l - 6, ".bpf.o"))
			continue;
		snprintf(src, sizeof(src), "%s/%s", dir, de->d_name);
		snprintf(dst, sizeof(dst), "%s/%s", top, de->d_name);
		in = open(src, O_RDONLY);
		out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, n) != n)
				break;
		if (in >= 0)
			close(in);
		if (out >= 0)
			close(out);
	}
	closedir(d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char p[512];
	static const char *const dirs[] = { "", "/debug", "/debug/xdpmeta", "/params", NULL };
	const char *bpfdir = getenv("XDPMETA_FUZZ_BPFDIR");
	int fd, i;

	(void)argc;
	(void)argv;
	real_err = fdopen(dup(2), "w");
	setvbuf(real_err, NULL, _IONBF, 0);
	/* best effort: see the top of the file */
	if (unshare(CLONE_NEWNET) && errno != EPERM)
		FAIL("unshare(CLONE_NEWNET): %s\n", strerror(errno));
	snprintf(top, sizeof(top), "%s/xdpmeta-cli-fuzz.%d",
		 access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm", (int)getpid());
	for (i = 0; dirs[i]; i++) {
		snprintf(p, sizeof(p), "%s%s", top, dirs[i]);
		if (mkdir(p, 0700))
			FAIL("cannot make %s: %s\n", p, strerror(errno));
	}
	snprintf(p, sizeof(p), "%s/debug/%s", top, XDPMETA_DEBUGFS_MARKER);
	fd = open(p, O_WRONLY | O_CREAT, 0600);
	if (fd < 0)
		FAIL("cannot make %s: %s\n", p, strerror(errno));
	close(fd);
	if (bpfdir)
		copy_objects(bpfdir);
	snprintf(p, sizeof(p), "%s/debug/xdpmeta", top);
	setenv(XDPMETA_DEBUGFS_ENV, p, 1);
	snprintf(p, sizeof(p), "%s/params", top);
	setenv(XDPMETA_PARAMS_ENV, p, 1);
	if (chdir(top))
		FAIL("cannot enter %s\n", top);
	out_fd = open("stdout", O_RDWR | O_CREAT | O_TRUNC, 0600);
	err_fd = open("stderr", O_RDWR | O_CREAT | O_TRUNC, 0600);
	saved_out = dup(1);
	saved_err = dup(2);
	if (out_fd < 0 || err_fd < 0 || saved_out < 0 || saved_err < 0)
		FAIL("cannot open the output files: %s\n", strerror(errno));
	return 0;
}

/* The section starting at *pos ("@name\n..."), up to the next "\n@". */
static int next_section(const uint8_t *d, size_t size, size_t *pos,
			char *name, size_t name_len, const uint8_t **body,
			size_t *body_len)
{
	size_t i = *pos, n = 0, end;

	if (i >= size || d[i] != '@')
		return 0;
	for (i++; i < size && d[i] != '\n'; i++)
		if (n + 1 < name_len)
			name[n++] = (char)d[i];
	name[n] = '\0';
	if (i < size)
		i++;
	*body = d + i;
	for (end = i; end < size; end++)
		if (d[end] == '\n' && end + 1 < size && d[end + 1] == '@')
			break;
	*body_len = end - i;
	*pos = end < size ? end + 1 : size;
	return 1;
}

static bool has_line(const char *text, const char *prefix)
{
	const char *p = text;
	size_t l = strlen(prefix);

	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, prefix, l))
			return true;
	return false;
}

/* One JSON document and nothing but blanks after it. */
static bool is_one_json(const char *s)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *obj;
	size_t len = strlen(s), used;
	bool ok;

	if (!tok)
		return true;
	obj = json_tokener_parse_ex(tok, s, (int)len);
	used = json_tokener_get_parse_end(tok);
	ok = obj && json_tokener_get_error(tok) == json_tokener_success;
	for (; ok && used < len; used++)
		if (s[used] != '\n' && s[used] != ' ')
			ok = false;
	json_object_put(obj);
	json_tokener_free(tok);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 2], *args = NULL, *out_buf = NULL, *err_buf = NULL;
	char name[32], path[4096];
	const uint8_t *body;
	size_t pos = 0, body_len;
	bool json = false, text_cmd = false;
	int argc = 1, i, rc;

	for (i = 0; files[i]; i++) {
		path_of(path, sizeof(path), files[i]);
		unlink(path);
	}
	argv[0] = "xdpmeta";
	while (next_section(data, size, &pos, name, sizeof(name), &body, &body_len)) {
		if (!strcmp(name, "argv")) {
			char *a;

			free(args);
			args = malloc(body_len + 1);
			if (!args)
				return 0;
			memcpy(args, body, body_len);
			args[body_len] = '\0';
			argc = 1;
			for (a = args; argc <= MAX_ARGS; ) {
				char *nl = strchr(a, '\n'), *c;

				if (nl)
					*nl = '\0';
				for (c = a; *c; c++)
					if (*c == '/')
						*c = '_';
				argv[argc++] = a;
				if (!nl)
					break;
				a = nl + 1;
			}
			continue;
		}
		for (i = 0; files[i] && strcmp(files[i], name); i++)
			;
		if (!files[i])
			continue;
		path_of(path, sizeof(path), name);
		{
			int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

			if (fd < 0)
				FAIL("cannot write %s\n", path);
			if (body_len && write(fd, body, body_len) != (ssize_t)body_len)
				FAIL("short write to %s\n", path);
			close(fd);
		}
	}
	argv[argc] = NULL;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help") ||
			 !strcmp(argv[i], "-v") || !strcmp(argv[i], "--version"))
			text_cmd = true;
	}
	for (i = 1; i < argc && argv[i][0] == '-'; i++)
		;
	if (i < argc && argv[i][0] && !strncmp("help", argv[i], strlen(argv[i])))
		text_cmd = true;

	fflush(stdout);
	fflush(stderr);
	if (dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
		FAIL("dup2: %s\n", strerror(errno));
	cli_json = false;
	cli_verbose = false;
	rc = xdpmeta_cli_main(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	out_buf = take(out_fd);
	err_buf = take(err_fd);

	if (rc < 0 || rc > 3)
		FAIL("exit status %d\n", rc);
	if (rc == CLI_EXIT_ERR && !has_line(err_buf, "Couldn't "))
		FAIL("exit status 1 without a \"Couldn't\" line: '%s'\n", err_buf);
	if (rc == CLI_EXIT_USAGE && !has_line(err_buf, "Usage: xdpmeta"))
		FAIL("exit status 2 without a usage line: '%s'\n", err_buf);
	if (rc == CLI_EXIT_OK && json && !text_cmd && !is_one_json(out_buf))
		FAIL("--json printed no single JSON document: '%s'\n", out_buf);
	free(out_buf);
	free(err_buf);
	free(args);
	return 0;
}
