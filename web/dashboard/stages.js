// stages.js — the case stage machine, as services/inquiries/case_stages.cc enforces it.
//
// Contract: allowedMoves(stage, lostFrom) lists the stages a case may move to, in order:
// from an open stage (NEW .. TREATMENT_SCHEDULED) every later stage up to COMPLETED (skipping
// allowed), then LOST (needs a reason) and SPAM; from LOST only back to the stage it was lost from
// (CONTACTED when that is unknown or not open); from COMPLETED and SPAM nothing. The server
// checks again: this only decides which buttons to offer. lostFromTimeline(events) finds the
// stage a LOST case was lost from in its timeline.

export const STAGES = [
  "NEW", "CONTACTED", "QUALIFIED", "CONSULTATION_BOOKED", "QUOTE_SENT", "TREATMENT_SCHEDULED",
  "COMPLETED", "LOST", "SPAM",
];

export const OPEN_STAGES = STAGES.slice(0, 6);

export function isOpen(stage) {
  return OPEN_STAGES.includes(stage);
}

export function allowedMoves(stage, lostFrom) {
  if (isOpen(stage)) {
    const later = STAGES.slice(STAGES.indexOf(stage) + 1, STAGES.indexOf("COMPLETED") + 1);
    return [...later, "LOST", "SPAM"];
  }
  if (stage === "LOST") return [isOpen(lostFrom) ? lostFrom : "CONTACTED"];
  return [];
}

// The `old_value` of the last stage change into LOST, or "".
export function lostFromTimeline(events) {
  let from = "";
  for (const event of events || []) {
    for (const change of event.changes || []) {
      if (change.field === "stage" && change.newValue === "LOST") from = change.oldValue || "";
    }
  }
  return from;
}
