//! Use cases of the `auth` module and the ports (repository traits) they need.
