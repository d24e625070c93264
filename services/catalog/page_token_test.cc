#include "services/catalog/page_token.h"

#include <gtest/gtest.h>

#include "services/common/errors.h"

namespace carebridge::catalog {
namespace {

constexpr char kId[] = "c1000000-0000-4000-8000-000000000001";

void ExpectBadToken(const absl::StatusOr<Keyset>& result) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  const auto violations = FieldViolationsOf(result.status());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "page_token");
}

TEST(PageTokenTest, RoundTrips) {
  const std::string token = EncodePageToken({"Hoshizora Clinic", kId}, 42);
  auto keyset = DecodePageToken(token, 42);
  ASSERT_TRUE(keyset.ok()) << keyset.status();
  EXPECT_EQ(keyset->after_name, "Hoshizora Clinic");
  EXPECT_EQ(keyset->after_id, kId);
  EXPECT_TRUE(DecodePageToken("", 42)->at_start());
}

TEST(PageTokenTest, RefusesTokensOfOtherFilters) {
  ExpectBadToken(DecodePageToken(EncodePageToken({"A", kId}, 42), 43));
}

TEST(PageTokenTest, RefusesGarbage) {
  ExpectBadToken(DecodePageToken("not base64!", 42));
  ExpectBadToken(DecodePageToken("AAAA", 42));
  ExpectBadToken(DecodePageToken(EncodePageToken({"A", "not-a-uuid"}, 42), 42));
  ExpectBadToken(DecodePageToken(EncodePageToken({"", kId}, 42), 42));
  ExpectBadToken(DecodePageToken(std::string(5000, 'A'), 42));
}

TEST(PageTokenTest, StableHashIsStable) {
  EXPECT_EQ(StableHash(""), 14695981039346656037ull);
  EXPECT_EQ(StableHash("a"), 0xaf63dc4c8601ec8cull);
}

}  // namespace
}  // namespace carebridge::catalog
