// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kmod/req.c, the requirement verdict the module
 * gives at attach and `xdpmeta check` predicts: from arbitrary bytes,
 *   bytes 0..3    the device and program facts (struct xdpmeta_req_in's
 *                 bools, one bit each) and the kfunc calls
 *   bytes 4..19   the program's name, bytes 20..35 the device's (cut at
 *                 15 chars, any byte but NUL)
 *   the rest      a program's .rodata, searched for XDPMETA_REQUIRE()
 * and checks what callers rely on: the declaration found is one that is
 * there, its target NUL-terminated; the verdict is -1 or an item that
 * applies and is unmet, every earlier applicable item is met, and the
 * messages are non-empty NUL-terminated strings that fit (brief <= 70).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "req.h"

#define FAIL(...) do { fprintf(stderr, "req_fuzz: " __VA_ARGS__); abort(); } while (0)

static void name_of(char *dst, const uint8_t *src)
{
	int i;

	for (i = 0; i < 15 && src[i]; i++)
		dst[i] = (char)src[i];
	dst[i] = '\0';
}

static void check_msg(const struct xdpmeta_req_msg *m, int item)
{
	size_t b = strnlen(m->brief, sizeof(m->brief)), f = strnlen(m->full, sizeof(m->full));

	if (b == sizeof(m->brief) || f == sizeof(m->full))
		FAIL("item %d: message not NUL-terminated\n", item);
	if (!b || !f)
		FAIL("item %d: empty message\n", item);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t hdr[36] = { 0 };
	const uint8_t *ro = data + (size > sizeof(hdr) ? sizeof(hdr) : size);
	size_t rolen = size > sizeof(hdr) ? size - sizeof(hdr) : 0, off;
	struct xdpmeta_req_in in = { 0 };
	struct xdpmeta_req_msg msg, m2;
	char prog[16], dev[16];
	uint32_t bits;
	bool found = false;
	int v, i;

	memcpy(hdr, data, size < sizeof(hdr) ? size : sizeof(hdr));
	memcpy(&bits, hdr, 4);
	name_of(prog, hdr + 4);
	name_of(dev, hdr + 20);
	in.prog = prog;
	in.dev = dev;
#define B(field, n) in.field = (bits >> (n)) & 1
	B(veth, 0); B(basic, 1); B(redirect, 2); B(rx_sg, 3); B(hint_hash, 4);
	B(hint_vlan, 5); B(hint_timestamp, 6); B(hint_hash_off, 7); B(store, 8);
	B(target_exists, 9); B(target_ndo_xmit, 10); B(target_has_peer, 11);
	B(mb_strict, 12); B(frags, 13);
#undef B
	in.calls = bits >> 16;

	in.declared = xdpmeta_req_find(ro, rolen, &in.decl);
	for (off = 0; off + sizeof(in.decl) <= rolen && !found; off += 8) {
		uint64_t magic;

		memcpy(&magic, ro + off, 8);
		found = magic == XDPMETA_REQ_DECL_MAGIC;
	}
	if (in.declared != found)
		FAIL("find says %d, the bytes say %d\n", in.declared, found);
	if (in.declared) {
		if (in.decl.magic != XDPMETA_REQ_DECL_MAGIC)
			FAIL("declaration without its magic\n");
		if (!memchr(in.decl.redirect_target, 0, XDPMETA_REQ_TARGET_LEN))
			FAIL("redirect target not NUL-terminated\n");
	}

	memset(&msg, 0x55, sizeof(msg));
	v = xdpmeta_req_eval(&in, &msg);
	if (v < -1 || v >= __XDPMETA_REQ_MAX)
		FAIL("verdict %d out of range\n", v);
	for (i = 0; i < (v < 0 ? __XDPMETA_REQ_MAX : v); i++) {
		if (!xdpmeta_req_item_id(i) || !xdpmeta_req_item_label(i))
			FAIL("item %d has no id or label\n", i);
		if (xdpmeta_req_applies(&in, i) && !xdpmeta_req_item_met(&in, i, &m2))
			FAIL("item %d unmet but the verdict is %d\n", i, v);
	}
	if (v >= 0) {
		if (!xdpmeta_req_applies(&in, v))
			FAIL("verdict %d does not apply\n", v);
		check_msg(&msg, v);
		memset(&m2, 0x55, sizeof(m2));
		if (xdpmeta_req_item_met(&in, v, &m2))
			FAIL("verdict %d is met when asked again\n", v);
		if (strcmp(msg.brief, m2.brief) || strcmp(msg.full, m2.full))
			FAIL("verdict %d: messages differ between two calls\n", v);
	}
	return 0;
}
