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

}  // namespace carebridge::inquiries
