// What Scheduling asks the Catalog service: a clinic's protocol (its cell source, culture window
// and trip plan), for the itinerary planner. Behind a narrow interface so the domain is testable
// without gRPC; never reads Catalog's tables.
//
// GrpcCatalogLink calls Catalog.GetClinic with the suite's internal token and a deadline and picks
// the protocol out. NOT_FOUND for an unknown clinic or protocol; UNAVAILABLE otherwise.
// Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "carebridge/v1/catalog.grpc.pb.h"

namespace carebridge::scheduling {

class CatalogLink {
 public:
  virtual ~CatalogLink() = default;
  virtual absl::StatusOr<carebridge::v1::Protocol> GetProtocol(const std::string& clinic_id,
                                                               const std::string& protocol_id,
                                                               const std::string& request_id) = 0;
};

class GrpcCatalogLink final : public CatalogLink {
 public:
  // `address`: "host:port" of carebridge-catalog.
  GrpcCatalogLink(const std::string& address, std::chrono::milliseconds timeout,
                  std::string internal_token);
  absl::StatusOr<carebridge::v1::Protocol> GetProtocol(const std::string& clinic_id,
                                                       const std::string& protocol_id,
                                                       const std::string& request_id) override;

 private:
  std::unique_ptr<carebridge::v1::Catalog::Stub> stub_;
  const std::chrono::milliseconds timeout_;
  const std::string internal_token_;
};

}  // namespace carebridge::scheduling
