// The gRPC adapter of the Inquiries service: reads call metadata (request id, idempotency key),
// calls the domain, and maps absl::Status to grpc::Status (with BadRequest details).
#pragma once

#include "carebridge/v1/inquiries.grpc.pb.h"
#include "services/inquiries/intake_service.h"

namespace carebridge::inquiries {

class InquiriesGrpcService final : public carebridge::v1::Inquiries::Service {
 public:
  explicit InquiriesGrpcService(IntakeService& intake) : intake_(intake) {}

  grpc::Status CreateInquiry(grpc::ServerContext* context,
                             const carebridge::v1::CreateInquiryRequest* request,
                             carebridge::v1::CreateInquiryResponse* response) override;

 private:
  IntakeService& intake_;
};

}  // namespace carebridge::inquiries
