// What the worker asks the Scheduling service (the owner of bookings and of the reminder outbox),
// behind a narrow interface so the processor is testable without gRPC.
//
// GrpcBookingDirectory calls the internal Scheduling RPCs GetBookingReminder and ConfirmFollowUps
// with a deadline and the suite's internal token. gRPC codes become absl codes: NOT_FOUND and
// INVALID_ARGUMENT stay (retrying cannot help), everything else is UNAVAILABLE. Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "carebridge/v1/scheduling.grpc.pb.h"

namespace carebridge::followups {

class BookingDirectory {
 public:
  virtual ~BookingDirectory() = default;
  // The booking a reminder job ("scheduling:<outbox id>") is about, and whether it is still wanted.
  virtual absl::StatusOr<carebridge::v1::BookingReminder> GetBookingReminder(
      const std::string& job_id) = 0;
  // Tells Scheduling the worker now holds these jobs. Best effort.
  virtual absl::Status ConfirmFollowUps(const std::vector<std::string>& job_ids) = 0;
};

class GrpcBookingDirectory final : public BookingDirectory {
 public:
  // `address` is "host:port" of carebridge-scheduling.
  GrpcBookingDirectory(const std::string& address, std::chrono::milliseconds timeout,
                       std::string internal_token);
  absl::StatusOr<carebridge::v1::BookingReminder> GetBookingReminder(
      const std::string& job_id) override;
  absl::Status ConfirmFollowUps(const std::vector<std::string>& job_ids) override;

 private:
  std::unique_ptr<grpc::ClientContext> Context() const;

  std::unique_ptr<carebridge::v1::Scheduling::Stub> stub_;
  const std::chrono::milliseconds timeout_;
  const std::string internal_token_;
};

}  // namespace carebridge::followups
