-- Seed data: the consultation types and the hosts of the local stack (the intro-call desk and one
-- doctor at each of the first two seed clinics of the catalog). Fixed ids so that tests and the
-- dashboard can name them.

INSERT INTO consultation_types (code, name, duration_minutes, min_cancel_notice_minutes) VALUES
  ('intro_call', 'Intro call', 30, 120),
  ('video_consultation', 'Medical video consultation', 45, 1440),
  ('clinic_visit', 'Clinic visit', 180, 2880);

INSERT INTO hosts (id, name, kind, time_zone, consultation_types, working_hours, exceptions,
                   buffer_before_minutes, buffer_after_minutes, min_notice_minutes, horizon_days,
                   clinic_id) VALUES
  ('d1000000-0000-4000-8000-000000000001', 'CareBridge intro desk (Berlin)', 'COORDINATOR',
   'Europe/Berlin', '{intro_call}',
   '[{"weekday":1,"startMinute":540,"endMinute":1020},{"weekday":2,"startMinute":540,"endMinute":1020},
     {"weekday":3,"startMinute":540,"endMinute":1020},{"weekday":4,"startMinute":540,"endMinute":1020},
     {"weekday":5,"startMinute":540,"endMinute":960}]',
   '[]', 0, 10, 120, 60, NULL),
  ('d1000000-0000-4000-8000-000000000002', 'Dr. Aiko Tanaka (Hoshizora)', 'CLINIC_DOCTOR',
   'Asia/Tokyo', '{video_consultation,clinic_visit}',
   '[{"weekday":1,"startMinute":540,"endMinute":720},{"weekday":1,"startMinute":780,"endMinute":1080},
     {"weekday":2,"startMinute":540,"endMinute":720},{"weekday":2,"startMinute":780,"endMinute":1080},
     {"weekday":3,"startMinute":540,"endMinute":720},{"weekday":3,"startMinute":780,"endMinute":1080},
     {"weekday":4,"startMinute":540,"endMinute":720},{"weekday":4,"startMinute":780,"endMinute":1080},
     {"weekday":5,"startMinute":540,"endMinute":720},{"weekday":5,"startMinute":780,"endMinute":1080},
     {"weekday":6,"startMinute":540,"endMinute":720}]',
   '[]', 5, 10, 1440, 90, 'c1000000-0000-4000-8000-000000000001'),
  ('d1000000-0000-4000-8000-000000000003', 'Dr. Kenji Mori (Sakuragawa)', 'CLINIC_DOCTOR',
   'Asia/Tokyo', '{video_consultation,clinic_visit}',
   '[{"weekday":2,"startMinute":600,"endMinute":1140},{"weekday":4,"startMinute":600,"endMinute":1140},
     {"weekday":6,"startMinute":540,"endMinute":780}]',
   '[]', 0, 15, 1440, 90, 'c1000000-0000-4000-8000-000000000002');
