// The contact form and the coordinator dashboard in a real browser: Debian's Chromium, driven by
// playwright-core from tests/dashboard/e2e.mjs, against the whole suite (the cases stack).
//
// The driver seeds what the browser needs (a coordinator who is a scheduling host with free time
// every day, and an admin), runs `node e2e.mjs` with their credentials and the gateway's URL,
// requires it to exit 0 (its output goes into the test log), and then checks in PostgreSQL and
// over gRPC that what the browser did really happened: the inquiry is a case with the reference
// the thank-you page showed and the hostile message stored as typed, moved to CONTACTED by the
// coordinator, with the note on its timeline and an intro call booked with the coordinator's host
// at the instant the browser named. Three time zones meet: the browser runs in America/New_York,
// the patient lives in Japan (the dashboard guesses Asia/Tokyo) and the host works in
// Europe/Berlin. The patient's name carries markup (<b>) that every page must show as text. A
// DEAD follow-up seeded here must show on the overview.
// Screenshots of the main pages are kept in <build>/test-artifacts/dashboard/.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "carebridge/v1/scheduling.grpc.pb.h"
#include "tests/cases/cases_stack.h"
#include "tests/harness/child_process.h"

namespace carebridge::testing {
namespace {

constexpr char kCoordinatorEmail[] = "e2e.coordinator@example.org";
constexpr char kCoordinatorPassword[] = "e2e-coordinator-password-0123";
constexpr char kAdminEmail[] = "e2e.admin@example.org";
constexpr char kAdminPassword[] = "e2e-admin-password-0123";
constexpr char kHostName[] = "E2E coordinator desk";
// Markup in the name: stored as typed, shown as text.
constexpr char kPatientName[] = "Ada <b>E2E</b> Tester";
constexpr char kPatientCountry[] = "JP";
constexpr char kPatientZone[] = "Asia/Tokyo";
constexpr char kHostZone[] = "Europe/Berlin";
constexpr char kPatientEmail[] = "ada.e2e.patient@example.org";
constexpr char kNoteText[] = "Called the family; they prefer a morning intro call.";
constexpr char kHostileMessage[] =
    "My father had a stroke. <script>window.__pwned=1</script><img src=x "
    "onerror=\"window.__pwned=1\">";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Quoted(const std::string& text) { return absl::StrCat("'", text, "'"); }

// The instant of the last "CHOSEN_SLOT=<RFC 3339>" line of e2e.mjs's output.
std::optional<absl::Time> ChosenSlot(const std::string& log) {
  constexpr std::string_view kPrefix = "CHOSEN_SLOT=";
  std::optional<absl::Time> chosen;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(kPrefix, 0) != 0) continue;
    absl::Time instant;
    std::string error;
    if (absl::ParseTime(absl::RFC3339_full, line.substr(kPrefix.size()), &instant, &error)) {
      chosen = instant;
    }
  }
  return chosen;
}

class DashboardE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The browser clicks for a minute or more: sessions must outlive that.
    CasesStack::Configure({.session_ttl_seconds = 3600});
    CasesStack::Get();
  }

  DashboardE2eTest() : stack_(CasesStack::Get()) {}

  // The coordinator's own scheduling host in Berlin: intro calls, every day 00:00-24:00 Berlin
  // time (the weekly hours are the host's local time; whole days keep every instant free).
  v1::Host MakeHost(const std::string& user_id, const std::string& admin_token) {
    v1::UpsertHostRequest request;
    v1::Host* host = request.mutable_host();
    host->set_name(kHostName);
    host->set_kind(v1::COORDINATOR);
    host->set_time_zone(kHostZone);
    host->add_consultation_types("intro_call");
    for (int weekday = 1; weekday <= 7; ++weekday) {
      v1::WorkingHours* hours = host->add_working_hours();
      hours->set_weekday(weekday);
      hours->set_start_minute(0);
      hours->set_end_minute(1440);
    }
    host->set_horizon_days(60);
    host->set_user_id(user_id);
    host->set_active(true);
    v1::Host out;
    auto context = Context(admin_token);
    const grpc::Status status = v1::Scheduling::NewStub(stack_.scheduling_channel())
                                    ->UpsertHost(context.get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  // A case (made over gRPC) with one DEAD follow-up written straight into the worker's schema,
  // as tests/cases/stats_test.cc does; returns the case's id.
  std::string MakeDeadFollowUp() {
    v1::CreateInquiryResponse created;
    auto context = Context("");
    const grpc::Status status = stack_.Inquiries()->CreateInquiry(
        context.get(), InquiryRequest("Dead Followup Patient", "dead.followup@example.org"),
        &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    stack_.Sql(absl::StrCat(
        "INSERT INTO followups.jobs (id, kind, case_id, state, tries, max_tries, last_error, "
        "next_attempt_at, created_at, updated_at, finished_at) VALUES ('dashboard-e2e:dead', "
        "'ACKNOWLEDGEMENT_EMAIL', ",
        Quoted(created.case_id()),
        ", 'DEAD', 8, 8, 'smtp: connection refused', now(), now(), now(), now())"));
    return created.case_id();
  }

  // Runs e2e.mjs; returns its exit status (its output is printed and kept in e2e.log).
  int RunBrowser(const std::string& artifacts, const std::string& dead_case_id) {
    const std::string log = artifacts + "/e2e.log";
    auto node = ChildProcess::Spawn("node", {CAREBRIDGE_E2E_SCRIPT},
                                    {{"GATEWAY_URL", stack_.gateway_url()},
                                     {"COORDINATOR_EMAIL", kCoordinatorEmail},
                                     {"COORDINATOR_PASSWORD", kCoordinatorPassword},
                                     {"ADMIN_EMAIL", kAdminEmail},
                                     {"ADMIN_PASSWORD", kAdminPassword},
                                     {"HOST_NAME", kHostName},
                                     {"PATIENT_NAME", kPatientName},
                                     {"PATIENT_EMAIL", kPatientEmail},
                                     {"PATIENT_COUNTRY", kPatientCountry},
                                     {"PATIENT_ZONE", kPatientZone},
                                     {"HOST_ZONE", kHostZone},
                                     {"DEAD_CASE_ID", dead_case_id},
                                     {"NOTE_TEXT", kNoteText},
                                     {"SCREENSHOT_DIR", artifacts},
                                     {"PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"}},
                                    log);
    if (!node.ok()) {
      ADD_FAILURE() << "cannot start node (run infra/deps.sh): " << node.status();
      return -1;
    }
    std::optional<int> status = (*node)->Wait(std::chrono::minutes(6));
    if (!status.has_value()) {
      ADD_FAILURE() << "e2e.mjs did not finish within 6 minutes; stopping it";
      status = (*node)->Terminate();
    }
    std::cout << "---- e2e.mjs (" << log << ") ----\n" << ReadAll(log) << "---- end ----\n";
    return *status;
  }

  CasesStack& stack_;
};

TEST_F(DashboardE2eTest, ContactFormAndDashboardInChromium) {
  const std::string coordinator_id =
      stack_.CreateUser(kCoordinatorEmail, "coordinator", "en", kCoordinatorPassword);
  stack_.CreateUser(kAdminEmail, "admin", "", kAdminPassword);
  const std::string admin_token = stack_.Login(kAdminEmail, kAdminPassword);
  ASSERT_FALSE(admin_token.empty());
  const v1::Host host = MakeHost(coordinator_id, admin_token);
  ASSERT_FALSE(host.host_id().empty());
  const std::string dead_case_id = MakeDeadFollowUp();
  ASSERT_FALSE(dead_case_id.empty());

  const std::string artifacts = CAREBRIDGE_E2E_ARTIFACTS_DIR;
  std::filesystem::remove_all(artifacts);
  std::filesystem::create_directories(artifacts);
  ASSERT_EQ(RunBrowser(artifacts, dead_case_id), 0)
      << "the browser steps failed: see e2e.mjs's output above "
      << "and the screenshots in " << artifacts;

  for (const char* name : {"contact", "thanks", "login", "inbox", "case", "calendar", "overview",
                           "admin", "inbox-tablet", "case-tablet"}) {
    EXPECT_TRUE(std::filesystem::exists(absl::StrCat(artifacts, "/", name, ".png")))
        << "no screenshot " << name << ".png";
  }

  // The inquiry typed in the browser is one case, with the reference the thank-you page showed
  // and the message stored exactly as typed (escaping is the pages' job, not the store's).
  const pqxx::result cases =
      stack_.Sql(absl::StrCat("SELECT id, reference, stage, message, country_of_residence FROM "
                              "inquiries.cases WHERE full_name = ",
                              Quoted(kPatientName)));
  ASSERT_EQ(cases.size(), 1u);
  const std::string case_id = cases[0][0].as<std::string>();
  const std::string result = ReadAll(artifacts + "/result.json");
  EXPECT_NE(result.find(cases[0][1].as<std::string>()), std::string::npos)
      << "the thank-you page showed another reference: " << result;
  EXPECT_EQ(cases[0][3].as<std::string>(), kHostileMessage);
  EXPECT_EQ(cases[0][4].as<std::string>(), kPatientCountry);
  // The form also worked without JavaScript: that inquiry is a case of its own.
  EXPECT_EQ(stack_
                .Sql(absl::StrCat("SELECT count(*) FROM inquiries.cases WHERE full_name = ",
                                  Quoted(absl::StrCat(kPatientName, " NoScript"))))[0][0]
                .as<int>(),
            1);

  // Moved to CONTACTED by the coordinator (an intro call books no consultation: it stays there).
  EXPECT_EQ(cases[0][2].as<std::string>(), "CONTACTED");
  v1::ListCaseTimelineRequest timeline_request;
  timeline_request.set_case_id(case_id);
  v1::ListCaseTimelineResponse timeline;
  const std::string coordinator_token = stack_.Login(kCoordinatorEmail, kCoordinatorPassword);
  auto context = Context(coordinator_token);
  const grpc::Status status =
      stack_.Inquiries()->ListCaseTimeline(context.get(), timeline_request, &timeline);
  ASSERT_TRUE(status.ok()) << status.error_message();
  bool moved = false;
  bool noted = false;
  for (const v1::CaseEvent& event : timeline.events()) {
    const bool by_coordinator = event.actor() == absl::StrCat("user:", coordinator_id);
    if (event.kind() == "STAGE_CHANGED" && by_coordinator) moved = true;
    if (event.kind() == "NOTE" && by_coordinator && event.note() == kNoteText) noted = true;
  }
  EXPECT_TRUE(moved) << "no stage change by the coordinator on the timeline";
  EXPECT_TRUE(noted) << "the note is not on the timeline";

  // The intro call the browser booked, with the coordinator's host, confirmed, at the instant the
  // slot's name showed (e2e.mjs checked the name against it and printed it as CHOSEN_SLOT=).
  const pqxx::result bookings = stack_.Sql(absl::StrCat(
      "SELECT host_id, type, status, created_by, extract(epoch FROM start_time)::bigint FROM "
      "scheduling.bookings WHERE case_id = ",
      Quoted(case_id)));
  ASSERT_EQ(bookings.size(), 1u);
  EXPECT_EQ(bookings[0][0].as<std::string>(), host.host_id());
  EXPECT_EQ(bookings[0][1].as<std::string>(), "intro_call");
  EXPECT_EQ(bookings[0][2].as<std::string>(), "CONFIRMED");
  EXPECT_EQ(bookings[0][3].as<std::string>(), absl::StrCat("user:", coordinator_id));
  const std::optional<absl::Time> chosen = ChosenSlot(ReadAll(artifacts + "/e2e.log"));
  ASSERT_TRUE(chosen.has_value()) << "e2e.mjs printed no CHOSEN_SLOT=<RFC 3339 instant> line";
  EXPECT_EQ(absl::FromUnixSeconds(bookings[0][4].as<int64_t>()), *chosen)
      << "the booking starts at another instant than the slot the browser chose";
}

}  // namespace
}  // namespace carebridge::testing
