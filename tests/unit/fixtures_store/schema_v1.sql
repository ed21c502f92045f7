-- Version 1 of the record store schema. Frozen: never edit; change the schema with a new migration.
CREATE TABLE profiles (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('practitioner', 'supervisor', 'trainer')),
    team TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    child_name TEXT NOT NULL,
    date_of_birth TEXT,
    expected_delivery_date TEXT,
    mobility TEXT CHECK (mobility IS NULL OR mobility IN
        ('not_rolling', 'rolls', 'crawls', 'pulls_to_stand', 'cruises', 'walks')),
    plan TEXT NOT NULL DEFAULT 'none' CHECK (plan IN
        ('none', 'early_help', 'child_in_need', 'child_protection', 'looked_after')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE household_members (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    relationship TEXT NOT NULL CHECK (relationship IN ('mother', 'father', 'partner', 'male_carer',
        'sibling', 'other_child', 'grandparent', 'other_adult')),
    date_of_birth TEXT,
    lives_with_child INTEGER NOT NULL DEFAULT 1 CHECK (lives_with_child IN (0, 1)),
    notes TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, id)
) WITHOUT ROWID;

CREATE TABLE agencies (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, position)
) WITHOUT ROWID;

-- Checklist definitions as they were when a run started, stored once per distinct content.
CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    checklist_id TEXT NOT NULL,
    checklist_version INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    definition TEXT NOT NULL
);

CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    checklist_id TEXT NOT NULL,
    checklist_version INTEGER NOT NULL,
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
    practitioner TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'returned', 'signed_off')),
    position INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    amends_run_id INTEGER REFERENCES runs(id),
    case_snapshot TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    signed_off_at TEXT,
    signed_off_by TEXT
);
CREATE INDEX runs_case ON runs(case_id);
CREATE INDEX runs_amends ON runs(amends_run_id);

CREATE TABLE answers (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    prompt_id TEXT NOT NULL,
    value TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    how_known TEXT CHECK (how_known IS NULL OR how_known IN ('seen', 'reported', 'judgement')),
    reported_by TEXT NOT NULL DEFAULT '',
    answered_at TEXT NOT NULL,
    answered_by TEXT NOT NULL,
    PRIMARY KEY (run_id, prompt_id)
) WITHOUT ROWID;

CREATE TABLE flags (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    flag_id TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('urgent', 'act', 'consider', 'info')),
    message TEXT NOT NULL,
    action TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    cleared_at TEXT
);
CREATE UNIQUE INDEX flags_open ON flags(run_id, flag_id) WHERE cleared_at IS NULL;
CREATE INDEX flags_run ON flags(run_id, raised_at);

CREATE TABLE flag_responses (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    flag_id TEXT NOT NULL,
    action_taken TEXT NOT NULL DEFAULT '',
    by_whom TEXT NOT NULL DEFAULT '',
    by_when TEXT NOT NULL DEFAULT '',
    reason_not_acting TEXT NOT NULL DEFAULT '',
    responded_at TEXT NOT NULL,
    responded_by TEXT NOT NULL,
    PRIMARY KEY (run_id, flag_id)
) WITHOUT ROWID;

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    supervisor TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('signed_off', 'returned', 'comment')),
    comment TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE INDEX reviews_run ON reviews(run_id, at);

-- Every change: who, when, what. Each row's hash covers its content and the previous row's hash
-- (prev_hash, whole database) and the previous row of the same run (run_prev_hash).
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    run_id INTEGER,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    prev_hash TEXT NOT NULL,
    run_prev_hash TEXT,
    hash TEXT NOT NULL
);
CREATE INDEX audit_run ON audit(run_id, id);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only and cannot be changed'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only and cannot be changed'); END;

CREATE TRIGGER runs_signed_off_update BEFORE UPDATE ON runs WHEN OLD.status = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END;
CREATE TRIGGER runs_signed_off_delete BEFORE DELETE ON runs WHEN OLD.status = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END;

CREATE TRIGGER answers_signed_off_insert BEFORE INSERT ON answers
WHEN (SELECT status FROM runs WHERE id = NEW.run_id) = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END;
CREATE TRIGGER answers_signed_off_update BEFORE UPDATE ON answers
WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'signed_off'
  OR (SELECT status FROM runs WHERE id = NEW.run_id) = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END;
CREATE TRIGGER answers_signed_off_delete BEFORE DELETE ON answers
WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END;

CREATE TRIGGER flags_signed_off_insert BEFORE INSERT ON flags
WHEN (SELECT status FROM runs WHERE id = NEW.run_id) = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END;
CREATE TRIGGER flags_signed_off_update BEFORE UPDATE ON flags
WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'signed_off'
  OR (SELECT status FROM runs WHERE id = NEW.run_id) = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END;
CREATE TRIGGER flags_signed_off_delete BEFORE DELETE ON flags
WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END;

CREATE TRIGGER flag_responses_signed_off_insert BEFORE INSERT ON flag_responses
WHEN (SELECT status FROM runs WHERE id = NEW.run_id) = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END;
CREATE TRIGGER flag_responses_signed_off_update BEFORE UPDATE ON flag_responses
WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'signed_off'
  OR (SELECT status FROM runs WHERE id = NEW.run_id) = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END;
CREATE TRIGGER flag_responses_signed_off_delete BEFORE DELETE ON flag_responses
WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'signed_off'
BEGIN SELECT RAISE(ABORT, 'This checklist has been signed off and cannot be changed'); END;
