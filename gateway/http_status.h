// The one mapping from gRPC status codes to HTTP status codes, as grpc-gateway does it (API.md).
#pragma once

#include <grpcpp/support/status.h>

namespace carebridge::gateway {

// OK 200, CANCELLED 499, UNKNOWN 500, INVALID_ARGUMENT 400, DEADLINE_EXCEEDED 504, NOT_FOUND 404,
// ALREADY_EXISTS 409, PERMISSION_DENIED 403, UNAUTHENTICATED 401, RESOURCE_EXHAUSTED 429,
// FAILED_PRECONDITION 400, ABORTED 409, OUT_OF_RANGE 400, UNIMPLEMENTED 501, INTERNAL 500,
// UNAVAILABLE 503, DATA_LOSS 500; any other value 500.
int HttpStatusFromGrpc(grpc::StatusCode code);

}  // namespace carebridge::gateway
