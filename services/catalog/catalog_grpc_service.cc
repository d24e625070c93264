#include "services/catalog/catalog_grpc_service.h"

#include "absl/strings/str_cat.h"
#include "services/common/authorized_call.h"
#include "services/common/logging.h"
#include "services/common/request_id.h"

namespace carebridge::catalog {

namespace v1 = carebridge::v1;

template <typename Response, typename Body>
grpc::Status CatalogGrpcService::Serve(grpc::ServerContext* context, const char* method,
                                       Response* response, Body body) const {
  return ServeAuthorized(auth_, *context, absl::StrCat("/carebridge.v1.Catalog/", method), response,
                         [&](const Principal& principal, const std::string& request_id) {
                           return body(EditAudit{principal.Actor(), request_id, "{}"});
                         });
}

grpc::Status CatalogGrpcService::SearchClinics(grpc::ServerContext* context,
                                               const v1::SearchClinicsRequest* request,
                                               v1::SearchClinicsResponse* response) {
  return Serve(context, "SearchClinics", response,
               [&](const EditAudit&) { return catalog_.SearchClinics(*request); });
}

grpc::Status CatalogGrpcService::GetClinic(grpc::ServerContext* context,
                                           const v1::GetClinicRequest* request,
                                           v1::Clinic* response) {
  return Serve(context, "GetClinic", response,
               [&](const EditAudit&) { return catalog_.GetClinic(*request); });
}

grpc::Status CatalogGrpcService::ListCountries(grpc::ServerContext* context,
                                               const v1::ListCountriesRequest* request,
                                               v1::ListCountriesResponse* response) {
  return Serve(context, "ListCountries", response,
               [&](const EditAudit&) { return catalog_.ListCountries(*request); });
}

grpc::Status CatalogGrpcService::MatchCase(grpc::ServerContext* context,
                                           const v1::MatchCaseRequest* request,
                                           v1::MatchCaseResponse* response) {
  return Serve(context, "MatchCase", response,
               [&](const EditAudit&) { return catalog_.MatchCase(*request); });
}

grpc::Status CatalogGrpcService::AdminGetClinic(grpc::ServerContext* context,
                                                const v1::GetClinicRequest* request,
                                                v1::Clinic* response) {
  return Serve(context, "AdminGetClinic", response,
               [&](const EditAudit&) { return catalog_.AdminGetClinic(*request); });
}

grpc::Status CatalogGrpcService::AdminListClinics(grpc::ServerContext* context,
                                                  const v1::AdminListClinicsRequest* request,
                                                  v1::AdminListClinicsResponse* response) {
  return Serve(context, "AdminListClinics", response,
               [&](const EditAudit&) { return catalog_.AdminListClinics(*request); });
}

grpc::Status CatalogGrpcService::CreateClinic(grpc::ServerContext* context,
                                              const v1::CreateClinicRequest* request,
                                              v1::Clinic* response) {
  return Serve(context, "CreateClinic", response,
               [&](const EditAudit& audit) { return catalog_.CreateClinic(*request, audit); });
}

grpc::Status CatalogGrpcService::UpdateClinic(grpc::ServerContext* context,
                                              const v1::UpdateClinicRequest* request,
                                              v1::Clinic* response) {
  return Serve(context, "UpdateClinic", response,
               [&](const EditAudit& audit) { return catalog_.UpdateClinic(*request, audit); });
}

grpc::Status CatalogGrpcService::ArchiveClinic(grpc::ServerContext* context,
                                               const v1::ArchiveClinicRequest* request,
                                               v1::Clinic* response) {
  return Serve(context, "ArchiveClinic", response,
               [&](const EditAudit& audit) { return catalog_.ArchiveClinic(*request, audit); });
}

grpc::Status CatalogGrpcService::CreateProtocol(grpc::ServerContext* context,
                                                const v1::CreateProtocolRequest* request,
                                                v1::Protocol* response) {
  return Serve(context, "CreateProtocol", response,
               [&](const EditAudit& audit) { return catalog_.CreateProtocol(*request, audit); });
}

grpc::Status CatalogGrpcService::UpdateProtocol(grpc::ServerContext* context,
                                                const v1::UpdateProtocolRequest* request,
                                                v1::Protocol* response) {
  return Serve(context, "UpdateProtocol", response,
               [&](const EditAudit& audit) { return catalog_.UpdateProtocol(*request, audit); });
}

grpc::Status CatalogGrpcService::ArchiveProtocol(grpc::ServerContext* context,
                                                 const v1::ArchiveProtocolRequest* request,
                                                 v1::Protocol* response) {
  return Serve(context, "ArchiveProtocol", response,
               [&](const EditAudit& audit) { return catalog_.ArchiveProtocol(*request, audit); });
}

}  // namespace carebridge::catalog
