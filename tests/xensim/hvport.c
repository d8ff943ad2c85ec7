/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xensim: simulated event channels (per-domain port tables in HOST/hv/dom/
 * ID/port) and their delivery to listening processes.  See hv.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hv.h"

static const char *const kind_name[] = {
	[HV_PORT_UNBOUND] = "unbound",
	[HV_PORT_INTERDOMAIN] = "interdomain",
	[HV_PORT_VIRQ] = "virq",
};

int hv_port_get(const struct hv_host *h, unsigned int domid,
		unsigned int port, struct hv_port *pt)
{
	char p[PATH_MAX], buf[256], kind[16], rx[sizeof(pt->rx) + 1];
	unsigned int a, b;

	if (hv_path(h, p, "dom/%u/port/%u", domid, port))
		return -1;
	if (hv_read_line(p, buf, sizeof(buf))) {
		if (errno == ENOENT)
			errno = EINVAL;	/* what EVTCHNOP_* say for a bad port */
		return -1;
	}
	if (sscanf(buf, "%15s %u %u %108s", kind, &a, &b, rx) != 4) {
		errno = EIO;
		return -1;
	}
	memset(pt, 0, sizeof(*pt));
	if (!strcmp(kind, "unbound")) {
		pt->kind = HV_PORT_UNBOUND;
		pt->remote_dom = a;
	} else if (!strcmp(kind, "interdomain")) {
		pt->kind = HV_PORT_INTERDOMAIN;
		pt->remote_dom = a;
		pt->remote_port = b;
	} else if (!strcmp(kind, "virq")) {
		pt->kind = HV_PORT_VIRQ;
		pt->virq = a;
	} else {
		errno = EIO;
		return -1;
	}
	if (strcmp(rx, "-"))
		strcpy(pt->rx, rx);
	return 0;
}

int hv_port_put(const struct hv_host *h, unsigned int domid,
		unsigned int port, const struct hv_port *pt)
{
	char p[PATH_MAX], buf[256];
	unsigned int a = pt->kind == HV_PORT_VIRQ ? pt->virq : pt->remote_dom;
	int n;

	n = snprintf(buf, sizeof(buf), "%s %u %u %s\n", kind_name[pt->kind], a,
		     pt->remote_port, pt->rx[0] ? pt->rx : "-");
	if (hv_path(h, p, "dom/%u/port/%u", domid, port))
		return -1;
	return hv_write_file(p, buf, n);
}

/* Lowest free port, as Xen allocates them; port 0 is never valid. */
int hv_port_alloc(const struct hv_host *h, unsigned int domid,
		  const struct hv_port *pt)
{
	struct hv_dominfo info;
	char p[PATH_MAX];
	unsigned int port;

	if (hv_dom_info(h, domid, &info)) {
		errno = ESRCH;
		return -1;
	}
	for (port = 1; port < HV_MAX_PORTS; port++) {
		if (hv_path(h, p, "dom/%u/port/%u", domid, port))
			return -1;
		if (access(p, F_OK) == 0)
			continue;
		return hv_port_put(h, domid, port, pt) ? -1 : (int)port;
	}
	errno = ENOSPC;
	return -1;
}

/*
 * EVTCHNOP_close: closing one end of an interdomain channel leaves the other
 * end unbound, waiting for the closer's domain to bind it again (this is what
 * lets xenstored rebind a guest's port on a second INTRODUCE).
 */
int hv_port_close(const struct hv_host *h, unsigned int domid,
		  unsigned int port)
{
	struct hv_port pt, remote;
	char p[PATH_MAX];

	if (hv_port_get(h, domid, port, &pt))
		return -1;
	if (pt.kind == HV_PORT_INTERDOMAIN &&
	    !hv_port_get(h, pt.remote_dom, pt.remote_port, &remote) &&
	    remote.kind == HV_PORT_INTERDOMAIN &&
	    remote.remote_dom == domid && remote.remote_port == port) {
		remote.kind = HV_PORT_UNBOUND;
		remote.remote_dom = domid;
		remote.remote_port = 0;
		hv_port_put(h, pt.remote_dom, pt.remote_port, &remote);
	}
	if (hv_path(h, p, "dom/%u/port/%u", domid, port))
		return -1;
	return unlink(p);
}

/* Make port of domid pending for whoever listens on it. */
static void deliver(const struct hv_port *pt, unsigned int port)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	uint32_t v = port;
	int fd;

	if (!pt->rx[0])
		return;		/* nobody listens: the event is lost, as on Xen */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	strcpy(sa.sun_path, pt->rx);
	/*
	 * A dead listener (ECONNREFUSED) loses the event; a full queue
	 * (EAGAIN) means the listener has events it has not read yet, which
	 * is the closest we get to "already pending".  Never block here.
	 */
	sendto(fd, &v, sizeof(v), MSG_DONTWAIT, (struct sockaddr *)&sa,
	       sizeof(sa));
	close(fd);
}

int hv_notify(const struct hv_host *h, unsigned int domid, unsigned int port)
{
	struct hv_port pt, remote;

	if (hv_port_get(h, domid, port, &pt))
		return -1;
	/* Sending on an unbound port is fine and goes nowhere, as on Xen. */
	if (pt.kind != HV_PORT_INTERDOMAIN)
		return 0;
	if (hv_port_get(h, pt.remote_dom, pt.remote_port, &remote) == 0)
		deliver(&remote, pt.remote_port);
	return 0;
}

void hv_raise_virq(const struct hv_host *h, unsigned int virq)
{
	struct hv_port pt;
	unsigned int port;

	for (port = 1; port < HV_MAX_PORTS; port++) {
		if (hv_port_get(h, 0, port, &pt))
			continue;
		if (pt.kind == HV_PORT_VIRQ && pt.virq == virq)
			deliver(&pt, port);
	}
}

int hv_rx_open(const struct hv_host *h, bool cloexec, char *path, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static unsigned int seq;
	char p[PATH_MAX];
	int fd;

	if (hv_path(h, p, "rx/%d.%u", (int)getpid(), seq++))
		return -1;
	if (strlen(p) >= sizeof(sa.sun_path) || strlen(p) >= len) {
		errno = ENAMETOOLONG;	/* host directory path too long */
		return -1;
	}
	strcpy(sa.sun_path, p);
	unlink(p);	/* a leftover of an earlier process with our pid */
	fd = socket(AF_UNIX, SOCK_DGRAM | (cloexec ? SOCK_CLOEXEC : 0), 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	strcpy(path, p);
	return fd;
}

int hv_rx_path(int fd, char *path, size_t len)
{
	struct sockaddr_un sa;
	socklen_t salen = sizeof(sa);

	if (getsockname(fd, (struct sockaddr *)&sa, &salen))
		return -1;
	if (sa.sun_family != AF_UNIX || salen <= sizeof(sa.sun_family) ||
	    strlen(sa.sun_path) >= len) {
		errno = EBADF;	/* not one of our event sockets */
		return -1;
	}
	strcpy(path, sa.sun_path);
	return 0;
}

int hv_rx_wait(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int rc;

	do
		rc = poll(&pfd, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	return rc;
}

int hv_rx_pending(int fd)
{
	uint32_t v;

	if (recv(fd, &v, sizeof(v), MSG_DONTWAIT) != sizeof(v))
		return -1;
	return v;
}

void *hv_ring_map(const struct hv_host *h, unsigned int domid)
{
	char p[PATH_MAX];
	void *addr;
	int fd;

	if (hv_path(h, p, "dom/%u/ring", domid))
		return NULL;
	fd = open(p, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	addr = mmap(NULL, HV_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, 0);
	close(fd);
	return addr == MAP_FAILED ? NULL : addr;
}
