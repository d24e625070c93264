// The SQL of the identity schema: users, partners and the audit log. Every statement is
// parameterized; every write records its audit row in the same transaction. Failures come back as
// PgPool reports them (UNAVAILABLE / INTERNAL, no server text). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/migrations.h"
#include "services/common/pg_pool.h"

namespace carebridge {
// The embedded migrations of the `identity` schema (generated from migrations/*.sql).
const std::vector<Migration>& IdentityMigrations();
}  // namespace carebridge

namespace carebridge::identity {

struct UserRecord {
  std::string id;
  std::string email;
  std::string password_hash;
  std::string role;  // "coordinator" or "admin"
  std::vector<std::string> languages;
  bool lead = false;
  bool active = true;
  absl::Time created_at;  // set when read from the store
};

struct PartnerKeyRecord {
  std::string id;
  std::string name;
  std::string key_hash;
  std::vector<std::string> scopes;
  bool revoked = false;
  // Set when read by ListPartners / FindPartnerById.
  bool has_webhook = false;
  absl::Time created_at;
};

// Who asked for an identity change, for the audit log.
struct AuditContext {
  std::string actor;       // "cli", "user:<id>", "anonymous"
  std::string request_id;  // may be empty
};

// Lowercased, trimmed email (the account key).
std::string NormalizeEmail(std::string_view email);

class IdentityStore {
 public:
  explicit IdentityStore(PgPool& pool) : pool_(pool) {}

  // The new user's id. ALREADY_EXISTS when the email is taken.
  absl::StatusOr<std::string> CreateUser(const UserRecord& user, const AuditContext& audit);
  // nullopt when no user has this email.
  absl::StatusOr<std::optional<UserRecord>> FindUserByEmail(std::string_view email);
  absl::StatusOr<std::optional<UserRecord>> FindUserById(const std::string& id);
  // Every user, active ones first, then by normalized email.
  absl::StatusOr<std::vector<UserRecord>> ListUsers();
  // The user's id. NOT_FOUND for an unknown email.
  absl::StatusOr<std::string> SetUserActive(std::string_view email, bool active,
                                            const AuditContext& audit);
  // The same by user id (a UUID, checked by the caller); returns the user as stored. NOT_FOUND for
  // an unknown id.
  absl::StatusOr<UserRecord> SetUserActiveById(const std::string& id, bool active,
                                               const AuditContext& audit);
  absl::StatusOr<std::string> SetPasswordHash(std::string_view email, const std::string& hash,
                                              const AuditContext& audit);

  // The new partner's id. ALREADY_EXISTS when an active partner has the name.
  absl::StatusOr<std::string> CreatePartner(const PartnerKeyRecord& partner,
                                            const AuditContext& audit);
  // The revoked partner (with its key hash). NOT_FOUND when no active partner has the name.
  absl::StatusOr<PartnerKeyRecord> RevokePartner(std::string_view name, const AuditContext& audit);
  // The same by partner id (a UUID, checked by the caller). NOT_FOUND for an unknown or already
  // revoked partner.
  absl::StatusOr<PartnerKeyRecord> RevokePartnerById(const std::string& id,
                                                     const AuditContext& audit);
  // nullopt for an unknown id (a UUID, checked by the caller); revoked partners included.
  absl::StatusOr<std::optional<PartnerKeyRecord>> FindPartnerById(const std::string& id);
  // Every partner (key hashes left empty), active ones first, then by name and creation.
  absl::StatusOr<std::vector<PartnerKeyRecord>> ListPartners();
  // Sets the webhook endpoint and signing secret of the active partner `name` (audited without
  // either value); returns its id. NOT_FOUND when no active partner has that name.
  absl::StatusOr<std::string> SetPartnerWebhook(std::string_view name, const std::string& url,
                                                const std::string& secret,
                                                const AuditContext& audit);
  // Every partner key, active and revoked (for the Redis mirror).
  absl::StatusOr<std::vector<PartnerKeyRecord>> ListPartnerKeys();

  // One audit row in its own transaction (for events without a write, e.g. logins).
  absl::Status Audit(const AuditContext& audit, std::string_view action, std::string_view target);

 private:
  PgPool& pool_;
};

}  // namespace carebridge::identity
