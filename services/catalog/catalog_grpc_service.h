// The gRPC adapter of the Catalog service: authorizes every call against the suite's permission
// table through the shared Authenticator (public reads, MatchCase for sessions / partners with
// `catalog:read` / the internal token, admin RPCs for admin sessions only), then maps calls to
// CatalogService and absl::Status to grpc::Status (with BadRequest details). Thread-safe.
#pragma once

#include <string>

#include "carebridge/v1/catalog.grpc.pb.h"
#include "services/catalog/catalog_service.h"
#include "services/common/authenticator.h"

namespace carebridge::catalog {

class CatalogGrpcService final : public carebridge::v1::Catalog::Service {
 public:
  // Neither argument is owned; both must outlive the service.
  CatalogGrpcService(CatalogService& catalog, const Authenticator& auth)
      : catalog_(catalog), auth_(auth) {}

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
  // Authorizes the call to `method` (the RPC's name) and, when allowed, copies what `body` returns
  // into `response` or maps its error.
  template <typename Response, typename Body>
  grpc::Status Serve(grpc::ServerContext* context, const char* method, Response* response,
                     Body body) const;

  CatalogService& catalog_;
  const Authenticator& auth_;
};

}  // namespace carebridge::catalog
