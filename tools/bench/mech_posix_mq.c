// SPDX-License-Identifier: GPL-2.0
/*
 * A POSIX message queue of BENCH_DEPTH messages of msg_size bytes, unlinked
 * as soon as it is open (its mqd_t is a file descriptor that fork shares),
 * through two implementations of <mqueue.h>:
 *
 *  posix-mq  the C library's, the kernel's own message queues. Root may
 *            exceed /proc/sys/fs/mqueue/msg_max and msgsize_max
 *            (CAP_SYS_RESOURCE); the guest script raises them anyway, and
 *            the bench lifts RLIMIT_MSGQUEUE, so 64 KiB messages work.
 *  mbox-mq   libmbox-mq.so.1 (POSIX mq over mailboxes), loaded with
 *            dlopen(): the same code, the same cells, run on mbox.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <unistd.h>

#include "bench.h"

struct mq_impl {
	mqd_t (*open)(const char *, int, ...);
	int (*close)(mqd_t);
	int (*unlink)(const char *);
	int (*send)(mqd_t, const char *, size_t, unsigned int);
	ssize_t (*receive)(mqd_t, char *, size_t, unsigned int *);
};

static const struct mq_impl libc_mq = {
	mq_open, mq_close, mq_unlink, mq_send, mq_receive,
};

/* libmbox-mq's, resolved once, before the fork (open runs in the parent). */
static struct mq_impl mbox_mq;

static const struct mq_impl *mbox_mq_impl(void)
{
	void *h;

	if (mbox_mq.open)
		return &mbox_mq;
	h = dlopen("libmbox-mq.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return NULL;
	*(void **)&mbox_mq.close = dlsym(h, "mq_close");
	*(void **)&mbox_mq.unlink = dlsym(h, "mq_unlink");
	*(void **)&mbox_mq.send = dlsym(h, "mq_send");
	*(void **)&mbox_mq.receive = dlsym(h, "mq_receive");
	*(void **)&mbox_mq.open = dlsym(h, "mq_open");
	if (!mbox_mq.close || !mbox_mq.unlink || !mbox_mq.send ||
	    !mbox_mq.receive || !mbox_mq.open) {
		mbox_mq.open = NULL;
		return NULL;
	}
	return &mbox_mq;
}

static const struct mq_impl *impl_of(const struct chan *ch)
{
	return ch->m == &mech_mbox_mq ? &mbox_mq : &libc_mq;
}

static int mq_ch_open(struct chan *ch)
{
	static unsigned int n;
	struct mq_attr attr = {
		.mq_maxmsg = BENCH_DEPTH,
		.mq_msgsize = (long)ch->msg_size,
	};
	const struct mq_impl *mq = impl_of(ch);
	char name[64];
	mqd_t q;

	if (ch->m == &mech_mbox_mq && !mbox_mq_impl()) {
		errno = ENOENT;
		return -1;
	}
	snprintf(name, sizeof(name), "/mbox-bench.%d.%u", (int)getpid(), n++);
	q = mq->open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	if (q == (mqd_t)-1)
		return -1;
	mq->unlink(name);
	ch->fd[0] = (int)q;
	return 0;
}

static void mq_ch_close(struct chan *ch)
{
	impl_of(ch)->close((mqd_t)ch->fd[0]);
}

static int mq_ch_send(struct chan *ch, struct bmsg *v, unsigned int n)
{
	(void)n;
	return impl_of(ch)->send((mqd_t)ch->fd[0], v->buf, v->len, 0) ? -1 : 1;
}

static int mq_ch_recv(struct chan *ch, struct bmsg *v, unsigned int n)
{
	ssize_t len = impl_of(ch)->receive((mqd_t)ch->fd[0], v->buf,
					   ch->msg_size, NULL);

	(void)n;
	if (len < 0)
		return -1;
	v->len = (size_t)len;
	return 1;
}

const struct mech mech_posix_mq = {
	.name = "posix-mq", .batch = 1,
	.open = mq_ch_open, .close = mq_ch_close,
	.send = mq_ch_send, .recv = mq_ch_recv,
};

const struct mech mech_mbox_mq = {
	.name = "mbox-mq", .ours = 1, .batch = 1,
	.open = mq_ch_open, .close = mq_ch_close,
	.send = mq_ch_send, .recv = mq_ch_recv,
};
