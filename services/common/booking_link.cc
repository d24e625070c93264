#include "services/common/booking_link.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/absl_compat.h"
#include "services/common/credentials.h"

namespace carebridge {
namespace {

constexpr std::string_view kVersion = "b1";
constexpr std::string_view kContext = "carebridge-booking-link\n";

std::string Mac(std::string_view secret, std::string_view signed_part) {
  return HmacSha256Hex(secret, absl::StrCat(ToAbsl(kContext), ToAbsl(signed_part)));
}

// Case ids are UUIDs: hex digits and dashes only, so the id cannot smuggle a separator.
bool IsCaseId(std::string_view id) {
  if (id.size() != 36) return false;
  for (char c : id) {
    if (!(c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::string IssueBookingLinkToken(std::string_view secret, std::string_view case_id,
                                  absl::Time expires_at) {
  const std::string signed_part =
      absl::StrCat(ToAbsl(kVersion), ".", ToAbsl(case_id), ".", absl::ToUnixSeconds(expires_at));
  return absl::StrCat(signed_part, ".", Mac(secret, signed_part));
}

absl::StatusOr<std::string> VerifyBookingLinkToken(std::string_view secret, std::string_view token,
                                                   absl::Time now) {
  const absl::Status refused = absl::UnauthenticatedError(
      "the booking link is invalid or has expired; ask your coordinator for a new one");
  if (secret.empty() || token.size() > 200) return refused;
  const std::vector<std::string> parts = absl::StrSplit(ToAbsl(token), '.');
  if (parts.size() != 4 || parts[0] != kVersion || !IsCaseId(parts[1])) return refused;
  int64_t expiry = 0;
  if (!absl::SimpleAtoi(parts[2], &expiry)) return refused;
  const std::string signed_part = absl::StrCat(parts[0], ".", parts[1], ".", parts[2]);
  if (!ConstantTimeEquals(Mac(secret, signed_part), parts[3])) return refused;
  if (absl::FromUnixSeconds(expiry) <= now) return refused;
  return parts[1];
}

}  // namespace carebridge
