//! Use cases of the `calendar` module and the ports (repository traits) they need.
