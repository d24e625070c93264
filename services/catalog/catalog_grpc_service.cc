#include "services/catalog/catalog_grpc_service.h"

#include <sodium.h>

#include "services/common/errors.h"
#include "services/common/logging.h"
#include "services/common/request_id.h"

namespace carebridge::catalog {
namespace {

namespace v1 = carebridge::v1;

// Copies a domain result into the reply, or maps its error.
template <typename T>
grpc::Status Reply(const grpc::ServerContext& context, absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return ToGrpcStatus(result.status(), RequestIdOf(context));
  *response = *std::move(result);
  return grpc::Status::OK;
}

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

absl::Status CatalogGrpcService::CheckAdmin(const grpc::ServerContext& context,
                                            bool allow_internal) const {
  constexpr std::string_view kBearer = "Bearer ";
  const std::string header = ClientMetadata(context, "authorization");
  if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0) {
    return absl::UnauthenticatedError("admin credentials are required");
  }
  const std::string credential = header.substr(kBearer.size());
  if (allow_internal && !internal_token_.empty() &&
      ConstantTimeEquals(credential, internal_token_)) {
    return absl::OkStatus();
  }
  if (admin_token_.empty()) {
    return absl::PermissionDeniedError("catalog administration is disabled on this server");
  }
  if (!ConstantTimeEquals(credential, admin_token_)) {
    LogWarning("admin_call_refused", {{"request_id", RequestIdOf(context)}});
    return absl::PermissionDeniedError("these credentials may not administer the catalog");
  }
  return absl::OkStatus();
}

#define CB_REQUIRE_ADMIN(context)                                                     \
  do {                                                                                \
    if (absl::Status s = CheckAdmin(*(context)); !s.ok()) return ToGrpcStatus(s, ""); \
  } while (false)

grpc::Status CatalogGrpcService::SearchClinics(grpc::ServerContext* context,
                                               const v1::SearchClinicsRequest* request,
                                               v1::SearchClinicsResponse* response) {
  return Reply(*context, catalog_.SearchClinics(*request), response);
}

grpc::Status CatalogGrpcService::GetClinic(grpc::ServerContext* context,
                                           const v1::GetClinicRequest* request,
                                           v1::Clinic* response) {
  return Reply(*context, catalog_.GetClinic(*request), response);
}

grpc::Status CatalogGrpcService::ListCountries(grpc::ServerContext* context,
                                               const v1::ListCountriesRequest* request,
                                               v1::ListCountriesResponse* response) {
  return Reply(*context, catalog_.ListCountries(*request), response);
}

grpc::Status CatalogGrpcService::MatchCase(grpc::ServerContext* context,
                                           const v1::MatchCaseRequest* request,
                                           v1::MatchCaseResponse* response) {
  // The suite's own services (Inquiries, for a case's matches) present the internal token.
  if (absl::Status s = CheckAdmin(*context, /*allow_internal=*/true); !s.ok()) {
    return ToGrpcStatus(s, "");
  }
  return Reply(*context, catalog_.MatchCase(*request), response);
}

grpc::Status CatalogGrpcService::AdminGetClinic(grpc::ServerContext* context,
                                                const v1::GetClinicRequest* request,
                                                v1::Clinic* response) {
  CB_REQUIRE_ADMIN(context);
  return Reply(*context, catalog_.AdminGetClinic(*request), response);
}

grpc::Status CatalogGrpcService::AdminListClinics(grpc::ServerContext* context,
                                                  const v1::AdminListClinicsRequest* request,
                                                  v1::AdminListClinicsResponse* response) {
  CB_REQUIRE_ADMIN(context);
  return Reply(*context, catalog_.AdminListClinics(*request), response);
}

grpc::Status CatalogGrpcService::CreateClinic(grpc::ServerContext* context,
                                              const v1::CreateClinicRequest* request,
                                              v1::Clinic* response) {
  CB_REQUIRE_ADMIN(context);
  return Reply(*context, catalog_.CreateClinic(*request), response);
}

grpc::Status CatalogGrpcService::UpdateClinic(grpc::ServerContext* context,
                                              const v1::UpdateClinicRequest* request,
                                              v1::Clinic* response) {
  CB_REQUIRE_ADMIN(context);
  return Reply(*context, catalog_.UpdateClinic(*request), response);
}

grpc::Status CatalogGrpcService::ArchiveClinic(grpc::ServerContext* context,
                                               const v1::ArchiveClinicRequest* request,
                                               v1::Clinic* response) {
  CB_REQUIRE_ADMIN(context);
  return Reply(*context, catalog_.ArchiveClinic(*request), response);
}

grpc::Status CatalogGrpcService::CreateProtocol(grpc::ServerContext* context,
                                                const v1::CreateProtocolRequest* request,
                                                v1::Protocol* response) {
  CB_REQUIRE_ADMIN(context);
  return Reply(*context, catalog_.CreateProtocol(*request), response);
}

grpc::Status CatalogGrpcService::UpdateProtocol(grpc::ServerContext* context,
                                                const v1::UpdateProtocolRequest* request,
                                                v1::Protocol* response) {
  CB_REQUIRE_ADMIN(context);
  return Reply(*context, catalog_.UpdateProtocol(*request), response);
}

grpc::Status CatalogGrpcService::ArchiveProtocol(grpc::ServerContext* context,
                                                 const v1::ArchiveProtocolRequest* request,
                                                 v1::Protocol* response) {
  CB_REQUIRE_ADMIN(context);
  return Reply(*context, catalog_.ArchiveProtocol(*request), response);
}

}  // namespace carebridge::catalog
