#include "services/identity/identity_store.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/absl_compat.h"

namespace carebridge::identity {
namespace {

// $4, $5: one detail's name and value, or NULLs for none; PostgreSQL builds the JSON.
constexpr char kAuditSql[] =
    "INSERT INTO identity.audit_log (actor, action, target, details, request_id) "
    "VALUES ($1, $2, $3, CASE WHEN $4::text IS NULL THEN '{}'::jsonb "
    "  ELSE jsonb_build_object($4::text, $5::text) END, $6)";

constexpr char kUserColumns[] =
    "id, email, password_hash, role, array_to_string(languages, ','), lead, active, "
    "(extract(epoch FROM created_at) * 1000000)::bigint";

constexpr char kPartnerColumns[] =
    "id, name, key_hash, array_to_string(scopes, ','), revoked_at IS NOT NULL, "
    "webhook_url IS NOT NULL, (extract(epoch FROM created_at) * 1000000)::bigint";

const char* OrNull(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

// A text[] literal built from values that contain no commas, quotes or braces (language tags and
// scopes are validated before they get here); passed as a parameter, never spliced into SQL.
std::string ArrayParam(const std::vector<std::string>& values) {
  return absl::StrCat("{", absl::StrJoin(values, ","), "}");
}

std::vector<std::string> SplitList(const std::string& joined) {
  return absl::StrSplit(joined, ',', absl::SkipEmpty());
}

UserRecord UserFrom(const pqxx::row& row) {
  UserRecord user;
  user.id = row[0].as<std::string>();
  user.email = row[1].as<std::string>();
  user.password_hash = row[2].as<std::string>();
  user.role = row[3].as<std::string>();
  user.languages = SplitList(row[4].as<std::string>(""));
  user.lead = row[5].as<bool>();
  user.active = row[6].as<bool>();
  user.created_at = absl::FromUnixMicros(row[7].as<int64_t>());
  return user;
}

// A partner from a row of kPartnerColumns.
PartnerKeyRecord PartnerFrom(const pqxx::row& row) {
  PartnerKeyRecord partner;
  partner.id = row[0].as<std::string>();
  partner.name = row[1].as<std::string>();
  partner.key_hash = row[2].as<std::string>();
  partner.scopes = SplitList(row[3].as<std::string>(""));
  partner.revoked = row[4].as<bool>();
  partner.has_webhook = row[5].as<bool>();
  partner.created_at = absl::FromUnixMicros(row[6].as<int64_t>());
  return partner;
}

// Records `action` on `target` with an optional detail (`detail_name` empty: none).
void AuditIn(pqxx::work& tx, const AuditContext& audit, std::string_view action,
             const std::string& target, const std::string& detail_name = "",
             const std::string& detail_value = "") {
  tx.exec_params(kAuditSql, audit.actor, std::string(action), OrNull(target), OrNull(detail_name),
                 detail_value, OrNull(audit.request_id));
}

}  // namespace

std::string NormalizeEmail(std::string_view email) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(ToAbsl(email)));
}

absl::StatusOr<std::string> IdentityStore::CreateUser(const UserRecord& user,
                                                      const AuditContext& audit) {
  std::string id;
  bool taken = false;
  absl::Status status = pool_.InTransaction("create_user", [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_params(
        "INSERT INTO identity.users (email, email_normalized, password_hash, role, languages, "
        "lead) "
        "VALUES ($1, $2, $3, $4, $5::text[], $6) ON CONFLICT (email_normalized) DO NOTHING "
        "RETURNING id",
        std::string(absl::StripAsciiWhitespace(user.email)), NormalizeEmail(user.email),
        user.password_hash, user.role, ArrayParam(user.languages), user.lead);
    if (rows.empty()) {
      taken = true;
      return absl::OkStatus();
    }
    id = rows[0][0].as<std::string>();
    AuditIn(tx, audit, "user.created", absl::StrCat("user:", id), "role", user.role);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (taken) return absl::AlreadyExistsError("a user with this email exists");
  return id;
}

absl::StatusOr<std::optional<UserRecord>> IdentityStore::FindUserByEmail(std::string_view email) {
  std::optional<UserRecord> user;
  absl::Status status = pool_.InTransaction("find_user", [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_params(
        absl::StrCat("SELECT ", kUserColumns, " FROM identity.users WHERE email_normalized = $1"),
        NormalizeEmail(email));
    if (!rows.empty()) user = UserFrom(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return user;
}

absl::StatusOr<std::optional<UserRecord>> IdentityStore::FindUserById(const std::string& id) {
  std::optional<UserRecord> user;
  absl::Status status = pool_.InTransaction("find_user", [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_params(
        absl::StrCat("SELECT ", kUserColumns, " FROM identity.users WHERE id = $1::uuid"), id);
    if (!rows.empty()) user = UserFrom(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return user;
}

absl::StatusOr<std::vector<UserRecord>> IdentityStore::ListUsers() {
  std::vector<UserRecord> out;
  absl::Status status = pool_.InTransaction("list_users", [&](pqxx::work& tx) {
    out.clear();
    const pqxx::result rows =
        tx.exec(absl::StrCat("SELECT ", kUserColumns,
                             " FROM identity.users ORDER BY active DESC, email_normalized, id"));
    for (const pqxx::row& row : rows) out.push_back(UserFrom(row));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<UserRecord> IdentityStore::SetUserActiveById(const std::string& id, bool active,
                                                            const AuditContext& audit) {
  UserRecord user;
  absl::Status status = pool_.InTransaction("set_user_active", [&](pqxx::work& tx) {
    const pqxx::result rows =
        tx.exec_params(absl::StrCat("UPDATE identity.users SET active = $2, updated_at = now() "
                                    "WHERE id = $1::uuid RETURNING ",
                                    kUserColumns),
                       id, active);
    if (rows.empty()) return absl::NotFoundError("no such user");
    user = UserFrom(rows[0]);
    AuditIn(tx, audit, active ? "user.enabled" : "user.disabled", absl::StrCat("user:", user.id));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return user;
}

absl::StatusOr<std::string> IdentityStore::SetUserActive(std::string_view email, bool active,
                                                         const AuditContext& audit) {
  std::string id;
  absl::Status status = pool_.InTransaction("set_user_active", [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_params(
        "UPDATE identity.users SET active = $2, updated_at = now() WHERE email_normalized = $1 "
        "RETURNING id",
        NormalizeEmail(email), active);
    if (rows.empty()) return absl::NotFoundError("no such user");
    id = rows[0][0].as<std::string>();
    AuditIn(tx, audit, active ? "user.enabled" : "user.disabled", absl::StrCat("user:", id));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return id;
}

absl::StatusOr<std::string> IdentityStore::SetPasswordHash(std::string_view email,
                                                           const std::string& hash,
                                                           const AuditContext& audit) {
  std::string id;
  absl::Status status = pool_.InTransaction("set_password", [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_params(
        "UPDATE identity.users SET password_hash = $2, updated_at = now() "
        "WHERE email_normalized = $1 RETURNING id",
        NormalizeEmail(email), hash);
    if (rows.empty()) return absl::NotFoundError("no such user");
    id = rows[0][0].as<std::string>();
    AuditIn(tx, audit, "user.password_reset", absl::StrCat("user:", id));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return id;
}

absl::StatusOr<std::string> IdentityStore::CreatePartner(const PartnerKeyRecord& partner,
                                                         const AuditContext& audit) {
  std::string id;
  bool taken = false;
  absl::Status status = pool_.InTransaction("create_partner", [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_params(
        "INSERT INTO identity.partners (name, key_hash, scopes) VALUES ($1, $2, $3::text[]) "
        "ON CONFLICT DO NOTHING RETURNING id",
        partner.name, partner.key_hash, ArrayParam(partner.scopes));
    if (rows.empty()) {
      taken = true;
      return absl::OkStatus();
    }
    id = rows[0][0].as<std::string>();
    AuditIn(tx, audit, "partner.created", absl::StrCat("partner:", id), "scopes",
            absl::StrJoin(partner.scopes, ","));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (taken) return absl::AlreadyExistsError("an active partner with this name exists");
  return id;
}

absl::StatusOr<PartnerKeyRecord> IdentityStore::RevokePartner(std::string_view name,
                                                              const AuditContext& audit) {
  PartnerKeyRecord partner;
  absl::Status status = pool_.InTransaction("revoke_partner", [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_params(
        "UPDATE identity.partners SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL "
        "RETURNING id, key_hash",
        std::string(name));
    if (rows.empty()) return absl::NotFoundError("no active partner with this name");
    partner.id = rows[0][0].as<std::string>();
    partner.name = std::string(name);
    partner.key_hash = rows[0][1].as<std::string>();
    partner.revoked = true;
    AuditIn(tx, audit, "partner.revoked", absl::StrCat("partner:", partner.id));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return partner;
}

absl::StatusOr<PartnerKeyRecord> IdentityStore::RevokePartnerById(const std::string& id,
                                                                  const AuditContext& audit) {
  PartnerKeyRecord partner;
  absl::Status status = pool_.InTransaction("revoke_partner", [&](pqxx::work& tx) {
    const pqxx::result rows =
        tx.exec_params(absl::StrCat("UPDATE identity.partners SET revoked_at = now() "
                                    "WHERE id = $1::uuid AND revoked_at IS NULL RETURNING ",
                                    kPartnerColumns),
                       id);
    if (rows.empty()) return absl::NotFoundError("no active partner with this id");
    partner = PartnerFrom(rows[0]);
    AuditIn(tx, audit, "partner.revoked", absl::StrCat("partner:", partner.id));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return partner;
}

absl::StatusOr<std::optional<PartnerKeyRecord>> IdentityStore::FindPartnerById(
    const std::string& id) {
  std::optional<PartnerKeyRecord> partner;
  absl::Status status = pool_.InTransaction("find_partner", [&](pqxx::work& tx) {
    partner.reset();
    const pqxx::result rows = tx.exec_params(
        absl::StrCat("SELECT ", kPartnerColumns, " FROM identity.partners WHERE id = $1::uuid"),
        id);
    if (!rows.empty()) partner = PartnerFrom(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return partner;
}

absl::StatusOr<std::vector<PartnerKeyRecord>> IdentityStore::ListPartners() {
  std::vector<PartnerKeyRecord> out;
  absl::Status status = pool_.InTransaction("list_partners", [&](pqxx::work& tx) {
    out.clear();
    const pqxx::result rows =
        tx.exec(absl::StrCat("SELECT ", kPartnerColumns,
                             " FROM identity.partners "
                             "ORDER BY revoked_at IS NOT NULL, name, created_at, id"));
    for (const pqxx::row& row : rows) {
      out.push_back(PartnerFrom(row));
      out.back().key_hash.clear();  // never leaves the store through a listing
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::string> IdentityStore::SetPartnerWebhook(std::string_view name,
                                                             const std::string& url,
                                                             const std::string& secret,
                                                             const AuditContext& audit) {
  std::string id;
  absl::Status status = pool_.InTransaction("set_partner_webhook", [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_params(
        "UPDATE identity.partners SET webhook_url = $2, webhook_secret = $3 "
        "WHERE name = $1 AND revoked_at IS NULL RETURNING id",
        std::string(name), url, secret);
    if (rows.empty()) return absl::NotFoundError("no active partner with this name");
    id = rows[0][0].as<std::string>();
    AuditIn(tx, audit, "partner.webhook_set", absl::StrCat("partner:", id));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return id;
}

absl::StatusOr<std::vector<PartnerKeyRecord>> IdentityStore::ListPartnerKeys() {
  std::vector<PartnerKeyRecord> out;
  absl::Status status = pool_.InTransaction("list_partner_keys", [&](pqxx::work& tx) {
    out.clear();
    const pqxx::result rows =
        tx.exec(absl::StrCat("SELECT ", kPartnerColumns, " FROM identity.partners"));
    for (const pqxx::row& row : rows) out.push_back(PartnerFrom(row));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::Status IdentityStore::Audit(const AuditContext& audit, std::string_view action,
                                  std::string_view target) {
  return pool_.InTransaction("audit", [&](pqxx::work& tx) {
    AuditIn(tx, audit, action, std::string(target));
    return absl::OkStatus();
  });
}

}  // namespace carebridge::identity
