// node --test web/dashboard/tests/ — stages.js, the case stage machine the buttons follow.
import { test } from "node:test";
import assert from "node:assert/strict";
import { allowedMoves, lostFromTimeline, isOpen, STAGES, OPEN_STAGES } from "../stages.js";

test("an open stage may move to every later stage up to COMPLETED, then LOST and SPAM", () => {
  assert.deepEqual(allowedMoves("NEW"), [
    "CONTACTED", "QUALIFIED", "CONSULTATION_BOOKED", "QUOTE_SENT", "TREATMENT_SCHEDULED", "COMPLETED", "LOST", "SPAM",
  ]);
  assert.deepEqual(allowedMoves("QUOTE_SENT"), ["TREATMENT_SCHEDULED", "COMPLETED", "LOST", "SPAM"]);
  assert.deepEqual(allowedMoves("TREATMENT_SCHEDULED"), ["COMPLETED", "LOST", "SPAM"]);
});

test("no open stage offers a move to itself or backwards", () => {
  for (const stage of OPEN_STAGES) {
    const moves = allowedMoves(stage);
    assert.ok(!moves.includes(stage), stage);
    for (const m of moves) {
      if (m !== "LOST" && m !== "SPAM") assert.ok(STAGES.indexOf(m) > STAGES.indexOf(stage), `${stage} -> ${m}`);
    }
  }
});

test("LOST re-opens only to the stage it was lost from, CONTACTED when unknown or not open", () => {
  assert.deepEqual(allowedMoves("LOST", "QUALIFIED"), ["QUALIFIED"]);
  assert.deepEqual(allowedMoves("LOST", ""), ["CONTACTED"]);
  assert.deepEqual(allowedMoves("LOST", undefined), ["CONTACTED"]);
  assert.deepEqual(allowedMoves("LOST", "SPAM"), ["CONTACTED"]);
  assert.deepEqual(allowedMoves("LOST", "COMPLETED"), ["CONTACTED"]);
});

test("COMPLETED, SPAM and unknown stages offer nothing", () => {
  assert.deepEqual(allowedMoves("COMPLETED"), []);
  assert.deepEqual(allowedMoves("SPAM"), []);
  assert.deepEqual(allowedMoves("STAGE_UNSPECIFIED"), []);
  assert.deepEqual(allowedMoves(undefined), []);
  assert.equal(isOpen("LOST"), false);
  assert.equal(isOpen("NEW"), true);
});

test("lostFromTimeline takes the old value of the last change into LOST", () => {
  const events = [
    { changes: [{ field: "stage", oldValue: "NEW", newValue: "CONTACTED" }] },
    { changes: [{ field: "stage", oldValue: "CONTACTED", newValue: "LOST" }] },
    { changes: [{ field: "stage", oldValue: "LOST", newValue: "CONTACTED" }] },
    { changes: [{ field: "assignee_id", oldValue: "", newValue: "u1" }, { field: "stage", oldValue: "QUALIFIED", newValue: "LOST" }] },
  ];
  assert.equal(lostFromTimeline(events), "QUALIFIED");
  assert.equal(lostFromTimeline([]), "");
  assert.equal(lostFromTimeline(undefined), "");
});
