// SPDX-License-Identifier: GPL-2.0
/* mboxctl: reading the /proc/driver/mbox listing. */
#include "mboxctl.h"

/* ------------------------------------------------------------------ */
/* The /proc/driver/mbox listing                                      */


const char *proc_path(void)
{
	const char *p = getenv("MBOXCTL_PROC");

	return p && *p ? p : MBOX_PROC;
}

/*
 * Read the listing: a header line, then one line per mailbox with
 * "name uid gid mode capacity msg_size queued bytes senders receivers
 * sent received flags". Returns the number of entries, or -1 (message
 * printed).
 */
int read_listing(struct entry **out)
{
	const char *path = proc_path();
	struct entry *v = NULL, *nv, e;
	size_t n = 0, cap = 0, len = 0;
	char *line = NULL;
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
		if (lineno == 1 && strncmp(line, "name", 4) == 0)
			continue;	/* the header */
		memset(&e, 0, sizeof(e));
		if (sscanf(line, "%63s %u %u %o %u %u %u %llu %u %u %llu %llu %63s",
			   e.name, &e.uid, &e.gid, &e.mode, &e.capacity,
			   &e.msg_size, &e.queued, &e.bytes, &e.senders,
			   &e.receivers, &e.sent, &e.received, e.flags) != 13) {
			fprintf(stderr, "%s: %s: line %u: unexpected format\n",
				prog, path, lineno);
			goto err;
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
