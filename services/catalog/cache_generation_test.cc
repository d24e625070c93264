#include "services/catalog/cache_generation.h"

#include <gtest/gtest.h>

#include "services/catalog/test_fixtures.h"

namespace carebridge::catalog {
namespace {

// A generation in memory, with a switch to simulate Redis being unreachable.
class FakeBackend final : public GenerationBackend {
 public:
  absl::StatusOr<int64_t> Read() override {
    ++reads;
    if (down) return absl::UnavailableError("down");
    return value;
  }
  absl::StatusOr<int64_t> Bump() override {
    if (down) return absl::UnavailableError("down");
    return ++value;
  }
  int64_t value = 0;
  int reads = 0;
  bool down = false;
};

class CacheGenerationTest : public ::testing::Test {
 protected:
  absl::Time now_ = testing::kNow;
  FakeBackend backend_;
};

TEST_F(CacheGenerationTest, ZeroMaxAgeReadsEveryTime) {
  CacheGeneration generation(backend_, absl::ZeroDuration(), [this] { return now_; });
  EXPECT_EQ(*generation.Current(), 0);
  backend_.value = 5;  // bumped by another replica, no message seen
  EXPECT_EQ(*generation.Current(), 5);
  EXPECT_EQ(backend_.reads, 2);
}

TEST_F(CacheGenerationTest, MaxAgeBoundsHowLongAMissedMessageGoesUnseen) {
  CacheGeneration generation(backend_, absl::Seconds(1), [this] { return now_; });
  EXPECT_EQ(*generation.Current(), 0);
  backend_.value = 5;  // the message was lost
  EXPECT_EQ(*generation.Current(), 0);
  now_ += absl::Seconds(1);
  EXPECT_EQ(*generation.Current(), 5);
}

TEST_F(CacheGenerationTest, MessageMakesTheNextReadCheck) {
  CacheGeneration generation(backend_, absl::Hours(1), [this] { return now_; });
  EXPECT_EQ(*generation.Current(), 0);
  backend_.value = 5;
  generation.Invalidate();
  EXPECT_EQ(*generation.Current(), 5);
  EXPECT_EQ(*generation.Current(), 5);
  EXPECT_EQ(backend_.reads, 2);
}

TEST_F(CacheGenerationTest, OwnBumpIsSeenAtOnce) {
  CacheGeneration generation(backend_, absl::Hours(1), [this] { return now_; });
  EXPECT_EQ(*generation.Current(), 0);
  ASSERT_TRUE(generation.Bump().ok());
  EXPECT_EQ(*generation.Current(), 1);
}

TEST_F(CacheGenerationTest, FailedBumpIsRetriedAndReadsBypassUntilThen) {
  CacheGeneration generation(backend_, absl::Hours(1), [this] { return now_; });
  EXPECT_EQ(*generation.Current(), 0);
  backend_.down = true;
  EXPECT_FALSE(generation.Bump().ok());
  EXPECT_FALSE(generation.Current().ok());
  backend_.down = false;
  generation.RetryPendingBump();
  EXPECT_EQ(backend_.value, 1);
  EXPECT_EQ(*generation.Current(), 1);
}

TEST_F(CacheGenerationTest, UnreachableBackendIsAnError) {
  CacheGeneration generation(backend_, absl::ZeroDuration(), [this] { return now_; });
  backend_.down = true;
  EXPECT_EQ(generation.Current().status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace carebridge::catalog
