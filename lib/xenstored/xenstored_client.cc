#include "xenstored/xenstored_client.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

/* xenstore.h has no C++ guards of its own. */
extern "C" {
#include <xenstore.h>
}

namespace xsm {

XenstoredClient::~XenstoredClient()
{
    if (owned_)
        xs_close(h_);
}

bool XenstoredClient::Handle(XsError *e)
{
    if (h_)
        return true;
    h_ = xs_open(0);
    if (!h_) {
        *e = XsError{errno, std::string("cannot connect to xenstored: ") + std::strerror(errno)};
        return false;
    }
    owned_ = true;
    return true;
}

bool XenstoredClient::Control(const std::vector<std::string> &args, std::string *reply,
                              XsError *e)
{
    if (!Handle(e))
        return false;
    std::string data;
    for (size_t i = 1; i < args.size(); i++) {
        data += args[i];
        data.push_back('\0');
    }
    char *r = xs_control_command(h_, args[0].c_str(), data.empty() ? nullptr : &data[0],
                                 static_cast<unsigned int>(data.size()));
    if (!r) {
        int err = errno;
        if (err == EINVAL && !Knows(args[0])) {
            *e = XsError{ENOSYS, "xenstored has no \"" + args[0] +
                                         "\" command: it needs the xsmigrate patch series "
                                         "(libxl-patches/series)"};
            return false;
        }
        *e = XsError{err, "xenstored refused \"" + args[0] + "\": " + std::strerror(err)};
        return false;
    }
    *reply = r;
    std::free(r);
    return true;
}

/* An unknown CONTROL command is EINVAL too: "help" tells them apart. */
bool XenstoredClient::Knows(const std::string &cmd)
{
    std::map<std::string, std::string> cmds;
    XsError ignored;
    if (!Commands(&cmds, &ignored))
        return true; /* cannot tell: report the original error */
    return cmds.count(cmd) != 0;
}

/* "help" replies with one "<name>\t<parameters>" line per command
 * (xenstored_control.c, do_control_help). */
bool XenstoredClient::Commands(std::map<std::string, std::string> *out, XsError *e)
{
    if (!Handle(e))
        return false;
    char *help = xs_control_command(h_, "help", nullptr, 0);
    if (!help) {
        int err = errno;
        *e = XsError{err, std::string("xenstored refused \"help\": ") + std::strerror(err)};
        return false;
    }
    std::istringstream lines(help);
    std::free(help);
    std::string line;
    while (std::getline(lines, line)) {
        size_t sep = line.find_first_of(" \t");
        std::string name = line.substr(0, sep);
        if (!name.empty())
            (*out)[name] = sep == std::string::npos ? "" : line.substr(sep + 1);
    }
    return true;
}

bool XenstoredClient::Directory(const std::string &path, std::vector<std::string> *out,
                                XsError *e)
{
    if (!Handle(e))
        return false;
    unsigned int n = 0;
    char **d = xs_directory(h_, XBT_NULL, path.c_str(), &n);
    if (!d) {
        int err = errno;
        *e = XsError{err, "cannot list " + path + ": " + std::strerror(err)};
        return false;
    }
    out->assign(d, d + n);
    std::free(d);
    return true;
}

/*
 * The reply is "Quota settings:\n" then one line per quota,
 * "<name> : <value> <description>" (xenstored_control.c,
 * quota_show_current).
 */
bool XenstoredClient::Quotas(std::map<std::string, long> *out, XsError *e)
{
    std::string reply;
    if (!Control({"quota"}, &reply, e))
        return false;
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
    if (out->empty()) {
        *e = XsError{EPROTO, "cannot parse xenstored's quota reply"};
        return false;
    }
    return true;
}

} // namespace xsm
