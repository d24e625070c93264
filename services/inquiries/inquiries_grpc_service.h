// The gRPC adapter of the Inquiries service: reads call metadata (request id, idempotency key),
// calls the domain, and maps absl::Status to grpc::Status (with BadRequest details). The internal
// RPCs for the follow-ups worker (GetCaseContact, ConfirmFollowUps) go to CaseContactStore.
#pragma once

#include "carebridge/v1/inquiries.grpc.pb.h"
#include "services/inquiries/case_contact_store.h"
#include "services/inquiries/intake_service.h"

namespace carebridge::inquiries {

class InquiriesGrpcService final : public carebridge::v1::Inquiries::Service {
 public:
  InquiriesGrpcService(IntakeService& intake, CaseContactStore& contacts)
      : intake_(intake), contacts_(contacts) {}

  grpc::Status CreateInquiry(grpc::ServerContext* context,
                             const carebridge::v1::CreateInquiryRequest* request,
                             carebridge::v1::CreateInquiryResponse* response) override;

  grpc::Status GetCaseContact(grpc::ServerContext* context,
                              const carebridge::v1::GetCaseContactRequest* request,
                              carebridge::v1::CaseContact* response) override;

  grpc::Status ConfirmFollowUps(grpc::ServerContext* context,
                                const carebridge::v1::ConfirmFollowUpsRequest* request,
                                carebridge::v1::ConfirmFollowUpsResponse* response) override;

 private:
  IntakeService& intake_;
  CaseContactStore& contacts_;
};

}  // namespace carebridge::inquiries
