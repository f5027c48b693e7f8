// SPDX-License-Identifier: GPL-2.0
/*
 * req.c - the verdict on a program's requirements for one device, and its
 * wording. See req.h; the module and the CLI build this same file.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <stdio.h>
#include <string.h>
#endif

#include "req.h"

/* Kfuncs whose call implies a requirement; one line per kfunc. */
const struct xdpmeta_req_kfunc xdpmeta_req_kfuncs[] = {
	{ "bpf_xdpmeta_import_hints", XDPMETA_REQ_CALL_IMPORT_HINTS },
	{ NULL, 0 },
};

/* Per item: JSON id, label, and the need bit or call bit that asks for it. */
static const struct {
	const char *id;
	const char *label;
	uint32_t need;
	uint32_t call;
} xdpmeta_req_items[__XDPMETA_REQ_MAX] = {
	[XDPMETA_REQ_MB_STRICT]	     = { "frags", "frags-aware (mb mode strict)" },
	[XDPMETA_REQ_VERSION]	     = { "version", "declaration" },
	[XDPMETA_REQ_TX]	     = { "tx", "XDP_TX", XDPMETA_REQ_NEED_TX },
	[XDPMETA_REQ_REDIRECT]	     = { "redirect", "XDP_REDIRECT",
					 XDPMETA_REQ_NEED_REDIRECT },
	[XDPMETA_REQ_MULTI_BUFFER]   = { "multi_buffer", "multi-buffer RX",
					 XDPMETA_REQ_NEED_MULTI_BUFFER },
	[XDPMETA_REQ_HINT_HASH]	     = { "hint_hash", "RX hash hint",
					 XDPMETA_REQ_NEED_HINT_HASH },
	[XDPMETA_REQ_HINT_VLAN]	     = { "hint_vlan", "RX VLAN hint",
					 XDPMETA_REQ_NEED_HINT_VLAN },
	[XDPMETA_REQ_HINT_TIMESTAMP] = { "hint_timestamp", "RX timestamp hint",
					 XDPMETA_REQ_NEED_HINT_TIMESTAMP },
	[XDPMETA_REQ_STORE]	     = { "store", "xdpmeta store",
					 XDPMETA_REQ_NEED_STORE },
	[XDPMETA_REQ_IMPORT_HINTS]   = { "import_hints", "bpf_xdpmeta_import_hints",
					 0, XDPMETA_REQ_CALL_IMPORT_HINTS },
	[XDPMETA_REQ_TARGET]	     = { "redirect_target", "redirect target" },
};

/**
 * xdpmeta_req_find() - find a program's declared requirements
 * @buf: the value of a read-only array map (.rodata)
 * @len: its size in bytes
 * @decl: where to copy the declaration
 *
 * Looks for XDPMETA_REQ_DECL_MAGIC at every 8-byte offset of @buf (the
 * compiler aligns the struct, which starts with a u64, to 8 bytes); the
 * first hit wins. The redirect target is NUL-terminated on the copy.
 *
 * Return: true if found.
 */
bool xdpmeta_req_find(const void *buf, size_t len, struct xdpmeta_req_decl *decl)
{
	const unsigned char *p = buf;
	size_t off;

	for (off = 0; off + sizeof(*decl) <= len; off += 8) {
		uint64_t magic;

		memcpy(&magic, p + off, sizeof(magic));
		if (magic != XDPMETA_REQ_DECL_MAGIC)
			continue;
		memcpy(decl, p + off, sizeof(*decl));
		decl->redirect_target[XDPMETA_REQ_TARGET_LEN - 1] = '\0';
		return true;
	}
	return false;
}

/**
 * xdpmeta_req_kfunc_call() - what calling a kfunc implies
 * @name: the kfunc's name
 *
 * Return: its XDPMETA_REQ_CALL_* bit, or 0 when it implies nothing.
 */
uint32_t xdpmeta_req_kfunc_call(const char *name)
{
	const struct xdpmeta_req_kfunc *k;

	for (k = xdpmeta_req_kfuncs; k->name; k++)
		if (!strcmp(k->name, name))
			return k->call;
	return 0;
}

/**
 * xdpmeta_req_item_id() - an item's name for JSON output
 * @item: enum xdpmeta_req_item
 *
 * Return: a lower-case identifier, e.g. "hint_hash".
 */
const char *xdpmeta_req_item_id(int item)
{
	return item >= 0 && item < __XDPMETA_REQ_MAX ? xdpmeta_req_items[item].id : "?";
}

/**
 * xdpmeta_req_item_label() - an item's name for people
 * @item: enum xdpmeta_req_item
 *
 * Return: e.g. "RX hash hint".
 */
const char *xdpmeta_req_item_label(int item)
{
	return item >= 0 && item < __XDPMETA_REQ_MAX ? xdpmeta_req_items[item].label : "?";
}

/**
 * xdpmeta_req_applies() - whether the program asks for an item
 * @in: the program (its declaration and calls)
 * @item: enum xdpmeta_req_item
 *
 * A declaration always asks for a readable version; once that is not met,
 * no other declared item applies (their bits may mean something else).
 *
 * Return: true if @item is one of the program's requirements.
 */
bool xdpmeta_req_applies(const struct xdpmeta_req_in *in, int item)
{
	const struct xdpmeta_req_decl *d = &in->decl;
	bool readable = in->declared && d->version == XDPMETA_REQ_DECL_VERSION &&
			!(d->needs & ~XDPMETA_REQ_NEED_ALL);

	if (item < 0 || item >= __XDPMETA_REQ_MAX)
		return false;
	if (item == XDPMETA_REQ_MB_STRICT)
		return in->mb_strict && !in->frags;
	if (item == XDPMETA_REQ_VERSION)
		return in->declared;
	if (item == XDPMETA_REQ_TARGET)
		return readable && d->redirect_target[0];
	if (xdpmeta_req_items[item].call)
		return in->calls & xdpmeta_req_items[item].call;
	return readable && (d->needs & xdpmeta_req_items[item].need);
}

#define xdpmeta_req_say(buf, ...)	snprintf(buf, sizeof(buf), __VA_ARGS__)

/* "DEV (veth: it needs a peer, ...)": why a veth has no XDP actions. */
static const char *xdpmeta_req_veth_why(const struct xdpmeta_req_in *in)
{
	return in->veth ? " (a veth does only with a peer that has no more TX queues than it has RX queues)" :
			  " (its driver does not offer it now)";
}

/* A need of the device: "PROG needs WHAT: device lacks it". */
static void xdpmeta_req_lacks(const struct xdpmeta_req_in *in, int item,
			      const char *who, struct xdpmeta_req_msg *msg)
{
	xdpmeta_req_say(msg->brief, "%s needs %s: %s lacks it", in->prog,
			xdpmeta_req_items[item].label, who);
}

/**
 * xdpmeta_req_item_met() - one item's verdict
 * @in: the device, the redirect target and the program
 * @item: enum xdpmeta_req_item, one that xdpmeta_req_applies()
 * @msg: the messages when not met
 *
 * Return: true if the device meets @item; else false and @msg filled.
 */
bool xdpmeta_req_item_met(const struct xdpmeta_req_in *in, int item,
			  struct xdpmeta_req_msg *msg)
{
	const struct xdpmeta_req_decl *d = &in->decl;
	const char *t = d->redirect_target;

	msg->brief[0] = msg->full[0] = '\0';
	switch (item) {
	case XDPMETA_REQ_MB_STRICT:
		/* applies only when unmet: a plain program in mode strict */
		xdpmeta_req_say(msg->brief,
				"multi-buffer mode is strict: load the program with SEC(\"xdp.frags\")");
		xdpmeta_req_say(msg->full,
				"is not frags-aware and multi-buffer mode is strict: load it with SEC(\"xdp.frags\") (BPF_F_XDP_HAS_FRAGS), or run 'xdpmeta mb mode compat'");
		return false;
	case XDPMETA_REQ_VERSION:
		if (d->version == XDPMETA_REQ_DECL_VERSION &&
		    !(d->needs & ~XDPMETA_REQ_NEED_ALL))
			return true;
		xdpmeta_req_say(msg->brief, "%s needs a newer xdpmeta: update the module",
				in->prog);
		xdpmeta_req_say(msg->full,
				"declares requirements this xdpmeta does not know (version %u, needs %#x): update the xdpmeta module",
				(unsigned int)d->version, (unsigned int)d->needs);
		return false;
	case XDPMETA_REQ_TX:
	case XDPMETA_REQ_REDIRECT:
		if (item == XDPMETA_REQ_TX ? in->basic : in->redirect)
			return true;
		xdpmeta_req_lacks(in, item, "device", msg);
		xdpmeta_req_say(msg->full, "needs %s, which %s does not support%s",
				xdpmeta_req_items[item].label, in->dev,
				xdpmeta_req_veth_why(in));
		return false;
	case XDPMETA_REQ_MULTI_BUFFER:
		if (in->rx_sg)
			return true;
		xdpmeta_req_lacks(in, item, "device", msg);
		xdpmeta_req_say(msg->full,
				"needs multi-buffer RX, which %s does not build%s",
				in->dev, in->veth ? xdpmeta_req_veth_why(in) :
				" (virtio_net: only with mergeable RX buffers or big packets)");
		return false;
	case XDPMETA_REQ_HINT_HASH:
		if (in->hint_hash)
			return true;
		if (in->hint_hash_off) {
			xdpmeta_req_say(msg->brief, "%s needs RX hash hint: turn on rxhash (ethtool -K)",
					in->prog);
			xdpmeta_req_say(msg->full,
					"needs RX hash hint, which %s has switched off: run 'ethtool -K %s rxhash on'",
					in->dev, in->dev);
			return false;
		}
		xdpmeta_req_lacks(in, item, "driver", msg);
		xdpmeta_req_say(msg->full,
				"needs RX hash hint, which the driver of %s does not offer (virtio_net: only with hash reports, VIRTIO_NET_F_HASH_REPORT): attach it where it is offered (xdpmeta dev features)",
				in->dev);
		return false;
	case XDPMETA_REQ_HINT_VLAN:
	case XDPMETA_REQ_HINT_TIMESTAMP:
		if (item == XDPMETA_REQ_HINT_VLAN ? in->hint_vlan : in->hint_timestamp)
			return true;
		xdpmeta_req_lacks(in, item, "driver", msg);
		xdpmeta_req_say(msg->full,
				"needs %s, which the driver of %s does not offer: attach it where it is offered (xdpmeta dev features)",
				xdpmeta_req_items[item].label, in->dev);
		return false;
	case XDPMETA_REQ_STORE:
		if (in->store)
			return true;
		xdpmeta_req_lacks(in, item, "device", msg);
		xdpmeta_req_say(msg->full,
				"needs the xdpmeta store, which %s does not carry (xdpmeta hooks veth and virtio_net devices only)",
				in->dev);
		return false;
	case XDPMETA_REQ_IMPORT_HINTS:
		if (in->hint_hash || in->hint_vlan || in->hint_timestamp)
			return true;
		xdpmeta_req_say(msg->brief, "calls bpf_xdpmeta_import_hints: driver offers no RX hints");
		xdpmeta_req_say(msg->full,
				"calls bpf_xdpmeta_import_hints, but the driver of %s offers no RX hint (hash, VLAN, timestamp)%s%s%s: attach it where one is offered (xdpmeta dev features), or drop the call",
				in->dev, in->hint_hash_off ? "; its hash hint is switched off ('ethtool -K " : "",
				in->hint_hash_off ? in->dev : "",
				in->hint_hash_off ? " rxhash on' turns it on)" : "");
		return false;
	case XDPMETA_REQ_TARGET:
		if (in->target_exists && in->target_ndo_xmit)
			return true;
		if (!in->target_exists) {
			xdpmeta_req_say(msg->brief, "redirect target %s: no such device here", t);
			xdpmeta_req_say(msg->full,
					"needs redirect target %s, which does not exist in this netns: create it, or fix the name in XDPMETA_REQUIRE()",
					t);
		} else if (in->target_has_peer) {
			xdpmeta_req_say(msg->brief, "redirect target %s off: attach XDP to its peer", t);
			xdpmeta_req_say(msg->full,
					"needs redirect target %s, which has XDP_REDIRECT target support off (for a veth: no XDP program on its peer): attach an XDP program to its peer",
					t);
		} else {
			xdpmeta_req_say(msg->brief, "redirect target %s: no XDP target support", t);
			xdpmeta_req_say(msg->full,
					"needs redirect target %s, which cannot receive XDP_REDIRECT frames now (its driver does not announce ndo_xdp_xmit): choose another target",
					t);
		}
		return false;
	}
	return true;
}

/**
 * xdpmeta_req_eval() - the verdict on a program for a device
 * @in: the device, the redirect target and the program
 * @msg: the messages of the first unmet item
 *
 * Return: -1 when every requirement is met (the attach goes on), else the
 * first unmet enum xdpmeta_req_item, with @msg filled.
 */
int xdpmeta_req_eval(const struct xdpmeta_req_in *in, struct xdpmeta_req_msg *msg)
{
	int item;

	for (item = 0; item < __XDPMETA_REQ_MAX; item++)
		if (xdpmeta_req_applies(in, item) && !xdpmeta_req_item_met(in, item, msg))
			return item;
	return -1;
}
