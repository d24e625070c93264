// The Redis streams that carry follow-up jobs from the outbox relays (outbox_relay.h) to the
// follow-ups worker (services/followups/queue_consumer.h), and which job goes on which.
//
// Two lanes, in priority order. The patient's acknowledgement goes on the urgent stream, which the
// worker drains before it takes anything else; every other kind (coordinator alerts, SLA checks,
// reminders, partner webhooks) goes on the ordinary one. One first-in-first-out stream would make
// the email a patient is waiting for queue behind internal work whenever there is a backlog: after
// a Redis or SMTP outage, in a burst of inquiries, or when the host is slow.
#pragma once

#include <array>
#include <string_view>

namespace carebridge {

inline constexpr char kUrgentFollowUpStream[] = "carebridge:followups:urgent";
inline constexpr char kFollowUpStream[] = "carebridge:followups";

// Every follow-up stream, the one drained first first.
inline constexpr std::array<const char*, 2> kFollowUpStreams = {kUrgentFollowUpStream,
                                                                kFollowUpStream};

// The stream a job of `kind` (an outbox kind, e.g. "ACKNOWLEDGEMENT_EMAIL") is queued on.
inline const char* FollowUpStreamFor(std::string_view kind) {
  return kind == "ACKNOWLEDGEMENT_EMAIL" ? kUrgentFollowUpStream : kFollowUpStream;
}

}  // namespace carebridge
