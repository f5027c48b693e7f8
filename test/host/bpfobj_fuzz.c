// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for user/bpfobj.c, `xdpmeta check`'s reader of the BPF
 * object files a user passes in (untrusted input): each input is written
 * to a memfd and read through its /proc/self/fd path, as the CLI reads a
 * file. In process: our own ELF walk (the check and the kfunc-call scan
 * of a program, by name and section), built from bpfobj.c itself; libbpf,
 * which crashes on some inputs (Debian 12's 1.1), runs in a child in the
 * CLI (xdpmeta_bpfobj_read()): one input here goes through that whole
 * path too, so the guard itself is exercised. The seed corpus is the tree's
 * own BPF objects (the .bpf.o files in build/bpf, a copy as the corpus),
 * so the fuzzer starts from valid ELF and mutates sections, symbols and
 * relocations. Anything but a clean return (an exit status and a
 * "Couldn't check" message are fine) is a finding: ASan, UBSan, a hang.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/libbpf.h>
#include "../../user/bpfobj.c"	/* its static ELF walk */

static const struct cli_cmd fuzz_cmd = { .name = "check", .path = "check" };

static int quiet(enum libbpf_print_level l, const char *fmt, va_list ap)
{
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	libbpf_set_print(quiet);	/* run with -close_fd_mask=2 for the rest */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xdpmeta_bpfobj o;
	char path[64];
	int fd = memfd_create("bpfobj_fuzz", 0);

	if (fd < 0)
		abort();
	if (write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	memset(&o, 0, sizeof(o));
	if (!xdpmeta_bpfobj_elf(path, NULL, NULL, &o, false)) {
		xdpmeta_bpfobj_elf(path, "xdp_count", "xdp", &o, true);
		memset(&o, 0, sizeof(o));
		xdpmeta_bpfobj_elf(path, "pull_run", "xdp.frags", &o, true);
	}
	if (size && data[0] == 0x7f && size % 64 == 1)	/* now and then: the CLI's path */
		xdpmeta_bpfobj_read(&fuzz_cmd, path, NULL, &o);
	close(fd);
	return 0;
}
