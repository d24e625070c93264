// The texts of follow-up emails. Pure logic: data in, subject and body out.
//
// The acknowledgement is written in the patient's language where a template exists (English and
// Japanese), English otherwise; coordinator mails are English. Bodies are plain UTF-8 text.
#pragma once

#include <string>

#include "carebridge/v1/inquiries.pb.h"
#include "carebridge/v1/scheduling.pb.h"

namespace carebridge::followups {

struct EmailText {
  std::string subject;
  std::string body;
  std::string language;  // the template's language, "en" or "ja"
};

// "ja" for a BCP 47 tag whose primary language is Japanese ("ja", "ja-JP"), else "en".
std::string TemplateLanguage(const std::string& preferred_language);

// To the patient: the case reference, what happens next, and their self-booking link.
EmailText AcknowledgementEmail(const carebridge::v1::CaseContact& contact,
                               const std::string& booking_link);

// To the coordinators' desk: a new case to contact. Reference, condition and language only.
EmailText CoordinatorAlertEmail(const carebridge::v1::CaseContact& contact,
                                const std::string& dashboard_link);

// To the lead coordinator: a case still NEW after the first-contact SLA.
EmailText SlaEscalationEmail(const carebridge::v1::CaseContact& contact,
                             const std::string& dashboard_link);

// To the patient, 24 h or 1 h before a consultation: what, when (in UTC and the host's zone),
// with whom. In the patient's language where a template exists.
EmailText ConsultationReminderEmail(const carebridge::v1::CaseContact& contact,
                                    const carebridge::v1::BookingReminder& reminder);

}  // namespace carebridge::followups
