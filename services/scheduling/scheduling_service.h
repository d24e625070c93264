// The Scheduling domain: slots from host rules minus bookings, bookings that never overlap, the
// host calendar feed and the itinerary planner. Takes its stores, the case link and a clock in its
// constructor, so it is testable without gRPC.
//
// Callers (resolved by the gRPC adapter): coordinators and admins; patients holding the booking
// link of their case (`Caller::patient_case_id`), who may only see intro-call slots, book for
// their own case and see / move / cancel their own bookings; the suite's services (internal).
// Errors are absl::Status with the codes the proto documents; bad input names its field.
// Thread-safe.
#pragma once

#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "carebridge/v1/scheduling.pb.h"
#include "services/scheduling/booking_store.h"
#include "services/scheduling/case_link.h"
#include "services/scheduling/catalog_link.h"
#include "services/scheduling/host_store.h"

namespace carebridge::scheduling {

struct Caller {
  std::string actor = "system";  // "user:<id>", "patient", "system"
  bool staff = false;            // a coordinator or admin session, or the internal token
  bool admin = false;
  std::string user_id;
  std::string patient_case_id;  // a patient holding their booking link
  std::string request_id;
};

struct SchedulingConfig {
  std::string patient_type = "intro_call";  // the only type patients may book themselves
  std::set<std::string> stage_types = {"video_consultation"};  // move the case when confirmed
  absl::Duration max_window = absl::Hours(24 * 62);            // ListSlots [from, to)
  absl::Duration feed_history = absl::Hours(24 * 90);          // past bookings in the feed
  std::string public_base_url = "http://127.0.0.1:8080";       // for feed paths
};

class SchedulingService {
 public:
  // None of the references are owned; all must outlive the service.
  SchedulingService(HostStore& hosts, BookingStore& bookings, CaseLink& cases, CatalogLink& catalog,
                    SchedulingConfig config, std::function<absl::Time()> clock);

  absl::StatusOr<carebridge::v1::ListHostsResponse> ListHosts(
      const carebridge::v1::ListHostsRequest& request);
  absl::StatusOr<carebridge::v1::Host> GetHost(const carebridge::v1::GetHostRequest& request);
  absl::StatusOr<carebridge::v1::Host> UpsertHost(const carebridge::v1::UpsertHostRequest& request);

  absl::StatusOr<carebridge::v1::ListSlotsResponse> ListSlots(
      const carebridge::v1::ListSlotsRequest& request, const Caller& caller);
  absl::StatusOr<carebridge::v1::Booking> CreateBooking(
      const carebridge::v1::CreateBookingRequest& request, const Caller& caller);
  absl::StatusOr<carebridge::v1::Booking> GetBooking(
      const carebridge::v1::GetBookingRequest& request, const Caller& caller);
  absl::StatusOr<carebridge::v1::ListBookingsResponse> ListBookings(
      const carebridge::v1::ListBookingsRequest& request);
  absl::StatusOr<carebridge::v1::Booking> ConfirmBooking(
      const carebridge::v1::ConfirmBookingRequest& request, const Caller& caller);
  absl::StatusOr<carebridge::v1::Booking> CancelBooking(
      const carebridge::v1::CancelBookingRequest& request, const Caller& caller);
  absl::StatusOr<carebridge::v1::Booking> RescheduleBooking(
      const carebridge::v1::RescheduleBookingRequest& request, const Caller& caller);

  absl::StatusOr<carebridge::v1::HttpBody> GetCalendarFeed(
      const carebridge::v1::GetCalendarFeedRequest& request);
  absl::StatusOr<carebridge::v1::CalendarToken> RotateCalendarToken(
      const carebridge::v1::RotateCalendarTokenRequest& request, const Caller& caller);

  absl::StatusOr<carebridge::v1::Itinerary> PlanItinerary(
      const carebridge::v1::PlanItineraryRequest& request, const Caller& caller);

  absl::StatusOr<carebridge::v1::BookingReminder> GetBookingReminder(
      const carebridge::v1::GetBookingReminderRequest& request);
  absl::StatusOr<carebridge::v1::ConfirmSchedulingFollowUpsResponse> ConfirmFollowUps(
      const carebridge::v1::ConfirmSchedulingFollowUpsRequest& request);

  // Moves the cases of confirmed consultations whose move has not happened yet (Inquiries was
  // down). Returns how many were moved. Called periodically by main's sweeper thread.
  int SyncCaseStages(int limit);

 private:
  // The consultation types, loaded once (they change only with a migration).
  absl::StatusOr<std::vector<carebridge::v1::ConsultationType>> Types();
  absl::StatusOr<carebridge::v1::ConsultationType> TypeOf(const std::string& code,
                                                          const std::string& field);
  // A booking the caller may act on: NOT_FOUND for another case's booking when the caller is a
  // patient; with `change`, PERMISSION_DENIED for a patient and a booking of another type than
  // theirs. Staff actors are shown to patients as "coordinator".
  absl::StatusOr<carebridge::v1::Booking> OwnBooking(const std::string& booking_id,
                                                     const Caller& caller, bool with_history,
                                                     bool change);
  // The booking as `caller` may see it: staff actors are shown to patients as "coordinator".
  static carebridge::v1::Booking ForCaller(carebridge::v1::Booking booking, const Caller& caller);
  // OK when a patient's case may still book (it exists and is neither closed nor spam).
  absl::Status CheckPatientCase(const Caller& caller);
  // The next free starts of `host` for `type` after `after` (at most `count`).
  std::vector<absl::Time> NextFree(const carebridge::v1::Host& host, absl::Duration length,
                                   absl::Time after, int count);
  absl::Status TakenError(const carebridge::v1::Host& host, absl::Duration length,
                          absl::Time start);
  // Tries to move the case now; the sweeper retries what fails.
  void MoveCaseIfConsultation(const carebridge::v1::Booking& booking, const Caller& caller);

  HostStore& hosts_;
  BookingStore& bookings_;
  CaseLink& cases_;
  CatalogLink& catalog_;
  const SchedulingConfig config_;
  const std::function<absl::Time()> clock_;
  std::mutex types_mu_;
  std::vector<carebridge::v1::ConsultationType> types_;  // GUARDED_BY(types_mu_); loaded once
};

}  // namespace carebridge::scheduling
