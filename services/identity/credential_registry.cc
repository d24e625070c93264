#include "services/identity/credential_registry.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/credentials.h"
#include "services/common/errors.h"

namespace carebridge::identity {
namespace {

std::string FailureKey(const std::string& email_normalized) {
  // Hashed: the email itself never becomes a Redis key.
  return absl::StrCat("carebridge:login_failures:", SecretHash(email_normalized));
}

absl::Status AllOk(const absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>>& replies) {
  if (!replies.ok()) return Unavailable("session store");
  for (const auto& reply : *replies) {
    if (!reply.ok()) return Unavailable("session store");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> CredentialRegistry::CreateSession(const UserRecord& user,
                                                              absl::Duration ttl) {
  const std::string token = NewSecret("cbs_");
  const std::string hash = SecretHash(token);
  const std::string seconds = std::to_string(std::max<int64_t>(1, absl::ToInt64Seconds(ttl)));
  const std::string key = SessionKey(hash);
  absl::Status s = AllOk(redis_.Pipeline({
      {"HSET", key, "user_id", user.id, "role", user.role, "lead", user.lead ? "1" : "0"},
      {"EXPIRE", key, seconds},
      {"SADD", UserSessionsKey(user.id), hash},
  }));
  if (!s.ok()) return s;
  return token;
}

absl::Status CredentialRegistry::DeleteSession(const std::string& token_hash,
                                               const std::string& user_id) {
  return AllOk(redis_.Pipeline(
      {{"DEL", SessionKey(token_hash)}, {"SREM", UserSessionsKey(user_id), token_hash}}));
}

absl::Status CredentialRegistry::EndUserSessions(const std::string& user_id) {
  auto members = redis_.Command({"SMEMBERS", UserSessionsKey(user_id)});
  if (!members.ok()) return Unavailable("session store");
  std::vector<std::vector<std::string>> commands;
  for (const RedisValue& hash : members->elements)
    commands.push_back({"DEL", SessionKey(hash.str)});
  commands.push_back({"DEL", UserSessionsKey(user_id)});
  return AllOk(redis_.Pipeline(commands));
}

absl::Status CredentialRegistry::MirrorPartnerKey(const PartnerKeyRecord& partner) {
  const std::string key = ApiKeyKey(partner.key_hash);
  if (partner.revoked) return AllOk(redis_.Pipeline({{"DEL", key}}));
  return AllOk(redis_.Pipeline(
      {{"DEL", key},
       {"HSET", key, "partner_id", partner.id, "scopes", absl::StrJoin(partner.scopes, ",")}}));
}

absl::Status CredentialRegistry::MirrorAll(const std::vector<PartnerKeyRecord>& partners) {
  for (const PartnerKeyRecord& partner : partners) {
    if (absl::Status s = MirrorPartnerKey(partner); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<long long> CredentialRegistry::LoginFailures(const std::string& email_normalized) {
  auto reply = redis_.Command({"GET", FailureKey(email_normalized)});
  if (!reply.ok()) return Unavailable("session store");
  if (reply->type != RedisValue::Type::kString) return 0;
  return std::atoll(reply->str.c_str());
}

absl::StatusOr<long long> CredentialRegistry::RecordLoginFailure(
    const std::string& email_normalized, absl::Duration window) {
  const std::string key = FailureKey(email_normalized);
  auto replies = redis_.Pipeline(
      {{"INCR", key}, {"EXPIRE", key, std::to_string(absl::ToInt64Seconds(window)), "NX"}});
  if (absl::Status s = AllOk(replies); !s.ok()) return s;
  return (*replies)[0]->integer;
}

absl::Status CredentialRegistry::ClearLoginFailures(const std::string& email_normalized) {
  return AllOk(redis_.Pipeline({{"DEL", FailureKey(email_normalized)}}));
}

long long CredentialRegistry::LockoutSecondsLeft(const std::string& email_normalized) {
  auto reply = redis_.Command({"TTL", FailureKey(email_normalized)});
  if (!reply.ok() || reply->integer < 0) return 0;
  return reply->integer;
}

}  // namespace carebridge::identity
