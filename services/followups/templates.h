// The texts of follow-up emails. Pure logic: data in, subject and body out.
//
// The acknowledgement is written in the patient's language where a template exists (English and
// Japanese), English otherwise; coordinator mails are English. Bodies are plain UTF-8 text.
#pragma once

#include <string>

#include "carebridge/v1/inquiries.pb.h"

namespace carebridge::followups {

struct EmailText {
  std::string subject;
  std::string body;
  std::string language;  // the template's language, "en" or "ja"
};

// "ja" for a BCP 47 tag whose primary language is Japanese ("ja", "ja-JP"), else "en".
std::string TemplateLanguage(const std::string& preferred_language);

// To the patient: the case reference, what happens next, and the link to pick a call time (a
// placeholder until the scheduling service issues booking links).
EmailText AcknowledgementEmail(const carebridge::v1::CaseContact& contact,
                               const std::string& booking_link);

// To the coordinators' desk: a new case to contact. Reference, condition and language only.
EmailText CoordinatorAlertEmail(const carebridge::v1::CaseContact& contact,
                                const std::string& dashboard_link);

// To the lead coordinator: a case still NEW after the first-contact SLA.
EmailText SlaEscalationEmail(const carebridge::v1::CaseContact& contact,
                             const std::string& dashboard_link);

}  // namespace carebridge::followups
