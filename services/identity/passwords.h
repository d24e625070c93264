// Password hashing with libsodium's Argon2id (crypto_pwhash_str, "interactive" limits: 2 passes,
// 64 MiB), and the password policy. Thread-safe; call sodium_init() first.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace carebridge::identity {

// OK when `password` is 12..256 bytes. INVALID_ARGUMENT (field "password") otherwise.
absl::Status CheckPasswordPolicy(std::string_view password);

// A new password for an account created without one: 18 bytes of libsodium randombytes as
// URL-safe base64 without padding (24 characters of [A-Za-z0-9_-], 144 bits).
std::string GeneratePassword();

// The encoded Argon2id hash (salt and parameters included). INTERNAL when out of memory.
absl::StatusOr<std::string> HashPassword(std::string_view password);

// True when `password` matches `encoded_hash`.
bool VerifyPassword(std::string_view password, const std::string& encoded_hash);

// Spends the time of one verification, for unknown users (so timing does not reveal accounts).
void VerifyDummyPassword(std::string_view password);

}  // namespace carebridge::identity
