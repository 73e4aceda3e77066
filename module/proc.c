// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/driver/mbox: one line per mailbox, for mboxctl ls and for people,
 * like /proc/sysvipc/msg. World-readable, as ipcs output is; the counts
 * say nothing about message contents.
 *
 * Format: a header line naming the columns, then whitespace-separated
 * columns in that order; show.c's table defines them (name first, flags
 * last). Readers find columns by the header's names (mboxctl does).
 * Ids are in the user namespace of whoever opened the file
 * (seq_user_ns()), as for /proc/sysvipc/msg.
 */

#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "mbox.h"

#define MBOX_PROC_NAME	"driver/mbox"

static int mbox_seq_show(struct seq_file *m, void *v)
{
	struct mboxio_stat st;
	struct mbox *mb;

	if (mbox_seq_is_header(v)) {
		mbox_show_header(m);
		return 0;
	}
	mb = list_entry(v, struct mbox, node);
	mbox_stat(mb, &st, seq_user_ns(m));
	mbox_show_row(m, mb, &st);
	return 0;
}

static const struct seq_operations mbox_seq_ops = {
	.start	= mbox_seq_start,
	.next	= mbox_seq_next,
	.stop	= mbox_seq_stop,
	.show	= mbox_seq_show,
};

int mbox_proc_init(void)
{
	if (!proc_create_seq(MBOX_PROC_NAME, 0444, NULL, &mbox_seq_ops))
		return -ENOMEM;
	return 0;
}

void mbox_proc_exit(void)
{
	remove_proc_entry(MBOX_PROC_NAME, NULL);
}
