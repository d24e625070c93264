#include "services/scheduling/scheduling_grpc_service.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/authorized_call.h"
#include "services/common/booking_link.h"
#include "services/common/errors.h"
#include "services/common/logging.h"
#include "services/common/request_id.h"

namespace carebridge::scheduling {

namespace v1 = carebridge::v1;

template <typename Response, typename Body>
grpc::Status SchedulingGrpcService::Serve(grpc::ServerContext* context, const char* method,
                                          const std::string& booking_token, Response* response,
                                          Body body) const {
  const std::string path = absl::StrCat("/carebridge.v1.Scheduling/", method);
  return ServeAuthorized(
      auth_, *context, path, response,
      [&](const Principal& principal, const std::string& request_id) -> decltype(body(Caller{})) {
        Caller caller;
        caller.request_id = request_id;
        caller.actor = principal.Actor();
        switch (principal.kind) {
          case Principal::Kind::kUser:
            caller.staff = true;
            caller.admin = principal.IsAdmin();
            caller.user_id = principal.id;
            break;
          case Principal::Kind::kInternal:
            caller.staff = true;
            break;
          case Principal::Kind::kPartner:
            break;  // only public methods get here
          case Principal::Kind::kAnonymous:
            if (PermissionFor(path).access == Access::kUserOrBookingLink) {
              absl::StatusOr<std::string> case_id =
                  VerifyBookingLinkToken(link_secret_, booking_token, absl::Now());
              if (!case_id.ok()) return case_id.status();
              caller.patient_case_id = *case_id;
              caller.actor = "patient";
            }
            break;
        }
        return body(caller);
      });
}

grpc::Status SchedulingGrpcService::ListHosts(grpc::ServerContext* context,
                                              const v1::ListHostsRequest* request,
                                              v1::ListHostsResponse* response) {
  return Serve(context, "ListHosts", "", response,
               [&](const Caller&) { return scheduling_.ListHosts(*request); });
}

grpc::Status SchedulingGrpcService::GetHost(grpc::ServerContext* context,
                                            const v1::GetHostRequest* request, v1::Host* response) {
  return Serve(context, "GetHost", "", response,
               [&](const Caller&) { return scheduling_.GetHost(*request); });
}

grpc::Status SchedulingGrpcService::ListSlots(grpc::ServerContext* context,
                                              const v1::ListSlotsRequest* request,
                                              v1::ListSlotsResponse* response) {
  return Serve(context, "ListSlots", request->booking_token(), response,
               [&](const Caller& caller) { return scheduling_.ListSlots(*request, caller); });
}

grpc::Status SchedulingGrpcService::CreateBooking(grpc::ServerContext* context,
                                                  const v1::CreateBookingRequest* request,
                                                  v1::Booking* response) {
  return Serve(context, "CreateBooking", request->booking_token(), response,
               [&](const Caller& caller) { return scheduling_.CreateBooking(*request, caller); });
}

grpc::Status SchedulingGrpcService::GetBooking(grpc::ServerContext* context,
                                               const v1::GetBookingRequest* request,
                                               v1::Booking* response) {
  return Serve(context, "GetBooking", request->booking_token(), response,
               [&](const Caller& caller) { return scheduling_.GetBooking(*request, caller); });
}

grpc::Status SchedulingGrpcService::ListBookings(grpc::ServerContext* context,
                                                 const v1::ListBookingsRequest* request,
                                                 v1::ListBookingsResponse* response) {
  return Serve(context, "ListBookings", "", response,
               [&](const Caller&) { return scheduling_.ListBookings(*request); });
}

grpc::Status SchedulingGrpcService::ConfirmBooking(grpc::ServerContext* context,
                                                   const v1::ConfirmBookingRequest* request,
                                                   v1::Booking* response) {
  return Serve(context, "ConfirmBooking", request->booking_token(), response,
               [&](const Caller& caller) { return scheduling_.ConfirmBooking(*request, caller); });
}

grpc::Status SchedulingGrpcService::CancelBooking(grpc::ServerContext* context,
                                                  const v1::CancelBookingRequest* request,
                                                  v1::Booking* response) {
  return Serve(context, "CancelBooking", request->booking_token(), response,
               [&](const Caller& caller) { return scheduling_.CancelBooking(*request, caller); });
}

grpc::Status SchedulingGrpcService::RescheduleBooking(grpc::ServerContext* context,
                                                      const v1::RescheduleBookingRequest* request,
                                                      v1::Booking* response) {
  return Serve(
      context, "RescheduleBooking", request->booking_token(), response,
      [&](const Caller& caller) { return scheduling_.RescheduleBooking(*request, caller); });
}

grpc::Status SchedulingGrpcService::GetCalendarFeed(grpc::ServerContext* context,
                                                    const v1::GetCalendarFeedRequest* request,
                                                    v1::HttpBody* response) {
  return Serve(context, "GetCalendarFeed", "", response,
               [&](const Caller&) { return scheduling_.GetCalendarFeed(*request); });
}

grpc::Status SchedulingGrpcService::RotateCalendarToken(
    grpc::ServerContext* context, const v1::RotateCalendarTokenRequest* request,
    v1::CalendarToken* response) {
  return Serve(context, "RotateCalendarToken", "", response, [&](const Caller& caller) {
    return scheduling_.RotateCalendarToken(*request, caller);
  });
}

grpc::Status SchedulingGrpcService::PlanItinerary(grpc::ServerContext* context,
                                                  const v1::PlanItineraryRequest* request,
                                                  v1::Itinerary* response) {
  return Serve(context, "PlanItinerary", "", response,
               [&](const Caller& caller) { return scheduling_.PlanItinerary(*request, caller); });
}

grpc::Status SchedulingGrpcService::UpsertHost(grpc::ServerContext* context,
                                               const v1::UpsertHostRequest* request,
                                               v1::Host* response) {
  return Serve(context, "UpsertHost", "", response,
               [&](const Caller&) { return scheduling_.UpsertHost(*request); });
}

grpc::Status SchedulingGrpcService::GetBookingReminder(grpc::ServerContext* context,
                                                       const v1::GetBookingReminderRequest* request,
                                                       v1::BookingReminder* response) {
  return Serve(context, "GetBookingReminder", "", response,
               [&](const Caller&) { return scheduling_.GetBookingReminder(*request); });
}

grpc::Status SchedulingGrpcService::ConfirmFollowUps(
    grpc::ServerContext* context, const v1::ConfirmSchedulingFollowUpsRequest* request,
    v1::ConfirmSchedulingFollowUpsResponse* response) {
  return Serve(context, "ConfirmFollowUps", "", response,
               [&](const Caller&) { return scheduling_.ConfirmFollowUps(*request); });
}

}  // namespace carebridge::scheduling
