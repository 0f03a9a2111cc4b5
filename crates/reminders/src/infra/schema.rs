//! Diesel table definitions of the `reminders` schema (see migrations/).

diesel::table! {
    reminders.reminders (id) {
        id -> Uuid,
        user_id -> Uuid,
        title -> Text,
        notes -> Nullable<Text>,
        due_at -> Timestamptz,
        priority -> Text,
        status -> Text,
        completed_at -> Nullable<Timestamptz>,
        rrule -> Nullable<Text>,
        repeat_from -> Nullable<Text>,
        dtstart -> Nullable<Timestamptz>,
        scheduled_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}
