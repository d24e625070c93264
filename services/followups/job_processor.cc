#include "services/followups/job_processor.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cstdint>
#include <map>

#include "carebridge/v1/webhooks.pb.h"
#include "services/common/booking_link.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "services/common/logging.h"
#include "services/followups/templates.h"

namespace carebridge::followups {
namespace {

// The kinds whose effect needs the case's contact data (read for a whole batch at once). A
// reminder reads its booking first, unknown kinds need nothing.
bool NeedsCaseContact(const std::string& kind) {
  return kind == "ACKNOWLEDGEMENT_EMAIL" || kind == "COORDINATOR_ALERT" || kind == "SLA_CHECK" ||
         kind == "PARTNER_WEBHOOK";
}

// Retrying cannot help with these: the job goes DEAD at once (a person can retry it by hand).
bool IsPermanent(const absl::Status& status) {
  return status.code() == absl::StatusCode::kNotFound ||
         status.code() == absl::StatusCode::kInvalidArgument ||
         status.code() == absl::StatusCode::kUnimplemented ||
         status.code() == absl::StatusCode::kFailedPrecondition;
}

// The webhook body: PartnerWebhookEvent in the proto3 JSON mapping with its snake_case names.
absl::StatusOr<std::string> WebhookBody(const carebridge::v1::PartnerWebhookEvent& event) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(event, &json, options).ok()) {
    return absl::InternalError("cannot encode the webhook body");
  }
  return json;
}

}  // namespace

constexpr char kSchedulingPrefix[] = "scheduling:";

int64_t OutboxIdOf(const std::string& job_id) {
  constexpr std::string_view kPrefix = "inquiries:";
  int64_t id = -1;
  if (!absl::StartsWith(job_id, std::string(kPrefix)) ||
      !absl::SimpleAtoi(job_id.substr(kPrefix.size()), &id)) {
    return -1;
  }
  return id;
}

double JobProcessor::UnitRandom() {
  std::lock_guard<std::mutex> lock(random_mu_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
}

std::vector<absl::Status> JobProcessor::ProcessBatch(const std::vector<JobRef>& deliveries) {
  std::vector<absl::Status> out(deliveries.size(), absl::OkStatus());
  std::vector<JobRef> jobs;                // distinct and well-formed
  std::map<std::string, size_t> index_of;  // job id -> index in jobs
  std::vector<size_t> slot(deliveries.size(), SIZE_MAX);
  for (size_t i = 0; i < deliveries.size(); ++i) {
    if (!WellFormed(deliveries[i])) {
      // Nothing to run: acknowledged (OK) so it leaves the queue.
      LogWarning("job_malformed", {{"kind_length", static_cast<int>(deliveries[i].kind.size())}});
      continue;
    }
    auto [it, inserted] = index_of.emplace(deliveries[i].job_id, jobs.size());
    if (inserted) jobs.push_back(deliveries[i]);
    slot[i] = it->second;
  }
  std::vector<absl::Status> results(jobs.size(), absl::OkStatus());
  if (!jobs.empty()) RunBatch(jobs, index_of, results);
  for (size_t i = 0; i < deliveries.size(); ++i) {
    if (slot[i] != SIZE_MAX) out[i] = results[slot[i]];
  }
  return out;
}

void JobProcessor::RunBatch(const std::vector<JobRef>& jobs,
                            const std::map<std::string, size_t>& index_of,
                            std::vector<absl::Status>& results) {
  absl::StatusOr<std::vector<ClaimedJob>> claims =
      store_.RecordAndClaim(jobs, config_.max_tries, clock_(), config_.lease);
  if (!claims.ok()) {
    for (absl::Status& result : results) result = claims.status();
    return;
  }
  // Every job is now held in PostgreSQL, whether or not this delivery may run it: the outbox need
  // not send it again. Confirmed on every delivery (not just the first try), so a confirmation
  // lost in a crash is made good by the next delivery, and the relay's resends stop after one.
  {
    std::lock_guard<std::mutex> lock(confirm_mu_);
    for (const JobRef& job : jobs) {
      if (const int64_t outbox_id = OutboxIdOf(job.job_id); outbox_id >= 0) {
        unconfirmed_.push_back(outbox_id);
      } else if (absl::StartsWith(job.job_id, kSchedulingPrefix)) {
        unconfirmed_scheduling_.push_back(job.job_id);
      }
    }
  }
  // The patient is waiting for the acknowledgement; alerts and the rest can follow it.
  std::stable_partition(claims->begin(), claims->end(), [](const ClaimedJob& claim) {
    return claim.job.kind == "ACKNOWLEDGEMENT_EMAIL";
  });
  // One lookup for the cases of the whole batch.
  std::vector<std::string> case_ids;
  for (const ClaimedJob& claim : *claims) {
    if (NeedsCaseContact(claim.job.kind)) case_ids.push_back(claim.job.case_id);
  }
  std::sort(case_ids.begin(), case_ids.end());
  case_ids.erase(std::unique(case_ids.begin(), case_ids.end()), case_ids.end());
  absl::StatusOr<std::vector<carebridge::v1::CaseContact>> contacts =
      case_ids.empty() ? std::vector<carebridge::v1::CaseContact>()
                       : directory_.GetCaseContacts(case_ids);
  std::map<std::string, const carebridge::v1::CaseContact*> contact_of;
  if (contacts.ok()) {
    for (const carebridge::v1::CaseContact& contact : *contacts) {
      contact_of[contact.case_id()] = &contact;
    }
  }
  // Set when the rest of the batch must not run now; those jobs stay RUNNING under their lease and
  // their deliveries unacknowledged, so they are taken over once the lease runs out.
  absl::Status halt;
  for (const ClaimedJob& claim : *claims) {
    const size_t index = index_of.at(claim.job.job_id);
    // Start a job only while half its lease is left: main() requires the lease to exceed twice the
    // longest timeout of an attempt, so it ends (and is recorded) before anyone may take it over.
    if (halt.ok() && clock_() - claim.started_at >= config_.lease / 2) {
      halt = absl::UnavailableError("the batch's lease is running out");
      LogWarning("batch_lease_running_out", {{"job_id", claim.job.job_id}});
    }
    if (!halt.ok()) {
      results[index] = halt;
      continue;
    }
    absl::StatusOr<Effect> effect;
    if (!NeedsCaseContact(claim.job.kind)) {
      effect = Perform(claim, nullptr);
    } else if (!contacts.ok()) {
      effect = contacts.status();
    } else if (auto it = contact_of.find(claim.job.case_id); it == contact_of.end()) {
      effect = absl::NotFoundError("inquiries: case not found");
    } else {
      effect = Perform(claim, it->second);
    }
    results[index] = Record(claim, effect);
    // The database is failing: perform nothing more whose outcome could not be recorded.
    if (!results[index].ok()) halt = results[index];
  }
}

absl::Status JobProcessor::Record(const ClaimedJob& claim, const absl::StatusOr<Effect>& effect) {
  const absl::Time now = clock_();
  if (effect.ok()) {
    absl::StatusOr<bool> done = store_.MarkDone(claim, now, effect->channel, effect->detail);
    if (!done.ok()) return done.status();
    if (*done) {
      ++counters_.done;
      LogInfo("job_done", {{"job_id", claim.job.job_id},
                           {"kind", claim.job.kind},
                           {"tries", claim.tries},
                           {"channel", effect->channel}});
    } else {
      LogWarning("job_claim_lost", {{"job_id", claim.job.job_id}, {"tries", claim.tries}});
    }
    return absl::OkStatus();
  }

  const std::string error(effect.status().message());
  const bool last = claim.tries >= claim.max_tries || IsPermanent(effect.status());
  std::optional<absl::Time> retry_at;
  if (!last) retry_at = now + BackoffDelay(config_.backoff, claim.tries, UnitRandom());
  absl::StatusOr<bool> marked = store_.MarkFailed(claim, now, error, retry_at);
  if (!marked.ok()) return marked.status();
  if (*marked) {
    if (last) {
      ++counters_.dead;
      LogWarning("job_dead", {{"job_id", claim.job.job_id},
                              {"kind", claim.job.kind},
                              {"tries", claim.tries},
                              {"error", error}});
    } else {
      ++counters_.retried;
      LogInfo("job_retrying",
              {{"job_id", claim.job.job_id},
               {"kind", claim.job.kind},
               {"tries", claim.tries},
               {"retry_in_ms", static_cast<long long>(absl::ToInt64Milliseconds(*retry_at - now))},
               {"error", error}});
    }
  }
  return absl::OkStatus();
}

void JobProcessor::FlushSchedulingConfirmations() {
  if (bookings_ == nullptr) return;
  std::vector<std::string> batch;
  {
    std::lock_guard<std::mutex> lock(confirm_mu_);
    batch.swap(unconfirmed_scheduling_);
  }
  if (batch.empty() || bookings_->ConfirmFollowUps(batch).ok()) return;
  std::lock_guard<std::mutex> lock(confirm_mu_);
  if (unconfirmed_scheduling_.size() < 100000) {
    unconfirmed_scheduling_.insert(unconfirmed_scheduling_.end(), batch.begin(), batch.end());
  }
}

void JobProcessor::FlushConfirmations() {
  FlushSchedulingConfirmations();
  constexpr size_t kBatch = 1000;
  while (true) {
    std::vector<int64_t> batch;
    {
      std::lock_guard<std::mutex> lock(confirm_mu_);
      if (unconfirmed_.empty()) return;
      const size_t n = std::min(kBatch, unconfirmed_.size());
      batch.assign(unconfirmed_.begin(), unconfirmed_.begin() + static_cast<long>(n));
      unconfirmed_.erase(unconfirmed_.begin(), unconfirmed_.begin() + static_cast<long>(n));
    }
    if (!directory_.ConfirmFollowUps(batch).ok()) {
      std::lock_guard<std::mutex> lock(confirm_mu_);
      // Kept for the next flush, within bounds: an unconfirmed job is only sent once more.
      if (unconfirmed_.size() < 100000) {
        unconfirmed_.insert(unconfirmed_.end(), batch.begin(), batch.end());
      }
      return;
    }
  }
}

absl::StatusOr<JobProcessor::Effect> JobProcessor::SendEmail(const ClaimedJob& claim,
                                                             const std::string& to,
                                                             const std::string& subject,
                                                             const std::string& body,
                                                             const std::string& reference) {
  EmailMessage message;
  message.to = to;
  message.subject = subject;
  message.body = body;
  message.message_id = absl::StrCat(absl::StrReplaceAll(claim.job.job_id, {{":", "."}}), "@",
                                    config_.message_id_domain);
  message.headers = {absl::StrCat("X-CareBridge-Reference: ", reference),
                     absl::StrCat("X-CareBridge-Kind: ", claim.job.kind),
                     absl::StrCat("X-CareBridge-Job: ", claim.job.job_id)};
  if (absl::Status s = email_.Send(message); !s.ok()) return s;
  return Effect{"email", message.message_id};
}

absl::StatusOr<JobProcessor::Effect> JobProcessor::SendReminder(const ClaimedJob& claim) {
  if (bookings_ == nullptr) {
    return absl::FailedPreconditionError("no scheduling service configured for reminders");
  }
  absl::StatusOr<carebridge::v1::BookingReminder> reminder =
      bookings_->GetBookingReminder(claim.job.job_id);
  if (!reminder.ok()) return reminder.status();
  if (!reminder->wanted()) return Effect{"none", "the booking was cancelled or moved"};
  absl::StatusOr<std::vector<carebridge::v1::CaseContact>> contacts =
      directory_.GetCaseContacts({reminder->case_id()});
  if (!contacts.ok()) return contacts.status();
  if (contacts->empty()) return absl::NotFoundError("inquiries: case not found");
  const carebridge::v1::CaseContact& contact = contacts->front();
  const EmailText text = ConsultationReminderEmail(contact, *reminder);
  return SendEmail(claim, contact.email(), text.subject, text.body, contact.reference());
}

absl::StatusOr<JobProcessor::Effect> JobProcessor::Perform(
    const ClaimedJob& claim, const carebridge::v1::CaseContact* contact) {
  const std::string& kind = claim.job.kind;
  if (kind == "CONSULTATION_REMINDER") return SendReminder(claim);
  if (contact == nullptr) return absl::UnimplementedError(absl::StrCat("unsupported kind ", kind));
  const std::string dashboard =
      absl::StrCat(config_.public_base_url, "/dashboard/#/cases/", contact->case_id());

  if (kind == "ACKNOWLEDGEMENT_EMAIL") {
    // The patient's own self-booking link, signed and expiring (Scheduling verifies it).
    const std::string booking =
        config_.booking_link_secret.empty()
            ? absl::StrCat(config_.public_base_url, "/")
            : absl::StrCat(config_.public_base_url, "/book?token=",
                           IssueBookingLinkToken(config_.booking_link_secret, contact->case_id(),
                                                 clock_() + config_.booking_link_ttl));
    const EmailText text = AcknowledgementEmail(*contact, booking);
    return SendEmail(claim, contact->email(), text.subject, text.body, contact->reference());
  }
  if (kind == "COORDINATOR_ALERT") {
    // The coordinator the case was assigned to; the desk when nobody (active) is.
    const std::string& to =
        contact->assignee_email().empty() ? config_.desk_email : contact->assignee_email();
    const EmailText text = CoordinatorAlertEmail(*contact, dashboard);
    return SendEmail(claim, to, text.subject, text.body, contact->reference());
  }
  if (kind == "SLA_CHECK") {
    if (contact->stage() != carebridge::v1::NEW) return Effect{"none", "case already contacted"};
    // The first active lead coordinator (by email); the configured address when there is none.
    const std::string& to =
        contact->lead_emails().empty() ? config_.lead_email : contact->lead_emails(0);
    const EmailText text = SlaEscalationEmail(*contact, dashboard);
    return SendEmail(claim, to, text.subject, text.body, contact->reference());
  }
  // PARTNER_WEBHOOK: the case's reference and stage (at delivery), never personal data. To the
  // partner's own endpoint, signed with its secret; else to the deployment-wide endpoint, if any.
  Webhook webhook;
  if (contact->partner_revoked()) {
    return Effect{"none", "the partner was revoked"};  // never to the shared endpoint either
  } else if (!contact->partner_webhook_url().empty()) {
    webhook.url = contact->partner_webhook_url();
    webhook.secret = contact->partner_webhook_secret();
  } else if (!config_.webhook_url.empty()) {
    webhook.url = config_.webhook_url;
  } else {
    return Effect{"none", "the partner has no webhook endpoint"};
  }
  webhook.id = claim.job.job_id;
  carebridge::v1::PartnerWebhookEvent event;
  event.set_id(claim.job.job_id);
  event.set_type("case.stage_changed");
  event.set_case_id(contact->case_id());
  event.set_reference(contact->reference());
  event.set_stage(carebridge::v1::Stage_Name(contact->stage()));
  event.set_partner_reference(contact->partner_reference());
  absl::StatusOr<std::string> body = WebhookBody(event);
  if (!body.ok()) return body.status();
  webhook.body = *std::move(body);
  if (absl::Status s = webhook_.Send(webhook); !s.ok()) return s;
  return Effect{"webhook", claim.job.job_id};
}

}  // namespace carebridge::followups
