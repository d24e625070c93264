#include "services/identity/session_service.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "services/common/credentials.h"
#include "services/common/errors.h"
#include "services/common/logging.h"
#include "services/identity/passwords.h"

namespace carebridge::identity {

carebridge::v1::User UserProto(const UserRecord& user) {
  carebridge::v1::User out;
  out.set_user_id(user.id);
  out.set_email(user.email);
  out.set_role(user.role);
  for (const std::string& language : user.languages) out.add_languages(language);
  out.set_lead(user.lead);
  out.set_active(user.active);
  if (user.created_at != absl::Time()) {
    *out.mutable_created_at() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
        absl::ToUnixMicros(user.created_at));
  }
  return out;
}

absl::StatusOr<carebridge::v1::Session> SessionService::Login(
    const carebridge::v1::CreateSessionRequest& request, const std::string& request_id) {
  std::vector<FieldViolation> violations;
  if (request.email().empty() || request.email().size() > 320) {
    violations.push_back({"email", "Enter your email address."});
  }
  if (request.password().empty() || request.password().size() > 256) {
    violations.push_back({"password", "Enter your password."});
  }
  if (!violations.empty()) return InvalidFields(violations);

  const std::string email = NormalizeEmail(request.email());
  absl::StatusOr<long long> failures = registry_.LoginFailures(email);
  if (!failures.ok()) return failures.status();
  if (*failures >= config_.max_failures) {
    LogWarning("login_locked_out", {{"request_id", request_id}});
    return absl::ResourceExhaustedError(absl::StrCat(
        "too many failed logins; retry in ", registry_.LockoutSecondsLeft(email), " seconds"));
  }

  absl::StatusOr<std::optional<UserRecord>> user = store_.FindUserByEmail(email);
  if (!user.ok()) return user.status();
  bool ok = false;
  if (user->has_value()) {
    ok = VerifyPassword(request.password(), (*user)->password_hash) && (*user)->active;
  } else {
    VerifyDummyPassword(request.password());
  }
  const AuditContext audit{"anonymous", request_id};
  if (!ok) {
    (void)registry_.RecordLoginFailure(email, config_.lockout_window);
    const std::string target = user->has_value() ? absl::StrCat("user:", (*user)->id) : "";
    (void)store_.Audit(audit, "session.refused", target);
    LogInfo("login_refused", {{"request_id", request_id}});
    return absl::UnauthenticatedError("wrong email or password");
  }
  const UserRecord& account = **user;
  (void)registry_.ClearLoginFailures(email);
  absl::StatusOr<std::string> token = registry_.CreateSession(account, config_.session_ttl);
  if (!token.ok()) return token.status();
  (void)store_.Audit({absl::StrCat("user:", account.id), request_id}, "session.created",
                     absl::StrCat("user:", account.id));
  LogInfo("login", {{"request_id", request_id}, {"user_id", account.id}});

  carebridge::v1::Session session;
  session.set_token(*token);
  session.set_csrf_token(CsrfTokenFor(*token));
  *session.mutable_expires_at() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
      absl::ToUnixSeconds(clock_() + config_.session_ttl));
  *session.mutable_user() = UserProto(account);
  return session;
}

absl::Status SessionService::Logout(const Principal& principal, const std::string& request_id) {
  if (absl::Status s = registry_.DeleteSession(principal.session_hash, principal.id); !s.ok()) {
    return s;
  }
  (void)store_.Audit({principal.Actor(), request_id}, "session.deleted", principal.Actor());
  LogInfo("logout", {{"request_id", request_id}, {"user_id", principal.id}});
  return absl::OkStatus();
}

absl::StatusOr<carebridge::v1::User> SessionService::CurrentUser(const Principal& principal) {
  absl::StatusOr<std::optional<UserRecord>> user = store_.FindUserById(principal.id);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return absl::NotFoundError("no such user");
  return UserProto(**user);
}

}  // namespace carebridge::identity
