-- The catalog schema: destination countries with their cost range per condition, licensed clinics,
-- and the treatment protocols they offer. Applied with search_path set to this schema.
--
-- Enumerations are stored as the proto enum value names (checked here and in the validator).
-- Offerability is not stored: it depends on the time (licence expiry), so queries compute it.

CREATE TABLE countries (
  code             char(2) PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
  name             text NOT NULL,
  regulatory_level text NOT NULL CHECK (regulatory_level IN ('REGULATORY_LEVEL_MODERATE',
                     'REGULATORY_LEVEL_HIGH', 'REGULATORY_LEVEL_VERY_HIGH')),
  regulatory_note  text NOT NULL DEFAULT '',
  regulator        text NOT NULL,
  -- The country's regulation requires each therapy's risk class, provision plan and certified
  -- committee (Japan's ASRM); protocols without them are not offered.
  plan_required    boolean NOT NULL DEFAULT false,
  display_order    integer NOT NULL UNIQUE
);

CREATE TABLE country_costs (
  country_code    char(2) NOT NULL REFERENCES countries (code),
  condition       text NOT NULL,
  cost_usd_min    bigint NOT NULL CHECK (cost_usd_min >= 0),
  cost_usd_max    bigint NOT NULL,
  cost_open_ended boolean NOT NULL DEFAULT false,
  PRIMARY KEY (country_code, condition),
  CHECK (cost_usd_min <= cost_usd_max)
);

CREATE TABLE clinics (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                text NOT NULL,
  country             char(2) NOT NULL REFERENCES countries (code),
  city                text NOT NULL,
  time_zone           text NOT NULL,
  license_authority   text NOT NULL,
  license_number      text NOT NULL,
  license_verified_at timestamptz NOT NULL,
  license_expires_at  timestamptz NOT NULL,
  cpc_accredited      boolean NOT NULL DEFAULT false,
  languages           text[] NOT NULL DEFAULT '{}',
  interpreter_support boolean NOT NULL DEFAULT false,
  contact_email       text NOT NULL DEFAULT '',
  contact_phone       text NOT NULL DEFAULT '',
  contact_website     text NOT NULL DEFAULT '',
  archived_at         timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (license_expires_at > license_verified_at)
);

-- Keyset paging in (name, id) order; the partial index serves public search and the full one
-- admin listing with archived clinics.
CREATE INDEX clinics_live_by_name ON clinics (name, id) WHERE archived_at IS NULL;
CREATE INDEX clinics_by_name ON clinics (name, id);

CREATE TABLE protocols (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  clinic_id           uuid NOT NULL REFERENCES clinics (id),
  condition           text NOT NULL,
  cell_source         text NOT NULL CHECK (cell_source IN ('AUTOLOGOUS', 'ALLOGENEIC')),
  cell_type           text NOT NULL CHECK (cell_type IN ('ADSC', 'UMBILICAL_CORD_MSC',
                        'MODIFIED_MSC', 'BONE_MARROW_MSC')),
  route               text NOT NULL CHECK (route IN ('INTRAVENOUS', 'INTRATHECAL')),
  cell_count_millions integer NOT NULL CHECK (cell_count_millions > 0),
  price_usd_min       bigint NOT NULL CHECK (price_usd_min > 0),
  price_usd_max       bigint NOT NULL,
  culture_weeks_min   integer NOT NULL DEFAULT 0,
  culture_weeks_max   integer NOT NULL DEFAULT 0,
  trips               integer NOT NULL CHECK (trips BETWEEN 1 AND 4),
  trip_days_min       integer NOT NULL,
  trip_days_max       integer NOT NULL,
  outcome_measures    text[] NOT NULL DEFAULT '{}',
  side_effects        text[] NOT NULL DEFAULT '{}',
  asrm_risk_class     text NOT NULL DEFAULT '' CHECK (asrm_risk_class IN ('', 'ASRM_CLASS_I',
                        'ASRM_CLASS_II', 'ASRM_CLASS_III')),
  asrm_plan_number    text NOT NULL DEFAULT '',
  asrm_committee      text NOT NULL DEFAULT '',
  asrm_checked_at     timestamptz,
  archived_at         timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (price_usd_min <= price_usd_max),
  CHECK (culture_weeks_min <= culture_weeks_max),
  CHECK (trip_days_min BETWEEN 1 AND trip_days_max)
);

CREATE INDEX protocols_by_clinic ON protocols (clinic_id, price_usd_min, id);
CREATE INDEX protocols_live_by_condition ON protocols (condition, clinic_id)
  WHERE archived_at IS NULL;
