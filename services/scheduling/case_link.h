// What Scheduling asks the Inquiries service (the owner of cases), behind a narrow interface so
// the domain is testable without gRPC: whether a case exists, and moving a case to
// CONSULTATION_BOOKED when a consultation is booked. Never reads Inquiries' tables.
//
// GrpcCaseLink calls GetCase / UpdateCase with the suite's internal token and a deadline. gRPC
// codes become absl codes: NOT_FOUND stays, everything else is UNAVAILABLE. Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "carebridge/v1/inquiries.grpc.pb.h"

namespace carebridge::scheduling {

class CaseLink {
 public:
  virtual ~CaseLink() = default;
  // The case's stage when it exists; NOT_FOUND when it does not; UNAVAILABLE when Inquiries is
  // down.
  virtual absl::StatusOr<carebridge::v1::Stage> CaseStage(const std::string& case_id,
                                                          const std::string& request_id) = 0;
  // Moves the case to CONSULTATION_BOOKED unless it is there already, further on, or closed
  // (all OK). UNAVAILABLE when Inquiries cannot be reached (the caller retries later).
  virtual absl::Status MarkConsultationBooked(const std::string& case_id,
                                              const std::string& request_id) = 0;
};

class GrpcCaseLink final : public CaseLink {
 public:
  // `address`: "host:port" of carebridge-inquiries.
  GrpcCaseLink(const std::string& address, std::chrono::milliseconds timeout,
               std::string internal_token);
  absl::StatusOr<carebridge::v1::Stage> CaseStage(const std::string& case_id,
                                                  const std::string& request_id) override;
  absl::Status MarkConsultationBooked(const std::string& case_id,
                                      const std::string& request_id) override;

 private:
  std::unique_ptr<grpc::ClientContext> Context(const std::string& request_id) const;

  std::unique_ptr<carebridge::v1::Inquiries::Stub> stub_;
  const std::chrono::milliseconds timeout_;
  const std::string internal_token_;
};

}  // namespace carebridge::scheduling
