#include "tests/harness/server_process.h"

#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/harness/test_env.h"

namespace carebridge::testing::internal {
namespace {

constexpr char kSetpriv[] = "/usr/bin/setpriv";

}  // namespace

absl::StatusOr<std::optional<RunAs>> UnprivilegedUserIfRoot() {
  if (geteuid() != 0) return std::optional<RunAs>();
  const passwd* nobody = getpwnam("nobody");
  if (nobody == nullptr) {
    return absl::FailedPreconditionError(
        "running as root, and PostgreSQL refuses root, but there is no user 'nobody' to run it as");
  }
  return std::optional<RunAs>(RunAs{nobody->pw_uid, nobody->pw_gid});
}

absl::Status ChownTo(const std::string& path, const std::optional<RunAs>& run_as) {
  if (!run_as.has_value()) return absl::OkStatus();
  if (chown(path.c_str(), run_as->uid, run_as->gid) != 0) {
    return absl::InternalError(absl::StrCat("chown ", path, ": ", strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<ChildProcess>> SpawnServer(const std::string& program,
                                                          const std::vector<std::string>& args,
                                                          const std::optional<RunAs>& run_as,
                                                          int death_signal,
                                                          const std::string& log_path,
                                                          const std::string& working_dir) {
  if (access(program.c_str(), X_OK) != 0) {
    return absl::NotFoundError(absl::StrCat("cannot execute ", program, ": ", strerror(errno)));
  }
  std::vector<std::string> setpriv_args;
  if (run_as.has_value()) {
    setpriv_args = {absl::StrCat("--reuid=", run_as->uid), absl::StrCat("--regid=", run_as->gid),
                    "--clear-groups"};
  }
  // sigabbrev_np gives "KILL", "QUIT", ...: the names setpriv takes.
  setpriv_args.push_back(absl::StrCat("--pdeathsig=", sigabbrev_np(death_signal)));
  setpriv_args.push_back("--");
  setpriv_args.push_back(program);
  setpriv_args.insert(setpriv_args.end(), args.begin(), args.end());
  return ChildProcess::Spawn(kSetpriv, setpriv_args, {}, log_path, working_dir);
}

absl::Status WithLogTail(const absl::Status& status, const std::string& log_path) {
  return absl::Status(status.code(), absl::StrCat(status.message(), "\n--- last lines of ",
                                                  log_path, " ---\n", ReadFileTail(log_path)));
}

absl::Status WaitUntilReady(ChildProcess& process, const std::function<absl::Status()>& probe,
                            std::chrono::milliseconds timeout, const std::string& what,
                            const std::string& log_path) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  absl::Status last = absl::UnknownError("not probed yet");
  while (true) {
    if (!process.Running()) {
      return WithLogTail(absl::UnavailableError(absl::StrCat(
                             what, " exited during start-up with status ", *process.Wait({}))),
                         log_path);
    }
    last = probe();
    if (last.ok()) return last;
    if (std::chrono::steady_clock::now() >= deadline) {
      return WithLogTail(
          absl::DeadlineExceededError(absl::StrCat(what, " was not ready within ", timeout.count(),
                                                   " ms: ", last.message())),
          log_path);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

bool LogShowsPortInUse(const std::string& log_path) {
  return absl::StrContains(ReadFileTail(log_path, 2048), "Address already in use");
}

}  // namespace carebridge::testing::internal
