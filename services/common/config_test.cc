#include "services/common/config.h"

#include <cstdlib>

#include <gtest/gtest.h>

namespace carebridge {
namespace {

TEST(ConfigTest, FallsBackWhenUnsetOrEmpty) {
  unsetenv("CB_TEST_UNSET");
  EXPECT_EQ(EnvString("CB_TEST_UNSET", "dflt"), "dflt");
  setenv("CB_TEST_EMPTY", "", 1);
  EXPECT_EQ(EnvString("CB_TEST_EMPTY", "dflt"), "dflt");
  EXPECT_EQ(*EnvInt("CB_TEST_UNSET", 7, 0, 10), 7);
}

TEST(ConfigTest, RejectsMalformedAndOutOfRangeIntegersNamingTheVariable) {
  setenv("CB_TEST_INT", "12x", 1);
  auto bad = EnvInt("CB_TEST_INT", 1, 0, 100);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("CB_TEST_INT"), std::string::npos);
  setenv("CB_TEST_INT", "101", 1);
  EXPECT_FALSE(EnvInt("CB_TEST_INT", 1, 0, 100).ok());
  setenv("CB_TEST_INT", "42", 1);
  EXPECT_EQ(*EnvInt("CB_TEST_INT", 1, 0, 100), 42);
}

TEST(ConfigTest, ParsesBooleans) {
  setenv("CB_TEST_BOOL", "yes", 1);
  EXPECT_TRUE(*EnvBool("CB_TEST_BOOL", false));
  setenv("CB_TEST_BOOL", "off", 1);
  EXPECT_FALSE(*EnvBool("CB_TEST_BOOL", true));
  setenv("CB_TEST_BOOL", "maybe", 1);
  EXPECT_FALSE(EnvBool("CB_TEST_BOOL", true).ok());
}

}  // namespace
}  // namespace carebridge

TEST(MigrateOnlyFlagTest, NoneOrMigrateOnlyAndNothingElse) {
  char program[] = "carebridge-test";
  char migrate[] = "--migrate-only";
  char other[] = "--migrate";
  char* none_argv[] = {program, nullptr};
  char* migrate_argv[] = {program, migrate, nullptr};
  char* other_argv[] = {program, other, nullptr};
  char* twice_argv[] = {program, migrate, migrate, nullptr};
  EXPECT_FALSE(carebridge::MigrateOnlyFlag("carebridge-test", 1, none_argv));
  EXPECT_TRUE(carebridge::MigrateOnlyFlag("carebridge-test", 2, migrate_argv));
  EXPECT_EXIT(carebridge::MigrateOnlyFlag("carebridge-test", 2, other_argv),
              ::testing::ExitedWithCode(2), "usage: carebridge-test \\[--migrate-only\\]");
  EXPECT_EXIT(carebridge::MigrateOnlyFlag("carebridge-test", 3, twice_argv),
              ::testing::ExitedWithCode(2), "usage");
}
