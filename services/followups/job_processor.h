// The follow-up domain: runs delivered jobs to their outcomes.
//
// Works on batches of deliveries (what one read of the queue returned): records the batch's jobs
// and claims those that may run now, in one statement (JobStore); jobs that may not run (done,
// dead, not yet due, held by another worker) need nothing. Reads the cases of the claimed jobs
// through the CaseDirectory in one call, then, acknowledgements first, performs each job's effect
// and records it at once (so a crash repeats at most the effect in flight): DONE with the effect,
// or RETRYING with an exponential backoff with jitter, or DEAD after the last try (or at once when
// retrying cannot help: unknown case or kind, no endpoint configured).
//
// Kinds: ACKNOWLEDGEMENT_EMAIL (to the patient, in their language where a template exists),
// COORDINATOR_ALERT (to the assigned coordinator, else the coordinators' desk), SLA_CHECK
// (escalates a still-NEW case to the first active lead coordinator, else the configured lead
// address; nothing to do otherwise), CONSULTATION_REMINDER (to the patient, 24 h and 1 h before a
// booking, read from the Scheduling service; nothing to do when the booking was cancelled or
// moved), PARTNER_WEBHOOK (signed POST to the referring partner's own
// endpoint with its secret, else the deployment-wide endpoint; done with no effect when there is
// neither). Emails carry Message-ID <job id@domain> and webhooks
// CareBridge-Webhook-Id <job id>, so a receiver can drop the duplicate a crash between its
// acceptance and our commit could cause.
//
// Thread-safe: many worker threads share one processor.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/followups/backoff.h"
#include "services/followups/booking_directory.h"
#include "services/followups/case_directory.h"
#include "services/followups/email_sender.h"
#include "services/followups/job_store.h"
#include "services/followups/metrics.h"
#include "services/followups/webhook_sender.h"

namespace carebridge::followups {

struct ProcessorConfig {
  int max_tries = 8;
  BackoffPolicy backoff;
  absl::Duration lease = absl::Minutes(2);  // longer than any one attempt can take
  std::string desk_email = "desk@carebridge.local";
  std::string lead_email = "lead@carebridge.local";
  std::string public_base_url = "http://127.0.0.1:8080";  // for booking and dashboard links
  std::string webhook_url;  // for partners without their own endpoint; empty: none
  std::string message_id_domain = "carebridge.local";
  // Signs the patient's self-booking link in the acknowledgement (booking_link.h); empty: the
  // email links the contact page instead.
  std::string booking_link_secret;
  absl::Duration booking_link_ttl = absl::Hours(24 * 30);
};

class JobProcessor {
 public:
  // `bookings` may be null (no Scheduling service): reminder jobs then fail as permanent.
  JobProcessor(JobStore& store, CaseDirectory& directory, BookingDirectory* bookings,
               EmailSender& email, WebhookSender& webhook, ProcessorConfig config,
               std::function<absl::Time()> clock, JobCounters& counters)
      : store_(store),
        directory_(directory),
        bookings_(bookings),
        email_(email),
        webhook_(webhook),
        config_(std::move(config)),
        clock_(std::move(clock)),
        counters_(counters) {}

  // Handles a batch of deliveries (the same job may appear twice). Returns one status per
  // delivery, in order: OK when it may be acknowledged on the queue (the outcome is recorded, the
  // job needs nothing now, or it is malformed and never will); UNAVAILABLE when the outcome could
  // not be recorded: leave the delivery unacknowledged, so it is claimed again later.
  std::vector<absl::Status> ProcessBatch(const std::vector<JobRef>& deliveries);

  // Tells the outbox owner, in one call, which jobs this process has recorded since the last
  // flush (so its relay need not send them again). Best effort: on failure the ids are kept for
  // the next flush. Called periodically by the queue's requeue thread.
  void FlushConfirmations();

 private:
  struct Effect {
    std::string channel;
    std::string detail;
  };
  // `jobs` distinct and well-formed; `index_of` maps a job id to its index in `jobs` and in
  // `results`, which receives each job's outcome.
  void RunBatch(const std::vector<JobRef>& jobs, const std::map<std::string, size_t>& index_of,
                std::vector<absl::Status>& results);
  // Records the outcome of a claimed attempt: DONE, RETRYING with backoff, or DEAD.
  absl::Status Record(const ClaimedJob& claim, const absl::StatusOr<Effect>& effect);
  // `contact` is the case's contact data, or null for kinds that need none (reminders read their
  // own; an unknown kind fails as permanent).
  absl::StatusOr<Effect> Perform(const ClaimedJob& claim,
                                 const carebridge::v1::CaseContact* contact);
  absl::StatusOr<Effect> SendReminder(const ClaimedJob& claim);
  void FlushSchedulingConfirmations();
  absl::StatusOr<Effect> SendEmail(const ClaimedJob& claim, const std::string& to,
                                   const std::string& subject, const std::string& body,
                                   const std::string& reference);
  double UnitRandom();

  JobStore& store_;
  CaseDirectory& directory_;
  BookingDirectory* bookings_;
  EmailSender& email_;
  WebhookSender& webhook_;
  const ProcessorConfig config_;
  const std::function<absl::Time()> clock_;
  JobCounters& counters_;
  std::mutex confirm_mu_;
  std::vector<int64_t> unconfirmed_;                 // GUARDED_BY(confirm_mu_): inquiries' outbox
  std::vector<std::string> unconfirmed_scheduling_;  // GUARDED_BY(confirm_mu_): job ids
  std::mutex random_mu_;
  std::mt19937_64 random_{std::random_device{}()};  // GUARDED_BY(random_mu_)
};

// The outbox id of an "inquiries:<id>" job id, or -1.
int64_t OutboxIdOf(const std::string& job_id);

}  // namespace carebridge::followups
