//! The reminders module's share of a user's data: every reminder (erased on
//! account deletion, exported in full) and the idempotency keys of its
//! creates (erased, not exported).

use super::ports::{ListFilter, ListKey};
use super::service::RemindersService;
use crate::domain::Reminder;
use kernel::pagination::PageRequest;
use kernel::user_data::{ExportStream, UserDataOwner, paginate};
use kernel::{ApiError, Tx, UserId};
use serde_json::{Value, json};

const PAGE: u16 = 200;

/// A reminder as exported (the API's shape).
pub fn export_record(r: &Reminder) -> Value {
    let rec = r.recurrence.as_ref();
    json!({
        "id": r.id,
        "title": r.title.as_str(),
        "notes": r.notes.as_ref().map(|n| n.as_str()),
        "due_at": r.due_at,
        "priority": r.priority.as_str(),
        "status": r.status.as_str(),
        "completed_at": r.completed_at,
        "rrule": rec.map(|x| x.rule.as_str()),
        "repeat_from": rec.map(|x| x.repeat_from.as_str()),
        "series_start": rec.map(|x| x.dtstart),
        "scheduled_at": rec.map(|x| x.scheduled_at),
        "created_at": r.created_at,
        "updated_at": r.updated_at,
    })
}

#[async_trait::async_trait]
impl UserDataOwner for RemindersService {
    fn module(&self) -> &'static str {
        "reminders"
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, ApiError> {
        let keys = self.idempotency.store().delete_all(tx, user_id).await?;
        let reminders = self.repo.delete_all(tx, user_id).await?;
        Ok(keys + reminders)
    }

    fn export_sections(&self) -> &'static [&'static str] {
        &["reminders"]
    }

    fn export(&self, user_id: UserId, _section: &'static str) -> ExportStream {
        let repo = self.repo.clone();
        paginate(move |after: Option<ListKey>| {
            let repo = repo.clone();
            async move {
                let page = PageRequest { limit: PAGE, after };
                let rows = repo.list(user_id, &ListFilter::default(), &page).await?;
                let next = (rows.len() > usize::from(PAGE))
                    .then(|| rows.get(usize::from(PAGE) - 1).map(|r| (r.due_at, r.id)))
                    .flatten();
                let items = rows
                    .iter()
                    .take(usize::from(PAGE))
                    .map(export_record)
                    .collect();
                Ok((items, next))
            }
        })
    }
}
