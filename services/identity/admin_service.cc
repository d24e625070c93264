#include "services/identity/admin_service.h"

#include <algorithm>
#include <set>

#include <google/protobuf/util/time_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/absl_compat.h"
#include "services/common/credentials.h"
#include "services/common/errors.h"
#include "services/common/ids.h"
#include "services/common/logging.h"
#include "services/identity/passwords.h"
#include "services/identity/session_service.h"

namespace carebridge::identity {
namespace {

using carebridge::v1::CreatePartnerRequest;
using carebridge::v1::CreatePartnerResponse;
using carebridge::v1::CreateUserRequest;
using carebridge::v1::CreateUserResponse;

constexpr size_t kMaxLanguages = 20;
constexpr size_t kMaxPartnerName = 200;

// The scopes a partner key may carry (as carebridge-admin partner create).
const std::set<std::string>& KnownScopes() {
  static const auto* scopes =
      new std::set<std::string>{"inquiries:write", "cases:read", "catalog:read"};
  return *scopes;
}

// A plausible account address: one '@', a local part, a dotted domain, no spaces or controls.
bool IsAccountEmail(std::string_view email) {
  if (email.size() < 5 || email.size() > 254) return false;
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 ||
      email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = email.substr(at + 1);
  const size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == domain.size() ||
      domain.front() == '.' || domain.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : email) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  }
  return true;
}

// The lowercase primary subtag of a BCP 47 tag ("pt-BR" -> "pt"), or "" when it is not 2..8
// letters (as carebridge-admin --language).
std::string PrimaryLanguage(std::string_view tag) {
  std::string primary = absl::AsciiStrToLower(ToAbsl(tag.substr(0, tag.find('-'))));
  if (primary.size() < 2 || primary.size() > 8) return "";
  for (char c : primary) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) return "";
  }
  return primary;
}

bool HasControlCharacters(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < ' ' || c == 0x7f) return true;
  }
  return false;
}

AuditContext AuditOf(const Principal& principal, const std::string& request_id) {
  return {principal.Actor(), request_id};
}

}  // namespace

carebridge::v1::Partner PartnerProto(const PartnerKeyRecord& partner) {
  carebridge::v1::Partner out;
  out.set_partner_id(partner.id);
  out.set_name(partner.name);
  for (const std::string& scope : partner.scopes) out.add_scopes(scope);
  out.set_revoked(partner.revoked);
  out.set_has_webhook(partner.has_webhook);
  *out.mutable_created_at() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(partner.created_at));
  return out;
}

absl::StatusOr<carebridge::v1::ListUsersResponse> AdminService::ListUsers() {
  absl::StatusOr<std::vector<UserRecord>> users = store_.ListUsers();
  if (!users.ok()) return users.status();
  carebridge::v1::ListUsersResponse out;
  for (const UserRecord& user : *users) *out.add_users() = UserProto(user);
  return out;
}

absl::StatusOr<CreateUserResponse> AdminService::CreateUser(const Principal& principal,
                                                            const CreateUserRequest& request,
                                                            const std::string& request_id) {
  std::vector<FieldViolation> violations;
  const std::string email(absl::StripAsciiWhitespace(request.email()));
  if (!IsAccountEmail(email)) {
    violations.push_back({"email", "Must be an email address such as name@example.com."});
  }
  if (request.role() != "coordinator" && request.role() != "admin") {
    violations.push_back({"role", "Must be coordinator or admin."});
  }
  UserRecord user;
  user.email = email;
  user.role = request.role();
  user.lead = request.lead();
  if (request.languages_size() > static_cast<int>(kMaxLanguages)) {
    violations.push_back({"languages", "At most 20 languages."});
  } else {
    for (const std::string& tag : request.languages()) {
      const std::string primary = PrimaryLanguage(tag);
      if (primary.empty()) {
        violations.push_back({"languages", "Must be BCP 47 language tags such as ja or en."});
        break;
      }
      if (std::find(user.languages.begin(), user.languages.end(), primary) ==
          user.languages.end()) {
        user.languages.push_back(primary);
      }
    }
  }
  const bool generated = request.password().empty();
  const std::string password = generated ? GeneratePassword() : request.password();
  if (!generated) {
    for (const FieldViolation& v : FieldViolationsOf(CheckPasswordPolicy(password))) {
      violations.push_back(v);
    }
  }
  if (!violations.empty()) return InvalidFields(violations);

  absl::StatusOr<std::string> hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  user.password_hash = *std::move(hash);
  absl::StatusOr<std::string> id = store_.CreateUser(user, AuditOf(principal, request_id));
  if (id.status().code() == absl::StatusCode::kAlreadyExists) {
    return WithFieldViolations(id.status(), {{"email", "A user with this email exists."}});
  }
  if (!id.ok()) return id.status();
  absl::StatusOr<std::optional<UserRecord>> stored = store_.FindUserById(*id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return Internal();
  LogInfo("user_created", {{"user_id", *id},
                           {"role", user.role},
                           {"actor", principal.Actor()},
                           {"request_id", request_id}});
  CreateUserResponse out;
  *out.mutable_user() = UserProto(**stored);
  if (generated) out.set_initial_password(password);
  return out;
}

absl::StatusOr<carebridge::v1::User> AdminService::SetUserActive(
    const Principal& principal, const carebridge::v1::SetUserActiveRequest& request,
    const std::string& request_id) {
  if (!IsUuid(request.user_id())) {
    return InvalidFields({{"user_id", "Must be a user id (a UUID)."}});
  }
  if (!request.active() && principal.IsUser() &&
      absl::AsciiStrToLower(request.user_id()) == absl::AsciiStrToLower(principal.id)) {
    return absl::FailedPreconditionError("an admin cannot deactivate themself");
  }
  absl::StatusOr<UserRecord> user =
      store_.SetUserActiveById(request.user_id(), request.active(), AuditOf(principal, request_id));
  if (!user.ok()) return user.status();
  // As carebridge-admin user disable: the stored flag refuses new logins, and every session of
  // the user ends now (a failure here is reported; repeating the call ends them).
  if (!request.active()) {
    if (absl::Status s = registry_.EndUserSessions(user->id); !s.ok()) return s;
  }
  LogInfo(request.active() ? "user_enabled" : "user_disabled",
          {{"user_id", user->id}, {"actor", principal.Actor()}, {"request_id", request_id}});
  return UserProto(*user);
}

absl::StatusOr<carebridge::v1::ListPartnersResponse> AdminService::ListPartners() {
  absl::StatusOr<std::vector<PartnerKeyRecord>> partners = store_.ListPartners();
  if (!partners.ok()) return partners.status();
  carebridge::v1::ListPartnersResponse out;
  for (const PartnerKeyRecord& partner : *partners) *out.add_partners() = PartnerProto(partner);
  return out;
}

absl::StatusOr<CreatePartnerResponse> AdminService::CreatePartner(
    const Principal& principal, const CreatePartnerRequest& request,
    const std::string& request_id) {
  std::vector<FieldViolation> violations;
  PartnerKeyRecord partner;
  partner.name = std::string(absl::StripAsciiWhitespace(request.name()));
  if (partner.name.empty() || partner.name.size() > kMaxPartnerName ||
      HasControlCharacters(partner.name)) {
    violations.push_back({"name", "Must be 1 to 200 characters."});
  }
  for (const std::string& scope : request.scopes()) {
    if (!KnownScopes().count(scope)) {
      violations.push_back(
          {"scopes", "Each scope must be one of inquiries:write, cases:read, catalog:read."});
      partner.scopes.clear();
      break;
    }
    if (std::find(partner.scopes.begin(), partner.scopes.end(), scope) == partner.scopes.end()) {
      partner.scopes.push_back(scope);
    }
  }
  if (request.scopes().empty()) violations.push_back({"scopes", "Give at least one scope."});
  if (!violations.empty()) return InvalidFields(violations);

  // The key exactly as carebridge-admin makes it: 256 random bits, shown once, stored hashed.
  const std::string key = NewSecret("cbk_");
  partner.key_hash = SecretHash(key);
  const AuditContext audit = AuditOf(principal, request_id);
  absl::StatusOr<std::string> id = store_.CreatePartner(partner, audit);
  if (id.status().code() == absl::StatusCode::kAlreadyExists) {
    return WithFieldViolations(id.status(), {{"name", "An active partner has this name."}});
  }
  if (!id.ok()) return id.status();
  partner.id = *id;
  if (absl::Status s = registry_.MirrorPartnerKey(partner); !s.ok()) {
    // The key was never shown: revoke the partner so its name is free for a retry.
    (void)store_.RevokePartnerById(partner.id, audit);
    return s;
  }
  absl::StatusOr<std::optional<PartnerKeyRecord>> stored = store_.FindPartnerById(partner.id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return Internal();
  LogInfo("partner_created",
          {{"partner_id", partner.id}, {"actor", principal.Actor()}, {"request_id", request_id}});
  CreatePartnerResponse out;
  *out.mutable_partner() = PartnerProto(**stored);
  out.set_api_key(key);
  return out;
}

absl::StatusOr<carebridge::v1::Partner> AdminService::RevokePartner(
    const Principal& principal, const carebridge::v1::RevokePartnerRequest& request,
    const std::string& request_id) {
  if (!IsUuid(request.partner_id())) {
    return InvalidFields({{"partner_id", "Must be a partner id (a UUID)."}});
  }
  absl::StatusOr<std::optional<PartnerKeyRecord>> found =
      store_.FindPartnerById(request.partner_id());
  if (!found.ok()) return found.status();
  if (!found->has_value()) return absl::NotFoundError("no such partner");
  PartnerKeyRecord partner = **found;
  partner.revoked = true;
  // The mirror first (MirrorPartnerKey of a revoked key deletes it): the key stops working now,
  // whatever happens next. For a partner already revoked this only makes sure of that.
  if (absl::Status s = registry_.MirrorPartnerKey(partner); !s.ok()) return s;
  if ((*found)->revoked) return absl::NotFoundError("this partner is already revoked");
  absl::StatusOr<PartnerKeyRecord> revoked =
      store_.RevokePartnerById(partner.id, AuditOf(principal, request_id));
  if (!revoked.ok()) return revoked.status();
  LogInfo("partner_revoked",
          {{"partner_id", partner.id}, {"actor", principal.Actor()}, {"request_id", request_id}});
  return PartnerProto(*revoked);
}

}  // namespace carebridge::identity
