/*
 * xensim host start|stop|live-update: a simulated host and its xenstored.
 *
 *   HOST/hv/...            simulated hypervisor (hv.h)
 *   HOST/run/              XENSTORED_RUNDIR: socket, tdb, state_dump
 *   HOST/xenstored.pid     daemon pid (it keeps it across live updates)
 *   HOST/xenstored.bin     the binary it runs
 *   HOST/xenstored.log     its stdout/stderr; HOST/xenstored.trace: -T
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xensim.h"

void host_file(const struct hv_host *h, char *buf, const char *name)
{
	snprintf(buf, PATH_MAX, "%s/%s", h->dir, name);
}

/* pid of the host's running daemon, or 0. */
pid_t daemon_pid(const struct hv_host *h)
{
	char p[PATH_MAX], buf[PATH_MAX];
	FILE *f;
	long pid = 0;
	char state = 0;

	host_file(h, p, "xenstored.pid");
	f = fopen(p, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	if (pid <= 0)
		return 0;
	/* A reaped pid may be reused: it must still be a xenstored... */
	snprintf(p, sizeof(p), "/proc/%ld/cmdline", pid);
	f = fopen(p, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f) || !strstr(basename(buf), "xenstored"))
		pid = 0;
	fclose(f);
	/* ... and not a zombie nobody reaped yet. */
	snprintf(p, sizeof(p), "/proc/%ld/stat", pid);
	f = fopen(p, "r");
	if (f) {
		if (fscanf(f, "%*d (%*[^)]) %c", &state) == 1 && state == 'Z')
			pid = 0;
		fclose(f);
	}
	return pid;
}

/* Dump the daemon log tail, to explain a failure. */
void show_log(const struct hv_host *h)
{
	char p[PATH_MAX], cmd[PATH_MAX + 32];

	host_file(h, p, "xenstored.log");
	fprintf(stderr, "xensim: --- last lines of %s:\n", p);
	snprintf(cmd, sizeof(cmd), "tail -n 20 '%s' >&2", p);
	if (system(cmd))
		fprintf(stderr, "xensim: (no log)\n");
}

/* Serving means answering a request, not just accepting a connection. */
int wait_serving(const struct hv_host *h, pid_t child)
{
	int64_t deadline = now_ms() + xensim_timeout_ms();
	struct xs_msg reply;
	int rc = 0, status;

	while (now_ms() < deadline) {
		if (child > 0 && waitpid(child, &status, WNOHANG) == child)
			return ECHILD;
		rc = xs_sock_request(h, XS_DIRECTORY, 0, "/", 2, &reply, 1000);
		if (!rc)
			return 0;
		usleep(20000);
	}
	return rc ? rc : ETIMEDOUT;
}

static void pick_binary(char *bin, int stock)
{
	char self[PATH_MAX], *dir;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *env = getenv("XENSIM_XENSTORED");

	if (env) {
		snprintf(bin, PATH_MAX, "%s", env);
		return;
	}
	if (n < 0)
		die("cannot find myself: %s", strerror(errno));
	self[n] = 0;
	dir = dirname(self);
	snprintf(bin, PATH_MAX, "%s/xenstored-patched", dir);
	if (stock || access(bin, X_OK))
		snprintf(bin, PATH_MAX, "%s/xenstored-stock", dir);
}

void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f))
		die("cannot write %s: %s", path, strerror(errno));
}

/*
 * trace: run xenstored with -T (one write(2) per message octet: fine for
 * finding bugs, but a daemon as deployed runs without it, so benchmarks
 * pass --no-trace).
 */
static int host_start(const struct hv_host *h, int stock, int trace_on)
{
	struct hv_port pt = { .kind = HV_PORT_UNBOUND, .remote_dom = 0 };
	char p[PATH_MAX], bin[PATH_MAX], buf[64];
	int lk, port, fd;
	pid_t pid;

	if (daemon_pid(h))
		die("host %s is already running", h->dir);
	/* Every start is a fresh host: no state from an earlier run. */
	snprintf(p, sizeof(p), "rm -rf '%s/hv' '%s/run'", h->dir, h->dir);
	if (strchr(h->dir, '\'') || system(p))
		die("cannot clean %s", h->dir);
	host_file(h, p, "hv");
	mkdir(p, 0700);
	host_file(h, p, "hv/dom");
	mkdir(p, 0700);
	host_file(h, p, "hv/rx");
	mkdir(p, 0700);
	host_file(h, p, "run");
	mkdir(p, 0755);

	/* dom0 and the unbound store port its kernel would allocate. */
	lk = hv_lock(h);
	if (lk < 0 || hv_dom_create(h, 0) ||
	    (port = hv_port_alloc(h, 0, &pt)) < 0 ||
	    hv_dom_write_uint(h, 0, "store-port", port))
		die("cannot create dom0: %s", strerror(errno));
	hv_unlock(lk);

	pick_binary(bin, stock);
	host_file(h, p, "xenstored.bin");
	write_text(p, bin);

	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		char trace[PATH_MAX], sock[PATH_MAX], run[PATH_MAX];

		setsid();
		host_file(h, p, "xenstored.log");
		fd = open(p, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd < 0)
			_exit(127);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
		fd = open("/dev/null", O_RDONLY);
		dup2(fd, 0);
		close(fd);
		host_file(h, trace, "xenstored.trace");
		host_file(h, run, "run");
		host_socket(h, sock, sizeof(sock));
		setenv("XENSIM_HOST", h->dir, 1);
		setenv("XENSIM_DOMID", "0", 1);
		setenv("XENSTORED_RUNDIR", run, 1);
		setenv("XENSTORED_PATH", sock, 1);
		/* -N: we are its parent and know its pid; -T: trace for bugs. */
		if (trace_on)
			execl(bin, bin, "-N", "-T", trace, (char *)NULL);
		else
			execl(bin, bin, "-N", (char *)NULL);
		fprintf(stderr, "exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	host_file(h, p, "xenstored.pid");
	snprintf(buf, sizeof(buf), "%ld\n", (long)pid);
	write_text(p, buf);

	if (wait_serving(h, pid)) {
		show_log(h);
		kill(pid, SIGKILL);
		die("xenstored (%s) did not come up", bin);
	}
	host_socket(h, p, sizeof(p));
	printf("XENSTORED_PATH=%s\nexport XENSTORED_PATH\n", p);
	return 0;
}

static int host_stop(const struct hv_host *h)
{
	unsigned int ids[512];
	int64_t deadline;
	char p[PATH_MAX];
	pid_t pid = daemon_pid(h);
	int lk, n, i;

	if (pid) {
		kill(pid, SIGTERM);
		deadline = now_ms() + xensim_timeout_ms();
		while (daemon_pid(h) && now_ms() < deadline)
			usleep(10000);
		if (daemon_pid(h)) {
			kill(pid, SIGKILL);
			usleep(100000);
			if (daemon_pid(h))
				die("xenstored %ld does not die", (long)pid);
		}
	}
	host_file(h, p, "xenstored.pid");
	unlink(p);

	/* The daemon's grant maps died with it: finish off dying domains. */
	lk = hv_lock(h);
	if (lk >= 0) {
		n = hv_dom_list(h, 0, ids, 512);
		for (i = 0; i < n; i++) {
			struct hv_dominfo info;

			hv_path(h, p, "dom/%u/mapped", ids[i]);
			unlink(p);
			if (!hv_dom_info(h, ids[i], &info) && info.dying)
				hv_dom_reap(h, ids[i]);
		}
		hv_unlock(lk);
	}
	snprintf(p, sizeof(p), "rm -f '%s'/hv/rx/*", h->dir);
	if (system(p))
		fprintf(stderr, "xensim: could not clean event sockets\n");
	return 0;
}

int cmd_host(int argc, char **argv)
{
	struct hv_host h;
	const char *capture = NULL, *filter = NULL;
	char abs[PATH_MAX];
	int i, force = 0;

	if (argc >= 2 && !strcmp(argv[0], "start")) {
		int stock = 0, trace_on = !getenv("XENSIM_NO_TRACE");

		for (i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--stock"))
				stock = 1;
			else if (!strcmp(argv[i], "--no-trace"))
				trace_on = 0;
			else
				die("host start: unknown option %s", argv[i]);
		}
		host_open(&h, argv[1], 1);
		return host_start(&h, stock, trace_on);
	}
	if (argc == 2 && !strcmp(argv[0], "stop")) {
		host_open(&h, argv[1], 0);
		return host_stop(&h);
	}
	if (argc >= 2 && !strcmp(argv[0], "live-update")) {
		host_open(&h, argv[1], 0);
		for (i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--force"))
				force = 1;
			else if (!strcmp(argv[i], "--capture") && i + 1 < argc)
				capture = argv[++i];
			else if (!strcmp(argv[i], "--filter") && i + 1 < argc)
				filter = argv[++i];
			else
				die("live-update: unknown option %s", argv[i]);
		}
		if (!capture)
			die("live-update: --capture FILE is required");
		/* The file is written by the daemon's successor: make it
		 * absolute, the daemon runs with cwd "/". */
		if (capture[0] != '/') {
			if (!getcwd(abs, sizeof(abs) - strlen(capture) - 2))
				die("getcwd: %s", strerror(errno));
			strcat(strcat(abs, "/"), capture);
			capture = abs;
		}
		return host_live_update(&h, capture, force, filter);
	}
	die("usage: xensim host start DIR [--stock] [--no-trace] | stop DIR | "
	    "live-update DIR --capture FILE [--force] [--filter CMD]");
}
