#include "services/common/logging.h"

#include <gtest/gtest.h>

namespace carebridge {
namespace {

TEST(LogfmtValueTest, LeavesSimpleTokensBare) {
  EXPECT_EQ(LogfmtValue("abc-123_x.y"), "abc-123_x.y");
}

TEST(LogfmtValueTest, QuotesSpacesAndEquals) {
  EXPECT_EQ(LogfmtValue("a b"), "\"a b\"");
  EXPECT_EQ(LogfmtValue("k=v"), "\"k=v\"");
  EXPECT_EQ(LogfmtValue(""), "\"\"");
}

TEST(LogfmtValueTest, EscapesQuotesBackslashesAndNewlinesSoOneEventIsOneLine) {
  EXPECT_EQ(LogfmtValue("say \"hi\"\\\nnext"), "\"say \\\"hi\\\"\\\\\\nnext\"");
  EXPECT_EQ(LogfmtValue(std::string("\x01", 1)), "\"\\x01\"");
}

}  // namespace
}  // namespace carebridge
