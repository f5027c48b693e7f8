// SPDX-License-Identifier: GPL-2.0
/*
 * registry.c - named keys. An application registers a name and a value
 * size and gets a key id (0..63) that its XDP programs use on the data
 * path; every program on the host that registers the same name gets the
 * same id. Callable from BPF_PROG_TYPE_SYSCALL programs (run with
 * BPF_PROG_RUN), so no new kernel interface is needed.
 *
 * Locking: xdpmeta_registry_lock (a mutex: registration may sleep) protects
 * xdpmeta_keys[] and xdpmeta_registry_rev. The data path never takes it:
 * it reads xdpmeta_key_size[], one byte per id written with WRITE_ONCE()
 * under the mutex and read with READ_ONCE() (see xdpmeta_registry_size()).
 *
 * Id reuse: unregistering the last reference frees an id. A freed id goes
 * to the back of the free list (ids are handed out least-recently-freed
 * first, never-used ids before all freed ones), and unregister waits one
 * RCU grace period (synchronize_rcu) after marking the id unregistered,
 * so every program run that could still see the old registration has
 * finished before the id can be handed out again. Frames already queued
 * in a ring (a veth peer's ring, a cpumap) can outlive that: if the id is
 * reused with a different value size, get on such a frame returns
 * -EBADMSG instead of misreading; with the same size it reads the old
 * value, which is why ids are reused as late as possible.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/string.h>
#include <linux/ctype.h>

#include "xdpmeta_int.h"
#include "kv.h"

struct xdpmeta_key {
	char name[XDPMETA_KEY_NAME_LEN];
	u32 size;
	u32 refs;		/* 0: free; at most XDPMETA_KEY_MAX_REFS */
	bool reserved;
	bool second;		/* the second id of a 16-byte key */
	u64 freed_seq;		/* when it was freed, for LRU reuse */
	char comm[TASK_COMM_LEN];
	pid_t pid;
	u64 registered_ns;	/* ktime_get_boottime_ns() */
};

/*
 * References one key can hold: far more than the applications of one host
 * take, and far from where the count could wrap to 0 (which would free an
 * id still in use).
 */
#define XDPMETA_KEY_MAX_REFS	65535

static DEFINE_MUTEX(xdpmeta_registry_lock);
static struct xdpmeta_key xdpmeta_keys[XDPMETA_MAX_KEYS];	/* the lock */
static u64 xdpmeta_registry_rev = 1;	/* the lock; READ_ONCE outside */
static u64 xdpmeta_registry_free_seq;	/* the lock */

/* Data-path view: size of each id, XDPMETA_SIZE_NONE if unregistered. */
u8 xdpmeta_key_size[XDPMETA_MAX_KEYS] __read_mostly;

static const struct {
	const char *name;
	u32 size;
} xdpmeta_reserved_keys[] = {
	[XDPMETA_KEY_RX_HASH]		= { "rx_hash", 4 },
	[XDPMETA_KEY_RX_HASH_TYPE]	= { "rx_hash_type", 4 },
	[XDPMETA_KEY_RX_VLAN]		= { "rx_vlan", 4 },
	[XDPMETA_KEY_RX_TIMESTAMP]	= { "rx_timestamp", 8 },
};

static void __xdpmeta_key_publish(u32 id)
{
	const struct xdpmeta_key *k = &xdpmeta_keys[id];

	lockdep_assert_held(&xdpmeta_registry_lock);
	WRITE_ONCE(xdpmeta_key_size[id],
		   k->refs && !k->second ? k->size : XDPMETA_SIZE_NONE);
}

static void __xdpmeta_key_fill(u32 id, const char *name, u32 size,
			       bool reserved, bool second)
{
	struct xdpmeta_key *k = &xdpmeta_keys[id];

	strscpy(k->name, name, sizeof(k->name));
	k->size = size;
	k->refs = 1;
	k->reserved = reserved;
	k->second = second;
	get_task_comm(k->comm, current);
	k->pid = task_tgid_vnr(current);
	k->registered_ns = ktime_get_boottime_ns();
	__xdpmeta_key_publish(id);
}

static int __xdpmeta_key_find(const char *name)
{
	int id;

	for (id = 0; id < XDPMETA_MAX_KEYS; id++)
		if (xdpmeta_keys[id].refs && !xdpmeta_keys[id].second &&
		    !strcmp(xdpmeta_keys[id].name, name))
			return id;
	return -ENOENT;
}

/* The least recently freed id (or pair of ids for 16 bytes), or -ENOSPC. */
static int __xdpmeta_key_alloc(u32 size)
{
	int id, best = -ENOSPC, n = size == 16 ? 2 : 1;
	u64 best_seq = U64_MAX;

	for (id = XDPMETA_KEY_FIRST_FREE; id + n <= XDPMETA_MAX_KEYS; id++) {
		u64 seq = xdpmeta_keys[id].freed_seq;

		if (xdpmeta_keys[id].refs)
			continue;
		if (n == 2) {
			if (xdpmeta_keys[id + 1].refs)
				continue;
			seq = max(seq, xdpmeta_keys[id + 1].freed_seq);
		}
		if (seq < best_seq) {
			best = id;
			best_seq = seq;
		}
	}
	return best;
}

/*
 * A NUL-terminated name of 1..31 characters within @name__sz bytes, made
 * of [A-Za-z0-9_.-] only: names are printed in debugfs "keys", a
 * whitespace-separated table the CLI parses, and must not forge rows.
 */
static int xdpmeta_key_name_check(const char *name, u32 name__sz)
{
	size_t len, i;

	/* the verifier lets a maybe-NULL pointer through (mem/size pair) */
	if (!name)
		return -EINVAL;
	len = strnlen(name, name__sz);
	if (!len || len == name__sz || len >= XDPMETA_KEY_NAME_LEN)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && name[i] != '_' && name[i] != '.' && name[i] != '-')
			return -EINVAL;
	return 0;
}

__bpf_kfunc_start_defs();

/**
 * bpf_xdpmeta_key_register - get the key id of a name, allocating it
 * @name: the key's name, NUL-terminated, 1 to 31 characters of
 *        [A-Za-z0-9_.-]
 * @name__sz: size of the @name buffer
 * @size: value size: 0 (a flag), 2, 4, 8 or 16 (16 takes two ids)
 * @flags: XDPMETA_KEY_CREATE (allocate a new name) or
 *         XDPMETA_KEY_NO_CREATE (only look an existing name up)
 * @expected_rev: fail unless the registry is at this revision; 0: any
 *
 * Idempotent: the same name and size always give the same id, and each
 * successful call takes a reference that bpf_xdpmeta_key_unregister()
 * drops. Reserved hint keys (rx_hash, ...) can be looked up like any
 * other. Sleeps (SYSCALL programs only).
 *
 * Return: the key id (0..63) on success;
 * -EINVAL if @name is NULL, empty, too long, not NUL-terminated or has a
 * character outside [A-Za-z0-9_.-], @size is not 0, 2, 4, 8 or 16, or
 * @flags is not exactly one of the two flags;
 * -ESTALE if @expected_rev is not 0 and the registry moved past it;
 * -ENOENT if the name is not registered and @flags is NO_CREATE;
 * -EMSGSIZE if the name is registered with another size;
 * -ENOSPC if no free id (or pair of adjacent ids for 16 bytes) is left;
 * -EOVERFLOW if the name already holds XDPMETA_KEY_MAX_REFS (65535)
 *  references.
 */
__bpf_kfunc int bpf_xdpmeta_key_register(const char *name, u32 name__sz,
					 u32 size, u32 flags, u64 expected_rev)
{
	int id, err;

	err = xdpmeta_key_name_check(name, name__sz);
	if (err)
		return err;
	if (!xdpmeta_kv_size_valid(XDPMETA_KEY_FIRST_FREE, size))
		return -EINVAL;
	if (flags != XDPMETA_KEY_CREATE && flags != XDPMETA_KEY_NO_CREATE)
		return -EINVAL;

	mutex_lock(&xdpmeta_registry_lock);
	if (expected_rev && expected_rev != xdpmeta_registry_rev) {
		id = -ESTALE;
		goto out;
	}
	id = __xdpmeta_key_find(name);
	if (id >= 0) {
		if (xdpmeta_keys[id].size != size) {
			id = -EMSGSIZE;
			goto out;
		}
		if (xdpmeta_keys[id].refs >= XDPMETA_KEY_MAX_REFS) {
			id = -EOVERFLOW;
			goto out;
		}
		xdpmeta_keys[id].refs++;
		if (size == 16)
			xdpmeta_keys[id + 1].refs++;
	} else if (flags == XDPMETA_KEY_NO_CREATE) {
		goto out;	/* -ENOENT */
	} else {
		id = __xdpmeta_key_alloc(size);
		if (id < 0)
			goto out;
		__xdpmeta_key_fill(id, name, size, false, false);
		if (size == 16)
			__xdpmeta_key_fill(id + 1, name, size, false, true);
	}
	WRITE_ONCE(xdpmeta_registry_rev, xdpmeta_registry_rev + 1);
out:
	mutex_unlock(&xdpmeta_registry_lock);
	return id;
}

/**
 * bpf_xdpmeta_key_unregister - drop a reference on a named key
 * @name: the key's name, NUL-terminated
 * @name__sz: size of the @name buffer
 * @expected_rev: fail unless the registry is at this revision; 0: any
 *
 * The last reference frees the id; see "Id reuse" at the top of
 * registry.c for when it can be handed out again. Sleeps.
 *
 * Return: 0 on success;
 * -EINVAL if @name is NULL, empty, too long, not NUL-terminated or has a
 * character outside [A-Za-z0-9_.-];
 * -ESTALE if @expected_rev is not 0 and the registry moved past it;
 * -ENOENT if the name is not registered;
 * -EPERM if the key is a reserved hint key.
 */
__bpf_kfunc int bpf_xdpmeta_key_unregister(const char *name, u32 name__sz,
					   u64 expected_rev)
{
	bool freed = false;
	struct xdpmeta_key *k;
	int id, err;

	err = xdpmeta_key_name_check(name, name__sz);
	if (err)
		return err;

	mutex_lock(&xdpmeta_registry_lock);
	if (expected_rev && expected_rev != xdpmeta_registry_rev) {
		err = -ESTALE;
		goto out;
	}
	id = __xdpmeta_key_find(name);
	if (id < 0) {
		err = id;
		goto out;
	}
	k = &xdpmeta_keys[id];
	if (k->reserved) {
		err = -EPERM;
		goto out;
	}
	if (!--k->refs) {
		k->freed_seq = ++xdpmeta_registry_free_seq;
		__xdpmeta_key_publish(id);
		freed = true;
	}
	if (k->size == 16) {
		k[1].refs = k->refs;
		k[1].freed_seq = k->freed_seq;
	}
	WRITE_ONCE(xdpmeta_registry_rev, xdpmeta_registry_rev + 1);
	/*
	 * Pairs with the READ_ONCE of xdpmeta_key_size[] in the kfuncs: once
	 * this returns, no program run still uses the old registration, and
	 * only then can __xdpmeta_key_alloc() (under this same lock) hand
	 * the id out again.
	 */
	if (freed)
		synchronize_rcu();
out:
	mutex_unlock(&xdpmeta_registry_lock);
	return err;
}

/**
 * bpf_xdpmeta_key_revision - the registry's revision
 *
 * Incremented by every successful register and unregister; pass it as
 * @expected_rev to make a change conditional on nothing having moved.
 *
 * Return: the current revision (never 0).
 */
__bpf_kfunc u64 bpf_xdpmeta_key_revision(void)
{
	return READ_ONCE(xdpmeta_registry_rev);
}

__bpf_kfunc_end_defs();


/*
 * @comm as one field of a whitespace-separated row: a task sets its own
 * comm (prctl(PR_SET_NAME)), so spaces and control bytes become '?'.
 */
static void xdpmeta_key_comm_field(char *out, const char *comm)
{
	int i;

	for (i = 0; i < TASK_COMM_LEN - 1 && comm[i]; i++)
		out[i] = isgraph(comm[i]) ? comm[i] : '?';
	out[i] = '\0';
	if (!i)
		strscpy(out, "-", TASK_COMM_LEN);
}

/* debugfs "keys": the revision, a header line, one line per used id. */
int xdpmeta_registry_keys_show(struct seq_file *m, void *v)
{
	char comm[TASK_COMM_LEN];
	int id;

	mutex_lock(&xdpmeta_registry_lock);
	seq_printf(m, "revision %llu\n", xdpmeta_registry_rev);
	seq_puts(m, "id name size reserved refs comm pid registered_s\n");
	for (id = 0; id < XDPMETA_MAX_KEYS; id++) {
		const struct xdpmeta_key *k = &xdpmeta_keys[id];
		u64 ns = k->registered_ns;

		if (!k->refs || k->second)
			continue;
		xdpmeta_key_comm_field(comm, k->comm);
		seq_printf(m, "%d %s %u %d %u %s %d %llu.%06llu\n", id, k->name,
			   k->size, k->reserved, k->refs, comm, k->pid,
			   ns / NSEC_PER_SEC, (ns % NSEC_PER_SEC) / NSEC_PER_USEC);
	}
	mutex_unlock(&xdpmeta_registry_lock);
	return 0;
}

int xdpmeta_registry_init(void)
{
	int id;

	mutex_lock(&xdpmeta_registry_lock);
	for (id = 0; id < XDPMETA_MAX_KEYS; id++)
		WRITE_ONCE(xdpmeta_key_size[id], XDPMETA_SIZE_NONE);
	for (id = 0; id < ARRAY_SIZE(xdpmeta_reserved_keys); id++) {
		__xdpmeta_key_fill(id, xdpmeta_reserved_keys[id].name,
				   xdpmeta_reserved_keys[id].size, true, false);
		strscpy(xdpmeta_keys[id].comm, "xdpmeta", TASK_COMM_LEN);
		xdpmeta_keys[id].pid = 0;
	}
	mutex_unlock(&xdpmeta_registry_lock);
	BUILD_BUG_ON(ARRAY_SIZE(xdpmeta_reserved_keys) != XDPMETA_KEY_FIRST_FREE);
	return 0;
}
