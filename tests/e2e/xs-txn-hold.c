/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xs-txn-hold: runs inside the Linux e2e guest (linux-*-txn-eagain).  It
 * holds one xenstore transaction open across a move of the guest:
 *
 *   xs-txn-hold NODE GOFILE
 *
 * starts a transaction, reads NODE (a counter, missing = 0) and writes the
 * counter + 1 in it, says "held <n>" and waits until GOFILE exists (at most
 * 600 s), then ends it.  If the end fails with EAGAIN the whole transaction
 * is done again, as a real client does, up to 5 times.  Every end's result
 * goes to stdout, one line each ("end <k>: OK|EAGAIN|<errno name>"), then
 * "committed <n> after <k> ends" or "gave up ...".  dom0 checks that the
 * first end said EAGAIN, a retry committed, and NODE went up by exactly one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xenstore.h>

static long counter(struct xs_handle *xs, xs_transaction_t t, const char *node)
{
	unsigned int len;
	char *v = xs_read(xs, t, node, &len);
	long n = v ? strtol(v, NULL, 10) : 0;

	free(v);
	return n;
}

/* One attempt: start, read, write the counter + 1; 0 or -1 (errno). */
static int txn_write(struct xs_handle *xs, xs_transaction_t *t,
		     const char *node, long *n)
{
	char buf[32];

	*t = xs_transaction_start(xs);
	if (*t == XBT_NULL)
		return -1;
	*n = counter(xs, *t, node) + 1;
	snprintf(buf, sizeof(buf), "%ld", *n);
	if (!xs_write(xs, *t, node, buf, strlen(buf)))
		return -1;
	return 0;
}

static const char *err_name(int e)
{
	switch (e) {
	case EAGAIN: return "EAGAIN";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EINVAL: return "EINVAL";
	case EIO: return "EIO";
	default: return strerror(e);
	}
}

int main(int argc, char **argv)
{
	struct xs_handle *xs;
	xs_transaction_t t;
	long n;
	int k, waited;

	if (argc != 3) {
		fprintf(stderr, "usage: xs-txn-hold NODE GOFILE\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	xs = xs_open(0);
	if (!xs) {
		printf("xs_open: %s\n", err_name(errno));
		return 1;
	}
	if (txn_write(xs, &t, argv[1], &n)) {
		printf("start/write: %s\n", err_name(errno));
		return 1;
	}
	printf("held %ld\n", n);
	/* Bounded: the harness creates GOFILE after the move, or gives up. */
	for (waited = 0; access(argv[2], F_OK) != 0; waited++) {
		if (waited >= 1200) {
			printf("no %s after 600 s\n", argv[2]);
			xs_transaction_end(xs, t, true);
			return 1;
		}
		usleep(500000);
	}
	for (k = 1; k <= 5; k++) {
		if (xs_transaction_end(xs, t, false)) {
			printf("end %d: OK\n", k);
			printf("committed %ld after %d ends\n", n, k);
			return 0;
		}
		printf("end %d: %s\n", k, err_name(errno));
		if (errno != EAGAIN)
			break;
		if (txn_write(xs, &t, argv[1], &n)) {
			printf("retry start/write: %s\n", err_name(errno));
			return 1;
		}
	}
	printf("gave up after %d ends\n", k);
	return 1;
}
