// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/driver/mbox: one line per mailbox, for mboxctl ls and for people,
 * like /proc/sysvipc/msg. World-readable, as ipcs output is; the counts
 * say nothing about message contents.
 *
 * Format: a header line naming the columns, then whitespace-separated
 * columns in that order
 *   name uid gid mode capacity msg_size queued bytes senders receivers
 *   sent received flags
 * Readers find columns by the header's names (mboxctl does), so a new
 * statistic is a new column here and needs no reader to change.
 * name is "(anonymous)" for a mailbox without one (parentheses cannot
 * occur in names); mode is octal; flags is "-" or a comma-separated list
 * of "shutdown" and "unlinked". Ids are in the user namespace of whoever
 * opened the file (seq_user_ns()), as for /proc/sysvipc/msg.
 */

#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "mbox.h"

#define MBOX_PROC_NAME	"driver/mbox"

/**
 * mbox_show_flags() - print MBOX_STAT_* flags as words
 * @m:		where to
 * @flags:	MBOX_STAT_* bits
 */
void mbox_show_flags(struct seq_file *m, u32 flags)
{
	if (!flags) {
		seq_putc(m, '-');
		return;
	}
	if (flags & MBOX_STAT_SHUTDOWN)
		seq_puts(m, flags & MBOX_STAT_UNLINKED ? "shutdown," : "shutdown");
	if (flags & MBOX_STAT_UNLINKED)
		seq_puts(m, "unlinked");
}

static int mbox_seq_show(struct seq_file *m, void *v)
{
	struct mboxio_stat st;
	struct mbox *mb;

	if (mbox_seq_is_header(v)) {
		seq_puts(m, "name                                  uid    gid  mode capacity msg_size   queued      bytes  senders receivers         sent     received flags\n");
		return 0;
	}
	mb = list_entry(v, struct mbox, node);
	mbox_stat(mb, &st, seq_user_ns(m));
	seq_printf(m, "%-32s %8u %6u  %04o %8u %8u %8u %10llu %8u %9u %12llu %12llu ",
		   mb->name[0] ? mb->name : "(anonymous)", st.uid, st.gid,
		   st.mode, st.capacity, st.msg_size, st.queued,
		   st.queued_bytes, st.waiting_senders, st.waiting_receivers,
		   st.sent, st.received);
	mbox_show_flags(m, st.flags);
	seq_putc(m, '\n');
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
