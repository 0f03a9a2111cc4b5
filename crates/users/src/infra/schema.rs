//! Diesel table definitions of the `users` schema (see migrations/).

diesel::table! {
    users.profiles (id) {
        id -> Uuid,
        user_id -> Uuid,
        display_name -> Nullable<Text>,
        timezone -> Text,
        currency -> Text,
        locale -> Text,
        week_start -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}
