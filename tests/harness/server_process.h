// Internal to the harness: what PostgresServer and RedisServer share about running a server.
//
// Servers are spawned through setpriv(1) (util-linux, present on every Debian system) which
//  - drops to an unprivileged user when asked (PostgreSQL refuses to run as root), and
//  - sets a parent-death signal, so a server does not outlive a test that crashed or was killed by
//    ctest's timeout. The signal fires when the *thread* that started the server exits: start
//    servers from the test's main thread or from a thread that outlives them.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/harness/child_process.h"

namespace carebridge::testing::internal {

struct RunAs {
  uid_t uid;
  gid_t gid;
};

// `nobody` when this process runs as root, nullopt otherwise. FAILED_PRECONDITION when running as
// root and there is no user `nobody`.
absl::StatusOr<std::optional<RunAs>> UnprivilegedUserIfRoot();

// Makes `path` owned by `run_as` (no-op without one). INTERNAL with the path on failure.
absl::Status ChownTo(const std::string& path, const std::optional<RunAs>& run_as);

// Spawns `program args...` through setpriv, as `run_as` when given, with `death_signal` delivered
// to it when the calling thread exits. Output is appended to `log_path`; the working directory is
// `working_dir`.
absl::StatusOr<std::unique_ptr<ChildProcess>> SpawnServer(const std::string& program,
                                                          const std::vector<std::string>& args,
                                                          const std::optional<RunAs>& run_as,
                                                          int death_signal,
                                                          const std::string& log_path,
                                                          const std::string& working_dir);

// Polls `probe` until it returns OK. Fails early, with the exit status, if `process` exits, and
// with DEADLINE_EXCEEDED and the probe's last error after `timeout`. Error messages name `what`
// and end with the tail of `log_path`.
absl::Status WaitUntilReady(ChildProcess& process, const std::function<absl::Status()>& probe,
                            std::chrono::milliseconds timeout, const std::string& what,
                            const std::string& log_path);

// True when the tail of `log_path` says the server could not bind its port (so a retry on another
// port may succeed).
bool LogShowsPortInUse(const std::string& log_path);

// `status` with the last lines of `log_path` appended to its message.
absl::Status WithLogTail(const absl::Status& status, const std::string& log_path);

}  // namespace carebridge::testing::internal
