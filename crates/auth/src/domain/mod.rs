//! Entities and value objects of the `auth` module: pure, no I/O.
