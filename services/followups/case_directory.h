// What the worker asks the Inquiries service (the owner of cases and the outbox), behind a narrow
// interface so the processor is testable without gRPC.
//
// GrpcCaseDirectory calls the internal Inquiries RPCs GetCaseContact and ConfirmFollowUps, each
// with a deadline. gRPC codes become absl codes: NOT_FOUND and INVALID_ARGUMENT stay (retrying
// cannot help), everything else is UNAVAILABLE. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "carebridge/v1/inquiries.grpc.pb.h"

namespace carebridge::followups {

class CaseDirectory {
 public:
  virtual ~CaseDirectory() = default;
  virtual absl::StatusOr<carebridge::v1::CaseContact> GetCaseContact(
      const std::string& case_id) = 0;
  // Tells the outbox owner the worker now holds these jobs (outbox ids). Best effort.
  virtual absl::Status ConfirmFollowUps(const std::vector<int64_t>& outbox_ids) = 0;
};

class GrpcCaseDirectory final : public CaseDirectory {
 public:
  // `address` is "host:port" of carebridge-inquiries.
  GrpcCaseDirectory(const std::string& address, std::chrono::milliseconds timeout);
  absl::StatusOr<carebridge::v1::CaseContact> GetCaseContact(const std::string& case_id) override;
  absl::Status ConfirmFollowUps(const std::vector<int64_t>& outbox_ids) override;

 private:
  std::unique_ptr<carebridge::v1::Inquiries::Stub> stub_;
  const std::chrono::milliseconds timeout_;
};

}  // namespace carebridge::followups
