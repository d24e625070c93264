#include "services/followups/case_directory.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_server.h"

namespace carebridge::followups {
namespace {

absl::Status FromGrpc(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return absl::OkStatus();
    case grpc::StatusCode::NOT_FOUND:
      return absl::NotFoundError("inquiries: case not found");
    case grpc::StatusCode::INVALID_ARGUMENT:
      return absl::InvalidArgumentError("inquiries: invalid case id");
    default:
      return absl::UnavailableError(absl::StrCat("inquiries: unavailable (grpc code ",
                                                 static_cast<int>(status.error_code()), ")"));
  }
}

}  // namespace

GrpcCaseDirectory::GrpcCaseDirectory(const std::string& address, std::chrono::milliseconds timeout,
                                     std::string internal_token)
    : stub_(carebridge::v1::Inquiries::NewStub(
          grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))),
      timeout_(timeout),
      internal_token_(std::move(internal_token)) {}

std::unique_ptr<grpc::ClientContext> GrpcCaseDirectory::Context() const {
  auto context = NewInternalClientContext(timeout_, internal_token_);
  return context;
}

absl::StatusOr<std::vector<carebridge::v1::CaseContact>> GrpcCaseDirectory::GetCaseContacts(
    const std::vector<std::string>& case_ids) {
  constexpr size_t kChunk = 500;
  std::vector<carebridge::v1::CaseContact> contacts;
  for (size_t start = 0; start < case_ids.size(); start += kChunk) {
    carebridge::v1::GetCaseContactsRequest request;
    for (size_t i = start; i < std::min(case_ids.size(), start + kChunk); ++i) {
      request.add_case_ids(case_ids[i]);
    }
    carebridge::v1::GetCaseContactsResponse response;
    auto context = Context();
    absl::Status status = FromGrpc(stub_->GetCaseContacts(context.get(), request, &response));
    if (!status.ok()) return status;
    for (carebridge::v1::CaseContact& contact : *response.mutable_contacts()) {
      contacts.push_back(std::move(contact));
    }
  }
  return contacts;
}

absl::Status GrpcCaseDirectory::ConfirmFollowUps(const std::vector<int64_t>& outbox_ids) {
  carebridge::v1::ConfirmFollowUpsRequest request;
  for (int64_t id : outbox_ids) request.add_outbox_ids(id);
  carebridge::v1::ConfirmFollowUpsResponse response;
  auto context = Context();
  return FromGrpc(stub_->ConfirmFollowUps(context.get(), request, &response));
}

}  // namespace carebridge::followups
