// Account and partner management for the dashboard's admin pages (the domain behind the Identity
// admin RPCs). It does what carebridge-admin does, through the same IdentityStore and
// CredentialRegistry calls: every change is audited with the caller as actor ("user:<id>") in the
// transaction of the change; a deactivated user's sessions end at once (and Login refuses them);
// a new partner key is mirrored into Redis before it is returned, and a revoked one is removed from
// the mirror before the revocation is stored, so it stops working at once even if the database
// write then fails (a retry finishes it).
//
// Secrets: a generated password and a new API key are returned once and never logged or stored in
// clear (Argon2id hash, SHA-256). Logs carry ids only. Errors: see the Identity admin RPCs in
// identity.proto (INVALID_ARGUMENT with google.rpc.BadRequest naming the field). Thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "carebridge/v1/identity.pb.h"
#include "services/common/principal.h"
#include "services/identity/credential_registry.h"
#include "services/identity/identity_store.h"

namespace carebridge::identity {

class AdminService {
 public:
  AdminService(IdentityStore& store, CredentialRegistry& registry)
      : store_(store), registry_(registry) {}

  absl::StatusOr<carebridge::v1::ListUsersResponse> ListUsers();

  absl::StatusOr<carebridge::v1::CreateUserResponse> CreateUser(
      const Principal& principal, const carebridge::v1::CreateUserRequest& request,
      const std::string& request_id);

  absl::StatusOr<carebridge::v1::User> SetUserActive(
      const Principal& principal, const carebridge::v1::SetUserActiveRequest& request,
      const std::string& request_id);

  absl::StatusOr<carebridge::v1::ListPartnersResponse> ListPartners();

  absl::StatusOr<carebridge::v1::CreatePartnerResponse> CreatePartner(
      const Principal& principal, const carebridge::v1::CreatePartnerRequest& request,
      const std::string& request_id);

  absl::StatusOr<carebridge::v1::Partner> RevokePartner(
      const Principal& principal, const carebridge::v1::RevokePartnerRequest& request,
      const std::string& request_id);

 private:
  IdentityStore& store_;
  CredentialRegistry& registry_;
};

// A partner as the API shows it (never its key or key hash).
carebridge::v1::Partner PartnerProto(const PartnerKeyRecord& partner);

}  // namespace carebridge::identity
