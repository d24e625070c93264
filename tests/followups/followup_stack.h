// The follow-ups stack for integration tests: a private PostgreSQL, Redis and SMTP sink (started
// per fixture), carebridge-inquiries processes (each with its outbox relay) and
// carebridge-followups workers as child processes with short intervals, plus the clients a test
// needs (gRPC stubs, SQL, the sink's Maildir).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/channel.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "carebridge/v1/inquiries.grpc.pb.h"
#include "tests/harness/child_process.h"
#include "tests/harness/postgres_server.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/smtp_sink.h"

namespace carebridge::testing {

using Env = std::vector<std::pair<std::string, std::string>>;

// The internal token every process of the stack is given (CAREBRIDGE_INTERNAL_TOKEN): Inquiries
// requires it on GetCaseContacts / ConfirmFollowUps and the worker presents it.
inline constexpr char kInternalToken[] = "test-internal-token-0123456789";
// The key of the patients' self-booking links (the worker signs, scheduling verifies).
inline constexpr char kBookingLinkSecret[] = "test-booking-link-secret-0123456789";

struct ServiceProcess {
  std::unique_ptr<ChildProcess> process;
  std::string address;                     // "127.0.0.1:<grpc port>"
  std::shared_ptr<grpc::Channel> channel;  // to `address`, kept like a real client keeps one
  int metrics_port = 0;
  std::string log_path;
  // Checked when the fixture stops it: a clean exit after SIGTERM (so a sanitizer's report at exit
  // fails the test). Tests that kill a process or expect it to refuse to start clear it.
  bool expect_clean_exit = true;
};

class FollowUpStackTest : public ::testing::Test {
 protected:
  FollowUpStackTest();
  ~FollowUpStackTest() override;

  // Starts carebridge-inquiries (relay on, 50 ms interval) and waits until it serves.
  ServiceProcess& StartInquiries(const Env& extra = {});
  // Starts carebridge-scheduling (relay on, 50 ms interval) against the first inquiries process;
  // start it before the workers, which then send reminders through it.
  ServiceProcess& StartScheduling(const Env& extra = {});
  // Starts carebridge-followups against the first inquiries process (and the scheduling process,
  // if started): 3 tries, 200 ms backoff base, 2 s lease, 1 s claim idle; waits until it serves.
  ServiceProcess& StartWorker(const Env& extra = {}, bool wait = true);

  // Creates an inquiry through inquiries process `index`. Returns {case_id, reference}.
  std::pair<std::string, std::string> CreateInquiry(const std::string& email,
                                                    const std::string& language = "en",
                                                    size_t index = 0);

  pqxx::result Sql(const std::string& sql);
  long long Count(const std::string& sql) { return Sql(sql)[0][0].as<long long>(); }

  // Sink messages whose header `name` equals `value`.
  std::vector<SmtpMessage> MessagesWith(const std::string& name, const std::string& value);

  std::unique_ptr<carebridge::v1::FollowUps::Stub> FollowUpsStub(const ServiceProcess& worker);
  // A client context carrying a real coordinator session (stored in the stack's Redis as the
  // identity service stores it): what ListFollowUps / RetryFollowUp require.
  std::unique_ptr<grpc::ClientContext> CoordinatorContext(std::chrono::milliseconds timeout);

  // Polls `done` every 50 ms until true or `timeout`; returns its last value.
  static bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout);

  // Tails of every process log, for failure messages.
  std::string Logs();

  std::unique_ptr<PostgresServer> pg_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<SmtpSink> sink_;
  std::vector<std::unique_ptr<ServiceProcess>> inquiries_;
  std::vector<std::unique_ptr<ServiceProcess>> workers_;
  std::unique_ptr<ServiceProcess> scheduling_;
};

}  // namespace carebridge::testing
