//! Diesel table definitions of the `finances` schema (see migrations/).

diesel::table! {
    finances.categories (id) {
        id -> Uuid,
        user_id -> Uuid,
        name -> Text,
        name_key -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    finances.transactions (id) {
        id -> Uuid,
        user_id -> Uuid,
        kind -> Text,
        amount -> Numeric,
        occurred_on -> Date,
        category_id -> Nullable<Uuid>,
        description -> Nullable<Text>,
        external_id -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    finances.budgets (id) {
        id -> Uuid,
        user_id -> Uuid,
        category_id -> Uuid,
        month -> Date,
        limit_amount -> Numeric,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(categories, transactions, budgets);
