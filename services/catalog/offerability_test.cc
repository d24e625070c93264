#include "services/catalog/offerability.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/catalog/test_fixtures.h"

namespace carebridge::catalog {
namespace {

using ::testing::ElementsAre;
using testing::kNow;
using testing::ToProto;

carebridge::v1::Clinic ClinicWithProtocol() {
  carebridge::v1::Clinic clinic = testing::ValidClinic();
  *clinic.add_protocols() = testing::ValidProtocol();
  return clinic;
}

TEST(OfferabilityTest, ValidClinicAndProtocolAreOffered) {
  carebridge::v1::Clinic clinic = ClinicWithProtocol();
  AnnotateOfferability(/*plan_required=*/true, kNow, &clinic);
  EXPECT_TRUE(clinic.offerable());
  EXPECT_TRUE(clinic.not_offerable_reasons().empty());
  EXPECT_TRUE(clinic.protocols(0).offerable());
}

TEST(OfferabilityTest, ExpiredLicenceHidesClinicAndItsProtocols) {
  carebridge::v1::Clinic clinic = ClinicWithProtocol();
  *clinic.mutable_license()->mutable_expires_at() =
      ToProto(absl::FromCivil(absl::CivilDay(2026, 6, 30), absl::UTCTimeZone()));
  AnnotateOfferability(true, kNow, &clinic);
  EXPECT_FALSE(clinic.offerable());
  EXPECT_THAT(clinic.not_offerable_reasons(), ElementsAre("licence expired on 2026-06-30"));
  EXPECT_FALSE(clinic.protocols(0).offerable());
  EXPECT_THAT(clinic.protocols(0).not_offerable_reasons(), ElementsAre("clinic not offered"));
  EXPECT_FALSE(ToPublicView(&clinic));
}

TEST(OfferabilityTest, LicenceExpiringExactlyNowIsExpired) {
  carebridge::v1::Clinic clinic = ClinicWithProtocol();
  *clinic.mutable_license()->mutable_expires_at() = ToProto(kNow);
  AnnotateOfferability(true, kNow, &clinic);
  EXPECT_FALSE(clinic.offerable());
}

TEST(OfferabilityTest, MissingPlanMattersOnlyWhereRequired) {
  carebridge::v1::Clinic clinic = ClinicWithProtocol();
  clinic.mutable_protocols(0)->mutable_asrm()->clear_provision_plan_number();
  AnnotateOfferability(/*plan_required=*/true, kNow, &clinic);
  EXPECT_TRUE(clinic.offerable());
  EXPECT_FALSE(clinic.protocols(0).offerable());
  EXPECT_THAT(clinic.protocols(0).not_offerable_reasons(),
              ElementsAre("ASRM provision plan number missing"));

  AnnotateOfferability(/*plan_required=*/false, kNow, &clinic);
  EXPECT_TRUE(clinic.protocols(0).offerable());
}

TEST(OfferabilityTest, PublicViewDropsHiddenProtocolsAndAdminFields) {
  carebridge::v1::Clinic clinic = ClinicWithProtocol();
  *clinic.add_protocols() = testing::ValidProtocol();
  clinic.mutable_protocols(1)->set_archived(true);
  AnnotateOfferability(true, kNow, &clinic);
  ASSERT_TRUE(ToPublicView(&clinic));
  EXPECT_EQ(clinic.protocols_size(), 1);
  EXPECT_FALSE(clinic.has_contact());
  EXPECT_TRUE(clinic.not_offerable_reasons().empty());
}

}  // namespace
}  // namespace carebridge::catalog
