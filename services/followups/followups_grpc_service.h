// The gRPC adapter of the FollowUps service (ListFollowUps, RetryFollowUp, GetFollowUpStats):
// authorizes every call against the suite's permission table through the shared Authenticator
// (coordinator and admin sessions, or the internal token), maps protos to JobStore calls and
// absl::Status to grpc::Status. Thread-safe.
#pragma once

#include <functional>

#include "carebridge/v1/inquiries.grpc.pb.h"
#include "services/common/authenticator.h"
#include "services/followups/job_store.h"

namespace carebridge::followups {

class FollowUpsGrpcService final : public carebridge::v1::FollowUps::Service {
 public:
  // `retried` is called after a hand retry (to wake the requeue loop). `store` and `auth` are not
  // owned and must outlive the service.
  FollowUpsGrpcService(JobStore& store, const Authenticator& auth,
                       std::function<absl::Time()> clock, std::function<void()> retried)
      : store_(store), auth_(auth), clock_(std::move(clock)), retried_(std::move(retried)) {}

  grpc::Status ListFollowUps(grpc::ServerContext* context,
                             const carebridge::v1::ListFollowUpsRequest* request,
                             carebridge::v1::ListFollowUpsResponse* response) override;
  grpc::Status RetryFollowUp(grpc::ServerContext* context,
                             const carebridge::v1::RetryFollowUpRequest* request,
                             carebridge::v1::FollowUp* response) override;
  // dead_limit: 0 means 20; 1..100, else INVALID_ARGUMENT on "dead_limit".
  grpc::Status GetFollowUpStats(grpc::ServerContext* context,
                                const carebridge::v1::GetFollowUpStatsRequest* request,
                                carebridge::v1::FollowUpStats* response) override;

 private:
  JobStore& store_;
  const Authenticator& auth_;
  const std::function<absl::Time()> clock_;
  const std::function<void()> retried_;
};

}  // namespace carebridge::followups
