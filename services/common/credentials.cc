#include "services/common/credentials.h"

#include <sodium.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/absl_compat.h"

namespace carebridge {
namespace {

std::string Hex(const unsigned char* bytes, size_t size) {
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(bytes), size));
}

}  // namespace

std::string NewSecret(std::string_view prefix) {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof(bytes));
  return absl::StrCat(ToAbsl(prefix), Hex(bytes, sizeof(bytes)));
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
  return hex;
}

std::string SecretHash(std::string_view secret) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  return Hex(digest, sizeof(digest));
}

std::string CsrfTokenFor(std::string_view session_token) {
  return SecretHash(absl::StrCat("carebridge-csrf\n", ToAbsl(session_token)));
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string SessionKey(std::string_view token_hash) {
  return absl::StrCat("carebridge:session:", ToAbsl(token_hash));
}

std::string UserSessionsKey(std::string_view user_id) {
  return absl::StrCat("carebridge:user_sessions:", ToAbsl(user_id));
}

std::string ApiKeyKey(std::string_view key_hash) {
  return absl::StrCat("carebridge:apikey:", ToAbsl(key_hash));
}

std::string BearerCredential(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return "";
  const std::string scheme = absl::AsciiStrToLower(ToAbsl(authorization.substr(0, kScheme.size())));
  if (scheme != kScheme) return "";
  std::string credential(
      FromAbsl(absl::StripAsciiWhitespace(ToAbsl(authorization.substr(kScheme.size())))));
  return credential;
}

}  // namespace carebridge
