// Credentials shared by every service and the gateway: how bearer tokens and API keys are made,
// hashed and looked up, and the CSRF token bound to a session.
//
// Secrets are never stored or used as keys in clear: sessions and API keys are found in Redis under
// the hex SHA-256 of the secret (a lookup by hash, so no secret is ever compared byte by byte), and
// the identity schema stores only that hash. Tokens are 32 random bytes (256 bits), so a plain
// SHA-256 is enough; passwords, which are low-entropy, use Argon2id instead (services/identity).
//
// Redis layout (written by services/identity, read by Authenticator):
//   carebridge:session:<sha256(token)>  HASH user_id, role, lead; expires with the session
//   carebridge:user_sessions:<user_id>  SET of the session hashes of a user (to end them all)
//   carebridge:apikey:<sha256(key)>     HASH partner_id, scopes (comma-separated)
// Thread-safe (pure functions). Call sodium_init() before use (main() or the first caller).
#pragma once

#include <string>
#include <string_view>

namespace carebridge {

// A new secret: 32 random bytes, hex-encoded, with `prefix` (e.g. "cbs_" for sessions, "cbk_" for
// partner keys) so a leaked secret can be recognized.
std::string NewSecret(std::string_view prefix);

// Hex SHA-256 of `secret`.
std::string SecretHash(std::string_view secret);

// Hex HMAC-SHA256 of `message` under `key` (webhook signatures, booking links).
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// The CSRF token of a session: hex SHA-256("carebridge-csrf\n" + token). A page cannot compute it
// without the (HttpOnly) session token, so a matching X-CSRF-Token header proves same-origin.
std::string CsrfTokenFor(std::string_view session_token);

// True when `a` and `b` are equal, in time independent of where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Redis keys.
std::string SessionKey(std::string_view token_hash);
std::string UserSessionsKey(std::string_view user_id);
std::string ApiKeyKey(std::string_view key_hash);

// The bearer credential in an `authorization` value ("Bearer <x>", scheme in any case), or "".
std::string BearerCredential(std::string_view authorization);

}  // namespace carebridge
