// CaseMatcher over gRPC: calls Catalog.MatchCase with a deadline, presenting the internal token
// (when configured) and forwarding the request id. gRPC codes are kept except that anything but
// INVALID_ARGUMENT / NOT_FOUND / DEADLINE_EXCEEDED becomes UNAVAILABLE with a generic message.
// Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "carebridge/v1/catalog.grpc.pb.h"
#include "services/inquiries/case_service.h"

namespace carebridge::inquiries {

class GrpcCaseMatcher final : public CaseMatcher {
 public:
  GrpcCaseMatcher(const std::string& address, std::chrono::milliseconds timeout,
                  std::string internal_token);
  absl::StatusOr<carebridge::v1::MatchCaseResponse> Match(
      const carebridge::v1::MatchCaseRequest& request, const std::string& request_id) override;

 private:
  std::unique_ptr<carebridge::v1::Catalog::Stub> stub_;
  const std::chrono::milliseconds timeout_;
  const std::string internal_token_;
};

}  // namespace carebridge::inquiries
