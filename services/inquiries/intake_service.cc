#include "services/inquiries/intake_service.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <sodium.h>

#include "absl/strings/escaping.h"
#include "services/common/errors.h"
#include "services/common/logging.h"
#include "services/inquiries/follow_up_plan.h"
#include "services/inquiries/inquiry_validator.h"

namespace carebridge::inquiries {

using carebridge::v1::CreateInquiryRequest;
using carebridge::v1::CreateInquiryResponse;

std::string RequestHash(const carebridge::v1::Inquiry& normalized) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    normalized.SerializeToCodedStream(&coded);
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

bool IsAcceptableIdempotencyKey(std::string_view key) {
  if (key.empty() || key.size() > 255) return false;
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

absl::StatusOr<CreateInquiryResponse> IntakeService::CreateInquiry(
    const CreateInquiryRequest& request, const IntakeCall& call) {
  const absl::Time now = clock_();
  const std::vector<FieldViolation> violations =
      ValidateInquiry(request.inquiry(), absl::ToCivilDay(now, absl::UTCTimeZone()));
  if (!violations.empty()) {
    LogInfo("inquiry_invalid",
            {{"request_id", call.request_id}, {"violations", static_cast<int>(violations.size())}});
    return InvalidFields(violations);
  }
  if (!call.idempotency_key.empty() && !IsAcceptableIdempotencyKey(call.idempotency_key)) {
    return InvalidFields({{"Idempotency-Key", "Must be 1 to 255 printable ASCII characters."}});
  }

  IntakeRecord record;
  record.inquiry = NormalizeInquiry(request.inquiry());
  record.spam = !record.inquiry.website().empty();
  record.received_at = now;
  record.follow_ups = FirstFollowUps(now);
  if (!call.idempotency_key.empty()) {
    record.idempotency = IdempotencyClaim{call.idempotency_key, RequestHash(record.inquiry)};
  }
  record.actor = call.actor;
  record.request_id = call.request_id;
  record.partner_id = call.partner_id;

  absl::StatusOr<IntakeOutcome> outcome = store_.RecordInquiry(record);
  if (!outcome.ok()) return outcome.status();

  static constexpr const char* kOutcomeNames[] = {"created", "repeat", "replayed"};
  LogInfo("inquiry_recorded", {{"request_id", call.request_id},
                               {"case_id", outcome->case_id},
                               {"outcome", kOutcomeNames[static_cast<int>(outcome->kind)]},
                               {"spam", record.spam ? 1 : 0}});
  CreateInquiryResponse response;
  response.set_case_id(outcome->case_id);
  response.set_reference(outcome->reference);
  response.set_stage(outcome->stage);
  return response;
}

}  // namespace carebridge::inquiries
