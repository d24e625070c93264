// The Scheduling service end to end, against the real binaries of the cases stack: slots rendered
// per zone and thinned by bookings and buffers, bad input naming its field (gRPC and HTTP), 200
// racing bookings of one slot, holds that expire, atomic reschedules, the cancel notice, patients'
// booking links, reminders in the outbox, the iCalendar feed read back by python3-icalendar,
// itineraries with linked visit holds, and the case moved to CONSULTATION_BOOKED.
//
// The service runs on the real clock: every date is picked relative to now, in the zone of the
// host it is for. Tests share one stack when the binary runs as a whole, so each works on its own
// host (UpsertHost: every day 0-24 h UTC, no buffers, no notice) or its own days of a seed host.
#include <sodium.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <latch>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "carebridge/v1/scheduling.grpc.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/booking_link.h"
#include "services/common/grpc_server.h"
#include "tests/cases/cases_stack.h"
#include "tests/harness/test_env.h"

namespace carebridge::testing {
namespace {

using grpc::StatusCode;

constexpr char kPassword[] = "scheduling-password-1";
constexpr char kCoordinatorEmail[] = "sched-coordinator@carebridge.test";
constexpr char kAdminEmail[] = "sched-admin@carebridge.test";
// Seed hosts (services/scheduling/migrations/0002_seed.sql).
constexpr char kIntroDesk[] = "d1000000-0000-4000-8000-000000000001";  // Berlin, intro_call
constexpr char kTanaka[] = "d1000000-0000-4000-8000-000000000002";     // Tokyo, Mon-Sat
constexpr char kMori[] = "d1000000-0000-4000-8000-000000000003";       // Tokyo, Tue/Thu/Sat

// --- Time -------------------------------------------------------------------------------------

google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(t));
  return out;
}

absl::Time FromTs(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// "2026-12-08T10:00:00Z": RFC 3339 in UTC (for HTTP queries and bodies).
std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

// The RFC 3339 text of `t` in `zone`, with the zone's offset at that instant.
std::string Rfc3339In(absl::Time t, absl::TimeZone zone) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", t, zone);
}

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

int IsoWeekday(absl::CivilDay day) {
  return static_cast<int>(absl::GetWeekday(day)) + 1;  // absl: monday = 0
}

absl::CivilDay Today(absl::TimeZone zone) { return absl::ToCivilDay(absl::Now(), zone); }

// The first day with ISO `weekday` that is at least `min_days` after today in `zone`.
absl::CivilDay NextWeekday(absl::TimeZone zone, int weekday, int min_days) {
  absl::CivilDay day = Today(zone) + min_days;
  while (IsoWeekday(day) != weekday) ++day;
  return day;
}

absl::Time LocalTime(absl::TimeZone zone, absl::CivilDay day, int hour, int minute = 0) {
  return zone.At(absl::CivilMinute(day.year(), day.month(), day.day(), hour, minute)).pre;
}

absl::Time UtcDay(int days_ahead, int hour, int minute = 0) {
  return LocalTime(absl::UTCTimeZone(), Today(absl::UTCTimeZone()) + days_ahead, hour, minute);
}

std::string DateText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::CivilDay ParseDay(const std::string& text) {
  absl::CivilDay day;
  EXPECT_TRUE(absl::ParseCivilTime(text, &day)) << text;
  return day;
}

// --- Errors -----------------------------------------------------------------------------------

// The google.rpc.BadRequest violations (field, description) a gRPC status carries.
std::vector<std::pair<std::string, std::string>> Violations(const grpc::Status& status) {
  std::vector<std::pair<std::string, std::string>> out;
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    return out;
  }
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& v : bad_request.field_violations()) {
      out.emplace_back(v.field(), v.description());
    }
  }
  return out;
}

std::vector<std::string> FieldsOf(const grpc::Status& status) {
  std::vector<std::string> fields;
  for (const auto& [field, description] : Violations(status)) fields.push_back(field);
  return fields;
}

// The fields the BadRequest details of a JSON error body (the gateway's) name.
std::vector<std::string> FieldsOf(const HttpResponse& response) {
  google::rpc::Status status;
  const auto parsed = google::protobuf::util::JsonStringToMessage(response.body, &status);
  EXPECT_TRUE(parsed.ok()) << parsed << ": " << response.body;
  std::vector<std::string> fields;
  for (const auto& any : status.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& v : bad_request.field_violations()) fields.push_back(v.field());
  }
  return fields;
}

template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  const auto parsed = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(parsed.ok()) << parsed << ": " << json;
  return message;
}

// --- The fixture ------------------------------------------------------------------------------

class SchedulingTest : public ::testing::Test {
 protected:
  SchedulingTest() : stack_(CasesStack::Get()) {
    EXPECT_GE(sodium_init(), 0);
    coordinator_id_ = EnsureUser(kCoordinatorEmail, "coordinator");
    EnsureUser(kAdminEmail, "admin");
  }

  // Nothing a test handled that identifies a patient or grants access reached a log line.
  void TearDown() override {
    const std::string logs = stack_.Logs();
    for (const std::string& secret : secrets_) {
      EXPECT_EQ(logs.find(secret), std::string::npos) << secret << " appears in the logs";
    }
  }

  std::string EnsureUser(const std::string& email, const std::string& role) {
    auto rows =
        stack_.Sql("SELECT id FROM identity.users WHERE email_normalized = '" + email + "'");
    if (!rows.empty()) return rows[0][0].as<std::string>();
    return stack_.CreateUser(email, role, role == "coordinator" ? "en" : "", kPassword);
  }

  // Sessions of the stack last seconds: a fresh one for every use.
  std::string Coordinator() {
    std::string token = stack_.Login(kCoordinatorEmail, kPassword);
    EXPECT_FALSE(token.empty());
    return token;
  }
  std::string Admin() {
    std::string token = stack_.Login(kAdminEmail, kPassword);
    EXPECT_FALSE(token.empty());
    return token;
  }

  std::unique_ptr<v1::Scheduling::Stub> Scheduling() {
    return v1::Scheduling::NewStub(stack_.scheduling_channel());
  }

  // A new case (stage NEW) from a public inquiry; `label` is lowercase letters and digits.
  std::string NewCase(const std::string& label) {
    const std::string email = absl::StrCat("sched.", label, "@example.org");
    const std::string name = absl::StrCat("Sched Patient ", label);
    secrets_.push_back(email);
    v1::CreateInquiryResponse created;
    auto context = Context("");
    const grpc::Status status =
        stack_.Inquiries()->CreateInquiry(context.get(), InquiryRequest(name, email), &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_FALSE(created.case_id().empty());
    return created.case_id();
  }

  std::string LinkToken(const std::string& case_id, absl::Duration valid = absl::Hours(1)) {
    std::string token = IssueBookingLinkToken(kBookingLinkSecret, case_id, absl::Now() + valid);
    secrets_.push_back(token);
    return token;
  }

  // A host of its own for a test: every day 00:00-24:00 UTC, no buffers, no notice, a year ahead.
  v1::Host CleanHost(const std::string& name, const std::vector<std::string>& types) {
    v1::UpsertHostRequest request;
    v1::Host* host = request.mutable_host();
    host->set_name(name);
    const bool doctor = std::find(types.begin(), types.end(), "intro_call") == types.end();
    host->set_kind(doctor ? v1::CLINIC_DOCTOR : v1::COORDINATOR);
    host->set_time_zone("UTC");
    for (const std::string& type : types) host->add_consultation_types(type);
    for (int weekday = 1; weekday <= 7; ++weekday) {
      v1::WorkingHours* hours = host->add_working_hours();
      hours->set_weekday(weekday);
      hours->set_start_minute(0);
      hours->set_end_minute(1440);
    }
    host->set_horizon_days(365);
    host->set_active(true);
    v1::Host out;
    auto context = Context(Admin());
    const grpc::Status status = Scheduling()->UpsertHost(context.get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_FALSE(out.host_id().empty());
    return out;
  }

  grpc::Status Book(const std::string& credential, const std::string& host_id,
                    const std::string& case_id, const std::string& type, absl::Time start,
                    v1::Booking* out, bool hold = false, const std::string& booking_token = "") {
    v1::CreateBookingRequest request;
    request.set_host_id(host_id);
    request.set_case_id(case_id);
    request.set_type(type);
    *request.mutable_start_time() = Ts(start);
    request.set_hold(hold);
    request.set_booking_token(booking_token);
    auto context = Context(credential);
    return Scheduling()->CreateBooking(context.get(), request, out);
  }

  // A confirmed booking made by a coordinator (fails the test when refused).
  v1::Booking BookOrFail(const std::string& host_id, const std::string& case_id,
                         const std::string& type, absl::Time start, bool hold = false) {
    v1::Booking booking;
    const grpc::Status status = Book(Coordinator(), host_id, case_id, type, start, &booking, hold);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return booking;
  }

  grpc::Status ListSlots(const std::string& credential, const std::string& host_id,
                         const std::string& type, absl::Time from, absl::Time to,
                         v1::ListSlotsResponse* out, const std::string& time_zone = "",
                         const std::string& booking_token = "") {
    v1::ListSlotsRequest request;
    request.set_host_id(host_id);
    request.set_type(type);
    *request.mutable_from() = Ts(from);
    *request.mutable_to() = Ts(to);
    request.set_time_zone(time_zone);
    request.set_booking_token(booking_token);
    auto context = Context(credential);
    return Scheduling()->ListSlots(context.get(), request, out);
  }

  // The slot starts a coordinator sees.
  std::set<absl::Time> SlotStarts(const std::string& host_id, const std::string& type,
                                  absl::Time from, absl::Time to) {
    v1::ListSlotsResponse slots;
    const grpc::Status status = ListSlots(Coordinator(), host_id, type, from, to, &slots);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::set<absl::Time> starts;
    for (const v1::Slot& slot : slots.slots()) {
      if (slot.host_id() == host_id) starts.insert(FromTs(slot.start_time()));
    }
    return starts;
  }

  grpc::Status GetBooking(const std::string& credential, const std::string& booking_id,
                          v1::Booking* out, const std::string& booking_token = "") {
    v1::GetBookingRequest request;
    request.set_booking_id(booking_id);
    request.set_booking_token(booking_token);
    auto context = Context(credential);
    return Scheduling()->GetBooking(context.get(), request, out);
  }

  v1::Booking GetOrFail(const std::string& booking_id) {
    v1::Booking booking;
    const grpc::Status status = GetBooking(Coordinator(), booking_id, &booking);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return booking;
  }

  grpc::Status Reschedule(const std::string& credential, const std::string& booking_id,
                          absl::Time start, v1::Booking* out, bool override_notice = false,
                          const std::string& booking_token = "") {
    v1::RescheduleBookingRequest request;
    request.set_booking_id(booking_id);
    *request.mutable_start_time() = Ts(start);
    request.set_override_notice(override_notice);
    request.set_booking_token(booking_token);
    auto context = Context(credential);
    return Scheduling()->RescheduleBooking(context.get(), request, out);
  }

  grpc::Status Cancel(const std::string& credential, const std::string& booking_id,
                      v1::Booking* out, bool override_notice = false,
                      const std::string& booking_token = "", const std::string& reason = "") {
    v1::CancelBookingRequest request;
    request.set_booking_id(booking_id);
    request.set_override_notice(override_notice);
    request.set_booking_token(booking_token);
    request.set_reason(reason);
    auto context = Context(credential);
    return Scheduling()->CancelBooking(context.get(), request, out);
  }

  grpc::Status Confirm(const std::string& credential, const std::string& booking_id,
                       v1::Booking* out) {
    v1::ConfirmBookingRequest request;
    request.set_booking_id(booking_id);
    auto context = Context(credential);
    return Scheduling()->ConfirmBooking(context.get(), request, out);
  }

  v1::Stage StageOf(const std::string& case_id) {
    v1::GetCaseRequest request;
    request.set_case_id(case_id);
    v1::Case c;
    auto context = Context(kInternalToken);
    const grpc::Status status = stack_.Inquiries()->GetCase(context.get(), request, &c);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return c.stage();
  }

  // Polls the case's stage for up to `timeout`; returns the last one seen.
  v1::Stage AwaitStage(const std::string& case_id, v1::Stage wanted,
                       absl::Duration timeout = absl::Seconds(10)) {
    const absl::Time deadline = absl::Now() + timeout;
    v1::Stage stage = StageOf(case_id);
    while (stage != wanted && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(100));
      stage = StageOf(case_id);
    }
    return stage;
  }

  CasesStack& stack_;
  std::string coordinator_id_;
  std::vector<std::string> secrets_;
};

// --- 1. Slots ---------------------------------------------------------------------------------

TEST_F(SchedulingTest, SlotsAreRenderedPerZoneThinnedByBookingsAndBuffersAndBadInputIsNamed) {
  const absl::TimeZone berlin = Zone("Europe/Berlin");
  const absl::TimeZone new_york = Zone("America/New_York");
  // The intro desk works Tuesdays 9:00-17:00 Berlin; intro calls last 30 minutes, 10 minutes of
  // buffer after each booking.
  const absl::CivilDay tuesday = NextWeekday(berlin, 2, 7);
  const absl::Time from = LocalTime(berlin, tuesday, 0);
  const absl::Time to = LocalTime(berlin, tuesday + 1, 0);

  v1::ListSlotsResponse listed;
  grpc::Status status =
      ListSlots(Coordinator(), kIntroDesk, "intro_call", from, to, &listed, "America/New_York");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(listed.time_zone(), "America/New_York");
  // 9:00, 9:15, ..., 16:30: every 15 minutes from the range start, each ending by 17:00.
  ASSERT_EQ(listed.slots_size(), 31);
  std::set<absl::Time> before;
  absl::Time previous = absl::InfinitePast();
  for (const v1::Slot& slot : listed.slots()) {
    const absl::Time start = FromTs(slot.start_time());
    const absl::Time end = FromTs(slot.end_time());
    before.insert(start);
    EXPECT_GT(start, previous) << "slots are oldest first";
    previous = start;
    EXPECT_EQ(slot.host_id(), kIntroDesk);
    EXPECT_EQ(end - start, absl::Minutes(30));
    const absl::CivilMinute local_start = absl::ToCivilMinute(start, berlin);
    const absl::CivilMinute local_end = absl::ToCivilMinute(end, berlin);
    EXPECT_EQ(absl::CivilDay(local_start), tuesday);
    const int minute = local_start.hour() * 60 + local_start.minute();
    EXPECT_GE(minute, 9 * 60) << Rfc3339In(start, berlin);
    EXPECT_LE(local_end.hour() * 60 + local_end.minute(), 17 * 60) << Rfc3339In(start, berlin);
    EXPECT_EQ((minute - 9 * 60) % 15, 0) << Rfc3339In(start, berlin);
    // Rendered in the requested zone and in the host's, each with its offset at that instant.
    const int ny_offset = new_york.At(start).offset;
    const int berlin_offset = berlin.At(start).offset;
    EXPECT_EQ(slot.local_start(), Rfc3339In(start, new_york));
    EXPECT_EQ(slot.local_end(), Rfc3339In(end, new_york));
    EXPECT_EQ(slot.host_local_start(), Rfc3339In(start, berlin));
    EXPECT_TRUE(slot.local_start().ends_with(
        absl::StrFormat("%c%02d:%02d", ny_offset < 0 ? '-' : '+', std::abs(ny_offset) / 3600,
                        std::abs(ny_offset) % 3600 / 60)))
        << slot.local_start();
    EXPECT_TRUE(slot.host_local_start().ends_with(
        absl::StrFormat("+%02d:%02d", berlin_offset / 3600, berlin_offset % 3600 / 60)))
        << slot.host_local_start();
    // The texts name the same instant as start_time.
    absl::Time parsed;
    std::string error;
    ASSERT_TRUE(absl::ParseTime(absl::RFC3339_full, slot.local_start(), &parsed, &error)) << error;
    EXPECT_EQ(parsed, start);
    ASSERT_TRUE(absl::ParseTime(absl::RFC3339_full, slot.host_local_start(), &parsed, &error))
        << error;
    EXPECT_EQ(parsed, start);
  }
  EXPECT_EQ(*before.begin(), LocalTime(berlin, tuesday, 9));
  EXPECT_EQ(*before.rbegin(), LocalTime(berlin, tuesday, 16, 30));

  // A booking at 11:00 blocks [11:00, 11:40): its slot goes, and so does every slot whose own
  // blocked range (30 minutes + 10 after) would reach into it: 10:30 to 11:30.
  BookOrFail(kIntroDesk, NewCase("slots"), "intro_call", LocalTime(berlin, tuesday, 11));
  const std::set<absl::Time> after = SlotStarts(kIntroDesk, "intro_call", from, to);
  std::set<absl::Time> gone;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::inserter(gone, gone.begin()));
  std::vector<std::string> gone_text;
  for (absl::Time t : gone) gone_text.push_back(absl::FormatTime("%H:%M", t, berlin));
  EXPECT_EQ(gone_text, (std::vector<std::string>{"10:30", "10:45", "11:00", "11:15", "11:30"}));
  EXPECT_EQ(after.size(), 26u);
  EXPECT_TRUE(std::includes(before.begin(), before.end(), after.begin(), after.end()));

  // Bad input names its field.
  const auto fields_of = [&](const v1::ListSlotsRequest& request) {
    v1::ListSlotsResponse unused;
    auto context = Context(Coordinator());
    const grpc::Status s = Scheduling()->ListSlots(context.get(), request, &unused);
    EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << s.error_message();
    return FieldsOf(s);
  };
  v1::ListSlotsRequest good;
  good.set_host_id(kIntroDesk);
  good.set_type("intro_call");
  *good.mutable_from() = Ts(from);
  *good.mutable_to() = Ts(to);
  v1::ListSlotsRequest bad = good;
  bad.clear_type();
  EXPECT_EQ(fields_of(bad), std::vector<std::string>{"type"});
  bad = good;
  *bad.mutable_to() = Ts(from);
  EXPECT_EQ(fields_of(bad), std::vector<std::string>{"to"});
  bad = good;
  *bad.mutable_to() = Ts(to - absl::Hours(48));
  EXPECT_EQ(fields_of(bad), std::vector<std::string>{"to"});
  bad = good;
  *bad.mutable_to() = Ts(from + absl::Hours(24 * 62));
  {
    v1::ListSlotsResponse unused;
    auto context = Context(Coordinator());
    const grpc::Status s = Scheduling()->ListSlots(context.get(), bad, &unused);
    EXPECT_TRUE(s.ok()) << "a window of exactly 62 days is allowed: " << s.error_message();
  }
  *bad.mutable_to() = Ts(from + absl::Hours(24 * 62) + absl::Seconds(1));
  EXPECT_EQ(fields_of(bad), std::vector<std::string>{"to"});
  bad = good;
  bad.set_time_zone("Mars/Olympus_Mons");
  EXPECT_EQ(fields_of(bad), std::vector<std::string>{"time_zone"});
  bad = good;
  bad.set_type("massage");
  EXPECT_EQ(fields_of(bad), std::vector<std::string>{"type"});
  {
    v1::ListSlotsResponse unused;
    const grpc::Status s = ListSlots(Coordinator(), "00000000-0000-4000-8000-000000000000",
                                     "intro_call", from, to, &unused);
    EXPECT_EQ(s.error_code(), StatusCode::NOT_FOUND) << s.error_message();
  }

  // The same through the gateway: 400 with the BadRequest details in the JSON body.
  const std::string url = absl::StrCat(stack_.gateway_url(), "/v1/hosts/", kIntroDesk, "/slots");
  HttpResponse http = HttpRequest("GET",
                                  absl::StrCat(url, "?type=intro_call&from=", Rfc3339(from),
                                               "&to=", Rfc3339(to), "&timeZone=Mars/Olympus_Mons"),
                                  "", {"Authorization: Bearer " + Coordinator()});
  EXPECT_EQ(http.status, 400) << http.body;
  EXPECT_EQ(FieldsOf(http), std::vector<std::string>{"time_zone"});
  http = HttpRequest("GET", absl::StrCat(url, "?from=", Rfc3339(from), "&to=", Rfc3339(from)), "",
                     {"Authorization: Bearer " + Coordinator()});
  EXPECT_EQ(http.status, 400) << http.body;
  EXPECT_EQ(FieldsOf(http), (std::vector<std::string>{"type", "to"}));
  http = HttpRequest("GET",
                     absl::StrCat(url, "?type=intro_call&from=", Rfc3339(from), "&to=", Rfc3339(to),
                                  "&timeZone=America/New_York"),
                     "", {"Authorization: Bearer " + Coordinator()});
  ASSERT_EQ(http.status, 200) << http.body;
  const auto over_http = FromJson<v1::ListSlotsResponse>(http.body);
  ASSERT_EQ(over_http.slots_size(), 26);
  EXPECT_EQ(over_http.slots(0).local_start(), Rfc3339In(*after.begin(), new_york));

  // Host "-": every host taking the type, each slot naming its host, by start then host.
  const absl::TimeZone tokyo = Zone("Asia/Tokyo");
  const absl::CivilDay tokyo_tuesday = NextWeekday(tokyo, 2, 7);  // Tanaka and Mori both work
  const absl::Time tokyo_from = LocalTime(tokyo, tokyo_tuesday, 0);
  const absl::Time tokyo_to = LocalTime(tokyo, tokyo_tuesday + 1, 0);
  v1::ListSlotsResponse across;
  status = ListSlots(Coordinator(), "-", "video_consultation", tokyo_from, tokyo_to, &across);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::ListHostsRequest hosts_request;
  hosts_request.set_type("video_consultation");
  v1::ListHostsResponse hosts;
  {
    auto context = Context(Coordinator());
    ASSERT_TRUE(Scheduling()->ListHosts(context.get(), hosts_request, &hosts).ok());
  }
  std::set<std::string> video_hosts;
  for (const v1::Host& host : hosts.hosts()) video_hosts.insert(host.host_id());
  EXPECT_TRUE(video_hosts.count(kTanaka) && video_hosts.count(kMori));
  std::map<std::string, std::set<absl::Time>> by_host;
  for (int i = 0; i < across.slots_size(); ++i) {
    const v1::Slot& slot = across.slots(i);
    EXPECT_TRUE(video_hosts.count(slot.host_id())) << slot.host_id();
    by_host[slot.host_id()].insert(FromTs(slot.start_time()));
    if (i > 0) {
      const v1::Slot& prev = across.slots(i - 1);
      EXPECT_TRUE(std::make_pair(FromTs(prev.start_time()), prev.host_id()) <
                  std::make_pair(FromTs(slot.start_time()), slot.host_id()))
          << "slot " << i << " out of order";
    }
  }
  for (const char* host : {kTanaka, kMori}) {
    const std::set<absl::Time> alone = SlotStarts(host, "video_consultation", tokyo_from, tokyo_to);
    EXPECT_FALSE(alone.empty()) << host;
    EXPECT_EQ(by_host[host], alone) << host;
  }
}

// --- 2. Racing bookings -----------------------------------------------------------------------

TEST_F(SchedulingTest, UpsertingAnExistingHostReplacesItsRulesInPlace) {
  const v1::Host created = CleanHost("Dr. Upsert", {"video_consultation"});
  v1::UpsertHostRequest request;
  *request.mutable_host() = created;
  v1::Host* host = request.mutable_host();
  host->set_name("Dr. Upsert (Tokyo)");
  host->set_time_zone("Asia/Tokyo");
  host->clear_working_hours();
  v1::WorkingHours* monday = host->add_working_hours();
  monday->set_weekday(1);
  monday->set_start_minute(9 * 60);
  monday->set_end_minute(17 * 60);
  host->set_buffer_after_minutes(15);
  v1::Host updated;
  auto upsert = Context(Admin());
  const grpc::Status status = Scheduling()->UpsertHost(upsert.get(), request, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.host_id(), created.host_id());

  v1::GetHostRequest get;
  get.set_host_id(created.host_id());
  v1::Host read;
  auto context = Context(Admin());
  ASSERT_TRUE(Scheduling()->GetHost(context.get(), get, &read).ok());
  EXPECT_EQ(read.name(), "Dr. Upsert (Tokyo)");
  EXPECT_EQ(read.time_zone(), "Asia/Tokyo");
  EXPECT_EQ(read.buffer_after_minutes(), 15);
  ASSERT_EQ(read.working_hours_size(), 1);
  EXPECT_EQ(read.working_hours(0).weekday(), 1);
  EXPECT_EQ(read.working_hours(0).start_minute(), 9 * 60);
  EXPECT_EQ(read.working_hours(0).end_minute(), 17 * 60);
  ASSERT_EQ(read.consultation_types_size(), 1);
  EXPECT_EQ(read.consultation_types(0), "video_consultation");
}

TEST_F(SchedulingTest, TwoHundredConcurrentBookingsOfOneSlotLeaveExactlyOne) {
  constexpr int kThreads = 200;
  const v1::Host host = CleanHost("Race desk", {"intro_call"});
  const absl::Time start = UtcDay(10, 10);
  // Each attempt is a patient of their own case clicking the same slot of their booking link.
  std::vector<std::string> cases, tokens;
  for (int i = 0; i < kThreads; ++i) {
    cases.push_back(NewCase(absl::StrCat("race", i)));
    tokens.push_back(LinkToken(cases.back()));
  }
  std::vector<grpc::Status> results(kThreads);
  std::vector<v1::Booking> bookings(kThreads);
  std::vector<std::pair<absl::Time, absl::Time>> spans(kThreads);  // when each call was in flight
  std::latch ready(kThreads);
  std::vector<std::thread> threads;
  const auto stub = Scheduling();
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      v1::CreateBookingRequest request;
      request.set_host_id(host.host_id());
      request.set_type("intro_call");
      *request.mutable_start_time() = Ts(start);
      request.set_booking_token(tokens[i]);
      auto context = NewClientContext(std::chrono::seconds(120));
      ready.arrive_and_wait();
      spans[i].first = absl::Now();
      results[i] = stub->CreateBooking(context.get(), request, &bookings[i]);
      spans[i].second = absl::Now();
    });
  }
  for (std::thread& t : threads) t.join();
  // The attempts really raced: many were in flight at once.
  int in_flight = 0, most_in_flight = 0;
  std::vector<std::pair<absl::Time, int>> edges;
  for (const auto& [begin, end] : spans) {
    edges.emplace_back(begin, 1);
    edges.emplace_back(end, -1);
  }
  std::sort(edges.begin(), edges.end());
  for (const auto& [at, delta] : edges)
    most_in_flight = std::max(most_in_flight, in_flight += delta);
  EXPECT_GE(most_in_flight, 20);

  int ok = 0, taken = 0;
  int winner = -1;
  for (int i = 0; i < kThreads; ++i) {
    if (results[i].ok()) {
      ++ok;
      winner = i;
    } else if (results[i].error_code() == StatusCode::ALREADY_EXISTS) {
      ++taken;
    } else {
      ADD_FAILURE() << "attempt " << i << ": " << results[i].error_code() << " "
                    << results[i].error_message();
    }
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(taken, kThreads - 1);
  ASSERT_NE(winner, -1);
  EXPECT_EQ(bookings[winner].case_id(), cases[winner]);
  EXPECT_EQ(bookings[winner].created_by(), "patient");
  EXPECT_EQ(bookings[winner].status(), v1::CONFIRMED);

  // The database holds exactly one booking of that host, live and over that range.
  const std::string range =
      absl::StrCat("tstzrange(to_timestamp(", absl::ToUnixSeconds(start), "), to_timestamp(",
                   absl::ToUnixSeconds(start + absl::Minutes(30)), "))");
  EXPECT_EQ(stack_
                .Sql(absl::StrCat("SELECT count(*) FROM scheduling.bookings WHERE host_id = '",
                                  host.host_id(), "' AND status IN ('HELD', 'CONFIRMED') AND ",
                                  "tstzrange(start_time, end_time) && ", range))[0][0]
                .as<int>(),
            1);
  auto rows = stack_.Sql(absl::StrCat("SELECT id::text, case_id::text FROM scheduling.bookings ",
                                      "WHERE host_id = '", host.host_id(), "'"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0].as<std::string>(), bookings[winner].booking_id());
  EXPECT_EQ(rows[0][1].as<std::string>(), cases[winner]);

  // A refusal names start_time and the next free starts (30-minute calls, no buffers).
  const int loser = winner == 0 ? 1 : 0;
  std::vector<std::string> next;
  for (int minutes : {30, 45, 60, 75, 90}) {
    next.push_back(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", start + absl::Minutes(minutes),
                                    absl::UTCTimeZone()));
  }
  const std::string expected = absl::StrCat("is taken; next free: ", absl::StrJoin(next, ", "));
  const auto violations = Violations(results[loser]);
  ASSERT_EQ(violations.size(), 1u) << results[loser].error_message();
  EXPECT_EQ(violations[0].first, "start_time");
  EXPECT_EQ(violations[0].second, expected);
  EXPECT_NE(results[loser].error_message().find(expected), std::string::npos)
      << results[loser].error_message();

  // Over HTTP the same refusal is a 409 naming start_time.
  const HttpResponse http =
      HttpRequest("POST", stack_.gateway_url() + "/v1/bookings",
                  absl::StrCat(R"({"hostId":")", host.host_id(), R"(","caseId":")", cases[loser],
                               R"(","type":"intro_call","startTime":")", Rfc3339(start), R"("})"),
                  {"Content-Type: application/json", "Authorization: Bearer " + Coordinator()});
  EXPECT_EQ(http.status, 409) << http.body;
  EXPECT_EQ(FieldsOf(http), std::vector<std::string>{"start_time"});
}

// --- 3. Holds ---------------------------------------------------------------------------------

TEST_F(SchedulingTest, AnExpiredHoldFreesItsSlotAndCannotBeConfirmed) {
  const v1::Host host = CleanHost("Hold desk", {"intro_call"});
  const absl::Time start = UtcDay(3, 14);
  const absl::Time from = UtcDay(3, 0), to = UtcDay(4, 0);
  ASSERT_TRUE(SlotStarts(host.host_id(), "intro_call", from, to).count(start));

  v1::CreateBookingRequest request;
  request.set_host_id(host.host_id());
  request.set_case_id(NewCase("hold"));
  request.set_type("intro_call");
  *request.mutable_start_time() = Ts(start);
  request.set_hold(true);
  request.set_hold_minutes(5);
  v1::Booking held;
  const absl::Time asked = absl::Now();
  {
    auto context = Context(Coordinator());
    const grpc::Status status = Scheduling()->CreateBooking(context.get(), request, &held);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_EQ(held.status(), v1::HELD);
  EXPECT_GE(FromTs(held.hold_expires_at()), asked + absl::Minutes(5) - absl::Seconds(5));
  EXPECT_LE(FromTs(held.hold_expires_at()), absl::Now() + absl::Minutes(5) + absl::Seconds(5));
  EXPECT_FALSE(SlotStarts(host.host_id(), "intro_call", from, to).count(start));
  v1::Booking other;
  EXPECT_EQ(Book(Coordinator(), host.host_id(), NewCase("holdrival"), "intro_call", start, &other)
                .error_code(),
            StatusCode::ALREADY_EXISTS)
      << "a live hold blocks its slot";

  // The hold runs out.
  stack_.Sql(
      absl::StrCat("UPDATE scheduling.bookings SET hold_expires_at = now() - interval "
                   "'1 minute' WHERE id = '",
                   held.booking_id(), "'"));
  EXPECT_TRUE(SlotStarts(host.host_id(), "intro_call", from, to).count(start));
  EXPECT_EQ(GetOrFail(held.booking_id()).status(), v1::EXPIRED);
  v1::ListBookingsRequest list;
  list.set_host_id(host.host_id());
  v1::ListBookingsResponse live;
  {
    auto context = Context(Coordinator());
    ASSERT_TRUE(Scheduling()->ListBookings(context.get(), list, &live).ok());
  }
  EXPECT_EQ(live.bookings_size(), 0) << "an expired hold is not a live booking";

  // Someone else takes the slot; the expired hold cannot come back.
  const v1::Booking taken = BookOrFail(host.host_id(), NewCase("holdtaker"), "intro_call", start);
  EXPECT_EQ(taken.status(), v1::CONFIRMED);
  v1::Booking confirmed;
  const grpc::Status confirm = Confirm(Coordinator(), held.booking_id(), &confirmed);
  EXPECT_EQ(confirm.error_code(), StatusCode::FAILED_PRECONDITION) << confirm.error_message();
  const v1::Booking expired = GetOrFail(held.booking_id());
  EXPECT_EQ(expired.status(), v1::EXPIRED);
  std::vector<std::string> events;
  for (const v1::BookingEvent& e : expired.history()) events.push_back(e.event());
  EXPECT_EQ(events, (std::vector<std::string>{"HELD", "EXPIRED"}));
  EXPECT_EQ(stack_
                .Sql("SELECT status FROM scheduling.bookings WHERE id = '" + held.booking_id() +
                     "'")[0][0]
                .as<std::string>(),
            "EXPIRED");
  v1::Booking moved;
  EXPECT_EQ(
      Reschedule(Coordinator(), held.booking_id(), start + absl::Hours(2), &moved).error_code(),
      StatusCode::FAILED_PRECONDITION);

  // A hold confirmed in time becomes CONFIRMED.
  v1::Booking second_hold;
  ASSERT_TRUE(Book(Coordinator(), host.host_id(), NewCase("holdsecond"), "intro_call",
                   start + absl::Hours(2), &second_hold, true)
                  .ok());
  ASSERT_TRUE(Confirm(Coordinator(), second_hold.booking_id(), &confirmed).ok());
  EXPECT_EQ(confirmed.status(), v1::CONFIRMED);
  EXPECT_FALSE(confirmed.has_hold_expires_at());
  EXPECT_EQ(confirmed.sequence(), second_hold.sequence() + 1);
  EXPECT_EQ(Confirm(Coordinator(), second_hold.booking_id(), &confirmed).error_code(),
            StatusCode::FAILED_PRECONDITION)
      << "only a HELD booking can be confirmed";
}

// --- 4. Reschedule and notice -----------------------------------------------------------------

TEST_F(SchedulingTest, RescheduleIsAtomicAndTheCancelNoticeHoldsUnlessOverridden) {
  const v1::Host host = CleanHost("Reschedule desk", {"intro_call"});
  const absl::Time t1 = UtcDay(4, 10), t2 = UtcDay(4, 12), t3 = UtcDay(4, 14);
  const v1::Booking a = BookOrFail(host.host_id(), NewCase("movera"), "intro_call", t1);
  const v1::Booking b = BookOrFail(host.host_id(), NewCase("moverb"), "intro_call", t2);
  const auto start_in_db = [&](const std::string& id) {
    return stack_.Sql(
        "SELECT extract(epoch FROM start_time)::bigint, sequence FROM scheduling.bookings "
        "WHERE id = '" +
        id + "'")[0];
  };

  // Onto B's time: refused, and nothing moved.
  v1::Booking moved;
  grpc::Status status = Reschedule(Coordinator(), a.booking_id(), t2, &moved);
  EXPECT_EQ(status.error_code(), StatusCode::ALREADY_EXISTS) << status.error_message();
  EXPECT_EQ(FieldsOf(status), std::vector<std::string>{"start_time"});
  v1::Booking a_now = GetOrFail(a.booking_id());
  EXPECT_EQ(FromTs(a_now.start_time()), t1);
  EXPECT_EQ(a_now.sequence(), a.sequence());
  EXPECT_EQ(a_now.status(), v1::CONFIRMED);
  EXPECT_EQ(start_in_db(a.booking_id())[0].as<int64_t>(), absl::ToUnixSeconds(t1));
  EXPECT_EQ(start_in_db(a.booking_id())[1].as<int>(), a.sequence());
  const v1::Booking b_now = GetOrFail(b.booking_id());
  EXPECT_EQ(FromTs(b_now.start_time()), t2);
  EXPECT_EQ(b_now.sequence(), b.sequence());
  EXPECT_EQ(start_in_db(b.booking_id())[0].as<int64_t>(), absl::ToUnixSeconds(t2));
  for (const v1::BookingEvent& e : a_now.history()) EXPECT_NE(e.event(), "RESCHEDULED");
  // A time that only half overlaps B is refused too.
  status = Reschedule(Coordinator(), a.booking_id(), t2 - absl::Minutes(15), &moved);
  EXPECT_EQ(status.error_code(), StatusCode::ALREADY_EXISTS) << status.error_message();
  EXPECT_EQ(FromTs(GetOrFail(a.booking_id()).start_time()), t1);

  // Onto a free time: same id, new time, sequence bumped, the move in its history.
  status = Reschedule(Coordinator(), a.booking_id(), t3, &moved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(moved.booking_id(), a.booking_id());
  EXPECT_EQ(FromTs(moved.start_time()), t3);
  EXPECT_EQ(FromTs(moved.end_time()), t3 + absl::Minutes(30));
  EXPECT_EQ(moved.sequence(), a.sequence() + 1);
  a_now = GetOrFail(a.booking_id());
  ASSERT_FALSE(a_now.history().empty());
  const v1::BookingEvent& last = *a_now.history().rbegin();
  EXPECT_EQ(last.event(), "RESCHEDULED");
  EXPECT_EQ(FromTs(last.previous_start_time()), t1);
  EXPECT_EQ(FromTs(last.start_time()), t3);
  EXPECT_EQ(last.actor(), "user:" + coordinator_id_);
  EXPECT_EQ(start_in_db(a.booking_id())[0].as<int64_t>(), absl::ToUnixSeconds(t3));
  const std::set<absl::Time> free =
      SlotStarts(host.host_id(), "intro_call", UtcDay(4, 0), UtcDay(5, 0));
  EXPECT_TRUE(free.count(t1)) << "the old time is offered again";
  EXPECT_FALSE(free.count(t3));
  EXPECT_FALSE(free.count(t2));

  // The notice: a confirmed intro call can be cancelled or moved up to 2 hours before it starts.
  absl::Time soon = absl::Now() + absl::Minutes(20);
  soon = absl::FromUnixSeconds((absl::ToUnixSeconds(soon) / 900 + 1) * 900);  // the next :15
  const absl::CivilSecond soon_local = absl::ToCivilSecond(soon, absl::UTCTimeZone());
  if (soon_local.hour() * 60 + soon_local.minute() > 23 * 60 + 30) {  // would end after midnight
    soon = absl::FromCivil(absl::CivilDay(soon_local) + 1, absl::UTCTimeZone());
  }
  ASSERT_LT(soon - absl::Now(), absl::Minutes(120));
  const std::string soon_case = NewCase("notice");
  const v1::Booking near = BookOrFail(host.host_id(), soon_case, "intro_call", soon);
  v1::Booking cancelled;
  status = Cancel(Coordinator(), near.booking_id(), &cancelled);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_NE(status.error_message().find("2 hours"), std::string::npos) << status.error_message();
  status = Reschedule(Coordinator(), near.booking_id(), soon + absl::Hours(3), &moved);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION) << status.error_message();
  // A patient cannot override the notice.
  status = Cancel("", near.booking_id(), &cancelled, true, LinkToken(soon_case));
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(GetOrFail(near.booking_id()).status(), v1::CONFIRMED);
  // A coordinator can.
  status = Cancel(Coordinator(), near.booking_id(), &cancelled, true, "", "patient is ill");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(cancelled.status(), v1::CANCELLED);
  EXPECT_EQ(cancelled.cancel_reason(), "patient is ill");
  EXPECT_EQ(Cancel(Coordinator(), near.booking_id(), &cancelled, true).error_code(),
            StatusCode::FAILED_PRECONDITION)
      << "already cancelled";
}

// --- 5. Patients' booking links ---------------------------------------------------------------

TEST_F(SchedulingTest, ABookingLinkBooksIntroCallsForItsOwnCaseOnly) {
  const absl::TimeZone berlin = Zone("Europe/Berlin");
  const absl::CivilDay wednesday = NextWeekday(berlin, 3, 14);
  const absl::Time from = LocalTime(berlin, wednesday, 0);
  const absl::Time to = LocalTime(berlin, wednesday + 1, 0);
  const std::string own_case = NewCase("linkowner");
  const std::string other_case = NewCase("linkother");
  const std::string token = LinkToken(own_case);

  // Intro-call slots of every host, without any authorization header.
  v1::ListSlotsResponse slots;
  grpc::Status status = ListSlots("", "-", "intro_call", from, to, &slots, "", token);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::set<absl::Time> desk;
  for (const v1::Slot& slot : slots.slots()) {
    if (slot.host_id() == kIntroDesk) desk.insert(FromTs(slot.start_time()));
  }
  EXPECT_EQ(desk.size(), 31u);
  const absl::Time ten = LocalTime(berlin, wednesday, 10);
  ASSERT_TRUE(desk.count(ten));
  status = ListSlots("", "-", "video_consultation", from, to, &slots, "", token);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldsOf(status), std::vector<std::string>{"type"});

  // Booking for the link's case (no case id needed), as "patient".
  v1::Booking own;
  status = Book("", kIntroDesk, "", "intro_call", ten, &own, false, token);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(own.case_id(), own_case);
  EXPECT_EQ(own.created_by(), "patient");
  EXPECT_EQ(own.status(), v1::CONFIRMED);
  v1::Booking seen;
  status = GetBooking("", own.booking_id(), &seen, token);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_FALSE(seen.history().empty());
  EXPECT_EQ(seen.history(0).actor(), "patient");

  v1::Booking refused;
  const absl::Time eleven = LocalTime(berlin, wednesday, 11);
  status = Book("", kIntroDesk, other_case, "intro_call", eleven, &refused, false, token);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << status.error_message();
  status = Book("", kTanaka, "", "video_consultation",
                LocalTime(Zone("Asia/Tokyo"), NextWeekday(Zone("Asia/Tokyo"), 3, 14), 15), &refused,
                false, token);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(FieldsOf(status), std::vector<std::string>{"type"});

  // Expired, tampered and missing links are unauthenticated.
  const std::string expired = LinkToken(own_case, -absl::Minutes(1));
  std::string tampered = token;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  const std::string other_token = LinkToken(other_case);
  // The other case's id with this token's expiry and MAC: a forged grant.
  std::string forged = token;
  forged.replace(forged.find(own_case), own_case.size(), other_case);
  for (const std::string& bad :
       {expired, tampered, forged, std::string("b1.garbage"), std::string("")}) {
    status = ListSlots("", "-", "intro_call", from, to, &slots, "", bad);
    EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED) << bad;
    status = Book("", kIntroDesk, "", "intro_call", eleven, &refused, false, bad);
    EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED) << bad;
    status = GetBooking("", own.booking_id(), &seen, bad);
    EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED) << bad;
  }
  EXPECT_TRUE(SlotStarts(kIntroDesk, "intro_call", from, to).count(eleven))
      << "no refused attempt booked anything";

  // Another case's booking does not exist for this link.
  const v1::Booking theirs =
      BookOrFail(kIntroDesk, other_case, "intro_call", LocalTime(berlin, wednesday, 13));
  status = GetBooking("", theirs.booking_id(), &seen, token);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << status.error_message();
  v1::Booking changed;
  status = Cancel("", theirs.booking_id(), &changed, false, token);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << status.error_message();
  status =
      Reschedule("", theirs.booking_id(), LocalTime(berlin, wednesday, 15), &changed, false, token);
  EXPECT_EQ(status.error_code(), StatusCode::NOT_FOUND) << status.error_message();
  EXPECT_EQ(GetOrFail(theirs.booking_id()).status(), v1::CONFIRMED);
  status = GetBooking("", theirs.booking_id(), &seen, other_token);
  EXPECT_TRUE(status.ok()) << "its own link sees it: " << status.error_message();

  // A partner key, with or without a link, is refused.
  const std::string partner = stack_.CreatePartner("sched-partner", "inquiries:write,cases:read");
  secrets_.push_back(partner);
  status = ListSlots(partner, "-", "intro_call", from, to, &slots, "", token);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << status.error_message();
  status = Book(partner, kIntroDesk, "", "intro_call", eleven, &refused, false, token);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << status.error_message();
  status = GetBooking(partner, own.booking_id(), &seen, token);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << status.error_message();

  // Through the gateway: the slots a patient's page lists, and a booking from it.
  const std::string slots_url = absl::StrCat(
      stack_.gateway_url(), "/v1/hosts/-/slots?type=", "intro_call&from=", Rfc3339(from),
      "&to=", Rfc3339(to), "&bookingToken=");
  HttpResponse http = HttpRequest("GET", slots_url + token);
  ASSERT_EQ(http.status, 200) << http.body;
  const auto over_http = FromJson<v1::ListSlotsResponse>(http.body);
  status = ListSlots("", "-", "intro_call", from, to, &slots, "", token);
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(over_http.slots_size(), slots.slots_size());
  for (int i = 0; i < slots.slots_size(); ++i) {
    EXPECT_EQ(over_http.slots(i).SerializeAsString(), slots.slots(i).SerializeAsString()) << i;
  }
  bool ten_listed = false;
  for (const v1::Slot& slot : over_http.slots()) {
    ten_listed |= slot.host_id() == kIntroDesk && FromTs(slot.start_time()) == ten;
  }
  EXPECT_FALSE(ten_listed) << "the patient's own booking took 10:00";
  EXPECT_EQ(HttpRequest("GET", slots_url).status, 401);
  EXPECT_EQ(HttpRequest("GET", slots_url + tampered).status, 401);
  EXPECT_EQ(HttpRequest("GET", slots_url + token, "", {"Authorization: Bearer " + partner}).status,
            403);

  // One live intro call per link: a second one is refused until the first is cancelled (here
  // by the patient, through the gateway), then booked through the gateway.
  const absl::Time two = LocalTime(berlin, wednesday, 14);
  const auto book_over_http = [&] {
    return HttpRequest(
        "POST", stack_.gateway_url() + "/v1/bookings",
        absl::StrCat(R"({"hostId":")", kIntroDesk, R"(","type":"intro_call","startTime":")",
                     Rfc3339(two), R"(","bookingToken":")", token, R"("})"),
        {"Content-Type: application/json"});
  };
  const auto cancel_over_http = [&](const std::string& booking_id) {
    return HttpRequest(
        "POST", absl::StrCat(stack_.gateway_url(), "/v1/bookings/", booking_id, ":cancel"),
        absl::StrCat(R"({"bookingToken":")", token, R"("})"), {"Content-Type: application/json"});
  };
  http = book_over_http();
  EXPECT_EQ(http.status, 400) << http.body;
  EXPECT_TRUE(SlotStarts(kIntroDesk, "intro_call", from, to).count(two));
  http = cancel_over_http(own.booking_id());
  ASSERT_EQ(http.status, 200) << http.body;
  EXPECT_EQ(FromJson<v1::Booking>(http.body).status(), v1::CANCELLED);
  http = book_over_http();
  ASSERT_EQ(http.status, 201) << http.body;
  const auto booked = FromJson<v1::Booking>(http.body);
  EXPECT_EQ(booked.case_id(), own_case);
  EXPECT_EQ(booked.created_by(), "patient");
  EXPECT_EQ(booked.status(), v1::CONFIRMED);
  EXPECT_EQ(FromTs(booked.start_time()), two);
  EXPECT_FALSE(SlotStarts(kIntroDesk, "intro_call", from, to).count(two));
  EXPECT_TRUE(SlotStarts(kIntroDesk, "intro_call", from, to).count(ten)) << "10:00 is free again";
  const v1::Booking cancelled_first = GetOrFail(own.booking_id());
  EXPECT_EQ(cancelled_first.status(), v1::CANCELLED);
  EXPECT_EQ(cancelled_first.history().rbegin()->actor(), "patient");
  EXPECT_EQ(GetOrFail(booked.booking_id()).history(0).actor(), "patient");
}

// A coordinator's booking of a patient's case, as the patient's link sees and changes it: staff
// appear as "coordinator", in every answer.
TEST_F(SchedulingTest, ABookingLinkSeesStaffAsCoordinatorInEveryAnswer) {
  const v1::Host host = CleanHost("Link view desk", {"intro_call"});
  const std::string case_id = NewCase("linkview");
  const std::string token = LinkToken(case_id);
  const v1::Booking made = BookOrFail(host.host_id(), case_id, "intro_call", UtcDay(8, 15));
  EXPECT_EQ(made.created_by(), "user:" + coordinator_id_);

  v1::Booking seen;
  ASSERT_TRUE(GetBooking("", made.booking_id(), &seen, token).ok());
  EXPECT_EQ(seen.created_by(), "coordinator");
  ASSERT_FALSE(seen.history().empty());
  EXPECT_EQ(seen.history(0).actor(), "coordinator");

  v1::Booking moved;
  grpc::Status status = Reschedule("", made.booking_id(), UtcDay(8, 16), &moved, false, token);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(FromTs(moved.start_time()), UtcDay(8, 16));
  EXPECT_EQ(moved.created_by(), "coordinator") << "RescheduleBooking's answer";
  v1::Booking cancelled;
  status = Cancel("", made.booking_id(), &cancelled, false, token);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(cancelled.status(), v1::CANCELLED);
  EXPECT_EQ(cancelled.created_by(), "coordinator") << "CancelBooking's answer";

  const v1::Booking held = BookOrFail(host.host_id(), case_id, "intro_call", UtcDay(8, 17), true);
  v1::ConfirmBookingRequest confirm;
  confirm.set_booking_id(held.booking_id());
  confirm.set_booking_token(token);
  v1::Booking confirmed;
  auto context = Context("");
  status = Scheduling()->ConfirmBooking(context.get(), confirm, &confirmed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(confirmed.status(), v1::CONFIRMED);
  EXPECT_EQ(confirmed.created_by(), "coordinator") << "ConfirmBooking's answer";
}

// Other bookings of the case are visible to its link, never changeable; a closed case's link
// books nothing.
TEST_F(SchedulingTest, ABookingLinkChangesOnlyIntroCallsAndStopsWhenTheCaseCloses) {
  const v1::Host desk = CleanHost("Closing desk", {"intro_call"});
  const v1::Host doctor = CleanHost("Closing doctor", {"video_consultation"});
  const std::string case_id = NewCase("linkclose");
  const std::string token = LinkToken(case_id);
  const v1::Booking consultation =
      BookOrFail(doctor.host_id(), case_id, "video_consultation", UtcDay(10, 9));
  v1::Booking seen;
  ASSERT_TRUE(GetBooking("", consultation.booking_id(), &seen, token).ok());
  EXPECT_EQ(seen.type(), "video_consultation");
  v1::Booking changed;
  grpc::Status status = Cancel("", consultation.booking_id(), &changed, false, token);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << status.error_message();
  status = Reschedule("", consultation.booking_id(), UtcDay(10, 11), &changed, false, token);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << status.error_message();
  const v1::Booking still = GetOrFail(consultation.booking_id());
  EXPECT_EQ(still.status(), v1::CONFIRMED);
  EXPECT_EQ(FromTs(still.start_time()), UtcDay(10, 9));

  // The link's own intro call, then the case is closed (LOST): the link changes nothing more.
  v1::Booking call;
  status = Book("", desk.host_id(), "", "intro_call", UtcDay(10, 14), &call, false, token);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::UpdateCaseRequest close;
  close.set_case_id(case_id);
  close.mutable_case_()->set_stage(v1::LOST);
  close.mutable_case_()->set_lost_reason("chose another clinic");
  close.mutable_update_mask()->add_paths("stage");
  close.mutable_update_mask()->add_paths("lost_reason");
  v1::Case closed;
  {
    auto context = Context(Coordinator());
    status = stack_.Inquiries()->UpdateCase(context.get(), close, &closed);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  ASSERT_EQ(closed.stage(), v1::LOST);
  // The link stops working altogether: no slots, no bookings to read.
  v1::ListSlotsResponse slots;
  status = ListSlots("", "-", "intro_call", UtcDay(10, 0), UtcDay(11, 0), &slots, "", token);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << status.error_message();
  v1::Booking read;
  status = GetBooking("", call.booking_id(), &read, token);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << status.error_message();
  status = Reschedule("", call.booking_id(), UtcDay(10, 15), &changed, false, token);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << status.error_message();
  status = Cancel("", call.booking_id(), &changed, false, token);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << status.error_message();
  EXPECT_EQ(GetOrFail(call.booking_id()).status(), v1::CONFIRMED);
  ASSERT_TRUE(Cancel(Coordinator(), call.booking_id(), &changed).ok());
  status = Book("", desk.host_id(), "", "intro_call", UtcDay(10, 16), &call, false, token);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED) << status.error_message();
}

// One live intro call per link holds when the patient's clicks race (each on another time).
TEST_F(SchedulingTest, ABookingLinkBooksOneIntroCallEvenWhenItsClicksRace) {
  constexpr int kClicks = 40;
  const v1::Host host = CleanHost("Link race desk", {"intro_call"});
  const std::string case_id = NewCase("linkrace");
  const std::string token = LinkToken(case_id);
  std::vector<grpc::Status> results(kClicks);
  std::latch ready(kClicks);
  std::vector<std::thread> threads;
  const auto stub = Scheduling();
  for (int i = 0; i < kClicks; ++i) {
    threads.emplace_back([&, i] {
      v1::CreateBookingRequest request;
      request.set_host_id(host.host_id());
      request.set_type("intro_call");
      *request.mutable_start_time() = Ts(UtcDay(9, 8) + absl::Minutes(30 * i));
      request.set_booking_token(token);
      v1::Booking booking;
      auto context = NewClientContext(std::chrono::seconds(60));
      ready.arrive_and_wait();
      results[i] = stub->CreateBooking(context.get(), request, &booking);
    });
  }
  for (std::thread& t : threads) t.join();
  int ok = 0, refused = 0;
  for (const grpc::Status& status : results) {
    ok += status.ok();
    refused += status.error_code() == StatusCode::FAILED_PRECONDITION;
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(refused, kClicks - 1);
  EXPECT_EQ(stack_
                .Sql(absl::StrCat("SELECT count(*) FROM scheduling.bookings WHERE case_id = '",
                                  case_id, "' AND status IN ('HELD', 'CONFIRMED')"))[0][0]
                .as<int>(),
            1);
}

// --- 6. Reminders -----------------------------------------------------------------------------

struct OutboxRow {
  int64_t id;
  absl::Time due;
  absl::Duration lead;
  bool cancelled;
};

TEST_F(SchedulingTest, RemindersFollowConfirmRescheduleAndCancel) {
  const v1::Host host = CleanHost("Reminder doctor", {"video_consultation"});
  const std::string case_id = NewCase("reminders");
  const auto outbox = [&](const std::string& booking_id) {
    std::vector<OutboxRow> rows;
    for (const auto& row : stack_.Sql(absl::StrCat(
             "SELECT id, extract(epoch FROM due_at)::bigint, extract(epoch FROM lead)::bigint, ",
             "cancelled_at IS NOT NULL, kind, case_id::text FROM scheduling.outbox ",
             "WHERE booking_id = '", booking_id, "' ORDER BY id"))) {
      EXPECT_EQ(row[4].as<std::string>(), "CONSULTATION_REMINDER");
      EXPECT_EQ(row[5].as<std::string>(), case_id);
      rows.push_back({row[0].as<int64_t>(), absl::FromUnixSeconds(row[1].as<int64_t>()),
                      absl::Seconds(row[2].as<int64_t>()), row[3].as<bool>()});
    }
    return rows;
  };
  const auto reminder = [&](int64_t outbox_id, v1::BookingReminder* out) {
    v1::GetBookingReminderRequest request;
    request.set_job_id(absl::StrCat("scheduling:", outbox_id));
    auto context = Context(kInternalToken);
    return Scheduling()->GetBookingReminder(context.get(), request, out);
  };

  // A hold has no reminders; confirming it schedules 24 h and 1 h before.
  const absl::Time start = UtcDay(5, 10);
  const v1::Booking held = BookOrFail(host.host_id(), case_id, "video_consultation", start, true);
  EXPECT_TRUE(outbox(held.booking_id()).empty());
  v1::Booking confirmed;
  ASSERT_TRUE(Confirm(Coordinator(), held.booking_id(), &confirmed).ok());
  std::vector<OutboxRow> rows = outbox(held.booking_id());
  ASSERT_EQ(rows.size(), 2u);
  std::sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.due < b.due; });
  EXPECT_EQ(rows[0].due, start - absl::Hours(24));
  EXPECT_EQ(rows[0].lead, absl::Hours(24));
  EXPECT_EQ(rows[1].due, start - absl::Hours(1));
  EXPECT_EQ(rows[1].lead, absl::Hours(1));
  EXPECT_FALSE(rows[0].cancelled || rows[1].cancelled);
  const std::vector<OutboxRow> first = rows;

  v1::BookingReminder got;
  grpc::Status status = reminder(first[0].id, &got);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(got.wanted());
  EXPECT_EQ(got.booking_id(), held.booking_id());
  EXPECT_EQ(got.case_id(), case_id);
  EXPECT_EQ(FromTs(got.start_time()), start);
  EXPECT_EQ(FromTs(got.end_time()), start + absl::Minutes(45));
  EXPECT_EQ(got.lead_minutes(), 1440);
  EXPECT_EQ(got.type_name(), "Medical video consultation");
  EXPECT_EQ(got.host_name(), "Reminder doctor");
  EXPECT_EQ(got.host_time_zone(), "UTC");
  ASSERT_TRUE(reminder(first[1].id, &got).ok());
  EXPECT_TRUE(got.wanted());
  EXPECT_EQ(got.lead_minutes(), 60);

  // The worker confirms receipt once.
  v1::ConfirmSchedulingFollowUpsRequest receipt;
  receipt.add_job_ids(absl::StrCat("scheduling:", first[0].id));
  receipt.add_job_ids("inquiries:1");  // not ours: ignored
  v1::ConfirmSchedulingFollowUpsResponse receipt_reply;
  {
    auto context = Context(kInternalToken);
    ASSERT_TRUE(Scheduling()->ConfirmFollowUps(context.get(), receipt, &receipt_reply).ok());
  }
  EXPECT_EQ(receipt_reply.confirmed(), 1);
  {
    auto context = Context(kInternalToken);
    ASSERT_TRUE(Scheduling()->ConfirmFollowUps(context.get(), receipt, &receipt_reply).ok());
  }
  EXPECT_EQ(receipt_reply.confirmed(), 0);

  // Moving the booking cancels its reminders and schedules two for the new time.
  const absl::Time moved_to = UtcDay(6, 11);
  v1::Booking moved;
  status = Reschedule(Coordinator(), held.booking_id(), moved_to, &moved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  rows = outbox(held.booking_id());
  ASSERT_EQ(rows.size(), 4u);
  std::vector<OutboxRow> live;
  for (const OutboxRow& row : rows) {
    const bool old = row.id == first[0].id || row.id == first[1].id;
    EXPECT_EQ(row.cancelled, old) << row.id;
    if (!old) live.push_back(row);
  }
  ASSERT_EQ(live.size(), 2u);
  std::sort(live.begin(), live.end(), [](auto& a, auto& b) { return a.due < b.due; });
  EXPECT_EQ(live[0].due, moved_to - absl::Hours(24));
  EXPECT_EQ(live[1].due, moved_to - absl::Hours(1));
  ASSERT_TRUE(reminder(first[1].id, &got).ok());
  EXPECT_FALSE(got.wanted()) << "the reminder of the old time";
  ASSERT_TRUE(reminder(live[1].id, &got).ok());
  EXPECT_TRUE(got.wanted());
  EXPECT_EQ(FromTs(got.start_time()), moved_to);
  EXPECT_EQ(got.lead_minutes(), 60);

  // Cancelling cancels them all.
  v1::Booking cancelled;
  ASSERT_TRUE(Cancel(Coordinator(), held.booking_id(), &cancelled).ok());
  for (const OutboxRow& row : outbox(held.booking_id())) EXPECT_TRUE(row.cancelled) << row.id;
  for (const OutboxRow& row : live) {
    ASSERT_TRUE(reminder(row.id, &got).ok());
    EXPECT_FALSE(got.wanted()) << row.id;
  }
  // A job id that is not ours, or unknown.
  v1::GetBookingReminderRequest bad;
  bad.set_job_id("inquiries:12");
  {
    auto context = Context(kInternalToken);
    status = Scheduling()->GetBookingReminder(context.get(), bad, &got);
  }
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldsOf(status), std::vector<std::string>{"job_id"});
  EXPECT_EQ(reminder(999999999, &got).error_code(), StatusCode::NOT_FOUND);

  // Booked less than a day ahead: only the 1-hour reminder is still to come.
  // (On the hour, 4 to 5 hours ahead: a 45-minute slot never crosses midnight.)
  const absl::Time near_start =
      absl::FromUnixSeconds((absl::ToUnixSeconds(absl::Now() + absl::Hours(5)) / 3600) * 3600);
  const v1::Booking near = BookOrFail(host.host_id(), case_id, "video_consultation", near_start);
  rows = outbox(near.booking_id());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].due, near_start - absl::Hours(1));
}

// --- 7. The iCalendar feed --------------------------------------------------------------------

class SchedulingFeedTest : public SchedulingTest {
 protected:
  // The checker: tests/scheduling/ics/parse_ics.py on Debian's python3-icalendar (a real RFC 5545
  // parser; the system python, not whatever python3 is first on PATH).
  static std::string IcsChecker() {
    return absl::StrCat("/usr/bin/python3 '", CAREBRIDGE_ICS_SOURCE_DIR, "/parse_ics.py'");
  }

  // Runs the checker on `ics`: its exit code, its stdout in `out` (and its stderr after, when it
  // fails).
  static int ParseIcs(const std::string& ics, std::string* out) {
    const std::string dir = TempDir();
    const std::string file = dir + "/feed.ics";
    {
      std::ofstream f(file, std::ios::binary);
      f << ics;
    }
    const std::string command = absl::StrCat(IcsChecker(), " '", file, "' 2>'", dir, "/stderr'");
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return -1;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out->append(buffer, n);
    const int status = pclose(pipe);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) out->append(ReadFileTail(dir + "/stderr"));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

TEST_F(SchedulingFeedTest, IcsFeedParsesInARealParserWithEveryBookingAndRotationRevokesTheOldLink) {
  // A name with the characters iCalendar TEXT must escape.
  const std::string name = "Feed desk; north wing, room 2";
  const v1::Host host = CleanHost(name, {"intro_call"});
  const std::string case_id = NewCase("feed");
  const v1::Booking kept = BookOrFail(host.host_id(), case_id, "intro_call", UtcDay(4, 9));
  const v1::Booking dropped = BookOrFail(host.host_id(), case_id, "intro_call", UtcDay(4, 10));
  const v1::Booking held =
      BookOrFail(host.host_id(), NewCase("feedheld"), "intro_call", UtcDay(4, 11), true);
  v1::Booking cancelled;
  ASSERT_TRUE(Cancel(Coordinator(), dropped.booking_id(), &cancelled).ok());
  v1::Booking moved;
  ASSERT_TRUE(Reschedule(Coordinator(), kept.booking_id(), UtcDay(4, 8, 30), &moved).ok());

  v1::RotateCalendarTokenRequest rotate;
  rotate.set_host_id(host.host_id());
  v1::CalendarToken token;
  {
    auto context = Context(Admin());
    const grpc::Status status = Scheduling()->RotateCalendarToken(context.get(), rotate, &token);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  secrets_.push_back(token.token());
  EXPECT_EQ(token.host_id(), host.host_id());
  EXPECT_TRUE(token.token().starts_with("cbcal_")) << token.token();
  EXPECT_EQ(token.feed_path(),
            absl::StrCat("/v1/hosts/", host.host_id(), "/calendar.ics?token=", token.token()));
  {
    // A coordinator who is not this host cannot issue its link...
    v1::CalendarToken refused;
    auto context = Context(Coordinator());
    EXPECT_EQ(Scheduling()->RotateCalendarToken(context.get(), rotate, &refused).error_code(),
              StatusCode::PERMISSION_DENIED);
    // ...but the coordinator a host is can (and that revokes nothing of this host's).
    v1::Host own = CleanHost("Own feed desk", {"intro_call"});
    own.set_user_id(coordinator_id_);
    v1::UpsertHostRequest upsert;
    *upsert.mutable_host() = own;
    auto admin = Context(Admin());
    ASSERT_TRUE(Scheduling()->UpsertHost(admin.get(), upsert, &own).ok());
    EXPECT_EQ(own.user_id(), coordinator_id_);
    v1::RotateCalendarTokenRequest rotate_own;
    rotate_own.set_host_id(own.host_id());
    v1::CalendarToken own_token;
    auto coordinator = Context(Coordinator());
    const grpc::Status status =
        Scheduling()->RotateCalendarToken(coordinator.get(), rotate_own, &own_token);
    EXPECT_TRUE(status.ok()) << status.error_message();
    secrets_.push_back(own_token.token());
  }

  const HttpResponse feed = HttpRequest("GET", stack_.gateway_url() + token.feed_path());
  ASSERT_EQ(feed.status, 200) << feed.body;
  ASSERT_TRUE(feed.headers.count("content-type"));
  EXPECT_TRUE(feed.headers.at("content-type").starts_with("text/calendar"))
      << feed.headers.at("content-type");
  ASSERT_TRUE(feed.headers.count("cache-control"));
  EXPECT_NE(feed.headers.at("cache-control").find("private"), std::string::npos);
  EXPECT_EQ(feed.body.find("Sched Patient"), std::string::npos) << "no patient names in a feed";

  std::string json;
  ASSERT_EQ(ParseIcs(feed.body, &json), 0) << json << "\n" << feed.body;
  google::protobuf::Struct parsed;
  const auto json_status = google::protobuf::util::JsonStringToMessage(json, &parsed);
  ASSERT_TRUE(json_status.ok()) << json_status << ": " << json;
  EXPECT_EQ(parsed.fields().at("calname").string_value(), "CareBridge: " + name);
  const auto& events = parsed.fields().at("events").list_value().values();
  ASSERT_EQ(events.size(), 3) << json;
  std::map<std::string, google::protobuf::Struct> by_uid;
  for (const auto& event : events) {
    by_uid[event.struct_value().fields().at("uid").string_value()] = event.struct_value();
  }
  struct Expected {
    std::string id;
    absl::Time start, end;
    std::string status;
    int sequence;
  };
  for (const Expected& e :
       {Expected{kept.booking_id(), UtcDay(4, 8, 30), UtcDay(4, 9), "CONFIRMED", 1},
        Expected{dropped.booking_id(), UtcDay(4, 10), UtcDay(4, 10, 30), "CANCELLED", 1},
        Expected{held.booking_id(), UtcDay(4, 11), UtcDay(4, 11, 30), "TENTATIVE", 0}}) {
    const std::string uid = e.id + "@carebridge.local";
    ASSERT_TRUE(by_uid.count(uid)) << uid << " missing from " << json;
    const auto& fields = by_uid[uid].fields();
    EXPECT_EQ(fields.at("start").string_value(), Rfc3339(e.start)) << uid;
    EXPECT_EQ(fields.at("end").string_value(), Rfc3339(e.end)) << uid;
    EXPECT_EQ(fields.at("status").string_value(), e.status) << uid;
    EXPECT_EQ(fields.at("sequence").number_value(), e.sequence) << uid;
    const std::string& booked_case = e.id == held.booking_id() ? held.case_id() : case_id;
    EXPECT_EQ(fields.at("summary").string_value(),
              absl::StrCat("Intro call (case ", booked_case.substr(0, 8), ")"))
        << uid;
  }
  // The order is by start.
  EXPECT_EQ(events[0].struct_value().fields().at("uid").string_value(),
            kept.booking_id() + "@carebridge.local");

  // The feed through gRPC too (public: no credentials).
  v1::GetCalendarFeedRequest feed_request;
  feed_request.set_host_id(host.host_id());
  feed_request.set_token(token.token());
  v1::HttpBody body;
  {
    auto context = Context("");
    ASSERT_TRUE(Scheduling()->GetCalendarFeed(context.get(), feed_request, &body).ok());
  }
  EXPECT_TRUE(body.content_type().starts_with("text/calendar"));

  // Rotating revokes the old link; the token opens only its own host's feed.
  v1::CalendarToken second;
  {
    auto context = Context(Admin());
    ASSERT_TRUE(Scheduling()->RotateCalendarToken(context.get(), rotate, &second).ok());
  }
  secrets_.push_back(second.token());
  EXPECT_NE(second.token(), token.token());
  EXPECT_EQ(HttpRequest("GET", stack_.gateway_url() + token.feed_path()).status, 404);
  EXPECT_EQ(HttpRequest("GET", stack_.gateway_url() + second.feed_path()).status, 200);
  EXPECT_EQ(HttpRequest("GET", absl::StrCat(stack_.gateway_url(), "/v1/hosts/", kIntroDesk,
                                            "/calendar.ics?token=", second.token()))
                .status,
            404);
  EXPECT_EQ(HttpRequest("GET", absl::StrCat(stack_.gateway_url(), "/v1/hosts/", host.host_id(),
                                            "/calendar.ics"))
                .status,
            404);
  {
    auto context = Context("");
    EXPECT_EQ(Scheduling()->GetCalendarFeed(context.get(), feed_request, &body).error_code(),
              StatusCode::NOT_FOUND);
  }
}

// --- 8. Itineraries ---------------------------------------------------------------------------

TEST_F(SchedulingTest, ItinerariesPlanTripsAroundTheClinicAndHoldLinkedVisits) {
  const absl::TimeZone tokyo = Zone("Asia/Tokyo");
  const absl::CivilDay departure = Today(tokyo) + 21;
  const std::string case_id = NewCase("itinerary");
  const auto plan = [&](v1::PlanItineraryRequest request, v1::Itinerary* out) {
    request.set_case_id(case_id);
    auto context = Context(Coordinator());
    return Scheduling()->PlanItinerary(context.get(), request, out);
  };
  const auto works = [](absl::CivilDay day) { return IsoWeekday(day) != 7; };  // Tanaka: Mon-Sat

  v1::PlanItineraryRequest autologous;
  autologous.set_cell_source(v1::AUTOLOGOUS);
  autologous.set_earliest_departure(DateText(departure));
  autologous.set_host_id(kTanaka);
  v1::Itinerary itinerary;
  grpc::Status status = plan(autologous, &itinerary);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(itinerary.case_id(), case_id);
  ASSERT_EQ(itinerary.trips_size(), 2);
  EXPECT_EQ(itinerary.trips(0).purpose(), "harvest");
  EXPECT_EQ(itinerary.trips(1).purpose(), "infusion");
  ASSERT_EQ(itinerary.trips(0).visits_size(), 1);
  ASSERT_EQ(itinerary.trips(1).visits_size(), 1);
  EXPECT_EQ(itinerary.trips(0).visits(0).kind(), "harvest");
  EXPECT_EQ(itinerary.trips(1).visits(0).kind(), "infusion");
  const absl::CivilDay harvest = ParseDay(itinerary.trips(0).visits(0).date());
  const absl::CivilDay infusion = ParseDay(itinerary.trips(1).visits(0).date());
  EXPECT_GT(harvest, departure);
  EXPECT_TRUE(works(harvest)) << DateText(harvest);
  EXPECT_TRUE(works(infusion)) << DateText(infusion);
  EXPECT_GE(infusion - harvest, 21);
  EXPECT_LE(infusion - harvest, 35);
  EXPECT_EQ(itinerary.culture_days(), infusion - harvest);
  EXPECT_GE(ParseDay(itinerary.trips(0).arrive()), departure);
  EXPECT_EQ(ParseDay(itinerary.trips(0).arrive()), harvest - 1);
  EXPECT_EQ(ParseDay(itinerary.trips(0).depart()), harvest + 1);
  EXPECT_EQ(ParseDay(itinerary.trips(1).arrive()), infusion - 1);
  EXPECT_EQ(ParseDay(itinerary.trips(1).depart()), infusion + 1);
  EXPECT_TRUE(itinerary.trips(0).visits(0).booking_id().empty()) << "nothing held";

  v1::PlanItineraryRequest allogeneic;
  allogeneic.set_cell_source(v1::ALLOGENEIC);
  allogeneic.set_earliest_departure(DateText(departure));
  allogeneic.set_host_id(kTanaka);
  allogeneic.set_stay_days(12);
  status = plan(allogeneic, &itinerary);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(itinerary.trips_size(), 1);
  EXPECT_EQ(itinerary.trips(0).purpose(), "treatment_stay");
  ASSERT_EQ(itinerary.trips(0).visits_size(), 1);
  EXPECT_EQ(itinerary.trips(0).visits(0).kind(), "treatment");
  const absl::CivilDay arrive = ParseDay(itinerary.trips(0).arrive());
  const absl::CivilDay depart = ParseDay(itinerary.trips(0).depart());
  const absl::CivilDay treatment = ParseDay(itinerary.trips(0).visits(0).date());
  EXPECT_EQ(arrive, departure);
  EXPECT_GE(treatment, arrive + 2);
  EXPECT_TRUE(works(treatment));
  EXPECT_GE(depart - arrive + 1, 12);
  EXPECT_LE(depart - arrive + 1, 14);
  EXPECT_GE(depart - treatment, 7);
  EXPECT_EQ(itinerary.culture_days(), 0);

  allogeneic.set_stay_days(9);
  status = plan(allogeneic, &itinerary);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(FieldsOf(status), std::vector<std::string>{"stay_days"});

  // Held: two linked clinic visits, at the first free clinic-visit time of each day.
  autologous.set_hold(true);
  status = plan(autologous, &itinerary);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(itinerary.trips_size(), 2);
  const v1::Visit harvest_visit = itinerary.trips(0).visits(0);
  const v1::Visit infusion_visit = itinerary.trips(1).visits(0);
  ASSERT_FALSE(harvest_visit.booking_id().empty());
  ASSERT_FALSE(infusion_visit.booking_id().empty());
  const v1::Booking first = GetOrFail(harvest_visit.booking_id());
  const v1::Booking second = GetOrFail(infusion_visit.booking_id());
  for (const auto& [booking, visit] :
       {std::pair{first, harvest_visit}, std::pair{second, infusion_visit}}) {
    EXPECT_EQ(booking.status(), v1::HELD) << visit.kind();
    EXPECT_EQ(booking.type(), "clinic_visit");
    EXPECT_EQ(booking.host_id(), kTanaka);
    EXPECT_EQ(booking.case_id(), case_id);
    EXPECT_EQ(FromTs(booking.start_time()), FromTs(visit.start_time()));
    EXPECT_EQ(DateText(absl::ToCivilDay(FromTs(booking.start_time()), tokyo)), visit.date());
    EXPECT_EQ(absl::FormatTime("%H:%M", FromTs(booking.start_time()), tokyo), "09:00");
    EXPECT_EQ(FromTs(booking.end_time()) - FromTs(booking.start_time()), absl::Hours(3));
    EXPECT_EQ(booking.culture_weeks_min(), 3);
    EXPECT_EQ(booking.culture_weeks_max(), 5);
    EXPECT_GT(FromTs(booking.hold_expires_at()), absl::Now() + absl::Hours(47));
  }
  EXPECT_EQ(first.linked_booking_id(), second.booking_id());
  EXPECT_EQ(second.linked_booking_id(), first.booking_id());

  // The infusion cannot move out of the culture window, even onto a working day.
  const absl::CivilDay held_harvest = ParseDay(harvest_visit.date());
  absl::CivilDay too_early = held_harvest + 10;
  if (!works(too_early)) ++too_early;
  v1::Booking moved;
  status = Reschedule(Coordinator(), second.booking_id(), LocalTime(tokyo, too_early, 9), &moved);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(FromTs(GetOrFail(second.booking_id()).start_time()), FromTs(second.start_time()));

  // Confirming one visit confirms the pair (with the reminders of both).
  v1::Booking confirmed;
  status = Confirm(Coordinator(), second.booking_id(), &confirmed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(confirmed.status(), v1::CONFIRMED);
  EXPECT_EQ(GetOrFail(first.booking_id()).status(), v1::CONFIRMED);
  for (const v1::Booking& visit : {first, second}) {
    EXPECT_EQ(stack_
                  .Sql("SELECT count(*) FROM scheduling.outbox WHERE cancelled_at IS NULL AND "
                       "booking_id = '" +
                       visit.booking_id() + "'")[0][0]
                  .as<int>(),
              2)
        << visit.booking_id();
  }

  // Cancelling one visit cancels the pair (and the reminders of both).
  v1::Booking cancelled;
  status = Cancel(Coordinator(), first.booking_id(), &cancelled);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(cancelled.status(), v1::CANCELLED);
  EXPECT_EQ(GetOrFail(second.booking_id()).status(), v1::CANCELLED);
  EXPECT_EQ(stack_
                .Sql(absl::StrCat("SELECT count(*) FROM scheduling.bookings WHERE case_id = '",
                                  case_id, "' AND status = 'CANCELLED'"))[0][0]
                .as<int>(),
            2);
  EXPECT_EQ(stack_
                .Sql(absl::StrCat("SELECT count(*) FROM scheduling.outbox WHERE case_id = '",
                                  case_id, "' AND cancelled_at IS NULL"))[0][0]
                .as<int>(),
            0);
}

// --- 9. The case's stage ----------------------------------------------------------------------

TEST_F(SchedulingTest, AConfirmedVideoConsultationMovesTheCaseToConsultationBooked) {
  const absl::TimeZone tokyo = Zone("Asia/Tokyo");
  const absl::CivilDay day = NextWeekday(tokyo, 5, 12);  // a Friday: Tanaka works 13-18
  const std::string intro_case = NewCase("stageintro");
  const std::string held_case = NewCase("stageheld");
  const std::string booked_case = NewCase("stagebooked");
  const v1::Host desk = CleanHost("Stage desk", {"intro_call"});

  // An intro call, and a held consultation, move nothing.
  BookOrFail(desk.host_id(), intro_case, "intro_call", UtcDay(6, 9));
  const v1::Booking held =
      BookOrFail(kTanaka, held_case, "video_consultation", LocalTime(tokyo, day, 17), true);
  EXPECT_EQ(held.status(), v1::HELD);

  const v1::Booking booked =
      BookOrFail(kTanaka, booked_case, "video_consultation", LocalTime(tokyo, day, 15));
  EXPECT_EQ(booked.status(), v1::CONFIRMED);
  EXPECT_EQ(AwaitStage(booked_case, v1::CONSULTATION_BOOKED), v1::CONSULTATION_BOOKED);
  EXPECT_FALSE(stack_
                   .Sql("SELECT case_stage_pending FROM scheduling.bookings WHERE id = '" +
                        booked.booking_id() + "'")[0][0]
                   .as<bool>());
  absl::SleepFor(absl::Milliseconds(500));  // two more stage syncs
  EXPECT_EQ(StageOf(intro_case), v1::NEW);
  EXPECT_EQ(StageOf(held_case), v1::NEW);

  // Confirming the hold moves its case.
  v1::Booking confirmed;
  ASSERT_TRUE(Confirm(Coordinator(), held.booking_id(), &confirmed).ok());
  EXPECT_EQ(AwaitStage(held_case, v1::CONSULTATION_BOOKED), v1::CONSULTATION_BOOKED);
}

}  // namespace
}  // namespace carebridge::testing
