#include "gateway/field_setter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "carebridge/v1/inquiries.pb.h"
#include "gateway/testdata/gateway_test.pb.h"
#include "services/common/errors.h"

namespace carebridge::gateway {
namespace {

using gatewaytest::AllTypes;
using ::testing::ElementsAre;
using ::testing::Field;

auto Violation(const std::string& field) { return Field(&FieldViolation::field, field); }

TEST(FieldSetterTest, SetsEveryScalarTypeFromText) {
  AllTypes message;
  const absl::Status status = SetFieldsFromPairs(&message, {{"s", "héllo wörld"},
                                                            {"i32", "-42"},
                                                            {"i64", "9007199254740993"},
                                                            {"u32", "4000000000"},
                                                            {"u64", "18446744073709551615"},
                                                            {"flag", "on"},
                                                            {"ratio", "0.25"},
                                                            {"weight", "1.5"},
                                                            {"color", "dark_green"},
                                                            {"raw", "bytes"}});
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(message.s(), "héllo wörld");
  EXPECT_EQ(message.i32(), -42);
  EXPECT_EQ(message.i64(), 9007199254740993LL);
  EXPECT_EQ(message.u32(), 4000000000u);
  EXPECT_EQ(message.u64(), 18446744073709551615ULL);
  EXPECT_TRUE(message.flag());
  EXPECT_DOUBLE_EQ(message.ratio(), 0.25);
  EXPECT_FLOAT_EQ(message.weight(), 1.5f);
  EXPECT_EQ(message.color(), gatewaytest::DARK_GREEN);
  EXPECT_EQ(message.raw(), "bytes");
}

TEST(FieldSetterTest, BoolAcceptsTheUsualSpellingsInAnyCase) {
  for (const char* yes : {"true", "TRUE", "on", "On", "1", "yes", "YES"}) {
    AllTypes message;
    ASSERT_TRUE(SetFieldFromText(&message, "flag", yes).ok()) << yes;
    EXPECT_TRUE(message.flag()) << yes;
  }
  for (const char* no : {"false", "off", "0", "no", "No"}) {
    AllTypes message;
    message.set_flag(true);
    ASSERT_TRUE(SetFieldFromText(&message, "flag", no).ok()) << no;
    EXPECT_FALSE(message.flag()) << no;
  }
  AllTypes message;
  EXPECT_THAT(FieldViolationsOf(SetFieldFromText(&message, "flag", "maybe")),
              ElementsAre(Violation("flag")));
}

TEST(FieldSetterTest, EnumByNameInAnyCaseOrByNumber) {
  AllTypes message;
  ASSERT_TRUE(SetFieldFromText(&message, "color", "red").ok());
  EXPECT_EQ(message.color(), gatewaytest::RED);
  ASSERT_TRUE(SetFieldFromText(&message, "color", "Dark_Green").ok());
  EXPECT_EQ(message.color(), gatewaytest::DARK_GREEN);
  ASSERT_TRUE(SetFieldFromText(&message, "color", "1").ok());
  EXPECT_EQ(message.color(), gatewaytest::RED);
  const auto violations = FieldViolationsOf(SetFieldFromText(&message, "color", "purple"));
  ASSERT_THAT(violations, ElementsAre(Violation("color")));
  EXPECT_EQ(violations[0].description, "must be one of RED, DARK_GREEN");
}

TEST(FieldSetterTest, BadNumbersAreFieldViolationsNamingTheField) {
  AllTypes message;
  const absl::Status status = SetFieldsFromPairs(
      &message, {{"i32", "abc"}, {"i64", "1.5"}, {"u32", "-1"}, {"ratio", "lots"}, {"s", "ok"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldViolationsOf(status), ElementsAre(Violation("i32"), Violation("i64"),
                                                     Violation("u32"), Violation("ratio")));
  EXPECT_EQ(FieldViolationsOf(status)[0].description, "must be a whole number");
  EXPECT_EQ(message.s(), "ok");  // good fields are still set
}

TEST(FieldSetterTest, Int32OutOfRangeIsAViolation) {
  AllTypes message;
  EXPECT_THAT(FieldViolationsOf(SetFieldFromText(&message, "i32", "2147483648")),
              ElementsAre(Violation("i32")));
  EXPECT_THAT(FieldViolationsOf(SetFieldFromText(&message, "weight", "nan")),
              ElementsAre(Violation("weight")));
}

TEST(FieldSetterTest, AcceptsProtoAndJsonNames) {
  AllTypes message;
  ASSERT_TRUE(SetFieldFromText(&message, "camel_case_name", "a").ok());
  EXPECT_EQ(message.camel_case_name(), "a");
  ASSERT_TRUE(SetFieldFromText(&message, "camelCaseName", "b").ok());
  EXPECT_EQ(message.camel_case_name(), "b");
  v1::Inquiry inquiry;
  ASSERT_TRUE(
      SetFieldsFromPairs(&inquiry,
                         {{"fullName", "Ann"}, {"patient_age", "61"}, {"cellSource", "autologous"}})
          .ok());
  EXPECT_EQ(inquiry.full_name(), "Ann");
  EXPECT_EQ(inquiry.patient_age(), 61);
  EXPECT_EQ(inquiry.cell_source(), v1::AUTOLOGOUS);
  // Violations name fields by their proto names, whatever name was posted.
  EXPECT_THAT(FieldViolationsOf(SetFieldFromText(&inquiry, "monthsSinceEvent", "x")),
              ElementsAre(Violation("months_since_event")));
}

TEST(FieldSetterTest, EmptyValuesStayUnsetAndUnknownNamesAreIgnored) {
  AllTypes message;
  ASSERT_TRUE(SetFieldsFromPairs(&message, {{"maybe", ""},
                                            {"i32", "  "},
                                            {"s", ""},
                                            {"nope", "1"},
                                            {"nested.nope", "1"},
                                            {"labels", "x"}})
                  .ok());
  EXPECT_FALSE(message.has_maybe());
  EXPECT_EQ(message.i32(), 0);
  EXPECT_FALSE(message.has_nested());  // an unknown sub-field creates no empty message
  EXPECT_TRUE(message.labels().empty());
  ASSERT_TRUE(SetFieldFromText(&message, "maybe", "0").ok());
  EXPECT_TRUE(message.has_maybe());  // explicit zero is kept for optional fields
}

TEST(FieldSetterTest, NestedPathsRepeatedFieldsAndMessageLeaves) {
  AllTypes message;
  ASSERT_TRUE(SetFieldsFromPairs(&message, {{"nested.label", "x"},
                                            {"nested.level", "3"},
                                            {"tags", "a"},
                                            {"tags", "b"},
                                            {"when", "2026-01-02T03:04:05Z"}})
                  .ok());
  EXPECT_EQ(message.nested().label(), "x");
  EXPECT_EQ(message.nested().level(), 3);
  EXPECT_THAT(message.tags(), ElementsAre("a", "b"));
  EXPECT_EQ(message.when().seconds(), 1767323045);
  EXPECT_THAT(FieldViolationsOf(SetFieldFromText(&message, "when", "yesterday")),
              ElementsAre(Violation("when")));
  EXPECT_THAT(FieldViolationsOf(SetFieldFromText(&message, "nested.level", "high")),
              ElementsAre(Violation("nested.level")));
}

TEST(FieldSetterTest, StringsMustBeValidUtf8) {
  AllTypes message;
  EXPECT_THAT(FieldViolationsOf(SetFieldFromText(&message, "s", "bad\xff")),
              ElementsAre(Violation("s")));
  EXPECT_THAT(FieldViolationsOf(SetFieldFromText(&message, "s", "\xc0\xaf")),  // overlong '/'
              ElementsAre(Violation("s")));
  EXPECT_TRUE(SetFieldFromText(&message, "s", "日本語 ✓").ok());
  EXPECT_TRUE(SetFieldFromText(&message, "raw", "\xff").ok());  // bytes take anything
}

TEST(FieldSetterTest, CanonicalFieldPathResolvesJsonNames) {
  const auto* descriptor = AllTypes::descriptor();
  EXPECT_EQ(CanonicalFieldPath(descriptor, "camelCaseName"), "camel_case_name");
  EXPECT_EQ(CanonicalFieldPath(descriptor, "nested.level"), "nested.level");
  EXPECT_EQ(CanonicalFieldPath(descriptor, "nested.nope"), "");
  EXPECT_EQ(CanonicalFieldPath(descriptor, "s.x"), "");
}

}  // namespace
}  // namespace carebridge::gateway
