#include "services/common/principal.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "carebridge/v1/catalog.pb.h"
#include "carebridge/v1/identity.pb.h"
#include "carebridge/v1/inquiries.pb.h"
#include "carebridge/v1/scheduling.pb.h"
#include "services/common/credentials.h"

namespace carebridge {
namespace {

// Deny by default only helps if nothing is forgotten: every method of every API service must be
// in the permission table.
TEST(PermissionTableTest, ListsEveryMethodOfEveryService) {
  const std::vector<std::string> listed = PermissionTableMethods();
  const google::protobuf::FileDescriptor* files[] = {
      v1::Inquiry::descriptor()->file(), v1::Clinic::descriptor()->file(),
      v1::Session::descriptor()->file(), v1::Booking::descriptor()->file()};
  int methods = 0;
  for (const auto* file : files) {
    for (int s = 0; s < file->service_count(); ++s) {
      const auto* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const std::string path = "/" + service->full_name() + "/" + service->method(m)->name();
        EXPECT_NE(std::find(listed.begin(), listed.end(), path), listed.end()) << path;
        ++methods;
      }
    }
  }
  EXPECT_EQ(methods, static_cast<int>(listed.size()));
}

TEST(PermissionTableTest, BookingLinkMethodsAdmitSessionsAndAnonymousButNotPartners) {
  constexpr char kCreate[] = "/carebridge.v1.Scheduling/CreateBooking";
  Principal coordinator;
  coordinator.kind = Principal::Kind::kUser;
  coordinator.role = "coordinator";
  EXPECT_TRUE(CheckPermission(coordinator, kCreate).ok());
  // The anonymous caller still has to show a valid link token to the service.
  EXPECT_TRUE(CheckPermission(Principal{}, kCreate).ok());
  Principal partner;
  partner.kind = Principal::Kind::kPartner;
  partner.scopes = {"cases:read", "catalog:read", "inquiries:write"};
  EXPECT_EQ(CheckPermission(partner, kCreate).code(), absl::StatusCode::kPermissionDenied);
  // Listing a host's bookings needs a session.
  EXPECT_EQ(CheckPermission(Principal{}, "/carebridge.v1.Scheduling/ListBookings").code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(PermissionTableTest, UnknownMethodsAreInternal) {
  Principal user;
  user.kind = Principal::Kind::kUser;
  user.id = "u";
  user.role = "admin";
  EXPECT_EQ(CheckPermission(user, "/carebridge.v1.Nope/Nothing").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckPermission(Principal{}, "/carebridge.v1.Nope/Nothing").code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(PermissionTableTest, InternalCallersReachEverythingButTheAdminRpcs) {
  Principal internal;
  internal.kind = Principal::Kind::kInternal;
  EXPECT_TRUE(CheckPermission(internal, "/carebridge.v1.Inquiries/GetCaseContacts").ok());
  EXPECT_TRUE(CheckPermission(internal, "/carebridge.v1.Catalog/MatchCase").ok());
  EXPECT_TRUE(CheckPermission(internal, "/carebridge.v1.FollowUps/ListFollowUps").ok());
  EXPECT_EQ(CheckPermission(internal, "/carebridge.v1.Catalog/UpdateClinic").code(),
            absl::StatusCode::kPermissionDenied);
  Principal coordinator;
  coordinator.kind = Principal::Kind::kUser;
  coordinator.role = "coordinator";
  EXPECT_EQ(CheckPermission(coordinator, "/carebridge.v1.Catalog/UpdateClinic").code(),
            absl::StatusCode::kPermissionDenied);
  coordinator.role = "admin";
  EXPECT_TRUE(CheckPermission(coordinator, "/carebridge.v1.Catalog/UpdateClinic").ok());
}

TEST(CredentialsTest, BearerParsingAndCsrfBinding) {
  EXPECT_EQ(BearerCredential("Bearer abc"), "abc");
  EXPECT_EQ(BearerCredential("bearer  abc "), "abc");
  EXPECT_EQ(BearerCredential("Basic abc"), "");
  const std::string token = NewSecret("cbs_");
  EXPECT_EQ(token.size(), 4u + 64u);
  EXPECT_NE(CsrfTokenFor(token), CsrfTokenFor(NewSecret("cbs_")));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace carebridge
