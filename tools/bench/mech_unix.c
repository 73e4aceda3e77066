// SPDX-License-Identifier: GPL-2.0
/*
 * UNIX domain sockets from socketpair(): fd[0] sends, fd[1] receives, both
 * shared by every process of a run; default buffer sizes.
 *
 *  unix-seqpacket:	SOCK_SEQPACKET, one send()/recv() per message.
 *  unix-dgram-mmsg:	SOCK_DGRAM, up to DGRAM_BATCH messages per
 *			sendmmsg(), recvmmsg(MSG_WAITFORONE) (one at a time in
 *			the ping-pong, which has only one in flight).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bench.h"

#define DGRAM_BATCH	32

static int seqpacket_open(struct chan *ch)
{
	return socketpair(AF_UNIX, SOCK_SEQPACKET, 0, ch->fd);
}

static int dgram_open(struct chan *ch)
{
	return socketpair(AF_UNIX, SOCK_DGRAM, 0, ch->fd);
}

static void unix_close(struct chan *ch)
{
	close(ch->fd[0]);
	close(ch->fd[1]);
}

static int seqpacket_send(struct chan *ch, struct bmsg *v, unsigned int n)
{
	(void)n;
	return send(ch->fd[0], v->buf, v->len, 0) < 0 ? -1 : 1;
}

static int seqpacket_recv(struct chan *ch, struct bmsg *v, unsigned int n)
{
	ssize_t len = recv(ch->fd[1], v->buf, ch->msg_size, MSG_TRUNC);

	(void)n;
	if (len < 0)
		return -1;
	v->len = (size_t)len;	/* MSG_TRUNC: the real length, to be checked */
	return 1;
}

static struct mmsghdr mmsg[DGRAM_BATCH];
static struct iovec iov[DGRAM_BATCH];

static unsigned int mmsg_setup(struct bmsg *v, unsigned int n, size_t size)
{
	if (n > DGRAM_BATCH)
		n = DGRAM_BATCH;
	memset(mmsg, 0, n * sizeof(mmsg[0]));
	for (unsigned int i = 0; i < n; i++) {
		iov[i].iov_base = v[i].buf;
		iov[i].iov_len = size ? size : v[i].len;
		mmsg[i].msg_hdr.msg_iov = &iov[i];
		mmsg[i].msg_hdr.msg_iovlen = 1;
	}
	return n;
}

static int dgram_send(struct chan *ch, struct bmsg *v, unsigned int n)
{
	n = mmsg_setup(v, n, 0);
	return sendmmsg(ch->fd[0], mmsg, n, 0);
}

static int dgram_recv(struct chan *ch, struct bmsg *v, unsigned int n)
{
	int k;

	n = mmsg_setup(v, n, ch->msg_size);
	k = recvmmsg(ch->fd[1], mmsg, n, MSG_WAITFORONE, NULL);
	for (int i = 0; i < k; i++)
		v[i].len = mmsg[i].msg_hdr.msg_flags & MSG_TRUNC ?
			   ch->msg_size + 1 : mmsg[i].msg_len;
	return k;
}

const struct mech mech_unix_seqpacket = {
	.name = "unix-seqpacket", .batch = 1,
	.open = seqpacket_open, .close = unix_close,
	.send = seqpacket_send, .recv = seqpacket_recv,
};

const struct mech mech_unix_dgram_mmsg = {
	.name = "unix-dgram-mmsg", .batch = DGRAM_BATCH,
	.open = dgram_open, .close = unix_close,
	.send = dgram_send, .recv = dgram_recv,
};
