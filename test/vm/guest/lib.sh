# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest shell tests (t_*.sh). Each test runs in its own
# shell: `die` ends it as failed, `skip` as skipped, and t_cleanup (trap on
# EXIT) puts the VM back: no netns, no test veth, no XDP on the virtio
# NICs, no pinned objects, module unloaded.
X=/xdpmeta
DBG=/sys/kernel/debug/xdpmeta
KO=$X/xdpmeta.ko
BPF=$X/bpf

# Debian's busybox ash runs its own applets before $PATH: name the real
# iproute2 tools explicitly (busybox ip knows no netns, xdp or peer name).
ip() { /usr/local/sbin/ip "$@"; }
tc() { /usr/local/sbin/tc "$@"; }

# page_pool's "stalled pool shutdown": pages still in flight 60 s after a
# pool was destroyed (a leaked frag or copy; there is no kmemleak here);
# "pagealloc: ": a freed page was written (page_poison=1)
KBAD='WARNING:|BUG[: ]|Oops|KFENCE|kernel BUG|general protection|Redzone|Poison overwritten|Object padding|use-after-free|list_add corruption|list_del corruption|refcount_t:|Call Trace|stalled pool shutdown|pagealloc: '

die() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
log() { echo "# $*"; }
# kernel_is SERIES (6.1, 6.12): whether the guest runs that stock kernel
kernel_is() { case "$(uname -r)" in "$1".*) return 0 ;; esac; return 1; }

# run CMD, fail the test with its output if it fails
ok() { "$@" > /tmp/ok.out 2>&1 || { cat /tmp/ok.out; die "'$*' failed"; }; }
# run CMD, fail the test if it succeeds; its output is in /tmp/no.out
no() { if "$@" > /tmp/no.out 2>&1; then cat /tmp/no.out; die "'$*' succeeded, expected failure"; fi; }
expect_eq() { [ "$1" = "$2" ] || die "${3:-value}: got '$1', expected '$2'"; }
expect_grep() { grep -qE "$1" "$2" || { cat "$2"; die "${3:-output} does not match /$1/"; }; }

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds; fails
# (returns 1) after SECONDS. For asynchronous kernel work (netns cleanup,
# RCU-deferred frees) instead of a fixed sleep.
wait_for() {
	local n=$(($1 * 10))
	shift
	while ! "$@"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.1
	done
}

# net_info_ratelimited() log lines (xdpmeta's "refused program" line) share
# the kernel's global net ratelimit (message_burst per message_cost
# seconds, across tests): a test that greps for them turns it off
# (message_cost 0); t_cleanup puts the boot value back.
log_unratelimited() { echo 0 > /proc/sys/net/core/message_cost; }

# refusal_says WORDS FILE [PREFIX]: an attach refusal in FILE (ip's or
# bpftool's output) carries xdpmeta's WORDS ("xdpmeta: ..."), after PREFIX
# ("Error: ", "Kernel error message: "). 6.1's extack holds only a static
# text (kmod/compat/compat.h): there FILE has that text, and the kernel
# log the words.
refusal_says() {
	local w=$1 f=$2 pre=${3:-}
	if kernel_is 6.1; then
		grep -qF "${pre}xdpmeta: refused: a declared requirement is unmet (the kernel log says which)" "$f" ||
			{ cat "$f"; die "no 6.1 refusal text in $f"; }
		dmesg | grep -qF "[extack: ${w#xdpmeta: }" ||
			{ dmesg | tail -n 5; die "no '${w#xdpmeta: }' in the kernel log"; }
	else
		grep -qF "$pre$w" "$f" || { cat "$f"; die "refusal is not '$pre$w'"; }
	fi
}

xm_loaded() { grep -q '^xdpmeta ' /proc/modules; }
xm_load() { xm_loaded || ok insmod $KO "$@"; }
# rmmod; a program that used our kfuncs holds the module until its
# RCU-deferred free, so retry for a while
xm_unload() {
	xm_loaded || return 0
	for i in $(seq 30); do
		rmmod xdpmeta 2>/dev/null && return 0
		sleep 0.1
	done
	rmmod xdpmeta
}

ns_add() { ip netns add "$1" && ip -n "$1" link set lo up; }
in_ns() { ns=$1; shift; ip netns exec "$ns" "$@"; }
# veth_pair A NSA B NSB: A in NSA, B in NSB ("" = init netns), both up
veth_pair() {
	ok ip link add "$1" type veth peer name "$3"
	[ -n "$2" ] && ok ip link set "$1" netns "$2"
	[ -n "$4" ] && ok ip link set "$3" netns "$4"
	ok ip ${2:+-n $2} link set "$1" up
	ok ip ${4:+-n $4} link set "$3" up
}
addr() { ok ip ${2:+-n $2} addr add "$3" dev "$1"; }	# DEV NS CIDR

# col_field FILE IFNAME FIELD [NETNS-INUM]: a column of a debugfs table
# (a header line, then one device a line: devices, features). Prints
# nothing if the device is not listed, and -1 (with a message on stderr)
# if the table has no such column: never the whole line, which would parse
# as its first number (the netns inode) and pass a >= check.
col_field() {
	awk -v d="$2" -v f="$3" -v ns="${4:-}" -v file="$1" '
		NR == 1 {
			for (i = 1; i <= NF; i++) col[$i] = i
			if (!("name" in col) || !("netns" in col)) {
				print "col_field: " file " has no name or netns column" | "cat 1>&2"
				print -1; exit
			}
			next
		}
		$col["name"] == d && (ns == "" || $col["netns"] == ns) {
			if (!(f in col))
				print "col_field: " file " has no column " f | "cat 1>&2"
			print ((f in col) ? $col[f] : -1); exit
		}
	' "$1"
}
# dev_field IFNAME FIELD [NETNS-INUM]: a column of debugfs devices
dev_field() { col_field $DBG/devices "$@"; }
# hooked IFNAME [NETNS-INUM]: listed in debugfs devices with an ifindex > 0
hooked() {
	local i
	i=$(dev_field "$1" ifindex "${2:-}")
	[ -n "$i" ] && [ "$i" -gt 0 ] 2>/dev/null
}
# ip_prog_id IFNAME [NETNS]: the id of the XDP program on IFNAME as iproute2
# reports it (an independent source for debugfs' prog_id); empty if none
ip_prog_id() {
	ip ${2:+-n $2} link show dev "$1" | sed -n 's/.*prog\/xdp[a-z]* id \([0-9]*\).*/\1/p' | head -n1
}
netns_inum() { in_ns "$1" stat -L -c %i /proc/self/ns/net; }

t_setup() { [ -s /tmp/message_cost.boot ] || cat /proc/sys/net/core/message_cost > /tmp/message_cost.boot 2>/dev/null; }
t_cleanup() {
	[ -s /tmp/message_cost.boot ] && cat /tmp/message_cost.boot > /proc/sys/net/core/message_cost
	for d in eth0 eth1 eth2 eth3; do
		ip link set dev $d xdp off 2>/dev/null
		ip link set dev $d mtu 1500 2>/dev/null
	done
	for n in $(ip netns list 2>/dev/null | awk '{print $1}'); do ip netns del "$n"; done
	for d in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | grep -E '^x[vr]' | cut -d@ -f1); do
		ip link del "$d" 2>/dev/null
	done
	ethtool -K eth2 rxhash on 2>/dev/null
	rm -rf /sys/fs/bpf/xt
	sleep 0.2
	xm_unload > /dev/null 2>&1
	# a NIC moved into a deleted netns comes back when the netns' cleanup
	# work has run (asynchronous): wait for it, so that the next test sees
	# all four
	for d in eth0 eth1 eth2 eth3; do
		wait_for 20 [ -e /sys/class/net/$d ] || echo "WARN: $d did not come back"
	done
}
