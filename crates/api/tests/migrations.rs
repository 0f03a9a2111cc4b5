//! Every migration applies to an empty database, reverts, and re-applies; the
//! result obeys the house rules that the catalog can show (R3, R4, R6).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use diesel::sql_types::{BigInt, Text};
use diesel_async::RunQueryDsl;
use kernel::infra::migrations;
use kernel::infra::testkit::TestDb;

#[derive(diesel::QueryableByName, Debug)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName, Debug, PartialEq)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

const MODULE_SCHEMAS: [&str; 5] = ["auth", "users", "finances", "reminders", "calendar"];

async fn schemas(db: &TestDb) -> Vec<String> {
    let mut conn = db.connect().await;
    let rows: Vec<Name> = diesel::sql_query(
        "SELECT nspname::text AS name FROM pg_namespace \
         WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'public') \
         ORDER BY 1",
    )
    .load(&mut conn)
    .await
    .unwrap();
    rows.into_iter().map(|r| r.name).collect()
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    let mut conn = db.connect().await;
    let rows: Vec<Count> = diesel::sql_query(sql).load(&mut conn).await.unwrap();
    rows[0].n
}

#[actix_web::test]
async fn migrations_apply_revert_and_reapply() {
    let db = TestDb::empty().await;
    let total = migrations::embedded_versions().unwrap().len();
    assert!(total >= 1);

    let applied = migrations::run_pending(db.url()).await.unwrap();
    assert_eq!(applied.len(), total);
    let mut expected: Vec<String> = MODULE_SCHEMAS.iter().map(|s| (*s).to_owned()).collect();
    expected.sort();
    assert_eq!(schemas(&db).await, expected);
    assert!(
        migrations::run_pending(db.url()).await.unwrap().is_empty(),
        "idempotent"
    );

    let reverted = migrations::revert_all(db.url()).await.unwrap();
    assert_eq!(reverted.len(), total);
    assert!(
        schemas(&db).await.is_empty(),
        "down migrations leave nothing behind"
    );
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM pg_tables WHERE schemaname <> 'pg_catalog' AND schemaname <> 'information_schema' AND tablename <> '__diesel_schema_migrations'").await,
        0
    );

    assert_eq!(
        migrations::run_pending(db.url()).await.unwrap().len(),
        total
    );
    let mut conn = db.connect().await;
    assert!(migrations::pending(&mut conn).await.unwrap().is_empty());
}

#[actix_web::test]
async fn last_migration_reverts_alone() {
    let db = TestDb::new().await;
    let versions = migrations::embedded_versions().unwrap();
    let reverted = migrations::revert_last(db.url()).await.unwrap();
    assert_eq!(reverted, versions.last().unwrap().0);
    let mut conn = db.connect().await;
    assert_eq!(migrations::pending(&mut conn).await.unwrap().len(), 1);
}

/// R3: the database persists, it never decides.
#[actix_web::test]
async fn no_triggers_or_functions_of_ours() {
    let db = TestDb::new().await;
    let schemas = "('auth','users','finances','reminders','calendar','public')";
    let triggers = count(
        &db,
        &format!(
            "SELECT count(*) AS n FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE NOT t.tgisinternal AND n.nspname IN {schemas}"
        ),
    )
    .await;
    assert_eq!(triggers, 0);
    let functions = count(
        &db,
        &format!(
            "SELECT count(*) AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
             WHERE n.nspname IN {schemas}"
        ),
    )
    .await;
    assert_eq!(functions, 0);
}

/// R4: nothing in `public` but the migration runner's bookkeeping.
#[actix_web::test]
async fn public_holds_only_the_migration_table() {
    let db = TestDb::new().await;
    let mut conn = db.connect().await;
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .load(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        tables,
        vec![Name {
            name: "__diesel_schema_migrations".into()
        }]
    );
}

/// R6: every table of every module schema has id, user_id, created_at, updated_at.
#[actix_web::test]
async fn every_module_table_has_the_mandatory_columns() {
    let db = TestDb::new().await;
    let mut conn = db.connect().await;
    let missing: Vec<Name> = diesel::sql_query(
        "SELECT t.table_schema || '.' || t.table_name || ' lacks ' || c.col AS name \
         FROM information_schema.tables t \
         CROSS JOIN (VALUES ('id','uuid'), ('user_id','uuid'), \
                            ('created_at','timestamp with time zone'), \
                            ('updated_at','timestamp with time zone')) AS c(col, typ) \
         WHERE t.table_schema IN ('auth','users','finances','reminders','calendar') \
           AND t.table_type = 'BASE TABLE' \
           AND NOT EXISTS (SELECT 1 FROM information_schema.columns k \
                           WHERE k.table_schema = t.table_schema AND k.table_name = t.table_name \
                             AND k.column_name = c.col AND k.data_type = c.typ AND k.is_nullable = 'NO')",
    )
    .load(&mut conn)
    .await
    .unwrap();
    assert!(missing.is_empty(), "{missing:?}");
}
