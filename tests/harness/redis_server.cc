#include "tests/harness/redis_server.h"

#include <signal.h>

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "services/common/redis_client.h"
#include "services/common/status_macros.h"
#include "tests/harness/net.h"
#include "tests/harness/server_process.h"
#include "tests/harness/test_env.h"

namespace carebridge::testing {
namespace {

constexpr char kDefaultBinary[] = "/usr/bin/redis-server";
constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr auto kStopGrace = std::chrono::seconds(10);
constexpr int kStartAttempts = 3;  // new port each time, in case another process took ours

std::string Binary() {
  const char* binary = std::getenv("CAREBRIDGE_REDIS_SERVER");
  return binary != nullptr && *binary != '\0' ? binary : kDefaultBinary;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start() {
  const std::string binary = Binary();
  if (!std::filesystem::exists(binary)) {
    return absl::FailedPreconditionError(
        absl::StrCat("redis-server not found at ", binary,
                     " (install Debian's redis-server, e.g. with infra/deps.sh, or set "
                     "CAREBRIDGE_REDIS_SERVER)"));
  }
  std::unique_ptr<RedisServer> server(new RedisServer(TempDir(), binary));
  absl::Status launched;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    server->port_ = FreePort();
    launched = server->Launch();
    if (launched.ok() || !internal::LogShowsPortInUse(server->log_path())) break;
  }
  RETURN_IF_ERROR(launched);
  return server;
}

RedisServer::~RedisServer() {
  if (process_) process_->Terminate(kStopGrace);
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string RedisServer::address() const { return absl::StrCat("127.0.0.1:", port_); }

absl::Status RedisServer::Launch() {
  ASSIGN_OR_RETURN(process_,
                   internal::SpawnServer(
                       binary_,
                       {"--bind", "127.0.0.1", "--port", std::to_string(port_), "--dir", dir_,
                        "--appendonly", "yes", "--appendfsync", "everysec", "--maxmemory-policy",
                        "noeviction", "--save", "", "--daemonize", "no", "--logfile", ""},
                       std::nullopt, SIGKILL, log_path(), dir_));
  RedisConfig config;
  config.port = port_;
  config.pool_size = 1;
  RedisClient client(config);
  absl::Status ready = internal::WaitUntilReady(
      *process_,
      [&]() -> absl::Status {
        // Probing the port first keeps the client from logging a warning per refused connect.
        RETURN_IF_ERROR(WaitForTcpPort(port_, std::chrono::milliseconds(0)));
        // While loading the AOF Redis answers -LOADING (FAILED_PRECONDITION here).
        absl::StatusOr<RedisValue> pong = client.Command({"PING"});
        if (!pong.ok()) return pong.status();
        if (pong->str != "PONG") return absl::UnavailableError("PING answered " + pong->str);
        return absl::OkStatus();
      },
      kStartTimeout, absl::StrCat("Redis on ", address()), log_path());
  if (!ready.ok()) process_->Kill();
  return ready;
}

absl::Status RedisServer::Stop() {
  if (!process_ || !process_->Running()) return absl::OkStatus();
  const int status = process_->Terminate(kStopGrace);
  if (status != 0) {
    return internal::WithLogTail(
        absl::InternalError(absl::StrCat("Redis did not shut down cleanly: status ", status)),
        log_path());
  }
  return absl::OkStatus();
}

absl::Status RedisServer::Restart() {
  RETURN_IF_ERROR(Stop());
  return Launch();
}

}  // namespace carebridge::testing
