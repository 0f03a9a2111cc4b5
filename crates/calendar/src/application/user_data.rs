//! The calendar module's share of a user's data: events (with their
//! cancelled occurrences), the feed token, and the idempotency keys of its
//! creates (erased, not exported).

use super::service::CalendarService;
use crate::domain::{Event, Timing};
use kernel::user_data::{ExportStream, UserDataOwner, paginate};
use kernel::{ApiError, Tx, UserId};
use serde_json::json;

const EXPORT_PAGE: i64 = 500;

/// An event as the account export writes it.
pub fn export_record(e: &Event) -> serde_json::Value {
    let (starts_at, ends_at) = match e.timing {
        Timing::Timed { starts_at, ends_at } => (json!(starts_at), json!(ends_at)),
        Timing::AllDay { start, end } => (json!(start), json!(end)),
    };
    json!({
        "id": e.id,
        "uid": e.uid,
        "title": e.title,
        "description": e.description,
        "location": e.location,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "all_day": e.timing.is_all_day(),
        "timezone": e.timezone.name(),
        "rrule": e.recurrence.as_ref().map(crate::domain::Recurrence::as_text),
        "exdates": e.exceptions,
        "created_at": e.created_at,
        "updated_at": e.updated_at,
    })
}

#[async_trait::async_trait]
impl UserDataOwner for CalendarService {
    fn module(&self) -> &'static str {
        "calendar"
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, ApiError> {
        let events = self.repo().delete_all(tx, user_id).await?;
        let tokens = self.token_repo().delete_all(tx, user_id).await?;
        let keys = self.idempotency_store().delete_all(tx, user_id).await?;
        Ok(events + tokens + keys)
    }

    fn export_sections(&self) -> &'static [&'static str] {
        &["calendar_events"]
    }

    fn export(&self, user_id: UserId, _section: &'static str) -> ExportStream {
        let repo = self.repo().clone();
        paginate(move |after| {
            let repo = repo.clone();
            async move {
                let rows = repo.page(user_id, after, EXPORT_PAGE + 1).await?;
                let more = rows.len() > EXPORT_PAGE as usize;
                let rows: Vec<Event> = rows.into_iter().take(EXPORT_PAGE as usize).collect();
                let next = if more {
                    rows.last().map(|e| e.id)
                } else {
                    None
                };
                Ok((rows.iter().map(export_record).collect(), next))
            }
        })
    }
}
