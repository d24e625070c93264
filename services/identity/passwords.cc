#include "services/identity/passwords.h"

#include <sodium.h>

#include "services/common/errors.h"

namespace carebridge::identity {

absl::Status CheckPasswordPolicy(std::string_view password) {
  if (password.size() < 12 || password.size() > 256) {
    return InvalidFields({{"password", "Must be 12 to 256 characters."}});
  }
  return absl::OkStatus();
}

std::string GeneratePassword() {
  unsigned char bytes[18];
  randombytes_buf(bytes, sizeof(bytes));
  char out[sodium_base64_ENCODED_LEN(sizeof(bytes), sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof(out), bytes, sizeof(bytes),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes, sizeof(bytes));
  return std::string(out);
}

absl::StatusOr<std::string> HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return absl::InternalError("password hashing failed");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& encoded_hash) {
  return crypto_pwhash_str_verify(encoded_hash.c_str(), password.data(), password.size()) == 0;
}

void VerifyDummyPassword(std::string_view password) {
  static const std::string* dummy = [] {
    auto hash = HashPassword("dummy-password-for-timing");
    return new std::string(hash.ok() ? *hash : "");
  }();
  (void)VerifyPassword(password, *dummy);
}

}  // namespace carebridge::identity
