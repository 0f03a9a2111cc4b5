//! Development data for benchmarks: calendar events for many users at once,
//! in one set-based statement (`generate_series`). Values come from a hash of
//! (user, row), so a seed is reproducible. Never used by the running service.

use diesel::sql_types::{Array, BigInt, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use kernel::RepoError;
use uuid::Uuid;

/// Inserts `per_user` events for every user of `users` (whose time zones are
/// `timezones`, by position, cycling): one in ten an endless weekly, monthly or
/// yearly series started in the last two years, one in twenty an all-day event, the others timed one-off
/// events from two years ago to a year ahead. Returns the rows inserted.
pub async fn seed_events(
    conn: &mut AsyncPgConnection,
    users: &[Uuid],
    timezones: &[String],
    per_user: i64,
) -> Result<usize, RepoError> {
    let inserted = diesel::sql_query(
        "INSERT INTO calendar.events \
           (id, user_id, uid, title, description, location, starts_at, ends_at, all_day, \
            start_date, end_date, timezone, rrule, series_ends_at, sequence, created_at, updated_at) \
         SELECT e.id, e.user_id, e.id::text || '@my-agent', e.title, e.description, e.location, \
                e.starts_at, e.ends_at, e.all_day, e.start_date, e.end_date, e.tz, e.rrule, \
                CASE WHEN e.rrule IS NOT NULL THEN timestamptz '9999-12-31 00:00:00+00' ELSE e.ends_at END, \
                0, least(e.starts_at, now()) - interval '14 days', least(e.starts_at, now()) - interval '14 days' \
         FROM ( \
           SELECT gen_random_uuid() AS id, s.user_id, s.tz, s.title, s.description, s.location, s.rrule, \
                  s.all_day, \
                  CASE WHEN s.all_day THEN s.day::timestamp AT TIME ZONE s.tz ELSE s.starts END AS starts_at, \
                  CASE WHEN s.all_day THEN (s.day + 1)::timestamp AT TIME ZONE s.tz \
                       ELSE s.starts + make_interval(mins => 30 * (1 + mod(s.h2, 4)::int)) END AS ends_at, \
                  CASE WHEN s.all_day THEN s.day END AS start_date, \
                  CASE WHEN s.all_day THEN s.day + 1 END AS end_date \
           FROM ( \
             SELECT u.user_id, ($2)[1 + mod(u.n - 1, cardinality($2))] AS tz, h.h2, \
                    (ARRAY['Team meeting','Dentist','Lunch with Sam','Yoga','Flight to Lisbon', \
                           'Parents evening','1:1','Concert','Book club','Car service'])[1 + mod(h.h1, 10)] AS title, \
                    CASE WHEN mod(h.h1, 4) = 0 THEN 'Seeded event' END AS description, \
                    CASE WHEN mod(h.h1, 3) = 0 THEN (ARRAY['Office','Home','Downtown'])[1 + mod(h.h2, 3)] END AS location, \
                    CASE WHEN mod(h.h3, 10) = 0 \
                         THEN (ARRAY['FREQ=WEEKLY','FREQ=WEEKLY','FREQ=MONTHLY','FREQ=YEARLY'])[1 + mod(h.h3 / 10, 4)] END AS rrule, \
                    mod(h.h3, 20) = 5 AS all_day, \
                    current_date + (mod(h.h4, 1095)::int - 730) AS day, \
                    CASE WHEN mod(h.h3, 10) = 0 \
                         THEN date_trunc('hour', now()) - make_interval(hours => 24 + mod(h.h4, 17520)::int) \
                         ELSE date_trunc('hour', now()) + make_interval(hours => mod(h.h4, 26280)::int - 17520) END AS starts \
             FROM unnest($1) WITH ORDINALITY AS u(user_id, n) \
             CROSS JOIN generate_series(1::bigint, $3) AS g(i) \
             CROSS JOIN LATERAL ( \
               SELECT abs(hashint8((abs(hashtext(u.user_id::text))::bigint * 10000000 + g.i) * 8 + 1)::bigint) AS h1, \
                      abs(hashint8((abs(hashtext(u.user_id::text))::bigint * 10000000 + g.i) * 8 + 2)::bigint) AS h2, \
                      abs(hashint8((abs(hashtext(u.user_id::text))::bigint * 10000000 + g.i) * 8 + 3)::bigint) AS h3, \
                      abs(hashint8((abs(hashtext(u.user_id::text))::bigint * 10000000 + g.i) * 8 + 4)::bigint) AS h4 \
             ) AS h \
           ) AS s \
         ) AS e",
    )
    .bind::<Array<SqlUuid>, _>(users)
    .bind::<Array<Text>, _>(timezones)
    .bind::<BigInt, _>(per_user)
    .execute(conn)
    .await?;
    Ok(inserted)
}
