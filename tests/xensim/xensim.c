/*
 * xensim: drive a simulated Xen host (see docs/xensim.md).
 *
 *   xensim host start DIR [--stock] [--no-trace] | stop DIR | live-update DIR ...
 *   xensim domain create DIR DOMID [--introduce] | destroy DIR DOMID
 *   xensim domain shutdown DIR DOMID [REASON] | move SRC DST DOMID [--as N]
 *   xensim guest DIR DOMID        (commands on stdin)
 *
 * Exit status: 0 success, 1 usage or refused operation, 2 broken
 * simulation (timeouts, daemon gone): every wait is bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "xensim.h"

void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("xensim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

int xensim_timeout_ms(void)
{
	const char *s = getenv("XENSIM_TIMEOUT_MS");
	int t = s ? atoi(s) : 0;

	return t > 0 ? t : 10000;
}

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void host_open(struct hv_host *h, const char *dir, int create)
{
	char abs[PATH_MAX];

	if (create && mkdir(dir, 0755) && errno != EEXIST)
		die("cannot create host directory %s: %s", dir, strerror(errno));
	if (!realpath(dir, abs))
		die("no host directory %s: %s", dir, strerror(errno));
	/* Event sockets live below it and sun_path is only 108 bytes. */
	if (strlen(abs) > 80 || hv_host_init(h, abs))
		die("host directory path too long for unix sockets: %s", abs);
}

void host_socket(const struct hv_host *h, char *buf, size_t len)
{
	snprintf(buf, len, "%s/run/socket", h->dir);
}

const char *xs_errname(int err)
{
	static char buf[16];
	unsigned int i;

	for (i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
		if (xsd_errors[i].errnum == err)
			return xsd_errors[i].errstring;
	if (err == ETIMEDOUT)
		return "ETIMEDOUT";
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

static int xs_errnum(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
		if (!strcmp(xsd_errors[i].errstring, name))
			return xsd_errors[i].errnum;
	return EIO;
}

/* Send or receive len bytes within the deadline. */
static int sock_io(int fd, void *buf, size_t len, int out, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = out ? POLLOUT : POLLIN };
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		int left = deadline - now_ms();

		if (left <= 0 || poll(&pfd, 1, left) == 0)
			return ETIMEDOUT;
		n = out ? send(fd, (char *)buf + done, len - done, MSG_NOSIGNAL)
			: recv(fd, (char *)buf + done, len - done, 0);
		if (n == 0)
			return ECONNRESET;
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return errno;
		if (n > 0)
			done += n;
	}
	return 0;
}

int xs_sock_request(const struct hv_host *h, uint32_t type, uint32_t tx,
		    const void *body, size_t len, struct xs_msg *reply,
		    int timeout_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct xsd_sockmsg hdr = { .type = type, .req_id = 1, .tx_id = tx,
				   .len = len };
	int64_t deadline = now_ms() + timeout_ms;
	int fd, rc;

	host_socket(h, sa.sun_path, sizeof(sa.sun_path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return errno;
	/* A listening unix socket accepts at once (or fails at once). */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		rc = errno;
		close(fd);
		return rc;
	}
	rc = sock_io(fd, &hdr, sizeof(hdr), 1, deadline);
	if (!rc)
		rc = sock_io(fd, (void *)body, len, 1, deadline);
	if (!rc)
		rc = sock_io(fd, &reply->hdr, sizeof(reply->hdr), 0, deadline);
	if (!rc && reply->hdr.len > XENSTORE_PAYLOAD_MAX)
		rc = EPROTO;
	if (!rc)
		rc = sock_io(fd, reply->body, reply->hdr.len, 0, deadline);
	close(fd);
	if (rc)
		return rc;
	reply->body[reply->hdr.len] = 0;
	return reply->hdr.type == XS_ERROR ? xs_errnum(reply->body) : 0;
}

static void usage(void)
{
	fputs("usage: xensim host start DIR [--stock] [--no-trace]\n"
	      "       xensim host stop DIR\n"
	      "       xensim host live-update DIR --capture FILE [--force]\n"
	      "                                   [--filter CMD]\n"
	      "       xensim domain create DIR DOMID [--introduce]\n"
	      "       xensim domain destroy DIR DOMID\n"
	      "       xensim domain shutdown DIR DOMID [REASON]\n"
	      "       xensim domain move SRC DST DOMID [--as NEWDOMID]\n"
	      "       xensim guest DIR DOMID   (commands on stdin, see docs)\n",
	      stderr);
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	/* Results go to pipes in tests: keep them in order with stderr. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "host"))
		return cmd_host(argc - 2, argv + 2);
	if (!strcmp(argv[1], "domain"))
		return cmd_domain(argc - 2, argv + 2);
	if (!strcmp(argv[1], "guest"))
		return cmd_guest(argc - 2, argv + 2);
	usage();
}
