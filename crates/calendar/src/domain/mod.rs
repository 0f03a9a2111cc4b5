//! Entities and value objects of the `calendar` module: pure, no I/O.

pub mod event;
pub mod feed_token;
pub mod ics_export;
pub mod ics_import;
pub mod recurrence;
pub mod zone;

pub use event::{Event, EventDraft, EventFields, Occurrence, Timing};
pub use feed_token::FeedToken;
pub use ics_export::{FeedOptions, write_calendar};
pub use ics_import::{ImportedEvent, ParsedCalendar, parse_calendar};
pub use recurrence::Recurrence;
