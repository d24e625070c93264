// The case-management test stack: a private PostgreSQL and Redis, carebridge-inquiries (with the
// internal token set, short sessions and no outbox relay), carebridge-catalog,
// carebridge-followups and carebridge-scheduling (no relay either: reminders stay in its outbox
// for tests to read) beside it, carebridge-gateway in front of all four, and helpers to run
// carebridge-admin, log in, and call RPCs with any credential. Started once per test binary from
// the main thread (SetUpTestSuite).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/channel.h>
#include <pqxx/pqxx>

#include "carebridge/v1/identity.grpc.pb.h"
#include "carebridge/v1/inquiries.grpc.pb.h"
#include "tests/harness/child_process.h"
#include "tests/harness/http_client.h"
#include "tests/harness/postgres_server.h"
#include "tests/harness/redis_server.h"

namespace carebridge::testing {

inline constexpr char kInternalToken[] = "test-internal-token-0123456789";
inline constexpr int kSessionTtlSeconds = 4;
// The secret the stack's scheduling service verifies patients' booking links with.
inline constexpr char kBookingLinkSecret[] = "test-booking-link-secret-0123456789";

// What a test binary may choose before the stack starts (CasesStack::Configure).
struct CasesStackOptions {
  // Life of a login session (carebridge-inquiries' CAREBRIDGE_SESSION_TTL_SECONDS): short by
  // default, so the session-expiry tests wait only seconds; a browser test needs sessions that
  // outlive its clicking.
  int session_ttl_seconds = kSessionTtlSeconds;
};

class CasesStack {
 public:
  // Sets the options the stack starts with. Only before the first Get(): aborts after it.
  static void Configure(const CasesStackOptions& options);

  // Starts everything (on the first call); aborts the test binary with a message when something
  // cannot start.
  static CasesStack& Get();

  // Runs carebridge-admin with `args` (and `stdin_text` on its stdin); returns stdout, or the
  // failure text with exit status when `exit_code` is null and it fails.
  std::string Admin(const std::string& args, const std::string& stdin_text = "",
                    int* exit_code = nullptr);
  // Creates a user (password given) and returns its id.
  std::string CreateUser(const std::string& email, const std::string& role,
                         const std::string& languages, const std::string& password);
  // Creates a partner and returns its key.
  std::string CreatePartner(const std::string& name, const std::string& scopes);
  // Logs in over gRPC and returns the bearer token ("" on failure).
  std::string Login(const std::string& email, const std::string& password);

  pqxx::result Sql(const std::string& sql);

  std::unique_ptr<v1::Inquiries::Stub> Inquiries();
  std::unique_ptr<v1::Identity::Stub> Identity();
  // Carries Inquiries and Identity (carebridge-inquiries).
  std::shared_ptr<grpc::Channel> channel() { return channel_; }
  std::shared_ptr<grpc::Channel> catalog_channel() { return catalog_channel_; }
  std::shared_ptr<grpc::Channel> followups_channel() { return followups_channel_; }
  std::shared_ptr<grpc::Channel> scheduling_channel() { return scheduling_channel_; }
  // The channel of the process serving `grpc_path` ("/carebridge.v1.Catalog/GetClinic").
  std::shared_ptr<grpc::Channel> ChannelFor(const std::string& grpc_path);
  std::string gateway_url() const { return "http://127.0.0.1:" + std::to_string(gateway_port_); }
  // Every line the services logged so far.
  std::string Logs() const;
  // Terminates every process of the stack (also run at exit).
  void Stop();

 private:
  CasesStack() = default;
  void Start();

  // Spawns `binary` with `env`, logging to <dir>/<name>.log, and waits for `port`.
  std::unique_ptr<ChildProcess> StartService(const std::string& name, const std::string& binary,
                                             int port,
                                             std::vector<std::pair<std::string, std::string>> env);

  std::unique_ptr<PostgresServer> pg_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<ChildProcess> catalog_, inquiries_, followups_, scheduling_, gateway_;
  int catalog_port_ = 0, inquiries_port_ = 0, followups_port_ = 0, scheduling_port_ = 0,
      gateway_port_ = 0;
  std::string dir_;
  CasesStackOptions options_;
  std::shared_ptr<grpc::Channel> channel_, catalog_channel_, followups_channel_,
      scheduling_channel_;
};

// A client context with `authorization: Bearer <credential>` when credential is not empty.
std::unique_ptr<grpc::ClientContext> Context(const std::string& credential);

// A valid inquiry.
v1::CreateInquiryRequest InquiryRequest(const std::string& name, const std::string& email,
                                        const std::string& language = "");

}  // namespace carebridge::testing
