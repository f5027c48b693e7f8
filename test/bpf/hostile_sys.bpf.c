// SPDX-License-Identifier: GPL-2.0
/*
 * hostile_sys: SYSCALL programs (sleepable) that the verifier accepts and
 * that misuse the registry kfuncs. Loaded one at a time ("?syscall") and
 * run with BPF_PROG_TEST_RUN by test/vm/t_hostile.c.
 */
#include "hostile_bpf.h"

SEC("?syscall")
int s_null(void *ctx)
{
	R(bpf_xdpmeta_key_register(h_null_lookup(), 32, 4, XDPMETA_KEY_CREATE, 0));
	R(bpf_xdpmeta_key_unregister(h_null_lookup(), 32, 0));
	return 0;
}

SEC("?syscall")
int s_lit_null(void *ctx)
{
	R(bpf_xdpmeta_key_register((void *)0, 0, 4, XDPMETA_KEY_CREATE, 0));
	R(bpf_xdpmeta_key_unregister((void *)0, 0, 0));
	return 0;
}

SEC("?syscall")
int s_ringbuf_null(void *ctx)
{
	char *p = bpf_ringbuf_reserve(&rb, RB_TOO_BIG, 0);

	R(bpf_xdpmeta_key_register(p, 32, 4, XDPMETA_KEY_CREATE, 0));
	R(bpf_xdpmeta_key_unregister(p, 32, 0));
	if (p)
		bpf_ringbuf_discard(p, 0);
	return 0;
}

/* a name in a map value and in ring buffer memory: legal */
SEC("?syscall")
int s_mapval(void *ctx)
{
	__u32 k = 0;
	char *v = bpf_map_lookup_elem(&arr, &k), *p;

	if (!v) {
		R(-1000);
		return 0;
	}
	__builtin_memcpy(v, "h_mapval", 9);
	R(bpf_xdpmeta_key_register(v, 48, 4, XDPMETA_KEY_CREATE, 0));
	R(bpf_xdpmeta_key_unregister(v, 48, 0));
	p = bpf_ringbuf_reserve(&rb, 32, 0);
	if (!p) {
		R(-1000);
		return 0;
	}
	__builtin_memcpy(p, "h_ringbuf", 10);
	R(bpf_xdpmeta_key_register(p, 32, 8, XDPMETA_KEY_CREATE, 0));
	R(bpf_xdpmeta_key_unregister(p, 32, 0));
	bpf_ringbuf_discard(p, 0);
	return 0;
}

/* out-of-range names, sizes, flags, revisions, reserved keys */
SEC("?syscall")
int s_bad(void *ctx)
{
	char empty[32] = {}, ok[32] = "h_ok", nope[32] = "h_nope", hash[32] = "rx_hash";
	char full[40], l31[32];
	__u64 rev;

	__builtin_memset(full, 'a', sizeof(full));
	full[32] = 0;
	__builtin_memset(l31, 'b', sizeof(l31));
	l31[31] = 0;
	R(bpf_xdpmeta_key_register(empty, 32, 4, XDPMETA_KEY_CREATE, 0));	/* 0 EINVAL */
	R(bpf_xdpmeta_key_register(full, 32, 4, XDPMETA_KEY_CREATE, 0));	/* EINVAL: no NUL */
	R(bpf_xdpmeta_key_register(full, 40, 4, XDPMETA_KEY_CREATE, 0));	/* EINVAL: 32 chars */
	R(bpf_xdpmeta_key_register(ok, 0, 4, XDPMETA_KEY_CREATE, 0));		/* EINVAL: size 0 */
	R(bpf_xdpmeta_key_register(ok, 4, 4, XDPMETA_KEY_CREATE, 0));		/* EINVAL: NUL at 4 */
	R(bpf_xdpmeta_key_register(ok, 32, 3, XDPMETA_KEY_CREATE, 0));		/* 5 EINVAL */
	R(bpf_xdpmeta_key_register(ok, 32, 32, XDPMETA_KEY_CREATE, 0));	/* EINVAL */
	R(bpf_xdpmeta_key_register(ok, 32, 0xffffffff, XDPMETA_KEY_CREATE, 0));	/* EINVAL */
	R(bpf_xdpmeta_key_register(ok, 32, 4, 0, 0));				/* EINVAL */
	R(bpf_xdpmeta_key_register(ok, 32, 4, 3, 0));				/* EINVAL */
	R(bpf_xdpmeta_key_register(ok, 32, 4, 4, 0));				/* 10 EINVAL */
	R(bpf_xdpmeta_key_register(hash, 32, 8, XDPMETA_KEY_CREATE, 0));	/* EMSGSIZE */
	R(bpf_xdpmeta_key_register(hash, 32, 4, XDPMETA_KEY_NO_CREATE, 0));	/* 0 */
	R(bpf_xdpmeta_key_unregister(hash, 32, 0));				/* EPERM */
	R(bpf_xdpmeta_key_register(nope, 32, 4, XDPMETA_KEY_NO_CREATE, 0));	/* ENOENT */
	R(bpf_xdpmeta_key_unregister(nope, 32, 0));				/* 15 ENOENT */
	rev = bpf_xdpmeta_key_revision();
	R(rev != 0);								/* 1 */
	R(bpf_xdpmeta_key_register(ok, 32, 4, XDPMETA_KEY_CREATE, rev + 1000));	/* ESTALE */
	R(bpf_xdpmeta_key_unregister(ok, 32, rev + 1000));			/* ESTALE */
	R(bpf_xdpmeta_key_register(l31, 32, 16, XDPMETA_KEY_CREATE, 0));	/* id */
	R(bpf_xdpmeta_key_register(l31, 32, 8, XDPMETA_KEY_CREATE, 0));	/* 20 EMSGSIZE */
	R(bpf_xdpmeta_key_unregister(l31, 32, 0));				/* 0 */
	R(bpf_xdpmeta_key_unregister(l31, 32, 0));				/* ENOENT */
	R(bpf_xdpmeta_key_unregister(empty, 32, 0));				/* EINVAL */
	R(bpf_xdpmeta_key_unregister(full, 32, 0));				/* EINVAL */
	R(bpf_xdpmeta_key_unregister(ok, 0, 0));				/* 25 EINVAL */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
