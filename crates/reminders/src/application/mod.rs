//! Use cases of the `reminders` module and the ports (repository traits) they need.
