// Logins and logouts of coordinators and admins (the domain behind the Identity RPCs).
//
// Login: the account's failure counter is checked first (after `max_failures` failures within
// `lockout_window` every attempt is refused with RESOURCE_EXHAUSTED until the window ends, right
// password or not); the password is verified with Argon2id (a dummy verification for unknown
// emails, so timing reveals nothing); a success clears the counter and stores a session in Redis
// that expires after `session_ttl`. Every login, failure and logout is audited (no email or
// password in the audit row or the logs: the user id when known). Thread-safe.
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "carebridge/v1/identity.pb.h"
#include "services/common/principal.h"
#include "services/identity/credential_registry.h"
#include "services/identity/identity_store.h"

namespace carebridge::identity {

struct SessionConfig {
  absl::Duration session_ttl = absl::Hours(12);
  int max_failures = 5;
  absl::Duration lockout_window = absl::Minutes(15);
};

class SessionService {
 public:
  SessionService(IdentityStore& store, CredentialRegistry& registry, SessionConfig config,
                 std::function<absl::Time()> clock)
      : store_(store), registry_(registry), config_(config), clock_(std::move(clock)) {}

  // Errors: see Identity.CreateSession in identity.proto.
  absl::StatusOr<carebridge::v1::Session> Login(const carebridge::v1::CreateSessionRequest& request,
                                                const std::string& request_id);

  // Ends the session of `principal` (a user). Errors: UNAVAILABLE.
  absl::Status Logout(const Principal& principal, const std::string& request_id);

  // The user of `principal`. NOT_FOUND when the account is gone.
  absl::StatusOr<carebridge::v1::User> CurrentUser(const Principal& principal);

 private:
  IdentityStore& store_;
  CredentialRegistry& registry_;
  const SessionConfig config_;
  std::function<absl::Time()> clock_;
};

// A user as the API shows it (never its password hash).
carebridge::v1::User UserProto(const UserRecord& user);

}  // namespace carebridge::identity
