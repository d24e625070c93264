// The authorization matrix: every RPC of the suite (Inquiries, Identity, Catalog, FollowUps,
// Scheduling) over gRPC, and every gateway route they serve, for each kind of caller. One table;
// one expected code per cell (and, where a row says so, one for the internal token). An RPC added
// without a row here fails EveryMethodOfEveryServiceHasARow below.
#include <map>
#include <optional>
#include <set>

#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "carebridge/v1/catalog.pb.h"
#include "carebridge/v1/scheduling.pb.h"
#include "services/common/grpc_server.h"
#include "tests/cases/cases_stack.h"

namespace carebridge::testing {
namespace {

using grpc::StatusCode;

enum Caller { kAnonymous, kCoordinator, kAdmin, kPartner, kPartnerNoScope, kOtherPartner };
constexpr Caller kCallers[] = {kAnonymous, kCoordinator,    kAdmin,
                               kPartner,   kPartnerNoScope, kOtherPartner};
constexpr const char* kCallerNames[] = {"anonymous", "coordinator",           "admin",
                                        "partner",   "partner-without-scope", "other-partner"};

constexpr StatusCode OK = StatusCode::OK;
constexpr StatusCode UNAUTH = StatusCode::UNAUTHENTICATED;
constexpr StatusCode DENIED = StatusCode::PERMISSION_DENIED;
constexpr StatusCode NOTFOUND = StatusCode::NOT_FOUND;
constexpr StatusCode UNAVAIL = StatusCode::UNAVAILABLE;
constexpr StatusCode INVALID = StatusCode::INVALID_ARGUMENT;

constexpr char kSeedClinic[] = "c1000000-0000-4000-8000-000000000001";  // Hoshizora (seed data)
constexpr char kUnknownId[] = "00000000-0000-4000-8000-000000000000";
// Scheduling seed hosts: the intro desk (a coordinator host without a user) and a clinic doctor.
constexpr char kIntroDesk[] = "d1000000-0000-4000-8000-000000000001";
constexpr char kDoctorHost[] = "d1000000-0000-4000-8000-000000000002";
constexpr char kLaterDate[] = "2030-01-07";
constexpr char kLaterTime[] = "2030-01-07T10:00:00Z";

struct Row {
  std::string method;          // gRPC path
  std::string http;            // "METHOD /path" through the gateway ("" when not routed)
  std::string json;            // the HTTP body
  StatusCode expected[6];      // by Caller
  bool fresh_session = false;  // logs out: use a session of its own
  // The code for the suite's internal token (gRPC only), where the row checks it. It passes the
  // permission table everywhere but on admin RPCs; past it, the method answers as it would.
  std::optional<StatusCode> internal = std::nullopt;
};

int HttpStatusOf(StatusCode code) {
  switch (code) {
    case OK:
      return 200;
    case UNAUTH:
      return 401;
    case DENIED:
      return 403;
    case NOTFOUND:
      return 404;
    case UNAVAIL:
      return 503;
    case INVALID:
      return 400;
    default:
      return 500;
  }
}

class AuthorizationMatrixTest : public ::testing::Test {
 protected:
  AuthorizationMatrixTest() : stack_(CasesStack::Get()) {
    // The accounts, keys and case are made once per process: run as a whole, the binary's tests
    // share one stack (ctest runs each test in a process of its own).
    struct Shared {
      std::map<Caller, std::string> keys;
      std::string case_id;
    };
    static const Shared* const shared = [this] {
      auto* s = new Shared;
      stack_.CreateUser("matrix-coordinator@carebridge.test", "coordinator", "en", kPassword);
      stack_.CreateUser("matrix-admin@carebridge.test", "admin", "", kPassword);
      s->keys[kPartner] =
          stack_.CreatePartner("matrix-partner", "inquiries:write,cases:read,catalog:read");
      s->keys[kPartnerNoScope] = stack_.CreatePartner("matrix-partner-noscope", "catalog:read");
      s->keys[kOtherPartner] =
          stack_.CreatePartner("matrix-other-partner", "inquiries:write,cases:read,catalog:read");
      // The case the rows act on was referred by kPartner.
      v1::CreateInquiryResponse created;
      auto context = Context(s->keys[kPartner]);
      EXPECT_TRUE(stack_.Inquiries()
                      ->CreateInquiry(context.get(),
                                      InquiryRequest("Matrix Case", "matrix.case@example.org"),
                                      &created)
                      .ok());
      s->case_id = created.case_id();
      return s;
    }();
    keys_ = shared->keys;
    case_id_ = shared->case_id;
    // A one-day window of slots a week ahead (the service runs on the real clock).
    const absl::Time day =
        absl::FromUnixSeconds((absl::ToUnixSeconds(absl::Now()) / 86400 + 7) * 86400);
    slots_from_ = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", day, absl::UTCTimeZone());
    slots_to_ = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", day + absl::Hours(24), absl::UTCTimeZone());
  }

  std::string Credential(Caller caller) {
    if (caller == kCoordinator)
      return stack_.Login("matrix-coordinator@carebridge.test", kPassword);
    if (caller == kAdmin) return stack_.Login("matrix-admin@carebridge.test", kPassword);
    return caller == kAnonymous ? "" : keys_[caller];
  }

  std::vector<Row> Rows() const {
    const std::string c = case_id_;
    const std::string unknown = kUnknownId;
    const std::string clinic = "GET /v1/clinics/" + std::string(kSeedClinic);
    const std::string admin_clinic = "GET /v1/admin/clinics/" + std::string(kSeedClinic);
    const std::string login =
        R"({"email":"matrix-coordinator@carebridge.test","password":"matrix-password-1"})";
    return {
        {"/carebridge.v1.Inquiries/CreateInquiry",
         "POST /v1/inquiries",
         R"({"fullName":"Matrix Inquiry","email":"matrix.inquiry@example.org","contactConsent":true,"privacyPolicyVersion":"2026-01"})",
         {OK, OK, OK, OK, DENIED, OK}},
        {"/carebridge.v1.Inquiries/GetCaseContacts",
         "",
         "",
         {UNAUTH, DENIED, DENIED, DENIED, DENIED, DENIED}},
        {"/carebridge.v1.Inquiries/ConfirmFollowUps",
         "",
         "",
         {UNAUTH, DENIED, DENIED, DENIED, DENIED, DENIED}},
        {"/carebridge.v1.Inquiries/ListCases",
         "GET /v1/cases",
         "",
         {UNAUTH, OK, OK, OK, DENIED, OK}},
        {"/carebridge.v1.Inquiries/GetCase",
         "GET /v1/cases/" + c,
         "",
         {UNAUTH, OK, OK, OK, DENIED, NOTFOUND}},
        {"/carebridge.v1.Inquiries/UpdateCase",
         "PATCH /v1/cases/" + c,
         R"({"case":{"needsInterpreter":false},"updateMask":"needsInterpreter"})",
         {UNAUTH, OK, OK, DENIED, DENIED, DENIED}},
        {"/carebridge.v1.Inquiries/AddCaseNote",
         "POST /v1/cases/" + c + "/notes",
         R"({"text":"matrix note"})",
         {UNAUTH, OK, OK, DENIED, DENIED, DENIED}},
        {"/carebridge.v1.Inquiries/ListCaseTimeline",
         "GET /v1/cases/" + c + "/timeline",
         "",
         {UNAUTH, OK, OK, DENIED, DENIED, DENIED}},
        {"/carebridge.v1.Inquiries/GetCaseMatches",
         "GET /v1/cases/" + c + "/matches",
         "",
         {UNAUTH, OK, OK, DENIED, DENIED, DENIED}},
        // The overview's figures: sessions and the internal token, never partners.
        {"/carebridge.v1.Inquiries/GetCaseStats",
         "GET /v1/caseStats?timeZone=Asia/Tokyo&days=7",
         "",
         {UNAUTH, OK, OK, DENIED, DENIED, DENIED},
         false,
         OK},
        {"/carebridge.v1.Identity/CreateSession",
         "POST /v1/sessions",
         login,
         {OK, OK, OK, DENIED, DENIED, DENIED}},
        {"/carebridge.v1.Identity/GetCurrentUser",
         "GET /v1/sessions/current",
         "",
         {UNAUTH, OK, OK, DENIED, DENIED, DENIED}},
        {"/carebridge.v1.Identity/DeleteSession",
         "DELETE /v1/sessions/current",
         "",
         {UNAUTH, OK, OK, DENIED, DENIED, DENIED},
         true},
        // Identity admin pages: the user list for every session (and the internal token, which
        // passes the table for everything but admin RPCs); accounts and partners for admins only.
        // An admin gets as far as the validation or the lookup (nothing is created or changed).
        {"/carebridge.v1.Identity/ListUsers",
         "GET /v1/admin/users",
         "",
         {UNAUTH, OK, OK, DENIED, DENIED, DENIED},
         false,
         OK},
        {"/carebridge.v1.Identity/CreateUser",
         "POST /v1/admin/users",
         "{}",
         {UNAUTH, DENIED, INVALID, DENIED, DENIED, DENIED},
         false,
         DENIED},
        {"/carebridge.v1.Identity/SetUserActive",
         "POST /v1/admin/users/" + unknown + ":setActive",
         R"({"active":true})",
         {UNAUTH, DENIED, NOTFOUND, DENIED, DENIED, DENIED},
         false,
         DENIED},
        {"/carebridge.v1.Identity/ListPartners",
         "GET /v1/admin/partners",
         "",
         {UNAUTH, DENIED, OK, DENIED, DENIED, DENIED},
         false,
         DENIED},
        {"/carebridge.v1.Identity/CreatePartner",
         "POST /v1/admin/partners",
         "{}",
         {UNAUTH, DENIED, INVALID, DENIED, DENIED, DENIED},
         false,
         DENIED},
        {"/carebridge.v1.Identity/RevokePartner",
         "POST /v1/admin/partners/" + unknown + ":revoke",
         "{}",
         {UNAUTH, DENIED, NOTFOUND, DENIED, DENIED, DENIED},
         false,
         DENIED},
        // Catalog: public reads (any valid key attributes nothing and needs no scope).
        {"/carebridge.v1.Catalog/SearchClinics", "GET /v1/clinics", "", {OK, OK, OK, OK, OK, OK}},
        {"/carebridge.v1.Catalog/GetClinic", clinic, "", {OK, OK, OK, OK, OK, OK}},
        {"/carebridge.v1.Catalog/ListCountries", "GET /v1/countries", "", {OK, OK, OK, OK, OK, OK}},
        // Every partner of the matrix holds catalog:read (the replicas test covers one without).
        {"/carebridge.v1.Catalog/MatchCase",
         "POST /v1/matches",
         R"({"condition":"stroke"})",
         {UNAUTH, OK, OK, OK, OK, OK}},
        // Admin RPCs: an admin gets as far as the validation or the lookup.
        {"/carebridge.v1.Catalog/AdminGetClinic",
         admin_clinic,
         "",
         {UNAUTH, DENIED, OK, DENIED, DENIED, DENIED}},
        {"/carebridge.v1.Catalog/AdminListClinics",
         "GET /v1/admin/clinics",
         "",
         {UNAUTH, DENIED, OK, DENIED, DENIED, DENIED}},
        {"/carebridge.v1.Catalog/CreateClinic",
         "POST /v1/admin/clinics",
         "{}",
         {UNAUTH, DENIED, INVALID, DENIED, DENIED, DENIED}},
        {"/carebridge.v1.Catalog/UpdateClinic",
         "PATCH /v1/admin/clinics/" + unknown,
         R"({"clinic":{"name":"Renamed"},"updateMask":"name"})",
         {UNAUTH, DENIED, NOTFOUND, DENIED, DENIED, DENIED}},
        {"/carebridge.v1.Catalog/ArchiveClinic",
         "POST /v1/admin/clinics/" + unknown + ":archive",
         "{}",
         {UNAUTH, DENIED, NOTFOUND, DENIED, DENIED, DENIED}},
        {"/carebridge.v1.Catalog/CreateProtocol",
         "POST /v1/admin/clinics/" + std::string(kSeedClinic) + "/protocols",
         "{}",
         {UNAUTH, DENIED, INVALID, DENIED, DENIED, DENIED}},
        {"/carebridge.v1.Catalog/UpdateProtocol",
         "PATCH /v1/admin/protocols/" + unknown,
         R"({"protocol":{"cellCountMillions":100},"updateMask":"cellCountMillions"})",
         {UNAUTH, DENIED, NOTFOUND, DENIED, DENIED, DENIED}},
        {"/carebridge.v1.Catalog/ArchiveProtocol",
         "POST /v1/admin/protocols/" + unknown + ":archive",
         "{}",
         {UNAUTH, DENIED, NOTFOUND, DENIED, DENIED, DENIED}},
        // Follow-ups: coordinators and admins.
        {"/carebridge.v1.FollowUps/ListFollowUps",
         "GET /v1/cases/" + c + "/followups",
         "",
         {UNAUTH, OK, OK, DENIED, DENIED, DENIED}},
        {"/carebridge.v1.FollowUps/RetryFollowUp",
         "POST /v1/followups/inquiries:999999:retry",
         "{}",
         {UNAUTH, NOTFOUND, NOTFOUND, DENIED, DENIED, DENIED}},
        {"/carebridge.v1.FollowUps/GetFollowUpStats",
         "GET /v1/followupStats?deadLimit=5",
         "",
         {UNAUTH, OK, OK, DENIED, DENIED, DENIED},
         false,
         OK},
        // Scheduling: coordinators and admins. The booking RPCs also let anonymous callers through
        // to have their booking link checked by the service (none here: UNAUTHENTICATED); partners
        // never get past the table. Patients with a link: tests/scheduling.
        {"/carebridge.v1.Scheduling/ListHosts",
         "GET /v1/hosts",
         "",
         {UNAUTH, OK, OK, DENIED, DENIED, DENIED},
         false,
         OK},
        {"/carebridge.v1.Scheduling/GetHost",
         "GET /v1/hosts/" + std::string(kIntroDesk),
         "",
         {UNAUTH, OK, OK, DENIED, DENIED, DENIED},
         false,
         OK},
        {"/carebridge.v1.Scheduling/ListSlots",
         absl::StrCat("GET /v1/hosts/", kIntroDesk, "/slots?type=intro_call&from=", slots_from_,
                      "&to=", slots_to_),
         "",
         {UNAUTH, OK, OK, DENIED, DENIED, DENIED},
         false,
         OK},
        {"/carebridge.v1.Scheduling/CreateBooking",
         "POST /v1/bookings",
         "{}",
         {UNAUTH, INVALID, INVALID, DENIED, DENIED, DENIED},
         false,
         INVALID},
        {"/carebridge.v1.Scheduling/GetBooking",
         "GET /v1/bookings/" + unknown,
         "",
         {UNAUTH, NOTFOUND, NOTFOUND, DENIED, DENIED, DENIED},
         false,
         NOTFOUND},
        {"/carebridge.v1.Scheduling/ListBookings",
         "GET /v1/bookings?caseId=" + c,
         "",
         {UNAUTH, OK, OK, DENIED, DENIED, DENIED},
         false,
         OK},
        {"/carebridge.v1.Scheduling/ConfirmBooking",
         "POST /v1/bookings/" + unknown + ":confirm",
         "{}",
         {UNAUTH, NOTFOUND, NOTFOUND, DENIED, DENIED, DENIED},
         false,
         NOTFOUND},
        {"/carebridge.v1.Scheduling/CancelBooking",
         "POST /v1/bookings/" + unknown + ":cancel",
         "{}",
         {UNAUTH, NOTFOUND, NOTFOUND, DENIED, DENIED, DENIED},
         false,
         NOTFOUND},
        {"/carebridge.v1.Scheduling/RescheduleBooking",
         "POST /v1/bookings/" + unknown + ":reschedule",
         absl::StrCat(R"({"startTime":")", kLaterTime, R"("})"),
         {UNAUTH, NOTFOUND, NOTFOUND, DENIED, DENIED, DENIED},
         false,
         NOTFOUND},
        // Public: the feed checks its own token, and a wrong one is NOT_FOUND for everybody.
        {"/carebridge.v1.Scheduling/GetCalendarFeed",
         absl::StrCat("GET /v1/hosts/", kIntroDesk, "/calendar.ics?token=cbcal_not-the-token"),
         "",
         {NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND, NOTFOUND},
         false,
         NOTFOUND},
        // Past the table, only an admin or the host's own user may issue a feed link (this host
        // has none; the internal token is neither).
        {"/carebridge.v1.Scheduling/RotateCalendarToken",
         absl::StrCat("POST /v1/hosts/", kDoctorHost, "/calendarToken:rotate"),
         "{}",
         {UNAUTH, DENIED, OK, DENIED, DENIED, DENIED},
         false,
         DENIED},
        {"/carebridge.v1.Scheduling/PlanItinerary",
         "POST /v1/cases/" + c + "/itinerary:plan",
         absl::StrCat(R"({"cellSource":"ALLOGENEIC","earliestDeparture":")", kLaterDate, R"("})"),
         {UNAUTH, OK, OK, DENIED, DENIED, DENIED},
         false,
         OK},
        {"/carebridge.v1.Scheduling/UpsertHost",
         "POST /v1/admin/hosts",
         "{}",
         {UNAUTH, DENIED, INVALID, DENIED, DENIED, DENIED},
         false,
         DENIED},
        {"/carebridge.v1.Scheduling/GetBookingReminder",
         "",
         "",
         {UNAUTH, DENIED, DENIED, DENIED, DENIED, DENIED},
         false,
         NOTFOUND},
        {"/carebridge.v1.Scheduling/ConfirmFollowUps",
         "",
         "",
         {UNAUTH, DENIED, DENIED, DENIED, DENIED, DENIED},
         false,
         OK},
    };
  }

  // The request message of a row, as protobuf bytes.
  std::string GrpcRequest(const Row& row) const {
    if (row.method.ends_with("CreateInquiry")) {
      return InquiryRequest("Matrix Inquiry", "matrix.inquiry@example.org").SerializeAsString();
    }
    if (row.method.ends_with("CreateSession")) {
      v1::CreateSessionRequest r;
      r.set_email("matrix-coordinator@carebridge.test");
      r.set_password(kPassword);
      return r.SerializeAsString();
    }
    if (row.method.ends_with("UpdateCase")) {
      v1::UpdateCaseRequest r;
      r.set_case_id(case_id_);
      r.mutable_update_mask()->add_paths("needs_interpreter");
      return r.SerializeAsString();
    }
    if (row.method.ends_with("AddCaseNote")) {
      v1::AddCaseNoteRequest r;
      r.set_case_id(case_id_);
      r.set_text("matrix note");
      return r.SerializeAsString();
    }
    if (row.method.ends_with("GetCaseContacts")) {
      v1::GetCaseContactsRequest r;
      r.add_case_ids(case_id_);
      return r.SerializeAsString();
    }
    if (row.method.ends_with("/GetClinic") || row.method.ends_with("/AdminGetClinic")) {
      v1::GetClinicRequest r;
      r.set_clinic_id(kSeedClinic);
      return r.SerializeAsString();
    }
    if (row.method.ends_with("/MatchCase")) {
      v1::MatchCaseRequest r;
      r.set_condition("stroke");
      return r.SerializeAsString();
    }
    if (row.method.ends_with("/UpdateClinic")) {
      v1::UpdateClinicRequest r;
      r.mutable_clinic()->set_clinic_id(kUnknownId);
      r.mutable_clinic()->set_name("Renamed");
      r.mutable_update_mask()->add_paths("name");
      return r.SerializeAsString();
    }
    if (row.method.ends_with("/ArchiveClinic")) {
      v1::ArchiveClinicRequest r;
      r.set_clinic_id(kUnknownId);
      return r.SerializeAsString();
    }
    if (row.method.ends_with("/CreateProtocol")) {
      v1::CreateProtocolRequest r;
      r.mutable_protocol()->set_clinic_id(kSeedClinic);
      return r.SerializeAsString();
    }
    if (row.method.ends_with("/UpdateProtocol")) {
      v1::UpdateProtocolRequest r;
      r.mutable_protocol()->set_protocol_id(kUnknownId);
      r.mutable_protocol()->set_cell_count_millions(100);
      r.mutable_update_mask()->add_paths("cell_count_millions");
      return r.SerializeAsString();
    }
    if (row.method.ends_with("/ArchiveProtocol")) {
      v1::ArchiveProtocolRequest r;
      r.set_protocol_id(kUnknownId);
      return r.SerializeAsString();
    }
    if (row.method.ends_with("/RetryFollowUp")) {
      v1::RetryFollowUpRequest r;
      r.set_follow_up_id("inquiries:999999");
      return r.SerializeAsString();
    }
    if (row.method.ends_with("/ListFollowUps")) {
      v1::ListFollowUpsRequest r;
      r.set_case_id(case_id_);
      return r.SerializeAsString();
    }
    if (row.method.ends_with("/GetCaseStats")) {
      v1::GetCaseStatsRequest r;
      r.set_time_zone("Asia/Tokyo");
      r.set_days(7);
      return r.SerializeAsString();
    }
    if (row.method.ends_with("/GetFollowUpStats")) {
      v1::GetFollowUpStatsRequest r;
      r.set_dead_limit(5);
      return r.SerializeAsString();
    }
    if (row.method.ends_with("/SetUserActive")) {
      v1::SetUserActiveRequest r;
      r.set_user_id(kUnknownId);
      r.set_active(true);
      return r.SerializeAsString();
    }
    if (row.method.ends_with("/RevokePartner")) {
      v1::RevokePartnerRequest r;
      r.set_partner_id(kUnknownId);
      return r.SerializeAsString();
    }
    if (row.method.find("/carebridge.v1.Scheduling/") == 0) return SchedulingRequest(row);
    if (row.method.find("/carebridge.v1.Catalog/") == 0) {
      return "";  // SearchClinics, ListCountries, AdminListClinics, CreateClinic: empty requests
    }
    // Every other request's field 1 is the case id (or it has no fields).
    v1::GetCaseRequest r;
    if (row.method.find("Case") != std::string::npos && !row.method.ends_with("ListCases")) {
      r.set_case_id(case_id_);
    }
    return r.SerializeAsString();
  }

  // The request of a Scheduling row: the gRPC twin of the row's route and body.
  std::string SchedulingRequest(const Row& row) const {
    const auto timestamp = [](const std::string& text) {
      google::protobuf::Timestamp t;
      absl::Time parsed;
      std::string error;
      EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, text, &parsed, &error)) << error;
      t.set_seconds(absl::ToUnixSeconds(parsed));
      return t;
    };
    const std::string name = row.method.substr(row.method.rfind('/') + 1);
    if (name == "GetHost") {
      v1::GetHostRequest r;
      r.set_host_id(kIntroDesk);
      return r.SerializeAsString();
    }
    if (name == "ListSlots") {
      v1::ListSlotsRequest r;
      r.set_host_id(kIntroDesk);
      r.set_type("intro_call");
      *r.mutable_from() = timestamp(slots_from_);
      *r.mutable_to() = timestamp(slots_to_);
      return r.SerializeAsString();
    }
    if (name == "GetBooking") {
      v1::GetBookingRequest r;
      r.set_booking_id(kUnknownId);
      return r.SerializeAsString();
    }
    if (name == "ListBookings") {
      v1::ListBookingsRequest r;
      r.set_case_id(case_id_);
      return r.SerializeAsString();
    }
    if (name == "ConfirmBooking") {
      v1::ConfirmBookingRequest r;
      r.set_booking_id(kUnknownId);
      return r.SerializeAsString();
    }
    if (name == "CancelBooking") {
      v1::CancelBookingRequest r;
      r.set_booking_id(kUnknownId);
      return r.SerializeAsString();
    }
    if (name == "RescheduleBooking") {
      v1::RescheduleBookingRequest r;
      r.set_booking_id(kUnknownId);
      *r.mutable_start_time() = timestamp(kLaterTime);
      return r.SerializeAsString();
    }
    if (name == "GetCalendarFeed") {
      v1::GetCalendarFeedRequest r;
      r.set_host_id(kIntroDesk);
      r.set_token("cbcal_not-the-token");
      return r.SerializeAsString();
    }
    if (name == "RotateCalendarToken") {
      v1::RotateCalendarTokenRequest r;
      r.set_host_id(kDoctorHost);
      return r.SerializeAsString();
    }
    if (name == "PlanItinerary") {
      v1::PlanItineraryRequest r;
      r.set_case_id(case_id_);
      r.set_cell_source(v1::ALLOGENEIC);
      r.set_earliest_departure(kLaterDate);
      return r.SerializeAsString();
    }
    if (name == "GetBookingReminder") {
      v1::GetBookingReminderRequest r;
      r.set_job_id("scheduling:999999999");
      return r.SerializeAsString();
    }
    if (name == "ConfirmFollowUps") {
      v1::ConfirmSchedulingFollowUpsRequest r;
      r.add_job_ids("scheduling:999999999");
      return r.SerializeAsString();
    }
    return "";  // ListHosts, CreateBooking, UpsertHost: empty requests
  }

  StatusCode CallGrpc(const Row& row, const std::string& credential) {
    grpc::GenericStub generic(stack_.ChannelFor(row.method));
    const std::string bytes = GrpcRequest(row);
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1), reply;
    auto context = Context(credential);
    std::mutex mu;
    std::condition_variable done;
    bool finished = false;
    grpc::Status result;
    generic.UnaryCall(context.get(), row.method, grpc::StubOptions(), &request, &reply,
                      [&](grpc::Status status) {
                        std::lock_guard<std::mutex> lock(mu);
                        result = status;
                        finished = true;
                        done.notify_one();
                      });
    std::unique_lock<std::mutex> lock(mu);
    done.wait(lock, [&] { return finished; });
    return result.error_code();
  }

  long CallHttp(const Row& row, const std::string& credential) {
    const size_t space = row.http.find(' ');
    std::vector<std::string> headers = {"Content-Type: application/json"};
    if (!credential.empty()) headers.push_back("Authorization: Bearer " + credential);
    return HttpRequest(row.http.substr(0, space), stack_.gateway_url() + row.http.substr(space + 1),
                       row.json, headers)
        .status;
  }

  static constexpr char kPassword[] = "matrix-password-1";
  CasesStack& stack_;
  std::map<Caller, std::string> keys_;
  std::string case_id_;
  std::string slots_from_, slots_to_;  // RFC 3339, UTC
};

TEST_F(AuthorizationMatrixTest, EveryRpcAndRouteAnswersEachCallerAsTheTableSays) {
  ASSERT_FALSE(case_id_.empty());
  for (const Row& row : Rows()) {
    for (Caller caller : kCallers) {
      // A fresh session just before each caller's calls: test sessions last only seconds.
      std::map<Caller, std::string> credentials;
      credentials[caller] = Credential(caller);
      if (caller == kCoordinator || caller == kAdmin) {
        ASSERT_FALSE(credentials[caller].empty());
      }
      const std::string credential =
          row.fresh_session && (caller == kCoordinator || caller == kAdmin) ? Credential(caller)
                                                                            : credentials[caller];
      EXPECT_EQ(CallGrpc(row, credential), row.expected[caller])
          << "gRPC " << row.method << " as " << kCallerNames[caller];
      if (row.http.empty()) continue;
      const std::string http_credential =
          row.fresh_session && (caller == kCoordinator || caller == kAdmin) ? Credential(caller)
                                                                            : credentials[caller];
      int expected_http = HttpStatusOf(row.expected[caller]);
      if (expected_http == 200 && row.http.starts_with("POST") &&
          row.method.find("/Create") != std::string::npos) {
        expected_http = 201;
      }
      EXPECT_EQ(CallHttp(row, http_credential), expected_http)
          << row.http << " as " << kCallerNames[caller];
    }
  }
  // The internal token opens the internal RPCs (and nothing needs more).
  const Row contact = Rows()[1];
  EXPECT_EQ(CallGrpc(contact, kInternalToken), OK);
  int internal_rows = 0;
  for (const Row& row : Rows()) {
    if (!row.internal) continue;
    ++internal_rows;
    EXPECT_EQ(CallGrpc(row, kInternalToken), *row.internal)
        << "gRPC " << row.method << " with the internal token";
  }
  EXPECT_EQ(internal_rows, 23);
  // A malformed or unknown credential is refused, never treated as anonymous.
  EXPECT_EQ(CallGrpc(Rows()[0], "cbk_not-a-key"), UNAUTH);
  EXPECT_EQ(CallGrpc(Rows()[0], "cbs_not-a-session"), UNAUTH);
}

// The matrix is only worth its name if it has every RPC of every service.
TEST_F(AuthorizationMatrixTest, EveryMethodOfEveryServiceHasARow) {
  std::set<std::string> rows;
  for (const Row& row : Rows()) rows.insert(row.method);
  int methods = 0;
  for (const auto* file : {v1::Inquiry::descriptor()->file(), v1::Clinic::descriptor()->file(),
                           v1::Session::descriptor()->file(), v1::Booking::descriptor()->file()}) {
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        const std::string path =
            "/" + file->service(s)->full_name() + "/" + file->service(s)->method(m)->name();
        EXPECT_TRUE(rows.count(path)) << path << " has no row in the authorization matrix";
        ++methods;
      }
    }
  }
  EXPECT_EQ(static_cast<int>(rows.size()), methods);
}

}  // namespace
}  // namespace carebridge::testing
