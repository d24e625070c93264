// The gRPC adapter of the FollowUps service (ListFollowUps, RetryFollowUp): maps protos to
// JobStore calls and absl::Status to grpc::Status. Internal until coordinator authentication
// exists (no HTTP route). Thread-safe.
#pragma once

#include <functional>

#include "carebridge/v1/inquiries.grpc.pb.h"
#include "services/followups/job_store.h"

namespace carebridge::followups {

class FollowUpsGrpcService final : public carebridge::v1::FollowUps::Service {
 public:
  // `retried` is called after a hand retry (to wake the requeue loop).
  FollowUpsGrpcService(JobStore& store, std::function<absl::Time()> clock,
                       std::function<void()> retried)
      : store_(store), clock_(std::move(clock)), retried_(std::move(retried)) {}

  grpc::Status ListFollowUps(grpc::ServerContext* context,
                             const carebridge::v1::ListFollowUpsRequest* request,
                             carebridge::v1::ListFollowUpsResponse* response) override;
  grpc::Status RetryFollowUp(grpc::ServerContext* context,
                             const carebridge::v1::RetryFollowUpRequest* request,
                             carebridge::v1::FollowUp* response) override;

 private:
  JobStore& store_;
  const std::function<absl::Time()> clock_;
  const std::function<void()> retried_;
};

}  // namespace carebridge::followups
