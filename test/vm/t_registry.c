// SPDX-License-Identifier: GPL-2.0
/*
 * The named key registry through its SYSCALL kfuncs (the way the CLI and
 * applications use it): idempotence, sizes, every errno, revisions,
 * refcounts, reserved keys, debugfs, and 8 threads at once.
 */
#include <pthread.h>
#include "xm_test.h"
#include "xm_harness.h"

#define KEYS "/sys/kernel/debug/xdpmeta/keys"

FIXTURE(reg) {
	struct xdpmeta_ctl *ctl;
};

FIXTURE_SETUP(reg)
{
	ASSERT_EQ(0, xm_load());
	self->ctl = xm_ctl_open();
	ASSERT_NE(NULL, self->ctl);
}

FIXTURE_TEARDOWN(reg)
{
	if (self->ctl)
		xdpmeta_ctl__destroy(self->ctl);
	xm_unload();
}

/* the debugfs line of key NAME ("id name size reserved refs ..."), or NULL */
static char *keys_line(const char *name, char *buf, size_t len)
{
	static char all[8192];
	char pat[64], *p;

	if (xm_read(KEYS, all, sizeof(all)) < 0)
		return NULL;
	snprintf(pat, sizeof(pat), " %s ", name);
	for (p = strtok(all, "\n"); p; p = strtok(NULL, "\n"))
		if (strstr(p, pat)) {
			snprintf(buf, len, "%s", p);
			return buf;
		}
	return NULL;
}

TEST_F(reg, reserved_keys_present)
{
	static const char *names[] = { "rx_hash", "rx_hash_type", "rx_vlan", "rx_timestamp" };
	static const int sizes[] = { 4, 4, 4, 8 };
	char line[256], exp[64];

	for (int i = 0; i < 4; i++) {
		ASSERT_NE(NULL, keys_line(names[i], line, sizeof(line))) TH_LOG("%s", names[i]);
		snprintf(exp, sizeof(exp), "%d %s %d 1 ", i, names[i], sizes[i]);
		EXPECT_EQ(0, strncmp(line, exp, strlen(exp))) TH_LOG("'%s' vs '%s'", line, exp);
		/* looked up by name like any key, with its fixed size */
		EXPECT_EQ(i, xm_key_req(self->ctl, true, names[i], sizes[i],
					XDPMETA_KEY_NO_CREATE, 0, NULL));
		EXPECT_EQ(-EMSGSIZE, xm_key_req(self->ctl, true, names[i], 2,
						XDPMETA_KEY_NO_CREATE, 0, NULL));
		EXPECT_EQ(-EPERM, xm_key_del(self->ctl, names[i]));
	}
}

TEST_F(reg, idempotent_and_refcounted)
{
	char line[256];
	int a = xm_key_add(self->ctl, "flow_id", 8);

	ASSERT_GE(a, XDPMETA_KEY_FIRST_FREE);
	EXPECT_EQ(a, xm_key_add(self->ctl, "flow_id", 8));
	EXPECT_EQ(a, xm_key_req(self->ctl, true, "flow_id", 8, XDPMETA_KEY_NO_CREATE, 0, NULL));
	ASSERT_NE(NULL, keys_line("flow_id", line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " flow_id 8 0 3 ")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " t_registry ")) TH_LOG("registering task: %s", line);
	EXPECT_EQ(0, xm_key_del(self->ctl, "flow_id"));
	EXPECT_EQ(0, xm_key_del(self->ctl, "flow_id"));
	ASSERT_NE(NULL, keys_line("flow_id", line, sizeof(line)));	/* one ref left */
	EXPECT_EQ(0, xm_key_del(self->ctl, "flow_id"));
	EXPECT_EQ(NULL, keys_line("flow_id", line, sizeof(line)));
	EXPECT_EQ(-ENOENT, xm_key_del(self->ctl, "flow_id"));
}

TEST_F(reg, errnos)
{
	char long_name[40];

	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	EXPECT_EQ(-EINVAL, xm_key_add(self->ctl, "", 4));
	EXPECT_EQ(-EINVAL, xm_key_add(self->ctl, long_name, 4));	/* unterminated in 32 */
	EXPECT_EQ(-EINVAL, xm_key_add(self->ctl, "badsize", 3));
	EXPECT_EQ(-EINVAL, xm_key_add(self->ctl, "badsize", 32));
	EXPECT_EQ(-EINVAL, xm_key_req(self->ctl, true, "badflags", 4, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, xm_key_req(self->ctl, true, "badflags", 4, 3, 0, NULL));
	EXPECT_EQ(-ENOENT, xm_key_req(self->ctl, true, "nosuch", 4, XDPMETA_KEY_NO_CREATE, 0, NULL));
	ASSERT_GE(xm_key_add(self->ctl, "sized", 4), 0);
	EXPECT_EQ(-EMSGSIZE, xm_key_add(self->ctl, "sized", 8));
	EXPECT_EQ(-ENOENT, xm_key_del(self->ctl, "nosuch"));
	EXPECT_EQ(-EINVAL, xm_key_del(self->ctl, ""));
}

TEST_F(reg, sixteen_bytes_take_two_ids_and_table_fills)
{
	char name[32];
	int id16 = xm_key_add(self->ctl, "addr6", 16), n = 0, id;

	ASSERT_GE(id16, XDPMETA_KEY_FIRST_FREE);
	for (;; n++) {
		snprintf(name, sizeof(name), "fill%d", n);
		id = xm_key_add(self->ctl, name, 2);
		if (id < 0)
			break;
		EXPECT_NE(id16, id);
		EXPECT_NE(id16 + 1, id) TH_LOG("second id of a 16-byte key handed out");
	}
	EXPECT_EQ(-ENOSPC, id);
	EXPECT_EQ(XDPMETA_MAX_KEYS - XDPMETA_KEY_FIRST_FREE - 2, n);
	/* one free id is not enough for another 16-byte key */
	ASSERT_EQ(0, xm_key_del(self->ctl, "fill7"));
	EXPECT_EQ(-ENOSPC, xm_key_add(self->ctl, "addr6b", 16));
	EXPECT_GE(xm_key_add(self->ctl, "fits", 4), 0);
}

TEST_F(reg, freed_ids_reused_last)
{
	int a = xm_key_add(self->ctl, "first", 4), b;

	ASSERT_GE(a, 0);
	ASSERT_EQ(0, xm_key_del(self->ctl, "first"));
	/* never-used ids are handed out before a freed one */
	b = xm_key_add(self->ctl, "second", 4);
	ASSERT_GE(b, 0);
	EXPECT_NE(a, b);
}

TEST_F(reg, revision_guards_changes)
{
	__u64 r0 = xm_key_rev(self->ctl), r1 = 0, r2 = 0;

	ASSERT_NE(0, r0);
	EXPECT_GE(xm_key_req(self->ctl, true, "rv", 4, XDPMETA_KEY_CREATE, r0, &r1), 0);
	EXPECT_EQ(r0 + 1, r1);
	/* a change based on the old revision is refused, and changes nothing */
	EXPECT_EQ(-ESTALE, xm_key_req(self->ctl, true, "rv2", 4, XDPMETA_KEY_CREATE, r0, &r2));
	EXPECT_EQ(r1, r2);
	EXPECT_EQ(-ESTALE, xm_key_req(self->ctl, false, "rv", 0, 0, r0, &r2));
	EXPECT_EQ(0, xm_key_req(self->ctl, false, "rv", 0, 0, r1, &r2));
	EXPECT_EQ(r1 + 1, r2);
	{
		char buf[64];

		ASSERT_GT(xm_read(KEYS, buf, sizeof(buf)), 0);
		snprintf(buf + 32, 32, "revision %llu\n", (unsigned long long)r2);
		EXPECT_EQ(0, strncmp(buf, buf + 32, strlen(buf + 32)));
	}
}

struct thr {
	struct xdpmeta_ctl *ctl;
	int idx;
	int ids[4];
	int errors;
};

static void *hammer(void *arg)
{
	struct thr *t = arg;
	static const char *names[] = { "shared_a", "shared_b", "shared_c", "shared_d" };
	char own[32];

	snprintf(own, sizeof(own), "own%d", t->idx);
	for (int round = 0; round < 100; round++) {
		for (int i = 0; i < 4; i++) {
			int id = xm_key_add(t->ctl, names[i], 4 << (i % 2));

			/* the main thread holds a reference: the id never changes */
			if (id < 0 || (t->ids[i] >= 0 && id != t->ids[i]))
				t->errors++;
			t->ids[i] = id;
		}
		if (xm_key_add(t->ctl, own, 8) < 0)
			t->errors++;
		for (int i = 0; i < 4; i++)
			if (xm_key_del(t->ctl, names[i]))
				t->errors++;
		if (xm_key_del(t->ctl, own))
			t->errors++;
	}
	return NULL;
}

TEST_F(reg, eight_threads_consistent)
{
	struct thr t[8];
	pthread_t th[8];
	char line[256];
	int base[4];

	/* hold a reference on each shared name: their ids cannot change */
	base[0] = xm_key_add(self->ctl, "shared_a", 4);
	base[1] = xm_key_add(self->ctl, "shared_b", 8);
	base[2] = xm_key_add(self->ctl, "shared_c", 4);
	base[3] = xm_key_add(self->ctl, "shared_d", 8);
	for (int i = 0; i < 8; i++) {
		t[i] = (struct thr){ .ctl = self->ctl, .idx = i, .ids = { -1, -1, -1, -1 } };
		ASSERT_EQ(0, pthread_create(&th[i], NULL, hammer, &t[i]));
	}
	for (int i = 0; i < 8; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 8; i++) {
		EXPECT_EQ(0, t[i].errors) TH_LOG("thread %d", i);
		for (int k = 0; k < 4; k++) {
			EXPECT_EQ(base[k], t[i].ids[k]) TH_LOG("thread %d key %d", i, k);
		}
	}
	/* debugfs agrees: one reference each left, no thread's own key */
	for (int k = 0; k < 4; k++) {
		static const char *names[] = { "shared_a", "shared_b", "shared_c", "shared_d" };
		char exp[64];

		ASSERT_NE(NULL, keys_line(names[k], line, sizeof(line)));
		snprintf(exp, sizeof(exp), "%d %s %d 0 1 ", base[k], names[k], 4 << (k % 2));
		EXPECT_EQ(0, strncmp(line, exp, strlen(exp))) TH_LOG("'%s' vs '%s'", line, exp);
	}
	EXPECT_EQ(NULL, keys_line("own0", line, sizeof(line)));
	{
		char all[8192];
		int lines = 0;

		ASSERT_GT(xm_read(KEYS, all, sizeof(all)), 0);
		for (char *p = all; *p; p++)
			lines += *p == '\n';
		EXPECT_EQ(2 + 4 + 4, lines) TH_LOG("%s", all);	/* rev, header, 4 reserved, 4 */
	}
}

TEST(cli_key_commands)
{
	ASSERT_EQ(0, xm_load());
	ASSERT_EQ(0, xm_sh("xdpmeta key add cli_key 8 > /tmp/cli.out 2>&1"));
	EXPECT_EQ(0, xm_sh("grep -q '^key cli_key: id [0-9]*, size 8' /tmp/cli.out"));
	EXPECT_EQ(0, xm_sh("xdpmeta key list | grep -q 'cli_key'"));
	EXPECT_EQ(0, xm_sh("xdpmeta key list --json | grep -q '\"name\": *\"cli_key\"'"));
	EXPECT_EQ(1, xm_sh("xdpmeta key add cli_key 4 2> /tmp/cli.err"));
	EXPECT_EQ(0, xm_sh("grep -q \"^Couldn't add key 'cli_key': \" /tmp/cli.err"));
	EXPECT_EQ(0, xm_sh("xdpmeta key del cli_key > /dev/null"));
	EXPECT_EQ(1, xm_sh("xdpmeta key del cli_key 2> /dev/null"));
	xm_unload();
	EXPECT_EQ(1, xm_sh("xdpmeta key add x 4 2> /tmp/cli.err"));
	EXPECT_EQ(0, xm_sh("grep -q 'xdpmeta is not loaded' /tmp/cli.err"));
}

TEST_HARNESS_MAIN
