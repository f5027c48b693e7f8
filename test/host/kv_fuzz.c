// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the xdpmeta key/value store (kmod/kv.c).
 * Build: clang -fsanitize=fuzzer,address,undefined
 *
 * Input:
 *   [0..1]   room (little endian) modulo KVM_MAX_LEN + 65, so 0..593
 *   [2..17]  an arbitrary 16-byte store header
 *   [18..]   ops, 3 bytes each: op/flags, key, size (see run_ops());
 *            the bytes also fill the store's values region
 *
 * (a) The store is the header followed by input bytes, in a heap buffer of
 *     exactly @room bytes, so ASan reports any access beyond it.
 *     xdpmeta_kv_valid() must agree with the model, and must read nothing
 *     when @room < 16.  If the store is valid, get of every key with every
 *     size, then set and del of every key in turn on a copy, must match
 *     the model and stay inside the buffer.
 * (b) The ops then run on the store (or, if it was not valid, on an empty
 *     one in a fresh buffer of the same room), each checked against the
 *     model: return value (xdpmeta_kv_update() must say UNCHANGED exactly
 *     when the model image stays), value read, whole store image, and no byte
 *     written beyond what the new length needs.
 * Any divergence aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"
#include "kv_model.h"

#define FILL	0xa5

static void die(const char *what, unsigned int key, unsigned int size,
		int got, int want)
{
	fprintf(stderr, "kv_fuzz: %s: key %u size %u: got %d, want %d\n",
		what, key, size, got, want);
	abort();
}

static const unsigned int sizes[] = { 0, 2, 4, 8, 16, 1, 3, 32 };
static const unsigned int flag_vals[] = {
	0, 0, 0, XDPMETA_KV_NOEXIST, XDPMETA_KV_EXIST, 3, 4, 0x80000000U,
};

/* a store image must match the model byte for byte */
static void check_image(const unsigned char *store, const struct kvm *m,
			const char *what)
{
	unsigned char img[KVM_MAX_LEN];
	unsigned int len = kvm_serialize(m, img);

	if (xdpmeta_kv_len(store) != len)
		die(what, 0, 0, (int)xdpmeta_kv_len(store), (int)len);
	if (memcmp(store, img, len))
		die(what, 0, 0, 1, 0);
}

static void check_get(const unsigned char *store, const struct kvm *m,
		      unsigned int key, unsigned int size)
{
	unsigned char out[16], want[16];
	int ret, mret;

	memset(out, FILL, sizeof(out));
	memset(want, FILL, sizeof(want));
	ret = xdpmeta_kv_get(store, key, out, size);
	mret = kvm_get(m, key, want, size);
	if (ret != mret)
		die("get", key, size, ret, mret);
	if (memcmp(out, want, sizeof(out)))
		die("get value", key, size, 1, 0);
}

/*
 * (a): read every key of a valid store with every size, then set and
 * delete every key in turn (on a copy, one running state).
 */
static void probe_store(const unsigned char *store, unsigned int room,
			const struct kvm *m0, const uint8_t *data, size_t n)
{
	unsigned char *work = malloc(room), val[16];
	unsigned int key, i, size, flags;
	struct kvm m = *m0;
	int ret, mret;

	if (!work)
		return;
	for (key = 0; key < KVM_KEYS + 2; key++)
		for (i = 0; i < 5; i++)
			check_get(store, m0, key, sizes[i]);
	memcpy(work, store, room);
	for (key = 0; key < KVM_KEYS; key++) {
		uint8_t b = n ? data[key % n] : 0;

		size = sizes[b % 5];
		flags = flag_vals[(b >> 3) % 8];
		memset(val, b ^ 0x3c, sizeof(val));
		ret = xdpmeta_kv_set(work, room, key, val, size, flags);
		mret = kvm_set(&m, room, key, val, size, flags);
		if (ret != mret)
			die("probe set", key, size, ret, mret);
		if (!ret)
			check_get(work, &m, key, size);
		if (b & 0x80)
			continue;	/* keep it */
		ret = xdpmeta_kv_del(work, key, size);
		mret = kvm_del(&m, key, size);
		if (ret != mret)
			die("probe del", key, size, ret, mret);
	}
	check_image(work, &m, "probed image");
	free(work);
}

/* (b): ops from the input against the model */
static void run_ops(unsigned char *store, unsigned int room, struct kvm *m,
		    const uint8_t *ops, size_t n)
{
	unsigned char *snap = malloc(room), val[16], out[16], want[16];
	unsigned int op, key, size, flags, old, nl, i;
	size_t pos;
	int ret, mret;

	if (!snap)
		return;
	for (pos = 0; pos + 3 <= n; pos += 3) {
		op = ops[pos] & 3;
		flags = flag_vals[(ops[pos] >> 2) & 7];
		key = ops[pos + 1] < 192 ? ops[pos + 1] % 64U :
		      ops[pos + 1] == 255 ? UINT32_MAX : ops[pos + 1];
		size = sizes[ops[pos + 2] & 7];
		for (i = 0; i < sizeof(val); i++)
			val[i] = (unsigned char)(pos * 7 + i * 13 +
						 ops[pos + 2]);
		old = xdpmeta_kv_len(store);
		memcpy(snap, store, room);

		switch (op) {
		case 0:
			memset(out, FILL, sizeof(out));
			memset(want, FILL, sizeof(want));
			ret = xdpmeta_kv_get(store, key, out, size);
			mret = kvm_get(m, key, want, size);
			if (ret == mret && memcmp(out, want, sizeof(out)))
				die("get value", key, size, 1, 0);
			break;
		case 1:
			ret = xdpmeta_kv_set(store, room, key, val, size,
					     flags);
			mret = kvm_set(m, room, key, val, size, flags);
			break;
		case 2: {
			/* update: as set, and UNCHANGED iff the image stays */
			unsigned char a[KVM_MAX_LEN], b[KVM_MAX_LEN];
			unsigned int la = kvm_serialize(m, a), lb;

			ret = xdpmeta_kv_update(store, room, key, val, size,
						flags);
			mret = kvm_set(m, room, key, val, size, flags);
			lb = kvm_serialize(m, b);
			if (!mret && la == lb && !memcmp(a, b, la))
				mret = XDPMETA_KV_UNCHANGED;
			break;
		}
		default:
			ret = xdpmeta_kv_del(store, key, size);
			mret = kvm_del(m, key, size);
			break;
		}
		if (ret != mret)
			die(op == 0 ? "get" : op == 3 ? "del" : "set", key,
			    size, ret, mret);
		if ((ret < 0 || ret == XDPMETA_KV_UNCHANGED) && memcmp(snap, store, room))
			die("error or unchanged but store written", key, size, ret, 0);
		nl = xdpmeta_kv_len(store);
		if (nl > room)
			die("len beyond room", key, size, (int)nl, (int)room);
		if (memcmp(snap + (old > nl ? old : nl),
			   store + (old > nl ? old : nl),
			   room - (old > nl ? old : nl)))
			die("wrote beyond the length", key, size, (int)nl,
			    (int)old);
		check_image(store, m, "image");
	}
	free(snap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int room, i;
	unsigned char *store;
	const uint8_t *rest;
	size_t nrest;
	struct kvm m;
	int valid, mvalid;

	/* missing bytes count as zero */
	room = size < 2 ? 0 :
	       (unsigned int)(data[0] | data[1] << 8) % (KVM_MAX_LEN + 65);
	data += size < 2 ? size : 2;
	size -= size < 2 ? size : 2;
	rest = size > 16 ? data + 16 : data + size;
	nrest = size > 16 ? size - 16 : 0;

	/* (a) exactly @room bytes: header, then the rest of the input */
	store = malloc(room ? room : 1);
	if (!store)
		return 0;
	for (i = 0; i < room; i++)
		store[i] = i < 16 ? (i < size ? data[i] : 0) :
			   nrest ? rest[(i - 16) % nrest] : 0;
	if (!room) {
		/* a zero room: hand over a pointer to nothing readable */
		free(store);
		store = malloc(0);
		if (!store)
			return 0;
	}
	valid = xdpmeta_kv_valid(store, room);
	mvalid = room >= KVM_HDR && kvm_load(&m, store, room) != 0;
	if (valid != mvalid)
		die("valid", 0, room, valid, mvalid);

	if (valid) {
		check_image(store, &m, "loaded image");
		probe_store(store, room, &m, rest, nrest);
	} else {
		/* (b) on an empty store in a fresh buffer of the same room */
		free(store);
		if (room < KVM_HDR)
			room = KVM_HDR;
		store = malloc(room);
		if (!store)
			return 0;
		memset(store, 0x5a, room);
		xdpmeta_kv_init(store);
		kvm_init(&m);
	}
	run_ops(store, room, &m, rest, nrest);
	free(store);
	return 0;
}
