#include "gateway/error_reply.h"

#include <cmath>

#include <google/protobuf/util/json_util.h>

#include "gateway/http_status.h"
#include "google/rpc/error_details.pb.h"

namespace carebridge::gateway {
namespace {

// Codes the gRPC library produces on its own (transport failures, limits, unknown methods); their
// text may name hosts, ports or internals.
bool IsTransportCode(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::UNIMPLEMENTED:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DATA_LOSS:
      return true;
    default:
      return false;
  }
}

std::string GenericMessage(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::CANCELLED:
      return "the request was cancelled";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "the service did not answer in time, please retry";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "too many requests, please retry later";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "not implemented";
    case grpc::StatusCode::UNAVAILABLE:
      return "the service is unavailable, please retry shortly";
    default:
      return "internal error";
  }
}

int RetryAfterSeconds(int http_status, const google::rpc::Status& status) {
  if (http_status != 429 && http_status != 503) return 0;
  for (const auto& any : status.details()) {
    google::rpc::RetryInfo retry;
    if (any.Is<google::rpc::RetryInfo>() && any.UnpackTo(&retry)) {
      const double seconds = retry.retry_delay().seconds() + retry.retry_delay().nanos() / 1e9;
      if (seconds > 0 && seconds < 86400) return static_cast<int>(std::ceil(seconds));
    }
  }
  return 1;
}

}  // namespace

ErrorReply ErrorReplyFrom(const grpc::Status& status) {
  ErrorReply reply;
  const grpc::StatusCode code = status.error_code();
  reply.http_status = HttpStatusFromGrpc(code);
  google::rpc::Status parsed;
  if (!status.error_details().empty() && parsed.ParseFromString(status.error_details())) {
    reply.status = std::move(parsed);
  } else if (IsTransportCode(code)) {
    reply.status.set_message(GenericMessage(code));
  } else {
    reply.status.set_message(status.error_message());
  }
  reply.status.set_code(static_cast<int>(code));
  reply.retry_after_seconds = RetryAfterSeconds(reply.http_status, reply.status);
  return reply;
}

ErrorReply ErrorReplyFrom(const absl::Status& status) {
  return ErrorReplyFrom(ToGrpcStatus(status));
}

std::string ErrorBodyJson(const google::rpc::Status& status) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  if (google::protobuf::util::MessageToJsonString(status, &json, options).ok()) return json;
  google::rpc::Status without_details = status;
  without_details.clear_details();
  json.clear();
  if (google::protobuf::util::MessageToJsonString(without_details, &json, options).ok()) {
    return json;
  }
  without_details.set_message("internal error");  // only an invalid UTF-8 message gets here
  json.clear();
  (void)google::protobuf::util::MessageToJsonString(without_details, &json, options);
  return json;
}

std::vector<FieldViolation> FieldViolationsIn(const google::rpc::Status& status) {
  std::vector<FieldViolation> violations;
  for (const auto& any : status.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.Is<google::rpc::BadRequest>() || !any.UnpackTo(&bad_request)) continue;
    for (const auto& v : bad_request.field_violations()) {
      violations.push_back({v.field(), v.description()});
    }
  }
  return violations;
}

}  // namespace carebridge::gateway
