// SPDX-License-Identifier: GPL-2.0
/*
 * The text forms of a mailbox's state: a row of /proc/driver/mbox and the
 * mbox-* lines of /proc/PID/fdinfo. Both print struct mboxio_stat, field
 * by field, from the one table below, so a new statistic is a field in
 * struct mbox, one in struct mboxio_stat (filled by mbox_stat()) and one
 * row here. Readers find /proc columns by the header's names and fdinfo
 * lines by their keys, so a new row needs no reader to change.
 */

#include <linux/seq_file.h>
#include <linux/stddef.h>
#include <linux/string_helpers.h>

#include "mbox.h"

enum mbox_show_kind {
	MBOX_SHOW_U32,
	MBOX_SHOW_U64,
	MBOX_SHOW_MODE,		/* u32, printed in octal */
	MBOX_SHOW_FLAGS,	/* u32 MBOX_STAT_* bits, printed as words */
};

/**
 * struct mbox_show_field - one statistic as both views print it
 * @column:	its /proc/driver/mbox header name.
 * @key:	its fdinfo key, after "mbox-".
 * @offset:	where it is in struct mboxio_stat.
 * @kind:	enum mbox_show_kind.
 * @width:	its /proc column width (values are right-aligned under the
 *		header, which is padded to the same width).
 */
struct mbox_show_field {
	const char *column;
	const char *key;
	unsigned short offset;
	unsigned char kind;
	unsigned char width;
};

#define MBOX_SHOW(col, k, field, kd, w) {				\
	.column = col, .key = k,					\
	.offset = offsetof(struct mboxio_stat, field),			\
	.kind = MBOX_SHOW_##kd, .width = w,				\
}

/* In /proc column order; fdinfo prints them in the same order. */
static const struct mbox_show_field mbox_show_fields[] = {
	MBOX_SHOW("uid",	"uid",		uid,		U32,	8),
	MBOX_SHOW("gid",	"gid",		gid,		U32,	6),
	MBOX_SHOW("mode",	"mode",		mode,		MODE,	5),
	MBOX_SHOW("capacity",	"capacity",	capacity,	U32,	8),
	MBOX_SHOW("msg_size",	"msg-size",	msg_size,	U32,	8),
	MBOX_SHOW("queued",	"queued",	queued,		U32,	8),
	MBOX_SHOW("bytes",	"queued-bytes",	queued_bytes,	U64,	10),
	MBOX_SHOW("senders",	"senders",	waiting_senders, U32,	8),
	MBOX_SHOW("receivers",	"receivers",	waiting_receivers, U32,	9),
	MBOX_SHOW("leased",	"leased",	leased,		U32,	6),
	MBOX_SHOW("sent",	"sent",		sent,		U64,	12),
	MBOX_SHOW("received",	"received",	received,	U64,	12),
	MBOX_SHOW("flags",	"flags",	flags,		FLAGS,	0),
};

/* The name column's width: longer names overflow it, as in ps. */
#define MBOX_SHOW_NAME_WIDTH	32

/*
 * A mailbox's name, at least @width columns wide. A name may hold any byte
 * but '/', so it is escaped as /proc/mounts escapes paths: every byte that
 * is not printable ASCII, and space, backslash and '(', as a backslash and
 * three octal digits. A listing then stays one word per column and one
 * line per mailbox, and "(anonymous)" can name nothing else.
 */
static void mbox_show_name(struct seq_file *m, const struct mbox *mb,
			   int width)
{
	size_t start = m->count;

	if (mb->name[0])
		seq_escape_str(m, mb->name, ESCAPE_OCTAL | ESCAPE_NAP |
			       ESCAPE_APPEND, " \\(");
	else
		seq_puts(m, "(anonymous)");
	if (!seq_has_overflowed(m) && m->count - start < (size_t)width)
		seq_printf(m, "%*s", (int)(width - (m->count - start)), "");
}

/* MBOX_STAT_* flags as "-" or a comma-separated list of words. */
static void mbox_show_flags(struct seq_file *m, u32 flags)
{
	static const struct {
		u32 bit;
		const char *word;
	} words[] = {
		{ MBOX_STAT_SHUTDOWN, "shutdown" },
		{ MBOX_STAT_UNLINKED, "unlinked" },
	};
	const char *sep = "";
	unsigned int i;

	if (!flags) {
		seq_putc(m, '-');
		return;
	}
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		if (flags & words[i].bit) {
			seq_printf(m, "%s%s", sep, words[i].word);
			sep = ",";
		}
	}
}

static void mbox_show_value(struct seq_file *m,
			    const struct mbox_show_field *f,
			    const struct mboxio_stat *st, int width)
{
	const void *p = (const char *)st + f->offset;

	switch (f->kind) {
	case MBOX_SHOW_U32:
		seq_printf(m, "%*u", width, *(const u32 *)p);
		break;
	case MBOX_SHOW_U64:
		seq_printf(m, "%*llu", width, *(const u64 *)p);
		break;
	case MBOX_SHOW_MODE:
		seq_printf(m, "%*s%04o", width > 4 ? width - 4 : 0, "",
			   *(const u32 *)p);
		break;
	case MBOX_SHOW_FLAGS:
		mbox_show_flags(m, *(const u32 *)p);
		break;
	}
}

/**
 * mbox_show_header() - the header line of /proc/driver/mbox
 * @m:	where to
 */
void mbox_show_header(struct seq_file *m)
{
	unsigned int i;

	seq_printf(m, "%-*s", MBOX_SHOW_NAME_WIDTH, "name");
	for (i = 0; i < ARRAY_SIZE(mbox_show_fields); i++)
		seq_printf(m, " %*s", mbox_show_fields[i].width,
			   mbox_show_fields[i].column);
	seq_putc(m, '\n');
}

/**
 * mbox_show_row() - one mailbox's line of /proc/driver/mbox
 * @m:	where to
 * @mb:	the mailbox
 * @st:	its state, as mbox_stat() filled it
 */
void mbox_show_row(struct seq_file *m, const struct mbox *mb,
		   const struct mboxio_stat *st)
{
	unsigned int i;

	mbox_show_name(m, mb, MBOX_SHOW_NAME_WIDTH);
	for (i = 0; i < ARRAY_SIZE(mbox_show_fields); i++) {
		seq_putc(m, ' ');
		mbox_show_value(m, &mbox_show_fields[i], st,
				mbox_show_fields[i].width);
	}
	seq_putc(m, '\n');
}

/**
 * mbox_show_fdinfo() - the mbox-* lines of a mailbox fd's fdinfo
 * @m:	where to
 * @mb:	the mailbox
 * @st:	its state, as mbox_stat() filled it
 */
void mbox_show_fdinfo(struct seq_file *m, const struct mbox *mb,
		      const struct mboxio_stat *st)
{
	unsigned int i;

	seq_puts(m, "mbox-name:\t");
	mbox_show_name(m, mb, 0);
	seq_putc(m, '\n');
	for (i = 0; i < ARRAY_SIZE(mbox_show_fields); i++) {
		seq_printf(m, "mbox-%s:\t", mbox_show_fields[i].key);
		mbox_show_value(m, &mbox_show_fields[i], st, 0);
		seq_putc(m, '\n');
	}
}
