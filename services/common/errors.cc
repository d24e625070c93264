#include "services/common/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace carebridge {
namespace {
constexpr char kBadRequestType[] = "type.googleapis.com/google.rpc.BadRequest";
}  // namespace

absl::Status WithFieldViolations(absl::Status status,
                                 const std::vector<FieldViolation>& violations) {
  google::rpc::BadRequest bad_request;
  for (const FieldViolation& v : violations) {
    auto* out = bad_request.add_field_violations();
    out->set_field(v.field);
    out->set_description(v.description);
  }
  status.SetPayload(kBadRequestType, absl::Cord(bad_request.SerializeAsString()));
  return status;
}

absl::Status InvalidFields(const std::vector<FieldViolation>& violations) {
  std::string summary;
  for (const FieldViolation& v : violations) {
    absl::StrAppend(&summary, summary.empty() ? "" : "; ", v.field, ": ", v.description);
  }
  return WithFieldViolations(
      absl::InvalidArgumentError(
          violations.size() == 1 ? summary : absl::StrCat("invalid fields: ", summary)),
      violations);
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(kBadRequestType);
  if (!payload.has_value()) return out;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload))) return out;
  for (const auto& v : bad_request.field_violations()) {
    out.push_back({v.field(), v.description()});
  }
  return out;
}

absl::Status Unavailable(std::string_view what) {
  return absl::UnavailableError(
      absl::StrCat(std::string(what), " is unavailable, please retry shortly"));
}

absl::Status Internal() { return absl::InternalError("internal error"); }

grpc::Status ToGrpcStatus(const absl::Status& status, std::string_view request_id) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  if (!request_id.empty() && (status.code() == absl::StatusCode::kInternal ||
                              status.code() == absl::StatusCode::kUnavailable)) {
    absl::StrAppend(&message, " (request id ", std::string(request_id), ")");
  }
  google::rpc::Status rpc_status;
  rpc_status.set_code(static_cast<int>(status.code()));
  rpc_status.set_message(message);
  auto payload = status.GetPayload(kBadRequestType);
  if (payload.has_value()) {
    auto* any = rpc_status.add_details();
    any->set_type_url(kBadRequestType);
    any->set_value(std::string(*payload));
  }
  return grpc::Status(code, message, rpc_status.SerializeAsString());
}

}  // namespace carebridge
