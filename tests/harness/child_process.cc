#include "tests/harness/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"

extern char** environ;

namespace carebridge::testing {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(5);

int DecodeWaitStatus(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return -WTERMSIG(wait_status);
  return -1;
}

// The parent's environment with `extra_env` applied, as "NAME=value" strings.
std::vector<std::string> MergedEnvironment(
    const std::vector<std::pair<std::string, std::string>>& extra_env) {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const char* eq = std::strchr(*entry, '=');
    if (eq == nullptr) continue;
    env[std::string(*entry, static_cast<size_t>(eq - *entry))] = eq + 1;
  }
  for (const auto& [name, value] : extra_env) env[name] = value;
  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& [name, value] : env) out.push_back(absl::StrCat(name, "=", value));
  return out;
}

// Owns the posix_spawn attribute and file-action objects for one spawn.
struct SpawnSetup {
  SpawnSetup() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnSetup() {
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
  }
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
};

}  // namespace

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Spawn(
    const std::string& path, const std::vector<std::string>& args,
    const std::vector<std::pair<std::string, std::string>>& extra_env, const std::string& log_path,
    const std::string& working_dir) {
  const bool search_path = path.find('/') == std::string::npos;
  if (!search_path && access(path.c_str(), X_OK) != 0) {
    return absl::NotFoundError(absl::StrCat("cannot execute ", path, ": ", std::strerror(errno)));
  }

  SpawnSetup setup;
  // Default dispositions for every signal and an empty mask: a child must not inherit, say, an
  // ignored SIGPIPE or SIGINT from the test runner.
  sigset_t all_signals;
  sigfillset(&all_signals);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigdefault(&setup.attr, &all_signals);
  posix_spawnattr_setsigmask(&setup.attr, &no_signals);
  posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  int log_fd = -1;
  if (!log_path.empty()) {
    // Opened here rather than in the child so a bad path gets a clear error. O_CLOEXEC keeps it out
    // of children other threads spawn meanwhile; dup2 onto 1 and 2 clears the flag in ours.
    log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) {
      return absl::InternalError(
          absl::StrCat("cannot open log file ", log_path, ": ", std::strerror(errno)));
    }
    posix_spawn_file_actions_adddup2(&setup.actions, log_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&setup.actions, log_fd, STDERR_FILENO);
  }

  if (!working_dir.empty()) {
    posix_spawn_file_actions_addchdir_np(&setup.actions, working_dir.c_str());
  }

  std::vector<std::string> argv_storage;
  argv_storage.reserve(args.size() + 1);
  argv_storage.push_back(path);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_storage = MergedEnvironment(extra_env);
  std::vector<char*> envp;
  for (std::string& entry : env_storage) envp.push_back(entry.data());
  envp.push_back(nullptr);

  pid_t pid = 0;
  const int rc =
      search_path
          ? posix_spawnp(&pid, path.c_str(), &setup.actions, &setup.attr, argv.data(), envp.data())
          : posix_spawn(&pid, path.c_str(), &setup.actions, &setup.attr, argv.data(), envp.data());
  if (log_fd >= 0) close(log_fd);
  if (rc != 0) {
    return absl::InternalError(absl::StrCat("posix_spawn ", path, ": ", std::strerror(rc)));
  }
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid));
}

ChildProcess::~ChildProcess() {
  if (Running()) Terminate();
}

bool ChildProcess::Reap(bool block) {
  if (status_.has_value()) return true;
  int wait_status = 0;
  pid_t rc;
  do {
    rc = waitpid(pid_, &wait_status, block ? 0 : WNOHANG);
  } while (rc < 0 && errno == EINTR);
  if (rc == pid_) {
    status_ = DecodeWaitStatus(wait_status);
    return true;
  }
  if (rc < 0) {
    // ECHILD: someone else reaped it (e.g. a SIGCHLD handler set to SIG_IGN). It is gone either
    // way.
    status_ = -1;
    return true;
  }
  return false;
}

bool ChildProcess::Running() { return !Reap(false); }

std::optional<int> ChildProcess::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!Reap(false)) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPollInterval);
  }
  return status_;
}

int ChildProcess::Signal(int signal, std::chrono::milliseconds grace) {
  if (Reap(false)) return *status_;
  kill(pid_, signal);
  if (Wait(grace).has_value()) return *status_;
  Kill();
  return *status_;
}

int ChildProcess::Terminate(std::chrono::milliseconds grace) { return Signal(SIGTERM, grace); }

void ChildProcess::Kill() {
  if (Reap(false)) return;
  kill(pid_, SIGKILL);
  Reap(true);
}

}  // namespace carebridge::testing
