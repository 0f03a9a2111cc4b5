//! Keyset pagination: `?limit=&cursor=` in, `{items, next_cursor}` out. No OFFSET.
//!
//! A cursor is opaque to clients: base64url of a small versioned JSON document
//! holding the sort key of the last row served. Anything that does not decode
//! to the key type the list expects is a 400.

use crate::error::ApiError;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Items per page when the client does not say.
pub const DEFAULT_LIMIT: u16 = 50;
/// The largest page a client may ask for.
pub const MAX_LIMIT: u16 = 200;
/// Longest cursor accepted; a real one is far shorter.
const MAX_CURSOR_LEN: usize = 1024;
const VERSION: u8 = 1;

/// The pagination part of a list's query string.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "http", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "http", into_params(parameter_in = Query))]
pub struct PageQuery {
    /// Items per page, 1 to 200 (default 50).
    #[cfg_attr(feature = "http", param(minimum = 1, maximum = 200))]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page; omit for the first page.
    pub cursor: Option<String>,
}

/// A validated page request: how many rows, and after which sort key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRequest<K> {
    /// Rows to return (1..=200).
    pub limit: u16,
    /// Sort key of the last row already served, if any.
    pub after: Option<K>,
}

impl<K: DeserializeOwned> PageRequest<K> {
    /// Parses a page query: a bad limit is 422, a bad cursor 400.
    pub fn parse(query: &PageQuery) -> Result<Self, ApiError> {
        let limit = match query.limit {
            None => DEFAULT_LIMIT,
            Some(n) if (1..=i64::from(MAX_LIMIT)).contains(&n) => n as u16,
            Some(_) => {
                return Err(ApiError::field(
                    "limit",
                    format!("must be between 1 and {MAX_LIMIT}"),
                ));
            }
        };
        let after = query
            .cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(Cursor::decode)
            .transpose()?;
        Ok(Self { limit, after })
    }

    /// Rows to fetch: one more than the page, to learn whether another page follows.
    pub fn fetch_limit(&self) -> i64 {
        i64::from(self.limit) + 1
    }
}

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "http", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// The rows of this page, in the list's order.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows fetched in order: the extra
    /// row, if present, only says that another page follows.
    pub fn from_rows<K: Serialize>(
        mut rows: Vec<T>,
        request_limit: u16,
        key_of: impl Fn(&T) -> K,
    ) -> Self {
        let limit = usize::from(request_limit);
        let next_cursor = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|last| Cursor::encode(&key_of(last)))
        } else {
            None
        };
        Self {
            items: rows,
            next_cursor,
        }
    }

    /// The same page with each item converted (domain → DTO).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

/// Encoding and decoding of opaque cursors.
#[derive(Debug)]
pub struct Cursor;

#[derive(Serialize, Deserialize)]
struct Envelope<K> {
    v: u8,
    k: K,
}

impl Cursor {
    /// Encodes a sort key as an opaque cursor.
    pub fn encode<K: Serialize>(key: &K) -> String {
        let json = serde_json::to_vec(&Envelope { v: VERSION, k: key }).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    /// Decodes a cursor made by [`Cursor::encode`] for the same key type; 400 otherwise.
    pub fn decode<K: DeserializeOwned>(cursor: &str) -> Result<K, ApiError> {
        let invalid = || {
            ApiError::BadRequest(
                "the cursor is invalid; use a next_cursor exactly as received".into(),
            )
        };
        if cursor.len() > MAX_CURSOR_LEN {
            return Err(invalid());
        }
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
        let envelope: Envelope<K> = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        if envelope.v != VERSION {
            return Err(invalid());
        }
        Ok(envelope.k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use uuid::Uuid;

    type Key = (NaiveDate, Uuid);

    fn query(limit: Option<i64>, cursor: Option<&str>) -> PageQuery {
        PageQuery {
            limit,
            cursor: cursor.map(str::to_owned),
        }
    }

    #[test]
    fn cursor_round_trips() {
        let key: Key = (
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            Uuid::now_v7(),
        );
        let cursor = Cursor::encode(&key);
        assert!(
            cursor
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(Cursor::decode::<Key>(&cursor).unwrap(), key);
    }

    #[test]
    fn tampered_cursors_are_bad_requests() {
        let key: Key = (NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), Uuid::nil());
        let good = Cursor::encode(&key);
        let mut flipped = good.clone().into_bytes();
        flipped[3] = if flipped[3] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(flipped).unwrap();
        for bad in [
            "not base64 !".to_owned(),
            flipped,
            URL_SAFE_NO_PAD.encode(br#"{"v":1,"k":"nope"}"#),
            URL_SAFE_NO_PAD
                .encode(br#"{"v":2,"k":["2026-01-01","00000000-0000-0000-0000-000000000000"]}"#),
            "A".repeat(5000),
        ] {
            let err = Cursor::decode::<Key>(&bad).unwrap_err();
            assert_eq!(err.status(), 400, "{bad}");
        }
    }

    #[test]
    fn limits_are_checked() {
        assert_eq!(
            PageRequest::<Key>::parse(&query(None, None)).unwrap().limit,
            50
        );
        assert_eq!(
            PageRequest::<Key>::parse(&query(Some(200), None))
                .unwrap()
                .limit,
            200
        );
        for bad in [0, -1, 201, i64::MAX] {
            let err = PageRequest::<Key>::parse(&query(Some(bad), None)).unwrap_err();
            assert_eq!(err.status(), 422, "{bad}");
        }
        assert!(
            PageRequest::<Key>::parse(&query(None, Some("")))
                .unwrap()
                .after
                .is_none()
        );
    }

    #[test]
    fn pages_know_whether_more_follow() {
        let page = Page::from_rows(vec![1, 2, 3], 2, |n| *n);
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(
            Cursor::decode::<i32>(page.next_cursor.as_deref().unwrap()).unwrap(),
            2
        );
        let last = Page::from_rows(vec![1, 2], 2, |n| *n);
        assert_eq!(last.next_cursor, None);
    }
}
