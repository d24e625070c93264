-- bench/catalog: replaces the catalog's clinics and protocols with :'protocols' generated protocols
-- (five per clinic), spread like the real catalog: mostly Japan, some Mexico, Turkey and the USA;
-- mostly stroke; autologous and allogeneic, IV and intrathecal; 5% of clinics with an expired
-- licence and 3% of protocols without an ASRM plan (hidden from search, as in production).
\set ON_ERROR_STOP on
BEGIN;
DELETE FROM catalog.protocols;
DELETE FROM catalog.clinics;
INSERT INTO catalog.clinics (name, country, city, time_zone, license_authority, license_number,
                             license_verified_at, license_expires_at, cpc_accredited, languages,
                             interpreter_support)
SELECT 'Bench Clinic ' || substr(md5(i::text), 1, 8) || ' ' || i,
       (ARRAY['JP','JP','JP','JP','JP','JP','MX','MX','TR','US'])[1 + i % 10],
       'City ' || (i % 50), 'Asia/Tokyo', 'MHLW', 'BENCH-' || i,
       now() - interval '30 days',
       CASE WHEN i % 20 = 0 THEN now() - interval '1 day' ELSE now() + interval '700 days' END,
       i % 3 <> 0,
       (ARRAY['{ja}', '{ja,en}', '{en,es}', '{tr,en,ru}'])[1 + (i / 10) % 4]::text[],
       i % 5 <> 0
FROM generate_series(1, GREATEST(1, :protocols / 5)) AS i;
INSERT INTO catalog.protocols (clinic_id, condition, cell_source, cell_type, route,
                               cell_count_millions, price_usd_min, price_usd_max,
                               culture_weeks_min, culture_weeks_max, trips, trip_days_min,
                               trip_days_max, outcome_measures, side_effects, asrm_risk_class,
                               asrm_plan_number, asrm_committee)
SELECT c.id,
       (ARRAY['stroke','stroke','stroke','stroke','stroke','stroke','stroke','crohns','crohns',
              'spinal-cord-injury'])[1 + (c.n * 7 + j) % 10],
       CASE WHEN j % 2 = 0 THEN 'AUTOLOGOUS' ELSE 'ALLOGENEIC' END,
       CASE WHEN j % 2 = 0 THEN 'ADSC' ELSE 'UMBILICAL_CORD_MSC' END,
       CASE WHEN (c.n + j) % 3 = 0 THEN 'INTRATHECAL' ELSE 'INTRAVENOUS' END,
       CASE WHEN j % 2 = 0 THEN 100 ELSE 200 END,
       p.price, p.price + 8000,
       CASE WHEN j % 2 = 0 THEN 3 ELSE 0 END, CASE WHEN j % 2 = 0 THEN 5 ELSE 0 END,
       CASE WHEN j % 2 = 0 THEN 2 ELSE 1 END, CASE WHEN j % 2 = 0 THEN 3 ELSE 10 END,
       CASE WHEN j % 2 = 0 THEN 3 ELSE 14 END,
       '{MRS,NIHSS}', '{"mild fever or fatigue for 24-48 h"}', 'ASRM_CLASS_II',
       CASE WHEN (c.n + j) % 33 = 0 THEN '' ELSE 'PB' || c.n || '-' || j END, 'Bench Committee'
FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM catalog.clinics) AS c,
     generate_series(1, 5) AS j,
     LATERAL (SELECT 4000 + ((c.n * 31 + j * 17) % 40) * 1000 AS price) AS p;
COMMIT;
ANALYZE catalog.clinics;
ANALYZE catalog.protocols;
