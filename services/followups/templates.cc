#include "services/followups/templates.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace carebridge::followups {

std::string TemplateLanguage(const std::string& preferred_language) {
  const std::string tag = absl::AsciiStrToLower(preferred_language);
  if (tag == "ja" || absl::StartsWith(tag, "ja-")) return "ja";
  return "en";
}

EmailText AcknowledgementEmail(const carebridge::v1::CaseContact& contact,
                               const std::string& booking_link) {
  const std::string& ref = contact.reference();
  if (TemplateLanguage(contact.preferred_language()) == "ja") {
    return {absl::StrCat("【CareBridge】お問い合わせを受け付けました（", ref, "）"),
            absl::StrCat(
                contact.full_name(), " 様\n\n",
                "CareBridge へのお問い合わせありがとうございます。\n", "受付番号: ", ref, "\n\n",
                "今後の流れ:\n", "1. 担当コーディネーターが通常24時間以内にご連絡します。\n",
                "2. ご状況を伺い、適切な認可クリニックと治療プロトコルをご提案します。\n",
                "3. クリニックの医師とのビデオ相談を予約します。\n\n",
                "ご都合のよい通話時間は次のリンクからお選びいただけます:\n", booking_link, "\n\n",
                "お問い合わせの際は受付番号 ", ref, " をお知らせください。\n\n", "CareBridge\n"),
            "ja"};
  }
  return {absl::StrCat("CareBridge: we received your inquiry (", ref, ")"),
          absl::StrCat("Dear ", contact.full_name(), ",\n\n",
                       "Thank you for contacting CareBridge. Your case reference is ", ref, ".\n\n",
                       "What happens next:\n",
                       "1. A coordinator will contact you, usually within 24 hours.\n",
                       "2. We go through your situation and suggest licensed clinics and "
                       "protocols that fit it.\n",
                       "3. We book a video consultation with a clinic doctor.\n\n",
                       "You can pick a time for your first call here:\n", booking_link, "\n\n",
                       "Please quote ", ref, " whenever you write to us.\n\n", "CareBridge\n"),
          "en"};
}

EmailText CoordinatorAlertEmail(const carebridge::v1::CaseContact& contact,
                                const std::string& dashboard_link) {
  const std::string language =
      contact.preferred_language().empty() ? "not given" : contact.preferred_language();
  return {absl::StrCat("New case ", contact.reference()),
          absl::StrCat(
              "A new case is waiting for first contact.\n\n", "Reference: ", contact.reference(),
              "\n", "Condition: ", contact.condition().empty() ? "not given" : contact.condition(),
              "\n", "Preferred language: ", language, "\n\n", "Open it: ", dashboard_link, "\n"),
          "en"};
}

EmailText SlaEscalationEmail(const carebridge::v1::CaseContact& contact,
                             const std::string& dashboard_link) {
  return {absl::StrCat("Escalation: case ", contact.reference(), " still NEW after 24 hours"),
          absl::StrCat("Case ", contact.reference(),
                       " has not been contacted within the first-contact SLA of 24 hours.\n\n",
                       "Please assign it or contact the patient now: ", dashboard_link, "\n"),
          "en"};
}

EmailText ConsultationReminderEmail(const carebridge::v1::CaseContact& contact,
                                    const carebridge::v1::BookingReminder& reminder) {
  const absl::Time start = absl::FromUnixSeconds(reminder.start_time().seconds());
  absl::TimeZone host_zone = absl::UTCTimeZone();
  (void)absl::LoadTimeZone(reminder.host_time_zone(), &host_zone);
  const std::string utc = absl::FormatTime("%Y-%m-%d %H:%M UTC", start, absl::UTCTimeZone());
  const std::string local = absl::StrCat(absl::FormatTime("%Y-%m-%d %H:%M", start, host_zone), " ",
                                         reminder.host_time_zone());
  const std::string& ref = contact.reference();
  const bool soon = reminder.lead_minutes() <= 60;
  if (TemplateLanguage(contact.preferred_language()) == "ja") {
    return {absl::StrCat("【CareBridge】", soon ? "まもなく" : "明日", "のご予約（", ref, "）"),
            absl::StrCat(contact.full_name(), " 様\n\n", "ご予約のお知らせです。\n",
                         reminder.type_name(), "（", reminder.host_name(), "）\n", "日時: ", utc,
                         "（", local, "）\n\n", "受付番号: ", ref, "\n\nCareBridge\n"),
            "ja"};
  }
  return {absl::StrCat("CareBridge: your ", reminder.type_name(),
                       soon ? " starts soon" : " is tomorrow", " (", ref, ")"),
          absl::StrCat("Dear ", contact.full_name(), ",\n\n", "A reminder of your ",
                       reminder.type_name(), " with ", reminder.host_name(), ":\n", utc, " (",
                       local, ")\n\n",
                       "If you need to move it, reply to this email or use your booking link.\n\n",
                       "Please quote ", ref, " whenever you write to us.\n\nCareBridge\n"),
          "en"};
}

}  // namespace carebridge::followups
