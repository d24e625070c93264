// The Identity admin RPCs against the real stack: a created user logs in with the generated
// password; a deactivated user's session ends at once and they cannot log in; a partner key made by
// CreatePartner works for intake and stops working right after RevokePartner; keys never come back
// from ListPartners; every change is audited with the admin as actor; bad fields are named.
#include <algorithm>
#include <cctype>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/cases/cases_stack.h"
#include "tests/cases/field_violations.h"

namespace carebridge::testing {
namespace {

using grpc::StatusCode;
using ::testing::ElementsAre;

constexpr char kAdminEmail[] = "admin-api-admin@carebridge.test";
constexpr char kPassword[] = "admin-api-password-1";
constexpr char kUnknownId[] = "00000000-0000-4000-8000-000000000000";

class AdminApiTest : public ::testing::Test {
 protected:
  AdminApiTest() : stack_(CasesStack::Get()) {
    auto rows = stack_.Sql(
        absl::StrCat("SELECT id FROM identity.users WHERE email_normalized = '", kAdminEmail, "'"));
    admin_id_ = rows.empty() ? stack_.CreateUser(kAdminEmail, "admin", "", kPassword)
                             : rows[0][0].as<std::string>();
  }

  // A fresh admin session (the stack's sessions last seconds).
  std::string AdminToken() { return stack_.Login(kAdminEmail, kPassword); }

  grpc::Status CreateUser(const v1::CreateUserRequest& request, v1::CreateUserResponse* out) {
    auto context = Context(AdminToken());
    return stack_.Identity()->CreateUser(context.get(), request, out);
  }

  grpc::Status SetActive(const std::string& token, const std::string& user_id, bool active,
                         v1::User* out) {
    v1::SetUserActiveRequest request;
    request.set_user_id(user_id);
    request.set_active(active);
    auto context = Context(token);
    return stack_.Identity()->SetUserActive(context.get(), request, out);
  }

  grpc::Status CreatePartner(const std::string& name, const std::vector<std::string>& scopes,
                             v1::CreatePartnerResponse* out) {
    v1::CreatePartnerRequest request;
    request.set_name(name);
    for (const std::string& scope : scopes) request.add_scopes(scope);
    auto context = Context(AdminToken());
    return stack_.Identity()->CreatePartner(context.get(), request, out);
  }

  grpc::Status Intake(const std::string& credential, const std::string& email,
                      v1::CreateInquiryResponse* out) {
    auto context = Context(credential);
    return stack_.Inquiries()->CreateInquiry(context.get(), InquiryRequest("Key User", email), out);
  }

  // The actor of the newest audit row with `action` on `target`, or "" when there is none.
  std::string AuditActor(const std::string& action, const std::string& target) {
    auto rows =
        stack_.Sql(absl::StrCat("SELECT actor FROM identity.audit_log WHERE action = '", action,
                                "' AND target = '", target, "' ORDER BY id DESC LIMIT 1"));
    return rows.empty() ? "" : rows[0][0].as<std::string>();
  }

  CasesStack& stack_;
  std::string admin_id_;
};

TEST_F(AdminApiTest, CreatedUserLogsInWithTheGeneratedPassword) {
  v1::CreateUserRequest request;
  request.set_email("  Generated.Coordinator@carebridge.test ");
  request.set_role("coordinator");
  request.add_languages("ja");
  request.add_languages("en-GB");
  request.add_languages("JA");
  request.set_lead(true);
  v1::CreateUserResponse created;
  grpc::Status status = CreateUser(request, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string password = created.initial_password();
  EXPECT_GE(password.size(), 20u);
  EXPECT_TRUE(std::all_of(password.begin(), password.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  })) << "not URL-safe";
  EXPECT_EQ(created.user().email(), "Generated.Coordinator@carebridge.test");
  EXPECT_EQ(created.user().role(), "coordinator");
  EXPECT_THAT(created.user().languages(), ElementsAre("ja", "en"));
  EXPECT_TRUE(created.user().lead());
  EXPECT_TRUE(created.user().active());
  EXPECT_GT(created.user().created_at().seconds(), 1700000000);
  const std::string id = created.user().user_id();
  EXPECT_EQ(AuditActor("user.created", "user:" + id), "user:" + admin_id_);
  EXPECT_EQ(stack_
                .Sql(absl::StrCat("SELECT details::text FROM identity.audit_log WHERE action = "
                                  "'user.created' AND target = 'user:",
                                  id, "'"))[0][0]
                .as<std::string>(),
            R"({"role": "coordinator"})");

  // The generated password logs in, case-insensitively on the email; the session knows the user.
  v1::CreateSessionRequest login;
  login.set_email("generated.coordinator@carebridge.test");
  login.set_password(password);
  v1::Session session;
  auto login_context = Context("");
  ASSERT_TRUE(stack_.Identity()->CreateSession(login_context.get(), login, &session).ok());
  EXPECT_EQ(session.user().user_id(), id);
  EXPECT_TRUE(session.user().active());
  EXPECT_EQ(session.user().created_at().seconds(), created.user().created_at().seconds());
  v1::User me;
  auto me_context = Context(session.token());
  ASSERT_TRUE(
      stack_.Identity()->GetCurrentUser(me_context.get(), v1::GetCurrentUserRequest(), &me).ok());
  EXPECT_TRUE(me.active());
  EXPECT_TRUE(me.has_created_at());

  // The new coordinator may list users (not create them), and sees itself.
  v1::ListUsersResponse users;
  auto list_context = Context(session.token());
  ASSERT_TRUE(
      stack_.Identity()->ListUsers(list_context.get(), v1::ListUsersRequest(), &users).ok());
  EXPECT_TRUE(std::any_of(users.users().begin(), users.users().end(),
                          [&](const v1::User& u) { return u.user_id() == id && u.lead(); }));
  v1::CreateUserResponse refused;
  auto coordinator_context = Context(session.token());
  EXPECT_EQ(
      stack_.Identity()->CreateUser(coordinator_context.get(), request, &refused).error_code(),
      StatusCode::PERMISSION_DENIED);

  // The same email again (in another case) is ALREADY_EXISTS on "email".
  request.set_email("GENERATED.coordinator@carebridge.test");
  v1::CreateUserResponse again;
  status = CreateUser(request, &again);
  EXPECT_EQ(status.error_code(), StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("email"));

  // A chosen password is used as given and not returned.
  v1::CreateUserRequest chosen;
  chosen.set_email("chosen.admin@carebridge.test");
  chosen.set_role("admin");
  chosen.set_password("a-chosen-password-1");
  v1::CreateUserResponse with_password;
  ASSERT_TRUE(CreateUser(chosen, &with_password).ok());
  EXPECT_TRUE(with_password.initial_password().empty());
  EXPECT_TRUE(with_password.user().languages().empty());
  EXPECT_FALSE(stack_.Login("chosen.admin@carebridge.test", "a-chosen-password-1").empty());
}

TEST_F(AdminApiTest, FieldViolationsNameTheField) {
  const auto violations = [&](const v1::CreateUserRequest& request) {
    v1::CreateUserResponse out;
    grpc::Status status = CreateUser(request, &out);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << request.DebugString();
    return ViolatedFields(status);
  };
  v1::CreateUserRequest request;
  request.set_email("not-an-email");
  request.set_role("boss");
  request.add_languages("j1");
  request.set_password("short");
  EXPECT_THAT(violations(request), ElementsAre("email", "role", "languages", "password"));
  request.set_email("fine@carebridge.test");
  request.set_role("coordinator");
  request.clear_languages();
  EXPECT_THAT(violations(request), ElementsAre("password"));
  request.clear_password();
  request.add_languages("");
  EXPECT_THAT(violations(request), ElementsAre("languages"));

  v1::CreatePartnerResponse partner;
  grpc::Status status = CreatePartner("", {"cases:read"}, &partner);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("name"));
  status = CreatePartner("violations-partner", {"cases:read", "cases:write"}, &partner);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("scopes"));
  status = CreatePartner("violations-partner", {}, &partner);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("scopes"));

  v1::User user;
  status = SetActive(AdminToken(), "not-a-uuid", false, &user);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("user_id"));
  EXPECT_EQ(SetActive(AdminToken(), kUnknownId, false, &user).error_code(), StatusCode::NOT_FOUND);
  v1::RevokePartnerRequest revoke;
  revoke.set_partner_id("42");
  v1::Partner revoked;
  auto context = Context(AdminToken());
  status = stack_.Identity()->RevokePartner(context.get(), revoke, &revoked);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("partner_id"));

  // Through the gateway: a 400 whose body names the field.
  HttpResponse http = HttpRequest(
      "POST", stack_.gateway_url() + "/v1/admin/users", R"({"email":"x","role":"coordinator"})",
      {"Content-Type: application/json", "Authorization: Bearer " + AdminToken()});
  EXPECT_EQ(http.status, 400) << http.body;
  EXPECT_NE(http.body.find("\"email\""), std::string::npos) << http.body;
  // Nothing was created by any of these.
  EXPECT_TRUE(stack_
                  .Sql("SELECT 1 FROM identity.users WHERE email_normalized = "
                       "'fine@carebridge.test'")
                  .empty());
  EXPECT_TRUE(
      stack_.Sql("SELECT 1 FROM identity.partners WHERE name = 'violations-partner'").empty());
}

TEST_F(AdminApiTest, DeactivatedUserIsLoggedOutAtOnceAndCannotLogIn) {
  v1::CreateUserRequest request;
  request.set_email("leaving.coordinator@carebridge.test");
  request.set_role("coordinator");
  request.set_password("leaving-password-1");
  v1::CreateUserResponse created;
  ASSERT_TRUE(CreateUser(request, &created).ok());
  const std::string id = created.user().user_id();
  const std::string token =
      stack_.Login("leaving.coordinator@carebridge.test", "leaving-password-1");
  ASSERT_FALSE(token.empty());
  v1::User me;
  auto before = Context(token);
  ASSERT_TRUE(
      stack_.Identity()->GetCurrentUser(before.get(), v1::GetCurrentUserRequest(), &me).ok());

  v1::User user;
  grpc::Status status = SetActive(AdminToken(), id, false, &user);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(user.active());
  EXPECT_EQ(user.user_id(), id);
  EXPECT_EQ(AuditActor("user.disabled", "user:" + id), "user:" + admin_id_);

  // The session that was open is over, in every service (they all read Redis).
  auto after = Context(token);
  EXPECT_EQ(
      stack_.Identity()->GetCurrentUser(after.get(), v1::GetCurrentUserRequest(), &me).error_code(),
      StatusCode::UNAUTHENTICATED);
  v1::ListCasesResponse cases;
  auto cases_context = Context(token);
  EXPECT_EQ(stack_.Inquiries()
                ->ListCases(cases_context.get(), v1::ListCasesRequest(), &cases)
                .error_code(),
            StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(
      stack_.Sql("SELECT 1 FROM identity.users WHERE active AND id = '" + id + "'").empty());
  // And the right password no longer logs in.
  EXPECT_TRUE(stack_.Login("leaving.coordinator@carebridge.test", "leaving-password-1").empty());

  // Inactive users are listed after the active ones.
  v1::ListUsersResponse users;
  auto list_context = Context(AdminToken());
  ASSERT_TRUE(
      stack_.Identity()->ListUsers(list_context.get(), v1::ListUsersRequest(), &users).ok());
  bool seen_inactive = false;
  bool listed = false;
  for (const v1::User& u : users.users()) {
    if (!u.active()) seen_inactive = true;
    EXPECT_FALSE(seen_inactive && u.active()) << "active user after an inactive one";
    if (u.user_id() == id) listed = !u.active();
  }
  EXPECT_TRUE(listed);

  // An admin cannot lock themself out.
  EXPECT_EQ(SetActive(AdminToken(), admin_id_, false, &user).error_code(),
            StatusCode::FAILED_PRECONDITION);

  // Reactivated, the user logs in again.
  ASSERT_TRUE(SetActive(AdminToken(), id, true, &user).ok());
  EXPECT_TRUE(user.active());
  EXPECT_EQ(AuditActor("user.enabled", "user:" + id), "user:" + admin_id_);
  EXPECT_FALSE(stack_.Login("leaving.coordinator@carebridge.test", "leaving-password-1").empty());
}

TEST_F(AdminApiTest, PartnerKeyWorksUntilRevokedAndIsNeverListed) {
  v1::CreatePartnerResponse created;
  grpc::Status status =
      CreatePartner("Api Partner", {"inquiries:write", "cases:read", "cases:read"}, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string key = created.api_key();
  const std::string partner_id = created.partner().partner_id();
  EXPECT_TRUE(key.starts_with("cbk_")) << "made as carebridge-admin makes them";
  EXPECT_EQ(key.size(), 4u + 64u);
  EXPECT_THAT(created.partner().scopes(), ElementsAre("inquiries:write", "cases:read"));
  EXPECT_FALSE(created.partner().revoked());
  EXPECT_FALSE(created.partner().has_webhook());
  EXPECT_GT(created.partner().created_at().seconds(), 1700000000);
  EXPECT_EQ(AuditActor("partner.created", "partner:" + partner_id), "user:" + admin_id_);

  // The key works at once: intake attributes the case to the partner, which may read it.
  v1::CreateInquiryResponse inquiry;
  status = Intake(key, "key.user@example.org", &inquiry);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::GetCaseRequest get;
  get.set_case_id(inquiry.case_id());
  v1::Case c;
  auto get_context = Context(key);
  ASSERT_TRUE(stack_.Inquiries()->GetCase(get_context.get(), get, &c).ok());
  EXPECT_EQ(c.partner_id(), partner_id);

  // A second active partner of that name is refused.
  v1::CreatePartnerResponse duplicate;
  status = CreatePartner("Api Partner", {"cases:read"}, &duplicate);
  EXPECT_EQ(status.error_code(), StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("name"));

  // Listed without the key or its hash, over gRPC and HTTP.
  const std::string key_hash =
      stack_.Sql("SELECT key_hash FROM identity.partners WHERE id = '" + partner_id + "'")[0][0]
          .as<std::string>();
  v1::ListPartnersResponse partners;
  auto list_context = Context(AdminToken());
  ASSERT_TRUE(stack_.Identity()
                  ->ListPartners(list_context.get(), v1::ListPartnersRequest(), &partners)
                  .ok());
  const std::string listed = partners.SerializeAsString();
  EXPECT_NE(listed.find(partner_id), std::string::npos);
  EXPECT_EQ(listed.find(key.substr(4)), std::string::npos);
  EXPECT_EQ(listed.find(key_hash), std::string::npos);
  HttpResponse http = HttpRequest("GET", stack_.gateway_url() + "/v1/admin/partners", "",
                                  {"Authorization: Bearer " + AdminToken()});
  ASSERT_EQ(http.status, 200) << http.body;
  EXPECT_NE(http.body.find("Api Partner"), std::string::npos);
  EXPECT_EQ(http.body.find(key.substr(4)), std::string::npos);
  EXPECT_EQ(http.body.find(key_hash), std::string::npos);

  // Revoked: the very next call with the key is refused, over gRPC and through the gateway.
  v1::RevokePartnerRequest revoke;
  revoke.set_partner_id(partner_id);
  v1::Partner revoked;
  auto revoke_context = Context(AdminToken());
  status = stack_.Identity()->RevokePartner(revoke_context.get(), revoke, &revoked);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(revoked.revoked());
  EXPECT_EQ(revoked.partner_id(), partner_id);
  EXPECT_EQ(Intake(key, "key.user.two@example.org", &inquiry).error_code(),
            StatusCode::UNAUTHENTICATED);
  http = HttpRequest("POST", stack_.gateway_url() + "/v1/inquiries",
                     R"({"fullName":"Key User","email":"key.user.three@example.org",)"
                     R"("contactConsent":true,"privacyPolicyVersion":"2026-01"})",
                     {"Content-Type: application/json", "Authorization: Bearer " + key});
  EXPECT_EQ(http.status, 401) << http.body;
  EXPECT_EQ(AuditActor("partner.revoked", "partner:" + partner_id), "user:" + admin_id_);

  // Revoking again is NOT_FOUND; the revoked partner is listed after the active ones, and its
  // name is free again.
  auto again_context = Context(AdminToken());
  EXPECT_EQ(stack_.Identity()->RevokePartner(again_context.get(), revoke, &revoked).error_code(),
            StatusCode::NOT_FOUND);
  auto relist_context = Context(AdminToken());
  ASSERT_TRUE(stack_.Identity()
                  ->ListPartners(relist_context.get(), v1::ListPartnersRequest(), &partners)
                  .ok());
  bool seen_revoked = false;
  bool found = false;
  for (const v1::Partner& p : partners.partners()) {
    if (p.revoked()) seen_revoked = true;
    EXPECT_FALSE(seen_revoked && !p.revoked()) << "active partner after a revoked one";
    if (p.partner_id() == partner_id) found = p.revoked();
  }
  EXPECT_TRUE(found);
  v1::CreatePartnerResponse successor;
  ASSERT_TRUE(CreatePartner("Api Partner", {"inquiries:write"}, &successor).ok());
  EXPECT_NE(successor.api_key(), key);
  EXPECT_TRUE(Intake(successor.api_key(), "key.user.four@example.org", &inquiry).ok());
}

}  // namespace
}  // namespace carebridge::testing
