/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xensim domain create|destroy|shutdown|move: the toolstack's and the
 * hypervisor's side of a domain's life, as far as xenstore sees it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xensim.h"

/* Shutdown reasons of xen/sched.h (SHUTDOWN_*). */
#define XENSIM_SHUTDOWN_SUSPEND	2

static unsigned int parse_domid(const char *s)
{
	char *end;
	unsigned long id = strtoul(s, &end, 10);

	if (!*s || *end || id == 0 || id >= HV_MAX_DOMID)
		die("bad guest domid '%s' (1..%u)", s, HV_MAX_DOMID - 1);
	return id;
}

/* A dom0 request that must succeed. */
static void xs_do(const struct hv_host *h, uint32_t type, const char *what,
		  const void *body, size_t len)
{
	struct xs_msg reply;
	int rc = xs_sock_request(h, type, 0, body, len, &reply,
				 xensim_timeout_ms());

	if (rc)
		die("%s: %s", what, xs_errname(rc));
}

/* "a\0b\0c\0" from "a b c": the argument vectors of the wire protocol. */
static size_t strings(char *buf, size_t max, const char *space_separated)
{
	size_t n = snprintf(buf, max, "%s", space_separated) + 1;
	char *p;

	for (p = buf; (p = strchr(p, ' ')); )
		*p++ = 0;
	return n;
}

static void xs_write_perm(const struct hv_host *h, const char *path,
			  const char *val, const char *perms)
{
	char body[512];
	size_t n = snprintf(body, sizeof(body), "%s", path) + 1;

	n += snprintf(body + n, sizeof(body) - n, "%s", val);
	xs_do(h, XS_WRITE, path, body, n);
	n = snprintf(body, sizeof(body), "%s", path) + 1;
	n += strings(body + n, sizeof(body) - n, perms);
	xs_do(h, XS_SET_PERMS, path, body, n);
}

/*
 * What the toolstack does around XS_INTRODUCE, cut down to the nodes a
 * guest and its tests care about.  Unlike xl, which leaves the home
 * directory owned by dom0 and read-only to the guest (with writable
 * subdirectories), the home is owned by the guest, so that a test guest
 * may create any node under it.
 */
static void introduce(const struct hv_host *h, unsigned int domid,
		      unsigned int port)
{
	char home[64], path[128], val[64], body[256], perms[32];
	struct xs_msg reply;
	size_t n;
	int rc;

	snprintf(home, sizeof(home), "/local/domain/%u", domid);
	rc = xs_sock_request(h, XS_RM, 0, home, strlen(home) + 1, &reply,
			     xensim_timeout_ms());
	if (rc && rc != ENOENT)
		die("rm %s: %s", home, xs_errname(rc));
	xs_do(h, XS_MKDIR, home, home, strlen(home) + 1);
	n = snprintf(body, sizeof(body), "%s", home) + 1;
	snprintf(perms, sizeof(perms), "n%u", domid);
	n += strings(body + n, sizeof(body) - n, perms);
	xs_do(h, XS_SET_PERMS, home, body, n);

	/* Written by dom0, readable by the guest. */
	snprintf(perms, sizeof(perms), "n0 r%u", domid);
	snprintf(path, sizeof(path), "%s/domid", home);
	snprintf(val, sizeof(val), "%u", domid);
	xs_write_perm(h, path, val, perms);
	snprintf(path, sizeof(path), "%s/name", home);
	snprintf(val, sizeof(val), "guest%u", domid);
	xs_write_perm(h, path, val, perms);
	snprintf(path, sizeof(path), "%s/store/port", home);
	snprintf(val, sizeof(val), "%u", port);
	xs_write_perm(h, path, val, perms);
	snprintf(path, sizeof(path), "%s/store/ring-ref", home);
	snprintf(val, sizeof(val), "%lu", XENSIM_GUEST_GFN);
	xs_write_perm(h, path, val, perms);

	n = snprintf(body, sizeof(body), "%u", domid) + 1;
	n += snprintf(body + n, sizeof(body) - n, "%lu", XENSIM_GUEST_GFN) + 1;
	n += snprintf(body + n, sizeof(body) - n, "%u", port) + 1;
	xs_do(h, XS_INTRODUCE, "introduce", body, n);
}

/* Build the domain with its ring page and an unbound store port for dom0. */
static unsigned int create(const struct hv_host *h, unsigned int domid)
{
	struct hv_port pt = { .kind = HV_PORT_UNBOUND, .remote_dom = 0 };
	int lk = hv_lock(h), port;

	if (lk < 0)
		die("host %s: %s", h->dir, strerror(errno));
	if (hv_dom_create(h, domid)) {
		if (errno == EEXIST)
			fprintf(stderr, "xensim: domain %u exists\n", domid);
		else
			die("create domain %u: %s", domid, strerror(errno));
		exit(1);
	}
	port = hv_port_alloc(h, domid, &pt);
	if (port < 0 || hv_dom_write_uint(h, domid, "store-port", port))
		die("store port of domain %u: %s", domid, strerror(errno));
	hv_unlock(lk);
	return port;
}

static struct hv_dominfo existing(const struct hv_host *h, unsigned int domid)
{
	struct hv_dominfo info;

	if (hv_dom_info(h, domid, &info)) {
		fprintf(stderr, "xensim: no domain %u on %s\n", domid, h->dir);
		exit(1);
	}
	return info;
}

/*
 * The hypervisor kills the domain: it is dying, its event channels are
 * closed, dom0 gets VIRQ_DOM_EXC.  It is gone for good once the last grant
 * mapping of its page (xenstored's) is dropped, or now if there is none.
 */
static void destroy(const struct hv_host *h, unsigned int domid)
{
	struct hv_dominfo info;
	char p[PATH_MAX];
	unsigned int port;
	int lk = hv_lock(h);

	if (lk < 0)
		die("host %s: %s", h->dir, strerror(errno));
	info = existing(h, domid);
	info.dying = true;
	hv_dom_set_info(h, &info);
	for (port = 1; port < HV_MAX_PORTS; port++)
		hv_port_close(h, domid, port);
	hv_path(h, p, "dom/%u/mapped", domid);
	if (access(p, F_OK))
		hv_dom_reap(h, domid);
	hv_unlock(lk);
	hv_raise_virq(h, XENSIM_VIRQ_DOM_EXC);
}

static void shutdown_dom(const struct hv_host *h, unsigned int domid,
			 unsigned int reason)
{
	struct hv_dominfo info;
	int lk = hv_lock(h);

	if (lk < 0)
		die("host %s: %s", h->dir, strerror(errno));
	info = existing(h, domid);
	info.shutdown = true;
	info.reason = reason;
	hv_dom_set_info(h, &info);
	hv_unlock(lk);
	hv_raise_virq(h, XENSIM_VIRQ_DOM_EXC);
}

static int copy_file(const char *from, const char *to)
{
	char buf[HV_PAGE_SIZE];
	int in = open(from, O_RDONLY | O_CLOEXEC), out, rc = 0;
	ssize_t n;

	if (in < 0)
		return errno == ENOENT ? 0 : -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			rc = -1;
	close(in);
	close(out);
	return n < 0 ? -1 : rc;
}

/*
 * The memory half of a migration: the guest suspends on SRC, its memory
 * (here: the ring page as it left it, and what its xenbus driver held) is
 * copied into a new, not yet introduced domain on DST, which gets a fresh
 * store port.  Destroying the source is left to the caller, as xl does it
 * once the destination is running.  The new domain is new_domid: a save
 * and restore on one host gives the guest another domid.
 */
static unsigned int move(const struct hv_host *src, const struct hv_host *dst,
			 unsigned int domid, unsigned int new_domid)
{
	char from[PATH_MAX], to[PATH_MAX];
	const char *files[] = { "ring", "guest-events" };
	unsigned int i, port;
	int lk;

	shutdown_dom(src, domid, XENSIM_SHUTDOWN_SUSPEND);
	port = create(dst, new_domid);
	lk = hv_lock(src);
	if (lk < 0)
		die("host %s: %s", src->dir, strerror(errno));
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		hv_path(src, from, "dom/%u/%s", domid, files[i]);
		hv_path(dst, to, "dom/%u/%s", new_domid, files[i]);
		if (copy_file(from, to))
			die("copy %s to %s: %s", from, to, strerror(errno));
	}
	hv_unlock(lk);
	return port;
}

int cmd_domain(int argc, char **argv)
{
	struct hv_host h, dst;
	unsigned int domid, port;

	if (argc >= 3 && !strcmp(argv[0], "create")) {
		host_open(&h, argv[1], 0);
		domid = parse_domid(argv[2]);
		port = create(&h, domid);
		if (argc > 3 && !strcmp(argv[3], "--introduce"))
			introduce(&h, domid, port);
		printf("port %u\n", port);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[0], "destroy")) {
		host_open(&h, argv[1], 0);
		destroy(&h, parse_domid(argv[2]));
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[0], "shutdown")) {
		host_open(&h, argv[1], 0);
		shutdown_dom(&h, parse_domid(argv[2]),
			     argc > 3 ? atoi(argv[3]) : 0);
		return 0;
	}
	if ((argc == 4 || (argc == 6 && !strcmp(argv[4], "--as"))) &&
	    !strcmp(argv[0], "move")) {
		host_open(&h, argv[1], 0);
		host_open(&dst, argv[2], 0);
		domid = parse_domid(argv[3]);
		(void)existing(&h, domid);
		printf("port %u\n", move(&h, &dst, domid,
					 argc == 6 ? parse_domid(argv[5]) : domid));
		return 0;
	}
	die("usage: xensim domain create DIR DOMID [--introduce] | "
	    "destroy DIR DOMID | shutdown DIR DOMID [REASON] | "
	    "move SRC DST DOMID [--as NEWDOMID]");
}
