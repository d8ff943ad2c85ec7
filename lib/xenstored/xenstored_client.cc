/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of xenstored/xenstored_client.h, which says what it is. */
#include "xenstored/xenstored_client.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include <xen/io/xs_wire.h>

#include "xen/xenstored_path.h"

namespace xsm {

namespace {

std::string Joined(const std::vector<std::string> &args, size_t from)
{
    std::string data;
    for (size_t i = from; i < args.size(); i++) {
        data += args[i];
        data.push_back('\0');
    }
    return data;
}

/* "a\0b\0" -> {a, b} */
void SplitNul(const std::string &s, size_t from, std::vector<std::string> *out)
{
    while (from < s.size()) {
        size_t end = s.find('\0', from);
        if (end == std::string::npos)
            end = s.size();
        out->push_back(s.substr(from, end - from));
        from = end + 1;
    }
}

/* xenstored answered with an error (or with what makes no sense: EPROTO). */
Status Refused(int err, const std::string &why)
{
    return std::move(Status::XenstoredRefused(err, why).From(StatusOrigin::kXenstored));
}

} // namespace

std::string XenstoredClient::DefaultPath()
{
    return XenstoredPathFromEnv().value_or("");
}

Status XenstoredClient::Talk(uint32_t type, const std::string &payload, const std::string &what,
                             std::string *reply, int *xs_errno, int pass_fd)
{
    std::string why;
    if (conn_.Talk(type, payload, timeout_ms_, reply, xs_errno, &why, pass_fd))
        return Status::Ok();
    const int err = errno;
    /* ENOTSOCK: refused before anything was sent (no socket to pass a file
     * on); the connection stays. */
    Status st = err == ENOTSOCK ? Status::XenstoredLacks(err, what + ": " + why)
                                : Status::XenstoredLost(err, what + ": " + why);
    return std::move(st.From(StatusOrigin::kXenstored));
}

Status XenstoredClient::Control(const std::vector<std::string> &args, std::string *reply,
                                int pass_fd)
{
    /* XS_CONTROL: the command, then its arguments, each NUL-terminated. */
    std::string what = "xenstored \"" + args[0] + "\"";
    int err = 0;
    /*
     * Asked before the command is sent: oxenstored acknowledges a command
     * it does not know with "OK", so a "quiesce" it never did would look
     * done.  "help" is asked once per client.
     */
    if (Status st = Has(args[0]); !st.ok())
        return st;
    if (Status st = Talk(XS_CONTROL, Joined(args, 0), what, reply, &err, pass_fd); !st.ok())
        return st;
    if (err)
        return Refused(err, "xenstored refused \"" + args[0] + "\": " + std::strerror(err));
    /* A reply is a string; drop its terminating NUL. */
    reply->resize(std::strlen(reply->c_str()));
    return Status::Ok();
}

Status XenstoredClient::Has(const std::string &cmd)
{
    if (Knows(cmd))
        return Status::Ok();
    return std::move(Status::XenstoredLacks(ENOSYS, Lacks(cmd)).From(StatusOrigin::kXenstored));
}

bool XenstoredClient::Knows(const std::string &cmd)
{
    if (cmd == "help")
        return true;
    std::map<std::string, std::string> cmds;
    if (!Commands(&cmds).ok())
        return true; /* cannot tell: the command itself reports the error */
    return cmds.count(cmd) != 0;
}

/* "help" replies with one "<name>\t<parameters>" line per command
 * (xenstored_control.c, do_control_help). */
Status XenstoredClient::Commands(std::map<std::string, std::string> *out)
{
    if (commands_known_) {
        *out = commands_;
        return Status::Ok();
    }
    std::string help;
    int err = 0;
    if (Status st = Talk(XS_CONTROL, std::string("help", 5), "help", &help, &err); !st.ok())
        return st;
    if (err)
        return Refused(err, std::string("xenstored refused \"help\": ") + std::strerror(err));
    /* oxenstored as released has no "help": it acknowledges any command
     * it does not know (process.ml, do_debug), and lists nothing. */
    const bool acked = std::strcmp(help.c_str(), "OK") == 0;
    commands_.clear();
    std::istringstream lines(acked ? "" : help.c_str());
    std::string line;
    while (std::getline(lines, line)) {
        size_t sep = line.find_first_of(" \t");
        std::string name = line.substr(0, sep);
        if (!name.empty())
            commands_[name] = sep == std::string::npos ? "" : line.substr(sep + 1);
    }
    /* With the series' "help" it lists its own commands, "mfn" among
     * them, which C xenstored does not have. */
    oxenstored_ = acked || commands_.count("mfn");
    commands_known_ = true;
    *out = commands_;
    return Status::Ok();
}

Status XenstoredClient::Read(const std::string &path, std::string *out)
{
    int err = 0;
    if (Status st = Talk(XS_READ, path + '\0', "cannot read " + path, out, &err); !st.ok())
        return st;
    if (err)
        return Refused(err, "cannot read " + path + ": " + std::strerror(err));
    return Status::Ok();
}

std::string XenstoredClient::Lacks(const std::string &command) const
{
    static const char needs[] =
            "; carrying a guest's xenstore state needs C xenstored or oxenstored with the "
            "domain-state commands (quiesce, unquiesce, save-domain, restore-domain: "
            "xenstored-domain-state(7))";
    if (oxenstored_ && commands_.empty())
        return "xenstored is oxenstored without the domain-state commands (it acknowledges "
               "every CONTROL command it does not know, \"help\" included, with \"OK\")" +
               std::string(needs);
    /* Which daemon answers, in the words of the one that lacks it. */
    const std::string daemon = oxenstored_ ? "oxenstored" : "C xenstored";
    if (conn_.through_device())
        return "xenstored is reached only through the kernel's xenbus device, as a xenstore "
               "stub domain is, and " +
               std::string(commands_.count(command) ? "could not open the state file dom0 "
                                                      "hands it"
                                                    : "has no \"" + command + "\" command") +
               needs + ", running in dom0";
    return "xenstored has no \"" + command + "\" command: it is " + daemon +
           " without the domain-state commands" + needs;
}

Status XenstoredClient::Directory(const std::string &path, std::vector<std::string> *out)
{
    std::string reply;
    int err = 0;
    std::string req = path + '\0';
    if (Status st = Talk(XS_DIRECTORY, req, "cannot list " + path, &reply, &err); !st.ok())
        return st;
    out->clear();
    if (!err) {
        SplitNul(reply, 0, out);
        return Status::Ok();
    }
    if (err != E2BIG)
        return Refused(err, "cannot list " + path + ": " + std::strerror(err));
    /*
     * Too many children for one message: XS_DIRECTORY_PART, as
     * libxenstore does.  Each part starts with the node's generation
     * and the last ends with an empty name; a change restarts.
     */
    for (int attempt = 0; attempt < 8; attempt++) {
        std::string gen;
        out->clear();
        size_t off = 0;
        for (;;) {
            std::string part;
            req = path + '\0' + std::to_string(off) + '\0';
            if (Status st = Talk(XS_DIRECTORY_PART, req, "cannot list " + path, &part, &err); !st.ok())
                return st;
            if (err)
                return Refused(err, "cannot list " + path + ": " + std::strerror(err));
            size_t g = part.find('\0');
            if (g == std::string::npos)
                break;
            if (!gen.empty() && part.compare(0, g, gen) != 0)
                break; /* changed under us: start again */
            gen = part.substr(0, g);
            bool last = part.size() >= 2 && part[part.size() - 1] == '\0' &&
                        part[part.size() - 2] == '\0';
            std::vector<std::string> names;
            SplitNul(last ? part.substr(0, part.size() - 1) : part, g + 1, &names);
            for (const std::string &n : names)
                off += n.size() + 1;
            out->insert(out->end(), names.begin(), names.end());
            if (last)
                return Status::Ok();
        }
    }
    return Refused(EAGAIN, "cannot list " + path + ": it keeps changing");
}

/*
 * The reply is "Quota settings:\n" then one line per quota,
 * "<name> : <value> <description>" (xenstored_control.c,
 * quota_show_current).
 */
Status XenstoredClient::Quotas(std::map<std::string, long> *out)
{
    std::string reply;
    if (Status st = Control({"quota"}, &reply); !st.ok())
        return st;
    std::istringstream in(reply);
    std::string line;
    while (std::getline(in, line)) {
        size_t colon = line.find(':');
        if (colon == std::string::npos || line.rfind("Quota settings", 0) == 0)
            continue;
        std::string name = line.substr(0, colon);
        name.erase(name.find_last_not_of(' ') + 1);
        char *end = nullptr;
        long v = std::strtol(line.c_str() + colon + 1, &end, 10);
        if (end != line.c_str() + colon + 1)
            (*out)[name] = v;
    }
    if (out->empty())
        return Refused(EPROTO, "cannot parse xenstored's quota reply");
    return Status::Ok();
}

/*
 * What the receiving host holds at path, for the restore rule.  The
 * reply of XS_GET_PERMS is one NUL-terminated entry per domain, owner
 * first: an access letter and a decimal domid ("n0", "r5").
 */
Status XenstoredClient::Permissions(const std::string &path, std::vector<Permission> *out,
                                  bool *exists)
{
    std::string reply;
    int err = 0;
    const std::string what = "cannot read the permissions of " + path;
    if (Status st = Talk(XS_GET_PERMS, path + '\0', what, &reply, &err); !st.ok())
        return st;
    out->clear();
    if (err == ENOENT) {
        *exists = false;
        return Status::Ok();
    }
    if (err)
        return Refused(err, what + ": " + std::strerror(err));
    std::vector<std::string> entries;
    SplitNul(reply, 0, &entries);
    for (const std::string &entry : entries) {
        char *end = nullptr;
        unsigned long id = entry.size() > 1 ? std::strtoul(entry.c_str() + 1, &end, 10) : 0;
        if (entry.size() < 2 || !std::strchr("nrwb", entry[0]) || *end)
            return Refused(EPROTO, what + ": xenstored sent \"" + entry + "\"");
        out->push_back(Permission{entry[0], static_cast<unsigned int>(id)});
    }
    *exists = true;
    return Status::Ok();
}

} // namespace xsm
