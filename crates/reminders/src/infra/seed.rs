//! Development data for benchmarks: reminders for many users at once, in one
//! set-based statement (`generate_series`). Values come from a hash of
//! (user, row), so a seed is reproducible. Never used by the running service.

use diesel::sql_types::{Array, BigInt, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use kernel::RepoError;
use uuid::Uuid;

/// Inserts `per_user` reminders for every user of `users`: one in ten a
/// recurring series (daily, weekly or monthly, due within the next month),
/// the others one-off, due within a year either side of now, the past ones
/// mostly done. Returns the rows inserted.
pub async fn seed_reminders(
    conn: &mut AsyncPgConnection,
    users: &[Uuid],
    per_user: i64,
) -> Result<usize, RepoError> {
    let inserted = diesel::sql_query(
        "INSERT INTO reminders.reminders \
           (id, user_id, title, notes, due_at, priority, status, completed_at, \
            rrule, repeat_from, dtstart, scheduled_at, created_at, updated_at) \
         SELECT gen_random_uuid(), s.user_id, s.title, s.notes, s.due_at, s.priority, \
                CASE WHEN s.done THEN 'done' ELSE 'pending' END, \
                CASE WHEN s.done THEN s.due_at + interval '1 hour' END, \
                s.rrule, \
                CASE WHEN s.rrule IS NOT NULL THEN 'due' END, \
                CASE WHEN s.rrule IS NOT NULL THEN s.due_at END, \
                CASE WHEN s.rrule IS NOT NULL THEN s.due_at END, \
                least(s.due_at, now()) - interval '7 days', least(s.due_at, now()) - interval '7 days' \
         FROM ( \
           SELECT u.user_id, \
                  (ARRAY['Pay rent','Call the dentist','Renew passport','Water the plants', \
                         'Take out the recycling','Book car service','Send invoice','Buy a birthday gift', \
                         'Back up the laptop','Pick up dry cleaning'])[1 + mod(h.h1, 10)] AS title, \
                  CASE WHEN mod(h.h2, 3) = 0 THEN 'Added by the seed' END AS notes, \
                  (ARRAY['low','normal','normal','high'])[1 + mod(h.h2, 4)] AS priority, \
                  CASE WHEN mod(h.h3, 10) = 0 \
                       THEN (ARRAY['FREQ=DAILY','FREQ=WEEKLY','FREQ=MONTHLY'])[1 + mod(h.h3 / 10, 3)] END AS rrule, \
                  CASE WHEN mod(h.h3, 10) = 0 \
                       THEN date_trunc('hour', now()) + make_interval(hours => 1 + mod(h.h4, 720)::int) \
                       ELSE date_trunc('hour', now()) + make_interval(hours => mod(h.h4, 17520)::int - 8760) END AS due_at, \
                  mod(h.h3, 10) <> 0 AND mod(h.h4, 17520) < 8700 AND mod(h.h5, 10) <> 0 AS done \
           FROM unnest($1) AS u(user_id) \
           CROSS JOIN generate_series(1::bigint, $2) AS g(i) \
           CROSS JOIN LATERAL ( \
             SELECT abs(hashint8((abs(hashtext(u.user_id::text))::bigint * 10000000 + g.i) * 8 + 1)::bigint) AS h1, \
                    abs(hashint8((abs(hashtext(u.user_id::text))::bigint * 10000000 + g.i) * 8 + 2)::bigint) AS h2, \
                    abs(hashint8((abs(hashtext(u.user_id::text))::bigint * 10000000 + g.i) * 8 + 3)::bigint) AS h3, \
                    abs(hashint8((abs(hashtext(u.user_id::text))::bigint * 10000000 + g.i) * 8 + 4)::bigint) AS h4, \
                    abs(hashint8((abs(hashtext(u.user_id::text))::bigint * 10000000 + g.i) * 8 + 5)::bigint) AS h5 \
           ) AS h \
         ) AS s",
    )
    .bind::<Array<SqlUuid>, _>(users)
    .bind::<BigInt, _>(per_user)
    .execute(conn)
    .await?;
    Ok(inserted)
}
