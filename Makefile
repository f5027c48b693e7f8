# SPDX-License-Identifier: GPL-2.0
#
# xdpmeta - top-level Makefile.
#
#   make demo        set up, build, boot the VM and show xdpmeta at work
#   make check       set up, build, host tests, then every VM test
#   make check T=x   only tests whose group or name matches x (comma list)
#   make bench       benchmarks (QUICK=1: fewer repetitions; BENCH=icount: the
#                    instruction-count boot only)
#   make stress      the long form of the stress scenarios (make check runs
#                    the short one); make check-debug T=stress STRESS=full
#                    runs it on the debug kernel
#   make fuzz        long fuzzer runs of every host target
#   make check KVER=6.1.0-N-amd64   the same on another stock kernel
#   make check-all   make check on 6.12, then on the newest 6.1
#   make check-debug the VM suite on a KASAN + lockdep + kmemleak kernel
#                    (built once into the cache: see README)
#   make vm-shell    the test VM with everything loaded, and a shell
#   make setup       only the set-up (packages, stock kernel, harness)
#   make deb         Debian packages xdpmeta-dkms and xdpmeta-tools, into
#                    $(BUILD)/deb (lintian run on them)
#   make             build: kmod/xdpmeta.ko, BPF objects, CLI, tests
#
# Set-up writes $(BUILD)/config.mk (KVER, KDIR, ...); KVER=... overrides.

# make check KVER=6.1.0-57-amd64: another stock kernel, built and tested
# under its own BUILD, modules from copies of the sources (KOBJ below).
ifeq ($(origin KVER),command line)
BUILD ?= $(CURDIR)/build/$(KVER)
KOBJ ?= $(BUILD)
endif
BUILD ?= $(CURDIR)/build
export BUILD
# Where the kernel modules are built: in the tree (kmod/, test/kmod/) for
# the stock kernel; for another kernel (check-debug) under its BUILD, from
# copies of the sources (kbuild 6.12 builds external modules in place).
KOBJ ?= $(CURDIR)
export KOBJ

# tools, install-tools, install-dkms-src: debian/rules, without set-up
ifneq ($(filter-out setup clean distclean help tools install-tools install-dkms-src,$(MAKECMDGOALS)),)
NEED_CONFIG := 1
endif
ifeq ($(MAKECMDGOALS),)
NEED_CONFIG := 1
endif
ifdef NEED_CONFIG
include $(BUILD)/config.mk
endif

# Set-up is re-run (idempotently, in seconds) by demo and check; a plain
# `make` runs it only when there is no configuration yet.
$(BUILD)/config.mk:
	scripts/setup.sh

# 6.1's headers have no resolve_btfids: setup.sh names the 6.12 kbuild's
KBUILD_EXTRA := $(if $(RESOLVE_BTFIDS),RESOLVE_BTFIDS=$(RESOLVE_BTFIDS))

CLANG    ?= clang
BPFTOOL  ?= bpftool
CC       ?= gcc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Wno-unused-parameter -Werror
USER_CFLAGS := $(CFLAGS) $(WARN) -I$(BUILD)/bpf -Ibpf -Iuser
STATIC_LIBS := -static -lbpf -lelf -lz -lzstd
BPF_CFLAGS := -O2 -g -target bpf -D__TARGET_ARCH_x86 -Wall -Werror \
	-I$(BUILD) -Ibpf -Itest/bpf

BPF_SRCS  := $(wildcard bpf/*.bpf.c) $(wildcard test/bpf/*.bpf.c) $(wildcard bench/*.bpf.c)
BPF_OBJS  := $(patsubst %.bpf.c,$(BUILD)/bpf/%.bpf.o,$(notdir $(BPF_SRCS)))
BPF_SKELS := $(BPF_OBJS:.bpf.o=.skel.h)
USER_SRCS := $(wildcard user/*.c)
USER_HDRS := $(wildcard user/*.h)
VMTEST_SRCS := $(wildcard test/vm/t_*.c)
VMTEST_BINS := $(patsubst test/vm/%.c,$(BUILD)/test/%,$(VMTEST_SRCS))
KMOD_SRCS := $(wildcard kmod/*.c kmod/*.h kmod/compat/*.h kmod/compat/*.sh \
	kmod/compat/probes/*.c kmod/Kbuild) bpf/xdpmeta.h

.PHONY: all setup module bpf user vmtests host-check check check-all check-debug demo bench \
	vm-shell dkms-check fuzz stress clean distclean help deb tools install-tools install-dkms-src

all: module bpf user vmtests

help:
	@sed -n '3,19p' Makefile

setup:
	scripts/setup.sh

# ---- kernel module ---------------------------------------------------------
module: $(KOBJ)/kmod/xdpmeta.ko

# cp -p keeps the sources' times, so kbuild rebuilds only what changed
# $(KDIR)/vmlinux: the module's BTF is split BTF on the kernel's; a kernel
# rebuilt (check-debug's) makes the old module's BTF invalid at load
KBTF := $(wildcard $(KDIR)/vmlinux)

$(KOBJ)/kmod/xdpmeta.ko: $(KMOD_SRCS) $(BUILD)/config.mk $(KBTF)
ifneq ($(KOBJ),$(CURDIR))
	@mkdir -p $(KOBJ)/kmod/compat/probes $(KOBJ)/bpf
	cp -p kmod/*.c kmod/*.h kmod/Kbuild $(KOBJ)/kmod/
	cp -p kmod/compat/*.h kmod/compat/*.sh $(KOBJ)/kmod/compat/
	cp -p kmod/compat/probes/*.c $(KOBJ)/kmod/compat/probes/
	cp -p bpf/xdpmeta.h $(KOBJ)/bpf/
endif
	$(MAKE) -C $(KDIR) M=$(KOBJ)/kmod $(KBUILD_EXTRA) modules

# Test-only modules (test/kmod/): loaded by VM tests, never installed;
# xdpmeta_faults only by the debug kernel's controls (test/debug/).
$(KOBJ)/test/kmod/xdpmeta_ringsim.ko: $(wildcard test/kmod/*.c) test/kmod/Kbuild $(BUILD)/config.mk $(KBTF)
ifneq ($(KOBJ),$(CURDIR))
	@mkdir -p $(KOBJ)/test/kmod
	cp -p test/kmod/*.c test/kmod/Kbuild $(KOBJ)/test/kmod/
endif
	$(MAKE) -C $(KDIR) M=$(KOBJ)/test/kmod $(KBUILD_EXTRA) modules

# The same module without its BTF: the VM tests check that it refuses to
# load (kfunc registration would otherwise silently do nothing).
$(BUILD)/xdpmeta-nobtf.ko: $(KOBJ)/kmod/xdpmeta.ko
	@mkdir -p $(@D)
	objcopy --remove-section=.BTF --remove-section=.BTF.base $< $@

# The same module with BTF the kernel rejects (its magic zeroed): Debian's
# kernels (CONFIG_MODULE_ALLOW_BTF_MISMATCH=y) load such a module without
# BTF; the module must notice and refuse (kfuncs.c).
# (after nobtf: two objcopy runs on one input at once failed under make -j2)
$(BUILD)/xdpmeta-badbtf.ko: $(KOBJ)/kmod/xdpmeta.ko | $(BUILD)/xdpmeta-nobtf.ko
	@mkdir -p $(@D)
	objcopy --dump-section .BTF=$@.btf $<
	printf '\000\000' | dd of=$@.btf bs=1 count=2 conv=notrunc status=none
	objcopy --update-section .BTF=$@.btf $< $@
	rm -f $@.btf

# ---- BPF objects and skeletons ----------------------------------------------
# VMLINUX_BTF: the kernel BTF the BPF side is compiled against (debian/rules
# passes one; /sys/kernel/btf/vmlinux works too)
VMLINUX_BTF ?= $(KDIR)/vmlinux
$(BUILD)/vmlinux.h: $(VMLINUX_BTF)
	@mkdir -p $(@D)
	$(BPFTOOL) btf dump file $< format c > $@.tmp && mv $@.tmp $@

vpath %.bpf.c bpf test/bpf bench
$(BUILD)/bpf/%.bpf.o: %.bpf.c $(BUILD)/vmlinux.h bpf/xdpmeta.h $(wildcard test/bpf/*.h)
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/bpf/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $* > $@.tmp && mv $@.tmp $@

bpf: $(BPF_OBJS) $(BPF_SKELS)

# ---- CLI (static: it also runs in the VM; the Debian package links it
# dynamically, CLI_LIBS from debian/rules) ----------------------------------
user: $(BUILD)/xdpmeta

# kmod/req.c: the module's own verdict on a program's requirements (check);
# kmod/parse.c: the words the module takes (mb mode, mb policy)
USER_KMOD := kmod/req.c kmod/req.h kmod/parse.c kmod/parse.h
CLI_LIBS ?= -Wl,-Bstatic -ljson-c $(STATIC_LIBS)
$(BUILD)/xdpmeta: $(USER_SRCS) $(USER_HDRS) $(BUILD)/bpf/xdpmeta_ctl.skel.h $(BUILD)/bpf/xdpmeta_dispatch.skel.h $(USER_KMOD)
	$(CC) $(CPPFLAGS) $(USER_CFLAGS) -Ikmod -o $@ $(USER_SRCS) $(filter %.c,$(USER_KMOD)) $(LDFLAGS) $(CLI_LIBS)

# ---- VM test binaries (kselftest harness, static) ---------------------------
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/test/%,$(wildcard bench/*_bench.c))
vmtests: $(VMTEST_BINS) $(BUILD)/xdpmeta-nobtf.ko $(BUILD)/xdpmeta-badbtf.ko $(KOBJ)/test/kmod/xdpmeta_ringsim.ko $(BENCH_BINS)

$(BUILD)/test/%_bench: bench/%_bench.c bench/bench.h test/vm/xm_test.h $(BPF_SKELS)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -D_GNU_SOURCE -Itest/vm -Itest/bpf -o $@ $< $(STATIC_LIBS)

$(BUILD)/test/%: test/vm/%.c test/vm/*.h $(BPF_SKELS) bpf/xdpmeta.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -Wno-sign-compare -Wno-misleading-indentation -Wno-clobbered -D_GNU_SOURCE -I$(HARNESS_INC) -Itest/vm -Itest/bpf -o $@ $< $(STATIC_LIBS) -lpthread

# ---- tests -----------------------------------------------------------------
host-check: user
	$(MAKE) -C test/host check O=$(BUILD)/host
	test/host/cli_test.sh $(BUILD)/xdpmeta

check:
	scripts/setup.sh
	$(MAKE) -j2 all
	test/check.sh "$(T)"

# The VM suite on the debug kernel (scripts/debug-kernel.sh builds it once
# into the cache, and writes $(BUILD)/debug/config.mk): everything is built
# again under $(BUILD)/debug against it; host suites do not depend on the
# kernel and are left to `make check`. Not run by CI (see README).
DEBUG_BUILD := $(BUILD)/debug
check-debug:
	scripts/setup.sh
	BUILD=$(DEBUG_BUILD) STOCK_BUILD=$(BUILD) scripts/debug-kernel.sh
	$(MAKE) -j2 BUILD=$(DEBUG_BUILD) KOBJ=$(DEBUG_BUILD) all
	BUILD=$(DEBUG_BUILD) KOBJ=$(DEBUG_BUILD) CHECK_HOST=0 CHECK_FAULTS=1 \
		VM_TIMEOUT=$${VM_TIMEOUT:-5400} VM_TEST_TIMEOUT=$${VM_TEST_TIMEOUT:-900} \
		VM_MEM=$${VM_MEM:-2G} test/check.sh "$(T)"

demo:
	scripts/setup.sh
	$(MAKE) -j2 all
	test/vm/run.sh demo

bench:
	scripts/setup.sh
	$(MAKE) all
	$(MAKE) -C test/host bench O=$(BUILD)/host
	VM_ICOUNT=1 VM_OUT=$(BUILD)/vm/icount QUICK=$(QUICK) test/vm/run.sh bench
	$(if $(filter icount,$(BENCH)),,QUICK=$(QUICK) test/vm/run.sh bench)
	@echo "tables: $(BUILD)/vm/icount/bench.txt (instruction counts), $(BUILD)/vm/bench.txt (TCG wall time), $(BUILD)/host/ (callgrind)"

# The stress scenarios (test/vm/t_stress.c) in their long form: 1000
# load/unload and netns cycles, 1000 switch rounds, 10x the key churn.
STRESS ?=
export VM_STRESS = $(STRESS)
stress:
	scripts/setup.sh
	$(MAKE) -j2 all
	VM_STRESS=full VM_TEST_TIMEOUT=$${VM_TEST_TIMEOUT:-7200} VM_TIMEOUT=$${VM_TIMEOUT:-9000} \
		test/vm/run.sh test stress

# Long fuzzing runs of every host target (make check runs short ones):
# 10 M executions each. The in-memory targets take minutes; bpfobj_fuzz (a
# memfd per input, ~2000/s) about 1.5 h and cli_fuzz (a fake debugfs tree
# written per input, ~1000/s) about 3 h on 2 cores: lower BPFOBJ_RUNS or
# CLI_RUNS for a shorter run.
fuzz:
	scripts/setup.sh
	$(MAKE) bpf
	$(MAKE) -C test/host check O=$(BUILD)/host BPFDIR=$(BUILD)/bpf \
		FUZZ_RUNS=$${FUZZ_RUNS:-10000000} BPFOBJ_RUNS=$${BPFOBJ_RUNS:-10000000} \
		CLI_RUNS=$${CLI_RUNS:-10000000}

# Both of Debian 12's stock kernels: 6.12 (make check) and the newest 6.1,
# each under its own build directory (see README, "Kernels"). BUILD and
# KOBJ are exported, so the sub-make is given its own explicitly.
check-all:
	$(MAKE) check
	k61=$$(scripts/setup.sh --newest 6.1 | tail -n 1) && \
		[ -n "$$k61" ] && $(MAKE) check KVER=$$k61 \
			BUILD=$(CURDIR)/build/$$k61 KOBJ=$(CURDIR)/build/$$k61

# ---- Debian packages ---------------------------------------------------------
# debian/rules builds them from a copy of the tracked files (the tree stays
# clean), the CLI's BPF side against the stock 6.12 headers' BTF.
XM_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
PREFIX ?= /usr
EXAMPLES := bpf/xdp_count.bpf.c bpf/tc_hints_show.bpf.c bpf/xdp_hints_fwd.bpf.c
deb:
	scripts/setup.sh
	rm -rf $(BUILD)/deb && mkdir -p $(BUILD)/deb/xdpmeta-$(XM_VERSION)
	git ls-files -z -co --exclude-standard | xargs -0 cp --parents -t $(BUILD)/deb/xdpmeta-$(XM_VERSION)
	cd $(BUILD)/deb/xdpmeta-$(XM_VERSION) && VMLINUX_BTF=$(KDIR)/vmlinux \
		dpkg-buildpackage -us -uc -b --no-sign
	lintian --fail-on error,warning --suppress-tags-from-file debian/lintian-explained \
		$(BUILD)/deb/xdpmeta_$(XM_VERSION)_amd64.changes
	@ls $(BUILD)/deb/*.deb

tools: $(BUILD)/xdpmeta

install-tools: tools
	install -D -m 0755 $(BUILD)/xdpmeta $(DESTDIR)$(PREFIX)/sbin/xdpmeta
	install -D -m 0644 user/xdpmeta.8 $(DESTDIR)$(PREFIX)/share/man/man8/xdpmeta.8
	install -D -m 0644 bpf/xdpmeta.h $(DESTDIR)$(PREFIX)/include/xdpmeta/xdpmeta.h
	install -D -m 0644 bpf/examples.mk $(DESTDIR)$(PREFIX)/share/doc/xdpmeta-tools/examples/Makefile
	install -m 0644 $(EXAMPLES) $(DESTDIR)$(PREFIX)/share/doc/xdpmeta-tools/examples/

# the module's source as DKMS builds it (dh_dkms adds dkms.conf)
install-dkms-src:
	for f in Kbuild $(filter-out %/probes.h,$(KMOD_SRCS)); do \
		install -D -m 0644 $$f $(DESTDIR)/usr/src/xdpmeta-$(XM_VERSION)/$$f || exit 1; done

vm-shell: all
	test/vm/run.sh shell

dkms-check: module
	test/host/dkms.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(KOBJ)/kmod clean 2>/dev/null
	-$(MAKE) -C $(KDIR) M=$(KOBJ)/test/kmod clean 2>/dev/null
	rm -rf $(BUILD)/bpf $(BUILD)/test $(BUILD)/xdpmeta $(BUILD)/host $(BUILD)/vm \
		$(BUILD)/vmlinux.h $(BUILD)/xdpmeta-nobtf.ko $(BUILD)/xdpmeta-badbtf.ko

distclean:
	rm -rf $(BUILD)
	find kmod -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \
		-o -name 'Module.symvers' -o -name 'modules.order' | xargs rm -f
