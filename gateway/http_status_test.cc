#include "gateway/http_status.h"

#include <gtest/gtest.h>

namespace carebridge::gateway {
namespace {

TEST(HttpStatusTest, MapsEveryGrpcCodeAsGrpcGatewayDoes) {
  const std::pair<grpc::StatusCode, int> expected[] = {
      {grpc::StatusCode::OK, 200},
      {grpc::StatusCode::CANCELLED, 499},
      {grpc::StatusCode::UNKNOWN, 500},
      {grpc::StatusCode::INVALID_ARGUMENT, 400},
      {grpc::StatusCode::DEADLINE_EXCEEDED, 504},
      {grpc::StatusCode::NOT_FOUND, 404},
      {grpc::StatusCode::ALREADY_EXISTS, 409},
      {grpc::StatusCode::PERMISSION_DENIED, 403},
      {grpc::StatusCode::UNAUTHENTICATED, 401},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, 429},
      {grpc::StatusCode::FAILED_PRECONDITION, 400},
      {grpc::StatusCode::ABORTED, 409},
      {grpc::StatusCode::OUT_OF_RANGE, 400},
      {grpc::StatusCode::UNIMPLEMENTED, 501},
      {grpc::StatusCode::INTERNAL, 500},
      {grpc::StatusCode::UNAVAILABLE, 503},
      {grpc::StatusCode::DATA_LOSS, 500},
  };
  for (const auto& [code, http] : expected) {
    EXPECT_EQ(HttpStatusFromGrpc(code), http) << "grpc code " << static_cast<int>(code);
  }
  EXPECT_EQ(HttpStatusFromGrpc(static_cast<grpc::StatusCode>(99)), 500);
}

}  // namespace
}  // namespace carebridge::gateway
