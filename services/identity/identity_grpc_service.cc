#include "services/identity/identity_grpc_service.h"

#include "services/common/authorized_call.h"
#include "services/common/errors.h"
#include "services/common/request_id.h"

namespace carebridge::identity {
namespace {

constexpr char kPrefix[] = "/carebridge.v1.Identity/";

// ServeAuthorized for this service's `method` (the RPC's name).
template <typename Response, typename Body>
grpc::Status Serve(const Authenticator& auth, grpc::ServerContext* context, const char* method,
                   Response* response, Body body) {
  return ServeAuthorized(auth, *context, std::string(kPrefix) + method, response, std::move(body));
}

}  // namespace

grpc::Status IdentityGrpcService::CreateSession(grpc::ServerContext* context,
                                                const carebridge::v1::CreateSessionRequest* request,
                                                carebridge::v1::Session* response) {
  const std::string request_id = RequestIdOf(*context);
  auto principal = auth_.Authorize(*context, "/carebridge.v1.Identity/CreateSession");
  if (!principal.ok()) return ToGrpcStatus(principal.status(), request_id);
  if (principal->IsPartner()) {
    return ToGrpcStatus(absl::PermissionDeniedError("partners use API keys, not sessions"));
  }
  auto session = sessions_.Login(*request, request_id);
  if (!session.ok()) return ToGrpcStatus(session.status(), request_id);
  *response = *std::move(session);
  return grpc::Status::OK;
}

grpc::Status IdentityGrpcService::DeleteSession(grpc::ServerContext* context,
                                                const carebridge::v1::DeleteSessionRequest*,
                                                carebridge::v1::DeleteSessionResponse*) {
  const std::string request_id = RequestIdOf(*context);
  auto principal = auth_.Authorize(*context, "/carebridge.v1.Identity/DeleteSession");
  if (!principal.ok()) return ToGrpcStatus(principal.status(), request_id);
  return ToGrpcStatus(sessions_.Logout(*principal, request_id), request_id);
}

grpc::Status IdentityGrpcService::GetCurrentUser(grpc::ServerContext* context,
                                                 const carebridge::v1::GetCurrentUserRequest*,
                                                 carebridge::v1::User* response) {
  const std::string request_id = RequestIdOf(*context);
  auto principal = auth_.Authorize(*context, "/carebridge.v1.Identity/GetCurrentUser");
  if (!principal.ok()) return ToGrpcStatus(principal.status(), request_id);
  auto user = sessions_.CurrentUser(*principal);
  if (!user.ok()) return ToGrpcStatus(user.status(), request_id);
  *response = *std::move(user);
  return grpc::Status::OK;
}

grpc::Status IdentityGrpcService::ListUsers(grpc::ServerContext* context,
                                            const carebridge::v1::ListUsersRequest*,
                                            carebridge::v1::ListUsersResponse* response) {
  return Serve(auth_, context, "ListUsers", response,
               [&](const Principal&, const std::string&) { return admin_.ListUsers(); });
}

grpc::Status IdentityGrpcService::CreateUser(grpc::ServerContext* context,
                                             const carebridge::v1::CreateUserRequest* request,
                                             carebridge::v1::CreateUserResponse* response) {
  return Serve(auth_, context, "CreateUser", response,
               [&](const Principal& principal, const std::string& request_id) {
                 return admin_.CreateUser(principal, *request, request_id);
               });
}

grpc::Status IdentityGrpcService::SetUserActive(grpc::ServerContext* context,
                                                const carebridge::v1::SetUserActiveRequest* request,
                                                carebridge::v1::User* response) {
  return Serve(auth_, context, "SetUserActive", response,
               [&](const Principal& principal, const std::string& request_id) {
                 return admin_.SetUserActive(principal, *request, request_id);
               });
}

grpc::Status IdentityGrpcService::ListPartners(grpc::ServerContext* context,
                                               const carebridge::v1::ListPartnersRequest*,
                                               carebridge::v1::ListPartnersResponse* response) {
  return Serve(auth_, context, "ListPartners", response,
               [&](const Principal&, const std::string&) { return admin_.ListPartners(); });
}

grpc::Status IdentityGrpcService::CreatePartner(grpc::ServerContext* context,
                                                const carebridge::v1::CreatePartnerRequest* request,
                                                carebridge::v1::CreatePartnerResponse* response) {
  return Serve(auth_, context, "CreatePartner", response,
               [&](const Principal& principal, const std::string& request_id) {
                 return admin_.CreatePartner(principal, *request, request_id);
               });
}

grpc::Status IdentityGrpcService::RevokePartner(grpc::ServerContext* context,
                                                const carebridge::v1::RevokePartnerRequest* request,
                                                carebridge::v1::Partner* response) {
  return Serve(auth_, context, "RevokePartner", response,
               [&](const Principal& principal, const std::string& request_id) {
                 return admin_.RevokePartner(principal, *request, request_id);
               });
}

}  // namespace carebridge::identity
