#include "services/identity/identity_grpc_service.h"

#include "services/common/errors.h"
#include "services/common/request_id.h"

namespace carebridge::identity {

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

}  // namespace carebridge::identity
