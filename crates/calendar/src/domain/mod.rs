//! Entities and value objects of the `calendar` module: pure, no I/O.
