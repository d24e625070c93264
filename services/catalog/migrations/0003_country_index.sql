-- Public search filtered by country walks clinics of that country in (name, id) order and stops
-- after one page, instead of sorting every live clinic.
CREATE INDEX clinics_live_by_country_name ON clinics (country, name, id) WHERE archived_at IS NULL;
