#include "services/catalog/catalog_validator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/catalog/test_fixtures.h"

namespace carebridge::catalog {
namespace {

using testing::kNow;
using testing::ToProto;

const std::set<std::string> kCountries = {"JP", "US", "MX", "TR"};

std::vector<std::string> Fields(const std::vector<FieldViolation>& violations) {
  std::vector<std::string> fields;
  for (const auto& v : violations) fields.push_back(v.field);
  return fields;
}

TEST(ClinicValidatorTest, AcceptsValidClinic) {
  EXPECT_TRUE(ValidateClinic(testing::ValidClinic(), kNow, kCountries).empty());
}

TEST(ClinicValidatorTest, NamesEveryBadField) {
  carebridge::v1::Clinic c = testing::ValidClinic();
  c.set_name("");
  c.set_country("FR");
  c.set_time_zone("Mars/Olympus");
  c.mutable_license()->clear_number();
  c.clear_languages();
  c.add_languages("english please");
  c.mutable_contact()->set_email("not-an-email");
  c.mutable_contact()->set_website("http://plain.example");
  EXPECT_THAT(Fields(ValidateClinic(c, kNow, kCountries)),
              ::testing::ElementsAre("name", "country", "time_zone", "license.number", "languages",
                                     "contact.email", "contact.website"));
}

TEST(ClinicValidatorTest, LicenceMustExpireAfterVerification) {
  carebridge::v1::Clinic c = testing::ValidClinic();
  *c.mutable_license()->mutable_expires_at() = c.license().verified_at();
  EXPECT_THAT(Fields(ValidateClinic(c, kNow, kCountries)),
              ::testing::ElementsAre("license.expires_at"));
  c = testing::ValidClinic();
  *c.mutable_license()->mutable_verified_at() = ToProto(kNow + absl::Hours(1));
  EXPECT_THAT(Fields(ValidateClinic(c, kNow, kCountries)),
              ::testing::ElementsAre("license.verified_at"));
}

TEST(ClinicValidatorTest, RefusesRepeatedLanguagesAndControlCharacters) {
  carebridge::v1::Clinic c = testing::ValidClinic();
  c.add_languages("EN");
  c.set_city("Tokyo\nOsaka");
  EXPECT_THAT(Fields(ValidateClinic(c, kNow, kCountries)),
              ::testing::ElementsAre("city", "languages"));
}

TEST(ProtocolValidatorTest, AcceptsValidProtocols) {
  EXPECT_TRUE(ValidateProtocol(testing::ValidProtocol()).empty());
  carebridge::v1::Protocol allogeneic = testing::ValidProtocol();
  allogeneic.set_cell_source(carebridge::v1::ALLOGENEIC);
  allogeneic.set_cell_type(carebridge::v1::UMBILICAL_CORD_MSC);
  allogeneic.set_culture_weeks_min(0);
  allogeneic.set_culture_weeks_max(0);
  EXPECT_TRUE(ValidateProtocol(allogeneic).empty());
}

TEST(ProtocolValidatorTest, PriceMinMustNotExceedMax) {
  carebridge::v1::Protocol p = testing::ValidProtocol();
  p.set_price_usd_min(40000);
  p.set_price_usd_max(30000);
  const auto violations = ValidateProtocol(p);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "price_usd_max");
  EXPECT_EQ(violations[0].description, "must not be less than price_usd_min");
}

TEST(ProtocolValidatorTest, RefusesUnknownEnumValues) {
  carebridge::v1::Protocol p = testing::ValidProtocol();
  p.set_cell_source(carebridge::v1::NO_PREFERENCE);
  p.set_cell_type(static_cast<carebridge::v1::CellType>(42));
  p.set_route(carebridge::v1::DELIVERY_ROUTE_UNSPECIFIED);
  p.add_outcome_measures(static_cast<carebridge::v1::OutcomeMeasure>(9));
  p.mutable_asrm()->set_risk_class(static_cast<carebridge::v1::AsrmRiskClass>(7));
  EXPECT_THAT(Fields(ValidateProtocol(p)),
              ::testing::ElementsAre("cell_source", "cell_type", "route", "outcome_measures",
                                     "asrm.risk_class"));
}

TEST(ProtocolValidatorTest, CultureWeeksFollowTheCellSource) {
  carebridge::v1::Protocol p = testing::ValidProtocol();
  p.set_culture_weeks_min(0);
  EXPECT_THAT(Fields(ValidateProtocol(p)), ::testing::ElementsAre("culture_weeks_min"));
  p = testing::ValidProtocol();
  p.set_cell_source(carebridge::v1::ALLOGENEIC);
  EXPECT_THAT(Fields(ValidateProtocol(p)),
              ::testing::ElementsAre("culture_weeks_min", "culture_weeks_max"));
}

TEST(ProtocolValidatorTest, TripPlanAndIds) {
  carebridge::v1::Protocol p = testing::ValidProtocol();
  p.set_clinic_id("42");
  p.mutable_trip_plan()->set_trips(0);
  p.mutable_trip_plan()->set_days_max(2);
  EXPECT_THAT(Fields(ValidateProtocol(p)),
              ::testing::ElementsAre("clinic_id", "trip_plan.trips", "trip_plan.days_max"));
}

TEST(ProtocolValidatorTest, MissingPlanIsNotAValidationError) {
  carebridge::v1::Protocol p = testing::ValidProtocol();
  p.clear_asrm();
  EXPECT_TRUE(ValidateProtocol(p).empty());
}

TEST(NormalizeTest, TrimsAndCanonicalizes) {
  carebridge::v1::Clinic c = testing::ValidClinic();
  c.set_name("  Test Clinic ");
  c.set_country("jp");
  c.clear_languages();
  c.add_languages(" EN-us ");
  c.set_offerable(true);
  const carebridge::v1::Clinic n = NormalizeClinic(c);
  EXPECT_EQ(n.name(), "Test Clinic");
  EXPECT_EQ(n.country(), "JP");
  EXPECT_EQ(n.languages(0), "en-US");
  EXPECT_FALSE(n.offerable());

  carebridge::v1::Protocol p = testing::ValidProtocol();
  p.set_condition(" Stroke ");
  EXPECT_EQ(NormalizeProtocol(p).condition(), "stroke");
}

}  // namespace
}  // namespace carebridge::catalog
