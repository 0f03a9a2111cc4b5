//! Entities and value objects of the `finances` module: pure, no I/O.
