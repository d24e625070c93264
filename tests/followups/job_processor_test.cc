// JobProcessor's batch rules against a real PostgreSQL (the followups schema and JobStore); the
// mail server and the Inquiries service are stand-ins, since what is under test is which jobs of a
// batch the processor runs and what it records, not delivery:
//  - a batch starts a job only while half of its lease is left, so a slow batch cannot run a job
//    that another worker may already have taken over; the jobs it skips stay leased, unacknowledged
//    and unsent, and are run once when the lease has run out;
//  - once an outcome cannot be recorded (the database went away), nothing more of the batch runs.
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/common/migrations.h"
#include "services/common/pg_pool.h"
#include "services/followups/job_processor.h"
#include "services/followups/job_store.h"
#include "services/followups/metrics.h"
#include "tests/harness/postgres_server.h"

namespace carebridge::followups {
namespace {

using carebridge::testing::PostgresServer;

constexpr char kCaseA[] = "00000000-0000-4000-8000-00000000000a";
constexpr char kCaseB[] = "00000000-0000-4000-8000-00000000000b";

// Every case exists, NEW, with a contact address.
class KnownCases final : public CaseDirectory {
 public:
  absl::StatusOr<std::vector<carebridge::v1::CaseContact>> GetCaseContacts(
      const std::vector<std::string>& case_ids) override {
    std::vector<carebridge::v1::CaseContact> out;
    for (const std::string& id : case_ids) {
      carebridge::v1::CaseContact contact;
      contact.set_case_id(id);
      contact.set_reference("CB-2026-000001");
      contact.set_stage(carebridge::v1::NEW);
      contact.set_email("patient@example.com");
      out.push_back(contact);
    }
    return out;
  }
  absl::Status ConfirmFollowUps(const std::vector<int64_t>&) override { return absl::OkStatus(); }
};

// Accepts every message, remembers its Message-ID and then runs `after_send` (which stands for
// whatever happens while a message is on its way: time passing, the database going away).
class RecordingEmail final : public EmailSender {
 public:
  absl::Status Send(const EmailMessage& message) override {
    sent.push_back(message.message_id);
    if (after_send) after_send();
    return absl::OkStatus();
  }
  std::vector<std::string> sent;
  std::function<void()> after_send;
};

class NoWebhooks final : public WebhookSender {
 public:
  absl::Status Send(const Webhook&) override { return absl::UnimplementedError("no webhooks"); }
};

class JobProcessorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = PostgresServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    PgPoolConfig pg;
    pg.uri = server_->uri();
    pg.size = 2;
    pg.prepared = JobStoreStatements();
    pool_ = std::make_unique<PgPool>(pg);
    ASSERT_TRUE(ApplyMigrations(*pool_, "followups", FollowUpsMigrations()).ok());
    store_ = std::make_unique<JobStore>(*pool_);
    config_.lease = absl::Minutes(10);
    processor_ = std::make_unique<JobProcessor>(
        *store_, cases_, nullptr, email_, webhooks_, config_, [this] { return now_; }, counters_);
  }

  // The job's state and tries as PostgreSQL has them, e.g. "DONE/1".
  std::string StateOf(const std::string& job_id) {
    pqxx::connection connection(server_->uri());
    pqxx::nontransaction tx(connection);
    const pqxx::result rows =
        tx.exec_params("SELECT state, tries FROM followups.jobs WHERE id = $1", job_id);
    if (rows.empty()) return "absent";
    return rows[0][0].as<std::string>() + "/" + rows[0][1].as<std::string>();
  }

  std::unique_ptr<PostgresServer> server_;
  std::unique_ptr<PgPool> pool_;
  std::unique_ptr<JobStore> store_;
  KnownCases cases_;
  RecordingEmail email_;
  NoWebhooks webhooks_;
  ProcessorConfig config_;
  JobCounters counters_;
  absl::Time now_ = absl::FromUnixSeconds(1798761600);  // 2027-01-01T00:00:00Z
  std::unique_ptr<JobProcessor> processor_;
};

TEST_F(JobProcessorTest, BatchStartsNoJobOnceHalfTheLeaseIsGone) {
  // Each send takes 60% of the lease, so after the first one too little is left for another.
  email_.after_send = [this] { now_ += config_.lease * 0.6; };
  const std::vector<JobRef> batch = {{"inquiries:1", "ACKNOWLEDGEMENT_EMAIL", kCaseA},
                                     {"inquiries:2", "ACKNOWLEDGEMENT_EMAIL", kCaseB}};
  const std::vector<absl::Status> outcomes = processor_->ProcessBatch(batch);

  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_TRUE(outcomes[0].ok()) << outcomes[0];
  EXPECT_EQ(outcomes[1].code(), absl::StatusCode::kUnavailable);  // left on the queue
  EXPECT_EQ(email_.sent, std::vector<std::string>{"inquiries.1@carebridge.local"});
  EXPECT_EQ(StateOf("inquiries:1"), "DONE/1");
  EXPECT_EQ(StateOf("inquiries:2"), "RUNNING/1");  // still under this batch's lease

  // Redelivered before the lease ran out: nobody may run it yet.
  email_.after_send = nullptr;
  EXPECT_TRUE(processor_->ProcessBatch({batch[1]})[0].ok());
  EXPECT_EQ(email_.sent.size(), 1u);

  // Taken over once the lease has run out, and run exactly once.
  now_ += config_.lease;
  EXPECT_TRUE(processor_->ProcessBatch(batch)[1].ok());
  EXPECT_EQ(email_.sent, (std::vector<std::string>{"inquiries.1@carebridge.local",
                                                   "inquiries.2@carebridge.local"}));
  EXPECT_EQ(StateOf("inquiries:1"), "DONE/1");
  EXPECT_EQ(StateOf("inquiries:2"), "DONE/2");
}

TEST_F(JobProcessorTest, BatchStopsOnceAnOutcomeCannotBeRecorded) {
  // The database goes away while the first message is on its way.
  email_.after_send = [this] { ASSERT_TRUE(server_->Stop().ok()); };
  const std::vector<JobRef> batch = {{"inquiries:1", "ACKNOWLEDGEMENT_EMAIL", kCaseA},
                                     {"inquiries:2", "ACKNOWLEDGEMENT_EMAIL", kCaseB},
                                     {"inquiries:3", "COORDINATOR_ALERT", kCaseB}};
  const std::vector<absl::Status> outcomes = processor_->ProcessBatch(batch);

  ASSERT_EQ(outcomes.size(), 3u);
  for (const absl::Status& outcome : outcomes) {
    EXPECT_EQ(outcome.code(), absl::StatusCode::kUnavailable) << outcome;
  }
  // Only the message in flight went out; the rest waits for a database to record it in.
  EXPECT_EQ(email_.sent, std::vector<std::string>{"inquiries.1@carebridge.local"});

  ASSERT_TRUE(server_->Restart().ok());
  EXPECT_EQ(StateOf("inquiries:2"), "RUNNING/1");
  EXPECT_EQ(StateOf("inquiries:3"), "RUNNING/1");
}

}  // namespace
}  // namespace carebridge::followups
