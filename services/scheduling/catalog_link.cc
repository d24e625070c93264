#include "services/scheduling/catalog_link.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "services/common/errors.h"
#include "services/common/grpc_server.h"
#include "services/common/logging.h"

namespace carebridge::scheduling {

GrpcCatalogLink::GrpcCatalogLink(const std::string& address, std::chrono::milliseconds timeout,
                                 std::string internal_token)
    : stub_(carebridge::v1::Catalog::NewStub(
          grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))),
      timeout_(timeout),
      internal_token_(std::move(internal_token)) {}

absl::StatusOr<carebridge::v1::Protocol> GrpcCatalogLink::GetProtocol(
    const std::string& clinic_id, const std::string& protocol_id, const std::string& request_id) {
  carebridge::v1::GetClinicRequest request;
  request.set_clinic_id(clinic_id);
  carebridge::v1::Clinic clinic;
  auto context = NewInternalClientContext(timeout_, internal_token_, request_id);
  const grpc::Status status = stub_->GetClinic(context.get(), request, &clinic);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND ||
      status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
    return absl::NotFoundError("no such clinic");
  }
  if (!status.ok()) {
    LogWarning("catalog_call_failed",
               {{"code", static_cast<int>(status.error_code())}, {"request_id", request_id}});
    return Unavailable("the clinic catalog");
  }
  for (const carebridge::v1::Protocol& protocol : clinic.protocols()) {
    if (protocol.protocol_id() == protocol_id) return protocol;
  }
  return absl::NotFoundError("no such protocol at this clinic");
}

}  // namespace carebridge::scheduling
