// The contact form and the coordinator dashboard in a real browser: Debian's Chromium, driven by
// playwright-core from tests/dashboard/e2e.mjs, against the whole suite (the cases stack).
//
// The driver seeds what the browser needs (a coordinator who is a scheduling host with free time
// every day, and an admin), runs `node e2e.mjs` with their credentials and the gateway's URL,
// requires it to exit 0 (its output goes into the test log), and then checks in PostgreSQL and
// over gRPC that what the browser did really happened: the inquiry is a case with the reference
// the thank-you page showed and the hostile message stored as typed, moved to CONTACTED by the
// coordinator, with the note on its timeline and an intro call booked with the coordinator's host.
// Screenshots of the main pages are kept in <build>/test-artifacts/dashboard/.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
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
constexpr char kPatientName[] = "Ada E2E Patient";
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

class DashboardE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The browser clicks for a minute or more: sessions must outlive that.
    CasesStack::Configure({.session_ttl_seconds = 3600});
    CasesStack::Get();
  }

  DashboardE2eTest() : stack_(CasesStack::Get()) {}

  // The coordinator's own scheduling host: intro calls, every day 00:00-24:00 UTC, no notice.
  v1::Host MakeHost(const std::string& user_id, const std::string& admin_token) {
    v1::UpsertHostRequest request;
    v1::Host* host = request.mutable_host();
    host->set_name(kHostName);
    host->set_kind(v1::COORDINATOR);
    host->set_time_zone("UTC");
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

  // Runs e2e.mjs; returns its exit status (its output is printed and kept in e2e.log).
  int RunBrowser(const std::string& artifacts) {
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

  const std::string artifacts = CAREBRIDGE_E2E_ARTIFACTS_DIR;
  std::filesystem::remove_all(artifacts);
  std::filesystem::create_directories(artifacts);
  ASSERT_EQ(RunBrowser(artifacts), 0) << "the browser steps failed: see e2e.mjs's output above "
                                      << "and the screenshots in " << artifacts;

  for (const char* name :
       {"contact", "thanks", "login", "inbox", "case", "calendar", "overview", "admin"}) {
    EXPECT_TRUE(std::filesystem::exists(absl::StrCat(artifacts, "/", name, ".png")))
        << "no screenshot " << name << ".png";
  }

  // The inquiry typed in the browser is one case, with the reference the thank-you page showed
  // and the message stored exactly as typed (escaping is the pages' job, not the store's).
  const pqxx::result cases = stack_.Sql(
      absl::StrCat("SELECT id, reference, stage, message FROM inquiries.cases WHERE full_name = ",
                   Quoted(kPatientName)));
  ASSERT_EQ(cases.size(), 1u);
  const std::string case_id = cases[0][0].as<std::string>();
  const std::string result = ReadAll(artifacts + "/result.json");
  EXPECT_NE(result.find(cases[0][1].as<std::string>()), std::string::npos)
      << "the thank-you page showed another reference: " << result;
  EXPECT_EQ(cases[0][3].as<std::string>(), kHostileMessage);
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

  // The intro call the browser booked, with the coordinator's host, confirmed.
  const pqxx::result bookings = stack_.Sql(absl::StrCat(
      "SELECT host_id, type, status, created_by FROM scheduling.bookings WHERE case_id = ",
      Quoted(case_id)));
  ASSERT_EQ(bookings.size(), 1u);
  EXPECT_EQ(bookings[0][0].as<std::string>(), host.host_id());
  EXPECT_EQ(bookings[0][1].as<std::string>(), "intro_call");
  EXPECT_EQ(bookings[0][2].as<std::string>(), "CONFIRMED");
  EXPECT_EQ(bookings[0][3].as<std::string>(), absl::StrCat("user:", coordinator_id));
}

}  // namespace
}  // namespace carebridge::testing
