// Case management end to end: the stage state machine, keyset paging under concurrent inserts,
// free-text search, round-robin assignment, partner isolation and webhooks, sessions (expiry,
// logout, lockout), CSRF through the gateway, the audit log, and no personal data in the logs.
#include <atomic>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/cases/cases_stack.h"

namespace carebridge::testing {
namespace {

constexpr char kPassword[] = "cases-password-12";

class CasesTest : public ::testing::Test {
 protected:
  CasesTest() : stack_(CasesStack::Get()) {}

  std::string EnsureCoordinator(const std::string& email, const std::string& language = "en") {
    auto rows =
        stack_.Sql("SELECT id FROM identity.users WHERE email_normalized = '" + email + "'");
    if (!rows.empty()) return rows[0][0].as<std::string>();
    return stack_.CreateUser(email, "coordinator", language, kPassword);
  }

  std::string CoordinatorToken() {
    EnsureCoordinator("cases-coordinator@carebridge.test");
    return stack_.Login("cases-coordinator@carebridge.test", kPassword);
  }

  std::string NewCase(const std::string& name, const std::string& email,
                      const std::string& credential = "", const std::string& language = "") {
    v1::CreateInquiryResponse created;
    auto context = Context(credential);
    grpc::Status status = stack_.Inquiries()->CreateInquiry(
        context.get(), InquiryRequest(name, email, language), &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created.case_id();
  }

  grpc::Status Move(const std::string& token, const std::string& case_id, v1::Stage stage,
                    const std::string& reason = "", v1::Case* out = nullptr) {
    v1::UpdateCaseRequest request;
    request.set_case_id(case_id);
    request.mutable_case_()->set_stage(stage);
    request.mutable_update_mask()->add_paths("stage");
    if (!reason.empty()) {
      request.mutable_case_()->set_lost_reason(reason);
    }
    v1::Case reply;
    auto context = Context(token);
    grpc::Status status = stack_.Inquiries()->UpdateCase(context.get(), request, &reply);
    if (out != nullptr) *out = reply;
    return status;
  }

  CasesStack& stack_;
};

TEST_F(CasesTest, StageMachineAllowsForwardMovesLostWithReasonAndReopen) {
  const std::string token = CoordinatorToken();
  const std::string id = NewCase("Stage Machine", "stage.machine@example.org");
  v1::Case c;
  ASSERT_TRUE(Move(token, id, v1::CONTACTED, "", &c).ok());
  EXPECT_EQ(c.stage(), v1::CONTACTED);
  ASSERT_TRUE(Move(token, id, v1::QUALIFIED).ok());

  grpc::Status back = Move(token, id, v1::NEW);
  EXPECT_EQ(back.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(back.error_message().find("allowed: CONSULTATION_BOOKED, QUOTE_SENT"),
            std::string::npos)
      << back.error_message();
  EXPECT_EQ(Move(token, id, v1::LOST).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(Move(token, id, v1::LOST, "chose a clinic at home", &c).ok());
  EXPECT_EQ(c.lost_reason(), "chose a clinic at home");
  EXPECT_EQ(Move(token, id, v1::CONTACTED).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Move(token, id, v1::QUALIFIED, "", &c).ok());  // re-open where it was lost
  EXPECT_TRUE(c.lost_reason().empty());
  ASSERT_TRUE(Move(token, id, v1::COMPLETED).ok());
  EXPECT_EQ(Move(token, id, v1::LOST, "late").error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // The timeline has every move with who, when and old -> new.
  v1::ListCaseTimelineRequest request;
  request.set_case_id(id);
  v1::ListCaseTimelineResponse timeline;
  auto context = Context(token);
  ASSERT_TRUE(stack_.Inquiries()->ListCaseTimeline(context.get(), request, &timeline).ok());
  std::vector<std::string> moves;
  for (const auto& event : timeline.events()) {
    if (event.kind() != "STAGE_CHANGED") continue;
    EXPECT_TRUE(event.actor().starts_with("user:")) << event.actor();
    EXPECT_TRUE(event.has_occurred_at());
    for (const auto& change : event.changes()) {
      if (change.field() == "stage") moves.push_back(change.old_value() + ">" + change.new_value());
    }
  }
  EXPECT_EQ(moves,
            (std::vector<std::string>{"NEW>CONTACTED", "CONTACTED>QUALIFIED", "QUALIFIED>LOST",
                                      "LOST>QUALIFIED", "QUALIFIED>COMPLETED"}));
  EXPECT_EQ(timeline.events(0).kind(), "CREATED");
}

TEST_F(CasesTest, NotesAndEditsAreOnTheTimeline) {
  const std::string token = CoordinatorToken();
  const std::string id = NewCase("Note Taker", "note.taker@example.org");
  v1::AddCaseNoteRequest note;
  note.set_case_id(id);
  note.set_text("Called; prefers Osaka.");
  v1::CaseEvent event;
  auto context = Context(token);
  ASSERT_TRUE(stack_.Inquiries()->AddCaseNote(context.get(), note, &event).ok());
  EXPECT_EQ(event.note(), "Called; prefers Osaka.");

  v1::UpdateCaseRequest edit;
  edit.set_case_id(id);
  edit.mutable_case_()->set_destination_country("jp");
  edit.mutable_case_()->set_phone("bad phone");
  edit.mutable_update_mask()->add_paths("destination_country");
  edit.mutable_update_mask()->add_paths("phone");
  v1::Case c;
  auto refused = Context(token);
  EXPECT_EQ(stack_.Inquiries()->UpdateCase(refused.get(), edit, &c).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  edit.mutable_update_mask()->mutable_paths()->RemoveLast();
  auto accepted = Context(token);
  ASSERT_TRUE(stack_.Inquiries()->UpdateCase(accepted.get(), edit, &c).ok());
  EXPECT_EQ(c.destination_country(), "JP");
  EXPECT_EQ(c.phone(), "+819012345678");  // not in the mask: unchanged
}

TEST_F(CasesTest, KeysetPagingNeitherRepeatsNorSkipsUnderConcurrentInserts) {
  const std::string token = CoordinatorToken();
  std::set<std::string> before;
  for (int i = 0; i < 45; ++i) {
    before.insert(NewCase(absl::StrCat("Pager ", i), absl::StrCat("pager", i, "@paging.example")));
  }
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      NewCase(absl::StrCat("Later ", i), absl::StrCat("later", i, "@paging.example"));
    }
  });
  std::vector<std::string> seen;
  std::string page_token;
  do {
    v1::ListCasesRequest request;
    request.set_q("paging.example");
    request.set_page_size(7);
    request.set_page_token(page_token);
    v1::ListCasesResponse page;
    auto context = Context(token);
    ASSERT_TRUE(stack_.Inquiries()->ListCases(context.get(), request, &page).ok());
    for (const auto& c : page.cases()) seen.push_back(c.case_id());
    page_token = page.next_page_token();
  } while (!page_token.empty());
  stop = true;
  writer.join();
  const std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "a case was listed twice";
  for (const std::string& id : before) EXPECT_TRUE(unique.count(id)) << "skipped " << id;
}

TEST_F(CasesTest, FreeTextSearchFindsByNameEmailAndReferenceWithFilters) {
  const std::string token = CoordinatorToken();
  const std::string id = NewCase("Kazuhiro Searchable", "k.findme@search.example");
  NewCase("Other Person", "other.person@search.example");
  auto search = [&](const std::string& q, v1::Stage stage = v1::STAGE_UNSPECIFIED) {
    v1::ListCasesRequest request;
    request.set_q(q);
    request.set_stage(stage);
    v1::ListCasesResponse page;
    auto context = Context(token);
    EXPECT_TRUE(stack_.Inquiries()->ListCases(context.get(), request, &page).ok());
    std::vector<std::string> ids;
    for (const auto& c : page.cases()) ids.push_back(c.case_id());
    return ids;
  };
  EXPECT_EQ(search("searchable"), std::vector<std::string>{id});
  EXPECT_EQ(search("K.FINDME"), std::vector<std::string>{id});
  const std::string reference =
      stack_.Sql("SELECT reference FROM inquiries.cases WHERE id = '" + id + "'")[0][0]
          .as<std::string>();
  EXPECT_EQ(search(reference), std::vector<std::string>{id});
  EXPECT_TRUE(search("searchable", v1::LOST).empty());
  EXPECT_EQ(search("50%_").size(), 0u);  // LIKE wildcards are literal

  v1::ListCasesRequest bad;
  bad.set_q("ab");
  v1::ListCasesResponse page;
  auto context = Context(token);
  EXPECT_EQ(stack_.Inquiries()->ListCases(context.get(), bad, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CasesTest, FiltersByAssigneeConditionCountryAndCreatedRangeAndReassignmentIsOnTheTimeline) {
  const std::string token = CoordinatorToken();
  const std::string first = EnsureCoordinator("cases-coordinator@carebridge.test");
  const std::string second = EnsureCoordinator("filters-second@carebridge.test");
  const auto create = [&](const std::string& email, const std::string& condition,
                          const std::string& country) {
    v1::CreateInquiryRequest request = InquiryRequest("Filter Patient", email);
    request.mutable_inquiry()->set_condition(condition);
    request.mutable_inquiry()->set_country_of_residence(country);
    v1::CreateInquiryResponse created;
    auto context = Context("");
    EXPECT_TRUE(stack_.Inquiries()->CreateInquiry(context.get(), request, &created).ok());
    return created.case_id();
  };
  const std::string stroke_de = create("f1@filters.example", "stroke", "DE");
  const std::string crohns_de = create("f2@filters.example", "crohns", "DE");
  const std::string stroke_jp = create("f3@filters.example", "stroke", "JP");
  // Nobody active to take it: unassigned.
  stack_.Sql("UPDATE identity.users SET active = false WHERE role = 'coordinator'");
  const std::string unassigned = create("f4@filters.example", "stroke", "US");
  stack_.Sql("UPDATE identity.users SET active = true WHERE role = 'coordinator'");
  stack_.Sql("UPDATE inquiries.cases SET created_at = '2026-01-15T00:00:00Z' WHERE id = '" +
             stroke_jp + "'");

  const auto list = [&](const std::function<void(v1::ListCasesRequest*)>& filter) {
    v1::ListCasesRequest request;
    request.set_page_size(100);
    filter(&request);
    v1::ListCasesResponse page;
    auto context = Context(token);
    const grpc::Status status = stack_.Inquiries()->ListCases(context.get(), request, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::set<std::string> ids;
    for (const auto& c : page.cases()) ids.insert(c.case_id());
    return ids;
  };
  using Ids = std::set<std::string>;
  EXPECT_EQ(list([](auto* r) { r->set_condition("crohns"); }), Ids{crohns_de});
  EXPECT_EQ(list([](auto* r) { r->set_country("DE"); }), (Ids{stroke_de, crohns_de}));
  EXPECT_EQ(list([](auto* r) {
              r->set_country("DE");
              r->set_condition("stroke");
            }),
            Ids{stroke_de});
  EXPECT_EQ(list([](auto* r) { r->set_assignee_id("none"); }), Ids{unassigned});
  google::protobuf::Timestamp february;
  february.set_seconds(1769904000);  // 2026-02-01T00:00:00Z
  EXPECT_EQ(list([&](auto* r) { *r->mutable_created_before() = february; }), Ids{stroke_jp});
  EXPECT_EQ(list([&](auto* r) { *r->mutable_created_after() = february; }).count(stroke_jp), 0u);

  // Reassignment by hand: the filter follows, and the timeline says who moved it from whom to whom.
  const std::string before =
      stack_.Sql("SELECT assignee_id FROM inquiries.cases WHERE id = '" + stroke_de + "'")[0][0]
          .as<std::string>("");
  ASSERT_TRUE(before == first || before == second) << before;
  const std::string after = before == first ? second : first;
  v1::UpdateCaseRequest reassign;
  reassign.set_case_id(stroke_de);
  reassign.mutable_case_()->set_assignee_id(after);
  reassign.mutable_update_mask()->add_paths("assignee_id");
  v1::Case updated;
  auto context = Context(token);
  ASSERT_TRUE(stack_.Inquiries()->UpdateCase(context.get(), reassign, &updated).ok());
  EXPECT_EQ(updated.assignee_id(), after);
  EXPECT_EQ(list([&](auto* r) { r->set_assignee_id(after); }).count(stroke_de), 1u);
  EXPECT_EQ(list([&](auto* r) { r->set_assignee_id(before); }).count(stroke_de), 0u);
  v1::ListCaseTimelineRequest timeline_request;
  timeline_request.set_case_id(stroke_de);
  v1::ListCaseTimelineResponse timeline;
  auto timeline_context = Context(token);
  ASSERT_TRUE(stack_.Inquiries()
                  ->ListCaseTimeline(timeline_context.get(), timeline_request, &timeline)
                  .ok());
  ASSERT_FALSE(timeline.events().empty());
  const v1::CaseEvent& last = timeline.events(timeline.events_size() - 1);
  EXPECT_EQ(last.kind(), "ASSIGNED");
  EXPECT_TRUE(last.actor().starts_with("user:")) << last.actor();
  ASSERT_EQ(last.changes_size(), 1);
  EXPECT_EQ(last.changes(0).field(), "assignee_id");
  EXPECT_EQ(last.changes(0).old_value(), before);
  EXPECT_EQ(last.changes(0).new_value(), after);

  // A malformed filter names its field.
  v1::ListCasesRequest bad;
  bad.set_assignee_id("someone");
  v1::ListCasesResponse page;
  auto bad_context = Context(token);
  const grpc::Status refused = stack_.Inquiries()->ListCases(bad_context.get(), bad, &page);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(refused.error_message().find("assignee_id"), std::string::npos);
}

TEST_F(CasesTest, RoundRobinIsFairAndPrefersThePatientsLanguage) {
  // Only this test's coordinators take cases while it runs.
  stack_.Sql("UPDATE identity.users SET active = false WHERE role = 'coordinator'");
  const std::string a = EnsureCoordinator("rr-a@carebridge.test", "en");
  const std::string b = EnsureCoordinator("rr-b@carebridge.test", "en");
  const std::string c = EnsureCoordinator("rr-c@carebridge.test", "ja");
  stack_.Sql("UPDATE identity.users SET active = (email LIKE 'rr-%') WHERE role = 'coordinator'");
  std::map<std::string, int> counts;
  for (int i = 0; i < 30; ++i) {
    const std::string id =
        NewCase(absl::StrCat("Robin ", i), absl::StrCat("robin", i, "@rr.example"));
    counts[stack_.Sql("SELECT assignee_id FROM inquiries.cases WHERE id = '" + id + "'")[0][0]
               .as<std::string>("")]++;
  }
  EXPECT_EQ(counts[a], 10);
  EXPECT_EQ(counts[b], 10);
  EXPECT_EQ(counts[c], 10);
  for (int i = 0; i < 3; ++i) {
    const std::string id = NewCase(absl::StrCat("Nihongo ", i),
                                   absl::StrCat("nihongo", i, "@rr.example"), "", "ja-JP");
    EXPECT_EQ(stack_.Sql("SELECT assignee_id FROM inquiries.cases WHERE id = '" + id + "'")[0][0]
                  .as<std::string>(""),
              c);
  }
  // Simultaneous intakes, more than there are coordinators: every case is still assigned, and each
  // coordinator takes some (a burst that finds every coordinator held waits for the one at the
  // head of the order, so the split within one burst is uneven; the order evens it out over time).
  counts.clear();
  std::vector<std::string> ids(24);
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      for (int i = t; i < 24; i += 8) {
        ids[i] = NewCase(absl::StrCat("Rush ", i), absl::StrCat("rush", i, "@rr.example"));
      }
    });
  }
  for (std::thread& client : clients) client.join();
  for (const std::string& id : ids) {
    ASSERT_FALSE(id.empty());
    counts[stack_.Sql("SELECT assignee_id FROM inquiries.cases WHERE id = '" + id + "'")[0][0]
               .as<std::string>("")]++;
  }
  EXPECT_EQ(counts[""], 0) << "a case was left unassigned";
  for (const std::string& coordinator : {a, b, c}) {
    EXPECT_GE(counts[coordinator], 1) << coordinator;
  }
  stack_.Sql("UPDATE identity.users SET active = true WHERE role = 'coordinator'");
}

TEST_F(CasesTest, PartnersSeeOnlyTheirCasesAndGetWebhooksOnStageChanges) {
  const std::string token = CoordinatorToken();
  const std::string key_a = stack_.CreatePartner("iso-a", "inquiries:write,cases:read");
  const std::string key_b = stack_.CreatePartner("iso-b", "inquiries:write,cases:read");
  const std::string case_a = NewCase("Iso Alpha", "iso.alpha@example.org", key_a);
  const std::string case_b = NewCase("Iso Beta", "iso.beta@example.org", key_b);
  const std::string partner_a =
      stack_.Sql("SELECT id FROM identity.partners WHERE name = 'iso-a'")[0][0].as<std::string>();
  EXPECT_EQ(stack_.Sql("SELECT partner_id FROM inquiries.cases WHERE id = '" + case_a + "'")[0][0]
                .as<std::string>(""),
            partner_a);

  v1::ListCasesRequest all;
  all.set_page_size(100);
  v1::ListCasesResponse page;
  auto list = Context(key_a);
  ASSERT_TRUE(stack_.Inquiries()->ListCases(list.get(), all, &page).ok());
  ASSERT_EQ(page.cases_size(), 1);
  EXPECT_EQ(page.cases(0).case_id(), case_a);

  v1::GetCaseRequest get;
  get.set_case_id(case_b);
  v1::Case c;
  auto other = Context(key_a);
  EXPECT_EQ(stack_.Inquiries()->GetCase(other.get(), get, &c).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Partner B sending the same person as partner A's open case gets a case of its own (joining A's
  // would hand B a reference it may not read); the person's own website inquiry joins their most
  // recent open case, and partner A's repeat joins A's.
  const std::string b_same_person = NewCase("Iso Alpha", "iso.alpha@example.org", key_b);
  EXPECT_NE(b_same_person, case_a);
  get.set_case_id(b_same_person);
  auto own = Context(key_b);
  EXPECT_TRUE(stack_.Inquiries()->GetCase(own.get(), get, &c).ok());
  EXPECT_EQ(NewCase("Iso Alpha", "iso.alpha@example.org"), b_same_person);
  EXPECT_EQ(NewCase("Iso Alpha", "iso.alpha@example.org", key_a), case_a);

  ASSERT_TRUE(Move(token, case_a, v1::CONTACTED).ok());
  auto webhooks = stack_.Sql(
      "SELECT payload->>'stage', payload->>'partner_id' FROM inquiries.outbox WHERE case_id = '" +
      case_a + "' AND kind = 'PARTNER_WEBHOOK'");
  ASSERT_EQ(webhooks.size(), 1u);
  EXPECT_EQ(webhooks[0][0].as<std::string>(), "CONTACTED");
  EXPECT_EQ(webhooks[0][1].as<std::string>(), partner_a);
  // A website case gets none.
  const std::string web = NewCase("Web Only", "web.only@example.org");
  ASSERT_TRUE(Move(token, web, v1::CONTACTED).ok());
  EXPECT_EQ(stack_
                .Sql("SELECT count(*) FROM inquiries.outbox WHERE case_id = '" + web +
                     "' AND kind = 'PARTNER_WEBHOOK'")[0][0]
                .as<int>(),
            0);

  // Its own webhook endpoint: the signing secret is printed once, stored for the worker, audited
  // without the URL or secret; a URL that is not http(s) is refused.
  std::string secret =
      stack_.Admin("partner webhook --name iso-a --url https://partner-a.test/hook");
  while (!secret.empty() && secret.back() == '\n') secret.pop_back();
  EXPECT_TRUE(secret.starts_with("whsec_")) << secret;
  auto stored = stack_.Sql(
      "SELECT webhook_url, webhook_secret FROM identity.partners WHERE id = '" + partner_a + "'");
  EXPECT_EQ(stored[0][0].as<std::string>(""), "https://partner-a.test/hook");
  EXPECT_EQ(stored[0][1].as<std::string>(""), secret);
  EXPECT_EQ(stack_
                .Sql("SELECT count(*) FROM identity.audit_log WHERE action = "
                     "'partner.webhook_set' AND target = 'partner:" +
                     partner_a + "' AND details::text NOT LIKE '%partner-a.test%'")[0][0]
                .as<int>(),
            1);
  int exit_code = 0;
  stack_.Admin("partner webhook --name iso-a --url ftp://partner-a.test/hook", "", &exit_code);
  EXPECT_NE(exit_code, 0);

  // A revoked key stops working at once.
  stack_.Admin("partner revoke --name iso-a");
  auto revoked = Context(key_a);
  EXPECT_EQ(stack_.Inquiries()->ListCases(revoked.get(), all, &page).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(CasesTest, SessionsExpireEndOnLogoutAndLockOutAfterFailures) {
  EnsureCoordinator("session-user@carebridge.test");
  const std::string token = stack_.Login("session-user@carebridge.test", kPassword);
  ASSERT_FALSE(token.empty());
  v1::GetCurrentUserRequest me;
  v1::User user;
  auto first = Context(token);
  ASSERT_TRUE(stack_.Identity()->GetCurrentUser(first.get(), me, &user).ok());
  EXPECT_EQ(user.email(), "session-user@carebridge.test");
  std::this_thread::sleep_for(std::chrono::seconds(kSessionTtlSeconds + 1));
  auto expired = Context(token);
  EXPECT_EQ(stack_.Identity()->GetCurrentUser(expired.get(), me, &user).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  const std::string second = stack_.Login("session-user@carebridge.test", kPassword);
  v1::DeleteSessionResponse deleted;
  auto logout = Context(second);
  ASSERT_TRUE(stack_.Identity()->DeleteSession(logout.get(), {}, &deleted).ok());
  auto after = Context(second);
  EXPECT_EQ(stack_.Identity()->GetCurrentUser(after.get(), me, &user).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // Three failures (CAREBRIDGE_LOGIN_MAX_FAILURES=3) lock the account, even for the right password.
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(stack_.Login("session-user@carebridge.test", "wrong-password-x").empty());
  v1::CreateSessionRequest login;
  login.set_email("session-user@carebridge.test");
  login.set_password(kPassword);
  v1::Session session;
  auto locked = Context("");
  EXPECT_EQ(stack_.Identity()->CreateSession(locked.get(), login, &session).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Every login is audited, without the email.
  EXPECT_GE(
      stack_.Sql("SELECT count(*) FROM identity.audit_log WHERE action = 'session.refused'")[0][0]
          .as<int>(),
      3);
  EXPECT_EQ(stack_
                .Sql("SELECT count(*) FROM identity.audit_log WHERE details::text LIKE "
                     "'%session-user%' OR target LIKE '%session-user%'")[0][0]
                .as<int>(),
            0);

  // Disabling a user ends its sessions.
  EnsureCoordinator("disable-me@carebridge.test");
  const std::string doomed = stack_.Login("disable-me@carebridge.test", kPassword);
  stack_.Admin("user disable --email disable-me@carebridge.test");
  auto gone = Context(doomed);
  EXPECT_EQ(stack_.Identity()->GetCurrentUser(gone.get(), me, &user).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(stack_.Login("disable-me@carebridge.test", kPassword).empty());
}

TEST_F(CasesTest, GatewayCookieSessionsRequireTheCsrfTokenForWrites) {
  EnsureCoordinator("cookie-user@carebridge.test");
  const std::string id = NewCase("Cookie Case", "cookie.case@example.org");
  const HttpResponse login =
      HttpRequest("POST", stack_.gateway_url() + "/v1/sessions",
                  R"({"email":"cookie-user@carebridge.test","password":"cases-password-12"})",
                  {"Content-Type: application/json"});
  ASSERT_EQ(login.status, 201) << login.body;
  const std::string set_cookie = login.headers.at("set-cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  const size_t start = set_cookie.find("cb_session=") + std::string("cb_session=").size();
  const std::string token = set_cookie.substr(start, set_cookie.find(';', start) - start);
  const size_t csrf_at = login.body.find("\"csrfToken\":\"") + 13;
  const std::string csrf = login.body.substr(csrf_at, login.body.find('"', csrf_at) - csrf_at);
  const std::string cookie = "Cookie: cb_session=" + token + "; cb_csrf=" + csrf;

  EXPECT_EQ(HttpRequest("GET", stack_.gateway_url() + "/v1/cases/" + id, "", {cookie}).status, 200);
  const std::string note = R"({"text":"from the dashboard"})";
  const std::string url = stack_.gateway_url() + "/v1/cases/" + id + "/notes";
  EXPECT_EQ(HttpRequest("POST", url, note, {cookie, "Content-Type: application/json"}).status, 403);
  EXPECT_EQ(HttpRequest(
                "POST", url, note,
                {cookie, "Content-Type: application/json", "X-CSRF-Token: " + std::string(64, 'a')})
                .status,
            403);
  EXPECT_EQ(HttpRequest("POST", url, note,
                        {cookie, "Content-Type: application/json", "X-CSRF-Token: " + csrf})
                .status,
            200);
  // Bearer calls need no CSRF token.
  EXPECT_EQ(HttpRequest("POST", url, note,
                        {"Authorization: Bearer " + token, "Content-Type: application/json"})
                .status,
            200);
  const HttpResponse logout = HttpRequest("DELETE", stack_.gateway_url() + "/v1/sessions/current",
                                          "", {cookie, "X-CSRF-Token: " + csrf});
  EXPECT_EQ(logout.status, 200);
  EXPECT_NE(logout.headers.at("set-cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(HttpRequest("GET", stack_.gateway_url() + "/v1/cases/" + id, "", {cookie}).status, 401);
}

TEST_F(CasesTest, NoPersonalDataInTheLogs) {
  const std::string email = "pii.sentinel@privacy.example";
  EnsureCoordinator("pii-coordinator@carebridge.test");
  const std::string token = stack_.Login("pii-coordinator@carebridge.test", kPassword);
  stack_.Login("pii-coordinator@carebridge.test", "wrong-password-pii");
  const std::string id = NewCase("Piiname Sentinel", email);
  ASSERT_TRUE(Move(token, id, v1::CONTACTED).ok());
  HttpRequest("GET", stack_.gateway_url() + "/v1/cases?q=sentinel", "",
              {"Authorization: Bearer " + token});
  HttpRequest("POST", stack_.gateway_url() + "/v1/sessions",
              R"({"email":"pii-coordinator@carebridge.test","password":"wrong-password-pii"})",
              {"Content-Type: application/json"});
  const std::string logs = stack_.Logs();
  ASSERT_FALSE(logs.empty());
  for (const std::string& pii :
       {email, std::string("Piiname"), std::string("+819012345678"), std::string("pii-coordinator"),
        std::string("wrong-password-pii"), std::string(kPassword), token}) {
    EXPECT_EQ(logs.find(pii), std::string::npos) << pii << " appears in the logs";
  }
}

}  // namespace
}  // namespace carebridge::testing
