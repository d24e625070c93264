// Error replies: what a failed call becomes on HTTP, for backend errors and the gateway's own
// alike.
//
// The body is a google.rpc.Status printed as proto3 JSON: {"code": <grpc code>, "message": "...",
// "details": [...]}, with google.rpc.BadRequest field violations among the details. The status is
// taken from the binary error details a service attaches (services/common/errors.h ToGrpcStatus);
// a status without them was made by the gRPC library itself (connection refused, deadline, ...), so
// its text is replaced by a generic message and never reaches clients. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "google/rpc/status.pb.h"
#include "services/common/errors.h"

namespace carebridge::gateway {

struct ErrorReply {
  int http_status = 500;
  int retry_after_seconds = 0;  // > 0: send a Retry-After header
  google::rpc::Status status;   // client-safe code, message and details
};

// The reply for a failed backend call (or any status made with ToGrpcStatus).
ErrorReply ErrorReplyFrom(const grpc::Status& status);

// The reply for one of the gateway's own errors (carries field violations like InvalidFields).
ErrorReply ErrorReplyFrom(const absl::Status& status);

// The JSON body. Details of a type the gateway does not link are dropped rather than failing.
std::string ErrorBodyJson(const google::rpc::Status& status);

// The google.rpc.BadRequest field violations among `status.details()`.
std::vector<FieldViolation> FieldViolationsIn(const google::rpc::Status& status);

}  // namespace carebridge::gateway
