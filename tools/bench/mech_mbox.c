// SPDX-License-Identifier: GPL-2.0
/*
 * mbox through libmbox: an anonymous mailbox per channel (opened O_RDWR and
 * shared by fork), msg_size exactly the run's message size.
 *
 * mbox-batch is the bounded mailbox driven through mbox_sendv() and
 * mbox_recvv(), up to MBOX_BENCH_BATCH messages per call (as many as the
 * unix-dgram-mmsg peer); like sendmmsg()/recvmmsg(MSG_WAITFORONE) they
 * return how many messages moved, and only the first may wait.
 *
 * mbox-call is request/reply on one rendezvous mailbox: the client's round
 * trip is one mbox_call(), the server's one mbox_reply_recv() per request.
 */
#include <fcntl.h>
#include <unistd.h>

#include <libmbox.h>

#include "bench.h"

static int mbox_ch_open(struct chan *ch)
{
	struct mbox_attr attr = {
		.capacity = ch->m->capacity,
		.msg_size = (unsigned int)ch->msg_size,
		.mode = 0600,
	};

	ch->fd[0] = mbox_create(NULL, &attr, O_RDWR);
	return ch->fd[0] < 0 ? -1 : 0;
}

static void mbox_ch_close(struct chan *ch)
{
	if (ch->fd[0] >= 0)
		mbox_close(ch->fd[0]);
}

static int mbox_ch_send(struct chan *ch, struct bmsg *v, unsigned int n)
{
	(void)n;
	return mbox_send(ch->fd[0], v->buf, v->len) ? -1 : 1;
}

static int mbox_ch_recv(struct chan *ch, struct bmsg *v, unsigned int n)
{
	ssize_t len = mbox_recv(ch->fd[0], v->buf, ch->msg_size, NULL);

	(void)n;
	if (len < 0)
		return -1;
	v->len = (size_t)len;
	return 1;
}

#define MBOX_BENCH_BATCH	32

static struct mbox_msgvec vec[MBOX_BENCH_BATCH];

static int mbox_ch_sendv(struct chan *ch, struct bmsg *v, unsigned int n)
{
	if (n > MBOX_BENCH_BATCH)
		n = MBOX_BENCH_BATCH;
	for (unsigned int i = 0; i < n; i++) {
		vec[i].buf = v[i].buf;
		vec[i].len = v[i].len;
	}
	return mbox_sendv(ch->fd[0], vec, n, -1);
}

static int mbox_ch_recvv(struct chan *ch, struct bmsg *v, unsigned int n)
{
	int k;

	if (n > MBOX_BENCH_BATCH)
		n = MBOX_BENCH_BATCH;
	for (unsigned int i = 0; i < n; i++) {
		vec[i].buf = v[i].buf;
		vec[i].len = ch->msg_size;
	}
	k = mbox_recvv(ch->fd[0], vec, n, -1);
	for (int i = 0; i < k; i++)
		v[i].len = vec[i].info.len;
	return k;
}

const struct mech mech_mbox_rendezvous = {
	.name = "mbox-rendezvous", .ours = 1, .batch = 1, .capacity = 0,
	.rendezvous = 1,
	.open = mbox_ch_open, .close = mbox_ch_close,
	.send = mbox_ch_send, .recv = mbox_ch_recv,
};

const struct mech mech_mbox_bounded = {
	.name = "mbox-bounded", .ours = 1, .batch = 1, .capacity = BENCH_DEPTH,
	.open = mbox_ch_open, .close = mbox_ch_close,
	.send = mbox_ch_send, .recv = mbox_ch_recv,
};

const struct mech mech_mbox_batch = {
	.name = "mbox-batch", .ours = 1, .batch = MBOX_BENCH_BATCH,
	.capacity = BENCH_DEPTH,
	.open = mbox_ch_open, .close = mbox_ch_close,
	.send = mbox_ch_sendv, .recv = mbox_ch_recvv,
};

static int mbox_ch_call(struct chan *ch, const struct bmsg *req,
			struct bmsg *rep)
{
	ssize_t len = mbox_call(ch->fd[0], req->buf, req->len, rep->buf,
				ch->msg_size, NULL);

	if (len < 0)
		return -1;
	rep->len = (size_t)len;
	return 0;
}

static int mbox_ch_serve(struct chan *ch, const struct bmsg *rep,
			 uint64_t *handle, struct bmsg *req)
{
	struct mbox_msginfo info;
	ssize_t len;

	len = mbox_reply_recv(ch->fd[0], *handle, rep->buf,
			      *handle ? rep->len : 0, req->buf, ch->msg_size,
			      &info);
	if (len < 0)
		return -1;
	req->len = (size_t)len;
	*handle = info.reply_id;
	return 0;
}

static void mbox_ch_shutdown(struct chan *ch)
{
	mbox_shutdown(ch->fd[0]);
}

const struct mech mech_mbox_call = {
	.name = "mbox-call", .ours = 1, .batch = 1, .capacity = 0,
	.open = mbox_ch_open, .close = mbox_ch_close,
	.call = mbox_ch_call, .serve = mbox_ch_serve,
	.shutdown = mbox_ch_shutdown,
};
