#include "services/inquiries/catalog_matcher.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "services/common/errors.h"
#include "services/common/grpc_server.h"
#include "services/common/logging.h"

namespace carebridge::inquiries {

GrpcCaseMatcher::GrpcCaseMatcher(const std::string& address, std::chrono::milliseconds timeout,
                                 std::string internal_token)
    : stub_(carebridge::v1::Catalog::NewStub(
          grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))),
      timeout_(timeout),
      internal_token_(std::move(internal_token)) {}

absl::StatusOr<carebridge::v1::MatchCaseResponse> GrpcCaseMatcher::Match(
    const carebridge::v1::MatchCaseRequest& request, const std::string& request_id) {
  auto context = NewInternalClientContext(timeout_, internal_token_, request_id);
  carebridge::v1::MatchCaseResponse response;
  const grpc::Status status = stub_->MatchCase(context.get(), request, &response);
  if (status.ok()) return response;
  LogWarning("catalog_match_failed",
             {{"code", static_cast<int>(status.error_code())}, {"request_id", request_id}});
  switch (status.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT:
      return absl::InvalidArgumentError(status.error_message());
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::DeadlineExceededError("the clinic catalog did not answer in time");
    default:
      return Unavailable("the clinic catalog");
  }
}

}  // namespace carebridge::inquiries
