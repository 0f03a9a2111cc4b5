//! Diesel table definitions of the `calendar` schema (see migrations/).

diesel::table! {
    calendar.events (id) {
        id -> Uuid,
        user_id -> Uuid,
        uid -> Text,
        title -> Text,
        description -> Nullable<Text>,
        location -> Nullable<Text>,
        starts_at -> Timestamptz,
        ends_at -> Timestamptz,
        all_day -> Bool,
        start_date -> Nullable<Date>,
        end_date -> Nullable<Date>,
        timezone -> Text,
        rrule -> Nullable<Text>,
        series_ends_at -> Timestamptz,
        sequence -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    calendar.event_exceptions (id) {
        id -> Uuid,
        user_id -> Uuid,
        event_id -> Uuid,
        occurrence_start -> Timestamptz,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    calendar.feed_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(event_exceptions -> events (event_id));
diesel::allow_tables_to_appear_in_same_query!(events, event_exceptions, feed_tokens);
