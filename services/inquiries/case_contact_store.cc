#include "services/inquiries/case_contact_store.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"

namespace carebridge::inquiries {
namespace {

constexpr char kGetContact[] = "get_case_contact";
// identity.users and identity.partners belong to this same binary (services/identity).
constexpr char kGetContactSql[] = R"sql(
SELECT c.reference, c.stage, c.full_name, c.email, coalesce(c.preferred_language, ''), c.condition,
       coalesce(c.partner_reference, ''), coalesce(u.email, ''),
       coalesce((SELECT string_agg(l.email, ',' ORDER BY l.email) FROM identity.users l
                 WHERE l.lead AND l.active), ''),
       CASE WHEN p.revoked_at IS NULL THEN coalesce(p.webhook_url, '') ELSE '' END,
       CASE WHEN p.revoked_at IS NULL THEN coalesce(p.webhook_secret, '') ELSE '' END,
       coalesce(p.revoked_at IS NOT NULL, false)
FROM inquiries.cases c
LEFT JOIN identity.users u ON u.id = c.assignee_id AND u.active
LEFT JOIN identity.partners p ON p.id = c.partner_id
WHERE c.id = $1)sql";

// Ids arrive as one comma-separated list of integers (built from int64 values, never from text).
constexpr char kConfirm[] = "confirm_follow_ups";
constexpr char kConfirmSql[] =
    "UPDATE inquiries.outbox SET received_at = now() "
    "WHERE id = ANY(string_to_array($1, ',')::bigint[]) AND received_at IS NULL";

}  // namespace

std::vector<std::pair<std::string, std::string>> CaseContactStatements() {
  return {{kGetContact, kGetContactSql}, {kConfirm, kConfirmSql}};
}

absl::StatusOr<carebridge::v1::CaseContact> CaseContactStore::GetCaseContact(
    const std::string& case_id) {
  if (!IsUuid(case_id)) return InvalidFields({{"case_id", "Must be a case id (a UUID)."}});
  carebridge::v1::CaseContact contact;
  bool found = false;
  absl::Status status = pool_.InTransaction("get_case_contact", [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_prepared(kGetContact, case_id);
    found = !rows.empty();
    if (!found) return absl::OkStatus();
    const pqxx::row row = rows[0];
    contact.set_case_id(case_id);
    contact.set_reference(row[0].as<std::string>());
    carebridge::v1::Stage stage = carebridge::v1::STAGE_UNSPECIFIED;
    carebridge::v1::Stage_Parse(row[1].as<std::string>(), &stage);
    contact.set_stage(stage);
    contact.set_full_name(row[2].as<std::string>());
    contact.set_email(row[3].as<std::string>());
    contact.set_preferred_language(row[4].as<std::string>());
    contact.set_condition(row[5].as<std::string>());
    contact.set_partner_reference(row[6].as<std::string>());
    contact.set_assignee_email(row[7].as<std::string>());
    for (absl::string_view lead :
         absl::StrSplit(row[8].as<std::string>(), ',', absl::SkipEmpty())) {
      contact.add_lead_emails(std::string(lead));
    }
    contact.set_partner_webhook_url(row[9].as<std::string>());
    contact.set_partner_webhook_secret(row[10].as<std::string>());
    contact.set_partner_revoked(row[11].as<bool>());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return absl::NotFoundError("no such case");
  return contact;
}

absl::Status CaseContactStore::ConfirmFollowUps(const std::vector<int64_t>& ids) {
  if (ids.empty()) return absl::OkStatus();
  const std::string list = absl::StrJoin(ids, ",");
  return pool_.InTransaction("confirm_follow_ups", [&](pqxx::work& tx) {
    tx.exec_prepared(kConfirm, list);
    return absl::OkStatus();
  });
}

}  // namespace carebridge::inquiries
