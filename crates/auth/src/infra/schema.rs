//! Diesel table definitions of the `auth` schema (see migrations/).

diesel::table! {
    auth.credentials (id) {
        id -> Uuid,
        user_id -> Uuid,
        email -> Text,
        password_hash -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    auth.sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        refresh_hash -> Bytea,
        user_agent -> Nullable<Text>,
        ip -> Nullable<Text>,
        last_used_at -> Timestamptz,
        expires_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    auth.personal_access_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        name -> Text,
        scope -> Text,
        token_hash -> Bytea,
        last_used_at -> Nullable<Timestamptz>,
        expires_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}
