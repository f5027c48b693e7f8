/* SPDX-License-Identifier: GPL-2.0 */
/*
 * req.h - the verdict on a program's requirements for one device, and its
 * wording.
 *
 * Pure C with no kernel dependency, like kv.h: the module builds this file
 * (features.c fills the input from the live device under RTNL, at attach)
 * and so does the CLI (`xdpmeta check` fills it from <debugfs>/features), so
 * that the verdict and its words are the same by construction.
 *
 * What a program requires comes from three places:
 *  - the module's multi-buffer mode: in mode strict, every program must be
 *    frags-aware (kmod/mb.c);
 *  - what it declares with XDPMETA_REQUIRE() (bpf/xdpmeta.h): a struct
 *    xdpmeta_requirements in its .rodata, found by its magic at an 8-byte
 *    aligned offset (xdpmeta_req_find()). bpf/xdpmeta.h pulls in vmlinux.h
 *    outside the kernel, so its layout is restated below as struct
 *    xdpmeta_req_decl; features.c asserts at build time that the two agree;
 *  - the kfuncs it calls that imply a requirement (XDPMETA_REQ_CALL_*): the
 *    module finds them in the verified instructions, the CLI in the
 *    object's symbol table and relocations.
 *
 * Items are checked in enum order; the module refuses at the first unmet
 * one. Each unmet item has two messages: a brief one that fits an extack
 * message (cut at 80 bytes, "xdpmeta: " included) and a full one, for the
 * kernel log and the CLI, that says what is missing and how to fix it.
 */
#ifndef XDPMETA_REQ_H
#define XDPMETA_REQ_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#else
#include <stdint.h>
#include <stddef.h>
#if !defined(__cplusplus) && !defined(bool)	/* same as <stdbool.h> */
#define bool	_Bool
#define true	1
#define false	0
#endif
#endif

/* struct xdpmeta_requirements of bpf/xdpmeta.h, restated (see above) */
#define XDPMETA_REQ_DECL_MAGIC		0x3171657274656d78ULL	/* "xmetreq1" */
#define XDPMETA_REQ_DECL_VERSION	1
#define XDPMETA_REQ_TARGET_LEN		16

struct xdpmeta_req_decl {
	uint64_t magic;
	uint32_t version;
	uint32_t needs;					/* XDPMETA_REQ_NEED_* */
	char redirect_target[XDPMETA_REQ_TARGET_LEN];	/* NUL-terminated */
};

/* XDPMETA_NEED_* of bpf/xdpmeta.h */
#define XDPMETA_REQ_NEED_TX		(1U << 0)
#define XDPMETA_REQ_NEED_REDIRECT	(1U << 1)
#define XDPMETA_REQ_NEED_MULTI_BUFFER	(1U << 2)
#define XDPMETA_REQ_NEED_HINT_HASH	(1U << 3)
#define XDPMETA_REQ_NEED_HINT_VLAN	(1U << 4)
#define XDPMETA_REQ_NEED_HINT_TIMESTAMP	(1U << 5)
#define XDPMETA_REQ_NEED_STORE		(1U << 6)
#define XDPMETA_REQ_NEED_ALL		0x7fU

/* Kfunc calls that imply a requirement (xdpmeta_req_kfuncs[]). */
#define XDPMETA_REQ_CALL_IMPORT_HINTS	(1U << 0)	/* needs an RX hint */

/* What can be required, in the order the module checks it. */
enum xdpmeta_req_item {
	XDPMETA_REQ_MB_STRICT,		/* not frags-aware in mb mode strict */
	XDPMETA_REQ_VERSION,		/* a declaration this code can read */
	XDPMETA_REQ_TX,
	XDPMETA_REQ_REDIRECT,
	XDPMETA_REQ_MULTI_BUFFER,
	XDPMETA_REQ_HINT_HASH,
	XDPMETA_REQ_HINT_VLAN,
	XDPMETA_REQ_HINT_TIMESTAMP,
	XDPMETA_REQ_STORE,
	XDPMETA_REQ_IMPORT_HINTS,	/* calls bpf_xdpmeta_import_hints */
	XDPMETA_REQ_TARGET,		/* the declared redirect target */
	__XDPMETA_REQ_MAX,
};

/* The device, the redirect target and the program, as seen at attach. */
struct xdpmeta_req_in {
	const char *prog;		/* the kernel's name: at most 15 chars */
	const char *dev;
	bool veth;			/* the device's driver is veth */
	/* the kernel's xdp_features of the device */
	bool basic;			/* NETDEV_XDP_ACT_BASIC (XDP_TX) */
	bool redirect;			/* NETDEV_XDP_ACT_REDIRECT */
	bool rx_sg;			/* NETDEV_XDP_ACT_RX_SG */
	/* RX hints the driver offers now (xdp_metadata_ops) */
	bool hint_hash;
	bool hint_vlan;
	bool hint_timestamp;
	bool hint_hash_off;		/* offered, but rxhash is switched off */
	bool store;			/* the xdpmeta store: hooked devices */
	/* the redirect target decl names, looked up in the device's netns */
	bool target_exists;
	bool target_ndo_xmit;		/* NETDEV_XDP_ACT_NDO_XMIT now */
	bool target_has_peer;		/* a veth: ndo_get_peer_dev */
	bool mb_strict;			/* xdpmeta's multi-buffer mode is strict */
	/* the program */
	bool frags;			/* frags-aware (BPF_F_XDP_HAS_FRAGS) */
	bool declared;			/* decl holds its XDPMETA_REQUIRE() */
	struct xdpmeta_req_decl decl;
	uint32_t calls;			/* XDPMETA_REQ_CALL_* */
};

/* extack messages are cut at 80 bytes; the module prefixes "xdpmeta: " */
#define XDPMETA_REQ_BRIEF_LEN	(80 - 9)
#define XDPMETA_REQ_FULL_LEN	320

struct xdpmeta_req_msg {
	char brief[XDPMETA_REQ_BRIEF_LEN];
	char full[XDPMETA_REQ_FULL_LEN];
};

/* A kfunc that implies a requirement: its name and XDPMETA_REQ_CALL_* bit. */
struct xdpmeta_req_kfunc {
	const char *name;
	uint32_t call;
};

extern const struct xdpmeta_req_kfunc xdpmeta_req_kfuncs[];

bool xdpmeta_req_find(const void *buf, size_t len, struct xdpmeta_req_decl *decl);
uint32_t xdpmeta_req_kfunc_call(const char *name);
const char *xdpmeta_req_item_id(int item);
const char *xdpmeta_req_item_label(int item);
bool xdpmeta_req_applies(const struct xdpmeta_req_in *in, int item);
bool xdpmeta_req_item_met(const struct xdpmeta_req_in *in, int item,
			  struct xdpmeta_req_msg *msg);
int xdpmeta_req_eval(const struct xdpmeta_req_in *in, struct xdpmeta_req_msg *msg);

#endif /* XDPMETA_REQ_H */
