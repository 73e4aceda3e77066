// SPDX-License-Identifier: GPL-2.0
/*
 * A pipe carrying fixed-size records: every message of a run is exactly
 * msg_size bytes, written with one write() and read back whole, so no
 * length prefix is needed. Records up to PIPE_BUF (4096) bytes are written
 * atomically, which is what lets several producers and consumers share one
 * pipe (the many-to-many run uses 64 bytes). A bigger record (64 KiB) may
 * move in pieces: write() and read() are repeated until the record is
 * complete, which is only sound with one writer and one reader, as in the
 * runs that use it. The pipe keeps its default size (64 KiB).
 */
#include <errno.h>
#include <unistd.h>

#include "bench.h"

static int pipe_open(struct chan *ch)
{
	return pipe(ch->fd);
}

static void pipe_close(struct chan *ch)
{
	close(ch->fd[0]);
	close(ch->fd[1]);
}

static int pipe_send(struct chan *ch, struct bmsg *v, unsigned int n)
{
	const char *p = v->buf;
	size_t left = v->len;

	(void)n;
	while (left) {
		ssize_t k = write(ch->fd[1], p, left);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		left -= (size_t)k;
	}
	return 1;
}

static int pipe_recv(struct chan *ch, struct bmsg *v, unsigned int n)
{
	char *p = v->buf;
	size_t got = 0;

	(void)n;
	while (got < ch->msg_size) {
		ssize_t k = read(ch->fd[0], p + got, ch->msg_size - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;	/* EOF: cannot happen, every process holds the write end */
		got += (size_t)k;
	}
	v->len = got;
	return 1;
}

const struct mech mech_pipe = {
	.name = "pipe", .batch = 1,
	.open = pipe_open, .close = pipe_close,
	.send = pipe_send, .recv = pipe_recv,
};
