// Who is calling: the principal a call's credentials resolve to, and the per-RPC permission table.
//
// Every RPC of the suite is listed in the table (deny by default: a method missing from it is
// refused for everyone but internal callers, and a test checks that every method of every service
// has an entry). Pure logic; thread-safe.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace carebridge {

struct Principal {
  enum class Kind { kAnonymous, kUser, kPartner, kInternal };
  Kind kind = Kind::kAnonymous;
  std::string id;                // user id or partner id; empty otherwise
  std::string role;              // users: "coordinator" or "admin"
  std::set<std::string> scopes;  // partners: "inquiries:write", "cases:read", "catalog:read"
  bool lead = false;             // users: the lead coordinator
  std::string session_hash;      // users: the session's token hash (for logout)

  bool IsUser() const { return kind == Kind::kUser; }
  bool IsAdmin() const { return kind == Kind::kUser && role == "admin"; }
  bool IsPartner() const { return kind == Kind::kPartner; }
  bool HasScope(std::string_view scope) const { return scopes.count(std::string(scope)) > 0; }
  // The actor recorded on timelines and audit rows: "user:<id>", "partner:<id>", "system", "web".
  std::string Actor() const;
};

// Who may call a method.
enum class Access {
  kPublic,              // anyone; a partner key must still be valid (and is attributed)
  kUser,                // a coordinator or admin session
  kAdmin,               // an admin session
  kUserOrPartnerScope,  // a session, or a partner key with `scope`
  kUserOrBookingLink,   // a session, or an anonymous caller whose request carries a booking link
                        // token: the service verifies that token itself (booking_link.h)
  kInternal,            // the suite's own services (internal token)
};

struct Permission {
  Access access = Access::kInternal;
  std::string_view scope;  // kUserOrPartnerScope, and kPublic when a partner calls
};

// The permission of a method, by its gRPC path ("/carebridge.v1.Inquiries/ListCases"). Unknown
// methods get {kInternal}.
Permission PermissionFor(std::string_view grpc_path);

// True when the method is listed as kPublic.
bool IsPublicMethod(std::string_view grpc_path);

// Every gRPC path listed in the table.
std::vector<std::string> PermissionTableMethods();

// OK when `principal` may call the method. PERMISSION_DENIED for a known principal without the
// role or scope, UNAUTHENTICATED for an anonymous caller of a non-public method.
absl::Status CheckPermission(const Principal& principal, std::string_view grpc_path);

}  // namespace carebridge
