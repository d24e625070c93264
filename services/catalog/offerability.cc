#include "services/catalog/offerability.h"

#include "absl/strings/str_cat.h"

namespace carebridge::catalog {
namespace {

using carebridge::v1::Clinic;
using carebridge::v1::Protocol;

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

std::string Day(absl::Time t) { return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone()); }

}  // namespace

std::vector<std::string> ClinicShortcomings(const Clinic& clinic, absl::Time now) {
  std::vector<std::string> reasons;
  if (clinic.archived()) reasons.push_back("archived");
  const absl::Time verified = FromProto(clinic.license().verified_at());
  const absl::Time expires = FromProto(clinic.license().expires_at());
  if (!clinic.license().has_verified_at() || verified > now) {
    reasons.push_back("licence not verified yet");
  }
  if (!clinic.license().has_expires_at() || expires <= now) {
    reasons.push_back(absl::StrCat("licence expired on ", Day(expires)));
  }
  return reasons;
}

std::vector<std::string> ProtocolShortcomings(const Protocol& protocol, bool plan_required) {
  std::vector<std::string> reasons;
  if (protocol.archived()) reasons.push_back("archived");
  if (plan_required) {
    const auto& asrm = protocol.asrm();
    if (asrm.risk_class() == carebridge::v1::ASRM_RISK_CLASS_UNSPECIFIED) {
      reasons.push_back("ASRM risk class missing");
    }
    if (asrm.provision_plan_number().empty()) {
      reasons.push_back("ASRM provision plan number missing");
    }
    if (asrm.certified_committee().empty()) {
      reasons.push_back("ASRM certified committee missing");
    }
  }
  return reasons;
}

void AnnotateOfferability(bool plan_required, absl::Time now, Clinic* clinic) {
  const std::vector<std::string> clinic_reasons = ClinicShortcomings(*clinic, now);
  clinic->set_offerable(clinic_reasons.empty());
  clinic->clear_not_offerable_reasons();
  for (const std::string& reason : clinic_reasons) clinic->add_not_offerable_reasons(reason);
  for (Protocol& protocol : *clinic->mutable_protocols()) {
    std::vector<std::string> reasons = ProtocolShortcomings(protocol, plan_required);
    if (!clinic_reasons.empty()) reasons.push_back("clinic not offered");
    protocol.set_offerable(reasons.empty());
    protocol.clear_not_offerable_reasons();
    for (const std::string& reason : reasons) protocol.add_not_offerable_reasons(reason);
  }
}

void StripAdminFields(Protocol* protocol) {
  protocol->clear_archived();
  protocol->clear_not_offerable_reasons();
}

bool ToPublicView(Clinic* clinic) {
  if (!clinic->offerable()) return false;
  auto* protocols = clinic->mutable_protocols();
  for (int i = protocols->size() - 1; i >= 0; --i) {
    if (!protocols->Get(i).offerable()) protocols->DeleteSubrange(i, 1);
  }
  for (Protocol& protocol : *protocols) StripAdminFields(&protocol);
  clinic->clear_contact();
  clinic->clear_archived();
  clinic->clear_not_offerable_reasons();
  return true;
}

}  // namespace carebridge::catalog
