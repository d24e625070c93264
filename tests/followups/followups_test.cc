// Follow-ups end to end: inquiries -> outbox -> relay -> Redis stream -> workers -> SMTP sink /
// webhook receiver, with real PostgreSQL, Redis and aiosmtpd, and the failures the issue names.
#include <signal.h>
#include <sodium.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include <google/protobuf/util/json_util.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "carebridge/v1/scheduling.grpc.pb.h"
#include "carebridge/v1/webhooks.pb.h"
#include "services/common/booking_link.h"
#include "services/common/follow_up_streams.h"
#include "services/common/grpc_server.h"
#include "services/common/redis_client.h"
#include "tests/followups/followup_stack.h"
#include "tests/followups/stalling_proxy.h"
#include "tests/harness/http_client.h"
#include "tests/harness/net.h"
#include "tests/harness/test_env.h"
#include "tests/harness/webhook_receiver.h"

namespace carebridge::testing {
namespace {

using namespace std::chrono_literals;

class FollowUpsTest : public FollowUpStackTest {
 protected:
  std::string JobIdOf(const std::string& case_id, const std::string& kind) {
    auto rows =
        Sql(absl::StrCat("SELECT 'inquiries:' || id FROM inquiries.outbox WHERE case_id = '",
                         case_id, "' AND kind = '", kind, "'"));
    return rows.empty() ? "" : rows[0][0].as<std::string>();
  }
  std::string State(const std::string& job_id) {
    auto rows = Sql("SELECT state FROM followups.jobs WHERE id = '" + job_id + "'");
    return rows.empty() ? "" : rows[0][0].as<std::string>();
  }
};

TEST_F(FollowUpsTest, AcknowledgementReachesTheSinkWithTheRightReference) {
  StartInquiries();
  ServiceProcess& worker = StartWorker();
  const auto [case_en, ref_en] = CreateInquiry("aiko@example.com", "en");
  const auto [case_ja, ref_ja] = CreateInquiry("haruto@example.jp", "ja-JP");

  ASSERT_TRUE(WaitFor(
      [&] {
        return MessagesWith("X-CareBridge-Kind", "ACKNOWLEDGEMENT_EMAIL").size() == 2 &&
               MessagesWith("X-CareBridge-Kind", "COORDINATOR_ALERT").size() == 2;
      },
      20s))
      << sink_->Messages().size() << " messages";
  const auto en = MessagesWith("X-CareBridge-Reference", ref_en);
  ASSERT_EQ(en.size(), 2u);
  for (const SmtpMessage& m : en) {
    if (m.Header("X-CareBridge-Kind") == "ACKNOWLEDGEMENT_EMAIL") {
      EXPECT_EQ(m.Header("To"), "aiko@example.com");
      EXPECT_TRUE(absl::StrContains(m.Header("Subject"), ref_en));
      EXPECT_TRUE(absl::StrContains(m.Body(), "Your case reference is " + ref_en)) << m.Body();
      // The self-booking link: signed for this case, and it verifies.
      const std::string body = m.Body();
      const size_t at = body.find("/book?token=");
      ASSERT_NE(at, std::string::npos) << body;
      const size_t start = at + std::string("/book?token=").size();
      const std::string token = body.substr(start, body.find_first_of(" \r\n", start) - start);
      absl::StatusOr<std::string> granted =
          VerifyBookingLinkToken(kBookingLinkSecret, token, absl::Now());
      ASSERT_TRUE(granted.ok()) << token;
      EXPECT_EQ(*granted, case_en);
    } else {
      EXPECT_EQ(m.Header("To"), "desk@carebridge.test");
      EXPECT_FALSE(absl::StrContains(m.raw, "aiko@example.com"))
          << "alert carries no patient email";
    }
  }
  // The Japanese template for ja-JP.
  for (const SmtpMessage& m : MessagesWith("X-CareBridge-Reference", ref_ja)) {
    if (m.Header("X-CareBridge-Kind") != "ACKNOWLEDGEMENT_EMAIL") continue;
    EXPECT_TRUE(absl::StrContains(m.Body(), "受付番号: " + ref_ja)) << m.Body();
  }
  // The SLA check is due in 24 h: still in the outbox, unsent.
  EXPECT_EQ(
      Count("SELECT count(*) FROM inquiries.outbox WHERE kind = 'SLA_CHECK' AND sent_at IS NULL"),
      2);
  EXPECT_EQ(Count("SELECT count(*) FROM followups.jobs WHERE kind = 'SLA_CHECK'"), 0);
  // The worker confirmed what it holds; the relay will not send those rows again.
  EXPECT_TRUE(WaitFor(
      [&] {
        return Count("SELECT count(*) FROM inquiries.outbox WHERE received_at IS NOT NULL") == 4;
      },
      5s));

  // ListFollowUps shows them DONE; metrics show them done. (A message reaches the sink just before
  // the worker records it DONE.)
  ASSERT_TRUE(WaitFor(
      [&] { return Count("SELECT count(*) FROM followups.jobs WHERE state = 'DONE'") == 4; }, 5s));
  auto stub = FollowUpsStub(worker);
  carebridge::v1::ListFollowUpsRequest list;
  list.set_case_id(case_en);
  carebridge::v1::ListFollowUpsResponse listed;
  auto anonymous = NewClientContext(5s);
  EXPECT_EQ(stub->ListFollowUps(anonymous.get(), list, &listed).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  auto context = CoordinatorContext(5s);
  ASSERT_TRUE(stub->ListFollowUps(context.get(), list, &listed).ok());
  ASSERT_EQ(listed.follow_ups_size(), 2);
  for (const auto& f : listed.follow_ups()) {
    EXPECT_EQ(f.state(), carebridge::v1::FOLLOW_UP_DONE);
    EXPECT_EQ(f.tries(), 1);
    EXPECT_GT(f.finished_at().seconds(), 0);
  }
  HttpResponse metrics =
      HttpRequest("GET", absl::StrCat("http://127.0.0.1:", worker.metrics_port, "/metrics"));
  EXPECT_EQ(metrics.status, 200);
  EXPECT_TRUE(absl::StrContains(metrics.body, "carebridge_followups_jobs_done_total 4"))
      << metrics.body;
  EXPECT_TRUE(absl::StrContains(metrics.body, "carebridge_followups_queue_depth 0"))
      << metrics.body;
  EXPECT_TRUE(absl::StrContains(metrics.body, "carebridge_followups_up 1")) << metrics.body;
}

TEST_F(FollowUpsTest, RefusingSmtpRetriesWithBackoffThenDeadThenManualRetryDelivers) {
  StartInquiries();
  ServiceProcess& worker = StartWorker();
  ASSERT_TRUE(sink_->Stop().ok());
  const auto [case_id, reference] = CreateInquiry("mei@example.com");
  const std::string ack = JobIdOf(case_id, "ACKNOWLEDGEMENT_EMAIL");
  ASSERT_TRUE(WaitFor([&] { return State(ack) == "DEAD"; }, 20s)) << State(ack);
  // The coordinator alert fails the same way.
  ASSERT_TRUE(WaitFor(
      [&] { return Count("SELECT count(*) FROM followups.jobs WHERE state = 'DEAD'") == 2; }, 20s));

  // Three tries, each after a longer pause (200 ms base, doubling, equal jitter: >= 100, >= 200).
  auto attempts =
      Sql("SELECT extract(epoch FROM started_at)::float8, outcome, error FROM "
          "followups.attempts WHERE job_id = '" +
          ack + "' ORDER BY started_at");
  ASSERT_EQ(attempts.size(), 3u);
  for (const auto& row : attempts) {
    EXPECT_EQ(row[1].as<std::string>(), "FAILED");
    EXPECT_FALSE(absl::StrContains(row[2].as<std::string>(), "mei@")) << "errors carry no PII";
  }
  const double gap1 = attempts[1][0].as<double>() - attempts[0][0].as<double>();
  const double gap2 = attempts[2][0].as<double>() - attempts[1][0].as<double>();
  EXPECT_GE(gap1, 0.1);
  EXPECT_GE(gap2, 0.2);
  HttpResponse metrics =
      HttpRequest("GET", absl::StrCat("http://127.0.0.1:", worker.metrics_port, "/metrics"));
  EXPECT_TRUE(absl::StrContains(metrics.body, "carebridge_followups_jobs_retried_total 4"))
      << metrics.body;  // two retries each for the acknowledgement and the alert
  EXPECT_TRUE(absl::StrContains(metrics.body, "carebridge_followups_jobs{state=\"DEAD\"} 2"))
      << metrics.body;
  auto job = Sql("SELECT tries, last_error FROM followups.jobs WHERE id = '" + ack + "'");
  EXPECT_EQ(job[0][0].as<int>(), 3);
  EXPECT_FALSE(job[0][1].as<std::string>().empty());
  EXPECT_TRUE(sink_->Messages().empty());

  // By hand, once the server is back.
  ASSERT_TRUE(sink_->Restart().ok());
  auto stub = FollowUpsStub(worker);
  carebridge::v1::RetryFollowUpRequest retry;
  retry.set_follow_up_id(ack);
  carebridge::v1::FollowUp retried;
  auto anonymous = NewClientContext(5s);
  EXPECT_EQ(stub->RetryFollowUp(anonymous.get(), retry, &retried).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  auto context = CoordinatorContext(5s);
  grpc::Status status = stub->RetryFollowUp(context.get(), retry, &retried);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(retried.state(), carebridge::v1::FOLLOW_UP_PENDING);
  EXPECT_EQ(Count("SELECT count(*) FROM followups.audit_log WHERE action = 'follow_up.retried' AND "
                  "actor = 'user:c0000000-0000-4000-8000-00000000c0de' AND target = 'follow_up:" +
                  ack + "'"),
            1);
  ASSERT_TRUE(WaitFor([&] { return State(ack) == "DONE"; }, 10s)) << State(ack);
  const auto delivered = MessagesWith("X-CareBridge-Job", ack);
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_TRUE(absl::StrContains(delivered[0].Body(), reference));

  // A job that is not DEAD cannot be retried by hand; an unknown one is NOT_FOUND.
  auto again = CoordinatorContext(5s);
  EXPECT_EQ(stub->RetryFollowUp(again.get(), retry, &retried).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  retry.set_follow_up_id("inquiries:999999");
  auto unknown = CoordinatorContext(5s);
  EXPECT_EQ(stub->RetryFollowUp(unknown.get(), retry, &retried).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(FollowUpsTest, WorkerKilledMidJobIsTakenOverAndTheEffectHappensOnce) {
  StallingProxy proxy(sink_->port());
  StartInquiries();
  const std::string smtp = absl::StrCat("smtp://127.0.0.1:", proxy.port());
  ServiceProcess& first = StartWorker({{"CAREBRIDGE_SMTP_URL", smtp},
                                       {"CAREBRIDGE_FOLLOWUPS_WORKERS", "1"},
                                       {"CAREBRIDGE_SMTP_TIMEOUT_MS", "3000"},
                                       {"CAREBRIDGE_FOLLOWUPS_LEASE_MS", "7000"}});
  const auto [case_id, reference] = CreateInquiry("ken@example.com");
  // The first worker is now inside an SMTP conversation that hangs: kill it there.
  ASSERT_TRUE(WaitFor([&] { return proxy.holding(); }, 10s));
  EXPECT_EQ(Count("SELECT count(*) FROM followups.jobs WHERE state = 'RUNNING'"), 1);
  first.process->Kill();
  first.expect_clean_exit = false;

  StartWorker({{"CAREBRIDGE_SMTP_URL", smtp}});
  ASSERT_TRUE(WaitFor(
      [&] { return Count("SELECT count(*) FROM followups.jobs WHERE state = 'DONE'") == 2; }, 30s));
  // Exactly one of each mail, and the job that was cut off took two tries.
  EXPECT_EQ(MessagesWith("X-CareBridge-Reference", reference).size(), 2u);
  EXPECT_EQ(MessagesWith("X-CareBridge-Kind", "ACKNOWLEDGEMENT_EMAIL").size(), 1u);
  EXPECT_EQ(MessagesWith("X-CareBridge-Kind", "COORDINATOR_ALERT").size(), 1u);
  EXPECT_EQ(Count("SELECT count(*) FROM followups.jobs WHERE tries = 2"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM followups.effects"), 2);
  // Deliveries seen later change nothing.
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(sink_->Messages().size(), 2u);
}

TEST_F(FollowUpsTest, RedisDownWhileInquiriesArriveEverythingAcceptedAndDeliveredAfter) {
  long long outage_seconds = 20;
  if (const char* env = std::getenv("CAREBRIDGE_TEST_REDIS_OUTAGE_SECONDS")) {
    ASSERT_TRUE(absl::SimpleAtoi(env, &outage_seconds));
  }
  StartInquiries();
  StartWorker();
  CreateInquiry("before@example.com");
  ASSERT_TRUE(WaitFor([&] { return sink_->Messages().size() == 2; }, 10s));

  ASSERT_TRUE(redis_->Stop().ok());
  std::set<std::string> references;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(outage_seconds);
  int n = 0;
  while (std::chrono::steady_clock::now() < until) {
    const auto started = std::chrono::steady_clock::now();
    const auto [case_id, reference] = CreateInquiry(absl::StrCat("during", n++, "@example.com"));
    ASSERT_FALSE(reference.empty())
        << "inquiry " << n << " was refused while Redis was down, after "
        << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
        << " s, " << std::chrono::duration<double>(until - std::chrono::steady_clock::now()).count()
        << " s before the end of the outage";
    references.insert(reference);
    std::this_thread::sleep_for(250ms);
  }
  EXPECT_EQ(sink_->Messages().size(), 2u) << "nothing can be delivered without the queue";
  // Nothing was marked sent that Redis did not take.
  EXPECT_EQ(Count("SELECT count(*) FROM inquiries.outbox WHERE kind <> 'SLA_CHECK' AND "
                  "sent_at IS NULL"),
            static_cast<long long>(2 * references.size()));
  ASSERT_TRUE(redis_->Restart().ok());

  const size_t expected = 2 + 2 * references.size();
  ASSERT_TRUE(WaitFor([&] { return sink_->Messages().size() >= expected; }, 60s))
      << sink_->Messages().size() << " of " << expected;
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(sink_->Messages().size(), expected);
  std::set<std::string> acknowledged;
  for (const auto& m : MessagesWith("X-CareBridge-Kind", "ACKNOWLEDGEMENT_EMAIL")) {
    acknowledged.insert(m.Header("X-CareBridge-Reference"));
  }
  for (const std::string& r : references) EXPECT_TRUE(acknowledged.count(r)) << r;
}

TEST_F(FollowUpsTest, AcknowledgementsGoAheadOfABacklogOfOtherJobsWhichStillMove) {
  StartInquiries();
  // No worker yet: both lanes fill up, an alert queued beside every acknowledgement.
  constexpr int kInquiries = 20;
  for (int i = 0; i < kInquiries; ++i) CreateInquiry(absl::StrCat("backlog", i, "@example.com"));
  ASSERT_TRUE(WaitFor(
      [&] {
        return Count(
                   "SELECT count(*) FROM inquiries.outbox WHERE kind <> 'SLA_CHECK' AND "
                   "sent_at IS NULL") == 0;
      },
      10s));
  // One thread taking one job at a time, so the order it takes jobs in is the order they finish.
  StartWorker({{"CAREBRIDGE_FOLLOWUPS_WORKERS", "1"}, {"CAREBRIDGE_FOLLOWUPS_BATCH", "1"}});
  ASSERT_TRUE(WaitFor(
      [&] {
        return Count("SELECT count(*) FROM followups.jobs WHERE state = 'DONE'") == 2 * kInquiries;
      },
      30s));
  // One first-in-first-out queue would alternate them (19 alerts before the last acknowledgement).
  // The urgent lane goes first, but every fifth read (after 4 of the urgent lane alone) takes from
  // both, so the other lane moves too: one alert per five acknowledgements, 3 before the last.
  const long long alerts_first = Count(
      "SELECT count(*) FROM followups.jobs WHERE kind = 'COORDINATOR_ALERT' AND "
      "finished_at < (SELECT max(finished_at) FROM followups.jobs "
      "               WHERE kind = 'ACKNOWLEDGEMENT_EMAIL')");
  EXPECT_GE(alerts_first, 1) << "the ordinary lane waited for the urgent one to empty";
  EXPECT_LE(alerts_first, kInquiries / 5) << "acknowledgements did not go first";
  EXPECT_EQ(MessagesWith("X-CareBridge-Kind", "ACKNOWLEDGEMENT_EMAIL").size(),
            static_cast<size_t>(kInquiries));
  EXPECT_EQ(MessagesWith("X-CareBridge-Kind", "COORDINATOR_ALERT").size(),
            static_cast<size_t>(kInquiries));
}

TEST_F(FollowUpsTest, JobLostInRedisIsSentAgainFromTheOutbox) {
  StartInquiries({{"CAREBRIDGE_OUTBOX_RESEND_AFTER_MS", "1000"}});
  const auto [case_id, reference] = CreateInquiry("lost@example.com");
  ASSERT_TRUE(WaitFor(
      [&] { return Count("SELECT count(*) FROM inquiries.outbox WHERE sent_at IS NOT NULL") == 2; },
      10s));
  // Redis loses the stream (as a crash within its fsync second would) before any worker saw it.
  {
    RedisConfig config;
    ASSERT_TRUE(ParseRedisAddress(redis_->address(), &config).ok());
    RedisClient client(config);
    ASSERT_TRUE(client.Command({"DEL", kUrgentFollowUpStream, kFollowUpStream}).ok());
  }
  StartWorker();
  ASSERT_TRUE(
      WaitFor([&] { return MessagesWith("X-CareBridge-Reference", reference).size() == 2; }, 20s));
  EXPECT_EQ(Count("SELECT min(enqueue_count) FROM inquiries.outbox WHERE kind <> 'SLA_CHECK'"), 2);
  // Confirmed now: not sent a third time.
  ASSERT_TRUE(WaitFor(
      [&] {
        return Count("SELECT count(*) FROM inquiries.outbox WHERE received_at IS NOT NULL") == 2;
      },
      5s));
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(Count("SELECT max(enqueue_count) FROM inquiries.outbox WHERE kind <> 'SLA_CHECK'"), 2);
  EXPECT_EQ(sink_->Messages().size(), 2u);
}

// A confirmation lost after the worker recorded a job (a crash before its batch went out): the
// relay sends the job again, the worker turns the duplicate away (already done) but confirms it, so
// the resending stops there and nothing is sent twice.
TEST_F(FollowUpsTest, LostConfirmationIsMadeGoodByTheNextDeliveryAndResendingStops) {
  StartInquiries({{"CAREBRIDGE_OUTBOX_RESEND_AFTER_MS", "1000"}});
  StartWorker();
  const auto [case_id, reference] = CreateInquiry("unconfirmed@example.com");
  ASSERT_TRUE(
      WaitFor([&] { return MessagesWith("X-CareBridge-Reference", reference).size() == 2; }, 10s));
  ASSERT_TRUE(WaitFor(
      [&] {
        return Count("SELECT count(*) FROM inquiries.outbox WHERE received_at IS NOT NULL") == 2;
      },
      5s));
  Sql("UPDATE inquiries.outbox SET received_at = NULL WHERE kind <> 'SLA_CHECK'");
  ASSERT_TRUE(WaitFor(
      [&] {
        return Count("SELECT count(*) FROM inquiries.outbox WHERE received_at IS NOT NULL") == 2;
      },
      10s))
      << "the duplicate delivery was not confirmed";
  const long long sends =
      Count("SELECT sum(enqueue_count) FROM inquiries.outbox WHERE kind <> 'SLA_CHECK'");
  EXPECT_GE(sends, 4) << "each job sent at least once more";
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(Count("SELECT sum(enqueue_count) FROM inquiries.outbox WHERE kind <> 'SLA_CHECK'"),
            sends);
  EXPECT_EQ(sink_->Messages().size(), 2u) << "the duplicate took no effect";
}

TEST_F(FollowUpsTest, TwoRelaysAndThreeWorkersLoseAndDoubleNothingOverAThousandInquiries) {
  constexpr int kInquiries = 1000;
  StartInquiries();
  StartInquiries();
  for (int i = 0; i < 3; ++i)
    StartWorker(
        {{"CAREBRIDGE_SMTP_TIMEOUT_MS", "5000"}, {"CAREBRIDGE_FOLLOWUPS_LEASE_MS", "30000"}});
  std::atomic<int> next{0}, failed{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      auto stub = carebridge::v1::Inquiries::NewStub(
          grpc::CreateChannel(inquiries_[c % 2]->address, grpc::InsecureChannelCredentials()));
      for (int i = next++; i < kInquiries; i = next++) {
        carebridge::v1::CreateInquiryRequest request;
        auto* in = request.mutable_inquiry();
        in->set_full_name("Load Patient");
        in->set_email(absl::StrCat("load", i, "@example.com"));
        in->set_condition("stroke");
        in->set_contact_consent(true);
        in->set_privacy_policy_version("2026-01");
        carebridge::v1::CreateInquiryResponse response;
        auto context = NewClientContext(10s);
        if (!stub->CreateInquiry(context.get(), request, &response).ok()) ++failed;
      }
    });
  }
  for (auto& t : clients) t.join();
  ASSERT_EQ(failed, 0);
  ASSERT_TRUE(WaitFor(
      [&] {
        return Count("SELECT count(*) FROM followups.jobs WHERE state = 'DONE'") == 2 * kInquiries;
      },
      100s))
      << Count("SELECT count(*) FROM followups.jobs WHERE state = 'DONE'");
  const auto messages = sink_->Messages();
  EXPECT_EQ(messages.size(), 2u * kInquiries);
  std::set<std::string> message_ids, acknowledged;
  for (const auto& m : messages) {
    message_ids.insert(m.Header("Message-ID"));
    if (m.Header("X-CareBridge-Kind") == "ACKNOWLEDGEMENT_EMAIL") {
      acknowledged.insert(m.Header("X-CareBridge-Reference"));
    }
  }
  EXPECT_EQ(message_ids.size(), 2u * kInquiries) << "a job's mail was sent twice";
  EXPECT_EQ(acknowledged.size(), static_cast<size_t>(kInquiries));
  EXPECT_EQ(Count("SELECT count(*) FROM followups.effects"), 2 * kInquiries);
}

// Checks the documented algorithm: CareBridge-Signature is t=<unix seconds>,v1=<hex
// HMAC-SHA256(secret, t + "." + body)>, with t close to now.
void ExpectSignedWith(const WebhookDelivery& d, const std::string& secret) {
  std::map<std::string, std::string> parts;
  for (absl::string_view part : absl::StrSplit(d.headers.at("carebridge-signature"), ',')) {
    std::pair<std::string, std::string> kv = absl::StrSplit(part, absl::MaxSplits('=', 1));
    parts[kv.first] = kv.second;
  }
  long long t = 0;
  ASSERT_TRUE(absl::SimpleAtoi(parts["t"], &t));
  EXPECT_LT(std::abs(t - static_cast<long long>(time(nullptr))), 60);
  const std::string signed_text = parts["t"] + "." + d.body;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(signed_text.data()),
                                signed_text.size());
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[sizeof(mac) * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
  EXPECT_EQ(parts["v1"], std::string(hex)) << "not signed with the expected secret";
}

TEST_F(FollowUpsTest, WebhookSignatureVerifiesAndFailuresAreRetried) {
  ASSERT_GE(sodium_init(), 0);
  auto receiver = WebhookReceiver::Start();
  ASSERT_TRUE(receiver.ok());
  (*receiver)->FailNext(1, 503);
  const std::string secret = "whsec_partner_test";
  StartInquiries();
  StartWorker(
      {{"CAREBRIDGE_WEBHOOK_URL", (*receiver)->url()}, {"CAREBRIDGE_WEBHOOK_SECRET", secret}});
  const auto [case_id, reference] = CreateInquiry("partner@example.com");
  Sql("INSERT INTO inquiries.outbox (case_id, kind, due_at, created_at) VALUES ('" + case_id +
      "', 'PARTNER_WEBHOOK', now(), now())");
  ASSERT_TRUE(WaitFor([&] { return (*receiver)->Deliveries().size() >= 2; }, 15s));
  const auto deliveries = (*receiver)->Deliveries();
  ASSERT_EQ(deliveries.size(), 2u);
  EXPECT_EQ(deliveries[0].answered, 503);
  EXPECT_EQ(deliveries[1].answered, 200);
  EXPECT_EQ(deliveries[0].headers.at("carebridge-webhook-id"),
            deliveries[1].headers.at("carebridge-webhook-id"));
  for (const WebhookDelivery& d : deliveries) {
    EXPECT_EQ(d.method, "POST");
    EXPECT_FALSE(absl::StrContains(d.body, "partner@example.com"));
    ExpectSignedWith(d, secret);
    // The documented body, field for field (an unknown field fails the parse).
    carebridge::v1::PartnerWebhookEvent event;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(d.body, &event).ok()) << d.body;
    EXPECT_EQ(event.id(), d.headers.at("carebridge-webhook-id"));
    EXPECT_EQ(event.type(), "case.stage_changed");
    EXPECT_EQ(event.case_id(), case_id);
    EXPECT_EQ(event.reference(), reference);
    EXPECT_EQ(event.stage(), "NEW");
    EXPECT_TRUE(absl::StrContains(d.body, "\"partner_reference\":\"\"")) << d.body;
  }
  EXPECT_TRUE(WaitFor(
      [&] {
        return Count(
                   "SELECT count(*) FROM followups.jobs WHERE kind = 'PARTNER_WEBHOOK' AND "
                   "state = 'DONE' AND tries = 2") == 1;
      },
      5s));

  // A case of a partner whose key was revoked: no webhook, not even to the shared endpoint.
  const auto [revoked_case, revoked_reference] = CreateInquiry("revoked.partner@example.com");
  const std::string revoked =
      Sql("INSERT INTO identity.partners (name, key_hash, scopes, revoked_at) VALUES "
          "('revoked-partner', md5('revoked'), '{cases:read}', now()) RETURNING id")[0][0]
          .as<std::string>();
  Sql("UPDATE inquiries.cases SET partner_id = '" + revoked + "' WHERE id = '" + revoked_case +
      "'");
  Sql("INSERT INTO inquiries.outbox (case_id, kind, due_at, created_at) VALUES ('" + revoked_case +
      "', 'PARTNER_WEBHOOK', now(), now())");
  ASSERT_TRUE(WaitFor(
      [&] {
        return Count(
                   "SELECT count(*) FROM followups.jobs WHERE kind = 'PARTNER_WEBHOOK' AND "
                   "state = 'DONE'") == 2;
      },
      10s));
  for (const WebhookDelivery& d : (*receiver)->Deliveries()) {
    EXPECT_FALSE(absl::StrContains(d.body, revoked_reference)) << "sent for a revoked partner";
  }
}

// Each partner's webhooks go to its own endpoint, signed with its own secret; a case of a partner
// without an endpoint (or from the website) sends nothing and is done. New-case alerts go to the
// assigned coordinator, SLA escalations to the lead coordinator.
TEST_F(FollowUpsTest, WebhooksGoToEachPartnersEndpointAndAlertsToTheAssignedCoordinator) {
  ASSERT_GE(sodium_init(), 0);
  auto receiver_a = WebhookReceiver::Start();
  auto receiver_b = WebhookReceiver::Start();
  ASSERT_TRUE(receiver_a.ok() && receiver_b.ok());
  StartInquiries();
  StartWorker();  // no deployment-wide webhook endpoint
  // Partners and users as carebridge-admin stores them (identity schema of carebridge-inquiries).
  const auto partner = [&](const std::string& name, const std::string& url,
                           const std::string& secret) {
    return Sql("INSERT INTO identity.partners (name, key_hash, scopes, webhook_url, "
               "webhook_secret) VALUES ('" +
               name + "', md5('" + name + "'), '{cases:read}', " +
               (url.empty() ? "NULL, NULL" : "'" + url + "', '" + secret + "'") +
               ") RETURNING id")[0][0]
        .as<std::string>();
  };
  const std::string a = partner("webhook-a", (*receiver_a)->url(), "whsec_a");
  const std::string b = partner("webhook-b", (*receiver_b)->url(), "whsec_b");
  const std::string silent = partner("webhook-none", "", "");
  Sql("INSERT INTO identity.users (email, email_normalized, password_hash, role, lead) VALUES "
      "('Aiko@carebridge.test', 'aiko@carebridge.test', 'x', 'coordinator', false), "
      "('chief@carebridge.test', 'chief@carebridge.test', 'x', 'admin', true)");

  const auto [case_a, reference_a] = CreateInquiry("patient.a@example.com");
  const auto [case_b, reference_b] = CreateInquiry("patient.b@example.com");
  const auto [case_none, reference_none] = CreateInquiry("patient.c@example.com");
  // The alerts of all three went to the one active coordinator, to whom intake assigned them.
  ASSERT_TRUE(WaitFor(
      [&] { return MessagesWith("X-CareBridge-Kind", "COORDINATOR_ALERT").size() == 3; }, 10s));
  for (const SmtpMessage& m : MessagesWith("X-CareBridge-Kind", "COORDINATOR_ALERT")) {
    EXPECT_EQ(m.Header("To"), "Aiko@carebridge.test");
  }
  const auto refer = [&](const std::string& case_id, const std::string& partner_id) {
    Sql("UPDATE inquiries.cases SET partner_id = '" + partner_id + "' WHERE id = '" + case_id +
        "'");
    Sql("INSERT INTO inquiries.outbox (case_id, kind, due_at, created_at) VALUES ('" + case_id +
        "', 'PARTNER_WEBHOOK', now(), now())");
  };
  refer(case_a, a);
  refer(case_b, b);
  refer(case_none, silent);
  ASSERT_TRUE(WaitFor(
      [&] {
        return Count(
                   "SELECT count(*) FROM followups.jobs WHERE kind = 'PARTNER_WEBHOOK' AND "
                   "state = 'DONE'") == 3;
      },
      10s));
  const auto to_a = (*receiver_a)->Deliveries();
  const auto to_b = (*receiver_b)->Deliveries();
  ASSERT_EQ(to_a.size(), 1u);
  ASSERT_EQ(to_b.size(), 1u);
  EXPECT_TRUE(absl::StrContains(to_a[0].body, reference_a));
  EXPECT_TRUE(absl::StrContains(to_b[0].body, reference_b));
  ExpectSignedWith(to_a[0], "whsec_a");
  ExpectSignedWith(to_b[0], "whsec_b");

  // A still-NEW case is escalated to the lead coordinator.
  Sql("INSERT INTO inquiries.outbox (case_id, kind, due_at, created_at) VALUES ('" + case_none +
      "', 'SLA_CHECK', now(), now())");
  ASSERT_TRUE(
      WaitFor([&] { return MessagesWith("X-CareBridge-Kind", "SLA_CHECK").size() == 1; }, 10s));
  EXPECT_EQ(MessagesWith("X-CareBridge-Kind", "SLA_CHECK")[0].Header("To"),
            "chief@carebridge.test");
}

// Reminders: Scheduling writes them into its outbox when a booking is confirmed; its relay hands
// them to the worker once due, and the worker mails the patient unless the booking was cancelled.
TEST_F(FollowUpsTest, ConsultationReminderReachesThePatientAndACancelledOneNeverLeaves) {
  if (sodium_init() < 0) FAIL() << "libsodium";
  StartInquiries();
  ServiceProcess& scheduling = StartScheduling();
  StartWorker();
  const auto [case_id, reference] = CreateInquiry("kenta@example.com", "en");
  auto stub = carebridge::v1::Scheduling::NewStub(scheduling.channel);
  const auto internal = [] {
    auto context = NewClientContext(10s);
    context->AddMetadata("authorization", absl::StrCat("Bearer ", kInternalToken));
    return context;
  };
  // Two free intro calls of the seed desk, more than a day ahead.
  carebridge::v1::ListSlotsRequest slots_request;
  slots_request.set_host_id("d1000000-0000-4000-8000-000000000001");
  slots_request.set_type("intro_call");
  slots_request.mutable_from()->set_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(48)));
  slots_request.mutable_to()->set_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(24 * 20)));
  slots_request.set_limit(4);
  carebridge::v1::ListSlotsResponse slots;
  auto list_context = internal();
  ASSERT_TRUE(stub->ListSlots(list_context.get(), slots_request, &slots).ok());
  ASSERT_GE(slots.slots_size(), 4);
  std::vector<std::string> bookings;
  for (int i : {0, 3}) {
    carebridge::v1::CreateBookingRequest create;
    create.set_host_id(slots_request.host_id());
    create.set_case_id(case_id);
    create.set_type("intro_call");
    *create.mutable_start_time() = slots.slots(i).start_time();
    carebridge::v1::Booking booking;
    auto context = internal();
    const grpc::Status created = stub->CreateBooking(context.get(), create, &booking);
    ASSERT_TRUE(created.ok()) << created.error_message();
    bookings.push_back(booking.booking_id());
  }
  ASSERT_EQ(Count("SELECT count(*) FROM scheduling.outbox"), 4);  // 24 h and 1 h, each
  // The second booking is cancelled; then time "passes" for every reminder.
  carebridge::v1::CancelBookingRequest cancel;
  cancel.set_booking_id(bookings[1]);
  carebridge::v1::Booking cancelled;
  auto cancel_context = internal();
  ASSERT_TRUE(stub->CancelBooking(cancel_context.get(), cancel, &cancelled).ok());
  Sql("UPDATE scheduling.outbox SET due_at = now() - interval '1 second'");

  ASSERT_TRUE(WaitFor(
      [&] { return MessagesWith("X-CareBridge-Kind", "CONSULTATION_REMINDER").size() == 2; }, 20s))
      << Logs();
  for (const SmtpMessage& m : MessagesWith("X-CareBridge-Kind", "CONSULTATION_REMINDER")) {
    EXPECT_EQ(m.Header("To"), "kenta@example.com");
    EXPECT_EQ(m.Header("X-CareBridge-Reference"), reference);
    EXPECT_TRUE(absl::StrContains(m.Body(), "Intro call")) << m.Body();
    EXPECT_TRUE(absl::StrContains(m.Body(), "Europe/Berlin")) << m.Body();
  }
  // The cancelled booking's reminders never left the outbox; the others were confirmed back.
  EXPECT_EQ(
      Count(absl::StrCat("SELECT count(*) FROM scheduling.outbox WHERE booking_id = '", bookings[1],
                         "' AND enqueue_count = 0 AND cancelled_at IS NOT NULL")),
      2);
  EXPECT_TRUE(WaitFor(
      [&] {
        return Count(absl::StrCat("SELECT count(*) FROM scheduling.outbox WHERE booking_id = '",
                                  bookings[0], "' AND received_at IS NOT NULL")) == 2;
      },
      5s));
  EXPECT_EQ(Count("SELECT count(*) FROM followups.jobs WHERE kind = 'CONSULTATION_REMINDER' "
                  "AND state = 'DONE'"),
            2);
}

TEST_F(FollowUpsTest, FutureDatedJobDoesNotRunEarly) {
  StartInquiries();
  StartWorker();
  const auto [case_id, reference] = CreateInquiry("later@example.com");
  ASSERT_TRUE(WaitFor([&] { return sink_->Messages().size() == 2; }, 10s));
  const auto due =
      Sql("INSERT INTO inquiries.outbox (case_id, kind, due_at, created_at) VALUES ('" + case_id +
          "', 'SLA_CHECK', now() + interval '3 seconds', now()) "
          "RETURNING extract(epoch FROM due_at)::float8")[0][0]
          .as<double>();
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(sink_->Messages().size(), 2u);
  EXPECT_EQ(Count("SELECT count(*) FROM followups.jobs WHERE kind = 'SLA_CHECK'"), 0);
  ASSERT_TRUE(
      WaitFor([&] { return MessagesWith("X-CareBridge-Kind", "SLA_CHECK").size() == 1; }, 10s));
  const auto sla = MessagesWith("X-CareBridge-Kind", "SLA_CHECK");
  EXPECT_EQ(sla[0].Header("To"), "lead@carebridge.test") << "a still-NEW case is escalated";
  const double started = Sql("SELECT extract(epoch FROM started_at)::float8 FROM "
                             "followups.attempts a JOIN followups.jobs j "
                             "ON j.id = a.job_id WHERE j.kind = 'SLA_CHECK'")[0][0]
                             .as<double>();
  EXPECT_GE(started, due);
}

TEST_F(FollowUpsTest, WorkerRefusesARedisThatEvictsOrHasNoAofUnlessTold) {
  StartInquiries();
  RedisConfig config;
  ASSERT_TRUE(ParseRedisAddress(redis_->address(), &config).ok());
  RedisClient client(config);
  ASSERT_TRUE(client.Command({"CONFIG", "SET", "appendonly", "no"}).ok());
  ServiceProcess& no_aof = StartWorker({}, /*wait=*/false);
  no_aof.expect_clean_exit = false;
  auto exit = no_aof.process->Wait(20s);
  ASSERT_TRUE(exit.has_value()) << "the worker should refuse a Redis without AOF";
  EXPECT_EQ(*exit, 2);
  EXPECT_TRUE(absl::StrContains(ReadFileTail(no_aof.log_path), "appendonly"));

  ASSERT_TRUE(client.Command({"CONFIG", "SET", "appendonly", "yes"}).ok());
  ASSERT_TRUE(client.Command({"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"}).ok());
  ServiceProcess& refused = StartWorker({}, /*wait=*/false);
  refused.expect_clean_exit = false;
  exit = refused.process->Wait(20s);
  ASSERT_TRUE(exit.has_value()) << "the worker should refuse an evicting Redis";
  EXPECT_EQ(*exit, 2);
  EXPECT_TRUE(absl::StrContains(ReadFileTail(refused.log_path), "maxmemory-policy"));

  StartWorker({{"CAREBRIDGE_ALLOW_UNSAFE_REDIS", "true"}});
  EXPECT_TRUE(workers_.back()->process->Running());
}

// A worker still waiting for Redis at start-up ends on SIGTERM (it used to keep the signal pending
// until Redis came, so `infra/down` and process supervisors had to SIGKILL it).
TEST_F(FollowUpsTest, WorkerWaitingForRedisStopsOnSigterm) {
  ServiceProcess& waiting =
      StartWorker({{"CAREBRIDGE_REDIS_ADDR", absl::StrCat("127.0.0.1:", FreePort())}},
                  /*wait=*/false);
  ASSERT_TRUE(WaitFor(
      [&] { return absl::StrContains(ReadFileTail(waiting.log_path), "redis_waiting"); }, 20s))
      << ReadFileTail(waiting.log_path);
  ASSERT_TRUE(waiting.process->Running());
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(waiting.process->Signal(SIGTERM, 5s), 0) << ReadFileTail(waiting.log_path);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_FALSE(waiting.process->Running());
}

}  // namespace
}  // namespace carebridge::testing
