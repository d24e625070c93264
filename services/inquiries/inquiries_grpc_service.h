// The gRPC adapter of the Inquiries service: authorizes every call against the permission table
// (services/common/principal.h) through the shared Authenticator, reads call metadata (request id,
// idempotency key), calls the domain, and maps absl::Status to grpc::Status (with BadRequest
// details). Intake goes to IntakeService (a partner key with inquiries:write attributes the case
// to the partner); the internal RPCs for the follow-ups worker go to CaseContactStore; case
// management goes to CaseService; the overview figures to CaseStatsService.
#pragma once

#include "carebridge/v1/inquiries.grpc.pb.h"
#include "services/common/authenticator.h"
#include "services/inquiries/case_contact_store.h"
#include "services/inquiries/case_service.h"
#include "services/inquiries/case_stats_service.h"
#include "services/inquiries/intake_service.h"

namespace carebridge::inquiries {

class InquiriesGrpcService final : public carebridge::v1::Inquiries::Service {
 public:
  InquiriesGrpcService(IntakeService& intake, CaseContactStore& contacts, CaseService& cases,
                       CaseStatsService& stats, const Authenticator& auth)
      : intake_(intake), contacts_(contacts), cases_(cases), stats_(stats), auth_(auth) {}

  grpc::Status CreateInquiry(grpc::ServerContext* context,
                             const carebridge::v1::CreateInquiryRequest* request,
                             carebridge::v1::CreateInquiryResponse* response) override;
  grpc::Status GetCaseContacts(grpc::ServerContext* context,
                               const carebridge::v1::GetCaseContactsRequest* request,
                               carebridge::v1::GetCaseContactsResponse* response) override;
  grpc::Status ConfirmFollowUps(grpc::ServerContext* context,
                                const carebridge::v1::ConfirmFollowUpsRequest* request,
                                carebridge::v1::ConfirmFollowUpsResponse* response) override;
  grpc::Status ListCases(grpc::ServerContext* context,
                         const carebridge::v1::ListCasesRequest* request,
                         carebridge::v1::ListCasesResponse* response) override;
  grpc::Status GetCase(grpc::ServerContext* context, const carebridge::v1::GetCaseRequest* request,
                       carebridge::v1::Case* response) override;
  grpc::Status UpdateCase(grpc::ServerContext* context,
                          const carebridge::v1::UpdateCaseRequest* request,
                          carebridge::v1::Case* response) override;
  grpc::Status AddCaseNote(grpc::ServerContext* context,
                           const carebridge::v1::AddCaseNoteRequest* request,
                           carebridge::v1::CaseEvent* response) override;
  grpc::Status ListCaseTimeline(grpc::ServerContext* context,
                                const carebridge::v1::ListCaseTimelineRequest* request,
                                carebridge::v1::ListCaseTimelineResponse* response) override;
  grpc::Status GetCaseMatches(grpc::ServerContext* context,
                              const carebridge::v1::GetCaseMatchesRequest* request,
                              carebridge::v1::MatchCaseResponse* response) override;
  grpc::Status GetCaseStats(grpc::ServerContext* context,
                            const carebridge::v1::GetCaseStatsRequest* request,
                            carebridge::v1::CaseStats* response) override;

 private:
  IntakeService& intake_;
  CaseContactStore& contacts_;
  CaseService& cases_;
  CaseStatsService& stats_;
  const Authenticator& auth_;
};

}  // namespace carebridge::inquiries
