# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Builds the xdpmeta example programs (installed by xdpmeta-tools as
# /usr/share/doc/xdpmeta-tools/examples/Makefile). Copy the directory and
# run make: vmlinux.h comes from the running kernel's BTF, xdpmeta.h from
# /usr/include/xdpmeta. Needs clang, bpftool and libbpf-dev.
CLANG   ?= clang
BPFTOOL ?= bpftool
BTF     ?= /sys/kernel/btf/vmlinux
INC     ?= /usr/include/xdpmeta
PROGS   := $(patsubst %.bpf.c,%.bpf.o,$(wildcard *.bpf.c))

all: $(PROGS)

vmlinux.h: $(BTF)
	$(BPFTOOL) btf dump file $< format c > $@

%.bpf.o: %.bpf.c vmlinux.h
	$(CLANG) -O2 -g -target bpf -D__TARGET_ARCH_x86 -Wall -I. -I$(INC) -c $< -o $@

clean:
	rm -f $(PROGS) vmlinux.h

.PHONY: all clean
