// SPDX-License-Identifier: GPL-2.0
/*
 * Built against the C library alone (no -lmbox-mq): mq_test runs it with
 * LD_PRELOAD=libmbox-mq.so.1 to see that preloading puts its queues on
 * mbox. Creates the queue argv[1], sends "preloaded" at priority 3, and
 * exits 0.
 */
#include <fcntl.h>
#include <mqueue.h>
#include <string.h>

int main(int argc, char **argv)
{
	mqd_t q;

	if (argc != 2)
		return 2;
	q = mq_open(argv[1], O_WRONLY | O_CREAT | O_EXCL, 0600, NULL);
	if (q == (mqd_t)-1)
		return 1;
	if (mq_send(q, "preloaded", 9, 3))
		return 1;
	return mq_close(q) ? 1 : 0;
}
