// The Redis side of identity: sessions (with expiry), the partner-key mirror, and login-failure
// counters. Layout in services/common/credentials.h; Authenticator reads what this writes.
//
// PostgreSQL (identity.partners) is the source of truth for partner keys; MirrorAll() rewrites the
// Redis mirror from it (at start-up of carebridge-inquiries, and after every carebridge-admin
// change), so a Redis that lost its data heals on the next start. Errors: UNAVAILABLE when Redis
// cannot be reached. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/redis_client.h"
#include "services/identity/identity_store.h"

namespace carebridge::identity {

class CredentialRegistry {
 public:
  explicit CredentialRegistry(RedisClient& redis) : redis_(redis) {}

  // Stores a session for `user` that expires after `ttl`; returns the new bearer token.
  absl::StatusOr<std::string> CreateSession(const UserRecord& user, absl::Duration ttl);
  // Deletes one session (by token hash).
  absl::Status DeleteSession(const std::string& token_hash, const std::string& user_id);
  // Deletes every session of a user (disabled account, reset password).
  absl::Status EndUserSessions(const std::string& user_id);

  // Adds or removes one partner key in the mirror.
  absl::Status MirrorPartnerKey(const PartnerKeyRecord& partner);
  // Rewrites the mirror for every partner of `partners` (revoked ones are removed).
  absl::Status MirrorAll(const std::vector<PartnerKeyRecord>& partners);

  // Login failures of an account (by normalized email), counted in a window of `window`.
  absl::StatusOr<long long> LoginFailures(const std::string& email_normalized);
  absl::StatusOr<long long> RecordLoginFailure(const std::string& email_normalized,
                                               absl::Duration window);
  absl::Status ClearLoginFailures(const std::string& email_normalized);
  // Seconds until the failure window of the account ends (0 when none).
  long long LockoutSecondsLeft(const std::string& email_normalized);

 private:
  RedisClient& redis_;
};

}  // namespace carebridge::identity
