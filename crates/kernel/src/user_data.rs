//! Everything a module keeps about a user, as a port: erasing it inside the
//! account-deletion transaction, and streaming it into the account export.
//! Each module implements [`UserDataOwner`] over its own use cases; the binary
//! lists them all, so no module's data can be forgotten by the other modules.

use crate::error::ApiError;
use crate::ids::UserId;
use crate::tx::Tx;
use futures_util::stream::BoxStream;

/// A stream of export records (JSON values), read page by page from the module.
pub type ExportStream = BoxStream<'static, Result<serde_json::Value, ApiError>>;

/// A module's share of a user's data.
#[async_trait::async_trait]
pub trait UserDataOwner: Send + Sync {
    /// The module's name (`finances`).
    fn module(&self) -> &'static str;

    /// Deletes every row of the user in the module's schema, inside the
    /// caller's transaction; returns the number of rows deleted.
    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, ApiError>;

    /// The export sections this module writes, in order (`transactions`, `categories`).
    fn export_sections(&self) -> &'static [&'static str];

    /// The records of one section, streamed.
    fn export(&self, user_id: UserId, section: &'static str) -> ExportStream;
}

/// A page of export records and the key to continue after, if more follow.
pub type ExportPage<K> = (Vec<serde_json::Value>, Option<K>);

/// Streams a keyset-paginated listing: `fetch(after)` returns one page and the
/// key to continue from (`None` when it was the last). Memory stays bounded
/// by one page whatever the number of rows.
pub fn paginate<K, F, Fut>(fetch: F) -> ExportStream
where
    K: Send + 'static,
    F: FnMut(Option<K>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<ExportPage<K>, ApiError>> + Send + 'static,
{
    use futures_util::StreamExt as _;
    use futures_util::stream;

    enum State<K> {
        Next(Option<K>),
        Done,
    }
    stream::unfold(
        (fetch, State::Next(None)),
        |(mut fetch, state)| async move {
            let State::Next(after) = state else {
                return None;
            };
            match fetch(after).await {
                Ok((items, next)) => {
                    let state = match next {
                        Some(key) => State::Next(Some(key)),
                        None => State::Done,
                    };
                    Some((
                        stream::iter(items.into_iter().map(Ok)).boxed(),
                        (fetch, state),
                    ))
                }
                Err(err) => Some((stream::iter([Err(err)]).boxed(), (fetch, State::Done))),
            }
        },
    )
    .flatten()
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt as _;

    #[tokio::test]
    async fn paginate_walks_every_page_then_stops() {
        let stream = paginate(|after: Option<u32>| async move {
            let start = after.unwrap_or(0);
            let items: Vec<serde_json::Value> = (start..(start + 3).min(7))
                .map(serde_json::Value::from)
                .collect();
            let next = (start + 3 < 7).then_some(start + 3);
            Ok((items, next))
        });
        let all: Vec<_> = stream.map(|r| r.unwrap()).collect().await;
        assert_eq!(all, (0..7).map(serde_json::Value::from).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn paginate_stops_at_the_first_error() {
        let stream = paginate(|after: Option<u32>| async move {
            match after {
                None => Ok((vec![serde_json::Value::from(1)], Some(1))),
                Some(_) => Err(ApiError::NotFound),
            }
        });
        let all: Vec<_> = stream.collect().await;
        assert_eq!(all.len(), 2);
        assert!(all[1].is_err());
    }
}
