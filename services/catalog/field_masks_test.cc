#include "services/catalog/field_masks.h"

#include <gtest/gtest.h>

#include "services/catalog/test_fixtures.h"
#include "services/common/errors.h"

namespace carebridge::catalog {
namespace {

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

TEST(FieldMasksTest, CopiesOnlyMaskedFields) {
  const carebridge::v1::Clinic current = testing::ValidClinic();
  carebridge::v1::Clinic patch;
  patch.set_name("Renamed Clinic");
  patch.set_city("Osaka");  // not in the mask: ignored
  patch.add_languages("ko");
  auto result = ApplyClinicMask(current, patch, Mask({"name", "languages"}));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->name(), "Renamed Clinic");
  EXPECT_EQ(result->city(), "Tokyo");
  ASSERT_EQ(result->languages_size(), 1);  // repeated fields are replaced, not appended
  EXPECT_EQ(result->languages(0), "ko");
}

TEST(FieldMasksTest, SubFieldPathsAndClearing) {
  const carebridge::v1::Clinic current = testing::ValidClinic();
  carebridge::v1::Clinic patch;
  patch.mutable_license()->set_number("NEW-1");
  auto result = ApplyClinicMask(current, patch, Mask({"license.number", "contact.email"}));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->license().number(), "NEW-1");
  EXPECT_EQ(result->license().authority(), "MHLW");
  EXPECT_EQ(result->contact().email(), "");  // masked and empty in the patch: cleared
  EXPECT_EQ(result->contact().phone(), current.contact().phone());
}

TEST(FieldMasksTest, RefusesEmptyUnknownAndReadOnlyPaths) {
  const carebridge::v1::Clinic clinic = testing::ValidClinic();
  for (const auto& mask :
       {Mask({}), Mask({"nmae"}), Mask({"clinic_id"}), Mask({"offerable"}), Mask({"protocols"})}) {
    const auto result = ApplyClinicMask(clinic, clinic, mask);
    ASSERT_FALSE(result.ok());
    const auto violations = FieldViolationsOf(result.status());
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].field, "update_mask");
  }
  const carebridge::v1::Protocol protocol = testing::ValidProtocol();
  EXPECT_FALSE(ApplyProtocolMask(protocol, protocol, Mask({"clinic_id"})).ok());
  EXPECT_TRUE(ApplyProtocolMask(protocol, protocol, Mask({"price_usd_max", "asrm"})).ok());
}

}  // namespace
}  // namespace carebridge::catalog
