// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/driver/mbox: one line per mailbox of the reader's IPC namespace
 * (the opener's, as for /proc/sysvipc/msg), for mboxctl ls and for people.
 * World-readable, as ipcs output is; the counts say nothing about message
 * contents.
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

	if (mbox_seq_is_header(m, v)) {
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

/* The listing shows the namespace of whoever opens it, for good. */
static int mbox_proc_open(struct inode *inode, struct file *file)
{
	int err = seq_open(file, &mbox_seq_ops);

	if (!err)
		((struct seq_file *)file->private_data)->private = mbox_seq_ns();
	return err;
}

static int mbox_proc_release(struct inode *inode, struct file *file)
{
	mbox_ns_put(((struct seq_file *)file->private_data)->private);
	return seq_release(inode, file);
}

static const struct proc_ops mbox_proc_ops = {
	.proc_open	= mbox_proc_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= mbox_proc_release,
};

int mbox_proc_init(void)
{
	if (!proc_create(MBOX_PROC_NAME, 0444, NULL, &mbox_proc_ops))
		return -ENOMEM;
	return 0;
}

void mbox_proc_exit(void)
{
	remove_proc_entry(MBOX_PROC_NAME, NULL);
}
