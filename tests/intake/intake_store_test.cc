// IntakeService + InquiryStore against a real PostgreSQL started by the harness.
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "services/common/errors.h"
#include "services/common/migrations.h"
#include "services/common/pg_pool.h"
#include "services/identity/identity_store.h"
#include "services/inquiries/inquiry_store.h"
#include "services/inquiries/intake_service.h"
#include "tests/harness/postgres_server.h"

namespace carebridge::inquiries {
namespace {

using carebridge::testing::PostgresServer;
using carebridge::v1::CreateInquiryRequest;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 25, 9, 30, 0), absl::UTCTimeZone());

class IntakeStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = PostgresServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    PgPoolConfig config;
    config.uri = server_->uri();
    config.size = 8;
    config.prepared = InquiryStoreStatements();
    pool_ = new PgPool(config);
    // Intake assigns new cases to coordinators of the identity schema.
    ASSERT_TRUE(ApplyMigrations(*pool_, "identity", IdentityMigrations()).ok());
    ASSERT_TRUE(ApplyMigrations(*pool_, "inquiries", InquiriesMigrations()).ok());
  }
  static void TearDownTestSuite() {
    delete pool_;
    delete server_;
  }

  IntakeStoreTest() : store_(*pool_), intake_(store_, [this] { return now_; }) {
    Exec(
        "TRUNCATE inquiries.cases, inquiries.case_events, inquiries.outbox, "
        "inquiries.idempotency_keys");
    Exec("DROP TRIGGER IF EXISTS fail_outbox ON inquiries.outbox");
  }

  static pqxx::result Exec(const std::string& sql) {
    pqxx::connection connection(server_->uri());
    pqxx::work tx(connection);
    pqxx::result result = tx.exec(sql);
    tx.commit();
    return result;
  }
  static long Count(const std::string& table_and_filter) {
    return Exec("SELECT count(*) FROM " + table_and_filter)[0][0].as<long>();
  }

  static CreateInquiryRequest Request(const std::string& email = "aiko@example.jp") {
    CreateInquiryRequest request;
    auto* in = request.mutable_inquiry();
    in->set_full_name("Aiko Tanaka");
    in->set_email(email);
    in->set_condition("stroke");
    in->set_mrs_score(3);
    in->set_contact_consent(true);
    in->set_privacy_policy_version("2026-01");
    in->set_utm_source("guide");
    return request;
  }

  absl::StatusOr<v1::CreateInquiryResponse> Create(const CreateInquiryRequest& request,
                                                   const std::string& key = "") {
    IntakeCall call;
    call.idempotency_key = key;
    call.request_id = "test-request";
    return intake_.CreateInquiry(request, call);
  }

  static PostgresServer* server_;
  static PgPool* pool_;
  absl::Time now_ = kNow;
  InquiryStore store_;
  IntakeService intake_;
};

PostgresServer* IntakeStoreTest::server_ = nullptr;
PgPool* IntakeStoreTest::pool_ = nullptr;

TEST_F(IntakeStoreTest, StoresCaseWithConsentAttributionTimelineAndFirstFollowUps) {
  auto reply = Create(Request());
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->stage(), v1::NEW);
  EXPECT_TRUE(absl::StartsWith(reply->reference(), "CB-2026-")) << reply->reference();
  EXPECT_EQ(reply->reference().size(), std::string("CB-2026-000001").size());

  const pqxx::result row = Exec(
      "SELECT reference, stage, email_normalized, mrs_score, contact_consent, "
      "privacy_policy_version, consented_at = '2026-11-25T09:30:00Z', utm_source "
      "FROM inquiries.cases WHERE id = '" +
      reply->case_id() + "'");
  ASSERT_EQ(row.size(), 1u);
  EXPECT_EQ(row[0][0].as<std::string>(), reply->reference());
  EXPECT_EQ(row[0][1].as<std::string>(), "NEW");
  EXPECT_EQ(row[0][2].as<std::string>(), "aiko@example.jp");
  EXPECT_EQ(row[0][3].as<int>(), 3);
  EXPECT_TRUE(row[0][4].as<bool>());
  EXPECT_EQ(row[0][5].as<std::string>(), "2026-01");
  EXPECT_TRUE(row[0][6].as<bool>());
  EXPECT_EQ(row[0][7].as<std::string>(), "guide");

  const pqxx::result outbox = Exec(
      "SELECT kind, due_at = '2026-11-25T09:30:00Z', due_at = '2026-11-26T09:30:00Z', sent_at IS "
      "NULL FROM inquiries.outbox ORDER BY due_at, kind");
  ASSERT_EQ(outbox.size(), 3u);
  EXPECT_EQ(outbox[0][0].as<std::string>(), "ACKNOWLEDGEMENT_EMAIL");
  EXPECT_TRUE(outbox[0][1].as<bool>());
  EXPECT_EQ(outbox[1][0].as<std::string>(), "COORDINATOR_ALERT");
  EXPECT_TRUE(outbox[1][1].as<bool>());
  EXPECT_EQ(outbox[2][0].as<std::string>(), "SLA_CHECK");
  EXPECT_TRUE(outbox[2][2].as<bool>());
  EXPECT_TRUE(outbox[2][3].as<bool>());
  EXPECT_EQ(Count("inquiries.case_events WHERE kind = 'CREATED'"), 1);
}

TEST_F(IntakeStoreTest, ReferencesAreUniqueAndSequential) {
  auto a = Create(Request("a@example.com"));
  auto b = Create(Request("b@example.com"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->reference(), b->reference());
  EXPECT_LT(a->reference(), b->reference());
}

// Six digits at least, never cut: the millionth case is CB-<year>-1000000, not a duplicate of
// CB-<year>-100000.
TEST_F(IntakeStoreTest, ReferencesGrowPastSixDigitsInsteadOfRepeating) {
  Exec("SELECT setval('inquiries.case_reference_seq', 999999)");
  auto a = Create(Request("million@example.com"));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_TRUE(absl::EndsWith(a->reference(), "-1000000")) << a->reference();
  EXPECT_EQ(a->reference().size(), std::string("CB-2026-1000000").size());
}

TEST_F(IntakeStoreTest, InvalidInquiryStoresNothing) {
  CreateInquiryRequest request = Request();
  request.mutable_inquiry()->set_email("nope");
  auto reply = Create(request);
  ASSERT_EQ(reply.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(reply.status())[0].field, "email");
  EXPECT_EQ(Count("inquiries.cases"), 0);
}

TEST_F(IntakeStoreTest, FailureInsideTheTransactionLeavesNoCaseAndNoDatabaseText) {
  Exec(
      "CREATE OR REPLACE FUNCTION inquiries.fail_outbox() RETURNS trigger LANGUAGE plpgsql AS "
      "$$BEGIN RAISE EXCEPTION 'boom for %', NEW.case_id; END$$");
  Exec(
      "CREATE TRIGGER fail_outbox BEFORE INSERT ON inquiries.outbox FOR EACH ROW EXECUTE "
      "FUNCTION inquiries.fail_outbox()");
  auto reply = Create(Request());
  ASSERT_EQ(reply.status().code(), absl::StatusCode::kInternal);
  EXPECT_FALSE(absl::StrContains(reply.status().message(), "boom"));
  EXPECT_EQ(reply.status().message(), "internal error");
  EXPECT_EQ(Count("inquiries.cases"), 0);
  EXPECT_EQ(Count("inquiries.case_events"), 0);
  EXPECT_EQ(Count("inquiries.outbox"), 0);
}

TEST_F(IntakeStoreTest, HoneypotIsAnsweredAsAcceptedStoredAsSpamAndSchedulesNothing) {
  CreateInquiryRequest request = Request();
  request.mutable_inquiry()->set_website("http://spam.example");
  auto reply = Create(request);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->stage(), v1::NEW);
  EXPECT_FALSE(reply->reference().empty());
  EXPECT_EQ(Count("inquiries.cases WHERE stage = 'SPAM'"), 1);
  EXPECT_EQ(Count("inquiries.outbox"), 0);
  // A later genuine inquiry from the same address opens its own case, not the spam one.
  auto genuine = Create(Request());
  ASSERT_TRUE(genuine.ok());
  EXPECT_NE(genuine->reference(), reply->reference());
  EXPECT_EQ(Count("inquiries.outbox"), 3);
}

TEST_F(IntakeStoreTest, RepeatInquiryJoinsTheOpenCaseTimeline) {
  auto first = Create(Request());
  ASSERT_TRUE(first.ok());
  now_ += absl::Hours(24 * 10);
  CreateInquiryRequest again = Request("  AIKO@example.JP ");
  again.mutable_inquiry()->set_message("Any news?");
  auto second = Create(again);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->reference(), first->reference());
  EXPECT_EQ(second->case_id(), first->case_id());
  EXPECT_EQ(Count("inquiries.cases"), 1);
  EXPECT_EQ(Count("inquiries.outbox"), 3);  // nothing new scheduled
  const pqxx::result event =
      Exec("SELECT details->>'message' FROM inquiries.case_events WHERE kind = 'REPEAT_INQUIRY'");
  ASSERT_EQ(event.size(), 1u);
  EXPECT_EQ(event[0][0].as<std::string>(), "Any news?");
}

TEST_F(IntakeStoreTest, RepeatWindowIsCountedFromTheLastInquiry) {
  auto first = Create(Request());
  now_ += absl::Hours(24 * 25);
  auto second = Create(Request());
  now_ += absl::Hours(24 * 25);  // 50 days after the first, 25 after the last
  auto third = Create(Request());
  ASSERT_TRUE(first.ok() && second.ok() && third.ok());
  EXPECT_EQ(third->reference(), first->reference());
  now_ += absl::Hours(24 * 31);
  auto fourth = Create(Request());
  ASSERT_TRUE(fourth.ok());
  EXPECT_NE(fourth->reference(), first->reference());
}

TEST_F(IntakeStoreTest, OtherConditionOrClosedCaseOpensANewCase) {
  auto first = Create(Request());
  CreateInquiryRequest crohns = Request();
  crohns.mutable_inquiry()->set_condition("crohns-disease");
  auto second = Create(crohns);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(second->reference(), first->reference());
  Exec("UPDATE inquiries.cases SET stage = 'LOST' WHERE id = '" + first->case_id() + "'");
  auto third = Create(Request());
  ASSERT_TRUE(third.ok());
  EXPECT_NE(third->reference(), first->reference());
  EXPECT_EQ(Count("inquiries.cases"), 3);
}

TEST_F(IntakeStoreTest, ConcurrentInquiriesOfOnePersonOpenOneCase) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  absl::Mutex mu;
  std::set<std::string> references;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto reply = Create(Request());
      if (!reply.ok()) return;
      ++ok;
      absl::MutexLock lock(&mu);
      references.insert(reply->reference());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(references.size(), 1u);
  EXPECT_EQ(Count("inquiries.cases"), 1);
}

TEST_F(IntakeStoreTest, IdempotentRetryGetsTheOriginalReplyAndCreatesNothing) {
  auto first = Create(Request(), "key-1");
  ASSERT_TRUE(first.ok());
  now_ += absl::Minutes(1);
  auto retry = Create(Request(), "key-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->case_id(), first->case_id());
  EXPECT_EQ(retry->reference(), first->reference());
  EXPECT_EQ(retry->stage(), first->stage());
  EXPECT_EQ(Count("inquiries.cases"), 1);
  EXPECT_EQ(Count("inquiries.case_events"), 1);  // not even a repeat event
  EXPECT_EQ(Count("inquiries.outbox"), 3);
}

TEST_F(IntakeStoreTest, SameKeyWithADifferentBodyIsRefused) {
  ASSERT_TRUE(Create(Request(), "key-2").ok());
  CreateInquiryRequest other = Request();
  other.mutable_inquiry()->set_mrs_score(5);
  auto refused = Create(other, "key-2");
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(refused.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(refused.status())[0].field, "Idempotency-Key");
  EXPECT_EQ(Count("inquiries.case_events"), 1);
}

TEST_F(IntakeStoreTest, TwoConcurrentRequestsWithOneKeyCreateOneCase) {
  for (int round = 0; round < 5; ++round) {
    const std::string key = "concurrent-" + std::to_string(round);
    const CreateInquiryRequest request = Request("p" + std::to_string(round) + "@example.com");
    absl::StatusOr<v1::CreateInquiryResponse> a, b;
    std::thread ta([&] { a = Create(request, key); });
    std::thread tb([&] { b = Create(request, key); });
    ta.join();
    tb.join();
    ASSERT_TRUE(a.ok()) << a.status();
    ASSERT_TRUE(b.ok()) << b.status();
    EXPECT_EQ(a->reference(), b->reference());
  }
  EXPECT_EQ(Count("inquiries.cases"), 5);
  EXPECT_EQ(Count("inquiries.case_events"), 5);
}

TEST_F(IntakeStoreTest, DatabaseOutageIsUnavailableFastThenRecoversWithoutRestart) {
  ASSERT_TRUE(Create(Request("before@example.com")).ok());
  ASSERT_TRUE(server_->Stop().ok());
  const auto start = std::chrono::steady_clock::now();
  auto during = Create(Request("during@example.com"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(during.status().code(), absl::StatusCode::kUnavailable) << during.status();
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  ASSERT_TRUE(server_->Restart().ok());
  auto after = Create(Request("after@example.com"));
  EXPECT_TRUE(after.ok()) << after.status();
}

}  // namespace
}  // namespace carebridge::inquiries
