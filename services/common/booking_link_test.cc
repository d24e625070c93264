#include "services/common/booking_link.h"

#include <sodium.h>

#include <gtest/gtest.h>

namespace carebridge {
namespace {

constexpr char kSecret[] = "test-booking-secret";
constexpr char kCase[] = "0b7c8f7e-3d1a-4c55-9a8e-2f1d3c4b5a69";
const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

class BookingLinkTest : public ::testing::Test {
 protected:
  BookingLinkTest() { EXPECT_GE(sodium_init(), 0); }
};

TEST_F(BookingLinkTest, AValidTokenGrantsItsCase) {
  const std::string token = IssueBookingLinkToken(kSecret, kCase, kNow + absl::Hours(1));
  auto granted = VerifyBookingLinkToken(kSecret, token, kNow);
  ASSERT_TRUE(granted.ok()) << granted.status();
  EXPECT_EQ(*granted, kCase);
}

TEST_F(BookingLinkTest, AnExpiredTokenIsRefused) {
  const std::string token = IssueBookingLinkToken(kSecret, kCase, kNow);
  EXPECT_EQ(VerifyBookingLinkToken(kSecret, token, kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(VerifyBookingLinkToken(kSecret, token, kNow - absl::Seconds(1)).ok());
}

TEST_F(BookingLinkTest, ATamperedTokenIsRefused) {
  const std::string token = IssueBookingLinkToken(kSecret, kCase, kNow + absl::Hours(1));
  // Another case id under the same MAC.
  std::string other_case = token;
  other_case[3] = other_case[3] == '1' ? '2' : '1';
  EXPECT_FALSE(VerifyBookingLinkToken(kSecret, other_case, kNow).ok());
  // A later expiry under the same MAC.
  std::string later = IssueBookingLinkToken(kSecret, kCase, kNow + absl::Hours(1));
  const size_t dot = later.rfind('.');
  const std::string extended = IssueBookingLinkToken(kSecret, kCase, kNow + absl::Hours(999));
  EXPECT_FALSE(VerifyBookingLinkToken(
                   kSecret, extended.substr(0, extended.rfind('.')) + later.substr(dot), kNow)
                   .ok());
  // A flipped MAC digit, another secret, garbage.
  std::string flipped = token;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_FALSE(VerifyBookingLinkToken(kSecret, flipped, kNow).ok());
  EXPECT_FALSE(VerifyBookingLinkToken("another-secret", token, kNow).ok());
  EXPECT_FALSE(VerifyBookingLinkToken(kSecret, "b1.x.y.z", kNow).ok());
  EXPECT_FALSE(VerifyBookingLinkToken(kSecret, "", kNow).ok());
  EXPECT_FALSE(VerifyBookingLinkToken("", token, kNow).ok());
}

}  // namespace
}  // namespace carebridge
