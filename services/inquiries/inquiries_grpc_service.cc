#include "services/inquiries/inquiries_grpc_service.h"

#include "services/common/errors.h"
#include "services/common/request_id.h"

namespace carebridge::inquiries {

grpc::Status InquiriesGrpcService::CreateInquiry(
    grpc::ServerContext* context, const carebridge::v1::CreateInquiryRequest* request,
    carebridge::v1::CreateInquiryResponse* response) {
  IntakeCall call;
  call.request_id = RequestIdOf(*context);
  call.idempotency_key = ClientMetadata(*context, "idempotency-key");
  absl::StatusOr<carebridge::v1::CreateInquiryResponse> result =
      intake_.CreateInquiry(*request, call);
  if (!result.ok()) return ToGrpcStatus(result.status(), call.request_id);
  *response = *std::move(result);
  return grpc::Status::OK;
}

grpc::Status InquiriesGrpcService::GetCaseContact(
    grpc::ServerContext* context, const carebridge::v1::GetCaseContactRequest* request,
    carebridge::v1::CaseContact* response) {
  absl::StatusOr<carebridge::v1::CaseContact> contact =
      contacts_.GetCaseContact(request->case_id());
  if (!contact.ok()) return ToGrpcStatus(contact.status(), RequestIdOf(*context));
  *response = *std::move(contact);
  return grpc::Status::OK;
}

grpc::Status InquiriesGrpcService::ConfirmFollowUps(
    grpc::ServerContext* context, const carebridge::v1::ConfirmFollowUpsRequest* request,
    carebridge::v1::ConfirmFollowUpsResponse* /*response*/) {
  const std::vector<int64_t> ids(request->outbox_ids().begin(), request->outbox_ids().end());
  return ToGrpcStatus(contacts_.ConfirmFollowUps(ids), RequestIdOf(*context));
}

}  // namespace carebridge::inquiries
