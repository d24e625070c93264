#include "services/inquiries/case_contact_store.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"

namespace carebridge::inquiries {
namespace {

// Case ids arrive as one comma-separated list, each checked to be a UUID first. Both statements
// join from unnest, so the list is parsed once whatever the plan ("id = ANY(<list expression>)"
// as a filter of a sequential scan, a plan a small table can get, parses it for every row).
constexpr char kGetContacts[] = "get_case_contacts";
// identity.users and identity.partners belong to this same binary (services/identity).
constexpr char kGetContactsSql[] = R"sql(
SELECT c.id::text, c.reference, c.stage, c.full_name, c.email, coalesce(c.preferred_language, ''), c.condition,
       coalesce(c.partner_reference, ''), coalesce(u.email, ''),
       coalesce((SELECT string_agg(l.email, ',' ORDER BY l.email) FROM identity.users l
                 WHERE l.lead AND l.active), ''),
       CASE WHEN p.revoked_at IS NULL THEN coalesce(p.webhook_url, '') ELSE '' END,
       CASE WHEN p.revoked_at IS NULL THEN coalesce(p.webhook_secret, '') ELSE '' END,
       coalesce(p.revoked_at IS NOT NULL, false)
FROM unnest(string_to_array($1, ',')::uuid[]) AS wanted(id)
JOIN inquiries.cases c ON c.id = wanted.id
LEFT JOIN identity.users u ON u.id = c.assignee_id AND u.active
LEFT JOIN identity.partners p ON p.id = c.partner_id)sql";

// Ids arrive as one comma-separated list of integers (built from int64 values, never from text).
constexpr char kConfirm[] = "confirm_follow_ups";
constexpr char kConfirmSql[] =
    "UPDATE inquiries.outbox AS o SET received_at = now() "
    "FROM unnest(string_to_array($1, ',')::bigint[]) AS confirmed(id) "
    "WHERE o.id = confirmed.id AND o.received_at IS NULL";

}  // namespace

std::vector<std::pair<std::string, std::string>> CaseContactStatements() {
  return {{kGetContacts, kGetContactsSql}, {kConfirm, kConfirmSql}};
}

absl::StatusOr<std::vector<carebridge::v1::CaseContact>> CaseContactStore::GetCaseContacts(
    const std::vector<std::string>& case_ids) {
  if (case_ids.size() > kMaxCaseContacts) {
    return InvalidFields({{"case_ids", "At most 500 case ids at a time."}});
  }
  for (const std::string& id : case_ids) {
    if (!IsUuid(id)) return InvalidFields({{"case_ids", "Each must be a case id (a UUID)."}});
  }
  std::vector<carebridge::v1::CaseContact> contacts;
  if (case_ids.empty()) return contacts;
  const std::string list = absl::StrJoin(case_ids, ",");
  // One read, so no BEGIN/COMMIT: the worker asks for every batch it takes off the queue.
  absl::Status status = pool_.InAutocommit("get_case_contacts", [&](pqxx::nontransaction& tx) {
    contacts.clear();
    for (const pqxx::row& row : tx.exec_prepared(kGetContacts, list)) {
      carebridge::v1::CaseContact& contact = contacts.emplace_back();
      contact.set_case_id(row[0].as<std::string>());
      contact.set_reference(row[1].as<std::string>());
      carebridge::v1::Stage stage = carebridge::v1::STAGE_UNSPECIFIED;
      carebridge::v1::Stage_Parse(row[2].as<std::string>(), &stage);
      contact.set_stage(stage);
      contact.set_full_name(row[3].as<std::string>());
      contact.set_email(row[4].as<std::string>());
      contact.set_preferred_language(row[5].as<std::string>());
      contact.set_condition(row[6].as<std::string>());
      contact.set_partner_reference(row[7].as<std::string>());
      contact.set_assignee_email(row[8].as<std::string>());
      for (absl::string_view lead :
           absl::StrSplit(row[9].as<std::string>(), ',', absl::SkipEmpty())) {
        contact.add_lead_emails(std::string(lead));
      }
      contact.set_partner_webhook_url(row[10].as<std::string>());
      contact.set_partner_webhook_secret(row[11].as<std::string>());
      contact.set_partner_revoked(row[12].as<bool>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return contacts;
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
