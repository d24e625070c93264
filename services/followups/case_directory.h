// What the worker asks the Inquiries service (the owner of cases and the outbox), behind a narrow
// interface so the processor is testable without gRPC.
//
// GrpcCaseDirectory calls the internal Inquiries RPCs GetCaseContacts and ConfirmFollowUps, each
// with a deadline and, when an internal token is configured, `authorization: Bearer <token>`. gRPC
// codes become absl codes: NOT_FOUND and INVALID_ARGUMENT stay (retrying cannot help), everything
// else is UNAVAILABLE. Thread-safe.
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
  // The contacts of those of `case_ids` that exist (unknown cases are left out), in any order.
  virtual absl::StatusOr<std::vector<carebridge::v1::CaseContact>> GetCaseContacts(
      const std::vector<std::string>& case_ids) = 0;
  // Tells the outbox owner the worker now holds these jobs (outbox ids). Best effort.
  virtual absl::Status ConfirmFollowUps(const std::vector<int64_t>& outbox_ids) = 0;
};

class GrpcCaseDirectory final : public CaseDirectory {
 public:
  // `address` is "host:port" of carebridge-inquiries; `internal_token` is the suite's internal
  // token (CAREBRIDGE_INTERNAL_TOKEN), sent on every call ("" sends no credentials).
  GrpcCaseDirectory(const std::string& address, std::chrono::milliseconds timeout,
                    std::string internal_token);
  // Asks in chunks of at most 500 ids (the RPC's limit).
  absl::StatusOr<std::vector<carebridge::v1::CaseContact>> GetCaseContacts(
      const std::vector<std::string>& case_ids) override;
  absl::Status ConfirmFollowUps(const std::vector<int64_t>& outbox_ids) override;

 private:
  std::unique_ptr<carebridge::v1::Inquiries::Stub> stub_;
  const std::chrono::milliseconds timeout_;
  const std::string internal_token_;

  std::unique_ptr<grpc::ClientContext> Context() const;
};

}  // namespace carebridge::followups
