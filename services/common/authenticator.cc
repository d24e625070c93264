#include "services/common/authenticator.h"

#include "absl/strings/str_split.h"
#include "services/common/credentials.h"
#include "services/common/errors.h"
#include "services/common/request_id.h"

namespace carebridge {
namespace {

absl::Status Unknown() { return absl::UnauthenticatedError("invalid or expired credentials"); }

// The fields of an HGETALL reply.
std::map<std::string, std::string> Fields(const RedisValue& reply) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    out[reply.elements[i].str] = reply.elements[i + 1].str;
  }
  return out;
}

}  // namespace

absl::StatusOr<Principal> Authenticator::Authenticate(std::string_view authorization) const {
  Principal principal;
  if (authorization.empty()) return principal;
  const std::string credential = BearerCredential(authorization);
  if (credential.empty() || credential.size() > 200) return Unknown();
  if (!config_.internal_token.empty() && ConstantTimeEquals(credential, config_.internal_token)) {
    principal.kind = Principal::Kind::kInternal;
    return principal;
  }
  const std::string hash = SecretHash(credential);
  const bool is_key = credential.rfind("cbk_", 0) == 0;
  auto reply = redis_->Command({"HGETALL", is_key ? ApiKeyKey(hash) : SessionKey(hash)});
  if (!reply.ok()) return Unavailable("authentication");
  auto fields = Fields(*reply);
  if (is_key) {
    if (fields["partner_id"].empty()) return Unknown();
    principal.kind = Principal::Kind::kPartner;
    principal.id = fields["partner_id"];
    for (absl::string_view scope : absl::StrSplit(fields["scopes"], ',', absl::SkipEmpty())) {
      principal.scopes.insert(std::string(scope));
    }
    return principal;
  }
  if (fields["user_id"].empty()) return Unknown();
  principal.kind = Principal::Kind::kUser;
  principal.id = fields["user_id"];
  principal.role = fields["role"];
  principal.lead = fields["lead"] == "1";
  principal.session_hash = hash;
  return principal;
}

absl::StatusOr<Principal> Authenticator::Authorize(const grpc::ServerContext& context,
                                                   std::string_view grpc_path) const {
  absl::StatusOr<Principal> principal = Authenticate(ClientMetadata(context, "authorization"));
  if (!principal.ok()) return principal.status();
  if (principal->kind == Principal::Kind::kAnonymous && internal_open() &&
      PermissionFor(grpc_path).access == Access::kInternal) {
    return principal;  // development mode: no internal token configured
  }
  if (absl::Status s = CheckPermission(*principal, grpc_path); !s.ok()) return s;
  return principal;
}

}  // namespace carebridge
