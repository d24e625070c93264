// The gRPC adapter of the Catalog service: maps calls to CatalogService and absl::Status to
// grpc::Status (with BadRequest details), and guards the admin RPCs.
//
// Until Catalog uses the shared permission table, admin RPCs and MatchCase require the interim
// admin token as metadata `authorization: Bearer <token>` (compared in constant time); MatchCase
// also accepts the suite's internal token (CAREBRIDGE_INTERNAL_TOKEN), which Inquiries presents for
// `GET /v1/cases/{caseId}/matches`. The internal token does not open the admin RPCs. With no token
// configured those calls are refused outright. Public reads need no credentials. Thread-safe.
#pragma once

#include <string>

#include "carebridge/v1/catalog.grpc.pb.h"
#include "services/catalog/catalog_service.h"

namespace carebridge::catalog {

class CatalogGrpcService final : public carebridge::v1::Catalog::Service {
 public:
  // `admin_token` empty: every admin call is refused with PERMISSION_DENIED. `internal_token`
  // empty: MatchCase needs the admin token.
  CatalogGrpcService(CatalogService& catalog, std::string admin_token,
                     std::string internal_token = "")
      : catalog_(catalog),
        admin_token_(std::move(admin_token)),
        internal_token_(std::move(internal_token)) {}

  grpc::Status SearchClinics(grpc::ServerContext* context,
                             const carebridge::v1::SearchClinicsRequest* request,
                             carebridge::v1::SearchClinicsResponse* response) override;
  grpc::Status GetClinic(grpc::ServerContext* context,
                         const carebridge::v1::GetClinicRequest* request,
                         carebridge::v1::Clinic* response) override;
  grpc::Status ListCountries(grpc::ServerContext* context,
                             const carebridge::v1::ListCountriesRequest* request,
                             carebridge::v1::ListCountriesResponse* response) override;
  grpc::Status MatchCase(grpc::ServerContext* context,
                         const carebridge::v1::MatchCaseRequest* request,
                         carebridge::v1::MatchCaseResponse* response) override;

  grpc::Status AdminGetClinic(grpc::ServerContext* context,
                              const carebridge::v1::GetClinicRequest* request,
                              carebridge::v1::Clinic* response) override;
  grpc::Status AdminListClinics(grpc::ServerContext* context,
                                const carebridge::v1::AdminListClinicsRequest* request,
                                carebridge::v1::AdminListClinicsResponse* response) override;
  grpc::Status CreateClinic(grpc::ServerContext* context,
                            const carebridge::v1::CreateClinicRequest* request,
                            carebridge::v1::Clinic* response) override;
  grpc::Status UpdateClinic(grpc::ServerContext* context,
                            const carebridge::v1::UpdateClinicRequest* request,
                            carebridge::v1::Clinic* response) override;
  grpc::Status ArchiveClinic(grpc::ServerContext* context,
                             const carebridge::v1::ArchiveClinicRequest* request,
                             carebridge::v1::Clinic* response) override;
  grpc::Status CreateProtocol(grpc::ServerContext* context,
                              const carebridge::v1::CreateProtocolRequest* request,
                              carebridge::v1::Protocol* response) override;
  grpc::Status UpdateProtocol(grpc::ServerContext* context,
                              const carebridge::v1::UpdateProtocolRequest* request,
                              carebridge::v1::Protocol* response) override;
  grpc::Status ArchiveProtocol(grpc::ServerContext* context,
                               const carebridge::v1::ArchiveProtocolRequest* request,
                               carebridge::v1::Protocol* response) override;

 private:
  // OK when the call carries the admin token (or, with `allow_internal`, the internal token);
  // UNAUTHENTICATED without a bearer token; PERMISSION_DENIED with a wrong one or when no token
  // that could open the call is configured.
  absl::Status CheckAdmin(const grpc::ServerContext& context, bool allow_internal = false) const;

  CatalogService& catalog_;
  const std::string admin_token_;
  const std::string internal_token_;
};

}  // namespace carebridge::catalog
