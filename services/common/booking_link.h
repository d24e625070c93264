// The patient's self-booking link token: proves "the holder may book for case C until T".
//
// Issued by the follow-ups worker into the acknowledgement email and verified by the Scheduling
// service; both hold the same secret (CAREBRIDGE_BOOKING_LINK_SECRET), so verifying needs no
// database or RPC. Format: "b1.<case id>.<expiry, unix seconds>.<hex HMAC-SHA256>", the MAC over
// "carebridge-booking-link\nb1.<case id>.<expiry>". The case id is a UUID, not personal data.
// Pure functions, thread-safe; call sodium_init() first.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace carebridge {

// A token for `case_id` valid until `expires_at`. `secret` must not be empty.
std::string IssueBookingLinkToken(std::string_view secret, std::string_view case_id,
                                  absl::Time expires_at);

// The case id the token grants, when its MAC verifies and it has not expired at `now`.
// Errors: UNAUTHENTICATED for a malformed, tampered or expired token (one message for all, so a
// forger learns nothing), or when `secret` is empty (links disabled).
absl::StatusOr<std::string> VerifyBookingLinkToken(std::string_view secret, std::string_view token,
                                                   absl::Time now);

}  // namespace carebridge
