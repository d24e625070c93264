#include "services/inquiries/intake_service.h"

#include <gtest/gtest.h>

namespace carebridge::inquiries {
namespace {

TEST(RequestHashTest, SameContentHashesAlikeAndAnyChangeDiffers) {
  carebridge::v1::Inquiry a;
  a.set_full_name("Aiko Tanaka");
  a.set_email("aiko@example.jp");
  a.set_mrs_score(3);
  carebridge::v1::Inquiry b = a;
  EXPECT_EQ(RequestHash(a), RequestHash(b));
  EXPECT_EQ(RequestHash(a).size(), 64u);
  b.set_mrs_score(4);
  EXPECT_NE(RequestHash(a), RequestHash(b));
  b = a;
  b.clear_mrs_score();  // absent differs from any value, including 0
  EXPECT_NE(RequestHash(a), RequestHash(b));
}

TEST(IdempotencyKeyTest, AcceptsPrintableAsciiUpTo255) {
  EXPECT_TRUE(IsAcceptableIdempotencyKey("3f2a-91c0_ok"));
  EXPECT_TRUE(IsAcceptableIdempotencyKey(std::string(255, 'k')));
  EXPECT_FALSE(IsAcceptableIdempotencyKey(std::string(256, 'k')));
  EXPECT_FALSE(IsAcceptableIdempotencyKey("has space"));
  EXPECT_FALSE(IsAcceptableIdempotencyKey("tab\there"));
}

}  // namespace
}  // namespace carebridge::inquiries
