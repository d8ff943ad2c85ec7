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
    char *help = xs_control_command(h_, "help", nullptr, 0);
    if (!help)
        return true; /* cannot tell: report the original error */
    std::string text(help);
    std::free(help);
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.compare(0, cmd.size(), cmd) == 0 &&
            (line.size() == cmd.size() || line[cmd.size()] == ' ' || line[cmd.size()] == '\t'))
            return true;
    }
    return false;
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

/* h3 (issue 9, restore rule): what the receiving host holds at path. */
bool XenstoredClient::Permissions(const std::string &path, std::vector<Permission> *out,
                                  bool *exists, XsError *e)
{
    if (!Handle(e))
        return false;
    unsigned int n = 0;
    struct xs_permissions *p = xs_get_permissions(h_, XBT_NULL, path.c_str(), &n);
    out->clear();
    if (!p) {
        int err = errno;
        if (err == ENOENT) {
            *exists = false;
            return true;
        }
        *e = XsError{err, "cannot read the permissions of " + path + ": " + std::strerror(err)};
        return false;
    }
    for (unsigned int i = 0; i < n; i++) {
        char access = (p[i].perms & XS_PERM_READ) && (p[i].perms & XS_PERM_WRITE) ? 'b'
                      : (p[i].perms & XS_PERM_WRITE)                             ? 'w'
                      : (p[i].perms & XS_PERM_READ)                              ? 'r'
                                                                                 : 'n';
        out->push_back(Permission{access, p[i].id});
    }
    std::free(p);
    *exists = true;
    return true;
}

} // namespace xsm
