// A child process for tests: started with posix_spawn, stopped and reaped by its owner.
//
// The child runs `path` with `args`, the parent's environment plus `extra_env`, stdin from
// /dev/null, and stdout and stderr appended to `log_path`. Signal dispositions and the signal mask
// are reset to defaults in the child, so a test runner's ignored signals do not leak into servers.
// Exit statuses are reported as one int: the exit code when the process exited, or -N when signal
// N ended it.
//
// A ChildProcess is not thread-safe; use it from one thread (or guard it).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace carebridge::testing {

class ChildProcess {
 public:
  // Starts `path` (searched in PATH when it has no '/') with argv = {path, args...}. `extra_env`
  // entries are added to the environment, replacing variables of the same name. An empty
  // `log_path` leaves stdout/stderr connected to the test's own. A non-empty `working_dir` is the
  // child's current directory (default: the parent's). Errors: NOT_FOUND when `path` is not an
  // executable file, INTERNAL when the log cannot be opened or the spawn fails (a missing
  // `working_dir` included); the message says which.
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Spawn(
      const std::string& path, const std::vector<std::string>& args,
      const std::vector<std::pair<std::string, std::string>>& extra_env,
      const std::string& log_path, const std::string& working_dir = "");

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Terminates the child (SIGTERM, then SIGKILL after 10 s) if it is still running.
  ~ChildProcess();

  pid_t pid() const { return pid_; }

  // True until the child has exited (reaps it when it has).
  bool Running();

  // Waits up to `timeout` for the child to exit on its own. Returns its exit status, or nullopt if
  // it is still running.
  std::optional<int> Wait(std::chrono::milliseconds timeout);

  // Sends `signal`, waits up to `grace` for the child to exit, then SIGKILLs it. Returns the exit
  // status. Returns the recorded status at once if the child had already exited.
  int Signal(int signal, std::chrono::milliseconds grace);

  // SIGTERM, then SIGKILL after `grace`. Returns the exit status.
  int Terminate(std::chrono::milliseconds grace = std::chrono::seconds(10));

  // SIGKILL, and reap.
  void Kill();

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}

  // Reaps the child if it has exited (blocking until it does when `block`). True once reaped.
  bool Reap(bool block);

  const pid_t pid_;
  std::optional<int> status_;  // set once reaped
};

}  // namespace carebridge::testing
