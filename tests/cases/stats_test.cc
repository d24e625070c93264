// The overview's figures against the real stack: Inquiries.GetCaseStats counts cases per stage (the
// trigger-kept counts agree with the table, also after bulk inserts, stage moves and folding), per
// day in the requested zone (cases placed on either side of a Tokyo midnight), and NEW cases past
// the first-contact SLA; FollowUps.GetFollowUpStats counts jobs per state and lists the newest dead
// ones. Figures are compared before and after, since the binary's tests share one stack.
#include <map>
#include <optional>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/cases/cases_stack.h"
#include "tests/cases/field_violations.h"

namespace carebridge::testing {
namespace {

using grpc::StatusCode;
using ::testing::ElementsAre;

constexpr char kCoordinatorEmail[] = "stats-coordinator@carebridge.test";
constexpr char kPassword[] = "stats-password-12";

std::string Sql(absl::Time t) {
  return absl::StrCat("'", absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone()), "'");
}

class StatsTest : public ::testing::Test {
 protected:
  StatsTest() : stack_(CasesStack::Get()) {
    if (stack_
            .Sql(absl::StrCat("SELECT 1 FROM identity.users WHERE email_normalized = '",
                              kCoordinatorEmail, "'"))
            .empty()) {
      stack_.CreateUser(kCoordinatorEmail, "coordinator", "en", kPassword);
    }
  }

  std::string Token() { return stack_.Login(kCoordinatorEmail, kPassword); }

  grpc::Status CaseStats(const std::string& zone, int days, v1::CaseStats* out) {
    v1::GetCaseStatsRequest request;
    request.set_time_zone(zone);
    request.set_days(days);
    auto context = Context(Token());
    return stack_.Inquiries()->GetCaseStats(context.get(), request, out);
  }

  v1::CaseStats Stats(const std::string& zone, int days) {
    v1::CaseStats out;
    grpc::Status status = CaseStats(zone, days, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  std::string NewCase(const std::string& email) {
    v1::CreateInquiryResponse created;
    auto context = Context("");
    grpc::Status status = stack_.Inquiries()->CreateInquiry(
        context.get(), InquiryRequest("Stats Patient", email), &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created.case_id();
  }

  void Move(const std::string& token, const std::string& case_id, v1::Stage stage) {
    v1::UpdateCaseRequest request;
    request.set_case_id(case_id);
    request.mutable_case_()->set_stage(stage);
    request.mutable_update_mask()->add_paths("stage");
    if (stage == v1::LOST) request.mutable_case_()->set_lost_reason("went elsewhere");
    v1::Case reply;
    auto context = Context(token);
    grpc::Status status = stack_.Inquiries()->UpdateCase(context.get(), request, &reply);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }

  void SetCreatedAt(const std::string& case_id, absl::Time t) {
    stack_.Sql(absl::StrCat("UPDATE inquiries.cases SET created_at = ", Sql(t), " WHERE id = '",
                            case_id, "'"));
  }

  // Stage name -> count, as the reply has it.
  static std::map<std::string, int64_t> ByStage(const v1::CaseStats& stats) {
    std::map<std::string, int64_t> out;
    for (const auto& s : stats.stages()) out[v1::Stage_Name(s.stage())] = s.count();
    return out;
  }
  static std::map<std::string, int64_t> ByDay(const v1::CaseStats& stats) {
    std::map<std::string, int64_t> out;
    for (const auto& d : stats.inquiries_per_day()) out[d.date()] = d.count();
    return out;
  }

  // Stage name -> count (every stage), straight from the table.
  std::map<std::string, int64_t> StagesInTable() {
    std::map<std::string, int64_t> out;
    for (int stage = v1::NEW; stage <= v1::SPAM; ++stage) {
      out[v1::Stage_Name(static_cast<v1::Stage>(stage))] = 0;
    }
    for (const auto& row : stack_.Sql("SELECT stage, count(*) FROM inquiries.cases GROUP BY 1")) {
      out[row[0].as<std::string>()] = row[1].as<int64_t>();
    }
    return out;
  }

  CasesStack& stack_;
};

TEST_F(StatsTest, CaseStatsCountStagesDaysInTheZoneAndSlaBreaches) {
  const absl::TimeZone tokyo = [] {
    absl::TimeZone zone;
    EXPECT_TRUE(absl::LoadTimeZone("Asia/Tokyo", &zone));
    return zone;
  }();
  const v1::CaseStats tokyo_before = Stats("Asia/Tokyo", 7);
  const v1::CaseStats utc_before = Stats("UTC", 7);

  // Six new cases; four are moved on, two stay NEW.
  const std::string token = Token();
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(NewCase(absl::StrCat("stats", i, "@stats.example")));
  Move(token, ids[0], v1::CONTACTED);
  Move(token, ids[1], v1::QUALIFIED);
  Move(token, ids[2], v1::LOST);
  Move(token, ids[3], v1::SPAM);

  // Around a Tokyo midnight two days ago (D): ids[4] (NEW) at D 00:30 JST (still the day before
  // in UTC) and so past the SLA; ids[0] at D-1 23:30 JST; ids[1] at D 23:59:59 JST. ids[5] (NEW)
  // was created 23 hours ago: within the SLA.
  const absl::CivilDay d = absl::ToCivilDay(absl::Now(), tokyo) - 2;
  const absl::Time midnight = absl::FromCivil(d, tokyo);
  SetCreatedAt(ids[4], midnight + absl::Minutes(30));
  SetCreatedAt(ids[0], midnight - absl::Minutes(30));
  SetCreatedAt(ids[1], absl::FromCivil(d + 1, tokyo) - absl::Seconds(1));
  const absl::Time within_sla = absl::Now() - absl::Hours(23);
  SetCreatedAt(ids[5], within_sla);

  const v1::CaseStats tokyo_after = Stats("Asia/Tokyo", 7);
  const v1::CaseStats utc_after = Stats("UTC", 7);

  // Stages: every one, in enum order, each moved case counted where it is now.
  ASSERT_EQ(tokyo_after.stages_size(), 9);
  for (int i = 0; i < 9; ++i) EXPECT_EQ(tokyo_after.stages(i).stage(), i + 1);
  std::map<std::string, int64_t> before = ByStage(tokyo_before), after = ByStage(tokyo_after);
  std::map<std::string, int64_t> delta;
  for (const auto& [stage, count] : after) delta[stage] = count - before[stage];
  EXPECT_EQ(delta, (std::map<std::string, int64_t>{{"NEW", 2},
                                                   {"CONTACTED", 1},
                                                   {"QUALIFIED", 1},
                                                   {"CONSULTATION_BOOKED", 0},
                                                   {"QUOTE_SENT", 0},
                                                   {"TREATMENT_SCHEDULED", 0},
                                                   {"COMPLETED", 0},
                                                   {"LOST", 1},
                                                   {"SPAM", 1}}));
  EXPECT_EQ(after, StagesInTable());

  // Days in Tokyo: D has ids[4] and ids[1], D-1 has ids[0]; in UTC, ids[4] and ids[0] fall on
  // D-1 and ids[1] on D. ids[5] is on D in UTC too when the test runs between 15:00 and 23:00 UTC
  // (Tokyo is already a day ahead, and 23 hours ago was the previous UTC day); never in Tokyo.
  const int within_sla_on_utc_d = absl::ToCivilDay(within_sla, absl::UTCTimeZone()) == d ? 1 : 0;
  ASSERT_EQ(tokyo_after.inquiries_per_day_size(), 7);
  EXPECT_EQ(tokyo_after.inquiries_per_day(6).date(),
            absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), tokyo)));
  const std::string day_d = absl::FormatCivilTime(d);
  const std::string day_before_d = absl::FormatCivilTime(d - 1);
  EXPECT_EQ(ByDay(tokyo_after)[day_d] - ByDay(tokyo_before)[day_d], 2);
  EXPECT_EQ(ByDay(tokyo_after)[day_before_d] - ByDay(tokyo_before)[day_before_d], 1);
  EXPECT_EQ(ByDay(utc_after)[day_d] - ByDay(utc_before)[day_d], 1 + within_sla_on_utc_d);
  EXPECT_EQ(ByDay(utc_after)[day_before_d] - ByDay(utc_before)[day_before_d], 2);
  int64_t total_before = 0, total_after = 0;
  for (const auto& day : tokyo_before.inquiries_per_day()) total_before += day.count();
  for (const auto& day : tokyo_after.inquiries_per_day()) total_after += day.count();
  EXPECT_EQ(total_after - total_before, 6);

  // SLA: only ids[4] is NEW and older than 24 hours.
  EXPECT_EQ(tokyo_after.sla_breached() - tokyo_before.sla_breached(), 1);
  EXPECT_EQ(tokyo_after.first_contact_sla_hours(), 24);
  EXPECT_GE(tokyo_after.computed_at().seconds(), absl::ToUnixSeconds(absl::Now()) - 60);
  // Moving it on ends the breach.
  Move(Token(), ids[4], v1::CONTACTED);
  EXPECT_EQ(Stats("UTC", 7).sla_breached(), tokyo_before.sla_breached());
}

TEST_F(StatsTest, StageCountsStayExactThroughBulkWritesAndFolding) {
  // A bulk insert as the benchmark makes them (one statement), then many single-row stage moves:
  // more delta rows than the fold threshold, so the next read folds them.
  stack_.Sql(R"sql(
INSERT INTO inquiries.cases (reference, stage, full_name, email, email_normalized, condition,
  contact_consent, privacy_policy_version, consented_at, created_at, updated_at, last_inquiry_at)
SELECT 'CB-STATS-' || n, (ARRAY['NEW','CONTACTED','QUALIFIED','QUOTE_SENT','LOST'])[1 + n % 5],
       'Bulk Patient', 'bulk' || n || '@stats.example', 'bulk' || n || '@stats.example', 'stroke',
       true, '2026-01', now(), now() - interval '3 days', now(), now()
FROM generate_series(1, 1000) AS n)sql");
  std::string moves;
  for (int i = 0; i < 100; ++i) {
    absl::StrAppend(&moves,
                    "UPDATE inquiries.cases SET stage = 'CONTACTED' WHERE reference = 'CB-STATS-",
                    i * 5 + 5, "';");
  }
  stack_.Sql(moves);
  EXPECT_GT(stack_.Sql("SELECT count(*) FROM inquiries.case_stage_counts")[0][0].as<int>(), 150);
  const v1::CaseStats stats = Stats("UTC", 30);
  EXPECT_EQ(ByStage(stats), StagesInTable());
  EXPECT_LE(stack_.Sql("SELECT count(*) FROM inquiries.case_stage_counts")[0][0].as<int>(), 9 + 5);
  // The 200 bulk cases left NEW (3 days old) are all past the SLA.
  const int64_t breached_in_table =
      stack_
          .Sql(
              "SELECT count(*) FROM inquiries.cases WHERE stage = 'NEW' AND created_at < now() - "
              "interval '24 hours'")[0][0]
          .as<int64_t>();
  EXPECT_GE(breached_in_table, 100);
  EXPECT_EQ(stats.sla_breached(), breached_in_table);
}

TEST_F(StatsTest, CaseStatsValidateZoneAndDays) {
  v1::CaseStats stats;
  for (const std::string zone : {"Mars/Olympus_Mons", "../../etc/passwd", "Fixed/UTC+05:00:00",
                                 "localtime", "Asia/Tokyo; DROP TABLE x"}) {
    grpc::Status status = CaseStats(zone, 7, &stats);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << zone;
    EXPECT_THAT(ViolatedFields(status), ElementsAre("time_zone")) << zone;
  }
  for (int days : {-1, 91}) {
    grpc::Status status = CaseStats("UTC", days, &stats);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << days;
    EXPECT_THAT(ViolatedFields(status), ElementsAre("days"));
  }
  // Defaults: UTC, 30 days ending today; 90 days allowed.
  ASSERT_TRUE(CaseStats("", 0, &stats).ok());
  ASSERT_EQ(stats.inquiries_per_day_size(), 30);
  EXPECT_EQ(stats.inquiries_per_day(29).date(),
            absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone())));
  EXPECT_EQ(Stats("America/Argentina/Buenos_Aires", 90).inquiries_per_day_size(), 90);

  // Through the gateway: a 400 naming the field, and a 200 for a good zone.
  const std::string url = stack_.gateway_url() + "/v1/caseStats?timeZone=Nowhere%2FLand&days=3";
  HttpResponse http = HttpRequest("GET", url, "", {"Authorization: Bearer " + Token()});
  EXPECT_EQ(http.status, 400) << http.body;
  EXPECT_NE(http.body.find("time_zone"), std::string::npos) << http.body;
  http = HttpRequest("GET", stack_.gateway_url() + "/v1/caseStats?timeZone=Europe%2FBerlin&days=3",
                     "", {"Authorization: Bearer " + Token()});
  EXPECT_EQ(http.status, 200) << http.body;
  EXPECT_NE(http.body.find("firstContactSlaHours"), std::string::npos) << http.body;
}

TEST_F(StatsTest, FollowUpStatsCountStatesAndListTheNewestDead) {
  const auto follow_up_stats = [&](int dead_limit, v1::FollowUpStats* out) {
    v1::GetFollowUpStatsRequest request;
    request.set_dead_limit(dead_limit);
    auto context = Context(Token());
    return v1::FollowUps::NewStub(stack_.followups_channel())
        ->GetFollowUpStats(context.get(), request, out);
  };
  const auto by_state = [](const v1::FollowUpStats& stats) {
    std::map<std::string, int64_t> out;
    for (const auto& s : stats.states()) out[v1::FollowUpState_Name(s.state())] = s.count();
    return out;
  };
  v1::FollowUpStats before;
  ASSERT_TRUE(follow_up_stats(0, &before).ok());

  // Jobs written straight into the worker's schema: 2 pending, 1 running, 3 done (one retried),
  // 1 retrying (retried) and 3 dead (finished in the future, so they are the newest dead).
  const absl::Time now = absl::Now();
  const std::string case_id = "5ca5e000-0000-4000-8000-000000000001";
  const auto job = [&](int n, const std::string& state, int tries, std::optional<absl::Time> done) {
    stack_.Sql(absl::StrCat(
        "INSERT INTO followups.jobs (id, kind, case_id, state, tries, max_tries, last_error, "
        "next_attempt_at, created_at, updated_at, finished_at) VALUES ('stats-test:",
        n, "', 'ACKNOWLEDGEMENT_EMAIL', '", case_id, "', '", state, "', ", tries, ", 8, ",
        state == "DEAD" ? "'smtp: connection refused'" : "NULL", ", ", Sql(now + absl::Hours(1)),
        ", ", Sql(now), ", ", Sql(now), ", ", done ? Sql(*done) : "NULL", ")"));
  };
  job(1, "PENDING", 0, std::nullopt);
  job(2, "PENDING", 0, std::nullopt);
  job(3, "RUNNING", 1, std::nullopt);
  job(4, "DONE", 1, now);
  job(5, "DONE", 1, now);
  job(6, "DONE", 2, now);
  job(7, "RETRYING", 3, std::nullopt);
  job(8, "DEAD", 8, now + absl::Hours(1));
  job(9, "DEAD", 8, now + absl::Hours(3));
  job(10, "DEAD", 8, now + absl::Hours(2));

  v1::FollowUpStats after;
  ASSERT_TRUE(follow_up_stats(0, &after).ok());
  ASSERT_EQ(after.states_size(), 5);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(after.states(i).state(), i + 1);
  std::map<std::string, int64_t> delta;
  for (const auto& [state, count] : by_state(after)) delta[state] = count - by_state(before)[state];
  EXPECT_EQ(delta, (std::map<std::string, int64_t>{{"FOLLOW_UP_PENDING", 2},
                                                   {"FOLLOW_UP_RUNNING", 1},
                                                   {"FOLLOW_UP_DONE", 3},
                                                   {"FOLLOW_UP_RETRYING", 1},
                                                   {"FOLLOW_UP_DEAD", 3}}));
  EXPECT_EQ(after.retried() - before.retried(), 5);
  ASSERT_GE(after.recent_dead_size(), 3);
  EXPECT_EQ(after.recent_dead(0).follow_up_id(), "stats-test:9");
  EXPECT_EQ(after.recent_dead(1).follow_up_id(), "stats-test:10");
  EXPECT_EQ(after.recent_dead(2).follow_up_id(), "stats-test:8");
  EXPECT_EQ(after.recent_dead(0).state(), v1::FOLLOW_UP_DEAD);
  EXPECT_EQ(after.recent_dead(0).case_id(), case_id);
  EXPECT_EQ(after.recent_dead(0).last_error(), "smtp: connection refused");
  EXPECT_EQ(after.recent_dead(0).tries(), 8);

  v1::FollowUpStats limited;
  ASSERT_TRUE(follow_up_stats(2, &limited).ok());
  ASSERT_EQ(limited.recent_dead_size(), 2);
  EXPECT_EQ(limited.recent_dead(1).follow_up_id(), "stats-test:10");

  for (int bad : {-1, 101}) {
    grpc::Status status = follow_up_stats(bad, &limited);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_THAT(ViolatedFields(status), ElementsAre("dead_limit"));
  }
  HttpResponse http = HttpRequest("GET", stack_.gateway_url() + "/v1/followupStats?deadLimit=1", "",
                                  {"Authorization: Bearer " + Token()});
  EXPECT_EQ(http.status, 200) << http.body;
  EXPECT_NE(http.body.find("stats-test:9"), std::string::npos) << http.body;
}

}  // namespace
}  // namespace carebridge::testing
