#include "tests/cases/cases_stack.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_server.h"
#include "tests/harness/net.h"
#include "tests/harness/test_env.h"

namespace carebridge::testing {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "cases stack: " << what << std::endl;
  std::abort();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

// The options of the stack, set by Configure before it starts; `started` once Get() ran.
struct PendingOptions {
  CasesStackOptions options;
  bool started = false;
};
PendingOptions& Pending() {
  static PendingOptions pending;
  return pending;
}

}  // namespace

void CasesStack::Configure(const CasesStackOptions& options) {
  if (Pending().started) Die("Configure() called after the stack started");
  Pending().options = options;
}

CasesStack& CasesStack::Get() {
  static CasesStack* stack = [] {
    auto* s = new CasesStack();
    Pending().started = true;
    s->options_ = Pending().options;
    s->Start();
    // Stops every process of the stack when the test binary exits (before the harness removes
    // its temp dirs, registered earlier): nothing outlives the test.
    std::atexit([] { Get().Stop(); });
    return s;
  }();
  return *stack;
}

void CasesStack::Stop() {
  // The gateway first, then the services, then the servers they use.
  gateway_.reset();
  scheduling_.reset();
  followups_.reset();
  inquiries_.reset();
  catalog_.reset();
  redis_.reset();
  pg_.reset();
}

void CasesStack::Start() {
  auto pg = PostgresServer::Start();
  if (!pg.ok()) Die(pg.status().ToString());
  pg_ = *std::move(pg);
  auto redis = RedisServer::Start();
  if (!redis.ok()) Die(redis.status().ToString());
  redis_ = *std::move(redis);
  dir_ = TempDir();
  catalog_port_ = FreePort();
  catalog_ = StartService("catalog", CAREBRIDGE_CATALOG_BIN, catalog_port_,
                          {{"CAREBRIDGE_PG_URI", pg_->uri()},
                           {"CAREBRIDGE_REDIS_ADDR", redis_->address()},
                           {"CAREBRIDGE_CATALOG_LISTEN", absl::StrCat("127.0.0.1:", catalog_port_)},
                           {"CAREBRIDGE_INTERNAL_TOKEN", kInternalToken}});
  inquiries_port_ = FreePort();
  inquiries_ = StartService(
      "inquiries", CAREBRIDGE_INQUIRIES_BIN, inquiries_port_,
      {{"CAREBRIDGE_PG_URI", pg_->uri()},
       {"CAREBRIDGE_REDIS_ADDR", redis_->address()},
       {"CAREBRIDGE_INQUIRIES_LISTEN", absl::StrCat("127.0.0.1:", inquiries_port_)},
       {"CAREBRIDGE_INTERNAL_TOKEN", kInternalToken},
       {"CAREBRIDGE_SESSION_TTL_SECONDS", std::to_string(options_.session_ttl_seconds)},
       {"CAREBRIDGE_LOGIN_MAX_FAILURES", "3"},
       {"CAREBRIDGE_OUTBOX_RELAY", "false"},
       {"CAREBRIDGE_CATALOG_ADDR", absl::StrCat("127.0.0.1:", catalog_port_)},
       {"CAREBRIDGE_CATALOG_TIMEOUT_MS", "5000"}});  // generous: CI machines are loaded
  // The worker only serves ListFollowUps / RetryFollowUp here: with the relay off, no job reaches
  // it, so its SMTP server is never used.
  followups_port_ = FreePort();
  followups_ =
      StartService("followups", CAREBRIDGE_FOLLOWUPS_BIN, followups_port_,
                   {{"CAREBRIDGE_PG_URI", pg_->uri()},
                    {"CAREBRIDGE_REDIS_ADDR", redis_->address()},
                    {"CAREBRIDGE_FOLLOWUPS_LISTEN", absl::StrCat("127.0.0.1:", followups_port_)},
                    {"CAREBRIDGE_FOLLOWUPS_METRICS_LISTEN", absl::StrCat("127.0.0.1:", FreePort())},
                    {"CAREBRIDGE_INQUIRIES_ADDR", absl::StrCat("127.0.0.1:", inquiries_port_)},
                    {"CAREBRIDGE_INTERNAL_TOKEN", kInternalToken},
                    {"CAREBRIDGE_SMTP_URL", absl::StrCat("smtp://127.0.0.1:", FreePort())}});
  scheduling_port_ = FreePort();
  scheduling_ =
      StartService("scheduling", CAREBRIDGE_SCHEDULING_BIN, scheduling_port_,
                   {{"CAREBRIDGE_PG_URI", pg_->uri()},
                    {"CAREBRIDGE_REDIS_ADDR", redis_->address()},
                    {"CAREBRIDGE_SCHEDULING_LISTEN", absl::StrCat("127.0.0.1:", scheduling_port_)},
                    {"CAREBRIDGE_INQUIRIES_ADDR", absl::StrCat("127.0.0.1:", inquiries_port_)},
                    {"CAREBRIDGE_INQUIRIES_TIMEOUT_MS", "5000"},
                    {"CAREBRIDGE_CATALOG_ADDR", absl::StrCat("127.0.0.1:", catalog_port_)},
                    {"CAREBRIDGE_CATALOG_TIMEOUT_MS", "5000"},
                    {"CAREBRIDGE_INTERNAL_TOKEN", kInternalToken},
                    {"CAREBRIDGE_BOOKING_LINK_SECRET", kBookingLinkSecret},
                    {"CAREBRIDGE_OUTBOX_RELAY", "false"},
                    {"CAREBRIDGE_STAGE_SYNC_INTERVAL_MS", "200"}});
  gateway_port_ = FreePort();
  gateway_ =
      StartService("gateway", CAREBRIDGE_GATEWAY_BIN, gateway_port_,
                   {{"CAREBRIDGE_GATEWAY_LISTEN", absl::StrCat("127.0.0.1:", gateway_port_)},
                    {"CAREBRIDGE_INQUIRIES_ADDR", absl::StrCat("127.0.0.1:", inquiries_port_)},
                    {"CAREBRIDGE_CATALOG_ADDR", absl::StrCat("127.0.0.1:", catalog_port_)},
                    {"CAREBRIDGE_FOLLOWUPS_ADDR", absl::StrCat("127.0.0.1:", followups_port_)},
                    {"CAREBRIDGE_SCHEDULING_ADDR", absl::StrCat("127.0.0.1:", scheduling_port_)},
                    {"CAREBRIDGE_REDIS_ADDR", redis_->address()},
                    {"CAREBRIDGE_RATE_LIMIT_PER_MINUTE", "0"},
                    {"CAREBRIDGE_BOOKING_RATE_LIMIT_PER_MINUTE", "0"}});
  const auto channel = [](int port) {
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                               grpc::InsecureChannelCredentials());
  };
  channel_ = channel(inquiries_port_);
  catalog_channel_ = channel(catalog_port_);
  followups_channel_ = channel(followups_port_);
  scheduling_channel_ = channel(scheduling_port_);
}

std::unique_ptr<ChildProcess> CasesStack::StartService(
    const std::string& name, const std::string& binary, int port,
    std::vector<std::pair<std::string, std::string>> env) {
  const std::string log = absl::StrCat(dir_, "/", name, ".log");
  auto child = ChildProcess::Spawn(binary, {}, env, log);
  if (!child.ok()) Die(child.status().ToString());
  if (!WaitForTcpPort(port, std::chrono::seconds(30)).ok()) {
    Die(absl::StrCat(binary, " did not start: ", ReadFileTail(log)));
  }
  return *std::move(child);
}

std::shared_ptr<grpc::Channel> CasesStack::ChannelFor(const std::string& grpc_path) {
  if (grpc_path.starts_with("/carebridge.v1.Catalog/")) return catalog_channel_;
  if (grpc_path.starts_with("/carebridge.v1.FollowUps/")) return followups_channel_;
  if (grpc_path.starts_with("/carebridge.v1.Scheduling/")) return scheduling_channel_;
  return channel_;
}

std::string CasesStack::Admin(const std::string& args, const std::string& stdin_text,
                              int* exit_code) {
  const std::string input = dir_ + "/admin-stdin";
  {
    std::ofstream out(input);
    out << stdin_text << "\n";
  }
  const std::string command = absl::StrCat(
      "CAREBRIDGE_PG_URI='", pg_->uri(), "' CAREBRIDGE_REDIS_ADDR='", redis_->address(), "' ",
      CAREBRIDGE_ADMIN_BIN, " ", args, " <", input, " 2>>", dir_, "/admin.log");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) Die("popen failed");
  std::string output;
  char buffer[512];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) output += buffer;
  const int status = pclose(pipe);
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (exit_code != nullptr) {
    *exit_code = code;
  } else if (code != 0) {
    Die(absl::StrCat("carebridge-admin ", args, " exited ", code, ": ",
                     ReadFileTail(dir_ + "/admin.log")));
  }
  return output;
}

std::string CasesStack::CreateUser(const std::string& email, const std::string& role,
                                   const std::string& languages, const std::string& password) {
  std::string args =
      absl::StrCat("user create --email ", email, " --role ", role, " --password-stdin");
  if (!languages.empty()) absl::StrAppend(&args, " --language ", languages);
  Admin(args, password);
  return Sql("SELECT id FROM identity.users WHERE email_normalized = lower('" + email + "')")[0][0]
      .as<std::string>();
}

std::string CasesStack::CreatePartner(const std::string& name, const std::string& scopes) {
  std::string out = Admin(absl::StrCat("partner create --name ", name, " --scopes ", scopes));
  while (!out.empty() && (out.back() == '\n')) out.pop_back();
  return out;
}

std::string CasesStack::Login(const std::string& email, const std::string& password) {
  v1::CreateSessionRequest request;
  request.set_email(email);
  request.set_password(password);
  v1::Session session;
  auto context = Context("");
  if (!Identity()->CreateSession(context.get(), request, &session).ok()) return "";
  return session.token();
}

pqxx::result CasesStack::Sql(const std::string& sql) {
  pqxx::connection connection(pg_->uri());
  pqxx::work tx(connection);
  pqxx::result result = tx.exec(sql);
  tx.commit();
  return result;
}

std::unique_ptr<v1::Inquiries::Stub> CasesStack::Inquiries() {
  return v1::Inquiries::NewStub(channel_);
}
std::unique_ptr<v1::Identity::Stub> CasesStack::Identity() {
  return v1::Identity::NewStub(channel_);
}

std::string CasesStack::Logs() const {
  return ReadAll(dir_ + "/inquiries.log") + ReadAll(dir_ + "/catalog.log") +
         ReadAll(dir_ + "/followups.log") + ReadAll(dir_ + "/scheduling.log") +
         ReadAll(dir_ + "/gateway.log") + ReadAll(dir_ + "/admin.log");
}

std::unique_ptr<grpc::ClientContext> Context(const std::string& credential) {
  auto context = NewClientContext(std::chrono::seconds(10));
  if (!credential.empty()) context->AddMetadata("authorization", "Bearer " + credential);
  return context;
}

v1::CreateInquiryRequest InquiryRequest(const std::string& name, const std::string& email,
                                        const std::string& language) {
  v1::CreateInquiryRequest request;
  auto* in = request.mutable_inquiry();
  in->set_full_name(name);
  in->set_email(email);
  in->set_phone("+819012345678");
  in->set_condition("stroke");
  in->set_contact_consent(true);
  in->set_privacy_policy_version("2026-01");
  if (!language.empty()) in->set_preferred_language(language);
  return request;
}

}  // namespace carebridge::testing
