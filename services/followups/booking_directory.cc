#include "services/followups/booking_directory.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "services/common/errors.h"
#include "services/common/grpc_server.h"

namespace carebridge::followups {
namespace {

absl::Status FromGrpc(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return absl::OkStatus();
    case grpc::StatusCode::NOT_FOUND:
      return absl::NotFoundError("no such booking reminder");
    case grpc::StatusCode::INVALID_ARGUMENT:
      return absl::InvalidArgumentError("malformed reminder job id");
    default:
      return Unavailable("the scheduling service");
  }
}

}  // namespace

GrpcBookingDirectory::GrpcBookingDirectory(const std::string& address,
                                           std::chrono::milliseconds timeout,
                                           std::string internal_token)
    : stub_(carebridge::v1::Scheduling::NewStub(
          grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))),
      timeout_(timeout),
      internal_token_(std::move(internal_token)) {}

std::unique_ptr<grpc::ClientContext> GrpcBookingDirectory::Context() const {
  auto context = NewInternalClientContext(timeout_, internal_token_);
  return context;
}

absl::StatusOr<carebridge::v1::BookingReminder> GrpcBookingDirectory::GetBookingReminder(
    const std::string& job_id) {
  carebridge::v1::GetBookingReminderRequest request;
  request.set_job_id(job_id);
  carebridge::v1::BookingReminder reply;
  auto context = Context();
  if (absl::Status s = FromGrpc(stub_->GetBookingReminder(context.get(), request, &reply));
      !s.ok()) {
    return s;
  }
  return reply;
}

absl::Status GrpcBookingDirectory::ConfirmFollowUps(const std::vector<std::string>& job_ids) {
  carebridge::v1::ConfirmSchedulingFollowUpsRequest request;
  for (const std::string& id : job_ids) request.add_job_ids(id);
  carebridge::v1::ConfirmSchedulingFollowUpsResponse reply;
  auto context = Context();
  return FromGrpc(stub_->ConfirmFollowUps(context.get(), request, &reply));
}

}  // namespace carebridge::followups
