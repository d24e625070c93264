// The gRPC adapter of the Scheduling service: authorizes every call against the suite's permission
// table through the shared Authenticator, resolves the caller (a session, the internal token, or
// an anonymous patient whose request carries a valid booking link token), then maps calls to
// SchedulingService and absl::Status to grpc::Status. Thread-safe.
#pragma once

#include <string>

#include "carebridge/v1/scheduling.grpc.pb.h"
#include "services/common/authenticator.h"
#include "services/scheduling/scheduling_service.h"

namespace carebridge::scheduling {

class SchedulingGrpcService final : public carebridge::v1::Scheduling::Service {
 public:
  // Neither reference is owned. `booking_link_secret` verifies patients' link tokens (empty:
  // patients cannot book themselves).
  SchedulingGrpcService(SchedulingService& scheduling, const Authenticator& auth,
                        std::string booking_link_secret)
      : scheduling_(scheduling), auth_(auth), link_secret_(std::move(booking_link_secret)) {}

#define CAREBRIDGE_SCHEDULING_RPC(Method, Request, Response)                                \
  grpc::Status Method(grpc::ServerContext* context, const carebridge::v1::Request* request, \
                      carebridge::v1::Response* response) override;
  CAREBRIDGE_SCHEDULING_RPC(ListHosts, ListHostsRequest, ListHostsResponse)
  CAREBRIDGE_SCHEDULING_RPC(GetHost, GetHostRequest, Host)
  CAREBRIDGE_SCHEDULING_RPC(ListSlots, ListSlotsRequest, ListSlotsResponse)
  CAREBRIDGE_SCHEDULING_RPC(CreateBooking, CreateBookingRequest, Booking)
  CAREBRIDGE_SCHEDULING_RPC(GetBooking, GetBookingRequest, Booking)
  CAREBRIDGE_SCHEDULING_RPC(ListBookings, ListBookingsRequest, ListBookingsResponse)
  CAREBRIDGE_SCHEDULING_RPC(ConfirmBooking, ConfirmBookingRequest, Booking)
  CAREBRIDGE_SCHEDULING_RPC(CancelBooking, CancelBookingRequest, Booking)
  CAREBRIDGE_SCHEDULING_RPC(RescheduleBooking, RescheduleBookingRequest, Booking)
  CAREBRIDGE_SCHEDULING_RPC(GetCalendarFeed, GetCalendarFeedRequest, HttpBody)
  CAREBRIDGE_SCHEDULING_RPC(RotateCalendarToken, RotateCalendarTokenRequest, CalendarToken)
  CAREBRIDGE_SCHEDULING_RPC(PlanItinerary, PlanItineraryRequest, Itinerary)
  CAREBRIDGE_SCHEDULING_RPC(UpsertHost, UpsertHostRequest, Host)
  CAREBRIDGE_SCHEDULING_RPC(GetBookingReminder, GetBookingReminderRequest, BookingReminder)
  CAREBRIDGE_SCHEDULING_RPC(ConfirmFollowUps, ConfirmSchedulingFollowUpsRequest,
                            ConfirmSchedulingFollowUpsResponse)
#undef CAREBRIDGE_SCHEDULING_RPC

 private:
  // Authorizes the call to `method`, resolves the caller (checking `booking_token` for an
  // anonymous caller) and, when allowed, copies what `body(caller)` returns into `response`.
  template <typename Response, typename Body>
  grpc::Status Serve(grpc::ServerContext* context, const char* method,
                     const std::string& booking_token, Response* response, Body body) const;

  SchedulingService& scheduling_;
  const Authenticator& auth_;
  const std::string link_secret_;
};

}  // namespace carebridge::scheduling
