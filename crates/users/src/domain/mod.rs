//! Entities and value objects of the `users` module: pure, no I/O.
