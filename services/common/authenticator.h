// Turns the credentials of a call into a Principal, and authorizes the call against the permission
// table (principal.h). Shared by every service: sessions and partner keys are verified locally
// against Redis (see credentials.h for the layout), so no service reads another's tables and no
// extra RPC is made per call.
//
// `authorization: Bearer <x>` where x is:
//   - the internal token (CAREBRIDGE_INTERNAL_TOKEN) -> kInternal (the suite's own services);
//   - a session token -> kUser (until the session expires or is deleted);
//   - a partner API key -> kPartner (until revoked).
// No authorization metadata -> kAnonymous. Any other value -> UNAUTHENTICATED (a stale or wrong
// credential is never treated as anonymous). Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "services/common/principal.h"
#include "services/common/redis_client.h"

namespace carebridge {

struct AuthenticatorConfig {
  // The token the suite's own services present for internal RPCs. Empty: internal RPCs are open to
  // anonymous callers (development only; the service logs a warning at start-up).
  std::string internal_token;
};

class Authenticator {
 public:
  // `redis` is not owned and must outlive the authenticator.
  Authenticator(RedisClient* redis, AuthenticatorConfig config)
      : redis_(redis), config_(std::move(config)) {}

  // The principal of an `authorization` value ("" when absent). Errors: UNAUTHENTICATED for an
  // unknown, expired or malformed credential; UNAVAILABLE when Redis cannot be reached.
  absl::StatusOr<Principal> Authenticate(std::string_view authorization) const;

  // Authenticates the call and checks the permission of `grpc_path`
  // ("/carebridge.v1.Inquiries/ListCases"). Errors as Authenticate and CheckPermission.
  absl::StatusOr<Principal> Authorize(const grpc::ServerContext& context,
                                      std::string_view grpc_path) const;

  bool internal_open() const { return config_.internal_token.empty(); }

 private:
  RedisClient* redis_;
  const AuthenticatorConfig config_;
};

}  // namespace carebridge
