// SPDX-License-Identifier: GPL-2.0
/*
 * Leased receives (MBOX_FEATURE_LEASE).
 *
 * What must hold (Documentation/semantics.rst, "Leases"):
 *  - a message received on lease leaves the queue but keeps its slot in a
 *    bounded mailbox until it is committed (gone) or released;
 *  - a released message goes back in line where it was, ahead of what
 *    arrived after it, and is delivered again with a new delivery number
 *    and a delivery count one higher;
 *  - a lease ends by itself when its deadline passes, when its open file
 *    description is released (close, death), never otherwise; extending
 *    moves the deadline;
 *  - handles are valid on their open file description only, once the
 *    receive has returned: a thread guessing a handle while the message
 *    is still being copied out finds nothing (forced with userfaultfd);
 *  - a copy-out that faults leaves no lease and puts the message back
 *    with its number;
 *  - after shutdown receivers get EPIPE only once no lease is out;
 *  - a call's request is never leased;
 *  - every misuse is EINVAL, EBADF or ENOENT.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/wait.h>

#include "mbox_hold.h"
#include "../kselftest_harness.h"

FIXTURE(lease) {
	MBOX_ENV_FIELDS;
	struct mbox_hold h;
};

FIXTURE_SETUP(lease)
{
	struct mboxio_info info;

	self->h.uffd = -1;
	self->h.addr = NULL;
	MBOX_ENV_SETUP();
	ASSERT_EQ(0, mbox_info(self->dev, &info));
	if (!(info.features & MBOX_FEATURE_LEASE))
		SKIP(return, "module without MBOX_FEATURE_LEASE");
}

FIXTURE_TEARDOWN(lease)
{
	hold_cleanup(&self->h);
	MBOX_ENV_TEARDOWN();
}

/*
 * Receive on lease for @lease_ns (0: no deadline) with @flags; the payload
 * as a string in @buf, everything the kernel said in @r.
 */
static int lease_recv(int fd, char *buf, size_t size, uint32_t flags,
		      uint64_t deadline_ns, uint64_t lease_ns,
		      struct mboxio_recv *r)
{
	int n;

	memset(r, 0, sizeof(*r));
	r->buf = (uintptr_t)buf;
	r->size = size - 1;
	r->flags = flags | MBOX_MSG_LEASE;
	r->deadline_ns = deadline_ns;
	r->lease_ns = lease_ns;
	n = mbox_ioctl(fd, MBOXIO_RECV, r);
	buf[n < 0 ? 0 : n] = '\0';
	return n;
}

static int lease_now(int fd, char *buf, size_t size, struct mboxio_recv *r)
{
	return lease_recv(fd, buf, size, MBOX_MSG_DONTWAIT, 0, 0, r);
}

static int lease_op(int fd, uint64_t id, uint32_t op, uint64_t lease_ns)
{
	struct mboxio_lease l = {
		.lease_id = id,
		.op = op,
		.lease_ns = lease_ns,
	};

	return mbox_ioctl(fd, MBOXIO_LEASE, &l);
}

/* A plain receive of what is there now, as a string. */
static int take(int fd, char *buf, size_t size, struct mboxio_recv *r)
{
	int n = mbox_recv(fd, buf, size - 1, MBOX_MSG_DONTWAIT, 0, r);

	buf[n < 0 ? 0 : n] = '\0';
	return n;
}

static uint32_t stat_u32(int fd, size_t off)
{
	struct mboxio_stat st;
	uint32_t v = ~0U;

	if (mbox_stat(fd, &st) == 0)
		memcpy(&v, (char *)&st + off, sizeof(v));
	return v;
}

#define LEASED(fd)	((int)stat_u32(fd, MBOX_STAT_FIELD(leased)))
#define QUEUED(fd)	((int)stat_u32(fd, MBOX_STAT_FIELD(queued)))

static int new_mbox(struct __test_metadata *_metadata, int dev, uint32_t cap,
		    const char **namep)
{
	const char *name = mbox_new_name("lease");
	int fd = mbox_create(dev, name, MBOX_FD_RDWR, 0600, cap, 64);

	if (namep)
		*namep = name;
	return fd;
}

/* Commit: the message is gone and its slot free; the handle is used up. */
TEST_F(lease, commit_frees_the_slot)
{
	struct mboxio_recv r;
	char buf[64];
	int fd;

	fd = new_mbox(_metadata, self->dev, 2, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "a"));
	ASSERT_EQ(0, mbox_send_str(fd, "b"));

	ASSERT_EQ(1, lease_now(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("a", buf);
	EXPECT_NE(0U, r.lease_id);
	EXPECT_EQ(1U, r.deliveries);
	EXPECT_EQ(1U, r.seq);
	EXPECT_EQ(0U, r.reply_id);
	EXPECT_EQ(1, LEASED(fd));
	EXPECT_EQ(1, QUEUED(fd));

	/* The leased message still holds its slot: full at 1 + 1. */
	EXPECT_EQ(-EAGAIN, mbox_send(fd, "c", 1, MBOX_MSG_DONTWAIT, 0));

	ASSERT_EQ(0, lease_op(fd, r.lease_id, MBOX_LEASE_COMMIT, 0));
	EXPECT_EQ(0, LEASED(fd));
	EXPECT_EQ(0, mbox_send(fd, "c", 1, MBOX_MSG_DONTWAIT, 0));
	/* Used up, whichever way one asks. */
	EXPECT_EQ(-ENOENT, lease_op(fd, r.lease_id, MBOX_LEASE_COMMIT, 0));
	EXPECT_EQ(-ENOENT, lease_op(fd, r.lease_id, MBOX_LEASE_RELEASE, 0));
	EXPECT_EQ(-ENOENT, lease_op(fd, r.lease_id, MBOX_LEASE_EXTEND, 0));

	/* Nothing came back: b, then c, then nothing. */
	ASSERT_EQ(1, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("b", buf);
	EXPECT_EQ(1U, r.deliveries);
	ASSERT_EQ(1, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("c", buf);
	EXPECT_EQ(-EAGAIN, take(fd, buf, sizeof(buf), &r));
	close(fd);
}

/*
 * Released messages go back where they were, whatever order they are
 * released in, ahead of what arrived after them, with new numbers and
 * one more delivery.
 */
TEST_F(lease, release_restores_order)
{
	struct mboxio_recv ra, rb, r;
	struct mboxio_stat st;
	char buf[64];
	int fd;

	fd = new_mbox(_metadata, self->dev, 8, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "a"));
	ASSERT_EQ(0, mbox_send_str(fd, "b"));
	ASSERT_EQ(0, mbox_send_str(fd, "c"));

	ASSERT_EQ(1, lease_now(fd, buf, sizeof(buf), &ra));
	EXPECT_STREQ("a", buf);
	EXPECT_EQ(1U, ra.msg_id);
	ASSERT_EQ(1, lease_now(fd, buf, sizeof(buf), &rb));
	EXPECT_STREQ("b", buf);
	EXPECT_EQ(2U, rb.msg_id);
	EXPECT_EQ(2, LEASED(fd));
	ASSERT_EQ(0, mbox_send_str(fd, "d"));

	/* Released last first: a still goes before b, both before c. */
	ASSERT_EQ(0, lease_op(fd, rb.lease_id, MBOX_LEASE_RELEASE, 0));
	ASSERT_EQ(0, lease_op(fd, ra.lease_id, MBOX_LEASE_RELEASE, 0));
	EXPECT_EQ(0, LEASED(fd));
	EXPECT_EQ(4, QUEUED(fd));

	/* New numbers for new deliveries; the same identity. */
	ASSERT_EQ(1, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("a", buf);
	EXPECT_EQ(2U, r.deliveries);
	EXPECT_EQ(3U, r.seq);
	EXPECT_EQ(1U, r.msg_id);
	ASSERT_EQ(1, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("b", buf);
	EXPECT_EQ(2U, r.deliveries);
	EXPECT_EQ(4U, r.seq);
	EXPECT_EQ(2U, r.msg_id);
	ASSERT_EQ(1, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("c", buf);
	EXPECT_EQ(1U, r.deliveries);
	EXPECT_EQ(3U, r.msg_id);
	ASSERT_EQ(1, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("d", buf);
	EXPECT_EQ(4U, r.msg_id);

	/* Each delivery counts as received; each message was sent once. */
	ASSERT_EQ(0, mbox_stat(fd, &st));
	EXPECT_EQ(4U, st.sent);
	EXPECT_EQ(6U, st.received);
	EXPECT_NE(0U, st.mbox_id);
	close(fd);
}

/*
 * A forwarder names a message by (mbox_id, msg_id): a name reused for a new
 * mailbox must not give the same identities again.
 */
TEST_F(lease, identities_differ_across_reuse)
{
	struct mboxio_stat st1, st2;
	struct mboxio_recv r1, r2;
	const char *name;
	char buf[64];
	int fd;

	fd = new_mbox(_metadata, self->dev, 4, &name);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "x"));
	ASSERT_EQ(1, take(fd, buf, sizeof(buf), &r1));
	ASSERT_EQ(0, mbox_stat(fd, &st1));
	close(fd);
	ASSERT_EQ(0, mbox_unlink(self->dev, name));
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 4, 64);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "x"));
	ASSERT_EQ(1, take(fd, buf, sizeof(buf), &r2));
	ASSERT_EQ(0, mbox_stat(fd, &st2));
	EXPECT_EQ(r1.msg_id, r2.msg_id);
	EXPECT_NE(st1.mbox_id, st2.mbox_id);
	close(fd);
}

/* A message released again and again counts every delivery. */
TEST_F(lease, deliveries_count_up)
{
	struct mboxio_recv r;
	char buf[64];
	uint32_t i;
	int fd;

	fd = new_mbox(_metadata, self->dev, 1, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "x"));
	for (i = 1; i <= 5; i++) {
		ASSERT_EQ(1, lease_now(fd, buf, sizeof(buf), &r));
		EXPECT_EQ(i, r.deliveries);
		EXPECT_EQ(i, r.seq);
		ASSERT_EQ(0, lease_op(fd, r.lease_id, MBOX_LEASE_RELEASE, 0));
	}
	ASSERT_EQ(1, take(fd, buf, sizeof(buf), &r));
	EXPECT_EQ(6U, r.deliveries);
	close(fd);
}

/*
 * A lease whose deadline passes is released by the kernel: a receiver
 * waiting meanwhile gets the message, and the old handle is gone. One
 * extended to no deadline is not released.
 */
TEST_F(lease, expiry_and_extend)
{
	struct mboxio_recv r, r2, rx;
	char buf[64];
	uint64_t t0;
	int fd;

	fd = new_mbox(_metadata, self->dev, 4, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "a"));
	ASSERT_EQ(0, mbox_send_str(fd, "b"));

	t0 = now_ns();
	ASSERT_EQ(1, lease_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0,
				MS(100), &r));
	EXPECT_STREQ("a", buf);
	ASSERT_EQ(1, lease_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0,
				MS(100), &rx));
	EXPECT_STREQ("b", buf);
	/* b is kept past its deadline: no deadline any more. */
	ASSERT_EQ(0, lease_op(fd, rx.lease_id, MBOX_LEASE_EXTEND, 0));

	/* Waits until the kernel ends a's lease. */
	ASSERT_EQ(1, lease_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE,
				now_ns() + MS(10000), 0, &r2));
	EXPECT_LE(MS(100), now_ns() - t0);
	EXPECT_STREQ("a", buf);
	EXPECT_EQ(2U, r2.deliveries);
	EXPECT_NE(r.lease_id, r2.lease_id);
	EXPECT_EQ(-ENOENT, lease_op(fd, r.lease_id, MBOX_LEASE_COMMIT, 0));

	usleep(200000);
	EXPECT_EQ(2, LEASED(fd));
	EXPECT_EQ(0, QUEUED(fd));
	/* A lease can be given a deadline again, and it ends then. */
	ASSERT_EQ(0, lease_op(fd, rx.lease_id, MBOX_LEASE_EXTEND, MS(50)));
	ASSERT_EQ(1, mbox_recv(fd, buf, sizeof(buf) - 1, MBOX_MSG_DEADLINE,
			       now_ns() + MS(10000), &r));
	EXPECT_EQ(2U, r.deliveries);
	EXPECT_EQ(0, lease_op(fd, r2.lease_id, MBOX_LEASE_COMMIT, 0));
	EXPECT_EQ(0, LEASED(fd));
	close(fd);
}

/* Closing the last fd of the open file description releases its leases. */
TEST_F(lease, close_releases)
{
	struct mboxio_recv r;
	const char *name;
	char buf[64];
	int fd, fd2, dup2fd;

	fd = new_mbox(_metadata, self->dev, 4, &name);
	ASSERT_LE(0, fd);
	fd2 = mbox_open(self->dev, name, MBOX_FD_RECV);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, mbox_send_str(fd, "a"));
	ASSERT_EQ(0, mbox_send_str(fd, "b"));
	ASSERT_EQ(1, lease_now(fd2, buf, sizeof(buf), &r));
	EXPECT_STREQ("a", buf);

	/* Another description, even of the same mailbox, cannot use it. */
	EXPECT_EQ(-ENOENT, lease_op(fd, r.lease_id, MBOX_LEASE_COMMIT, 0));
	/* A duplicate of the same description can: close one, keep it. */
	dup2fd = dup(fd2);
	ASSERT_LE(0, dup2fd);
	close(fd2);
	EXPECT_EQ(1, LEASED(fd));
	EXPECT_EQ(0, lease_op(dup2fd, r.lease_id, MBOX_LEASE_EXTEND, 0));
	close(dup2fd);

	/* Released: back before b. */
	EXPECT_EQ(0, LEASED(fd));
	ASSERT_EQ(1, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("a", buf);
	EXPECT_EQ(2U, r.deliveries);
	ASSERT_EQ(1, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("b", buf);
	close(fd);
}

/* A lessee killed with its lease: the message comes back. */
TEST_F(lease, death_releases)
{
	struct mboxio_recv r;
	const char *name;
	char buf[64];
	pid_t pid;
	int fd;

	fd = new_mbox(_metadata, self->dev, 4, &name);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "job"));
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int c = mbox_open(self->dev, name, MBOX_FD_RECV);

		CHILD_CHECK(c >= 0);
		CHILD_CHECK(lease_now(c, buf, sizeof(buf), &r) == 3);
		CHILD_CHECK(sync_post(self->sv[1], 'L') == 0);
		pause();
		_exit(0);
	}
	ASSERT_EQ('L', sync_wait(self->sv[0]));
	EXPECT_EQ(1, LEASED(fd));
	EXPECT_EQ(-EAGAIN, take(fd, buf, sizeof(buf), &r));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	EXPECT_EQ(1000 + SIGKILL, mbox_reap(pid));

	EXPECT_EQ(0, LEASED(fd));
	ASSERT_EQ(3, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("job", buf);
	EXPECT_EQ(2U, r.deliveries);
	close(fd);
}

/*
 * Shutdown while leased: receivers wait for the lease, since a release
 * would bring the message back; a commit ends the drain (EPIPE), a
 * release delivers the message, then EPIPE.
 */
TEST_F(lease, shutdown_waits_for_leases)
{
	struct mbox_bg_recv bg;
	struct mboxio_recv r;
	char buf[64], bgbuf[64];
	int fd;

	fd = new_mbox(_metadata, self->dev, 4, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "a"));
	ASSERT_EQ(1, lease_now(fd, buf, sizeof(buf), &r));
	ASSERT_EQ(0, mbox_shutdown(fd));
	EXPECT_EQ(-EAGAIN, take(fd, buf, sizeof(buf), NULL));
	/* A lease can still be taken and released after shutdown. */
	ASSERT_EQ(0, lease_op(fd, r.lease_id, MBOX_LEASE_RELEASE, 0));
	ASSERT_EQ(1, lease_now(fd, buf, sizeof(buf), &r));
	EXPECT_EQ(2U, r.deliveries);

	/* A receiver blocked on the drain is told EPIPE by the commit. */
	ASSERT_EQ(0, bg_recv_start(&bg, fd, bgbuf, sizeof(bgbuf)));
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));
	ASSERT_EQ(0, lease_op(fd, r.lease_id, MBOX_LEASE_COMMIT, 0));
	ASSERT_EQ(1, bg_wait_done(&bg.done, 10000));
	pthread_join(bg.thread, NULL);
	EXPECT_EQ(-EPIPE, bg.ret);
	EXPECT_EQ(-EPIPE, take(fd, buf, sizeof(buf), NULL));
	close(fd);
}

/*
 * Rendezvous: leasing accepts the offer (the sender returns), and a
 * released message waits in the mailbox for the next receiver.
 */
TEST_F(lease, rendezvous)
{
	struct mbox_bg_send bs;
	struct mboxio_recv r;
	char buf[64];
	int fd;

	fd = new_mbox(_metadata, self->dev, 0, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bg_send_start(&bs, fd, "r", 1, 0, 0));
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));
	ASSERT_EQ(1, lease_now(fd, buf, sizeof(buf), &r));
	ASSERT_EQ(1, bg_wait_done(&bs.done, 10000));
	pthread_join(bs.thread, NULL);
	EXPECT_EQ(0, bs.ret);
	EXPECT_EQ(1, LEASED(fd));

	ASSERT_EQ(0, lease_op(fd, r.lease_id, MBOX_LEASE_RELEASE, 0));
	EXPECT_EQ(1, QUEUED(fd));
	ASSERT_EQ(1, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("r", buf);
	EXPECT_EQ(2U, r.deliveries);
	close(fd);
}

/*
 * Capacity: a blocked sender is admitted by a commit, not by a release
 * (the message came back into its own slot).
 */
TEST_F(lease, capacity_accounting)
{
	struct mbox_bg_send bs;
	struct mboxio_recv r;
	char buf[64];
	int fd;

	fd = new_mbox(_metadata, self->dev, 1, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "1"));
	ASSERT_EQ(1, lease_now(fd, buf, sizeof(buf), &r));
	ASSERT_EQ(0, bg_send_start(&bs, fd, "2", 1, 0, 0));
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_senders), 1));

	ASSERT_EQ(0, lease_op(fd, r.lease_id, MBOX_LEASE_RELEASE, 0));
	usleep(50000);
	EXPECT_EQ(0, __atomic_load_n(&bs.done, __ATOMIC_ACQUIRE));
	EXPECT_EQ(1, QUEUED(fd));

	ASSERT_EQ(1, lease_now(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("1", buf);
	ASSERT_EQ(0, lease_op(fd, r.lease_id, MBOX_LEASE_COMMIT, 0));
	ASSERT_EQ(1, bg_wait_done(&bs.done, 10000));
	pthread_join(bs.thread, NULL);
	EXPECT_EQ(0, bs.ret);
	ASSERT_EQ(1, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("2", buf);
	close(fd);
}

/* A lease receive whose copy-out faults leaves no lease behind. */
TEST_F(lease, fault_leaves_no_lease)
{
	struct mboxio_recv r;
	char buf[64];
	int fd;

	fd = new_mbox(_metadata, self->dev, 4, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "a"));
	memset(&r, 0, sizeof(r));
	r.buf = (uintptr_t)mbox_bad_ptr();
	r.size = 64;
	r.flags = MBOX_MSG_LEASE | MBOX_MSG_DONTWAIT;
	EXPECT_EQ(-EFAULT, mbox_ioctl(fd, MBOXIO_RECV, &r));
	EXPECT_EQ(0, LEASED(fd));
	EXPECT_EQ(1, QUEUED(fd));
	ASSERT_EQ(1, take(fd, buf, sizeof(buf), &r));
	EXPECT_EQ(1U, r.deliveries);
	EXPECT_EQ(1U, r.seq);
	close(fd);
}

/* A request is answered, not leased. */
struct caller {
	pthread_t thread;
	int fd;
	char reply[16];
	volatile int ret;
};

static void *caller_fn(void *p)
{
	struct caller *c = p;
	struct mboxio_call call = {
		.buf = (uintptr_t)"req",
		.len = 3,
		.reply_buf = (uintptr_t)c->reply,
		.reply_size = sizeof(c->reply),
	};

	c->ret = mbox_ioctl(c->fd, MBOXIO_CALL, &call);
	return NULL;
}

TEST_F(lease, requests_are_not_leased)
{
	struct mboxio_reply rep = { .buf = (uintptr_t)"ok", .len = 2 };
	struct mboxio_recv r;
	struct caller c = { 0 };
	char buf[64];
	int fd;

	fd = new_mbox(_metadata, self->dev, 4, NULL);
	ASSERT_LE(0, fd);
	c.fd = fd;
	ASSERT_EQ(0, pthread_create(&c.thread, NULL, caller_fn, &c));
	ASSERT_EQ(3, lease_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE,
				now_ns() + MS(10000), MS(10), &r));
	EXPECT_NE(0U, r.reply_id);
	EXPECT_EQ(0U, r.lease_id);
	EXPECT_EQ(0, LEASED(fd));
	rep.reply_id = r.reply_id;
	EXPECT_EQ(0, mbox_ioctl(fd, MBOXIO_REPLY, &rep));
	pthread_join(c.thread, NULL);
	EXPECT_EQ(2, c.ret);
	close(fd);
}

/* Every misuse is refused before anything moves. */
TEST_F(lease, bad_arguments)
{
	struct mboxio_batch b = { 0 };
	struct mboxio_recvmsg m = { 0 };
	struct mboxio_recv r;
	struct mboxio_send s = { 0 };
	const char *name;
	char buf[64];
	int fd, wfd;

	fd = new_mbox(_metadata, self->dev, 4, &name);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "a"));

	/* Not on a send. */
	s.buf = (uintptr_t)"x";
	s.len = 1;
	s.flags = MBOX_MSG_LEASE;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_SEND, &s));
	/* Not on a batch. */
	m.buf = (uintptr_t)buf;
	m.size = sizeof(buf);
	b.vec = (uintptr_t)&m;
	b.count = 1;
	b.flags = MBOX_MSG_LEASE | MBOX_MSG_DONTWAIT;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_RECVV, &b));
	/* Not through a struct that cannot carry the handle back. */
	memset(&r, 0, sizeof(r));
	r.buf = (uintptr_t)buf;
	r.size = sizeof(buf);
	r.flags = MBOX_MSG_LEASE | MBOX_MSG_DONTWAIT;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, _IOC(_IOC_READ | _IOC_WRITE,
					       MBOX_IOCTL_TYPE, 0x11, 64), &r));
	/* A lease_ns without a lease, or past 2^63 - 1. */
	r.flags = MBOX_MSG_DONTWAIT;
	r.lease_ns = 1;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_RECV, &r));
	r.flags = MBOX_MSG_DONTWAIT | MBOX_MSG_LEASE;
	r.lease_ns = 1ULL << 63;
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_RECV, &r));
	/* Nothing moved. */
	EXPECT_EQ(1, QUEUED(fd));
	EXPECT_EQ(0, LEASED(fd));

	ASSERT_EQ(1, lease_now(fd, buf, sizeof(buf), &r));
	/* Unknown ops, lease_ns where none belongs, padding. */
	EXPECT_EQ(-EINVAL, lease_op(fd, r.lease_id, 0, 0));
	EXPECT_EQ(-EINVAL, lease_op(fd, r.lease_id, 4, 0));
	EXPECT_EQ(-EINVAL, lease_op(fd, r.lease_id, MBOX_LEASE_COMMIT, 1));
	EXPECT_EQ(-EINVAL, lease_op(fd, r.lease_id, MBOX_LEASE_EXTEND,
				    1ULL << 63));
	{
		struct mboxio_lease l = {
			.lease_id = r.lease_id,
			.op = MBOX_LEASE_COMMIT,
			.__pad = 1,
		};

		EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_LEASE, &l));
	}
	/* Handles that are not held here. */
	EXPECT_EQ(-ENOENT, lease_op(fd, 0, MBOX_LEASE_COMMIT, 0));
	EXPECT_EQ(-ENOENT, lease_op(fd, r.lease_id + 1000000,
				    MBOX_LEASE_COMMIT, 0));
	/* A descriptor that cannot receive. */
	wfd = mbox_open(self->dev, name, MBOX_FD_SEND);
	ASSERT_LE(0, wfd);
	EXPECT_EQ(-EBADF, lease_op(wfd, r.lease_id, MBOX_LEASE_COMMIT, 0));
	close(wfd);
	EXPECT_EQ(1, LEASED(fd));
	EXPECT_EQ(0, lease_op(fd, r.lease_id, MBOX_LEASE_COMMIT, 0));
	close(fd);
}

/*
 * The handle is not valid before the receive returns: with the copy-out
 * held by userfaultfd, a thread sharing the file that guesses the handle
 * (they are sequential) finds nothing, so it cannot commit, and so free,
 * a message the kernel is still copying. Once the copy is let go the
 * lease is there.
 */
struct bg_lease {
	pthread_t thread;
	int fd;
	void *buf;
	struct mboxio_recv r;
	volatile int ret;
	volatile int done;
};

static void *bg_lease_fn(void *p)
{
	struct bg_lease *b = p;

	memset(&b->r, 0, sizeof(b->r));
	b->r.buf = (uintptr_t)b->buf;
	b->r.size = 64;
	b->r.flags = MBOX_MSG_LEASE;
	b->ret = mbox_ioctl(b->fd, MBOXIO_RECV, &b->r);
	__atomic_store_n(&b->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

TEST_F(lease, handle_not_valid_during_copy)
{
	struct mboxio_recv r;
	struct bg_lease bg = { 0 };
	uint64_t guess;
	char buf[64];
	int fd, err;

	err = hold_setup(&self->h, 4096);
	if (err)
		SKIP(return, "no userfaultfd: %s", strerror(-err));
	fd = new_mbox(_metadata, self->dev, 4, NULL);
	ASSERT_LE(0, fd);

	/* Learn the last handle given out; the next is one more. */
	ASSERT_EQ(0, mbox_send_str(fd, "probe"));
	ASSERT_EQ(5, lease_now(fd, buf, sizeof(buf), &r));
	ASSERT_EQ(0, lease_op(fd, r.lease_id, MBOX_LEASE_COMMIT, 0));
	guess = r.lease_id + 1;

	ASSERT_EQ(0, mbox_send_str(fd, "held"));
	bg.fd = fd;
	bg.buf = self->h.addr;
	ASSERT_EQ(0, pthread_create(&bg.thread, NULL, bg_lease_fn, &bg));
	ASSERT_EQ(0, hold_wait(&self->h, 5000));

	/* Claimed, being copied: counted out, not leased, not settleable. */
	EXPECT_EQ(0, QUEUED(fd));
	EXPECT_EQ(0, LEASED(fd));
	EXPECT_EQ(-ENOENT, lease_op(fd, guess, MBOX_LEASE_COMMIT, 0));
	EXPECT_EQ(-ENOENT, lease_op(fd, guess, MBOX_LEASE_RELEASE, 0));

	ASSERT_EQ(0, hold_release(&self->h));
	ASSERT_EQ(1, bg_wait_done(&bg.done, 10000));
	pthread_join(bg.thread, NULL);
	ASSERT_EQ(4, bg.ret);
	EXPECT_EQ(guess, bg.r.lease_id);
	EXPECT_EQ(1, LEASED(fd));
	EXPECT_EQ(0, lease_op(fd, guess, MBOX_LEASE_RELEASE, 0));
	ASSERT_EQ(4, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("held", buf);
	EXPECT_EQ(2U, r.deliveries);
	close(fd);
}

/*
 * Commit against expiry: each message is settled exactly once. Leases run
 * out while the test takes and commits them (on a slow kernel, even while
 * it is still taking them, so a message may be leased twice); every commit
 * that succeeds means its message is gone, every ENOENT that the deadline
 * put the message back. Whatever the timing, each message must end up
 * committed once or received again once, never both and never neither,
 * with a delivery count of one more than the leases it went through.
 */
TEST_F(lease, commit_races_expiry)
{
	enum { N = 200 };
	static uint64_t ids[N];
	static int which[N], leases[N], committed[N], drained[N];
	struct mboxio_recv r;
	int ok = 0, expired = 0;
	char buf[64];
	int fd, i, n;

	fd = new_mbox(_metadata, self->dev, N, NULL);
	ASSERT_LE(0, fd);
	for (i = 0; i < N; i++) {
		n = snprintf(buf, sizeof(buf), "%d", i);
		ASSERT_EQ(0, mbox_send(fd, buf, n, 0, 0));
	}
	for (i = 0; i < N; i++) {
		ASSERT_LT(0, lease_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT,
					0, MS(2) + (uint64_t)i * 100000, &r));
		ids[i] = r.lease_id;
		which[i] = atoi(buf);
		ASSERT_TRUE(which[i] >= 0 && which[i] < N);
		leases[which[i]]++;
	}
	/* Commits trail the deadlines, some before, some after. */
	for (i = 0; i < N; i++) {
		int ret;

		if (i % 10 == 0)
			usleep(1000);
		ret = lease_op(fd, ids[i], MBOX_LEASE_COMMIT, 0);
		if (ret == 0) {
			ok++;
			committed[which[i]]++;
		} else {
			ASSERT_EQ(-ENOENT, ret);
			expired++;
		}
	}
	while (take(fd, buf, sizeof(buf), &r) > 0) {
		i = atoi(buf);
		ASSERT_TRUE(i >= 0 && i < N);
		drained[i]++;
		EXPECT_EQ((uint32_t)leases[i] + 1, r.deliveries);
	}
	for (i = 0; i < N; i++) {
		EXPECT_EQ(1, committed[i] + drained[i]) {
			TH_LOG("message %d: %d commits, %d receives", i,
			       committed[i], drained[i]);
		}
	}
	EXPECT_EQ(0, LEASED(fd));
	TH_LOG("%d committed, %d expired", ok, expired);
	close(fd);
}

/*
 * Many messages out on lease, given back in a scrambled order: they come
 * back in their original order, ahead of what arrived meanwhile, each
 * with one more delivery.
 */
TEST_F(lease, many_releases_in_any_order)
{
	enum { N = 500 };
	static uint64_t ids[N];
	struct mboxio_recv r;
	char buf[64];
	uint64_t rng = 12345;
	int fd, i, j, n;

	fd = new_mbox(_metadata, self->dev, N + 1, NULL);
	ASSERT_LE(0, fd);
	for (i = 0; i < N; i++) {
		n = snprintf(buf, sizeof(buf), "%d", i);
		ASSERT_EQ(0, mbox_send(fd, buf, n, 0, 0));
	}
	for (i = 0; i < N; i++) {
		ASSERT_LT(0, lease_now(fd, buf, sizeof(buf), &r));
		ASSERT_EQ(i, atoi(buf));
		ids[i] = r.lease_id;
	}
	ASSERT_EQ(0, mbox_send_str(fd, "later"));
	for (i = N - 1; i > 0; i--) {		/* Fisher-Yates */
		uint64_t t;

		j = (int)(mbox_rand(&rng) % (uint64_t)(i + 1));
		t = ids[i];
		ids[i] = ids[j];
		ids[j] = t;
	}
	for (i = 0; i < N; i++)
		ASSERT_EQ(0, lease_op(fd, ids[i], MBOX_LEASE_RELEASE, 0));
	for (i = 0; i < N; i++) {
		ASSERT_LT(0, take(fd, buf, sizeof(buf), &r));
		ASSERT_EQ(i, atoi(buf));
		EXPECT_EQ(2U, r.deliveries);
	}
	ASSERT_EQ(5, take(fd, buf, sizeof(buf), &r));
	EXPECT_STREQ("later", buf);
	close(fd);
}

/*
 * Deadlines falling due together, more than the deadline work ends per
 * hold of the lock: every lease ends, and the messages come back in their
 * order.
 */
TEST_F(lease, mass_expiry_in_order)
{
	enum { N = 300 };
	struct mboxio_recv r;
	char buf[64];
	int fd, i, n;

	fd = new_mbox(_metadata, self->dev, N, NULL);
	ASSERT_LE(0, fd);
	for (i = 0; i < N; i++) {
		n = snprintf(buf, sizeof(buf), "%d", i);
		ASSERT_EQ(0, mbox_send(fd, buf, n, 0, 0));
	}
	for (i = 0; i < N; i++)
		ASSERT_LT(0, lease_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT,
					0, MS(3000), &r));
	/* Long enough that a slow kernel takes them all before any ends. */
	for (i = 0; i < 3000 && LEASED(fd); i++)
		usleep(10000);
	ASSERT_EQ(0, LEASED(fd));
	for (i = 0; i < N; i++) {
		ASSERT_LT(0, take(fd, buf, sizeof(buf), &r));
		ASSERT_EQ(i, atoi(buf));
		EXPECT_EQ(2U, r.deliveries);
	}
	close(fd);
}

/*
 * A lease costs its lessee what the message could cost: a reader with a
 * small allowance cannot pin more than that of other users' messages (on
 * a rendezvous mailbox nothing else would bound it). Leases of 64 KiB
 * mailbox messages against a 256 KiB allowance: EDQUOT after at most 4,
 * where the lease records alone would have let it take all 16.
 */
TEST_F(lease, lessee_pays)
{
	long saved = mbox_param_read("max_user_bytes");
	const char *name;
	int fd, i, st;
	pid_t pid;

	if (geteuid() != 0 || saved <= 0)
		SKIP(return, "needs root and max_user_bytes");
	name = mbox_new_name("lease-quota");
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0644, 16, 65536);
	ASSERT_LE(0, fd);
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, mbox_send_str(fd, "tiny"));
	ASSERT_EQ(0, mbox_param_write("max_user_bytes", 256 * 1024));
	pid = mbox_fork();
	if (pid == 0) {
		struct mboxio_recv r;
		char buf[64];
		int c, n = 0;

		CHILD_CHECK(mbox_become(1000, 1000, 0, NULL) == 0);
		c = mbox_open(self->dev, name, MBOX_FD_RECV);
		CHILD_CHECK(c >= 0);
		while (lease_now(c, buf, sizeof(buf), &r) > 0)
			n++;
		_exit(errno == EDQUOT ? n : 100 + n);
	}
	st = mbox_reap(pid);
	mbox_param_write("max_user_bytes", saved);
	ASSERT_LE(0, pid);
	EXPECT_LE(1, st);
	EXPECT_GE(4, st) {
		TH_LOG("leased %d before %s", st % 100,
		       st >= 100 ? "running out of messages" : "EDQUOT");
	}
	/* The child's death gave them all back. */
	EXPECT_EQ(16, QUEUED(fd));
	close(fd);
}

/*
 * A message given back into an empty mailbox is an arrival for the
 * notification registrant: a lease that runs out wakes a thread waiting in
 * MBOXIO_NOTIFY_WAIT.
 */
TEST_F(lease, release_notifies)
{
	struct mboxio_notify nt = { .how = MBOX_NOTIFY_THREAD };
	struct mboxio_recv r;
	char buf[64];
	int fd;

	fd = new_mbox(_metadata, self->dev, 4, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send_str(fd, "once"));
	ASSERT_EQ(4, lease_recv(fd, buf, sizeof(buf), MBOX_MSG_DONTWAIT, 0,
				MS(50), &r));
	ASSERT_EQ(0, mbox_ioctl(fd, MBOXIO_NOTIFY, &nt));
	ASSERT_NE(0U, nt.token);
	nt.how = 0;
	alarm(10);
	EXPECT_EQ(0, mbox_ioctl(fd, MBOXIO_NOTIFY_WAIT, &nt));
	alarm(0);
	ASSERT_EQ(4, take(fd, buf, sizeof(buf), &r));
	EXPECT_EQ(2U, r.deliveries);
	close(fd);
}

/*
 * MBOXIO_REPLY_RECV checks its receive's lease arguments before it
 * replies: a bad one fails the call with nothing answered.
 */
TEST_F(lease, reply_recv_checks_lease_first)
{
	struct mboxio_reply_recv rr;
	struct mboxio_reply rep = { .buf = (uintptr_t)"ok", .len = 2 };
	struct mboxio_recv r;
	struct caller c = { 0 };
	char buf[64];
	int fd;

	fd = new_mbox(_metadata, self->dev, 4, NULL);
	ASSERT_LE(0, fd);
	c.fd = fd;
	ASSERT_EQ(0, pthread_create(&c.thread, NULL, caller_fn, &c));
	ASSERT_EQ(3, mbox_recv(fd, buf, sizeof(buf), MBOX_MSG_DEADLINE,
			       now_ns() + MS(10000), &r));
	ASSERT_NE(0U, r.reply_id);

	memset(&rr, 0, sizeof(rr));
	rr.reply.reply_id = r.reply_id;
	rr.reply.buf = (uintptr_t)"no";
	rr.reply.len = 2;
	rr.recv.buf = (uintptr_t)buf;
	rr.recv.size = sizeof(buf);
	rr.recv.flags = MBOX_MSG_DONTWAIT;
	rr.recv.lease_ns = 5;		/* without MBOX_MSG_LEASE */
	EXPECT_EQ(-EINVAL, mbox_ioctl(fd, MBOXIO_REPLY_RECV, &rr));
	/* Not answered: the handle still works, and the caller gets "ok". */
	rep.reply_id = r.reply_id;
	EXPECT_EQ(0, mbox_ioctl(fd, MBOXIO_REPLY, &rep));
	pthread_join(c.thread, NULL);
	EXPECT_EQ(2, c.ret);
	EXPECT_EQ(0, memcmp(c.reply, "ok", 2));
	close(fd);
}

TEST_HARNESS_MAIN
