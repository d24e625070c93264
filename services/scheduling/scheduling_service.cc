#include "services/scheduling/scheduling_service.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/credentials.h"
#include "services/common/errors.h"
#include "services/common/ids.h"
#include "services/common/logging.h"
#include "services/scheduling/host_rules.h"
#include "services/scheduling/ics_writer.h"
#include "services/scheduling/itinerary_planner.h"

namespace carebridge::scheduling {
namespace {

namespace v1 = carebridge::v1;

constexpr char kJobPrefix[] = "scheduling:";
constexpr char kVisitType[] = "clinic_visit";
constexpr int kMaxSlots = 2000;
constexpr absl::Duration kItineraryHold = absl::Hours(48);

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// Timestamps from clients must be real instants of years 1970..9999 (what PostgreSQL and the
// slot engine work with); a field outside is named in `bad`.
void CheckTime(const google::protobuf::Timestamp& t, const char* field,
               std::vector<FieldViolation>* bad) {
  constexpr int64_t kMaxSeconds = 253402300799;  // 9999-12-31T23:59:59Z
  if (t.seconds() < 0 || t.seconds() > kMaxSeconds || t.nanos() < 0 || t.nanos() > 999999999) {
    bad->push_back({field, "must be a time between 1970 and 9999 (RFC 3339)"});
  }
}

void ToProto(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t seconds = absl::ToUnixSeconds(t);
  out->set_seconds(seconds);
  out->set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(seconds))));
}

std::string Rfc3339(absl::Time t, absl::TimeZone zone) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", t, zone);
}

std::string Utc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::string DateText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

bool Takes(const v1::Host& host, const std::string& type) {
  return std::find(host.consultation_types().begin(), host.consultation_types().end(), type) !=
         host.consultation_types().end();
}

// "This intro call can be cancelled until 2 hours before it starts" (+ whom to ask, for patients).
std::string NoticeMessage(const char* verb, const v1::ConsultationType& type, absl::Duration notice,
                          const Caller& caller) {
  const int64_t minutes = notice / absl::Minutes(1);
  const std::string amount = minutes % 60 != 0 ? absl::StrCat(minutes, " minutes")
                             : minutes == 60   ? std::string("1 hour")
                                               : absl::StrCat(minutes / 60, " hours");
  return absl::StrCat("this ", absl::AsciiStrToLower(type.name()), " can be ", verb, " until ",
                      amount, " before it starts",
                      caller.patient_case_id.empty() ? "; use overrideNotice to do it anyway"
                                                     : "; please ask your coordinator");
}

bool IsLive(const v1::Booking& b) { return b.status() == v1::HELD || b.status() == v1::CONFIRMED; }

// Outbox ids of "scheduling:<id>" job ids; -1 for anything else.
int64_t OutboxIdOf(const std::string& job_id) {
  int64_t id = -1;
  if (!absl::StartsWith(job_id, kJobPrefix) ||
      !absl::SimpleAtoi(job_id.substr(sizeof(kJobPrefix) - 1), &id)) {
    return -1;
  }
  return id;
}

}  // namespace

SchedulingService::SchedulingService(HostStore& hosts, BookingStore& bookings, CaseLink& cases,
                                     CatalogLink& catalog, SchedulingConfig config,
                                     std::function<absl::Time()> clock)
    : hosts_(hosts),
      bookings_(bookings),
      cases_(cases),
      catalog_(catalog),
      config_(std::move(config)),
      clock_(std::move(clock)) {}

absl::StatusOr<std::vector<v1::ConsultationType>> SchedulingService::Types() {
  std::lock_guard<std::mutex> lock(types_mu_);
  if (types_.empty()) {
    absl::StatusOr<std::vector<v1::ConsultationType>> types = hosts_.ListTypes();
    if (!types.ok()) return types.status();
    types_ = *std::move(types);
  }
  return types_;
}

absl::StatusOr<v1::ConsultationType> SchedulingService::TypeOf(const std::string& code,
                                                               const std::string& field) {
  absl::StatusOr<std::vector<v1::ConsultationType>> types = Types();
  if (!types.ok()) return types.status();
  for (const v1::ConsultationType& type : *types) {
    if (type.code() == code) return type;
  }
  std::vector<std::string> codes;
  for (const v1::ConsultationType& type : *types) codes.push_back(type.code());
  return InvalidFields({{field, absl::StrCat("must be one of ", absl::StrJoin(codes, ", "))}});
}

absl::StatusOr<v1::ListHostsResponse> SchedulingService::ListHosts(
    const v1::ListHostsRequest& request) {
  if (!request.type().empty()) {
    if (auto type = TypeOf(request.type(), "type"); !type.ok()) return type.status();
  }
  absl::StatusOr<std::vector<v1::Host>> hosts = hosts_.ListHosts(request.type());
  if (!hosts.ok()) return hosts.status();
  v1::ListHostsResponse response;
  for (v1::Host& host : *hosts) *response.add_hosts() = std::move(host);
  absl::StatusOr<std::vector<v1::ConsultationType>> types = Types();
  if (!types.ok()) return types.status();
  for (const v1::ConsultationType& type : *types) *response.add_consultation_types() = type;
  return response;
}

absl::StatusOr<v1::Host> SchedulingService::GetHost(const v1::GetHostRequest& request) {
  return hosts_.GetHost(request.host_id());
}

absl::StatusOr<v1::Host> SchedulingService::UpsertHost(const v1::UpsertHostRequest& request) {
  absl::StatusOr<std::vector<v1::ConsultationType>> types = Types();
  if (!types.ok()) return types.status();
  std::set<std::string> known;
  for (const v1::ConsultationType& type : *types) known.insert(type.code());
  if (absl::Status s = ValidateHost(request.host(), known); !s.ok()) return s;
  return hosts_.UpsertHost(request.host());
}

absl::StatusOr<v1::ListSlotsResponse> SchedulingService::ListSlots(
    const v1::ListSlotsRequest& request, const Caller& caller) {
  std::vector<FieldViolation> bad;
  if (request.type().empty()) bad.push_back({"type", "is required, e.g. intro_call"});
  const std::string zone_name = request.time_zone().empty() ? "UTC" : request.time_zone();
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(zone_name, &zone)) {
    bad.push_back({"time_zone", "must be an IANA time zone such as America/New_York"});
  }
  if (!request.has_from()) bad.push_back({"from", "is required (RFC 3339)"});
  if (!request.has_to()) bad.push_back({"to", "is required (RFC 3339)"});
  CheckTime(request.from(), "from", &bad);
  CheckTime(request.to(), "to", &bad);
  const absl::Time from = FromProto(request.from());
  const absl::Time to = FromProto(request.to());
  if (request.has_from() && request.has_to()) {
    if (to <= from) {
      bad.push_back({"to", "must be after from"});
    } else if (to - from > config_.max_window) {
      bad.push_back({"to", absl::StrCat("must be at most ", config_.max_window / absl::Hours(24),
                                        " days after from")});
    }
  }
  if (request.limit() < 0 || request.limit() > kMaxSlots) {
    bad.push_back({"limit", absl::StrCat("must be 0 to ", kMaxSlots)});
  }
  if (request.host_id().empty()) bad.push_back({"host_id", "is required (or - for every host)"});
  if (!bad.empty()) return InvalidFields(bad);
  if (!caller.patient_case_id.empty() && request.type() != config_.patient_type) {
    return InvalidFields(
        {{"type", absl::StrCat("a booking link shows ", config_.patient_type, " slots only")}});
  }
  if (!caller.patient_case_id.empty()) {
    if (absl::Status s = CheckPatientCase(caller); !s.ok()) return s;
  }
  absl::StatusOr<v1::ConsultationType> type = TypeOf(request.type(), "type");
  if (!type.ok()) return type.status();

  std::vector<v1::Host> hosts;
  if (request.host_id() == "-") {
    absl::StatusOr<std::vector<v1::Host>> all = hosts_.ListHosts(request.type());
    if (!all.ok()) return all.status();
    hosts = *std::move(all);
  } else {
    absl::StatusOr<v1::Host> host = hosts_.GetHost(request.host_id());
    if (!host.ok()) return host.status();
    if (!host->active() || !Takes(*host, request.type())) {
      return InvalidFields({{"type", "this host does not take this consultation type"}});
    }
    hosts.push_back(*std::move(host));
  }
  std::vector<std::string> ids;
  for (const v1::Host& host : hosts) ids.push_back(host.host_id());
  const absl::Time now = clock_();
  // Buffers reach past the window's edges; a day of margin covers any buffer (at most 4 h).
  auto busy = bookings_.LiveBlocked(ids, from - absl::Hours(24), to + absl::Hours(24), now);
  if (!busy.ok()) return busy.status();

  const size_t limit = request.limit() == 0 ? kMaxSlots : static_cast<size_t>(request.limit());
  const absl::Duration length = absl::Minutes(type->duration_minutes());
  struct Found {
    Interval slot;
    const v1::Host* host;
    absl::TimeZone host_zone;
  };
  std::vector<Found> found;
  for (const v1::Host& host : hosts) {
    absl::StatusOr<HostRules> rules = RulesOf(host);
    if (!rules.ok()) {
      LogWarning("host_rules_unusable", {{"host_id", host.host_id()}});
      continue;
    }
    for (const Interval& slot :
         ComputeSlots(*rules, (*busy)[host.host_id()], {from, to, length, now, limit})) {
      found.push_back({slot, &host, rules->zone});
    }
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return std::tie(a.slot.start, a.host->host_id()) < std::tie(b.slot.start, b.host->host_id());
  });
  if (found.size() > limit) found.resize(limit);

  v1::ListSlotsResponse response;
  response.set_time_zone(zone_name);
  for (const Found& f : found) {
    v1::Slot* slot = response.add_slots();
    ToProto(f.slot.start, slot->mutable_start_time());
    ToProto(f.slot.end, slot->mutable_end_time());
    slot->set_host_id(f.host->host_id());
    slot->set_local_start(Rfc3339(f.slot.start, zone));
    slot->set_local_end(Rfc3339(f.slot.end, zone));
    slot->set_host_local_start(Rfc3339(f.slot.start, f.host_zone));
  }
  return response;
}

std::vector<absl::Time> SchedulingService::NextFree(const v1::Host& host, absl::Duration length,
                                                    absl::Time after, int count) {
  std::vector<absl::Time> out;
  absl::StatusOr<HostRules> rules = RulesOf(host);
  if (!rules.ok()) return out;
  const absl::Time now = clock_();
  const absl::Time to = after + absl::Hours(24 * 14);
  auto busy =
      bookings_.LiveBlocked({host.host_id()}, after - absl::Hours(24), to + absl::Hours(24), now);
  if (!busy.ok()) return out;
  for (const Interval& slot : ComputeSlots(*rules, (*busy)[host.host_id()],
                                           {after, to, length, now, static_cast<size_t>(count)})) {
    out.push_back(slot.start);
  }
  return out;
}

absl::Status SchedulingService::TakenError(const v1::Host& host, absl::Duration length,
                                           absl::Time start) {
  std::vector<std::string> next;
  for (absl::Time t : NextFree(host, length, start, 5)) next.push_back(Utc(t));
  const std::string description =
      next.empty() ? "is taken; no free time in the next 14 days"
                   : absl::StrCat("is taken; next free: ", absl::StrJoin(next, ", "));
  return WithFieldViolations(absl::AlreadyExistsError(absl::StrCat("that time ", description)),
                             {{"start_time", description}});
}

void SchedulingService::MoveCaseIfConsultation(const v1::Booking& booking, const Caller& caller) {
  if (booking.status() != v1::CONFIRMED || config_.stage_types.count(booking.type()) == 0) return;
  // After the commit: a failure here leaves case_stage_pending set for the sweeper.
  if (cases_.MarkConsultationBooked(booking.case_id(), caller.request_id).ok()) {
    (void)bookings_.ClearStagePending(booking.booking_id());
  }
}

int SchedulingService::SyncCaseStages(int limit) {
  auto pending = bookings_.PendingStageMoves(limit);
  if (!pending.ok()) return 0;
  int moved = 0;
  for (const auto& [booking_id, case_id] : *pending) {
    if (!cases_.MarkConsultationBooked(case_id, "").ok()) break;  // Inquiries down: later
    if (bookings_.ClearStagePending(booking_id).ok()) ++moved;
  }
  return moved;
}

absl::StatusOr<v1::Booking> SchedulingService::CreateBooking(
    const v1::CreateBookingRequest& request, const Caller& caller) {
  std::vector<FieldViolation> bad;
  const bool patient = !caller.patient_case_id.empty();
  std::string case_id = request.case_id();
  if (patient) {
    if (!case_id.empty() && case_id != caller.patient_case_id) {
      return absl::PermissionDeniedError("a booking link books for its own case only");
    }
    case_id = caller.patient_case_id;
  } else if (!IsUuid(case_id)) {
    bad.push_back({"case_id", "is required (the case's id)"});
  }
  if (request.host_id().empty()) bad.push_back({"host_id", "is required"});
  if (request.type().empty()) bad.push_back({"type", "is required, e.g. intro_call"});
  if (!request.has_start_time()) bad.push_back({"start_time", "is required (RFC 3339)"});
  CheckTime(request.start_time(), "start_time", &bad);
  if (request.hold_minutes() < 0 || request.hold_minutes() > 60) {
    bad.push_back({"hold_minutes", "must be 1 to 60 (0: 10 minutes)"});
  }
  if (!bad.empty()) return InvalidFields(bad);
  if (patient && request.type() != config_.patient_type) {
    return InvalidFields(
        {{"type", absl::StrCat("a booking link books ", config_.patient_type, " only")}});
  }
  absl::StatusOr<v1::ConsultationType> type = TypeOf(request.type(), "type");
  if (!type.ok()) return type.status();
  absl::StatusOr<v1::Host> host = hosts_.GetHost(request.host_id());
  if (!host.ok()) return host.status();
  if (!host->active() || !Takes(*host, request.type())) {
    return InvalidFields({{"type", "this host does not take this consultation type"}});
  }
  absl::StatusOr<HostRules> rules = RulesOf(*host);
  if (!rules.ok()) return Internal();
  const absl::Time now = clock_();
  const absl::Time start = FromProto(request.start_time());
  const absl::Duration length = absl::Minutes(type->duration_minutes());
  if (absl::Status s = CheckStartAllowed(*rules, start, length, now); !s.ok()) return s;
  if (patient) {
    if (absl::Status s = CheckPatientCase(caller); !s.ok()) return s;
  } else if (absl::StatusOr<v1::Stage> stage = cases_.CaseStage(case_id, caller.request_id);
             !stage.ok()) {
    return stage.status();
  }

  NewBooking nb;
  nb.host_id = host->host_id();
  nb.case_id = case_id;
  nb.type = request.type();
  nb.time = {start, start + length};
  nb.blocked = BlockedRange(*rules, nb.time);
  nb.hold = request.hold();
  nb.hold_expires_at =
      now + absl::Minutes(request.hold_minutes() == 0 ? 10 : request.hold_minutes());
  nb.actor = caller.actor;
  // One call per patient: a link that could fill the desk's calendar would be a weapon.
  nb.one_live_per_case = patient;
  absl::StatusOr<v1::Booking> booking = bookings_.Create({nb}, now);
  if (booking.status().code() == absl::StatusCode::kAlreadyExists) {
    return TakenError(*host, length, start);
  }
  if (!booking.ok()) return booking.status();
  LogInfo("booking_created", {{"booking_id", booking->booking_id()},
                              {"type", booking->type()},
                              {"held", nb.hold ? 1 : 0},
                              {"request_id", caller.request_id}});
  MoveCaseIfConsultation(*booking, caller);
  return ForCaller(*std::move(booking), caller);
}

v1::Booking SchedulingService::ForCaller(v1::Booking booking, const Caller& caller) {
  if (caller.patient_case_id.empty()) return booking;
  // Who on the staff did what is not the patient's business.
  const auto shown = [](const std::string& actor) {
    return actor.rfind("user:", 0) == 0 ? std::string("coordinator") : actor;
  };
  booking.set_created_by(shown(booking.created_by()));
  for (v1::BookingEvent& event : *booking.mutable_history()) event.set_actor(shown(event.actor()));
  return booking;
}

absl::Status SchedulingService::CheckPatientCase(const Caller& caller) {
  absl::StatusOr<v1::Stage> stage = cases_.CaseStage(caller.patient_case_id, caller.request_id);
  if (!stage.ok()) return stage.status();
  if (*stage >= v1::COMPLETED) {
    return absl::PermissionDeniedError(
        "this booking link no longer works; please contact your coordinator");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Booking> SchedulingService::OwnBooking(const std::string& booking_id,
                                                          const Caller& caller, bool with_history,
                                                          bool change) {
  absl::StatusOr<v1::Booking> booking = bookings_.Get(booking_id, with_history, clock_());
  if (!booking.ok()) return booking.status();
  if (caller.patient_case_id.empty()) return booking;
  // A patient learns nothing about other cases' bookings, not even that they exist.
  if (booking->case_id() != caller.patient_case_id) return absl::NotFoundError("no such booking");
  if (change && booking->type() != config_.patient_type) {
    return absl::PermissionDeniedError(
        "your coordinator manages this appointment; please contact them to change it");
  }
  if (absl::Status s = CheckPatientCase(caller); !s.ok()) return s;
  return ForCaller(*std::move(booking), caller);
}

absl::StatusOr<v1::Booking> SchedulingService::GetBooking(const v1::GetBookingRequest& request,
                                                          const Caller& caller) {
  return OwnBooking(request.booking_id(), caller, true, false);
}

absl::StatusOr<v1::ListBookingsResponse> SchedulingService::ListBookings(
    const v1::ListBookingsRequest& request) {
  std::vector<FieldViolation> bad;
  if (request.host_id().empty() && request.case_id().empty()) {
    bad.push_back({"host_id", "host_id or case_id is required"});
  }
  if (!request.host_id().empty() && !IsUuid(request.host_id())) {
    bad.push_back({"host_id", "must be a host id"});
  }
  if (!request.case_id().empty() && !IsUuid(request.case_id())) {
    bad.push_back({"case_id", "must be a case id"});
  }
  CheckTime(request.from(), "from", &bad);
  CheckTime(request.to(), "to", &bad);
  const absl::Time from = request.has_from() ? FromProto(request.from()) : absl::FromUnixSeconds(0);
  const absl::Time to =
      request.has_to() ? FromProto(request.to()) : absl::FromUnixSeconds(253402300799);
  if (to <= from) bad.push_back({"to", "must be after from"});
  if (!bad.empty()) return InvalidFields(bad);
  auto bookings = bookings_.List(request.host_id(), request.case_id(), from, to,
                                 request.include_cancelled(), clock_());
  if (!bookings.ok()) return bookings.status();
  v1::ListBookingsResponse response;
  for (v1::Booking& b : *bookings) *response.add_bookings() = std::move(b);
  return response;
}

absl::StatusOr<v1::Booking> SchedulingService::ConfirmBooking(
    const v1::ConfirmBookingRequest& request, const Caller& caller) {
  absl::StatusOr<v1::Booking> own = OwnBooking(request.booking_id(), caller, false, true);
  if (!own.ok()) return own.status();
  absl::StatusOr<v1::Booking> booking =
      bookings_.Confirm(request.booking_id(), caller.actor, clock_());
  if (!booking.ok()) return booking.status();
  MoveCaseIfConsultation(*booking, caller);
  return ForCaller(*std::move(booking), caller);
}

absl::StatusOr<v1::Booking> SchedulingService::CancelBooking(
    const v1::CancelBookingRequest& request, const Caller& caller) {
  absl::StatusOr<v1::Booking> booking = OwnBooking(request.booking_id(), caller, false, true);
  if (!booking.ok()) return booking.status();
  if (request.reason().size() > 500) {
    return InvalidFields({{"reason", "must be at most 500 characters"}});
  }
  if (!IsLive(*booking)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the booking is ", v1::BookingStatus_Name(booking->status()), " and cannot be cancelled"));
  }
  absl::StatusOr<v1::ConsultationType> type = TypeOf(booking->type(), "type");
  if (!type.ok()) return type.status();
  const absl::Time now = clock_();
  const absl::Duration notice = absl::Minutes(type->min_cancel_notice_minutes());
  const bool override_notice = caller.staff && request.override_notice();
  if (booking->status() == v1::CONFIRMED && !override_notice &&
      FromProto(booking->start_time()) - now < notice) {
    return absl::FailedPreconditionError(NoticeMessage("cancelled", *type, notice, caller));
  }
  absl::StatusOr<v1::Booking> cancelled =
      bookings_.Cancel(request.booking_id(), caller.actor, request.reason(), now);
  if (!cancelled.ok()) return cancelled.status();
  return ForCaller(*std::move(cancelled), caller);
}

absl::StatusOr<v1::Booking> SchedulingService::RescheduleBooking(
    const v1::RescheduleBookingRequest& request, const Caller& caller) {
  std::vector<FieldViolation> bad;
  if (!request.has_start_time()) bad.push_back({"start_time", "is required (RFC 3339)"});
  CheckTime(request.start_time(), "start_time", &bad);
  if (!bad.empty()) return InvalidFields(bad);
  absl::StatusOr<v1::Booking> booking = OwnBooking(request.booking_id(), caller, false, true);
  if (!booking.ok()) return booking.status();
  if (!IsLive(*booking)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the booking is ", v1::BookingStatus_Name(booking->status()), " and cannot be moved"));
  }
  absl::StatusOr<v1::ConsultationType> type = TypeOf(booking->type(), "type");
  if (!type.ok()) return type.status();
  const absl::Time now = clock_();
  const absl::Duration notice = absl::Minutes(type->min_cancel_notice_minutes());
  const absl::Time old_start = FromProto(booking->start_time());
  if (booking->status() == v1::CONFIRMED && !(caller.staff && request.override_notice()) &&
      old_start - now < notice) {
    return absl::FailedPreconditionError(NoticeMessage("moved", *type, notice, caller));
  }
  absl::StatusOr<v1::Host> host = hosts_.GetHost(booking->host_id());
  if (!host.ok()) return host.status();
  absl::StatusOr<HostRules> rules = RulesOf(*host);
  if (!rules.ok()) return Internal();
  const absl::Time start = FromProto(request.start_time());
  const absl::Duration length = FromProto(booking->end_time()) - old_start;
  if (absl::Status s = CheckStartAllowed(*rules, start, length, now); !s.ok()) return s;
  // A linked visit keeps the culture window to its partner (checked with both rows locked).
  const absl::TimeZone zone = rules->zone;
  const BookingStore::LinkCheck check_link = [&](absl::Time from_start, absl::Time partner_start) {
    const absl::CivilDay moved = absl::ToCivilDay(start, zone);
    const absl::CivilDay fixed = absl::ToCivilDay(partner_start, zone);
    // The earlier visit of the pair is the harvest, whichever of the two moves.
    const bool moving_harvest = from_start < partner_start;
    absl::Status s = CheckCultureGap(moving_harvest ? moved : fixed, moving_harvest ? fixed : moved,
                                     booking->culture_weeks_min(), booking->culture_weeks_max());
    return s.ok() ? s : absl::FailedPreconditionError(s.message());
  };
  absl::StatusOr<v1::Booking> moved = bookings_.Reschedule(
      request.booking_id(), {start, start + length}, BlockedRange(*rules, {start, start + length}),
      caller.actor, now, booking->linked_booking_id().empty() ? nullptr : check_link);
  if (moved.status().code() == absl::StatusCode::kAlreadyExists) {
    return TakenError(*host, length, start);
  }
  if (!moved.ok()) return moved.status();
  return ForCaller(*std::move(moved), caller);
}

absl::StatusOr<v1::HttpBody> SchedulingService::GetCalendarFeed(
    const v1::GetCalendarFeedRequest& request) {
  const absl::Status unknown = absl::NotFoundError("no such calendar");
  if (request.token().empty() || request.token().size() > 200) return unknown;
  auto host = hosts_.HostByCalendarToken(request.host_id(), SecretHash(request.token()));
  if (!host.ok()) return host.status();
  if (!host->has_value()) return unknown;
  const absl::Time now = clock_();
  auto bookings = bookings_.FeedBookings(request.host_id(), now - config_.feed_history, now);
  if (!bookings.ok()) return bookings.status();
  std::vector<CalendarEvent> events;
  for (const v1::Booking& b : *bookings) {
    absl::StatusOr<v1::ConsultationType> type = TypeOf(b.type(), "type");
    CalendarEvent event;
    event.uid = absl::StrCat(b.booking_id(), "@carebridge.local");
    event.start = FromProto(b.start_time());
    event.end = FromProto(b.end_time());
    // The case id, not the patient's name: a feed leaves our systems.
    event.summary =
        absl::StrCat(type.ok() ? type->name() : b.type(), " (case ", b.case_id().substr(0, 8), ")");
    event.description = absl::StrCat("Case ", b.case_id(), "\nOpen: ", config_.public_base_url,
                                     "/dashboard/#/cases/", b.case_id());
    event.cancelled = b.status() == v1::CANCELLED;
    event.tentative = b.status() == v1::HELD;
    event.sequence = b.sequence();
    event.last_modified = FromProto(b.updated_at());
    events.push_back(std::move(event));
  }
  v1::HttpBody body;
  body.set_content_type("text/calendar; charset=utf-8");
  body.set_data(
      RenderCalendar({.name = absl::StrCat("CareBridge: ", (*host)->name())}, events, now));
  return body;
}

absl::StatusOr<v1::CalendarToken> SchedulingService::RotateCalendarToken(
    const v1::RotateCalendarTokenRequest& request, const Caller& caller) {
  absl::StatusOr<v1::Host> host = hosts_.GetHost(request.host_id());
  if (!host.ok()) return host.status();
  if (!caller.admin && (caller.user_id.empty() || caller.user_id != host->user_id())) {
    return absl::PermissionDeniedError("only the host or an admin can issue its feed link");
  }
  const std::string token = NewSecret("cbcal_");
  if (absl::Status s = hosts_.SetCalendarTokenHash(host->host_id(), SecretHash(token)); !s.ok()) {
    return s;
  }
  v1::CalendarToken out;
  out.set_host_id(host->host_id());
  out.set_token(token);
  out.set_feed_path(absl::StrCat("/v1/hosts/", host->host_id(), "/calendar.ics?token=", token));
  return out;
}

absl::StatusOr<v1::Itinerary> SchedulingService::PlanItinerary(
    const v1::PlanItineraryRequest& request, const Caller& caller) {
  std::vector<FieldViolation> bad;
  if (!IsUuid(request.case_id())) bad.push_back({"case_id", "must be a case id"});
  absl::CivilDay departure;
  if (!ParseDate(request.earliest_departure(), &departure)) {
    bad.push_back({"earliest_departure", "must be a date YYYY-MM-DD"});
  }
  if (request.hold() && request.host_id().empty()) {
    bad.push_back({"host_id", "is required to hold the clinic visits"});
  }
  if (request.protocol_id().empty() && request.cell_source() != v1::AUTOLOGOUS &&
      request.cell_source() != v1::ALLOGENEIC) {
    bad.push_back({"cell_source", "must be AUTOLOGOUS or ALLOGENEIC (or give protocol_id)"});
  }
  if (!bad.empty()) return InvalidFields(bad);

  std::optional<v1::Host> host;
  if (!request.host_id().empty()) {
    absl::StatusOr<v1::Host> found = hosts_.GetHost(request.host_id());
    if (!found.ok()) return found.status();
    host = *std::move(found);
  }
  // The protocol's plan (Catalog's data): cell source, culture window, days per trip.
  v1::CellSource cell_source = request.cell_source();
  int weeks_min = 3, weeks_max = 5, stay_days = 12;
  if (!request.protocol_id().empty()) {
    const std::string clinic_id =
        !request.clinic_id().empty() ? request.clinic_id() : (host ? host->clinic_id() : "");
    if (clinic_id.empty()) {
      return InvalidFields({{"clinic_id", "is required with protocol_id (or a clinic's host_id)"}});
    }
    absl::StatusOr<v1::Protocol> protocol =
        catalog_.GetProtocol(clinic_id, request.protocol_id(), caller.request_id);
    if (protocol.status().code() == absl::StatusCode::kNotFound) {
      return InvalidFields({{"protocol_id", "is not a protocol of this clinic"}});
    }
    if (!protocol.ok()) return protocol.status();
    if (cell_source != v1::CELL_SOURCE_UNSPECIFIED && cell_source != protocol->cell_source()) {
      return InvalidFields({{"cell_source", "differs from the protocol's"}});
    }
    cell_source = protocol->cell_source();
    if (protocol->culture_weeks_min() > 0) weeks_min = protocol->culture_weeks_min();
    if (protocol->culture_weeks_max() > 0) weeks_max = protocol->culture_weeks_max();
    if (protocol->has_trip_plan() && protocol->trip_plan().days_min() > 0) {
      stay_days = std::clamp(protocol->trip_plan().days_min(), 10, 14);
    }
  }
  const bool autologous = cell_source == v1::AUTOLOGOUS;
  if (!autologous && cell_source != v1::ALLOGENEIC) {
    return InvalidFields({{"cell_source", "the protocol is neither AUTOLOGOUS nor ALLOGENEIC"}});
  }
  ItineraryInput in;
  in.plan = autologous ? TreatmentPlan::kAutologous : TreatmentPlan::kAllogeneic;
  in.earliest_departure = departure;
  in.culture_weeks_min = request.culture_weeks_min() == 0 ? weeks_min : request.culture_weeks_min();
  in.culture_weeks_max = request.culture_weeks_max() == 0 ? weeks_max : request.culture_weeks_max();
  in.stay_days = request.stay_days() == 0 ? stay_days : request.stay_days();
  if (autologous && (in.culture_weeks_min < 1 || in.culture_weeks_min > 12)) {
    bad.push_back({"culture_weeks_min", "must be 1 to 12"});
  }
  if (autologous && (in.culture_weeks_max < in.culture_weeks_min || in.culture_weeks_max > 12)) {
    bad.push_back({"culture_weeks_max", "must be culture_weeks_min to 12"});
  }
  if (!autologous && (in.stay_days < 10 || in.stay_days > 14)) {
    bad.push_back({"stay_days", "must be 10 to 14"});
  }
  if (!bad.empty()) return InvalidFields(bad);
  if (host) {
    in.clinic = CalendarOf(*host);
  } else {
    in.clinic.weekly_days_off = {7};  // without a clinic: Sundays off
  }
  absl::StatusOr<PlannedItinerary> plan = scheduling::PlanItinerary(in);
  if (!plan.ok()) return plan.status();

  v1::Itinerary out;
  out.set_case_id(request.case_id());
  out.set_cell_source(cell_source);
  out.set_culture_days(plan->culture_days);
  for (const PlannedTrip& trip : plan->trips) {
    v1::Trip* t = out.add_trips();
    t->set_purpose(trip.purpose);
    t->set_arrive(DateText(trip.arrive));
    t->set_depart(DateText(trip.depart));
    for (const PlannedVisit& visit : trip.visits) {
      v1::Visit* v = t->add_visits();
      v->set_kind(visit.kind);
      v->set_date(DateText(visit.day));
    }
  }
  out.set_notes(autologous
                    ? absl::StrCat("Cells are cultured ", plan->culture_days,
                                   " days between the harvest and the infusion.")
                    : "One stay: tests, the procedure, then observation before flying home.");
  if (!request.hold()) return out;

  // Hold each visit at the first free clinic_visit slot of its day, as one linked set.
  if (!Takes(*host, kVisitType)) {
    return InvalidFields({{"host_id", "this host does not take clinic visits"}});
  }
  if (absl::StatusOr<v1::Stage> stage = cases_.CaseStage(request.case_id(), caller.request_id);
      !stage.ok()) {
    return stage.status();
  }
  absl::StatusOr<v1::ConsultationType> type = TypeOf(kVisitType, "type");
  if (!type.ok()) return type.status();
  absl::StatusOr<HostRules> rules = RulesOf(*host);
  if (!rules.ok()) return Internal();
  const absl::Duration length = absl::Minutes(type->duration_minutes());
  const absl::Time now = clock_();
  std::vector<NewBooking> visits;
  std::vector<v1::Visit*> targets;
  for (v1::Trip& trip : *out.mutable_trips()) {
    for (v1::Visit& visit : *trip.mutable_visits()) {
      absl::CivilDay day;
      ParseDate(visit.date(), &day);
      const absl::Time day_start = rules->zone.At(absl::CivilSecond(day)).pre;
      const absl::Time day_end = rules->zone.At(absl::CivilSecond(day + 1)).pre;
      std::vector<absl::Time> free = NextFree(*host, length, day_start, 1);
      if (free.empty() || free[0] >= day_end) {
        return absl::FailedPreconditionError(
            absl::StrCat("no free clinic visit time on ", visit.date(), "; pick another date"));
      }
      NewBooking nb;
      nb.host_id = host->host_id();
      nb.case_id = request.case_id();
      nb.type = kVisitType;
      nb.time = {free[0], free[0] + length};
      nb.blocked = BlockedRange(*rules, nb.time);
      nb.hold = true;
      nb.hold_expires_at = now + kItineraryHold;
      nb.actor = caller.actor;
      if (autologous) {
        nb.culture_weeks_min = in.culture_weeks_min;
        nb.culture_weeks_max = in.culture_weeks_max;
      }
      visits.push_back(nb);
      targets.push_back(&visit);
    }
  }
  absl::StatusOr<v1::Booking> first = bookings_.Create(visits, now);
  if (first.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError("a visit time was taken meanwhile; plan again");
  }
  if (!first.ok()) return first.status();
  targets[0]->set_booking_id(first->booking_id());
  ToProto(visits[0].time.start, targets[0]->mutable_start_time());
  if (targets.size() > 1) {
    targets[1]->set_booking_id(first->linked_booking_id());
    ToProto(visits[1].time.start, targets[1]->mutable_start_time());
  }
  return out;
}

absl::StatusOr<v1::BookingReminder> SchedulingService::GetBookingReminder(
    const v1::GetBookingReminderRequest& request) {
  const int64_t id = OutboxIdOf(request.job_id());
  if (id < 0) return InvalidFields({{"job_id", "must be scheduling:<id>"}});
  const absl::Time now = clock_();
  absl::StatusOr<ReminderRecord> record = bookings_.Reminder(id, now);
  if (!record.ok()) return record.status();
  const v1::Booking& b = record->booking;
  v1::BookingReminder out;
  out.set_booking_id(b.booking_id());
  out.set_case_id(b.case_id());
  *out.mutable_start_time() = b.start_time();
  *out.mutable_end_time() = b.end_time();
  out.set_lead_minutes(static_cast<int32_t>(record->lead / absl::Minutes(1)));
  // Wanted only while the booking stands where the reminder was scheduled for.
  // (A reminder that arrives after the start, e.g. after an outage, helps nobody.)
  out.set_wanted(!record->cancelled && b.status() == v1::CONFIRMED &&
                 FromProto(b.start_time()) == record->booking_start &&
                 FromProto(b.start_time()) > now);
  absl::StatusOr<v1::ConsultationType> type = TypeOf(b.type(), "type");
  out.set_type_name(type.ok() ? type->name() : b.type());
  absl::StatusOr<v1::Host> host = hosts_.GetHost(b.host_id());
  if (!host.ok()) return host.status();
  out.set_host_name(host->name());
  out.set_host_time_zone(host->time_zone());
  return out;
}

absl::StatusOr<v1::ConfirmSchedulingFollowUpsResponse> SchedulingService::ConfirmFollowUps(
    const v1::ConfirmSchedulingFollowUpsRequest& request) {
  std::vector<int64_t> ids;
  for (const std::string& job_id : request.job_ids()) {
    if (const int64_t id = OutboxIdOf(job_id); id >= 0) ids.push_back(id);
  }
  absl::StatusOr<int> confirmed = bookings_.ConfirmOutbox(ids, clock_());
  if (!confirmed.ok()) return confirmed.status();
  v1::ConfirmSchedulingFollowUpsResponse out;
  out.set_confirmed(*confirmed);
  return out;
}

}  // namespace carebridge::scheduling
