#include "services/common/errors.h"

#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace carebridge {
namespace {

TEST(ErrorsTest, InvalidFieldsRoundTripsEveryViolation) {
  absl::Status status =
      InvalidFields({{"email", "is not an email address"}, {"mrs_score", "must be 0..6"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  auto violations = FieldViolationsOf(status);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field, "email");
  EXPECT_EQ(violations[1].field, "mrs_score");
  EXPECT_EQ(violations[1].description, "must be 0..6");
}

TEST(ErrorsTest, GrpcStatusCarriesBadRequestDetails) {
  grpc::Status status = ToGrpcStatus(InvalidFields({{"phone", "must be E.164"}}), "req1");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status rpc_status;
  ASSERT_TRUE(rpc_status.ParseFromString(status.error_details()));
  ASSERT_EQ(rpc_status.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(rpc_status.details(0).UnpackTo(&bad_request));
  EXPECT_EQ(bad_request.field_violations(0).field(), "phone");
  // The request id is only added to server-side failures.
  EXPECT_EQ(status.error_message().find("req1"), std::string::npos);
}

TEST(ErrorsTest, InternalAndUnavailableNameTheRequest) {
  EXPECT_NE(ToGrpcStatus(Internal(), "abc123").error_message().find("abc123"), std::string::npos);
  grpc::Status unavailable = ToGrpcStatus(Unavailable("the database"), "r9");
  EXPECT_EQ(unavailable.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(unavailable.error_message().find("r9"), std::string::npos);
}

}  // namespace
}  // namespace carebridge
