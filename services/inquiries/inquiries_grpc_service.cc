#include "services/inquiries/inquiries_grpc_service.h"

#include "services/common/authorized_call.h"
#include "services/common/errors.h"
#include "services/common/request_id.h"

namespace carebridge::inquiries {
namespace {

constexpr char kPrefix[] = "/carebridge.v1.Inquiries/";

// ServeAuthorized for this service's `method` (the RPC's name).
template <typename Response, typename Body>
grpc::Status Serve(const Authenticator& auth, grpc::ServerContext* context, const char* method,
                   Response* response, Body body) {
  return ServeAuthorized(auth, *context, std::string(kPrefix) + method, response, std::move(body));
}

}  // namespace

grpc::Status InquiriesGrpcService::CreateInquiry(
    grpc::ServerContext* context, const carebridge::v1::CreateInquiryRequest* request,
    carebridge::v1::CreateInquiryResponse* response) {
  return Serve(auth_, context, "CreateInquiry", response,
               [&](const Principal& principal, const std::string& request_id) {
                 IntakeCall call;
                 call.request_id = request_id;
                 call.idempotency_key = ClientMetadata(*context, "idempotency-key");
                 if (principal.IsPartner()) {
                   call.partner_id = principal.id;
                   call.actor = principal.Actor();
                 }
                 return intake_.CreateInquiry(*request, call);
               });
}

grpc::Status InquiriesGrpcService::GetCaseContacts(
    grpc::ServerContext* context, const carebridge::v1::GetCaseContactsRequest* request,
    carebridge::v1::GetCaseContactsResponse* response) {
  return Serve(auth_, context, "GetCaseContacts", response,
               [&](const Principal&,
                   const std::string&) -> absl::StatusOr<carebridge::v1::GetCaseContactsResponse> {
                 const std::vector<std::string> ids(request->case_ids().begin(),
                                                    request->case_ids().end());
                 absl::StatusOr<std::vector<carebridge::v1::CaseContact>> contacts =
                     contacts_.GetCaseContacts(ids);
                 if (!contacts.ok()) return contacts.status();
                 carebridge::v1::GetCaseContactsResponse reply;
                 for (carebridge::v1::CaseContact& contact : *contacts) {
                   *reply.add_contacts() = std::move(contact);
                 }
                 return reply;
               });
}

grpc::Status InquiriesGrpcService::ConfirmFollowUps(
    grpc::ServerContext* context, const carebridge::v1::ConfirmFollowUpsRequest* request,
    carebridge::v1::ConfirmFollowUpsResponse* response) {
  return Serve(auth_, context, "ConfirmFollowUps", response,
               [&](const Principal&,
                   const std::string&) -> absl::StatusOr<carebridge::v1::ConfirmFollowUpsResponse> {
                 const std::vector<int64_t> ids(request->outbox_ids().begin(),
                                                request->outbox_ids().end());
                 if (absl::Status s = contacts_.ConfirmFollowUps(ids); !s.ok()) return s;
                 return carebridge::v1::ConfirmFollowUpsResponse();
               });
}

grpc::Status InquiriesGrpcService::ListCases(grpc::ServerContext* context,
                                             const carebridge::v1::ListCasesRequest* request,
                                             carebridge::v1::ListCasesResponse* response) {
  return Serve(auth_, context, "ListCases", response,
               [&](const Principal& principal, const std::string&) {
                 return cases_.ListCases(principal, *request);
               });
}

grpc::Status InquiriesGrpcService::GetCase(grpc::ServerContext* context,
                                           const carebridge::v1::GetCaseRequest* request,
                                           carebridge::v1::Case* response) {
  return Serve(auth_, context, "GetCase", response,
               [&](const Principal& principal, const std::string&) {
                 return cases_.GetCase(principal, request->case_id());
               });
}

grpc::Status InquiriesGrpcService::UpdateCase(grpc::ServerContext* context,
                                              const carebridge::v1::UpdateCaseRequest* request,
                                              carebridge::v1::Case* response) {
  return Serve(auth_, context, "UpdateCase", response,
               [&](const Principal& principal, const std::string& request_id) {
                 return cases_.UpdateCase(principal, *request, request_id);
               });
}

grpc::Status InquiriesGrpcService::AddCaseNote(grpc::ServerContext* context,
                                               const carebridge::v1::AddCaseNoteRequest* request,
                                               carebridge::v1::CaseEvent* response) {
  return Serve(auth_, context, "AddCaseNote", response,
               [&](const Principal& principal, const std::string& request_id) {
                 return cases_.AddNote(principal, *request, request_id);
               });
}

grpc::Status InquiriesGrpcService::ListCaseTimeline(
    grpc::ServerContext* context, const carebridge::v1::ListCaseTimelineRequest* request,
    carebridge::v1::ListCaseTimelineResponse* response) {
  return Serve(
      auth_, context, "ListCaseTimeline", response,
      [&](const Principal&, const std::string&) { return cases_.Timeline(request->case_id()); });
}

grpc::Status InquiriesGrpcService::GetCaseMatches(
    grpc::ServerContext* context, const carebridge::v1::GetCaseMatchesRequest* request,
    carebridge::v1::MatchCaseResponse* response) {
  return Serve(auth_, context, "GetCaseMatches", response,
               [&](const Principal&, const std::string& request_id) {
                 return cases_.Matches(*request, request_id);
               });
}

grpc::Status InquiriesGrpcService::GetCaseStats(grpc::ServerContext* context,
                                                const carebridge::v1::GetCaseStatsRequest* request,
                                                carebridge::v1::CaseStats* response) {
  return Serve(auth_, context, "GetCaseStats", response,
               [&](const Principal&, const std::string&) { return stats_.GetCaseStats(*request); });
}

}  // namespace carebridge::inquiries
