#include "gateway/error_reply.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "services/common/errors.h"

namespace carebridge::gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ErrorReplyTest, BackendFieldViolationsBecomeTheJsonBody) {
  const grpc::Status status = ToGrpcStatus(
      InvalidFields({{"email", "must be an email address"}, {"mrs_score", "must be 0 to 6"}}));
  const ErrorReply reply = ErrorReplyFrom(status);
  EXPECT_EQ(reply.http_status, 400);
  EXPECT_EQ(reply.retry_after_seconds, 0);
  EXPECT_EQ(ErrorBodyJson(reply.status),
            "{\"code\":3,\"message\":\"invalid fields: email: must be an email address; "
            "mrs_score: must be 0 to 6\",\"details\":[{\"@type\":\"type.googleapis.com/"
            "google.rpc.BadRequest\",\"fieldViolations\":[{\"field\":\"email\",\"description\":"
            "\"must be an email address\"},{\"field\":\"mrs_score\",\"description\":\"must be 0 "
            "to 6\"}]}]}");
  const auto violations = FieldViolationsIn(reply.status);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[1].field, "mrs_score");
}

TEST(ErrorReplyTest, TransportErrorsGetAGenericMessage) {
  const grpc::Status refused(grpc::StatusCode::UNAVAILABLE,
                             "failed to connect to all addresses; last error: UNKNOWN: "
                             "ipv4:127.0.0.1:50051: Failed to connect to remote host");
  const ErrorReply reply = ErrorReplyFrom(refused);
  EXPECT_EQ(reply.http_status, 503);
  EXPECT_EQ(reply.retry_after_seconds, 1);
  const std::string body = ErrorBodyJson(reply.status);
  EXPECT_THAT(body, Not(HasSubstr("127.0.0.1")));
  EXPECT_THAT(body, Not(HasSubstr("50051")));
  EXPECT_EQ(body,
            "{\"code\":14,\"message\":\"the service is unavailable, please retry shortly\","
            "\"details\":[]}");

  const ErrorReply deadline =
      ErrorReplyFrom(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded"));
  EXPECT_EQ(deadline.http_status, 504);
  EXPECT_EQ(deadline.retry_after_seconds, 0);
  const ErrorReply internal =
      ErrorReplyFrom(grpc::Status(grpc::StatusCode::INTERNAL, "pqxx: relation cases missing"));
  EXPECT_EQ(internal.status.message(), "internal error");
}

TEST(ErrorReplyTest, ApplicationErrorsWithoutDetailsKeepTheirMessage) {
  const ErrorReply reply =
      ErrorReplyFrom(grpc::Status(grpc::StatusCode::NOT_FOUND, "no such clinic"));
  EXPECT_EQ(reply.http_status, 404);
  EXPECT_EQ(reply.status.code(), 5);
  EXPECT_EQ(reply.status.message(), "no such clinic");
}

TEST(ErrorReplyTest, RetryAfterFor429And503FromRetryInfoRoundedUp) {
  google::rpc::Status rpc;
  rpc.set_code(static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
  rpc.set_message("slow down");
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_seconds(2);
  retry.mutable_retry_delay()->set_nanos(100000000);
  rpc.add_details()->PackFrom(retry);
  const ErrorReply reply = ErrorReplyFrom(
      grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "slow down", rpc.SerializeAsString()));
  EXPECT_EQ(reply.http_status, 429);
  EXPECT_EQ(reply.retry_after_seconds, 3);

  const ErrorReply unavailable = ErrorReplyFrom(Unavailable("the database"));
  EXPECT_EQ(unavailable.http_status, 503);
  EXPECT_EQ(unavailable.retry_after_seconds, 1);
  EXPECT_EQ(unavailable.status.message(), "the database is unavailable, please retry shortly");
}

TEST(ErrorReplyTest, GatewayErrorsUseTheSameBody) {
  const ErrorReply reply = ErrorReplyFrom(absl::NotFoundError("no such route"));
  EXPECT_EQ(reply.http_status, 404);
  EXPECT_EQ(ErrorBodyJson(reply.status),
            "{\"code\":5,\"message\":\"no such route\",\"details\":[]}");
}

TEST(ErrorReplyTest, DetailsOfUnknownTypesAreDroppedNotFatal) {
  google::rpc::Status rpc;
  rpc.set_code(3);
  rpc.set_message("bad");
  auto* any = rpc.add_details();
  any->set_type_url("type.googleapis.com/some.unknown.Detail");
  any->set_value("\x08\x01");
  EXPECT_EQ(ErrorBodyJson(rpc), "{\"code\":3,\"message\":\"bad\",\"details\":[]}");
}

}  // namespace
}  // namespace carebridge::gateway
