/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xensim guest DIR DOMID: one command per stdin line, one result line each
 * (`events` prints one line per event).  Errors print their errno name.
 *
 *   read P | write P V | mkdir P | rm P | ls P | getperms P
 *   setperms P PERM... | watch P TOKEN | unwatch P TOKEN
 *   tx-start | tx-read ID P | tx-write ID P V | tx-end ID [abort]
 *   events [N] [TIMEOUT_MS]       wait for N events (default: those queued)
 *   raw-request COMMAND...        send a request, leave its reply on the ring
 *   partial-request COMMAND...    send its header and half its body only
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"

struct request {
	uint32_t type, tx;
	char body[XENSTORE_PAYLOAD_MAX];
	size_t len;
};

static char *word(char **s)
{
	char *w;

	while (**s == ' ' || **s == '\t')
		(*s)++;
	if (!**s)
		return NULL;
	w = *s;
	while (**s && **s != ' ' && **s != '\t')
		(*s)++;
	if (**s)
		*(*s)++ = 0;
	return w;
}

static bool add(struct request *r, const char *s, bool nul)
{
	size_t n = strlen(s) + nul;

	if (r->len + n > sizeof(r->body))
		return false;
	memcpy(r->body + r->len, s, n);
	r->len += n;
	return true;
}

static bool tx_id(char **s, struct request *r)
{
	char *w = word(s), *end;

	if (!w)
		return false;
	r->tx = strtoul(w, &end, 0);
	return !*end;
}

/* Encode one command line; false on a usage error. */
static bool build(const char *cmd, char *s, struct request *r)
{
	char *a, *b;
	bool tx = !strncmp(cmd, "tx-", 3) && strcmp(cmd, "tx-start");

	memset(r, 0, offsetof(struct request, body));
	r->len = 0;
	if (tx && !tx_id(&s, r))
		return false;
	if (tx)
		cmd += 3;

	if (!strcmp(cmd, "read") || !strcmp(cmd, "mkdir") ||
	    !strcmp(cmd, "rm") || !strcmp(cmd, "ls") ||
	    !strcmp(cmd, "getperms")) {
		r->type = !strcmp(cmd, "read") ? XS_READ :
			  !strcmp(cmd, "mkdir") ? XS_MKDIR :
			  !strcmp(cmd, "rm") ? XS_RM :
			  !strcmp(cmd, "ls") ? XS_DIRECTORY : XS_GET_PERMS;
		return (a = word(&s)) && !word(&s) && add(r, a, true);
	}
	if (!strcmp(cmd, "write")) {
		r->type = XS_WRITE;
		if (!(a = word(&s)))
			return false;
		/* The value is the rest of the line, spaces and all. */
		return add(r, a, true) && add(r, s, false);
	}
	if (!strcmp(cmd, "setperms")) {
		r->type = XS_SET_PERMS;
		if (!(a = word(&s)) || !add(r, a, true))
			return false;
		while ((b = word(&s)))
			if (!add(r, b, true))
				return false;
		return true;
	}
	if (!strcmp(cmd, "watch") || !strcmp(cmd, "unwatch")) {
		r->type = cmd[0] == 'w' ? XS_WATCH : XS_UNWATCH;
		return (a = word(&s)) && (b = word(&s)) && !word(&s) &&
		       add(r, a, true) && add(r, b, true);
	}
	if (!strcmp(cmd, "tx-start")) {
		r->type = XS_TRANSACTION_START;
		return !word(&s) && add(r, "", true);
	}
	if (tx && !strcmp(cmd, "end")) {	/* tx-end ID [abort] */
		r->type = XS_TRANSACTION_END;
		a = word(&s);
		if (a && strcmp(a, "abort"))
			return false;
		return !word(&s) && add(r, a ? "F" : "T", true);
	}
	return false;
}

/* Values are printed as is unless that would break the one-line format. */
static void print_value(const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = v[i];

		if (c == '\\')
			fputs("\\\\", stdout);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

/* "a\0b\0" as "a b". */
static void print_strings(const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += strlen(v + i) + 1)
		printf("%s%s", i ? " " : "", v + i);
}

static void print_events(struct guest *g, unsigned int max)
{
	struct guest_event *ev;

	while ((ev = g->events) && max--) {
		print_strings(ev->body, ev->len);
		putchar('\n');
		g->events = ev->next;
		if (!g->events)
			g->events_tail = &g->events;
		free(ev);
	}
}

static void events(struct guest *g, char *s)
{
	char *a = word(&s), *b = word(&s);
	unsigned int n = a ? strtoul(a, NULL, 0) : 0;
	int timeout = b ? atoi(b) : 1000;
	unsigned int have = guest_wait_events(g, n, n ? timeout : 0);

	print_events(g, n ? n : have);
	if (have < n)
		puts("ETIMEDOUT");
}

static void run(struct guest *g, char *line)
{
	struct xs_msg reply;
	struct request r;
	char *s = line, *cmd = word(&s);
	bool raw = false, partial = false;
	int rc;

	if (!cmd || cmd[0] == '#')
		return;
	if (!strcmp(cmd, "events")) {
		events(g, s);
		return;
	}
	if (!strcmp(cmd, "raw-request") || !strcmp(cmd, "partial-request")) {
		partial = !strcmp(cmd, "partial-request");
		raw = true;
		cmd = word(&s);
	}
	if (!cmd || !build(cmd, s, &r)) {
		puts("EINVAL");
		fprintf(stderr, "xensim guest: bad command: %s\n", line);
		return;
	}
	if (raw) {
		printf("req %u\n", guest_send_part(g, r.type, r.tx, r.body, r.len,
						   partial ? r.len / 2 : r.len));
		return;
	}
	rc = guest_request(g, r.type, r.tx, r.body, r.len, &reply);
	if (rc) {
		puts(xs_errname(rc));
		return;
	}
	switch (r.type) {
	case XS_READ:
		print_value(reply.body, reply.hdr.len);
		break;
	case XS_DIRECTORY:
	case XS_GET_PERMS:
		print_strings(reply.body, reply.hdr.len);
		break;
	case XS_TRANSACTION_START:
		printf("tx %s", reply.body);
		break;
	default:
		fputs("OK", stdout);
	}
	putchar('\n');
}

int cmd_guest(int argc, char **argv)
{
	struct hv_host h;
	struct guest g;
	char line[XENSTORE_PAYLOAD_MAX + 64];
	unsigned long domid;
	char *end;

	if (argc != 2)
		die("usage: xensim guest DIR DOMID < commands");
	host_open(&h, argv[0], 0);
	domid = strtoul(argv[1], &end, 10);
	if (*end || domid == 0 || domid >= HV_MAX_DOMID)
		die("bad guest domid %s", argv[1]);
	guest_open(&g, &h, domid);
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\r\n")] = 0;
		run(&g, line);
		fflush(stdout);
	}
	guest_close(&g);
	return 0;
}
