#include "tests/harness/postgres_server.h"

#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "tests/harness/net.h"
#include "tests/harness/test_env.h"

namespace carebridge::testing {
namespace {

constexpr char kDefaultBinDir[] = "/usr/lib/postgresql/15/bin";
constexpr char kDatabase[] = "carebridge";
constexpr auto kInitDbTimeout = std::chrono::seconds(120);
constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr auto kStopGrace = std::chrono::seconds(10);
constexpr int kStartAttempts = 3;  // new port each time, in case another process took ours

std::string BinDir() {
  const char* dir = std::getenv("CAREBRIDGE_PG_BIN_DIR");
  return dir != nullptr && *dir != '\0' ? dir : kDefaultBinDir;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start() {
  const std::string bin_dir = BinDir();
  if (!std::filesystem::exists(bin_dir + "/initdb") ||
      !std::filesystem::exists(bin_dir + "/postgres")) {
    return absl::FailedPreconditionError(
        absl::StrCat("PostgreSQL server binaries not found in ", bin_dir,
                     " (install Debian's postgresql-15, e.g. with infra/deps.sh, or set "
                     "CAREBRIDGE_PG_BIN_DIR)"));
  }
  ASSIGN_OR_RETURN(const std::optional<internal::RunAs> run_as, internal::UnprivilegedUserIfRoot());
  std::unique_ptr<PostgresServer> server(new PostgresServer(TempDir(), bin_dir, run_as));
  RETURN_IF_ERROR(internal::ChownTo(server->dir_, run_as));
  RETURN_IF_ERROR(server->InitDb());
  RETURN_IF_ERROR(server->WriteConfig());

  absl::Status launched;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    server->port_ = FreePort();
    launched = server->Launch("postgres");
    if (launched.ok() || !internal::LogShowsPortInUse(server->log_path())) break;
  }
  RETURN_IF_ERROR(launched);
  RETURN_IF_ERROR(server->CreateDatabase());
  return server;
}

PostgresServer::~PostgresServer() {
  // Immediate shutdown: the data is thrown away, so there is nothing to checkpoint.
  if (process_) process_->Signal(SIGQUIT, kStopGrace);
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string PostgresServer::uri() const { return UriFor(kDatabase); }

std::string PostgresServer::UriFor(const std::string& database) const {
  return absl::StrCat("postgresql://postgres@127.0.0.1:", port_, "/", database);
}

absl::Status PostgresServer::InitDb() {
  const std::string log = dir_ + "/initdb.log";
  ASSIGN_OR_RETURN(auto initdb,
                   internal::SpawnServer(
                       bin_dir_ + "/initdb",
                       {"--pgdata=" + data_dir(), "--username=postgres", "--auth=trust",
                        "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"},
                       run_as_, SIGKILL, log, dir_));
  const std::optional<int> status = initdb->Wait(kInitDbTimeout);
  if (!status.has_value()) {
    initdb->Kill();
    return internal::WithLogTail(absl::DeadlineExceededError("initdb did not finish in time"), log);
  }
  if (*status != 0) {
    return internal::WithLogTail(
        absl::InternalError(absl::StrCat("initdb failed with status ", *status)), log);
  }
  return absl::OkStatus();
}

absl::Status PostgresServer::WriteConfig() const {
  // Appended, so these win over initdb's defaults. The port is passed on the command line.
  std::ofstream conf(data_dir() + "/postgresql.conf", std::ios::app);
  conf << "\n# carebridge test harness\n"
       << "listen_addresses = '127.0.0.1'\n"
       << "unix_socket_directories = '" << dir_ << "'\n"
       << "fsync = off\n"
       << "full_page_writes = off\n"
       << "max_connections = 200\n";
  conf.close();
  if (!conf)
    return absl::InternalError(absl::StrCat("cannot write ", data_dir(), "/postgresql.conf"));
  return absl::OkStatus();
}

absl::Status PostgresServer::Launch(const std::string& database) {
  ASSIGN_OR_RETURN(process_, internal::SpawnServer(bin_dir_ + "/postgres",
                                                   {"-D", data_dir(), "-p", std::to_string(port_)},
                                                   run_as_, SIGQUIT, log_path(), dir_));
  const std::string probe_uri = UriFor(database) + "?connect_timeout=1";
  absl::Status ready = internal::WaitUntilReady(
      *process_,
      [&]() -> absl::Status {
        // Until start-up finishes, connections are refused or answered "starting up".
        try {
          pqxx::connection connection(probe_uri);
          return absl::OkStatus();
        } catch (const std::exception& e) {
          return absl::UnavailableError(e.what());
        }
      },
      kStartTimeout, absl::StrCat("PostgreSQL on 127.0.0.1:", port_), log_path());
  if (!ready.ok()) process_->Kill();
  return ready;
}

absl::Status PostgresServer::CreateDatabase() const {
  try {
    pqxx::connection connection(UriFor("postgres"));
    pqxx::nontransaction tx(connection);
    tx.exec(absl::StrCat("CREATE DATABASE ", kDatabase));
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("CREATE DATABASE ", kDatabase, ": ", e.what()));
  }
  return absl::OkStatus();
}

absl::Status PostgresServer::Stop() {
  if (!process_ || !process_->Running()) return absl::OkStatus();
  const int status = process_->Signal(SIGINT, kStopGrace);
  if (status != 0) {
    return internal::WithLogTail(
        absl::InternalError(absl::StrCat("PostgreSQL did not shut down cleanly: status ", status)),
        log_path());
  }
  return absl::OkStatus();
}

absl::Status PostgresServer::Restart() {
  RETURN_IF_ERROR(Stop());
  return Launch(kDatabase);
}

}  // namespace carebridge::testing
