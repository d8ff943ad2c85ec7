/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xensim host live-update: drive xenstored's own live update and keep the
 * migration stream it writes for its successor.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xensim.h"

/* Run argv with XENSTORED_PATH set; killed when the timeout runs out. */
static int run_bounded(const struct hv_host *h, char **argv, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	char sock[PATH_MAX];
	int status;
	pid_t pid;

	host_socket(h, sock, sizeof(sock));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		setenv("XENSTORED_PATH", sock, 1);
		execvp(argv[0], argv);
		fprintf(stderr, "xensim: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now_ms() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			die("%s timed out after %d ms", argv[0], timeout_ms);
		}
		usleep(20000);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/*
 * Debian's /usr/bin/xenstore-control is a wrapper that refuses to run
 * without a hypervisor; the real tool is in xen-utils' private directory.
 */
static const char *xenstore_control(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("XENSIM_XENSTORE_CONTROL");
	glob_t gl;

	if (env)
		return env;
	snprintf(path, sizeof(path), "xenstore-control");
	if (!glob("/usr/lib/xen-*/bin/xenstore-control", 0, NULL, &gl) &&
	    gl.gl_pathc)
		snprintf(path, sizeof(path), "%s",
			 gl.gl_pathv[gl.gl_pathc - 1]);
	globfree(&gl);
	return path;
}

/*
 * xenstored's daemon live update dumps its state to RUNDIR/state_dump and
 * exec()s the new binary, which reads the file and deletes it.  We name as
 * "new binary" a small script that copies the file away first and then
 * execs the binary the host already runs: the daemon carries on, and the
 * copy is the migration stream xenstored itself wrote.
 *
 * With a filter, the script also runs `FILTER DUMP NEW` and puts NEW in
 * place of the dump, so the successor restores from a stream written by
 * someone else (e.g. `xsmigrate convert`).  If the filter fails, the
 * successor gets the original dump (a daemon without state would be of no
 * use to anyone) and the failure is reported.
 */
static void write_lu_script(const struct hv_host *h, const char *script,
			    const char *capture, const char *filter)
{
	char bin[PATH_MAX], dump[PATH_MAX], failed[PATH_MAX], p[PATH_MAX];
	char text[6 * PATH_MAX], filt[3 * PATH_MAX] = "";
	FILE *f;

	host_file(h, p, "xenstored.bin");
	f = fopen(p, "r");
	if (!f || !fgets(bin, sizeof(bin), f))
		die("cannot read %s", p);
	fclose(f);
	bin[strcspn(bin, "\n")] = 0;
	host_file(h, dump, "run/state_dump");
	host_file(h, failed, "lu-filter-failed");
	unlink(failed);
	if (strchr(capture, '\'') || strchr(bin, '\'') || strchr(h->dir, '\''))
		die("paths with quotes are not supported");
	if (filter)
		snprintf(filt, sizeof(filt),
			 "%s '%s' '%s.new' >&2 && mv '%s.new' '%s' ||\n"
			 "\ttouch '%s'\n", filter, dump, dump, dump, dump, failed);
	snprintf(text, sizeof(text),
		 "#!/bin/sh\n"
		 "# Written by xensim host live-update: keep the state xenstored\n"
		 "# dumped for its successor, then become that successor.\n"
		 "cp '%s' '%s.part' && mv '%s.part' '%s' ||\n"
		 "\techo 'xensim: capturing %s failed' >&2\n"
		 "%s"
		 "exec '%s' \"$@\"\n", dump, capture, capture, capture, dump,
		 filt, bin);
	write_text(script, text);
	if (chmod(script, 0755))
		die("chmod %s: %s", script, strerror(errno));
}

int host_live_update(const struct hv_host *h, const char *capture,
			    int force, const char *filter)
{
	char script[PATH_MAX], failed[PATH_MAX];
	char *argv[8];
	int argc = 0, rc, ctl_rc, fd;
	pid_t pid = daemon_pid(h);
	char head[8];

	if (!pid)
		die("host %s is not running", h->dir);
	unlink(capture);
	host_file(h, script, "lu-capture");
	write_lu_script(h, script, capture, filter);

	argv[argc++] = (char *)xenstore_control();
	argv[argc++] = "live-update";
	if (force)
		argv[argc++] = "-F";
	/* How long xenstored waits for transactions to end (then forces). */
	argv[argc++] = "-t";
	argv[argc++] = "1";
	argv[argc++] = script;
	argv[argc] = NULL;
	ctl_rc = run_bounded(h, argv, xensim_timeout_ms());
	if (ctl_rc)
		fprintf(stderr, "xensim: xenstore-control live-update failed "
			"(exit %d)\n", ctl_rc);

	if (daemon_pid(h) != pid) {
		show_log(h);
		die("xenstored did not survive its live update");
	}
	if ((rc = wait_serving(h, 0))) {
		show_log(h);
		die("xenstored is not serving after live update: %s",
		    strerror(rc));
	}
	if (ctl_rc)
		return 1;
	host_file(h, failed, "lu-filter-failed");
	if (!access(failed, F_OK))
		die("live-update filter '%s' failed; the daemon restored "
		    "from its own dump (see %s/xenstored.log)", filter, h->dir);
	fd = open(capture, O_RDONLY);
	if (fd < 0 || read(fd, head, sizeof(head)) != sizeof(head) ||
	    memcmp(head, "xenstore", 8))
		die("no migration stream captured in %s", capture);
	printf("captured %s (%ld bytes)\n", capture, (long)lseek(fd, 0, SEEK_END));
	close(fd);
	return 0;
}

