// SPDX-License-Identifier: GPL-2.0
/*
 * mbox ABI checks: MBOXIO_INFO, every rejected flag bit, pad field, mode bit
 * and name form, limits on capacity and msg_size, EFAULT for bad pointers,
 * ENOTTY for foreign commands, and which error wins when several arguments
 * are wrong at once.
 */
#define _GNU_SOURCE
#include "mbox_helpers.h"
#include "../kselftest_harness.h"

FIXTURE(api) {
	MBOX_ENV_FIELDS;
	int mb;			/* named, RDWR, capacity 4, msg_size 64 */
	const char *name;
	struct mboxio_info info;
};

FIXTURE_SETUP(api)
{
	self->mb = -1;
	MBOX_ENV_SETUP();
	ASSERT_EQ(0, mbox_info(self->dev, &self->info));
	self->name = mbox_new_name("api");
	self->mb = mbox_create(self->dev, self->name, MBOX_FD_RDWR, 0600, 4, 64);
	ASSERT_LE(0, self->mb);
}

FIXTURE_TEARDOWN(api)
{
	if (self->mb >= 0)
		close(self->mb);
	MBOX_ENV_TEARDOWN();
}

static int create_raw(int dev, struct mboxio_create *c)
{
	return mbox_ioctl(dev, MBOXIO_CREATE, c);
}

static struct mboxio_create good_create(const char *name)
{
	struct mboxio_create c = {
		.name = (uintptr_t)name,
		.flags = MBOX_FD_RDWR,
		.mode = 0600,
		.capacity = 1,
		.msg_size = 16,
	};
	return c;
}

TEST_F(api, info)
{
	struct mboxio_info info;

	MBOX_SKIP_GUARD();
	memset(&info, 0xff, sizeof(info));
	ASSERT_EQ(0, mbox_ioctl(self->dev, MBOXIO_INFO, &info));
	EXPECT_EQ((__u32)MBOX_ABI_VERSION, info.version);
	EXPECT_EQ((__u32)MBOX_NAME_MAX, info.name_max);
	EXPECT_EQ(MBOX_FD_ALL, info.fd_flags);
	EXPECT_EQ(MBOX_MSG_ALL, info.msg_flags);
	EXPECT_LE(1U, info.max_mailboxes);
	EXPECT_LE(1U, info.max_capacity);
	EXPECT_LE(1U, info.max_msg_size);
	/* At least the fixture's mailbox exists. */
	EXPECT_LE(1U, info.nr_mailboxes);
	EXPECT_GE(info.max_mailboxes, info.nr_mailboxes);
	EXPECT_EQ(MBOX_FEATURE_USER_LIMITS | MBOX_FEATURE_SIZED_ARGS |
		  MBOX_FEATURE_CALL | MBOX_FEATURE_PRIORITY |
		  MBOX_FEATURE_LEASE | MBOX_FEATURE_CLAIM, info.features);
	EXPECT_EQ(0U, info.__pad);
	EXPECT_EQ(sizeof(struct mboxio_info), _IOC_SIZE(MBOXIO_INFO));
}

TEST_F(api, info_efault)
{
	MBOX_SKIP_GUARD();
	EXPECT_EQ(-EFAULT, mbox_ioctl(self->dev, MBOXIO_INFO, NULL));
	EXPECT_EQ(-EFAULT, mbox_ioctl(self->dev, MBOXIO_INFO, mbox_bad_ptr()));
}

TEST_F(api, struct_sizes)
{
	MBOX_SKIP_GUARD();
	/* The ABI promises 8-byte multiples with no implicit padding. */
	EXPECT_EQ(72U, sizeof(struct mboxio_info));
	EXPECT_EQ(32U, sizeof(struct mboxio_create));
	EXPECT_EQ(16U, sizeof(struct mboxio_open));
	EXPECT_EQ(16U, sizeof(struct mboxio_unlink));
	EXPECT_EQ(48U, sizeof(struct mboxio_send));
	EXPECT_EQ(104U, sizeof(struct mboxio_recv));
	EXPECT_EQ(128U, sizeof(struct mboxio_reply_recv));
	EXPECT_EQ(80U, sizeof(struct mboxio_call));
	EXPECT_EQ(24U, sizeof(struct mboxio_reply));
	EXPECT_EQ(32U, sizeof(struct mboxio_batch));
	EXPECT_EQ(40U, sizeof(struct mboxio_recvmsg));
	EXPECT_EQ(48U, sizeof(struct mboxio_recvmsg_v2));
	EXPECT_EQ(72U, sizeof(struct mboxio_stat));
	EXPECT_EQ(24U, sizeof(struct mboxio_lease));
}

TEST_F(api, create_unknown_flag_bits)
{
	const char *name = mbox_new_name("flags");
	struct mboxio_create c = good_create(name);
	int bit;

	MBOX_SKIP_GUARD();
	for (bit = 0; bit < 32; bit++) {
		if ((1U << bit) & (MBOX_FD_ALL | MBOX_CREATE_MQ))
			continue;
		c.flags = MBOX_FD_RDWR | (1U << bit);
		EXPECT_EQ(-EINVAL, create_raw(self->dev, &c))
			TH_LOG("create flag bit %d accepted", bit);
	}
	EXPECT_EQ(-ENOENT, mbox_open(self->dev, name, MBOX_FD_RECV));
}

TEST_F(api, create_no_access_bit)
{
	struct mboxio_create c = good_create(mbox_new_name("noacc"));

	MBOX_SKIP_GUARD();
	c.flags = 0;
	EXPECT_EQ(-EINVAL, create_raw(self->dev, &c));
	c.flags = MBOX_FD_NONBLOCK | MBOX_FD_CLOEXEC;
	EXPECT_EQ(-EINVAL, create_raw(self->dev, &c));
	c.name = 0;
	EXPECT_EQ(-EINVAL, create_raw(self->dev, &c));
}

TEST_F(api, create_pad)
{
	struct mboxio_create c = good_create(mbox_new_name("pad"));
	int bit;

	MBOX_SKIP_GUARD();
	for (bit = 0; bit < 64; bit++) {
		c.__pad = 1ULL << bit;
		EXPECT_EQ(-EINVAL, create_raw(self->dev, &c))
			TH_LOG("create __pad bit %d accepted", bit);
	}
}

TEST_F(api, create_mode_bits)
{
	struct mboxio_create c = good_create(mbox_new_name("mode"));
	int bit;

	MBOX_SKIP_GUARD();
	for (bit = 9; bit < 32; bit++) {
		c.mode = 0600 | (1U << bit);
		EXPECT_EQ(-EINVAL, create_raw(self->dev, &c))
			TH_LOG("mode bit %#o accepted", 1U << bit);
	}
}

TEST_F(api, create_capacity_limit)
{
	const char *name = mbox_new_name("cap");
	struct mboxio_create c = good_create(name);
	int fd;

	MBOX_SKIP_GUARD();
	c.capacity = self->info.max_capacity + 1;
	EXPECT_EQ(-EINVAL, create_raw(self->dev, &c));
	c.capacity = UINT32_MAX;
	EXPECT_EQ(-EINVAL, create_raw(self->dev, &c));
	c.capacity = self->info.max_capacity;
	fd = create_raw(self->dev, &c);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
}

TEST_F(api, create_msg_size_limit)
{
	const char *name = mbox_new_name("msz");
	struct mboxio_create c = good_create(name);
	struct mboxio_stat st;
	int fd;

	MBOX_SKIP_GUARD();
	c.msg_size = 0;
	EXPECT_EQ(-EINVAL, create_raw(self->dev, &c));
	c.msg_size = self->info.max_msg_size + 1;
	EXPECT_EQ(-EINVAL, create_raw(self->dev, &c));
	c.msg_size = UINT32_MAX;
	EXPECT_EQ(-EINVAL, create_raw(self->dev, &c));
	c.msg_size = self->info.max_msg_size;
	fd = create_raw(self->dev, &c);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(self->info.max_msg_size, st.msg_size);
	close(fd);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
	c.msg_size = 1;
	fd = create_raw(self->dev, &c);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
}

/* Empty, or with a '/': a name is what a file name may be. */
static const char *const bad_names[] = {
	"",
	"/",
	"a/b",
	"/a",
	"a/",
	"//",
};

static void fill_long_name(char *buf, size_t len)
{
	memset(buf, 'x', len);
	buf[len] = 0;
}

TEST_F(api, create_bad_names)
{
	char longname[MBOX_NAME_MAX + 2];
	unsigned int i;

	MBOX_SKIP_GUARD();
	for (i = 0; i < ARRAY_SIZE(bad_names); i++)
		EXPECT_EQ(-EINVAL, mbox_create(self->dev, bad_names[i],
					       MBOX_FD_RDWR, 0600, 1, 16))
			TH_LOG("name #%u accepted by create", i);
	fill_long_name(longname, MBOX_NAME_MAX + 1);
	EXPECT_EQ(-EINVAL, mbox_create(self->dev, longname, MBOX_FD_RDWR,
				       0600, 1, 16));
}

TEST_F(api, open_bad_names)
{
	char longname[MBOX_NAME_MAX + 2];
	unsigned int i;

	MBOX_SKIP_GUARD();
	for (i = 0; i < ARRAY_SIZE(bad_names); i++)
		EXPECT_EQ(-EINVAL, mbox_open(self->dev, bad_names[i], MBOX_FD_RECV))
			TH_LOG("name #%u accepted by open", i);
	fill_long_name(longname, MBOX_NAME_MAX + 1);
	EXPECT_EQ(-EINVAL, mbox_open(self->dev, longname, MBOX_FD_RECV));
	/* A name is required: 0 is only for anonymous create. */
	EXPECT_EQ(-EINVAL, mbox_open(self->dev, NULL, MBOX_FD_RECV));
}

TEST_F(api, unlink_bad_names)
{
	char longname[MBOX_NAME_MAX + 2];
	unsigned int i;

	MBOX_SKIP_GUARD();
	for (i = 0; i < ARRAY_SIZE(bad_names); i++)
		EXPECT_EQ(-EINVAL, mbox_unlink(self->dev, bad_names[i]))
			TH_LOG("name #%u accepted by unlink", i);
	fill_long_name(longname, MBOX_NAME_MAX + 1);
	EXPECT_EQ(-EINVAL, mbox_unlink(self->dev, longname));
	EXPECT_EQ(-EINVAL, mbox_unlink(self->dev, NULL));
}

TEST_F(api, good_names)
{
	static const char *const fixed[] = {
		".", "..", "-", "_", " ", "a b", "tab\t", "nl\n",
		"caf\xc3\xa9", "\x80", "\x01", "star*", "colon:", "q?",
		"(anonymous)", "back\\slash",
	};
	char name[MBOX_NAME_MAX + 1];
	unsigned int i;
	int fd;

	MBOX_SKIP_GUARD();
	/* Exactly MBOX_NAME_MAX bytes. */
	snprintf(name, sizeof(name), "kst.%d.", getpid());
	memset(name + strlen(name), 'Z', MBOX_NAME_MAX - strlen(name));
	name[MBOX_NAME_MAX] = 0;
	memcpy(name + MBOX_NAME_MAX - 8, "aZ09._-y", 8);
	ASSERT_EQ((size_t)MBOX_NAME_MAX, strlen(name));
	mbox_track_name(name);
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 1, 16);
	ASSERT_LE(0, fd);
	close(fd);
	fd = mbox_open(self->dev, name, MBOX_FD_RECV);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));

	for (i = 0; i < ARRAY_SIZE(fixed); i++) {
		mbox_track_name(fixed[i]);
		fd = mbox_create(self->dev, fixed[i], MBOX_FD_RDWR, 0600, 1, 16);
		EXPECT_LE(0, fd) TH_LOG("name '%s' rejected: %d", fixed[i], fd);
		if (fd >= 0) {
			close(fd);
			EXPECT_EQ(0, mbox_unlink(self->dev, fixed[i]));
		}
	}
}

TEST_F(api, open_flags_and_pad)
{
	struct mboxio_open o = { .name = (uintptr_t)self->name };
	int bit;

	MBOX_SKIP_GUARD();
	for (bit = 0; bit < 32; bit++) {
		if ((1U << bit) & MBOX_FD_ALL)
			continue;
		o.flags = MBOX_FD_RECV | (1U << bit);
		EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, MBOXIO_OPEN, &o))
			TH_LOG("open flag bit %d accepted", bit);
	}
	o.flags = 0;
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, MBOXIO_OPEN, &o));
	o.flags = MBOX_FD_NONBLOCK;
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, MBOXIO_OPEN, &o));
	o.flags = MBOX_FD_RECV;
	for (bit = 0; bit < 32; bit++) {
		o.__pad = 1U << bit;
		EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, MBOXIO_OPEN, &o))
			TH_LOG("open __pad bit %d accepted", bit);
	}
}

TEST_F(api, unlink_flags_and_pad)
{
	struct mboxio_unlink u = { .name = (uintptr_t)self->name };
	int bit;

	MBOX_SKIP_GUARD();
	for (bit = 0; bit < 32; bit++) {
		u.flags = 1U << bit;
		EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, MBOXIO_UNLINK, &u))
			TH_LOG("unlink flag bit %d accepted", bit);
	}
	u.flags = 0;
	for (bit = 0; bit < 32; bit++) {
		u.__pad = 1U << bit;
		EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, MBOXIO_UNLINK, &u))
			TH_LOG("unlink __pad bit %d accepted", bit);
	}
	/* Still there after all those rejected attempts. */
	EXPECT_EQ(-EEXIST, mbox_create(self->dev, self->name, MBOX_FD_RDWR,
				       0600, 1, 16));
}

TEST_F(api, send_bad_flags)
{
	struct mboxio_stat st;
	char c = 'x';
	int bit;

	MBOX_SKIP_GUARD();
	for (bit = 0; bit < 32; bit++) {
		if ((1U << bit) & MBOX_MSG_ALL)
			continue;
		EXPECT_EQ(-EINVAL, mbox_send(self->mb, &c, 1, 1U << bit, 0))
			TH_LOG("send flag bit %d accepted", bit);
	}
	EXPECT_EQ(-EINVAL, mbox_send(self->mb, &c, 1,
				     MBOX_MSG_DONTWAIT | MBOX_MSG_DEADLINE,
				     now_ns() + MS(1000)));
	EXPECT_EQ(-EINVAL, mbox_send(self->mb, &c, 1, 0, 1));
	EXPECT_EQ(-EINVAL, mbox_send(self->mb, &c, 1, MBOX_MSG_DONTWAIT,
				     now_ns() + MS(1000)));
	ASSERT_EQ(0, mbox_stat(self->mb, &st));
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(0U, st.sent);
}

TEST_F(api, recv_bad_flags)
{
	struct mboxio_stat st;
	char buf[64];
	int bit;

	MBOX_SKIP_GUARD();
	/* A queued message makes sure the flags, not the wait, fail. */
	ASSERT_EQ(0, mbox_send_str(self->mb, "hello"));
	for (bit = 0; bit < 32; bit++) {
		if ((1U << bit) & MBOX_MSG_ALL)
			continue;
		EXPECT_EQ(-EINVAL, mbox_recv(self->mb, buf, sizeof(buf),
					     1U << bit, 0, NULL))
			TH_LOG("recv flag bit %d accepted", bit);
	}
	EXPECT_EQ(-EINVAL, mbox_recv(self->mb, buf, sizeof(buf),
				     MBOX_MSG_DONTWAIT | MBOX_MSG_DEADLINE,
				     now_ns() + MS(1000), NULL));
	EXPECT_EQ(-EINVAL, mbox_recv(self->mb, buf, sizeof(buf), 0, 1, NULL));
	EXPECT_EQ(-EINVAL, mbox_recv(self->mb, buf, sizeof(buf),
				     MBOX_MSG_DONTWAIT, 12345, NULL));
	ASSERT_EQ(0, mbox_stat(self->mb, &st));
	EXPECT_EQ(1U, st.queued);
	EXPECT_EQ(0U, st.received);
	EXPECT_EQ(5, mbox_recv(self->mb, buf, sizeof(buf), 0, 0, NULL));
}

TEST_F(api, efault_structs)
{
	void *bad = mbox_bad_ptr();

	MBOX_SKIP_GUARD();
	EXPECT_EQ(-EFAULT, mbox_ioctl(self->dev, MBOXIO_CREATE, NULL));
	EXPECT_EQ(-EFAULT, mbox_ioctl(self->dev, MBOXIO_CREATE, bad));
	EXPECT_EQ(-EFAULT, mbox_ioctl(self->dev, MBOXIO_OPEN, NULL));
	EXPECT_EQ(-EFAULT, mbox_ioctl(self->dev, MBOXIO_OPEN, bad));
	EXPECT_EQ(-EFAULT, mbox_ioctl(self->dev, MBOXIO_UNLINK, NULL));
	EXPECT_EQ(-EFAULT, mbox_ioctl(self->dev, MBOXIO_UNLINK, bad));
	EXPECT_EQ(-EFAULT, mbox_ioctl(self->mb, MBOXIO_SEND, NULL));
	EXPECT_EQ(-EFAULT, mbox_ioctl(self->mb, MBOXIO_SEND, bad));
	EXPECT_EQ(-EFAULT, mbox_ioctl(self->mb, MBOXIO_RECV, NULL));
	EXPECT_EQ(-EFAULT, mbox_ioctl(self->mb, MBOXIO_RECV, bad));
	EXPECT_EQ(-EFAULT, mbox_ioctl(self->mb, MBOXIO_STAT, NULL));
	EXPECT_EQ(-EFAULT, mbox_ioctl(self->mb, MBOXIO_STAT, bad));
	/* The name is still there: unlink with a NULL struct did nothing. */
	EXPECT_EQ(-EEXIST, mbox_create(self->dev, self->name, MBOX_FD_RDWR,
				       0600, 1, 16));
}

TEST_F(api, efault_names)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *page;
	char *tail;

	MBOX_SKIP_GUARD();
	EXPECT_EQ(-EFAULT, mbox_create(self->dev, mbox_bad_ptr(),
				       MBOX_FD_RDWR, 0600, 1, 16));
	EXPECT_EQ(-EFAULT, mbox_open(self->dev, mbox_bad_ptr(), MBOX_FD_RECV));
	EXPECT_EQ(-EFAULT, mbox_unlink(self->dev, mbox_bad_ptr()));

	/* A valid-looking name that runs into an unmapped page. */
	page = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	ASSERT_EQ(0, munmap(page + pg, pg));
	tail = page + pg - 8;
	memcpy(tail, "abcdefgh", 8);
	EXPECT_EQ(-EFAULT, mbox_create(self->dev, tail, MBOX_FD_RDWR, 0600, 1, 16));
	EXPECT_EQ(-EFAULT, mbox_open(self->dev, tail, MBOX_FD_RECV));
	EXPECT_EQ(-EFAULT, mbox_unlink(self->dev, tail));
	munmap(page, pg);
}

TEST_F(api, efault_payload)
{
	struct mboxio_stat st;

	MBOX_SKIP_GUARD();
	EXPECT_EQ(-EFAULT, mbox_send(self->mb, mbox_bad_ptr(), 8, 0, 0));
	EXPECT_EQ(-EFAULT, mbox_send(self->mb, NULL, 8, MBOX_MSG_DONTWAIT, 0));
	ASSERT_EQ(0, mbox_stat(self->mb, &st));
	EXPECT_EQ(0U, st.queued);
	EXPECT_EQ(0U, st.sent);
}

TEST_F(api, enotty_on_dev)
{
	struct mboxio_send s = { 0 };
	struct mboxio_recv r = { 0 };
	struct mboxio_stat st;

	MBOX_SKIP_GUARD();
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->dev, MBOXIO_SEND, &s));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->dev, MBOXIO_RECV, &r));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->dev, MBOXIO_STAT, &st));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->dev, MBOXIO_SHUTDOWN, NULL));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->dev, _IO(MBOX_IOCTL_TYPE, 0x7f), NULL));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->dev, _IO(MBOX_IOCTL_TYPE, 0x04), NULL));
	/*
	 * Right number, wrong direction: a different command. Right number
	 * and direction, a size below the struct's first version: EINVAL
	 * (structs grow: see mbox_abi_test).
	 */
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev,
				      _IOW(MBOX_IOCTL_TYPE, 0x01, __u32), &s));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->dev,
				      _IOW(MBOX_IOCTL_TYPE, 0x00, struct mboxio_info), &s));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->dev, _IO('T', 0x01), NULL));
}

TEST_F(api, enotty_on_mailbox)
{
	struct mboxio_create c = good_create(mbox_new_name("tty"));
	struct mboxio_info info;
	struct mboxio_stat st;

	MBOX_SKIP_GUARD();
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->mb, MBOXIO_INFO, &info));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->mb, MBOXIO_CREATE, &c));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->mb, MBOXIO_OPEN, &c));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->mb, MBOXIO_UNLINK, &c));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->mb, _IO(MBOX_IOCTL_TYPE, 0x7f), NULL));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->mb, _IO(MBOX_IOCTL_TYPE, 0x14), NULL));
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->mb,
				      _IOR(MBOX_IOCTL_TYPE, 0x12, __u64), &st));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->mb,
				      _IOW(MBOX_IOCTL_TYPE, 0x12, struct mboxio_stat), &st));
	EXPECT_EQ(-ENOTTY, mbox_ioctl(self->mb, _IO('T', 0x01), NULL));
	EXPECT_EQ(-ENOENT, mbox_open(self->dev, (char *)(uintptr_t)c.name,
				     MBOX_FD_RECV));
}

/* Which error wins when several arguments are wrong (spec "Error order"). */
TEST_F(api, error_order_create)
{
	const char *fresh = mbox_new_name("order");
	struct mboxio_create c;

	MBOX_SKIP_GUARD();
	/* EINVAL (flags) beats EFAULT (name). */
	c = good_create(mbox_bad_ptr());
	c.flags |= 1U << 31;
	EXPECT_EQ(-EINVAL, create_raw(self->dev, &c));
	/* EINVAL (__pad, mode, capacity, msg_size) beats EFAULT (name). */
	c = good_create(mbox_bad_ptr());
	c.__pad = 1;
	EXPECT_EQ(-EINVAL, create_raw(self->dev, &c));
	c = good_create(mbox_bad_ptr());
	c.mode = 01000;
	EXPECT_EQ(-EINVAL, create_raw(self->dev, &c));
	c = good_create(mbox_bad_ptr());
	c.capacity = self->info.max_capacity + 1;
	EXPECT_EQ(-EINVAL, create_raw(self->dev, &c));
	c = good_create(mbox_bad_ptr());
	c.msg_size = 0;
	EXPECT_EQ(-EINVAL, create_raw(self->dev, &c));
	/* EINVAL (arguments) beats EEXIST. */
	c = good_create(self->name);
	c.msg_size = self->info.max_msg_size + 1;
	EXPECT_EQ(-EINVAL, create_raw(self->dev, &c));
	c = good_create(self->name);
	c.flags = 0;
	EXPECT_EQ(-EINVAL, create_raw(self->dev, &c));
	/* EFAULT (name) then EINVAL (name) then EEXIST. */
	c = good_create(self->name);
	EXPECT_EQ(-EEXIST, create_raw(self->dev, &c));
	c = good_create("bad/name");
	EXPECT_EQ(-EINVAL, create_raw(self->dev, &c));
	/* None of the failures created anything. */
	EXPECT_EQ(-ENOENT, mbox_open(self->dev, fresh, MBOX_FD_RECV));
}

TEST_F(api, error_order_open_unlink)
{
	const char *missing = mbox_new_name("missing");
	struct mboxio_open o = { .name = (uintptr_t)missing, .flags = 1U << 30 };
	struct mboxio_unlink u = { .name = (uintptr_t)missing, .flags = 1 };

	MBOX_SKIP_GUARD();
	/* EINVAL (flags / pad) beats ENOENT. */
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, MBOXIO_OPEN, &o));
	o.flags = MBOX_FD_RECV;
	o.__pad = 1;
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, MBOXIO_OPEN, &o));
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, MBOXIO_UNLINK, &u));
	u.flags = 0;
	u.__pad = 1;
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, MBOXIO_UNLINK, &u));
	/* EINVAL (flags) beats EFAULT (name). */
	o.name = (uintptr_t)mbox_bad_ptr();
	o.__pad = 0;
	o.flags = 1U << 30;
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, MBOXIO_OPEN, &o));
	u.name = (uintptr_t)mbox_bad_ptr();
	EXPECT_EQ(-EINVAL, mbox_ioctl(self->dev, MBOXIO_UNLINK, &u));
	/* Then plain ENOENT. */
	EXPECT_EQ(-ENOENT, mbox_open(self->dev, missing, MBOX_FD_RECV));
	EXPECT_EQ(-ENOENT, mbox_unlink(self->dev, missing));
}

TEST_F(api, error_order_send)
{
	char big[128] = { 0 };
	int ro;

	MBOX_SKIP_GUARD();
	ro = mbox_open(self->dev, self->name, MBOX_FD_RECV);
	ASSERT_LE(0, ro);
	/* EBADF beats EFAULT (struct). */
	EXPECT_EQ(-EBADF, mbox_ioctl(ro, MBOXIO_SEND, NULL));
	EXPECT_EQ(-EBADF, mbox_send(ro, big, 1, 1U << 20, 0));
	close(ro);
	/* EINVAL (flags) beats EMSGSIZE and EFAULT (payload). */
	EXPECT_EQ(-EINVAL, mbox_send(self->mb, mbox_bad_ptr(), sizeof(big),
				     1U << 20, 0));
	EXPECT_EQ(-EINVAL, mbox_send(self->mb, big, sizeof(big), 0, 5));
	/* EMSGSIZE beats EFAULT (payload). */
	EXPECT_EQ(-EMSGSIZE, mbox_send(self->mb, mbox_bad_ptr(), 65, 0, 0));
	/* Fill the queue: EFAULT (payload) beats EAGAIN. */
	while (mbox_send(self->mb, "x", 1, MBOX_MSG_DONTWAIT, 0) == 0)
		;
	EXPECT_EQ(-EFAULT, mbox_send(self->mb, mbox_bad_ptr(), 1,
				     MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(-EAGAIN, mbox_send(self->mb, "x", 1, MBOX_MSG_DONTWAIT, 0));
	/* After shutdown: EMSGSIZE and EFAULT still beat EPIPE, EPIPE beats EAGAIN. */
	ASSERT_EQ(0, mbox_shutdown(self->mb));
	EXPECT_EQ(-EMSGSIZE, mbox_send(self->mb, big, 65, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(-EFAULT, mbox_send(self->mb, mbox_bad_ptr(), 1,
				     MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(-EPIPE, mbox_send(self->mb, "x", 1, MBOX_MSG_DONTWAIT, 0));
	EXPECT_EQ(-EPIPE, mbox_send(self->mb, "x", 1, MBOX_MSG_DEADLINE, 1));
}

TEST_F(api, error_order_recv)
{
	struct mboxio_recv r;
	char buf[64];
	int wo;

	MBOX_SKIP_GUARD();
	wo = mbox_open(self->dev, self->name, MBOX_FD_SEND);
	ASSERT_LE(0, wo);
	/* EBADF beats EFAULT (struct) and EINVAL. */
	EXPECT_EQ(-EBADF, mbox_ioctl(wo, MBOXIO_RECV, NULL));
	EXPECT_EQ(-EBADF, mbox_recv(wo, buf, sizeof(buf), 1U << 9, 0, NULL));
	EXPECT_EQ(-EBADF, mbox_recv(wo, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	close(wo);
	ASSERT_EQ(0, mbox_send_str(self->mb, "0123456789"));
	/* EINVAL beats EMSGSIZE. */
	EXPECT_EQ(-EINVAL, mbox_recv(self->mb, buf, 2, 1U << 9, 0, NULL));
	/* Shut down with a message queued: EMSGSIZE, then the drain works. */
	ASSERT_EQ(0, mbox_shutdown(self->mb));
	EXPECT_EQ(-EMSGSIZE, mbox_recv(self->mb, buf, 2, MBOX_MSG_DONTWAIT, 0, &r));
	EXPECT_EQ(10U, r.len);
	EXPECT_EQ(10, mbox_recv(self->mb, buf, sizeof(buf), MBOX_MSG_DEADLINE, 1, &r));
	EXPECT_EQ(1U, r.seq);
	/* Empty and shut down: EPIPE beats EAGAIN and ETIMEDOUT. */
	EXPECT_EQ(-EPIPE, mbox_recv(self->mb, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0, NULL));
	EXPECT_EQ(-EPIPE, mbox_recv(self->mb, buf, sizeof(buf), MBOX_MSG_DEADLINE, 1, NULL));
	EXPECT_EQ(-EPIPE, mbox_recv(self->mb, buf, sizeof(buf), 0, 0, NULL));
	/* EINVAL still beats EPIPE. */
	EXPECT_EQ(-EINVAL, mbox_recv(self->mb, buf, sizeof(buf), 1U << 9, 0, NULL));
}

TEST_F(api, shutdown_needs_send)
{
	struct mboxio_stat st;
	int ro;

	MBOX_SKIP_GUARD();
	ro = mbox_open(self->dev, self->name, MBOX_FD_RECV);
	ASSERT_LE(0, ro);
	EXPECT_EQ(-EBADF, mbox_shutdown(ro));
	ASSERT_EQ(0, mbox_stat(ro, &st));
	EXPECT_EQ(0U, st.flags & MBOX_STAT_SHUTDOWN);
	close(ro);
}

TEST_HARNESS_MAIN
