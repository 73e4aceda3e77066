// SPDX-License-Identifier: GPL-2.0
/*
 * A POSIX message queue of BENCH_DEPTH messages of msg_size bytes, unlinked
 * as soon as it is open (glibc's mqd_t is a file descriptor that fork
 * shares). Root may exceed /proc/sys/fs/mqueue/msg_max and msgsize_max
 * (CAP_SYS_RESOURCE); the guest script raises them anyway, and the bench
 * lifts RLIMIT_MSGQUEUE, so 64 KiB messages work.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <unistd.h>

#include "bench.h"

static int mq_ch_open(struct chan *ch)
{
	static unsigned int n;
	struct mq_attr attr = {
		.mq_maxmsg = BENCH_DEPTH,
		.mq_msgsize = (long)ch->msg_size,
	};
	char name[64];
	mqd_t q;

	snprintf(name, sizeof(name), "/mbox-bench.%d.%u", (int)getpid(), n++);
	q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	if (q == (mqd_t)-1)
		return -1;
	mq_unlink(name);
	ch->fd[0] = (int)q;
	return 0;
}

static void mq_ch_close(struct chan *ch)
{
	mq_close((mqd_t)ch->fd[0]);
}

static int mq_ch_send(struct chan *ch, struct bmsg *v, unsigned int n)
{
	(void)n;
	return mq_send((mqd_t)ch->fd[0], v->buf, v->len, 0) ? -1 : 1;
}

static int mq_ch_recv(struct chan *ch, struct bmsg *v, unsigned int n)
{
	ssize_t len = mq_receive((mqd_t)ch->fd[0], v->buf, ch->msg_size, NULL);

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
