#include "gateway/path_template.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace carebridge::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

auto Binding(const std::string& field, const std::string& value) {
  return ::testing::AllOf(Field(&PathBinding::field_path, field),
                          Field(&PathBinding::value, value));
}

PathTemplate Compile(std::string_view pattern) {
  auto compiled = PathTemplate::Parse(pattern);
  EXPECT_TRUE(compiled.ok()) << compiled.status();
  return *std::move(compiled);
}

TEST(PathTemplateTest, MatchesLiteralPathOnly) {
  const PathTemplate t = Compile("/v1/inquiries");
  auto match = t.Match("/v1/inquiries");
  ASSERT_TRUE(match.has_value());
  EXPECT_THAT(*match, IsEmpty());
  EXPECT_FALSE(t.Match("/v1/inquiries/").has_value());
  EXPECT_FALSE(t.Match("/v1/inquiry").has_value());
  EXPECT_FALSE(t.Match("/v1").has_value());
  EXPECT_FALSE(t.Match("").has_value());
}

TEST(PathTemplateTest, BindsVariablesPercentDecoded) {
  const PathTemplate t = Compile("/v1/clinics/{clinic_id}");
  EXPECT_THAT(*t.Match("/v1/clinics/abc-123"), ElementsAre(Binding("clinic_id", "abc-123")));
  EXPECT_THAT(*t.Match("/v1/clinics/a%20b%2Fc"), ElementsAre(Binding("clinic_id", "a b/c")));
  EXPECT_FALSE(t.Match("/v1/clinics/").has_value());
  EXPECT_FALSE(t.Match("/v1/clinics/a/b").has_value());
}

TEST(PathTemplateTest, BindsNestedFieldPathsAndSeveralVariables) {
  const PathTemplate t = Compile("/v1/hosts/{host.id}/slots/{slot_id}");
  EXPECT_THAT(*t.Match("/v1/hosts/h1/slots/s2"),
              ElementsAre(Binding("host.id", "h1"), Binding("slot_id", "s2")));
}

TEST(PathTemplateTest, MatchesCustomVerbs) {
  const PathTemplate cancel = Compile("/v1/bookings/{booking_id}:cancel");
  EXPECT_TRUE(cancel.has_verb());
  EXPECT_THAT(*cancel.Match("/v1/bookings/b-1:cancel"), ElementsAre(Binding("booking_id", "b-1")));
  EXPECT_FALSE(cancel.Match("/v1/bookings/b-1:reschedule").has_value());
  EXPECT_FALSE(cancel.Match("/v1/bookings/b-1").has_value());
  EXPECT_FALSE(cancel.Match("/v1/bookings/:cancel").has_value());
  const PathTemplate plan = Compile("/v1/cases/{case_id}/itinerary:plan");
  EXPECT_THAT(*plan.Match("/v1/cases/c9/itinerary:plan"), ElementsAre(Binding("case_id", "c9")));
}

TEST(PathTemplateTest, LiteralSegmentsMayHoldDots) {
  const PathTemplate t = Compile("/v1/hosts/{host_id}/calendar.ics");
  EXPECT_THAT(*t.Match("/v1/hosts/h1/calendar.ics"), ElementsAre(Binding("host_id", "h1")));
  EXPECT_FALSE(t.Match("/v1/hosts/h1/calendar").has_value());
}

TEST(PathTemplateTest, VariableWithSubPatternAndDoubleWildcard) {
  const PathTemplate named = Compile("/v1/{name=shelves/*}/books");
  EXPECT_THAT(*named.Match("/v1/shelves/s1/books"), ElementsAre(Binding("name", "shelves/s1")));
  EXPECT_FALSE(named.Match("/v1/racks/s1/books").has_value());
  const PathTemplate rest = Compile("/v1/files/{path=**}");
  EXPECT_THAT(*rest.Match("/v1/files/a/b/c.txt"), ElementsAre(Binding("path", "a/b/c.txt")));
  EXPECT_EQ(rest.literal_count(), 2);
  EXPECT_TRUE(rest.has_double_wildcard());
}

TEST(PathTemplateTest, RejectsMalformedTemplates) {
  for (const char* bad :
       {"", "v1/x", "/v1/{id", "/v1/{a{b}}", "/v1/{1abc}", "/v1/**/x", "/v1/x:", "/v1/{id=}"}) {
    EXPECT_FALSE(PathTemplate::Parse(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace carebridge::gateway
