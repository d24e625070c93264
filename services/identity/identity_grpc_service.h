// The gRPC adapter of the Identity service: authorizes each call (services/common/authenticator.h)
// and maps it to SessionService.
#pragma once

#include "carebridge/v1/identity.grpc.pb.h"
#include "services/common/authenticator.h"
#include "services/identity/session_service.h"

namespace carebridge::identity {

class IdentityGrpcService final : public carebridge::v1::Identity::Service {
 public:
  IdentityGrpcService(SessionService& sessions, const Authenticator& auth)
      : sessions_(sessions), auth_(auth) {}

  grpc::Status CreateSession(grpc::ServerContext* context,
                             const carebridge::v1::CreateSessionRequest* request,
                             carebridge::v1::Session* response) override;
  grpc::Status DeleteSession(grpc::ServerContext* context,
                             const carebridge::v1::DeleteSessionRequest* request,
                             carebridge::v1::DeleteSessionResponse* response) override;
  grpc::Status GetCurrentUser(grpc::ServerContext* context,
                              const carebridge::v1::GetCurrentUserRequest* request,
                              carebridge::v1::User* response) override;

 private:
  SessionService& sessions_;
  const Authenticator& auth_;
};

}  // namespace carebridge::identity
