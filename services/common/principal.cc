#include "services/common/principal.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "services/common/absl_compat.h"

namespace carebridge {
namespace {

constexpr std::string_view kInquiriesWrite = "inquiries:write";
constexpr std::string_view kCasesRead = "cases:read";
constexpr std::string_view kCatalogRead = "catalog:read";

const std::map<std::string, Permission, std::less<>>& Table() {
  static const auto* table = new std::map<std::string, Permission, std::less<>>{
      // Inquiries: intake is public; partners need inquiries:write to be attributed.
      {"/carebridge.v1.Inquiries/CreateInquiry", {Access::kPublic, kInquiriesWrite}},
      {"/carebridge.v1.Inquiries/GetCaseContacts", {Access::kInternal, {}}},
      {"/carebridge.v1.Inquiries/ConfirmFollowUps", {Access::kInternal, {}}},
      {"/carebridge.v1.Inquiries/ListCases", {Access::kUserOrPartnerScope, kCasesRead}},
      {"/carebridge.v1.Inquiries/GetCase", {Access::kUserOrPartnerScope, kCasesRead}},
      {"/carebridge.v1.Inquiries/UpdateCase", {Access::kUser, {}}},
      {"/carebridge.v1.Inquiries/AddCaseNote", {Access::kUser, {}}},
      {"/carebridge.v1.Inquiries/ListCaseTimeline", {Access::kUser, {}}},
      {"/carebridge.v1.Inquiries/GetCaseMatches", {Access::kUser, {}}},
      {"/carebridge.v1.Inquiries/GetCaseStats", {Access::kUser, {}}},
      // Identity.
      {"/carebridge.v1.Identity/CreateSession", {Access::kPublic, {}}},
      {"/carebridge.v1.Identity/DeleteSession", {Access::kUser, {}}},
      {"/carebridge.v1.Identity/GetCurrentUser", {Access::kUser, {}}},
      // Identity admin pages: the user list shows assignees to coordinators too; every change of
      // an account or a partner key needs an admin (never the internal token).
      {"/carebridge.v1.Identity/ListUsers", {Access::kUser, {}}},
      {"/carebridge.v1.Identity/CreateUser", {Access::kAdmin, {}}},
      {"/carebridge.v1.Identity/SetUserActive", {Access::kAdmin, {}}},
      {"/carebridge.v1.Identity/ListPartners", {Access::kAdmin, {}}},
      {"/carebridge.v1.Identity/CreatePartner", {Access::kAdmin, {}}},
      {"/carebridge.v1.Identity/RevokePartner", {Access::kAdmin, {}}},
      // Catalog: reads are public; MatchCase for coordinators and partners with catalog:read;
      // edits for admins.
      {"/carebridge.v1.Catalog/SearchClinics", {Access::kPublic, {}}},
      {"/carebridge.v1.Catalog/GetClinic", {Access::kPublic, {}}},
      {"/carebridge.v1.Catalog/ListCountries", {Access::kPublic, {}}},
      {"/carebridge.v1.Catalog/MatchCase", {Access::kUserOrPartnerScope, kCatalogRead}},
      {"/carebridge.v1.Catalog/AdminGetClinic", {Access::kAdmin, {}}},
      {"/carebridge.v1.Catalog/AdminListClinics", {Access::kAdmin, {}}},
      {"/carebridge.v1.Catalog/CreateClinic", {Access::kAdmin, {}}},
      {"/carebridge.v1.Catalog/UpdateClinic", {Access::kAdmin, {}}},
      {"/carebridge.v1.Catalog/ArchiveClinic", {Access::kAdmin, {}}},
      {"/carebridge.v1.Catalog/CreateProtocol", {Access::kAdmin, {}}},
      {"/carebridge.v1.Catalog/UpdateProtocol", {Access::kAdmin, {}}},
      {"/carebridge.v1.Catalog/ArchiveProtocol", {Access::kAdmin, {}}},
      // Follow-ups: coordinators see and retry the follow-ups of cases.
      {"/carebridge.v1.FollowUps/ListFollowUps", {Access::kUser, {}}},
      {"/carebridge.v1.FollowUps/RetryFollowUp", {Access::kUser, {}}},
      {"/carebridge.v1.FollowUps/GetFollowUpStats", {Access::kUser, {}}},
      // Scheduling: coordinators, and patients holding their booking link for their own case;
      // the feed is public and checks its own token; hosts are edited by admins.
      {"/carebridge.v1.Scheduling/ListHosts", {Access::kUser, {}}},
      {"/carebridge.v1.Scheduling/GetHost", {Access::kUser, {}}},
      {"/carebridge.v1.Scheduling/ListSlots", {Access::kUserOrBookingLink, {}}},
      {"/carebridge.v1.Scheduling/CreateBooking", {Access::kUserOrBookingLink, {}}},
      {"/carebridge.v1.Scheduling/GetBooking", {Access::kUserOrBookingLink, {}}},
      {"/carebridge.v1.Scheduling/ListBookings", {Access::kUser, {}}},
      {"/carebridge.v1.Scheduling/ConfirmBooking", {Access::kUserOrBookingLink, {}}},
      {"/carebridge.v1.Scheduling/CancelBooking", {Access::kUserOrBookingLink, {}}},
      {"/carebridge.v1.Scheduling/RescheduleBooking", {Access::kUserOrBookingLink, {}}},
      {"/carebridge.v1.Scheduling/GetCalendarFeed", {Access::kPublic, {}}},
      {"/carebridge.v1.Scheduling/RotateCalendarToken", {Access::kUser, {}}},
      {"/carebridge.v1.Scheduling/PlanItinerary", {Access::kUser, {}}},
      {"/carebridge.v1.Scheduling/UpsertHost", {Access::kAdmin, {}}},
      {"/carebridge.v1.Scheduling/GetBookingReminder", {Access::kInternal, {}}},
      {"/carebridge.v1.Scheduling/ConfirmFollowUps", {Access::kInternal, {}}},
  };
  return *table;
}

}  // namespace

std::string Principal::Actor() const {
  switch (kind) {
    case Kind::kUser:
      return absl::StrCat("user:", id);
    case Kind::kPartner:
      return absl::StrCat("partner:", id);
    case Kind::kInternal:
      return "system";
    case Kind::kAnonymous:
      break;
  }
  return "web";
}

Permission PermissionFor(std::string_view grpc_path) {
  const auto& table = Table();
  auto it = table.find(grpc_path);
  return it == table.end() ? Permission{Access::kInternal, {}} : it->second;
}

bool IsPublicMethod(std::string_view grpc_path) {
  return PermissionFor(grpc_path).access == Access::kPublic;
}

std::vector<std::string> PermissionTableMethods() {
  std::vector<std::string> out;
  for (const auto& [path, permission] : Table()) out.push_back(path);
  return out;
}

absl::Status CheckPermission(const Principal& principal, std::string_view grpc_path) {
  const Permission permission = PermissionFor(grpc_path);
  // The suite's own services may call anything but the admin RPCs (least privilege: nothing of
  // the suite edits the catalog or the accounts on its own).
  if (principal.kind == Principal::Kind::kInternal && permission.access != Access::kAdmin) {
    return absl::OkStatus();
  }
  const auto denied = [] {
    return absl::PermissionDeniedError("not allowed for these credentials");
  };
  const auto unauthenticated = [] {
    return absl::UnauthenticatedError("credentials required (authorization: Bearer ...)");
  };
  switch (permission.access) {
    case Access::kPublic:
      if (principal.IsPartner() && !permission.scope.empty() &&
          !principal.HasScope(permission.scope)) {
        return denied();
      }
      return absl::OkStatus();
    case Access::kUser:
      if (principal.IsUser()) return absl::OkStatus();
      return principal.kind == Principal::Kind::kAnonymous ? unauthenticated() : denied();
    case Access::kAdmin:
      if (principal.IsAdmin()) return absl::OkStatus();
      return principal.kind == Principal::Kind::kAnonymous ? unauthenticated() : denied();
    case Access::kUserOrPartnerScope:
      if (principal.IsUser()) return absl::OkStatus();
      if (principal.IsPartner() && principal.HasScope(permission.scope)) return absl::OkStatus();
      return principal.kind == Principal::Kind::kAnonymous ? unauthenticated() : denied();
    case Access::kUserOrBookingLink:
      // Anonymous callers pass here only to have their booking link token checked by the service.
      if (principal.IsUser() || principal.kind == Principal::Kind::kAnonymous) {
        return absl::OkStatus();
      }
      return denied();
    case Access::kInternal:
      return principal.kind == Principal::Kind::kAnonymous ? unauthenticated() : denied();
  }
  return denied();
}

}  // namespace carebridge
