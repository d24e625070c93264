// The frame of an RPC handler, shared by every service's gRPC adapter: authorizes the call against
// the permission table (Authenticator, principal.h), logs a refusal (method and request id only),
// runs `body(principal, request_id)`, which returns absl::StatusOr<Response>, and maps its error
// once to a gRPC status (errors.h) or copies its value into `response`.
#pragma once

#include <grpcpp/server_context.h>

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "services/common/authenticator.h"
#include "services/common/errors.h"
#include "services/common/logging.h"
#include "services/common/request_id.h"

namespace carebridge {

// `full_method` is the gRPC path, e.g. "/carebridge.v1.Inquiries/CreateInquiry".
template <typename Response, typename Body>
grpc::Status ServeAuthorized(const Authenticator& auth, grpc::ServerContext& context,
                             const std::string& full_method, Response* response, Body body) {
  const std::string request_id = RequestIdOf(context);
  absl::StatusOr<Principal> principal = auth.Authorize(context, full_method);
  if (!principal.ok()) {
    if (principal.status().code() == absl::StatusCode::kPermissionDenied) {
      LogWarning("call_refused", {{"method", full_method}, {"request_id", request_id}});
    }
    return ToGrpcStatus(principal.status(), request_id);
  }
  auto result = body(*principal, request_id);
  if (!result.ok()) return ToGrpcStatus(result.status(), request_id);
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace carebridge
