#include "services/catalog/field_masks.h"

#include <set>
#include <string>

#include <google/protobuf/util/field_mask_util.h>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace carebridge::catalog {
namespace {

using google::protobuf::FieldMask;
using google::protobuf::Message;
using google::protobuf::util::FieldMaskUtil;

const std::set<std::string>& ClinicPaths() {
  static const auto* const kPaths = new std::set<std::string>{"name",
                                                              "country",
                                                              "city",
                                                              "time_zone",
                                                              "license",
                                                              "license.authority",
                                                              "license.number",
                                                              "license.verified_at",
                                                              "license.expires_at",
                                                              "cpc_accredited",
                                                              "languages",
                                                              "interpreter_support",
                                                              "contact",
                                                              "contact.email",
                                                              "contact.phone",
                                                              "contact.website"};
  return *kPaths;
}

const std::set<std::string>& ProtocolPaths() {
  static const auto* const kPaths = new std::set<std::string>{"condition",
                                                              "cell_source",
                                                              "cell_type",
                                                              "route",
                                                              "cell_count_millions",
                                                              "price_usd_min",
                                                              "price_usd_max",
                                                              "culture_weeks_min",
                                                              "culture_weeks_max",
                                                              "trip_plan",
                                                              "trip_plan.trips",
                                                              "trip_plan.days_min",
                                                              "trip_plan.days_max",
                                                              "outcome_measures",
                                                              "side_effects",
                                                              "asrm",
                                                              "asrm.risk_class",
                                                              "asrm.provision_plan_number",
                                                              "asrm.certified_committee",
                                                              "asrm.last_checked_at"};
  return *kPaths;
}

template <typename T>
absl::StatusOr<T> Apply(const T& current, const T& patch, const FieldMask& mask,
                        const std::set<std::string>& allowed) {
  if (mask.paths().empty()) {
    return InvalidFields({{"update_mask", "must name at least one field to update"}});
  }
  for (const std::string& path : mask.paths()) {
    if (allowed.count(path) == 0) {
      return InvalidFields(
          {{"update_mask", absl::StrCat("\"", path, "\" is not a field that can be updated")}});
    }
  }
  T result = current;
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(patch, mask, options, &result);
  return result;
}

}  // namespace

absl::StatusOr<carebridge::v1::Clinic> ApplyClinicMask(const carebridge::v1::Clinic& current,
                                                       const carebridge::v1::Clinic& patch,
                                                       const FieldMask& mask) {
  return Apply(current, patch, mask, ClinicPaths());
}

absl::StatusOr<carebridge::v1::Protocol> ApplyProtocolMask(const carebridge::v1::Protocol& current,
                                                           const carebridge::v1::Protocol& patch,
                                                           const FieldMask& mask) {
  return Apply(current, patch, mask, ProtocolPaths());
}

}  // namespace carebridge::catalog
