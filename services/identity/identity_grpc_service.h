// The gRPC adapter of the Identity service: authorizes each call (services/common/authenticator.h)
// and maps it to SessionService (logins) or AdminService (users and partners).
#pragma once

#include "carebridge/v1/identity.grpc.pb.h"
#include "services/common/authenticator.h"
#include "services/identity/admin_service.h"
#include "services/identity/session_service.h"

namespace carebridge::identity {

class IdentityGrpcService final : public carebridge::v1::Identity::Service {
 public:
  IdentityGrpcService(SessionService& sessions, AdminService& admin, const Authenticator& auth)
      : sessions_(sessions), admin_(admin), auth_(auth) {}

  grpc::Status CreateSession(grpc::ServerContext* context,
                             const carebridge::v1::CreateSessionRequest* request,
                             carebridge::v1::Session* response) override;
  grpc::Status DeleteSession(grpc::ServerContext* context,
                             const carebridge::v1::DeleteSessionRequest* request,
                             carebridge::v1::DeleteSessionResponse* response) override;
  grpc::Status GetCurrentUser(grpc::ServerContext* context,
                              const carebridge::v1::GetCurrentUserRequest* request,
                              carebridge::v1::User* response) override;
  grpc::Status ListUsers(grpc::ServerContext* context,
                         const carebridge::v1::ListUsersRequest* request,
                         carebridge::v1::ListUsersResponse* response) override;
  grpc::Status CreateUser(grpc::ServerContext* context,
                          const carebridge::v1::CreateUserRequest* request,
                          carebridge::v1::CreateUserResponse* response) override;
  grpc::Status SetUserActive(grpc::ServerContext* context,
                             const carebridge::v1::SetUserActiveRequest* request,
                             carebridge::v1::User* response) override;
  grpc::Status ListPartners(grpc::ServerContext* context,
                            const carebridge::v1::ListPartnersRequest* request,
                            carebridge::v1::ListPartnersResponse* response) override;
  grpc::Status CreatePartner(grpc::ServerContext* context,
                             const carebridge::v1::CreatePartnerRequest* request,
                             carebridge::v1::CreatePartnerResponse* response) override;
  grpc::Status RevokePartner(grpc::ServerContext* context,
                             const carebridge::v1::RevokePartnerRequest* request,
                             carebridge::v1::Partner* response) override;

 private:
  SessionService& sessions_;
  AdminService& admin_;
  const Authenticator& auth_;
};

}  // namespace carebridge::identity
