#include "services/followups/followups_grpc_service.h"

#include "services/common/errors.h"
#include "services/common/logging.h"
#include "services/common/request_id.h"

namespace carebridge::followups {

grpc::Status FollowUpsGrpcService::ListFollowUps(
    grpc::ServerContext* context, const carebridge::v1::ListFollowUpsRequest* request,
    carebridge::v1::ListFollowUpsResponse* response) {
  const std::string request_id = RequestIdOf(*context);
  auto principal = auth_.Authorize(*context, "/carebridge.v1.FollowUps/ListFollowUps");
  if (!principal.ok()) return ToGrpcStatus(principal.status(), request_id);
  auto list = store_.ListByCase(request->case_id());
  if (!list.ok()) return ToGrpcStatus(list.status(), request_id);
  for (auto& follow_up : *list) *response->add_follow_ups() = std::move(follow_up);
  return grpc::Status::OK;
}

grpc::Status FollowUpsGrpcService::RetryFollowUp(
    grpc::ServerContext* context, const carebridge::v1::RetryFollowUpRequest* request,
    carebridge::v1::FollowUp* response) {
  const std::string request_id = RequestIdOf(*context);
  auto principal = auth_.Authorize(*context, "/carebridge.v1.FollowUps/RetryFollowUp");
  if (!principal.ok()) return ToGrpcStatus(principal.status(), request_id);
  auto retried =
      store_.RetryDead(request->follow_up_id(), clock_(), principal->Actor(), request_id);
  if (!retried.ok()) return ToGrpcStatus(retried.status(), request_id);
  LogInfo("job_retried_by_hand", {{"job_id", retried->follow_up_id()},
                                  {"actor", principal->Actor()},
                                  {"request_id", request_id}});
  *response = *std::move(retried);
  if (retried_) retried_();
  return grpc::Status::OK;
}

grpc::Status FollowUpsGrpcService::GetFollowUpStats(
    grpc::ServerContext* context, const carebridge::v1::GetFollowUpStatsRequest* request,
    carebridge::v1::FollowUpStats* response) {
  const std::string request_id = RequestIdOf(*context);
  auto principal = auth_.Authorize(*context, "/carebridge.v1.FollowUps/GetFollowUpStats");
  if (!principal.ok()) return ToGrpcStatus(principal.status(), request_id);
  const int dead_limit = request->dead_limit() == 0 ? 20 : request->dead_limit();
  if (dead_limit < 1 || dead_limit > 100) {
    return ToGrpcStatus(InvalidFields({{"dead_limit", "Must be 1 to 100 (default 20)."}}),
                        request_id);
  }
  auto stats = store_.Stats(dead_limit);
  if (!stats.ok()) return ToGrpcStatus(stats.status(), request_id);
  *response = *std::move(stats);
  return grpc::Status::OK;
}

}  // namespace carebridge::followups
