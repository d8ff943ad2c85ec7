/* SPDX-License-Identifier: LGPL-2.1-only */
/* Runs the real xsmigrate binary (path in $XSM_CLI) and captures its output. */
#ifndef XSM_TESTS_CLI_RUNNER_H
#define XSM_TESTS_CLI_RUNNER_H

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace xsm_test {

struct CliResult {
    int status = -1;
    std::string out, err;
};

inline std::string ReadFile(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

inline void WriteFile(const std::string &path, const std::string &data)
{
    std::ofstream(path, std::ios::binary) << data;
}

/* A scratch directory removed with everything in it. */
class TempDir {
public:
    TempDir()
    {
        char t[] = "/tmp/xsm-cli-XXXXXX";
        path_ = mkdtemp(t);
    }
    ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
    std::string operator/(const std::string &name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

/* Runs $XSM_CLI with args; stdin from `in` (a file path) if given. */
inline CliResult RunCli(const std::vector<std::string> &args, const std::string &in = "")
{
    const char *cli = std::getenv("XSM_CLI");
    CliResult r;
    if (!cli)
        return r;
    TempDir tmp;
    pid_t pid = fork();
    if (pid == 0) {
        int o = open((tmp / "out").c_str(), O_WRONLY | O_CREAT, 0600);
        int e = open((tmp / "err").c_str(), O_WRONLY | O_CREAT, 0600);
        dup2(o, 1);
        dup2(e, 2);
        if (!in.empty()) {
            int i = open(in.c_str(), O_RDONLY);
            dup2(i, 0);
        }
        std::vector<char *> argv{const_cast<char *>(cli)};
        for (auto &a : args)
            argv.push_back(const_cast<char *>(a.c_str()));
        argv.push_back(nullptr);
        execv(cli, argv.data());
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.out = ReadFile(tmp / "out");
    r.err = ReadFile(tmp / "err");
    return r;
}

} // namespace xsm_test

#endif
