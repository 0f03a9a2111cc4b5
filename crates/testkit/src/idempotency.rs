//! Conformance checks every module's `Idempotency-Key` create must pass, so
//! each module's tests state only what differs (its path, body and table).

use crate::{TestApp, TestResponse, TestUser};
use actix_web::http::Method;
use serde_json::{Value, json};

impl TestApp {
    /// `POST path` as `user` with a JSON body and an `Idempotency-Key`.
    pub async fn post_keyed(
        &self,
        user: &TestUser,
        path: &str,
        key: &str,
        body: &Value,
    ) -> TestResponse {
        let req = self
            .request_as(&user.access_token, Method::POST, path)
            .insert_header(("content-type", "application/json"))
            .insert_header(("Idempotency-Key", key.to_owned()));
        self.send(req, Some(serde_json::to_vec(body).expect("json")))
            .await
    }

    /// Rows of `table` (`schema.table`) owned by `user`, read directly from the database.
    pub async fn rows_of(&self, table: &str, user: &TestUser) -> i64 {
        self.db().rows_of(table, user.user_id).await
    }
}

/// The same key with the same JSON (re-spaced, keys in another order) replays
/// the first answer (`Idempotent-Replayed: true`, same Location and body) and
/// writes no second row of `table`; another user's same key is theirs alone.
pub async fn replays_without_a_second_row(app: &TestApp, path: &str, body: &Value, table: &str) {
    let user = app.register_user().await;
    let first = app.post_keyed(&user, path, "same", body).await;
    assert_eq!(first.status, 201, "{}", first.text());
    assert_eq!(first.header("idempotent-replayed"), None);
    assert!(first.header("etag").is_some());
    let id = first.json()["id"].as_str().expect("id").to_owned();
    assert_eq!(
        first.header("location"),
        Some(format!("{path}/{id}").as_str())
    );

    let fields = body.as_object().expect("a JSON object body");
    let reordered: Vec<String> = fields
        .iter()
        .rev()
        .map(|(k, v)| format!("  {} :  {}", Value::from(k.as_str()), v))
        .collect();
    let raw = format!("{{ {} }}", reordered.join(" ,\n"));
    let req = app
        .request_as(&user.access_token, Method::POST, path)
        .insert_header(("content-type", "application/json"))
        .insert_header(("Idempotency-Key", "same"));
    let second = app.send(req, Some(raw.into_bytes())).await;
    assert_eq!(second.status, 201, "{}", second.text());
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    assert_eq!(second.header("location"), first.header("location"));
    assert_eq!(second.json(), first.json());
    assert_eq!(app.rows_of(table, &user).await, 1);

    let read = app.get_as(&user, &format!("{path}/{id}")).await;
    assert_eq!(read.status, 200);
    assert_eq!(
        read.json(),
        first.json(),
        "the replayed resource is the one stored"
    );

    let other = app.register_user().await;
    let theirs = app.post_keyed(&other, path, "same", body).await;
    assert_eq!(theirs.status, 201);
    assert_eq!(
        theirs.header("idempotent-replayed"),
        None,
        "keys are per user"
    );
    assert_ne!(theirs.json()["id"], first.json()["id"]);
    assert_eq!(app.rows_of(table, &user).await, 1);
}

/// Eight concurrent creates with one key make one row in `table`: one
/// original answer, seven replays, all naming the same resource.
pub async fn racing_requests_create_one(app: &TestApp, path: &str, body: &Value, table: &str) {
    let user = app.register_user().await;
    let responses =
        futures_util::future::join_all((0..8).map(|_| app.post_keyed(&user, path, "race", body)))
            .await;
    let ids: Vec<Value> = responses
        .iter()
        .map(|r| {
            assert_eq!(r.status, 201, "{}", r.text());
            r.json()["id"].clone()
        })
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    let originals = responses
        .iter()
        .filter(|r| r.header("idempotent-replayed").is_none())
        .count();
    assert_eq!(originals, 1);
    assert_eq!(app.rows_of(table, &user).await, 1);
    let keys = format!(
        "{}.idempotency_keys",
        table.split('.').next().unwrap_or_default()
    );
    assert_eq!(app.rows_of(&keys, &user).await, 1);
}

/// Closing an account erases its rows of `tables` (its keys included) and
/// leaves another user's untouched.
pub async fn closing_the_account_erases(app: &TestApp, path: &str, body: &Value, tables: &[&str]) {
    let user = app.register_user().await;
    let other = app.register_user().await;
    for who in [&user, &other] {
        assert_eq!(app.post_keyed(who, path, "k", body).await.status, 201);
    }
    let res = app
        .call_as(
            &user,
            Method::DELETE,
            "/api/v1/users/me",
            Some(&json!({"password": user.password})),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text());
    for table in tables {
        let counts = (
            app.rows_of(table, &user).await,
            app.rows_of(table, &other).await,
        );
        assert_eq!((table, counts), (table, (0, 1)));
    }
}

/// The create at `path` documents the header, its 422 and the replay marker.
pub async fn documented(app: &TestApp, path: &str) {
    let doc = app.get("/api/v1/openapi.json").await.json();
    let op = &doc["paths"][path]["post"];
    let header = op["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == "Idempotency-Key"))
        .unwrap_or_else(|| panic!("Idempotency-Key is not documented on POST {path}: {op}"));
    assert_eq!(header["in"], "header");
    assert_eq!(header["required"], false);
    let unprocessable = op["responses"]["422"]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(
        unprocessable.contains("Idempotency-Key reused with another body"),
        "{unprocessable}"
    );
    assert!(
        op["responses"]["201"]["headers"]["Idempotent-Replayed"].is_object(),
        "{op}"
    );
}
