// SPDX-License-Identifier: GPL-2.0
/* mboxctl: reading the /proc/driver/mbox listing. */
#include <stddef.h>

#include "mboxctl.h"

/* ------------------------------------------------------------------ */
/* The /proc/driver/mbox listing                                      */


const char *proc_path(void)
{
	const char *p = getenv("MBOXCTL_PROC");

	return p && *p ? p : MBOX_PROC;
}

/*
 * The columns mboxctl uses, by the names the listing's header line gives
 * them: the one description of the format on this side. Columns are found
 * by name, so the kernel may add columns (a new statistic) or move them
 * without mboxctl changing; one missing from the header is an error.
 */
enum col_kind { COL_STR, COL_UINT, COL_OCT, COL_ULL };

static const struct column {
	const char *name;
	enum col_kind kind;
	size_t off;
	size_t size;		/* COL_STR: the buffer's size */
	int since;		/* 0, or the module ABI that added it */
} columns[] = {
#define COL(n, k, f) { n, k, offsetof(struct entry, f), sizeof(((struct entry *)0)->f), 0 }
#define COL_SINCE(n, k, f, abi) \
	{ n, k, offsetof(struct entry, f), sizeof(((struct entry *)0)->f), abi }
	COL("name",	 COL_STR,  name),
	COL("uid",	 COL_UINT, uid),
	COL("gid",	 COL_UINT, gid),
	COL("mode",	 COL_OCT,  mode),
	COL("capacity",	 COL_UINT, capacity),
	COL("msg_size",	 COL_UINT, msg_size),
	COL("queued",	 COL_UINT, queued),
	COL("bytes",	 COL_ULL,  bytes),
	COL("senders",	 COL_UINT, senders),
	COL("receivers", COL_UINT, receivers),
	COL_SINCE("leased", COL_UINT, leased, 6),
	COL("sent",	 COL_ULL,  sent),
	COL("received",	 COL_ULL,  received),
	COL("flags",	 COL_STR,  flags),
#undef COL
#undef COL_SINCE
};

#define NCOLS		(sizeof(columns) / sizeof(columns[0]))
#define MAX_FIELDS	64

/* Split @line at blanks into at most MAX_FIELDS words; returns the count. */
static int split_words(char *line, char *words[MAX_FIELDS])
{
	int n = 0;
	char *save = NULL, *w;

	for (w = strtok_r(line, " \t\n", &save); w && n < MAX_FIELDS;
	     w = strtok_r(NULL, " \t\n", &save))
		words[n++] = w;
	return n;
}

/* Store @word into @e's field for column @c; 0, or -1 if malformed. */
static int store(struct entry *e, const struct column *c, const char *word)
{
	char *p = (char *)e + c->off, *end;
	unsigned long long v;

	if (c->kind == COL_STR) {
		if (strlen(word) >= c->size)
			return -1;
		strcpy(p, word);
		return 0;
	}
	errno = 0;
	v = strtoull(word, &end, c->kind == COL_OCT ? 8 : 10);
	if (errno || *end || end == word)
		return -1;
	if (c->kind == COL_ULL) {
		*(unsigned long long *)(void *)p = v;
	} else {
		if (v > UINT_MAX)
			return -1;
		*(unsigned int *)(void *)p = v;
	}
	return 0;
}

/*
 * Read the listing: a header line naming the columns, then one line per
 * mailbox. Returns the number of entries, or -1 (message printed).
 */
int read_listing(struct entry **out)
{
	const char *path = proc_path();
	struct entry *v = NULL, *nv, e;
	size_t n = 0, cap = 0, len = 0, i;
	int pos[NCOLS], nw, k;
	char *line = NULL, *words[MAX_FIELDS];
	unsigned int lineno = 0;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		int err = errno;

		fprintf(stderr, "%s: %s: %s%s\n", prog, path, strerror(err),
			err == ENOENT ? " (is the mbox module loaded?)" : "");
		return -1;
	}
	while (getline(&line, &len, f) > 0) {
		lineno++;
		nw = split_words(line, words);
		if (lineno == 1) {
			/* The header: where each column we use is. */
			for (i = 0; i < NCOLS; i++) {
				pos[i] = -1;
				for (k = 0; k < nw; k++)
					if (!strcmp(words[k], columns[i].name))
						pos[i] = k;
				/* A column a module before its ABI lacks reads 0. */
				if (pos[i] < 0 && !columns[i].since) {
					fprintf(stderr, "%s: %s: no column '%s' in the header\n",
						prog, path, columns[i].name);
					goto err;
				}
			}
			continue;
		}
		memset(&e, 0, sizeof(e));
		for (i = 0; i < NCOLS; i++) {
			if (pos[i] < 0)
				continue;
			if (pos[i] >= nw || store(&e, &columns[i], words[pos[i]])) {
				fprintf(stderr, "%s: %s: line %u: unexpected format\n",
					prog, path, lineno);
				goto err;
			}
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				fprintf(stderr, "%s: %s\n", prog, strerror(ENOMEM));
				goto err;
			}
			v = nv;
		}
		v[n++] = e;
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		goto err;
	}
	free(line);
	fclose(f);
	*out = v;
	return (int)n;
err:
	free(line);
	free(v);
	fclose(f);
	return -1;
}
