//! Entities and value objects of the `reminders` module: pure, no I/O.
