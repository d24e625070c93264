#include "services/scheduling/case_link.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "services/common/errors.h"
#include "services/common/grpc_server.h"
#include "services/common/logging.h"

namespace carebridge::scheduling {
namespace {

namespace v1 = carebridge::v1;

absl::Status FromGrpc(const grpc::Status& status, const char* what, const std::string& request_id) {
  if (status.ok()) return absl::OkStatus();
  if (status.error_code() == grpc::StatusCode::NOT_FOUND ||
      status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
    return absl::NotFoundError("no such case");
  }
  LogWarning("inquiries_call_failed", {{"call", what},
                                       {"code", static_cast<int>(status.error_code())},
                                       {"request_id", request_id}});
  return Unavailable("the case service");
}

}  // namespace

GrpcCaseLink::GrpcCaseLink(const std::string& address, std::chrono::milliseconds timeout,
                           std::string internal_token)
    : stub_(
          v1::Inquiries::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))),
      timeout_(timeout),
      internal_token_(std::move(internal_token)) {}

std::unique_ptr<grpc::ClientContext> GrpcCaseLink::Context(const std::string& request_id) const {
  auto context = NewInternalClientContext(timeout_, internal_token_, request_id);
  return context;
}

absl::StatusOr<v1::Stage> GrpcCaseLink::CaseStage(const std::string& case_id,
                                                  const std::string& request_id) {
  v1::GetCaseRequest request;
  request.set_case_id(case_id);
  v1::Case response;
  auto context = Context(request_id);
  if (absl::Status s =
          FromGrpc(stub_->GetCase(context.get(), request, &response), "get_case", request_id);
      !s.ok()) {
    return s;
  }
  return response.stage();
}

absl::Status GrpcCaseLink::MarkConsultationBooked(const std::string& case_id,
                                                  const std::string& request_id) {
  v1::GetCaseRequest get;
  get.set_case_id(case_id);
  v1::Case current;
  auto context = Context(request_id);
  if (absl::Status s =
          FromGrpc(stub_->GetCase(context.get(), get, &current), "get_case", request_id);
      !s.ok()) {
    // A case that is gone has nothing to move.
    return s.code() == absl::StatusCode::kNotFound ? absl::OkStatus() : s;
  }
  if (current.stage() >= v1::CONSULTATION_BOOKED) return absl::OkStatus();  // there, on, closed
  v1::UpdateCaseRequest update;
  update.set_case_id(case_id);
  update.mutable_case_()->set_stage(v1::CONSULTATION_BOOKED);
  update.mutable_update_mask()->add_paths("stage");
  v1::Case updated;
  auto update_context = Context(request_id);
  const grpc::Status status = stub_->UpdateCase(update_context.get(), update, &updated);
  // Refused as an illegal move: the case moved on meanwhile; nothing left to do.
  if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) return absl::OkStatus();
  return FromGrpc(status, "update_case", request_id);
}

}  // namespace carebridge::scheduling
