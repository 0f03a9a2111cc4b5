//! Entities and value objects of the `reminders` module: pure, no I/O.
//!
//! Every value here is parsed once at the edge and valid by construction:
//! [`Title`], [`Notes`], [`Priority`], [`Status`], [`RepeatFrom`], instants
//! ([`parse_instant`]) and the recurrence rule ([`Rrule`]). The [`Reminder`]
//! entity owns the rules of its life cycle: completing (and advancing a
//! recurring series), snoozing one occurrence, and reopening.

pub mod instant;
pub mod kinds;
pub mod reminder;
pub mod rrule;
pub mod text;

pub use instant::{InstantError, parse_instant};
pub use kinds::{KindError, Priority, RepeatFrom, Status};
pub use reminder::{NewReminder, Recurrence, Reminder, ReminderError};
pub use rrule::{Rrule, RruleError};
pub use text::{Notes, NotesError, Title, TitleError};
