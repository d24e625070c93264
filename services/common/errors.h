// Errors as values across boundaries: field violations carried on absl::Status, and the one
// conversion from absl::Status to grpc::Status (with google.rpc.Status details on the wire, which
// the gateway renders as the JSON error body).
#pragma once

#include <string>
#include <vector>

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace carebridge {

struct FieldViolation {
  std::string field;        // the field's proto name, e.g. "email"
  std::string description;  // what is wrong, in words a form can show next to the field
};

// INVALID_ARGUMENT carrying a google.rpc.BadRequest with every violation.
absl::Status InvalidFields(const std::vector<FieldViolation>& violations);

// `status` (any code, e.g. ALREADY_EXISTS for a taken slot) with a google.rpc.BadRequest naming
// `violations` attached, so a client can point at the field.
absl::Status WithFieldViolations(absl::Status status,
                                 const std::vector<FieldViolation>& violations);

// The violations carried by a status made with InvalidFields (empty for any other status).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

// UNAVAILABLE or INTERNAL with a generic message that names the request, for failures whose detail
// must not reach clients (database texts echo user values).
absl::Status Unavailable(std::string_view what);
absl::Status Internal();

// The gRPC status for `status`: code and message kept, BadRequest details attached as
// google.rpc.Status in the binary error details. `request_id`, when not empty, is appended to
// INTERNAL / UNAVAILABLE messages so an operator can find the logs of the failed call.
grpc::Status ToGrpcStatus(const absl::Status& status, std::string_view request_id = "");

}  // namespace carebridge
