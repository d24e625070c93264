#include "tests/followups/followup_stack.h"

#include <sodium.h>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/grpc_server.h"
#include "services/common/redis_client.h"
#include "services/identity/credential_registry.h"
#include "tests/harness/net.h"
#include "tests/harness/test_env.h"

namespace carebridge::testing {

FollowUpStackTest::FollowUpStackTest() {
  auto pg = PostgresServer::Start();
  EXPECT_TRUE(pg.ok()) << pg.status();
  if (pg.ok()) pg_ = *std::move(pg);
  auto redis = RedisServer::Start();
  EXPECT_TRUE(redis.ok()) << redis.status();
  if (redis.ok()) redis_ = *std::move(redis);
  auto sink = SmtpSink::Start();
  EXPECT_TRUE(sink.ok()) << sink.status();
  if (sink.ok()) sink_ = *std::move(sink);
}

FollowUpStackTest::~FollowUpStackTest() {
  if (HasFailure()) std::cerr << Logs();
  std::vector<std::unique_ptr<ServiceProcess>> scheduling;
  if (scheduling_) scheduling.push_back(std::move(scheduling_));
  for (const auto* list : {&workers_, &scheduling, &inquiries_}) {
    for (const auto& p : *list) {
      const int status = p->process->Terminate(std::chrono::seconds(10));
      if (p->expect_clean_exit) {
        EXPECT_EQ(status, 0) << p->log_path << "\n" << ReadFileTail(p->log_path);
      }
    }
  }
}

std::string FollowUpStackTest::Logs() {
  std::string out;
  std::vector<const ServiceProcess*> all;
  for (const auto& p : inquiries_) all.push_back(p.get());
  for (const auto& p : workers_) all.push_back(p.get());
  if (scheduling_) all.push_back(scheduling_.get());
  {
    for (const ServiceProcess* p : all) {
      // Connection failures during a deliberate outage would crowd out everything else.
      std::string tail;
      for (absl::string_view line : absl::StrSplit(ReadFileTail(p->log_path, 200000), '\n')) {
        if (!absl::StrContains(line, "redis_connect_failed")) absl::StrAppend(&tail, line, "\n");
      }
      if (tail.size() > 4000) tail = tail.substr(tail.size() - 4000);
      absl::StrAppend(&out, "---- ", p->log_path, "\n", tail);
    }
  }
  return out;
}

bool FollowUpStackTest::WaitFor(const std::function<bool()>& done,
                                std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

ServiceProcess& FollowUpStackTest::StartInquiries(const Env& extra) {
  auto service = std::make_unique<ServiceProcess>();
  const int port = FreePort();
  service->address = absl::StrCat("127.0.0.1:", port);
  service->log_path = TempDir() + "/inquiries.log";
  Env env = {{"CAREBRIDGE_PG_URI", pg_->uri()},
             {"CAREBRIDGE_REDIS_ADDR", redis_->address()},
             {"CAREBRIDGE_INQUIRIES_LISTEN", service->address},
             {"CAREBRIDGE_INTERNAL_TOKEN", kInternalToken},
             {"CAREBRIDGE_OUTBOX_RELAY_INTERVAL_MS", "50"}};
  env.insert(env.end(), extra.begin(), extra.end());
  auto process = ChildProcess::Spawn(CAREBRIDGE_INQUIRIES_BIN, {}, env, service->log_path);
  EXPECT_TRUE(process.ok()) << process.status();
  service->process = *std::move(process);
  EXPECT_TRUE(WaitForTcpPort(port, std::chrono::seconds(20)).ok())
      << ReadFileTail(service->log_path);
  inquiries_.push_back(std::move(service));
  return *inquiries_.back();
}

ServiceProcess& FollowUpStackTest::StartScheduling(const Env& extra) {
  auto service = std::make_unique<ServiceProcess>();
  const int port = FreePort();
  service->address = absl::StrCat("127.0.0.1:", port);
  service->log_path = TempDir() + "/scheduling.log";
  Env env = {
      {"CAREBRIDGE_PG_URI", pg_->uri()},
      {"CAREBRIDGE_REDIS_ADDR", redis_->address()},
      {"CAREBRIDGE_SCHEDULING_LISTEN", service->address},
      {"CAREBRIDGE_INQUIRIES_ADDR", inquiries_.empty() ? "127.0.0.1:1" : inquiries_[0]->address},
      {"CAREBRIDGE_INTERNAL_TOKEN", kInternalToken},
      {"CAREBRIDGE_BOOKING_LINK_SECRET", kBookingLinkSecret},
      {"CAREBRIDGE_OUTBOX_RELAY_INTERVAL_MS", "50"}};
  env.insert(env.end(), extra.begin(), extra.end());
  auto process = ChildProcess::Spawn(CAREBRIDGE_SCHEDULING_BIN, {}, env, service->log_path);
  EXPECT_TRUE(process.ok()) << process.status();
  service->process = *std::move(process);
  EXPECT_TRUE(WaitForTcpPort(port, std::chrono::seconds(20)).ok())
      << ReadFileTail(service->log_path);
  service->channel = grpc::CreateChannel(service->address, grpc::InsecureChannelCredentials());
  scheduling_ = std::move(service);
  return *scheduling_;
}

ServiceProcess& FollowUpStackTest::StartWorker(const Env& extra, bool wait) {
  auto service = std::make_unique<ServiceProcess>();
  const int port = FreePort();
  service->metrics_port = FreePort();
  service->address = absl::StrCat("127.0.0.1:", port);
  service->log_path = TempDir() + "/followups.log";
  Env env = {
      {"CAREBRIDGE_PG_URI", pg_->uri()},
      {"CAREBRIDGE_REDIS_ADDR", redis_->address()},
      {"CAREBRIDGE_INQUIRIES_ADDR", inquiries_.empty() ? "127.0.0.1:1" : inquiries_[0]->address},
      {"CAREBRIDGE_INTERNAL_TOKEN", kInternalToken},
      {"CAREBRIDGE_FOLLOWUPS_LISTEN", service->address},
      {"CAREBRIDGE_FOLLOWUPS_METRICS_LISTEN", absl::StrCat("127.0.0.1:", service->metrics_port)},
      {"CAREBRIDGE_SCHEDULING_ADDR", scheduling_ ? scheduling_->address : "none"},
      {"CAREBRIDGE_BOOKING_LINK_SECRET", kBookingLinkSecret},
      {"CAREBRIDGE_SMTP_URL", sink_->url()},
      {"CAREBRIDGE_SMTP_TIMEOUT_MS", "800"},
      {"CAREBRIDGE_WEBHOOK_TIMEOUT_MS", "800"},
      {"CAREBRIDGE_FOLLOWUPS_MAX_TRIES", "3"},
      {"CAREBRIDGE_FOLLOWUPS_BACKOFF_BASE_MS", "200"},
      {"CAREBRIDGE_FOLLOWUPS_BACKOFF_CAP_MS", "2000"},
      {"CAREBRIDGE_FOLLOWUPS_LEASE_MS", "2000"},
      {"CAREBRIDGE_FOLLOWUPS_CLAIM_IDLE_MS", "1000"},
      {"CAREBRIDGE_FOLLOWUPS_CLAIM_INTERVAL_MS", "300"},
      {"CAREBRIDGE_FOLLOWUPS_REQUEUE_INTERVAL_MS", "100"},
      {"CAREBRIDGE_FOLLOWUPS_REQUEUE_AFTER_MS", "500"},
      {"CAREBRIDGE_FOLLOWUPS_BLOCK_MS", "200"},
      {"CAREBRIDGE_COORDINATOR_DESK_EMAIL", "desk@carebridge.test"},
      {"CAREBRIDGE_LEAD_COORDINATOR_EMAIL", "lead@carebridge.test"}};
  // Later entries replace earlier ones of the same name.
  for (const auto& [name, value] : extra) {
    bool replaced = false;
    for (auto& entry : env) {
      if (entry.first == name) {
        entry.second = value;
        replaced = true;
      }
    }
    if (!replaced) env.emplace_back(name, value);
  }
  auto process = ChildProcess::Spawn(CAREBRIDGE_FOLLOWUPS_BIN, {}, env, service->log_path);
  EXPECT_TRUE(process.ok()) << process.status();
  service->process = *std::move(process);
  if (wait) {
    EXPECT_TRUE(WaitForTcpPort(port, std::chrono::seconds(20)).ok())
        << ReadFileTail(service->log_path);
  }
  workers_.push_back(std::move(service));
  return *workers_.back();
}

std::pair<std::string, std::string> FollowUpStackTest::CreateInquiry(const std::string& email,
                                                                     const std::string& language,
                                                                     size_t index) {
  ServiceProcess& inquiries = *inquiries_.at(index);
  if (!inquiries.channel) {
    inquiries.channel = grpc::CreateChannel(inquiries.address, grpc::InsecureChannelCredentials());
  }
  auto stub = carebridge::v1::Inquiries::NewStub(inquiries.channel);
  carebridge::v1::CreateInquiryRequest request;
  auto* in = request.mutable_inquiry();
  in->set_full_name("Test Patient");
  in->set_email(email);
  in->set_preferred_language(language);
  in->set_condition("stroke");
  in->set_contact_consent(true);
  in->set_privacy_policy_version("2026-01");
  carebridge::v1::CreateInquiryResponse response;
  auto context = NewClientContext(std::chrono::seconds(10));
  grpc::Status status = stub->CreateInquiry(context.get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.case_id(), response.reference()};
}

pqxx::result FollowUpStackTest::Sql(const std::string& sql) {
  pqxx::connection connection(pg_->uri());
  pqxx::work tx(connection);
  pqxx::result result = tx.exec(sql);
  tx.commit();
  return result;
}

std::vector<SmtpMessage> FollowUpStackTest::MessagesWith(const std::string& name,
                                                         const std::string& value) {
  std::vector<SmtpMessage> out;
  for (auto& message : sink_->Messages()) {
    if (message.Header(name) == value) out.push_back(std::move(message));
  }
  return out;
}

std::unique_ptr<carebridge::v1::FollowUps::Stub> FollowUpStackTest::FollowUpsStub(
    const ServiceProcess& worker) {
  return carebridge::v1::FollowUps::NewStub(
      grpc::CreateChannel(worker.address, grpc::InsecureChannelCredentials()));
}

std::unique_ptr<grpc::ClientContext> FollowUpStackTest::CoordinatorContext(
    std::chrono::milliseconds timeout) {
  EXPECT_GE(sodium_init(), 0);  // idempotent; session tokens come from libsodium's random bytes
  RedisConfig config;
  EXPECT_TRUE(ParseRedisAddress(redis_->address(), &config).ok());
  RedisClient redis(config);
  identity::UserRecord coordinator;
  coordinator.id = "c0000000-0000-4000-8000-00000000c0de";
  coordinator.role = "coordinator";
  auto token = identity::CredentialRegistry(redis).CreateSession(coordinator, absl::Hours(1));
  EXPECT_TRUE(token.ok()) << token.status();
  auto context = NewClientContext(timeout);
  context->AddMetadata("authorization", "Bearer " + token.value_or(""));
  return context;
}

}  // namespace carebridge::testing
