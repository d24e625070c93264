// The field names a call's error carries (google.rpc.BadRequest in the google.rpc.Status details,
// as services/common/errors.h puts them there), for tests that check which field was refused.
#pragma once

#include <string>
#include <vector>

#include <grpcpp/support/status.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace carebridge::testing {

// Every violated field, in order; empty when the status carries no BadRequest.
inline std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return fields;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations())
      fields.push_back(violation.field());
  }
  return fields;
}

}  // namespace carebridge::testing
