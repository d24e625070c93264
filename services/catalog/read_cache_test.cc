#include "services/catalog/read_cache.h"

#include <gtest/gtest.h>

#include "carebridge/v1/catalog.pb.h"
#include "services/catalog/test_fixtures.h"

namespace carebridge::catalog {
namespace {

using testing::kNow;

std::shared_ptr<const carebridge::v1::Country> Country(const std::string& code) {
  auto country = std::make_shared<carebridge::v1::Country>();
  country->set_code(code);
  return country;
}

TEST(ReadCacheTest, HitsOnlyWithTheSameGenerationBeforeTheDeadline) {
  ReadCache cache(10);
  cache.Put("k", 7, kNow + absl::Seconds(10), Country("JP"));
  auto hit = cache.Get<carebridge::v1::Country>("k", 7, kNow);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->code(), "JP");
  EXPECT_EQ(cache.Get<carebridge::v1::Country>("k", 8, kNow), nullptr);  // newer generation
  EXPECT_EQ(cache.size(), 0u);  // and the stale entry is gone
  cache.Put("k", 8, kNow + absl::Seconds(10), Country("JP"));
  EXPECT_EQ(cache.Get<carebridge::v1::Country>("k", 8, kNow + absl::Seconds(10)), nullptr);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 2u);
}

TEST(ReadCacheTest, EvictsTheLeastRecentlyUsed) {
  ReadCache cache(2);
  const absl::Time later = kNow + absl::Seconds(10);
  cache.Put("a", 1, later, Country("A"));
  cache.Put("b", 1, later, Country("B"));
  ASSERT_NE(cache.Get<carebridge::v1::Country>("a", 1, kNow), nullptr);  // a is now recent
  cache.Put("c", 1, later, Country("C"));
  EXPECT_NE(cache.Get<carebridge::v1::Country>("a", 1, kNow), nullptr);
  EXPECT_EQ(cache.Get<carebridge::v1::Country>("b", 1, kNow), nullptr);
  EXPECT_NE(cache.Get<carebridge::v1::Country>("c", 1, kNow), nullptr);
  cache.Put("c", 2, later, Country("C2"));  // replacing keeps one entry per key
  EXPECT_EQ(cache.size(), 2u);
}

TEST(ReadCacheTest, ZeroEntriesDisablesIt) {
  ReadCache cache(0);
  cache.Put("a", 1, kNow + absl::Seconds(10), Country("A"));
  EXPECT_EQ(cache.Get<carebridge::v1::Country>("a", 1, kNow), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace carebridge::catalog
